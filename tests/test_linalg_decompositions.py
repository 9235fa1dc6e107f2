"""torch.linalg's decompositions into several outputs (slogdet, qr, eigh, svd) and nn.init.orthogonal_, against torch.

These ops are the first with several differentiable outputs (``Op.differentiable_outputs``): one node, a gradient per
output, None for an output no gradient reached. The tests here drive the engine through them: a loss on any subset of
the outputs, retain_grad on a later output, backward twice, in-place writes to saved outputs; and they check what the
op cases cannot (errors and their texts, degenerate inputs, gradchecks of symmetric inputs).

Singular vectors and eigenvectors are unique up to their signs, which MKL (torch) and OpenBLAS (numpy) pick
differently; the losses on them here are invariant to those signs (squares), so the gradients must agree as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import assert_close, assert_same_error, numpy_of, outcome
from op_cases import CASES
from op_cases_linalg import _well_separated

import minigrad
from minigrad.autograd import gradcheck

RNG = np.random.default_rng(20261206)
A43 = RNG.uniform(-2, 2, (4, 3))
A34 = RNG.uniform(-2, 2, (3, 4))
A33 = RNG.uniform(-2, 2, (3, 3))
W43, W34, W33, W3 = (RNG.standard_normal(s) for s in [(4, 3), (3, 4), (3, 3), (3,)])


def _grad(fw: Any, a: np.ndarray, loss: Callable[[Any, Any], Any]) -> Any:
    """d loss(fw, A) / dA at A = a (float64), or None where no gradient reaches A."""
    x = fw.tensor(a, requires_grad=True)
    loss(fw, x).backward()
    return x.grad


def _same_grad(a: np.ndarray, loss: Callable[[Any, Any], Any]) -> None:
    expected, actual = _grad(torch, a, loss), _grad(minigrad, a, loss)
    assert (actual is None) == (expected is None), f"torch's gradient {expected}, minigrad's {actual}"
    if expected is not None:
        np.testing.assert_allclose(numpy_of(actual), numpy_of(expected), rtol=1e-10, atol=1e-12)


def test_every_case_draw_is_well_separated() -> None:
    """The op cases' matrices: invertible, with distinct eigenvalues and singular values (see op_cases_linalg)."""
    assert all(_well_separated(case) for case in CASES)


# ----- gradients through any subset of the outputs (one node, several outputs) ------------------------------------
def _t(fw: Any, x: np.ndarray) -> Any:
    return fw.tensor(x, dtype=fw.float64)


_SVD_LOSSES = {
    "U": lambda fw, u, s, vh, w: (u ** 2 * _t(fw, w[0])).sum(),
    "S": lambda fw, u, s, vh, w: (s * _t(fw, w[1])).sum(),
    "Vh": lambda fw, u, s, vh, w: (vh ** 2 * _t(fw, w[2])).sum(),
}


@pytest.mark.parametrize("used", ["U", "S", "Vh", "U+S", "U+Vh", "S+Vh", "U+S+Vh"])
@pytest.mark.parametrize("a", [A43, A34, A33], ids=["tall", "wide", "square"])
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_gradient_through_any_outputs(used: str, a: np.ndarray, full_matrices: bool) -> None:
    m, n = a.shape
    k = min(m, n)
    rng = np.random.default_rng(len(used))
    weights = (rng.standard_normal((m, m if full_matrices else k)), rng.standard_normal(k),
               rng.standard_normal((n if full_matrices else k, n)))

    def loss(fw: Any, x: Any) -> Any:
        u, s, vh = fw.linalg.svd(x, full_matrices=full_matrices)
        terms = [_SVD_LOSSES[name](fw, u, s, vh, weights) for name in used.split("+")]
        return sum(terms[1:], terms[0])

    _same_grad(a, loss)


