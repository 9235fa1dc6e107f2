"""PyTorch's keyword names for functions' and methods' first arguments (``zeros_like(input=x)``, ``x.view(size=...)``,
``add(input=x, other=y)``), the numpy-named aliases (``multiply``, ``subtract``, ``divide``, ``true_divide``), and
``Tensor.storage()`` as Karpathy prints it: each does on minigrad what it does on PyTorch, found by running course
programs (Zero to Mastery PyTorch, makemore) on both."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

import minigrad

ROOT = Path(__file__).resolve().parent.parent


def _on(device: str, fw: Any) -> str:
    return device if fw is torch else "cpu"


def _m(fw: Any, dev: str) -> Any:
    return fw.arange(6.0, device=dev).view(2, 3)


# Each case: what a program computes, given the framework and the device torch's side runs on.
KEYWORD_CASES: dict[str, Callable[[Any, str], Any]] = {
    "zeros_like": lambda fw, dev: fw.zeros_like(input=_m(fw, dev)),
    "ones_like": lambda fw, dev: fw.ones_like(input=_m(fw, dev), dtype=fw.float64),
    "full_like": lambda fw, dev: fw.full_like(input=_m(fw, dev), fill_value=3),
    "empty_like-shape": lambda fw, dev: fw.empty_like(input=_m(fw, dev)).shape,
    "rand_like": lambda fw, dev: (fw.manual_seed(0), fw.rand_like(input=_m(fw, "cpu")))[1],
    "randn_like": lambda fw, dev: (fw.manual_seed(0), fw.randn_like(input=_m(fw, "cpu")))[1],
    "randint_like": lambda fw, dev: (fw.manual_seed(0), fw.randint_like(input=_m(fw, "cpu"), low=1, high=9))[1],
    "reshape": lambda fw, dev: fw.reshape(input=_m(fw, dev), shape=(3, 2)),
    "reshape-method": lambda fw, dev: _m(fw, dev).reshape(shape=(6,)),
    "view-method": lambda fw, dev: _m(fw, dev).view(size=(6,)),
    "view-list": lambda fw, dev: _m(fw, dev).view(size=[3, 2]),
    "permute": lambda fw, dev: fw.permute(input=_m(fw, dev), dims=(1, 0)),
    "permute-method": lambda fw, dev: _m(fw, dev).permute(dims=(1, 0)),
    "expand": lambda fw, dev: fw.ones(3, device=dev).expand(size=(2, 3)),
    "repeat": lambda fw, dev: _m(fw, dev).repeat(repeats=(2, 1)),
    "tile": lambda fw, dev: fw.tile(input=_m(fw, dev), dims=(2,)),
    "new_zeros": lambda fw, dev: _m(fw, dev).new_zeros(size=(2,)),
    "new_ones": lambda fw, dev: _m(fw, dev).new_ones(size=[1, 2]),
    "new_empty-shape": lambda fw, dev: _m(fw, dev).new_empty(size=(2, 2)).shape,
    "add": lambda fw, dev: fw.add(input=_m(fw, dev), other=1),
    "add-alpha": lambda fw, dev: fw.add(input=_m(fw, dev), other=_m(fw, dev), alpha=2),
    "sub": lambda fw, dev: fw.sub(input=_m(fw, dev), other=_m(fw, dev).flip(0)),
    "mul": lambda fw, dev: fw.mul(input=_m(fw, dev), other=2),
    "div": lambda fw, dev: fw.div(input=_m(fw, dev), other=4, rounding_mode="floor"),
    "methods-other": lambda fw, dev: [_m(fw, dev).add(other=1), _m(fw, dev).sub(other=1, alpha=3),
                                      _m(fw, dev).mul(other=2), _m(fw, dev).div(other=4)],
    "inplace-other": lambda fw, dev: [_m(fw, dev).add_(other=1), _m(fw, dev).sub_(other=1),
                                      _m(fw, dev).mul_(other=2), _m(fw, dev).div_(other=4)],
    "numel": lambda fw, dev: fw.numel(input=_m(fw, dev)),
    "is_floating_point": lambda fw, dev: fw.is_floating_point(input=_m(fw, dev)),
    "matmul": lambda fw, dev: fw.matmul(input=_m(fw, dev), other=_m(fw, dev).T),
    "where": lambda fw, dev: fw.where(condition=_m(fw, dev) > 2, input=_m(fw, dev), other=-1.0),
    "cat-stack": lambda fw, dev: [fw.cat(tensors=[_m(fw, dev)] * 2, dim=1), fw.stack(tensors=[_m(fw, dev)] * 2, dim=0)],
    "clamp": lambda fw, dev: fw.clamp(input=_m(fw, dev), min=1, max=4),
    "sum-mean": lambda fw, dev: [fw.sum(input=_m(fw, dev), dim=0), fw.mean(input=_m(fw, dev), dim=1, keepdim=True)],
    "eq": lambda fw, dev: fw.eq(input=_m(fw, dev), other=2.0),
    # the aliases
    "multiply": lambda fw, dev: [fw.multiply(_m(fw, dev), 2), fw.multiply(input=_m(fw, dev), other=_m(fw, dev))],
    "subtract": lambda fw, dev: [fw.subtract(_m(fw, dev), _m(fw, dev).flip(1), alpha=2),
                                 fw.subtract(input=_m(fw, dev), other=1)],
    "divide": lambda fw, dev: [fw.divide(_m(fw, dev), 4), fw.divide(input=_m(fw, dev), other=-4, rounding_mode="trunc"),
                               fw.divide(fw.arange(7, device=dev), 2, rounding_mode="floor")],
    "true_divide": lambda fw, dev: [fw.true_divide(fw.arange(5, device=dev), 2), fw.true_divide(input=_m(fw, dev),
                                                                                                 other=3)],
    "alias-methods": lambda fw, dev: [_m(fw, dev).multiply(other=3), _m(fw, dev).subtract(1, alpha=2),
                                      _m(fw, dev).divide(4, rounding_mode="floor"),
                                      fw.arange(3, device=dev).true_divide(2)],
    "alias-inplace": lambda fw, dev: [_m(fw, dev).multiply_(3), _m(fw, dev).subtract_(other=1, alpha=2),
                                      _m(fw, dev).divide_(4, rounding_mode="floor"), _m(fw, dev).true_divide_(other=4)],
    "alias-grad_fn": lambda fw, dev: [fw.multiply(fw.ones(2, device=dev, requires_grad=True), 3),
                                      fw.ones(2, device=dev, requires_grad=True).subtract(3, alpha=2),
                                      fw.ones(2, device=dev, requires_grad=True).divide(3),
                                      fw.true_divide(fw.ones(2, device=dev, requires_grad=True), 3)],
}


def _printed(value: Any) -> str:
    """What ``print`` shows, with the framework's name and the device suffix (torch's side on cuda) taken out."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_printed(v) for v in value) + "]"
    text = str(value.cpu()) if isinstance(value, torch.Tensor) else str(value)
    return text.replace("torch.", "").replace("minigrad.", "")


