"""Operators between tensors and numpy arrays, matrix_power, pinv, the deprecated torch.cholesky, cdist and dist, a
view's ``_base``, torch.linalg's matrix_rank, cond, multi_dot, vander, vecdot, diagonal, matmul, lstsq and
solve_triangular, each checked against PyTorch: result type, dtype and values, warnings, gradients in float32 and
float64, errors by type and text."""

from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error

import minigrad

OPERATORS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "//": operator.floordiv,
             "%": operator.mod, "**": operator.pow, "@": operator.matmul, "==": operator.eq, "!=": operator.ne,
             "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
ARRAYS = {"float64": np.array([2.0, 3.0, -1.5]), "float32": np.array([0.1, 3.0, -1.5], np.float32),
          "int64": np.array([2, 3, -1]), "int32": np.array([2, 3, 1], np.int32), "0-d float64": np.array(2.0),
          "0-d int64": np.array(2), "bool": np.array([True, False, True]), "2-d": np.arange(6.0).reshape(2, 3),
          "3x2": np.arange(6.0).reshape(3, 2), "too long": np.ones(4), "strings": np.array(["a", "b", "c"]),
          "np.float64": np.float64(2.0), "np.float32": np.float32(2.5), "np.int64": np.int64(2)}
TENSORS = {"float32": ([0.1, -2.0, 3.0], "float32"), "float64": ([1.5, -2.0, 3.0], "float64"),
           "int64": ([3, -4, 5], "int64")}


def _operate(fw, data, dtype, other, symbol, tensor_first, requires_grad=False):
    """What ``tensor <symbol> other`` (or ``other <symbol> tensor``) gives: (type name, dtype, values, grad_fn name)
    or the error, and the warnings it gave."""
    t = fw.tensor(data, dtype=getattr(fw, dtype), requires_grad=requires_grad)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = OPERATORS[symbol](t, other) if tensor_first else OPERATORS[symbol](other, t)
            if isinstance(r, fw.Tensor):
                result = ("Tensor", str(r.dtype).split(".")[-1], repr(r.detach().numpy().tolist()),
                          r.grad_fn and r.grad_fn.name())
            else:
                result = (type(r).__name__, repr(r))
        except Exception as error:  # (the error is what is compared)
            result = (type(error).__name__, str(error))
    return result, [(w.category.__name__, str(w.message)) for w in caught]


@pytest.mark.parametrize("tensor_first", [True, False], ids=["tensor-first", "array-first"])
@pytest.mark.parametrize("symbol", OPERATORS)
@pytest.mark.parametrize("array", ARRAYS)
@pytest.mark.parametrize("tensor", TENSORS)
def test_operator_with_numpy_array(tensor: str, array: str, symbol: str, tensor_first: bool, device: str) -> None:
    """PyTorch's operator refuses an array and numpy computes (t + array: a tensor of numpy's dtype and values, with
    NumPy 2's warning), or the array's side refuses too (a TypeError); == alone takes the array as a tensor."""
    if device == "cuda":
        pytest.skip("numpy computes on the CPU: PyTorch's CUDA tensors refuse numpy(), minigrad has no CUDA tensors")
    data, dtype = TENSORS[tensor]
    expected = _operate(torch, data, dtype, ARRAYS[array], symbol, tensor_first)
    actual = _operate(minigrad, data, dtype, ARRAYS[array], symbol, tensor_first)
    assert actual == expected


@pytest.mark.parametrize("symbol", ["+", "*", "/", "==", "**"])
@pytest.mark.parametrize("tensor_first", [True, False], ids=["tensor-first", "array-first"])
def test_operator_with_numpy_array_requires_grad(symbol: str, tensor_first: bool, device: str) -> None:
    """A tensor that requires grad: numpy()'s RuntimeError where numpy would compute; numpy scalars keep the graph."""
    if device == "cuda":
        pytest.skip("numpy computes on the CPU: PyTorch's CUDA tensors refuse numpy(), minigrad has no CUDA tensors")
    for other in (np.array([2.0, 3.0, -1.5]), np.float64(2.0)):
        expected = _operate(torch, [1.5, -2.0, 3.0], "float32", other, symbol, tensor_first, requires_grad=True)
        actual = _operate(minigrad, [1.5, -2.0, 3.0], "float32", other, symbol, tensor_first, requires_grad=True)
        assert actual == expected


def test_numpy_warning_points_at_the_callers_line() -> None:
    """NumPy 2's warning is attributed to the line with the operator (so a script shows it, once per line)."""
    for fw in (torch, minigrad):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.ones(2) + np.ones(2)
        assert [w.filename for w in caught] == [__file__]


