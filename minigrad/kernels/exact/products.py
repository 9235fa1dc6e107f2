"""Which matrix products PyTorch's CPU matmul (MKL) computes as plain sequential dots.

Each such product is rounded and then added (no fused multiply-add): 0 + a[i,0]*b[0,j] + a[i,1]*b[1,j] + ... .
Measured against torch 2.13 on an AMD host, that holds for inner sizes K <= 3 in every layout, and for a single row
(M = 1) times a C-contiguous matrix; it is what makes the seed's Linear layers bit-exact. On Intel hosts with AVX512
MKL fuses and reorders these too, except in its reproducible mode (MKL_CBWR=COMPATIBLE), where they are again these
sequential dots. Other products agree to rounding: MKL's blocking and FMAs cannot be reproduced, so they go to BLAS
(numpy), which is faster.
"""

import numpy as np

SEQUENTIAL_K = 3  # inner sizes up to which PyTorch's products are sequential dots, whatever the layout


def in_sequence(m: int, k: int, b: np.ndarray) -> bool:
    """Whether PyTorch sums the (m, k) @ ``b`` products in order: K <= 3, or one row times a C-contiguous ``b``."""
    return k <= SEQUENTIAL_K or (m == 1 and b.flags.c_contiguous)
