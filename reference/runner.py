"""Run a ``Program`` on either framework, one epoch at a time, recording what the comparison needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

import numpy as np

from .programs import Program


@dataclass
class Epoch:
    """One full-batch training step: the loss before the update, the accuracy, and the state after it."""

    epoch: int
    loss: float
    accuracy: float | None
    parameters: dict[str, np.ndarray]  # after the optimizer step
    gradients: dict[str, np.ndarray]  # the gradients that step used


def _numpy(t: object) -> np.ndarray:
    return t.detach().cpu().numpy().copy()  # type: ignore[attr-defined]


def train(program: Program, fw: ModuleType, device: str = "cpu") -> Iterator[Epoch]:
    """Train ``program`` on framework ``fw`` as the tutorial does, yielding every epoch 0..epochs.

    The loop is the tutorial's: forward, loss, zero_grad, backward, step; for classification, accuracy
    is the share of (hypothesis >= 0.5) that equals the target.
    """
    fw.manual_seed(program.seed)
    x, y = (t.to(device) for t in program.data(fw))
    model = program.model(fw).to(device)
    loss_fn = program.loss(fw)
    optimizer = program.optimizer(fw, model.parameters())
    for epoch in range(program.epochs + 1):
        hypothesis = model(x)
        loss = loss_fn(hypothesis, y)
        optimizer.zero_grad()
        loss.backward()
        gradients = {name: _numpy(p.grad) for name, p in model.named_parameters()}
        optimizer.step()
        accuracy = None
        if program.classification:
            prediction = hypothesis >= fw.FloatTensor([0.5]).to(device)
            correct = prediction.float() == y
            accuracy = correct.sum().item() / len(correct)
        parameters = {name: _numpy(p) for name, p in model.named_parameters()}
        yield Epoch(epoch, loss.item(), accuracy, parameters, gradients)
