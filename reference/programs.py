"""The seed tutorial's programs, each written once as a description that runs on either framework.

A description says what to build and how to train it, as functions of the framework module ``fw``
(``torch`` or ``minigrad``: their APIs are the same), so one description gives a program and its twin:

    data(fw) -> (x, y)         the training set
    model(fw) -> module        built right after ``fw.manual_seed(seed)``, so both draw the same weights
    loss(fw) -> fn(h, y)       the loss function
    optimizer(fw, params)      the optimizer
    epochs, log_every          full-batch epochs 0..epochs; which ones the tutorial prints
    classification             report accuracy (prediction >= 0.5) as the tutorial does
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Program:
    """A training program: data, model, loss, optimizer, schedule and logging, for any framework ``fw``."""

    name: str
    title: str
    seed: int
    data: Callable[[ModuleType], tuple[Any, Any]]
    model: Callable[[ModuleType], Any]
    loss: Callable[[ModuleType], Callable[[Any, Any], Any]]
    optimizer: Callable[[ModuleType, Any], Any]
    optimizer_text: str
    epochs: int
    log_every: int
    classification: bool = False


LINEAR_REGRESSION = Program(
    name="linear_regression",
    title="the seed's linear regression: H(x) = Wx + b on y = 2x, MSE, SGD(lr=0.01)",
    seed=777,
    data=lambda fw: (fw.FloatTensor([[1], [2], [3]]), fw.FloatTensor([[2], [4], [6]])),
    model=lambda fw: fw.nn.Linear(1, 1),
    loss=lambda fw: fw.nn.functional.mse_loss,
    optimizer=lambda fw, params: fw.optim.SGD(params, lr=0.01),
    optimizer_text="SGD(lr=0.01)",
    epochs=2000,
    log_every=100,
)

LOGISTIC_REGRESSION = Program(
    name="logistic_regression",
    title="the seed's logistic regression: H(x) = sigmoid(Wx + b), binary cross-entropy, SGD(lr=1)",
    seed=777,
    data=lambda fw: (
        fw.FloatTensor([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]),
        fw.FloatTensor([[0], [0], [0], [1], [1], [1]]),
    ),
    model=lambda fw: fw.nn.Sequential(fw.nn.Linear(2, 1), fw.nn.Sigmoid()),
    loss=lambda fw: fw.nn.functional.binary_cross_entropy,
    optimizer=lambda fw, params: fw.optim.SGD(params, lr=1),
    optimizer_text="SGD(lr=1)",
    epochs=1000,
    log_every=10,
    classification=True,
)

PROGRAMS = {program.name: program for program in (LINEAR_REGRESSION, LOGISTIC_REGRESSION)}


def autograd_cell(fw: ModuleType) -> dict[str, Any]:
    """The seed's autograd cell: y = w^2, z = 2y + 5 at w = 2; backward gives dz/dw = 2 * 2w = 8."""
    w = fw.tensor(2.0, requires_grad=True)
    y = w**2
    z = 2 * y + 5
    z.backward()
    return {"y": y, "z": z, "w.grad": w.grad}
