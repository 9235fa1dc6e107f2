"""Counting values: ``unique`` and ``unique_consecutive`` (the distinct values or slices, where each element went and
how often each occurs), ``bincount`` (how often each integer occurs) and ``histc`` (a histogram).

None of them is differentiable, and none is in the registry (they have no derivative formulas to cross-check).
PyTorch still records a node for unique's values, and for bincount's weighted counts, when the input requires grad:
the output requires grad, and backward through it raises PyTorch's error. The ops here do the same; histc records
nothing.
"""

import math

import numpy as np

from .. import errors
from .. import kernels as K
from ..autograd.engine import Context
from .dims import normalize_dim
from .registry import Op, Promotion

_EMPTY = np.zeros(0, np.int64)


def _unique(x: np.ndarray, dim: int | None, consecutive: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, inverse, counts) of the runs of equal elements of x (flattened), or of equal slices along ``dim``:
    sorted first (a stable sort, so each value is its first occurrence), unless ``consecutive``."""
    if dim is None:
        firsts, inverse, counts = K.unique_rows(K.copy(x).reshape(-1, 1), "given" if consecutive else "values")
        return K.gather(x, firsts), inverse.reshape(x.shape), counts
    if x.ndim == 0:
        raise errors.dim_of_0d(dim)
    axis = normalize_dim(dim, x.ndim)
    if x.size == 0:
        if x.shape[axis] != 0:
            raise errors.unique_unselected_zero_dims()
        if x.shape.count(0) != 1:
            raise errors.unique_zero_dims()
        return K.copy(x), _EMPTY, _EMPTY
    slices = K.copy(np.moveaxis(x, axis, 0))  # the slices along dim as the rows of a matrix
    firsts, inverse, counts = K.unique_rows(slices.reshape(x.shape[axis], -1), "given" if consecutive else "rows")
    return K.copy(np.moveaxis(K.index_select(slices, 0, firsts), 0, axis)), inverse, counts


class Unique(Op):
    """The distinct values of x in ascending order (or its distinct slices along ``dim``, in lexicographic order),
    where each element (or slice) went in them (``inverse``) and how often each occurs (``counts``)."""

    torch = "torch.unique"
    formulas = ("not differentiable (PyTorch records the op; its backward raises)",)
    promotion = Promotion.NONE
    grad_fn = "Unique2Backward0"

    @staticmethod
    def grad_fn_name(ctx: Context, x: np.ndarray, dim: int | None = None) -> str:
        return "Unique2Backward0" if dim is None else "UniqueDimBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ctx.function = "_unique2" if dim is None else "unique_dim"
        return _unique(x, dim, consecutive=False)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        raise errors.derivative_not_implemented(ctx.function)


class UniqueConsecutive(Op):
    """The first of each run of equal consecutive elements of x (or of equal consecutive slices along ``dim``), where
    each element (or slice) went (``inverse``) and each run's length (``counts``)."""

    torch = "torch.unique_consecutive"
    formulas = ("not differentiable (PyTorch records the op; its backward raises)",)
    promotion = Promotion.NONE
    grad_fn = "UniqueConsecutiveBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _unique(x, dim, consecutive=True)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        raise errors.derivative_not_implemented("unique_consecutive")


class Bincount(Op):
    """out[v] = how often v occurs in the 1-D non-negative integers x (the sum of their ``weights`` if given), for v
    up to max(x) or ``minlength`` - 1: int64 counts; float32 weights sum in float32, others in float64."""

    torch = "torch.bincount"
    formulas = ("not differentiable (PyTorch records the op when weights require grad; its backward raises)",)
    promotion = Promotion.NONE
    grad_fn = "NotImplemented"  # PyTorch's node for an op without a derivative

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weights: np.ndarray | None = None, minlength: int = 0) -> np.ndarray:
        if x.dtype.kind not in "iu":
            raise errors.not_implemented("bincount_cpu", x.dtype)
        if minlength < 0:
            raise errors.bincount_minlength()
        if x.ndim == 1 and x.size == 0:
            return np.zeros(minlength, np.int64)
        if x.ndim != 1 or x.min() < 0:
            raise errors.bincount_input()
        if weights is not None and (weights.ndim != 1 or weights.shape[0] != x.shape[0]):
            raise errors.bincount_weights()
        if weights is not None and weights.dtype != np.float32:
            weights = K.cast(weights, np.dtype(np.float64))
        return K.bincount(x, weights, max(int(x.max()) + 1, minlength))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, ...]:
        raise errors.bincount_no_derivative()


