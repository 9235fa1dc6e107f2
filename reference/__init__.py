"""PyTorch twins of minigrad's examples, for side-by-side runs and tests."""