@pytest.mark.parametrize("used", ["w", "V", "w+V"])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_gradient_through_any_outputs(used: str, uplo: str) -> None:
    def loss(fw: Any, x: Any) -> Any:
        w, v = fw.linalg.eigh(x, UPLO=uplo)
        terms = {"w": (w * _t(fw, W3)).sum(), "V": (v ** 2 * _t(fw, W33)).sum()}
        return sum(terms[name] for name in used.split("+"))

    _same_grad(A33, loss)


@pytest.mark.parametrize("used", ["Q", "R", "Q+R"])
@pytest.mark.parametrize(("a", "mode"), [(A43, "reduced"), (A34, "reduced"), (A33, "complete"), (A34, "complete")])
def test_qr_gradient_through_any_outputs(used: str, a: np.ndarray, mode: str) -> None:
    def loss(fw: Any, x: Any) -> Any:
        q, r = fw.linalg.qr(x, mode=mode)
        rng = np.random.default_rng(3)
        terms = {"Q": (q * _t(fw, rng.standard_normal(tuple(q.shape)))).sum(),
                 "R": (r * _t(fw, rng.standard_normal(tuple(r.shape)))).sum()}
        return sum(terms[name] for name in used.split("+"))

    _same_grad(a, loss)


@pytest.mark.parametrize("used", ["sign", "logabsdet", "sign+logabsdet"])
def test_slogdet_gradient_through_any_outputs(used: str) -> None:
    """sign's gradient is 0: a loss on sign alone gives A no gradient at all (None), as in torch."""
    def loss(fw: Any, x: Any) -> Any:
        sign, logabsdet = fw.linalg.slogdet(x)
        return sum({"sign": 2 * sign, "logabsdet": 3 * logabsdet}[name] for name in used.split("+"))

    _same_grad(A33, loss)


def test_values_alone_where_they_repeat_have_a_gradient() -> None:
    """With a loss on the values alone, the vectors' terms (0 / 0 where values repeat) are skipped, as in torch: the
    identity's singular values and eigenvalues, and a rank-deficient matrix's."""
    _same_grad(np.eye(3), lambda fw, x: (fw.linalg.svd(x).S * _t(fw, W3)).sum())
    _same_grad(np.eye(3), lambda fw, x: (fw.linalg.eigh(x).eigenvalues * _t(fw, W3)).sum())
    _same_grad(np.diag([2.0, 1.0, 0.0]), lambda fw, x: fw.linalg.svd(x, full_matrices=False).S.sum())


def test_retain_grad_on_a_later_output() -> None:
    """retain_grad on outputs 1 and 2 of one node: each keeps its own gradient."""
    grads = {}
    for fw in (torch, minigrad):
        x = fw.tensor(A43, requires_grad=True)
        u, s, vh = fw.linalg.svd(x, full_matrices=False)
        s.retain_grad()
        vh.retain_grad()
        ((s ** 2 * _t(fw, W3)).sum() + (vh ** 2).sum() * 0.5 + (u ** 2 * _t(fw, W43)).sum()).backward()
        grads[fw] = (s.grad, vh.grad, vh, x.grad)
    (s_t, vh_t, vh_torch, x_t), (s_m, vh_m, vh_mine, x_m) = grads[torch], grads[minigrad]
    assert_close(s_m, s_t)
    signs = np.sign(numpy_of(vh_torch) * numpy_of(vh_mine))  # vh.grad = vh + ...: in minigrad's signs
    assert_close(vh_m, torch.tensor(numpy_of(vh_t) * signs))
    assert_close(x_m, x_t)


