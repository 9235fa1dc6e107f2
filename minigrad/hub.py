"""``minigrad.hub``: PyTorch's ``load_state_dict_from_url``, for local files only.

minigrad downloads nothing: a URL of a local file (a path, or ``file://``) loads through ``minigrad.load``; any
other URL is refused, saying to download the file and load its local path. (A checkpoint must be in minigrad's
format, written by ``minigrad.save``: PyTorch's pickled ``.pth`` files are not.)
"""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from typing import Any

from .serialization import load

__all__ = ["load_state_dict_from_url"]


def _local_path(url: str) -> str | None:
    """The path a ``file://`` URL or a plain path names; None for a URL of any other scheme."""
    parts = urllib.parse.urlparse(url)
    if parts.scheme == "file":
        return urllib.request.url2pathname(parts.netloc + parts.path) if parts.netloc else \
            urllib.request.url2pathname(parts.path)
    if parts.scheme == "" or (len(parts.scheme) == 1 and os.name == "nt"):  # a path (a drive letter on Windows)
        return url
    return None


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location: Any = None,
                             progress: bool = True, check_hash: bool = False, file_name: str | None = None,
                             weights_only: bool = False) -> Any:
    """The object saved at ``url``, which must name a local file (a path, or a ``file://`` URL): minigrad downloads
    nothing. ``model_dir``, ``progress``, ``check_hash`` and ``file_name`` concern downloads and are ignored;
    ``map_location`` and ``weights_only`` go to ``minigrad.load``."""
    path = _local_path(os.fspath(url))
    if path is None:
        raise RuntimeError(f"minigrad downloads nothing, so it cannot load {url}: download the file yourself, then "
                           "pass its local path to minigrad.load (or to load_state_dict_from_url). The file must be "
                           "one minigrad.save wrote; PyTorch's .pth files are not in minigrad's format.")
    return load(path, map_location=map_location, weights_only=weights_only)
