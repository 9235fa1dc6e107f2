"""Which of PyTorch's per-CPU kernel builds this host runs: its vectors' width decides some results' bits."""

import functools
import os

import llvmlite.binding as llvm


@functools.cache
def vector_bytes() -> int:
    """The bytes in a vector of PyTorch's CPU kernels built per capability (sigmoid's is; its sum is AVX2 only).

    64 with AVX512 (the host has AVX512 VL, BW, DQ and FMA), 32 with AVX2 (AVX2 and FMA), else 0: the generic
    build, whose vectors use libm. ``ATEN_CPU_CAPABILITY`` (avx512, avx2, default) overrides it, as in PyTorch.
    """
    try:
        features = llvm.get_host_cpu_features()
    except RuntimeError:
        features = {}
    if all(features.get(f, False) for f in ("avx512vl", "avx512bw", "avx512dq", "fma")):
        hardware = "avx512"
    elif all(features.get(f, False) for f in ("avx2", "fma")):
        hardware = "avx2"
    else:
        hardware = "default"
    return {"avx512": 64, "avx2": 32}.get(os.environ.get("ATEN_CPU_CAPABILITY") or hardware, 0)  # empty: unset