@pytest.fixture(params=["float32", "float64"])
def dtype(request: pytest.FixtureRequest) -> str:
    return request.param


def _gradients(fn, base: np.ndarray, dtype: str, device: str):
    """fn of a tensor of ``base`` in both frameworks: (minigrad's output and input gradient, torch's), under a fixed
    upstream gradient."""
    results = []
    for fw in (minigrad, torch):
        dev = device if fw is torch else "cpu"
        a = fw.tensor(base, dtype=getattr(fw, dtype), device=dev, requires_grad=True)
        y = fn(fw, a)
        upstream = fw.tensor(np.random.default_rng(1).standard_normal(tuple(y.shape)), dtype=getattr(fw, dtype),
                             device=dev)
        (y * upstream).sum().backward()
        results.append((y.detach(), a.grad, y.grad_fn.name()))
    return results


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)])
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, -1, -2, -3])
@pytest.mark.parametrize("spelling", ["linalg", "torch", "method"])
def test_matrix_power(shape: tuple[int, ...], n: int, spelling: str, dtype: str, device: str) -> None:
    """Products of A (A^-1 for n < 0) in PyTorch's order: positive powers equal to the bit on the CPU."""
    call = {"linalg": lambda fw, a: fw.linalg.matrix_power(a, n), "torch": lambda fw, a: fw.matrix_power(a, n),
            "method": lambda fw, a: a.matrix_power(n)}[spelling]
    base = np.random.default_rng(0).standard_normal(shape) * 0.3 + np.eye(3)
    (y, grad, name), (y_t, grad_t, name_t) = _gradients(call, base, dtype, device)
    assert_close(y, y_t, "A^n")
    assert_close(grad, grad_t, "gradient", float32_atol=1e-5)
    if len(shape) == 2:  # (batched products: PyTorch's node is UnsafeViewBackward0, minigrad's MatmulBackward0)
        assert name == name_t.replace("torch::autograd::", "")
    if n >= 0 and device == "cpu":
        np.testing.assert_array_equal(y.numpy(), y_t.numpy())


@pytest.mark.parametrize("call", [
    lambda fw: fw.linalg.matrix_power(fw.ones(2, 3), 2), lambda fw: fw.linalg.matrix_power(fw.ones(3), 2),
    lambda fw: fw.matrix_power(fw.ones(2, 2, dtype=fw.int64), -1),
    lambda fw: fw.linalg.matrix_power(fw.ones(2, 2), 2.0),
    lambda fw: fw.linalg.pinv(fw.ones(3)), lambda fw: fw.pinverse(fw.ones(2, 2, dtype=fw.int64)),
    lambda fw: fw.ones(3).pinverse(),
])
def test_errors(call) -> None:
    assert_same_error(call)


def test_matrix_power_of_integers() -> None:
    a = [[1, 2], [3, 4]]
    for n in (0, 1, 2, 5):
        assert minigrad.tensor(a).matrix_power(n).tolist() == torch.tensor(a).matrix_power(n).tolist()


@pytest.mark.parametrize("shape", [(3, 2), (2, 4), (2, 3, 3)])
@pytest.mark.parametrize("spelling", ["linalg", "pinverse", "method", "hermitian", "rtol"])
def test_pinv_full_rank(shape: tuple[int, ...], spelling: str, dtype: str, device: str) -> None:
    """V diag(1/S) U^T from the SVD (the eigendecomposition for a symmetric A), no singular value cut: values and
    gradients to rounding. (Where a tolerance cuts singular values, PyTorch's node LinalgPinvBackward0 differentiates
    the pseudoinverse at fixed rank and minigrad's composition through the SVD: not compared here.)"""
    call = {"linalg": lambda fw, a: fw.linalg.pinv(a), "pinverse": lambda fw, a: fw.pinverse(a),
            "method": lambda fw, a: a.pinverse(),
            "hermitian": lambda fw, a: fw.linalg.pinv(a @ a.mT + fw.eye(a.shape[-2], dtype=a.dtype, device=a.device),
                                                      hermitian=True),
            "rtol": lambda fw, a: fw.linalg.pinv(a, rtol=1e-3)}[spelling]
    base = np.random.default_rng(0).standard_normal(shape)
    (y, grad, _), (y_t, grad_t, _) = _gradients(call, base, dtype, device)
    assert_close(y, y_t, "pinv", float32_atol=1e-5)
    np.testing.assert_allclose(grad.numpy(), grad_t.cpu().numpy(), rtol=1e-4 if dtype == "float32" else 1e-10,
                               atol=1e-4 if dtype == "float32" else 1e-10)


