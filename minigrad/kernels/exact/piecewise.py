"""Where PyTorch's CPU backward of huber_loss and smooth_l1_loss changes rounding: its loop takes the elements in
pairs of whole 32-byte vectors (16 float32s, 8 float64s), computing norm * slope * grad with the slope in the
operands' dtype, then the ones left over one at a time, taking the width as a double (measured against torch 2.13:
these backward kernels run their 32-byte build on AVX512 hosts too)."""

import numpy as np


def in_whole_vectors(n: int, dtype: np.dtype) -> int:
    """How many of ``n`` elements PyTorch's loop takes in pairs of whole vectors (the rest: one at a time)."""
    step = 64 // dtype.itemsize
    return n - n % step