def test_backward_twice_with_retain_graph() -> None:
    """The node's saved arrays survive retain_graph: gradients add up; a third pass without it then fails as torch's."""
    results = {}
    for fw in (torch, minigrad):
        x = fw.tensor(A34, requires_grad=True)
        w, v = fw.linalg.eigh(x[:, :3])
        r = fw.linalg.qr(x).R
        loss = (w * _t(fw, W3)).sum() + (v ** 2 * _t(fw, W33)).sum() + (r * 0.5).sum()
        loss.backward(retain_graph=True)
        first = numpy_of(x.grad).copy()
        loss.backward(retain_graph=True)
        second = numpy_of(x.grad).copy()
        loss.backward()
        _, error = outcome(lambda fw, loss=loss: loss.backward(), fw)
        results[fw] = first, second, error
    (first_t, _, error_t), (first_m, second_m, error_m) = results[torch], results[minigrad]
    np.testing.assert_allclose(first_m, first_t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(second_m, 2 * first_m, rtol=1e-12, atol=1e-12)
    assert type(error_m) is type(error_t) and str(error_m) == str(error_t)


def test_outputs_share_one_node() -> None:
    for fw in (torch, minigrad):
        x = fw.tensor(A43, requires_grad=True)
        for outs, name in [(fw.linalg.svd(x), "LinalgSvdBackward0"), (fw.linalg.qr(x), "LinalgQrBackward0"),
                           (fw.linalg.eigh(x[:3]), "LinalgEighBackward0"),
                           (fw.linalg.slogdet(x[:3]), "LinalgSlogdetBackward0")]:
            assert all(o.grad_fn is outs[0].grad_fn for o in outs)
            assert type(outs[0].grad_fn).__name__ == name or outs[0].grad_fn.name() == name
            assert not any(o.is_leaf for o in outs)
        with fw.no_grad():
            assert not any(o.requires_grad for o in fw.linalg.svd(x))


@pytest.mark.parametrize("output", [0, 1, 2])
def test_in_place_write_to_a_saved_output_fails_backward(output: int) -> None:
    """U, S and Vh are saved for backward: writing one in place makes backward fail, as in torch (the message names
    the output by number; minigrad's says 0 for every output: reported)."""
    errors = {}
    for fw in (torch, minigrad):
        x = fw.tensor(A43, requires_grad=True)
        outs = fw.linalg.svd(x, full_matrices=False)
        loss = outs[1].sum() * 1.0
        outs[output].mul_(2)
        _, errors[fw] = outcome(lambda fw, loss=loss: loss.backward(), fw)
    assert type(errors[minigrad]) is type(errors[torch]) is RuntimeError
    assert "modified by an inplace operation" in str(errors[minigrad])


# ----- values: named results, mode 'r', empty matrices ----------------------------------------------------------
def test_named_results() -> None:
    x = minigrad.tensor(A43)
    for result, names in [(minigrad.linalg.svd(x), ("U", "S", "Vh")), (minigrad.linalg.qr(x), ("Q", "R")),
                          (minigrad.linalg.eigh(x[:3]), ("eigenvalues", "eigenvectors")),
                          (minigrad.linalg.slogdet(x[:3]), ("sign", "logabsdet"))]:
        assert len(result) == len(names) and all(getattr(result, n) is r for n, r in zip(names, result))


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3), (0, 3), (3, 0)])
def test_qr_mode_r_gives_r_alone(shape: tuple[int, ...]) -> None:
    a = RNG.uniform(-2, 2, shape)
    (q_t, r_t), (q_m, r_m) = torch.linalg.qr(torch.tensor(a), mode="r"), minigrad.linalg.qr(minigrad.tensor(a), "r")
    assert_close(q_m, q_t)
    assert_close(r_m, r_t)


def test_singular_and_nan_slogdet() -> None:
    """Singular: sign 0 and -inf. NaN anywhere: sign 0 and NaN (torch's sgn(NaN) of a pivot). inf: what LU makes."""
    for m in ([[0.0, 0.0], [0.0, 2.0]], [[1.0, 2.0], [2.0, 4.0]], [[np.nan, 1.0], [1.0, 1.0]], [[1, 2], [3, np.nan]],
              [[1.0, np.inf], [0.0, 1.0]], [[0.0, np.inf], [1.0, 0.0]], [[np.inf, 1.0], [1.0, 1.0]]):
        (s_m, l_m), (s_t, l_t) = (fw.linalg.slogdet(fw.tensor(m)) for fw in (minigrad, torch))
        assert_close(s_m, s_t)
        assert_close(l_m, l_t)