@pytest.mark.parametrize("case", sorted(KEYWORD_CASES))
def test_keyword_names_match_torch(case: str, device: str) -> None:
    """The same values (as printed, which includes dtype and grad_fn) from PyTorch's keyword names."""
    build = KEYWORD_CASES[case]
    expected, actual = (build(fw, _on(device, fw)) for fw in (torch, minigrad))
    assert _printed(actual) == _printed(expected)


SIZE_ERRORS = {
    "reshape-both": lambda fw: _m(fw, "cpu").reshape(6, shape=(6,)),
    "reshape-int": lambda fw: _m(fw, "cpu").reshape(shape=6),
    "permute-both": lambda fw: _m(fw, "cpu").permute(1, 0, dims=(1, 0)),
    "tile-int": lambda fw: _m(fw, "cpu").tile(dims=2),
    "new_zeros-int": lambda fw: _m(fw, "cpu").new_zeros(size=2),
    "zeros_like-twice": lambda fw: fw.zeros_like(_m(fw, "cpu"), input=_m(fw, "cpu")),
    "add-twice": lambda fw: fw.add(_m(fw, "cpu"), 1, input=_m(fw, "cpu")),
    "true_divide-rounding": lambda fw: fw.true_divide(_m(fw, "cpu"), 2, rounding_mode="floor"),
}


@pytest.mark.parametrize("case", sorted(SIZE_ERRORS))
def test_keyword_misuse_raises_torch_error_type(case: str) -> None:
    """Sizes given twice or as a number, an argument given twice: PyTorch's TypeError (its message, where both
    frameworks word it Python's way)."""
    with pytest.raises(TypeError) as expected:
        SIZE_ERRORS[case](torch)
    with pytest.raises(TypeError) as actual:
        SIZE_ERRORS[case](minigrad)
    if "got multiple values" in str(expected.value) or "must be tuple of ints" in str(expected.value):
        assert str(actual.value) == str(expected.value)


