"""What the picture scripts share: matplotlib without a display, and saving to the path given on the command line.

    python examples/pictures/gradient_descent.py OUT.png   # default: gradient_descent.png in the current directory
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # draw to files only: no window, no display needed

DPI = 110


def save(figure, script):
    """Write ``figure`` to argv[1], or to ``<script's name>.png`` in the current directory, and say where."""
    path = sys.argv[1] if len(sys.argv) > 1 else Path(script).stem + ".png"
    figure.savefig(path, dpi=DPI)
    print("saved", path)