def test_pinv_cuts_small_singular_values(dtype: str, device: str) -> None:
    """Singular values at or below max(atol, rtol * max S) give 0, not 1/S."""
    base = np.diag([4.0, 1.0, 1e-3])
    for kwargs in ({"atol": 0.5}, {"rtol": 0.01}, {"atol": 2.0, "rtol": 0.1}, {}):
        y = minigrad.linalg.pinv(minigrad.tensor(base, dtype=getattr(minigrad, dtype)), **kwargs)
        y_t = torch.linalg.pinv(torch.tensor(base, dtype=getattr(torch, dtype), device=device), **kwargs)
        assert_close(y, y_t, f"pinv {kwargs}")


@pytest.mark.filterwarnings("ignore:torch.cholesky is deprecated")
@pytest.mark.parametrize("upper", [False, True])
def test_deprecated_cholesky(upper: bool, dtype: str, device: str) -> None:
    """torch.cholesky: linalg.cholesky's values and gradients, and the deprecation warning, once."""
    base = np.array([[4.0, 1, 2], [1, 3, 0], [2, 0, 5]])

    def call(fw, a):
        return fw.cholesky(a, upper=upper)

    (y, grad, _), (y_t, grad_t, _) = _gradients(call, base, dtype, device)
    assert_close(y, y_t, "cholesky")
    assert_close(grad, grad_t, "gradient")
    for fw in (minigrad, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fw.cholesky(fw.eye(2))  # (warned already, above: once per process)
        assert caught == []


def test_deprecated_cholesky_warning_text() -> None:
    """The warning's text is PyTorch's (less where PyTorch says which line of its C++ gave it; PyTorch gives it once
    per process, so its text is checked in parts here)."""
    import minigrad as fresh

    fresh._CHOLESKY_WARNED = False
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh.cholesky(fresh.eye(2))
    assert [w.category for w in caught] == [UserWarning]
    message = str(caught[0].message)
    assert message.startswith("torch.cholesky is deprecated in favor of torch.linalg.cholesky")
    assert "U = torch.linalg.cholesky(A).mH" in message


@pytest.mark.parametrize(("first", "second"), [((4, 3), (5, 3)), ((2, 6, 3), (5, 3)), ((30, 2), (4, 2)),
                                               ((3, 1), (27, 1)), ((2, 1, 3, 4), (2, 5, 4))])
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, float("inf"), 0.0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist(first: tuple[int, ...], second: tuple[int, ...], p: float, dtype: str, device: str) -> None:
    """torch.cdist's values and both gradients, PyTorch's matrix-product form included (more than 25 rows, p = 2)."""
    rng = np.random.default_rng(3)
    a, b, weights = rng.standard_normal(first), rng.standard_normal(second), None
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        x1, x2 = (fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in (a, b))
        out = fw.cdist(x1, x2, p=p)
        weights = rng.standard_normal(tuple(out.shape)) if weights is None else weights
        if out.requires_grad:
            (out * fw.tensor(weights, dtype=out.dtype, device=dev)).sum().backward()
        found.append((out, x1.grad, x2.grad))
    (theirs, *their_grads), (ours, *our_grads) = found
    assert_close(ours.detach(), theirs.detach().cpu())
    for our_grad, their_grad in zip(our_grads, their_grads):
        if p != 0:
            assert_close(our_grad, their_grad.cpu(), "gradient")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("p", [2, 1, 3.5, float("inf")])
def test_dist(p: float, dtype: str, device: str) -> None:
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        x1, x2 = (fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in (a, b))
        out = fw.dist(x1, x2, p) if p != 1 else x1.dist(x2, p=p)
        out.backward()
        found.append((out, x1.grad, x2.grad))
    for ours, theirs in zip(found[1], found[0]):
        assert_close(ours.detach(), theirs.detach().cpu())


@pytest.mark.parametrize("call", [
    lambda fw: fw.cdist(fw.ones(3), fw.ones(3)),
    lambda fw: fw.cdist(fw.ones(2, 3), fw.ones(2, 4)),
    lambda fw: fw.cdist(fw.ones(2, 3), fw.ones(2, 3), p=-1),
    lambda fw: fw.cdist(fw.ones(2, 3), fw.ones(2, 3), compute_mode="x"),
    lambda fw: fw.cdist(fw.ones(2, 3, dtype=fw.long), fw.ones(2, 3, dtype=fw.long)),
    lambda fw: fw.cdist(fw.ones(2, 3), fw.ones(2, 3, dtype=fw.float64)),
    lambda fw: fw.dist(fw.ones(2), fw.ones(3)),
])
def test_distance_errors(call) -> None:
    assert_same_error(call)


def test_a_views_base() -> None:
    """``_base``: the tensor a view looks at (a view of a view: the first one's base), None for others."""
    for fw in (torch, minigrad):
        a = fw.arange(6.0)
        b = a.view(2, 3)
        c = b[1:, ::2]
        assert (a._base, b._base is a, c._base is a, b.clone()._base, a.detach()._base is None) == (
            None, True, True, None, True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linalg_rank_and_condition(dtype: str, device: str) -> None:
    """matrix_rank (tolerances, ``tol``, ``hermitian``, batches) and cond (every order; the singular-value orders'
    gradients: PyTorch's own backward fails for the others, its inverse modified in place) as PyTorch's."""
    rng = np.random.default_rng(6)
    tall, square = rng.standard_normal((2, 5, 3)), rng.standard_normal((3, 3))
    low = tall[0] @ rng.standard_normal((3, 4))  # rank 3 of 4 columns
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        def t(v, requires_grad=False, fw=fw, dev=dev):
            return fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=requires_grad)
        a = t(square, requires_grad=True)
        ranks = [fw.linalg.matrix_rank(t(tall)), fw.linalg.matrix_rank(t(low)), fw.linalg.matrix_rank(t(low), atol=1.0),
                 fw.linalg.matrix_rank(t(low), rtol=0.3), fw.linalg.matrix_rank(t(low @ low.T), hermitian=True)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (tol=: PyTorch's deprecated spelling)
            ranks.append(fw.linalg.matrix_rank(t(low), tol=2.0))
        conds = [fw.linalg.cond(a, p) for p in (None, 2, -2, "fro", "nuc", 1, -1, float("inf"), -float("inf"))]
        sum(conds[:3]).backward()
        found.append((ranks, [c.detach() for c in conds], a.grad))
    (their_ranks, their_conds, their_grad), (our_ranks, our_conds, our_grad) = found
    assert [r.tolist() for r in our_ranks] == [r.tolist() for r in their_ranks]
    for ours, theirs in zip(our_conds, their_conds):
        assert_close(ours, theirs.cpu())
    assert_close(our_grad, their_grad.cpu(), "gradient")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shapes", [[(3, 4), (4, 2)], [(3,), (3, 10), (10, 2), (2, 5), (5,)], [(6, 2), (2, 7), (7, 3)],
                                    [(2, 30), (30, 3), (3, 40), (40,)]])
def test_multi_dot(shapes: list[tuple[int, ...]], dtype: str, device: str) -> None:
    """The product in PyTorch's order (the cheapest), so to PyTorch's rounding, and each factor's gradient."""
    rng = np.random.default_rng(len(shapes))
    values = [rng.standard_normal(shape) for shape in shapes]
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        factors = [fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in values]
        out = fw.linalg.multi_dot(factors)
        (out * fw.arange(float(out.numel()), dtype=out.dtype, device=dev).view(out.shape)).sum().backward()
        found.append([out.detach(), *(f.grad for f in factors)])
    for ours, theirs in zip(found[1], found[0]):
        assert_close(ours, theirs.cpu())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vander_vecdot_diagonal_matmul(dtype: str, device: str) -> None:
    rng = np.random.default_rng(8)
    x, y, m = rng.standard_normal((2, 4)), rng.standard_normal(4), rng.standard_normal((2, 3, 3))
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        xs, ys, ms = (fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in (x, y, m))
        outs = [fw.linalg.vander(xs), fw.linalg.vander(ys, N=3), fw.linalg.vecdot(xs, ys), fw.linalg.diagonal(ms),
                fw.linalg.diagonal(ms, offset=1, dim1=0, dim2=2), fw.linalg.matmul(ms, ys[:3])]
        sum((o * o).sum() for o in outs).backward()
        found.append([*(o.detach() for o in outs), xs.grad, ys.grad, ms.grad, [type(o.grad_fn).__name__ for o in outs]])
    *ours, our_names = found[1]
    *theirs, their_names = found[0]
    assert our_names == their_names
    for our, their in zip(ours, theirs):
        assert_close(our, their.cpu())


@pytest.mark.parametrize("call", [
    lambda fw: fw.linalg.matrix_rank(fw.ones(3)),
    lambda fw: fw.linalg.cond(fw.ones(3)),
    lambda fw: fw.linalg.cond(fw.ones(2, 3), "fro"),
    lambda fw: fw.linalg.multi_dot([fw.ones(2, 2)]),
    lambda fw: fw.linalg.multi_dot([fw.ones(2, 3, 3), fw.ones(3, 3)]),
    lambda fw: fw.linalg.multi_dot([fw.ones(3, 3), fw.ones(2, 3, 3)]),
    lambda fw: fw.linalg.multi_dot([fw.ones(3, 3), fw.ones(3), fw.ones(3, 3)]),
    lambda fw: fw.linalg.vander(fw.ones(3), N=1),
])
def test_linalg_extras_errors(call) -> None:
    assert_same_error(call)


@pytest.mark.parametrize("driver", [None, "gels", "gelsd", "gelss"])
@pytest.mark.parametrize(("a_shape", "b_shape"), [((6, 3), (6, 2)), ((6, 3), (6,)), ((2, 5, 3), (2, 5, 4)),
                                                  ((3, 5), (3, 2)), ((4, 4), (4, 1))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lstsq(a_shape: tuple[int, ...], b_shape: tuple[int, ...], driver: str | None, dtype: str,
               device: str) -> None:
    """The least-squares solution (a regression lecture's closed form) with what each driver gives beside it, and
    the solution's gradients: PyTorch's where A has full rank. (A square A is kept well conditioned: minigrad's
    gradient is pinv's, from the SVD, PyTorch's from its own factorization; for a random 4 x 4 they differ by 6e-5
    in float32 and agree to 1e-12 in float64: rounding, amplified by the condition number.)"""
    rng = np.random.default_rng(len(a_shape) + len(b_shape))
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    if a_shape[-1] == a_shape[-2]:
        a += 4 * np.eye(a_shape[-1])
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        A, B = (fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in (a, b))  # noqa: N806
        result = fw.linalg.lstsq(A, B, driver=driver if fw is minigrad or device == "cpu" else None)
        result.solution.sum().backward()
        found.append((result, A.grad, B.grad))
    (theirs, *their_grads), (ours, *our_grads) = found
    assert type(ours).__name__ == type(theirs).__name__ == "linalg_lstsq"
    if device == "cpu":
        for field in ("solution", "residuals", "rank", "singular_values"):
            assert_close(getattr(ours, field).detach(), getattr(theirs, field).detach(), field)
    for our, their in zip(our_grads, their_grads):
        assert_close(our, their.cpu(), "gradient")


def test_lstsq_rank_deficient() -> None:
    """A matrix of rank 2 in 4 columns: the minimum-norm solution, rank 2, no residuals."""
    rng = np.random.default_rng(9)
    a = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 4))
    b = rng.standard_normal((6, 3))
    ours, theirs = (fw.linalg.lstsq(fw.tensor(a), fw.tensor(b), driver="gelsd") for fw in (minigrad, torch))
    for field in ("solution", "residuals", "rank", "singular_values"):
        assert_close(getattr(ours, field), getattr(theirs, field), field)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unitriangular", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_solve_triangular(upper: bool, left: bool, unitriangular: bool, dtype: str, device: str) -> None:
    """Only A's triangle is read, and the gradient reaching A lies in it."""
    rng = np.random.default_rng(10)
    a = rng.standard_normal((2, 4, 4)) + 4 * np.eye(4)
    b = rng.standard_normal((2, 4, 3) if left else (2, 3, 4))
    found = []
    for fw, dev in ((torch, device), (minigrad, "cpu")):
        A, B = (fw.tensor(v, dtype=getattr(fw, dtype), device=dev, requires_grad=True) for v in (a, b))  # noqa: N806
        x = fw.linalg.solve_triangular(A, B, upper=upper, left=left, unitriangular=unitriangular)
        (x * x).sum().backward()
        found.append((x.detach(), A.grad, B.grad))
    for ours, theirs in zip(found[1], found[0]):
        assert_close(ours, theirs.cpu())


@pytest.mark.parametrize("call", [
    lambda fw: fw.linalg.lstsq(fw.ones(3, 2), fw.ones(3, 1), driver="x"),
    lambda fw: fw.linalg.lstsq(fw.ones(3, 2), fw.ones(4, 1)),
    lambda fw: fw.linalg.lstsq(fw.ones(3, 2), fw.ones(3, 1, dtype=fw.float64)),
])
def test_lstsq_errors(call) -> None:
    assert_same_error(call)
