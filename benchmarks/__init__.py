"""minigrad against PyTorch, in one process and interleaved: ``python -m benchmarks.run`` (see ``run.py``)."""
