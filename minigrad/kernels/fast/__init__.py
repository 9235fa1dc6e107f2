"""Speed variants of kernels: the same bits as the plain ones, faster (threads, a block cache, vectorized loops)."""
