"""PyTorch-exact variants of kernels: what its CPU kernels compute, bit for bit (SLEEF, its orders of summation)."""
