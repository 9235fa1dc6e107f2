"""The named tuples PyTorch's functions return (``torch.return_types``): ``x.max(dim)`` is a ``max`` of ``values``
and ``indices``, printed as PyTorch prints it, one field a line."""

from __future__ import annotations

from collections import namedtuple
from typing import Any


def _result_type(name: str, fields: tuple[str, ...]) -> type:
    """A tuple of ``fields`` named ``name``, as ``torch.return_types.<name>``."""
    def shown(self: Any) -> str:
        fields = ",\n".join(f"{field}={value!r}" for field, value in zip(self._fields, self))
        return f"minigrad.return_types.{name}(\n{fields})"

    return type(name, (namedtuple(name, fields),), {"__slots__": (), "__repr__": shown, "__module__": __name__})


max, min, sort, topk, kthvalue, median, mode, cummax, cummin = (  # noqa: A001
    _result_type(name, ("values", "indices"))
    for name in ("max", "min", "sort", "topk", "kthvalue", "median", "mode", "cummax", "cummin"))
histogram = _result_type("histogram", ("hist", "bin_edges"))
aminmax = _result_type("aminmax", ("min", "max"))
slogdet, linalg_slogdet = (_result_type(name, ("sign", "logabsdet")) for name in ("slogdet", "linalg_slogdet"))
qr, linalg_qr = (_result_type(name, ("Q", "R")) for name in ("qr", "linalg_qr"))
linalg_eigh = _result_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
svd = _result_type("svd", ("U", "S", "V"))  # torch.svd: A = U diag(S) V^T
linalg_svd = _result_type("linalg_svd", ("U", "S", "Vh"))  # torch.linalg.svd: A = U diag(S) Vh
linalg_lstsq = _result_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
