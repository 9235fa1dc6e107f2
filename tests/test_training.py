"""Whole training runs against PyTorch, epoch by epoch: the seed's programs and random small models."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
import torch
from conftest import DEVICES, assert_same_run, small_products_bit_exact

import minigrad
from reference.programs import PROGRAMS, autograd_cell
from reference.runner import train


def _assert_epochs_equal(ours, theirs, exact: bool) -> None:
    """Loss, gradients and parameters equal at every epoch: bit for bit, or to float32 rounding (rtol 1e-5)."""
    count = 0
    for a, b in zip(ours, theirs):
        assert_same_run(a.loss, b.loss, exact, err_msg=f"loss at epoch {a.epoch}")
        assert a.accuracy == b.accuracy, f"accuracy at epoch {a.epoch}"
        for kind in ("gradients", "parameters"):
            for name, value in getattr(a, kind).items():
                assert_same_run(value, getattr(b, kind)[name], exact, err_msg=f"{kind} {name} at epoch {a.epoch}")
        count += 1
    return count


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PROGRAMS)
def test_seed_program_matches_torch_at_every_epoch(name: str, device: str, kernels: str) -> None:
    """Bit-exact on the CPU (every loss, gradient and parameter of every epoch) where PyTorch's small products are
    sequential dots (small_products_bit_exact); to float32 rounding on a GPU or another host, and with the plain
    kernels (``use_exact_kernels(False)``)."""
    program = PROGRAMS[name]
    exact = device == "cpu" and small_products_bit_exact() and kernels == "exact"
    epochs = _assert_epochs_equal(train(program, minigrad), train(program, torch, device), exact)
    assert epochs == program.epochs + 1


def test_seed_autograd_cell_matches_torch() -> None:
    ours, theirs = autograd_cell(minigrad), autograd_cell(torch)
    assert {k: v.item() for k, v in ours.items()} == {k: v.item() for k, v in theirs.items()} == {
        "y": 4.0, "z": 13.0, "w.grad": 8.0}


@dataclass(frozen=True)
class RandomModel:
    """A small MLP problem: widths, activation, loss and SGD options, all from one seed.

    ``tiny`` keeps every matrix product's inner size at 3 or less and leaves out tanh: the regime in which
    PyTorch's arithmetic is known exactly (its larger MKL products and its MKL tanh are not reproducible).
    """

    seed: int
    tiny: bool = False

    def spec(self) -> dict:
        rng = np.random.default_rng(self.seed)
        depth = int(rng.integers(1, 4))
        most = 4 if self.tiny else 17
        return {
            "widths": [int(w) for w in rng.integers(1, most, depth + 1)],
            "batch": int(rng.integers(1, 4 if self.tiny else 9)),
            "activation": str(rng.choice(["Sigmoid", "ReLU"] if self.tiny else ["Sigmoid", "ReLU", "Tanh"])),
            "loss": str(rng.choice(["mse", "bce"])),
            "momentum": float(rng.choice([0.0, 0.9])),
            "weight_decay": float(rng.choice([0.0, 0.01])),
            "lr": float(rng.choice([0.01, 0.1])),
        }

    def run(self, fw, steps: int = 50) -> list[tuple[float, list[np.ndarray]]]:
        spec = self.spec()
        fw.manual_seed(self.seed)
        layers = []
        widths = spec["widths"]
        for i, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
            layers.append(fw.nn.Linear(fan_in, fan_out))
            if i < len(widths) - 2:
                layers.append(getattr(fw.nn, spec["activation"])())
        model = fw.nn.Sequential(*layers)
        x = fw.randn(spec["batch"], widths[0])
        if spec["loss"] == "bce":
            y = (fw.rand(spec["batch"], widths[-1]) > 0.5).float()
            loss_fn = lambda h, t: fw.nn.functional.binary_cross_entropy(h.sigmoid(), t)  # noqa: E731
        else:
            y = fw.randn(spec["batch"], widths[-1])
            loss_fn = fw.nn.functional.mse_loss
        optimizer = fw.optim.SGD(model.parameters(), lr=spec["lr"], momentum=spec["momentum"],
                                 weight_decay=spec["weight_decay"])
        trajectory = []
        for _ in range(steps):
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            trajectory.append((loss.item(), [p.detach().numpy().copy() for p in model.parameters()]))
        return trajectory


@pytest.mark.parametrize("seed", range(40))
def test_tiny_random_model_trajectory_is_bit_exact_where_products_are(seed: int) -> None:
    """50 SGD steps of a random MLP with widths and batch of 1-3: every loss and parameter equals PyTorch's, bit for
    bit where its small products are sequential dots (small_products_bit_exact), else to float32 rounding."""
    problem = RandomModel(seed, tiny=True)
    ours, theirs = problem.run(minigrad), problem.run(torch)
    exact = small_products_bit_exact()
    for step, ((loss_a, params_a), (loss_b, params_b)) in enumerate(zip(ours, theirs)):
        assert_same_run(loss_a, loss_b, exact, err_msg=f"{problem.spec()}: loss at step {step}")
        for a, b in zip(params_a, params_b):
            assert_same_run(a, b, exact, err_msg=f"{problem.spec()} step {step}")


@pytest.mark.parametrize("seed", range(40))
def test_random_model_trajectory_matches_torch(seed: int) -> None:
    """50 SGD steps of a random MLP equal PyTorch's, to float32 rounding (rtol 1e-5) at every step.

    Not bit-exact in general: PyTorch's matrix products with K > 3 (MKL) and its tanh (MKL VML) round
    in ways that cannot be reproduced, so the trajectories agree to float32 rounding, compounded.
    """
    problem = RandomModel(seed)
    ours, theirs = problem.run(minigrad), problem.run(torch)
    for step, ((loss_a, params_a), (loss_b, params_b)) in enumerate(zip(ours, theirs)):
        assert_same_run(loss_a, loss_b, exact=False, err_msg=f"loss at step {step}")
        for a, b in zip(params_a, params_b):
            assert_same_run(a, b, exact=False, err_msg=f"{problem.spec()} step {step}")
