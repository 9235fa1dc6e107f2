"""Dimension arguments: negative dims, ranges and PyTorch's errors for them."""

from collections.abc import Sequence

from .. import errors


def normalize_dim(dim: int, ndim: int) -> int:
    """``dim`` as a non-negative axis of a tensor with ``ndim`` dims (a 0-d tensor accepts 0 and -1)."""
    span = max(ndim, 1)
    if not -span <= dim < span:
        raise errors.dim_out_of_range(dim, span)
    return dim % span if ndim else 0


def normalize_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """The sorted axes named by ``dim`` (all of them when None); a repeated dim is an error."""
    if dim is None:
        return tuple(range(ndim))
    dims = [dim] if isinstance(dim, int) else list(dim)
    axes = tuple(sorted(normalize_dim(d, ndim) for d in dims)) if ndim else ()
    if len(set(axes)) != len(axes):
        raise errors.dim_repeated(dims)
    return axes