def test_singular_slogdet_gradient_is_torchs_inf_and_nan() -> None:
    """Not differentiable at a singular matrix: torch's lu_solve divides by the zero pivot; so does minigrad."""
    for m in ([[0.0, 0.0], [0.0, 2.0]], [[1.0, 2.0], [2.0, 4.0]], [[1, 2, 3], [4, 5, 6], [7, 8, 9.0]]):
        _same_grad(np.array(m), lambda fw, x: fw.linalg.slogdet(x).logabsdet)


# ----- errors -----------------------------------------------------------------------------------------------------
_INT = np.ones((3, 3), dtype=np.int64)


@pytest.mark.parametrize("call", [
    lambda fw: fw.linalg.slogdet(fw.tensor(_INT)), lambda fw: fw.linalg.slogdet(fw.ones(2, 3)),
    lambda fw: fw.linalg.slogdet(fw.ones(3)), lambda fw: fw.linalg.slogdet(fw.tensor(_INT[0])),
    lambda fw: fw.linalg.slogdet(fw.tensor(_INT[:2])),
    lambda fw: fw.linalg.qr(fw.tensor(_INT)), lambda fw: fw.linalg.qr(fw.ones(3)),
    lambda fw: fw.linalg.qr(fw.ones(3, 3), mode="R"), lambda fw: fw.linalg.qr(fw.tensor(_INT), mode="x"),
    lambda fw: fw.linalg.eigh(fw.tensor(_INT)), lambda fw: fw.linalg.eigh(fw.ones(2, 3), UPLO="x"),
    lambda fw: fw.linalg.eigh(fw.ones(3)), lambda fw: fw.linalg.eigh(fw.tensor(_INT), UPLO="x"),
    lambda fw: fw.linalg.eigh(fw.ones(3, 3, dtype=fw.bool)), lambda fw: fw.linalg.eigh(fw.eye(2), UPLO="LU"),
    lambda fw: fw.linalg.svd(fw.tensor(_INT)), lambda fw: fw.linalg.svd(fw.ones(3)),
    lambda fw: fw.linalg.svd(fw.ones(3, 3), driver="gesvd"), lambda fw: fw.linalg.svd(fw.ones(0, 0, dtype=fw.int64)),
    # the older torch.linalg functions check the rank, then the shape, then the dtype (solve: the dtype first)
    lambda fw: fw.linalg.inv(fw.tensor(_INT[0])), lambda fw: fw.linalg.det(fw.tensor(_INT[:2])),
    lambda fw: fw.linalg.svdvals(fw.tensor(_INT[0])), lambda fw: fw.linalg.cholesky(fw.tensor(_INT[:2])),
    lambda fw: fw.linalg.solve(fw.tensor(_INT[0]), fw.ones(3)),
], ids=lambda c: "")
def test_errors_are_torchs(call: Callable[[Any], Any]) -> None:
    assert_same_error(call)


def test_empty_integer_eigh_passes_as_torchs() -> None:
    for shape in [(0, 0), (2, 0, 0)]:
        (w_t, v_t), (w_m, v_m) = (fw.linalg.eigh(fw.ones(*shape, dtype=fw.int64)) for fw in (torch, minigrad))
        assert_close(w_m, w_t)
        assert_close(v_m, v_t)


def _same_outcome(call: Callable[[Any], Any]) -> None:
    """Where torch raises its LinAlgError, minigrad raises its own (a RuntimeError too) with the same text; where torch
    does not, minigrad gives the same values (NaN)."""
    (result, expected), (mine, actual) = outcome(call, torch), outcome(call, minigrad)
    if expected is None:
        assert actual is None, f"minigrad raised {actual!r} where torch did not"
        assert_close(mine[0], result[0])
        return
    assert isinstance(expected, torch.linalg.LinAlgError) and isinstance(actual, minigrad.linalg.LinAlgError)
    assert isinstance(actual, RuntimeError) and str(actual) == str(expected)