def test_view_keeps_its_positional_forms() -> None:
    """``view``'s existing forms, next to ``size=``: sizes, one tuple, -1, and the view shares memory."""
    for fw in (torch, minigrad):
        m = fw.arange(6).view(2, 3)
        assert m.view(3, 2).tolist() == m.view((3, 2)).tolist() == m.view(size=(3, -1)).tolist()
        assert m.view(-1).data_ptr() == m.view(size=(6,)).data_ptr() == m.data_ptr()
    with pytest.raises(TypeError):
        minigrad.arange(6).view(6, size=(6,))


# ----- storage ----------------------------------------------------------------------------------------------------
STORAGE_CASES: dict[str, Callable[[Any], Any]] = {
    "arange": lambda fw: fw.arange(6).storage(),
    "floats": lambda fw: fw.tensor([1.5, 2.0, -3.25, 1.123456789]).storage(),
    "float64-0d": lambda fw: fw.tensor(2.5, dtype=fw.float64).storage(),
    "bool": lambda fw: fw.tensor([True, False]).storage(),
    "uint8": lambda fw: fw.tensor([1, 255], dtype=fw.uint8).storage(),
    "view-row": lambda fw: fw.arange(6).view(2, 3)[1].storage(),
    "transposed": lambda fw: fw.arange(6.0).view(2, 3).t().storage(),
    "expanded": lambda fw: fw.ones(3).expand(2, 3).storage(),
    "empty": lambda fw: fw.tensor([]).storage(),
    "untyped": lambda fw: fw.arange(2, dtype=fw.int32).view(1, 2)[0].untyped_storage(),
}


@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
@pytest.mark.parametrize("case", sorted(STORAGE_CASES))
def test_storage_prints_like_torch(case: str) -> None:
    """Each element on its own line, then ``[minigrad.storage.TypedStorage(dtype=minigrad.int64, device=cpu) of
    size 6]`` where PyTorch prints ``torch.``: the whole memory, a view's included."""
    expected, actual = str(STORAGE_CASES[case](torch)), str(STORAGE_CASES[case](minigrad))
    assert actual == expected.replace("torch.", "minigrad.")


@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
def test_storage_reads_the_base_memory() -> None:
    """``len``, indexing (negative too, IndexError past the end), ``tolist``, iteration, ``data_ptr`` shared by a
    base's storage and its views', sizes in elements and bytes."""
    def facts(fw: Any) -> list[Any]:
        base = fw.arange(6).view(2, 3)
        row, s = base[1], base[1].storage()
        try:
            s[6]
            past = "no error"
        except IndexError as error:
            past = str(error)
        return [len(s), s.size(), s[1], type(s[1]).__name__, s[-1], s.tolist(), list(s), past,
                s.data_ptr() == base.storage().data_ptr() == base.data_ptr(), row.data_ptr() == s.data_ptr(),
                row.untyped_storage().data_ptr() == s.data_ptr(), s.element_size(), s.nbytes(),
                len(row.untyped_storage()), str(s.dtype).split(".")[-1], str(s.device)]
    assert facts(minigrad) == facts(torch)


@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
def test_storage_is_read_only() -> None:
    """A thin read-only view (PyTorch's storage is writable: minigrad's tensors are the one way to write memory)."""
    s = minigrad.arange(3).storage()
    with pytest.raises(TypeError):
        s[0] = 5  # type: ignore[index]
    assert minigrad.arange(3).storage().tolist() == torch.arange(3).storage().tolist()


_WARNING_PROGRAM = """
import warnings, {fw}
warnings.simplefilter("always")
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    s = {fw}.arange(6).storage()
    print(s)
    t = {fw}.ones(2).storage()
    len(t), t[0], t.tolist()
    {fw}.ones(2).untyped_storage()
for w in caught:
    print(w.category.__name__, w.filename == "<string>", w.lineno, w.message)
"""


def test_storage_warns_once_a_process_like_torch() -> None:
    """PyTorch's UserWarning "TypedStorage is deprecated. ...", the same text, at the caller's line, once in a
    process (none for ``untyped_storage``): run in a fresh process for each framework."""
    def run(fw: str) -> str:
        result = subprocess.run([sys.executable, "-c", _WARNING_PROGRAM.format(fw=fw)], cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout
    expected = run("torch")
    assert "TypedStorage is deprecated" in expected
    assert run("minigrad") == expected.replace("torch.", "minigrad.")
