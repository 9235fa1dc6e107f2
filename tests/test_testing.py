"""minigrad.testing.assert_close against torch.testing.assert_close: what passes, and each failure's type and text."""

from __future__ import annotations

import math

import pytest
import torch
from conftest import outcome

import minigrad

CASES = [
    lambda fw: fw.testing.assert_close(fw.tensor([1.0, 2.0]), fw.tensor([1.0, 2.0000001])),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0, 2.0, 3.0]), fw.tensor([1.0, 2.1, 3.5])),
    lambda fw: fw.testing.assert_close(fw.tensor([[1, 2], [3, 4]]), fw.tensor([[1, 2], [3, 5]])),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0]), fw.tensor([1.0], dtype=fw.float64)),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0]), fw.tensor([1.0, 2.0])),
    lambda fw: fw.testing.assert_close(1.0, 1.1),
    lambda fw: fw.testing.assert_close(1, 1),
    lambda fw: fw.testing.assert_close(fw.tensor([math.nan]), fw.tensor([math.nan])),
    lambda fw: fw.testing.assert_close(fw.tensor([math.nan, math.inf]), fw.tensor([math.nan, math.inf]),
                                       equal_nan=True),
    lambda fw: fw.testing.assert_close([fw.tensor(1.0), fw.tensor(2.0)], [fw.tensor(1.0), fw.tensor(2.5)]),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0]), fw.tensor([1.5]), rtol=0, atol=0.1, msg="custom"),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0]), fw.tensor([1.5]), rtol=0),
    lambda fw: fw.testing.assert_close(fw.tensor(1.0), fw.tensor(1.2)),
    lambda fw: fw.testing.assert_close(fw.tensor([1, 2]), fw.tensor([1.0, 2.0]), check_dtype=False),
    lambda fw: fw.testing.assert_close(fw.tensor([1, 2]), fw.tensor([1.0, 2.5]), check_dtype=False),
    lambda fw: fw.testing.assert_close({"a": fw.tensor(1.0)}, {"a": fw.tensor(2.0)}),
    lambda fw: fw.testing.assert_close({"a": fw.tensor(1.0), "b": 1}, {"a": fw.tensor(1.0), "c": 2}),
    lambda fw: fw.testing.assert_close([1, 2], [1, 2, 3]),
    lambda fw: fw.testing.assert_close(fw.tensor([1.0, 2.0, 3.0]), fw.tensor([1.0, 2.1, 3.0]) + 1e-9),
    lambda fw: fw.testing.assert_close(fw.ones(2, 3, dtype=fw.float64), fw.ones(2, 3, dtype=fw.float64) * 1.001),
    lambda fw: fw.testing.assert_close(fw.tensor([0.0, 1.0]), fw.tensor([0.0, 0.0])),
    lambda fw: fw.testing.assert_close(fw.tensor([True, False]), fw.tensor([True, True])),
    lambda fw: fw.testing.assert_close(fw.ones(2, requires_grad=True) * 2, fw.full((2,), 2.0)),
    lambda fw: fw.testing.assert_close(fw.tensor([2.0], dtype=fw.float16), fw.tensor([2.001], dtype=fw.float16)),
]


@pytest.mark.parametrize("case", CASES)
def test_assert_close_as_pytorchs(case) -> None:
    """Both pass, or both raise the same error with the same text (minigrad's names read as torch's)."""
    (_, ours), (_, theirs) = outcome(case, minigrad), outcome(case, torch)
    assert type(ours) is type(theirs)
    if theirs is not None:
        assert str(ours).replace("minigrad", "torch") == str(theirs)