_NAN = np.full((3, 3), np.nan)
_ONE_NAN = np.array([[1.0, 2.0, 3.0], [2.0, np.nan, 1.0], [3.0, 1.0, 4.0]])


@pytest.mark.parametrize("a", [_NAN, _ONE_NAN, np.full((4, 4), np.nan), np.stack([np.eye(3), _ONE_NAN]),
                               np.full((30, 30), np.nan)], ids=["nan3", "one-nan", "nan4", "batch", "nan30"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_nan_raises_torchs_linalg_error(a: np.ndarray, dtype: str) -> None:
    """svd refuses NaN; eigh mostly fails to converge (30 x 30 NaN does not: divide and conquer), and its message gives
    LAPACK's error code, which depends on whether it computes the eigenvectors (eigvalsh: only for a gradient)."""
    a = a.astype(dtype)
    _same_outcome(lambda fw: fw.linalg.svd(fw.tensor(a)))
    _same_outcome(lambda fw: fw.linalg.svdvals(fw.tensor(a)))
    _same_outcome(lambda fw: fw.linalg.eigh(fw.tensor(a)))
    _same_outcome(lambda fw: (fw.linalg.eigvalsh(fw.tensor(a), UPLO="U"),))
    _same_outcome(lambda fw: (fw.linalg.eigvalsh(fw.tensor(a, requires_grad=True)),))


def test_nan_where_lapack_takes_it_gives_nan_as_torch() -> None:
    """eigh of a 2x2 NaN matrix, a NaN in the triangle eigh does not read, inf: no error, the values torch gives."""
    for a, uplo in [(np.full((2, 2), np.nan), "L"), (np.array([[1.0, np.nan], [2.0, 1.0]]), "L"),
                    (np.array([[np.inf, 0.0], [0.0, 1.0]]), "U")]:
        (w_t, _), (w_m, _) = (fw.linalg.eigh(fw.tensor(a), UPLO=uplo) for fw in (torch, minigrad))
        assert_close(w_m, w_t)


@pytest.mark.parametrize(("shape", "mode"), [((3, 3), "r"), ((4, 3), "complete")])
def test_qr_backward_errors_are_torchs(shape: tuple[int, int], mode: str) -> None:
    a = RNG.uniform(-2, 2, shape)

    def call(fw: Any) -> None:
        x = fw.tensor(a, requires_grad=True)
        fw.linalg.qr(x, mode=mode).R.sum().backward()

    assert_same_error(call)


# ----- finite differences for symmetric inputs (eigh reads one triangle: check f(X) = eigh(X + X^T)) ---------------
def test_gradcheck_eigh_of_a_symmetric_matrix() -> None:
    x = minigrad.tensor(A33, requires_grad=True)
    w33 = minigrad.tensor(W33)

    def f(x: minigrad.Tensor) -> minigrad.Tensor:
        w, v = minigrad.linalg.eigh(x + x.T)
        return (w * w).sum() + (v ** 2 * w33).sum()

    assert gradcheck(f, [x])


def test_gradcheck_svd_gauge_invariant_loss() -> None:
    x = minigrad.tensor(A43, requires_grad=True)

    def f(x: minigrad.Tensor) -> minigrad.Tensor:
        u, s, vh = minigrad.linalg.svd(x, full_matrices=False)
        return (u ** 2 * minigrad.tensor(W43)).sum() + (s ** 3).sum() + (vh.abs() * minigrad.tensor(W33)).sum()

    assert gradcheck(f, [x])


# ----- nn.init.orthogonal_ ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (2, 3, 4), (20, 7), (7, 20), (1, 1), (1, 5), (6, 1),
                                   (16, 16), (3, 2, 2, 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_orthogonal_matches_torch(shape: tuple[int, ...], dtype: str) -> None:
    """The normal draw is torch's bit for bit (the next draw after it too); Q is LAPACK's to rounding: numpy factors
    float32 in float64 and rounds once, torch's sgeqrf rounds at each step (~n ulp: 1e-6 for 16 x 16, gain 1.5)."""
    values = {}
    for fw in (torch, minigrad):
        fw.manual_seed(7)
        w = fw.empty(*shape, dtype=getattr(fw, dtype))
        assert fw.nn.init.orthogonal_(w, gain=1.5) is w
        values[fw] = numpy_of(w), fw.rand(2).tolist()
    (w_t, next_t), (w_m, next_m) = values[torch], values[minigrad]
    np.testing.assert_allclose(w_m, w_t, rtol=0, atol=4e-6 if dtype == "float32" else 1e-13)
    assert next_m == next_t
    flat = w_m.reshape(shape[0], -1).astype(np.float64) / 1.5
    gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(gram, np.eye(len(gram)), atol=1e-5 if dtype == "float32" else 1e-12)


def test_orthogonal_with_a_generator_and_its_errors() -> None:
    values = [numpy_of(fw.nn.init.orthogonal_(fw.empty(4, 6), generator=fw.Generator().manual_seed(3)))
              for fw in (torch, minigrad)]
    np.testing.assert_allclose(values[1], values[0], rtol=0, atol=1e-6)
    assert_same_error(lambda fw: fw.nn.init.orthogonal_(fw.empty(3)))
    for fw in (torch, minigrad):
        empty = fw.empty(0, 3)
        assert fw.nn.init.orthogonal_(empty) is empty
    parameter = minigrad.nn.Parameter(minigrad.empty(3, 3))
    minigrad.nn.init.orthogonal_(parameter)
    assert parameter.requires_grad and parameter.grad_fn is None


# ----- the older names: torch.slogdet, logdet, svd, qr and their Tensor methods (where minigrad has them) -----------
def _older(name: str) -> None:
    if not hasattr(minigrad, name) or not hasattr(minigrad.Tensor, name):
        pytest.skip(f"torch.{name} and Tensor.{name}: not in minigrad yet")


def test_older_svd() -> None:
    """torch.svd: V = Vh^T (a transpose, its own node), reduced unless some=False; compute_uv=False: zero U and V."""
    _older("svd")
    a = RNG.uniform(-2, 2, (2, 4, 3))
    for kwargs in [{}, {"some": False}, {"compute_uv": False}]:
        results = {}
        for fw in (torch, minigrad):
            x = fw.tensor(a, requires_grad=True)
            u, s, v = fw.svd(x, **kwargs)
            (s * _t(fw, W3)).sum().backward()
            results[fw] = u, s, v, x.grad
        for mine, theirs in zip(results[minigrad], results[torch]):
            assert tuple(mine.shape) == tuple(theirs.shape)
        assert_close(results[minigrad][1], results[torch][1])
        assert_close(results[minigrad][3], results[torch][3])
    assert_same_error(lambda fw: fw.svd(fw.ones(3)))


def test_older_qr_slogdet_logdet() -> None:
    _older("qr")
    _older("slogdet")
    _older("logdet")
    a = np.array([[[0.0, 1.0], [1.0, 0.0]], [[2.0, 1.0], [1.0, 2.0]], [[0.0, 0.0], [0.0, 1.0]]])
    for name, pick in [("slogdet", 1), ("logdet", None)]:
        grads = {}
        for fw in (torch, minigrad):
            x = fw.tensor(a, requires_grad=True)
            out = getattr(x, name)() if pick is None else getattr(fw, name)(x)[pick]
            out[1].backward()
            grads[fw] = out, x.grad
        assert_close(grads[minigrad][0], grads[torch][0])
        assert_close(grads[minigrad][1], grads[torch][1])
    for some in (True, False):
        (q_t, r_t), (q_m, r_m) = (fw.qr(fw.tensor(A43), some=some) for fw in (torch, minigrad))
        assert_close(q_m, q_t)
        assert_close(r_m, r_t)
    assert_same_error(lambda fw: fw.logdet(fw.ones(3, dtype=fw.int64)))
    assert_same_error(lambda fw: fw.logdet(fw.ones(2, 3, dtype=fw.int64)))