def _nan_of(x: np.ndarray) -> float:
    """The NaN PyTorch's min and max of float data holding NaNs give (as its message prints it): the element itself
    for one element, else the x86 default NaN, whose sign bit is set."""
    return float(x.reshape(-1)[0]) if x.size == 1 else -math.nan


class Histc(Op):
    """The counts of x's values in ``bins`` equal bins from ``min`` to ``max`` (x's own min and max when the two are
    equal; widened by 1 each way when those are equal too): a value on an inner edge goes to the bin on its right,
    ``max`` to the last bin; values outside, and NaNs, are not counted. Float inputs only."""

    torch = "torch.histc"
    formulas = ("not differentiable (a count)",)
    differentiable = False
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, bins: int = 100, min: float = 0, max: float = 0) -> np.ndarray:  # noqa: A002
        if bins <= 0:
            raise errors.histogram_bins(bins)
        low, high = float(min), float(max)
        if low == high and x.size:
            if x.dtype.kind == "f" and np.isnan(x).any():
                low = high = _nan_of(x)
            else:
                low, high = float(x.min()), float(x.max())
        if low == high:
            low, high = low - 1, high + 1
        if not (math.isfinite(low) and math.isfinite(high)):
            raise errors.histc_range(low, high)
        if not low < high:
            raise errors.histc_min_max()
        if x.dtype == np.bool_:
            raise errors.not_implemented("linspace_cpu", x.dtype)
        if x.dtype.kind != "f":
            raise errors.not_implemented("histogram_cpu", x.dtype)
        errors.check_scalar(low, x.dtype)  # the edges are PyTorch's linspace in x's dtype
        errors.check_scalar(high, x.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # a range wider than the dtype's: inf step, NaN edges
            edges = K.linspace(low, high, bins + 1, x.dtype)
        return K.histc(x, edges[0].reshape(()), edges[-1].reshape(()), bins)


class Histogram(Op):
    """The counts (or summed weights) of x's values in the bins between ``edges`` (a 1-D tensor), or in ``bins``
    equal bins spanning ``range`` (x's min and max when not given, widened by 0.5 each way when equal, [0, 1] for no
    values): a value on an inner edge goes to the bin on its right, the last edge to the last bin; values outside,
    and NaNs, are not counted. ``density`` divides each by the total and by its bin's width. Returns (hist, edges);
    float inputs only, not differentiable."""

    torch = "torch.histogram"
    formulas = ("not differentiable (a count)",)
    differentiable = False
    promotion = Promotion.NONE

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, bins: int = 100, range: tuple[float, float] | None = None,  # noqa: A002
                weight: np.ndarray | None = None, density: bool = False,
                edges: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        if x.dtype.kind != "f":
            raise errors.not_implemented("histogramdd", x.dtype)
        if edges is None:
            if bins <= 0:
                raise errors.histogram_bins(bins)
            low, high = (float(range[0]), float(range[1])) if range is not None else (
                (float(x.min()), float(x.max())) if x.size else (0.0, 1.0))
            if not (math.isfinite(low) and math.isfinite(high)):
                raise errors.histogram_range(low, high)
            if low > high:
                raise errors.histogram_min_max(low, high)
            if low == high:
                low, high = low - 0.5, high + 0.5
            edges = K.linspace(low, high, bins + 1, x.dtype)
            hist = K.histogram(x, weight, edges, linear=True)
        else:
            hist = K.histogram(x, weight, edges, linear=False)
        if density:
            total = K.scalar(K.sum(hist, (0,)).item(), hist.dtype)  # (PyTorch divides by the sum as a number)
            hist = K.div(K.div(hist, total), K.sub(edges[1:], edges[:-1]))
        return hist, edges
