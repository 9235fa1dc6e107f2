"""minigrad against PyTorch, in one process and interleaved: ``python -m benchmarks.run`` (see ``run.py``)."""

import os

# numpy's OpenBLAS workers otherwise spin for about 0.1 s after each product (2^28 cycles), on the cores PyTorch's
# next sample needs: its 2-thread MLP step then measured 4-55 ms instead of its 2.0-2.3 ms alone. 2^20 cycles
# (under a millisecond): they still spin between the products of one step, and sleep before the other framework's
# turn. Read when numpy loads OpenBLAS, so set before anything imports numpy; a value already set is kept.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")
