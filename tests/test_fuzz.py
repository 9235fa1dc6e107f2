"""Differential fuzzing against torch: random programs of up to 10 ops, forward and backward, on both frameworks.

A program is a starting tensor ``x`` and a chain of steps; each step applies one op of the registry to the
current tensor ``H`` (every differentiable op has a generator below, ``GENERATORS``), with whatever else the op
takes drawn at random: a second tensor of a broadcastable shape and maybe another dtype (a leaf that requires
grad when it is a float), a Python number, dims, shapes, index keys, class targets. Shapes are 0-d to 3-d (size-0
and size-1 dims included) and inputs may be non-contiguous views; dtypes are float32 and float64, with int32,
int64, uint8 and bool where ops take them; values mix ordinary numbers with 0, -0.0, +-1e-30, subnormals, +-1e4,
+-1e30, the overflow edges of exp, +-inf and NaN. Steps go through each op's ``torch`` path (``torch.add``,
``torch.Tensor.view``, ...) resolved under ``torch`` and under ``minigrad``, or through Python's operators
(``2.0 - H``, ``H ** T``), so Tensor's dunder methods are fuzzed too. A tensor may meet itself (``H * H``,
``cat([H, H])``), so its gradient adds up from two uses.

**What is compared, and how.** Each program runs on torch (CPU, one thread), then on minigrad in lockstep:

- forward: every step's output against torch's: same shape and dtype, NaN exactly where torch has NaN, the same
  infinities (same sign), the same sign of zero (1 / x turns it into an infinity's), and finite values within the
  suite's tolerance (``conftest.TOLERANCES``: ``|a - b| <= atol + rtol |b|``; integers and bools exactly);
- backward, under the same random cotangent: the gradient arriving at every step's output, and every leaf's
  gradient, compared the same way, but for the sign of zero (a gradient is only ever scaled and added, where
  -0.0 and 0.0 are the same);
- errors: where torch raises (forward or backward), minigrad raises the same exception type at the same step,
  and never where torch does not. A numpy ``RuntimeWarning`` from minigrad (overflow or invalid value in an
  ``np.*`` call on data) is an error too: nothing may go wrong silently.

Lockstep means each step starts from torch's values: after a step's output is checked, the bits minigrad
computed are replaced by torch's where they differ (in place, so strides and saved arrays stay), and in backward
each node receives torch's gradient for its output. Every comparison then measures one op's rounding, never the
amplification of a last-bit difference by the rest of the chain (exp of a value 1 ulp apart near the overflow edge
is finite in one framework and inf in the other; ``a - b`` of two nearly equal values turns 1 ulp into 100%). The
sign of zero is not compared where torch itself leaves it to the code path it picks (``ZERO_SIGN_UNSPECIFIED``).

**Free-running, with a tolerance that grows with the chain** (``check_free_running``, the same programs in
``test_free_running_programs``): the forward runs on each framework's own values from start to end, and the
backward runs each framework's own gradients from the cotangent back to the leaves (on the synced forward). The
last output and every leaf's gradient must agree within ``growth_factor`` = 2 (steps + 1) times the suite's
tolerance, in float32 and float64 alike: each step may add its own rounding difference, as large as lockstep
allows (torch's exp/log/tanh are MKL VML and not correctly rounded; matmul sums in another order), and the chain
carries the earlier ones along. Carrying is not amplifying, though: a - b, exp near overflow or a product near
underflow turn a last-bit difference into any difference at all, and no tolerance would be right for them. So each
half is only compared where torch itself shows the program is well conditioned: nudging every step (its output for
the forward, the gradient reaching it for the backward) by one to two rtols moves torch's result by less than half
the grown tolerance and keeps its NaN and inf pattern. The others are counted as "ill-conditioned" (see
``pytest --hypothesis-show-statistics``: about 1% of the programs; about 55% are compared each way, the rest raise
in both frameworks, which lockstep checks, or have no gradient).

Profiles: CI runs ``CI_EXAMPLES`` programs, derandomized (the same ones every run). The long profile is the
``fuzz`` marker: ``MINIGRAD_FUZZ_EXAMPLES=5000 pytest -m fuzz tests/test_fuzz.py`` (random, not derandomized;
hypothesis prints the failing program as code to paste into ``REGRESSIONS``).

Every bug the fuzzer found is a regression program in ``REGRESSIONS``, run on every test run. What the generator
leaves out, and why, is said where it happens (look for "Constrained"): in short, where torch's own result depends
on its code path (pow's number exponent as a double or a float, bmm skipping its dtype check on an empty product),
on a torch quirk (bools in pow, expand() of a 0-d tensor without sizes), on undefined behaviour (float to integer
conversion of inf or NaN, duplicate scatter indices), or on a difference reported to the lead instead of fixed here
(``number / tensor`` is ``reciprocal() * number`` in torch; torch's elementwise ops keep their input's memory order,
which decides where view() works; Tensor.scatter's value is converted before the op can check it).
"""

from __future__ import annotations

import importlib
import math
import operator
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch
from conftest import TOLERANCES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from op_cases import resolve

import minigrad
from minigrad import higher_order
from minigrad.ops.registry import REGISTRY

inf, nan = math.inf, math.nan  # failing programs print as code that uses these names

CI_EXAMPLES = 400
LONG_EXAMPLES = int(os.environ.get("MINIGRAD_FUZZ_EXAMPLES", "5000"))
MAX_STEPS = 10
MAX_NUMEL = 64  # a step whose output would be larger ends the program (keeps each program fast)
ERRORS = (RuntimeError, IndexError, ValueError, TypeError)  # NotImplementedError is a RuntimeError


# ----- programs as data ----------------------------------------------------------------------------------------------
def _number_repr(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return repr(bool(v))
    if isinstance(v, (int, np.integer)):
        return repr(int(v))
    return repr(float(v))  # 'inf', 'nan' and '-inf' read back through the module's names


class Arr:
    """A tensor built alike in both frameworks from ``values`` (a numpy array, whose dtype it keeps).

    ``grad``: a leaf that requires grad (floats only); ``strided``: the op sees it through a non-contiguous view
    of a larger leaf (every other element of a 1-d one, the transpose of the last two dims otherwise).
    """

    def __init__(self, values: Any, dtype: str, shape: tuple[int, ...], grad: bool = False, strided: bool = False):
        self.values = np.array(values, dtype=np.float64 if dtype.startswith("float") else dtype).astype(dtype)
        self.values = self.values.reshape(shape)
        self.grad = grad and self.values.dtype.kind == "f"
        self.strided = strided and self.values.ndim > 0

    def __repr__(self) -> str:
        items = ", ".join(_number_repr(v) for v in self.values.reshape(-1).tolist())
        extra = (", grad=True" if self.grad else "") + (", strided=True" if self.strided else "")
        return f"Arr([{items}], {self.values.dtype.name!r}, {self.values.shape}{extra})"

    def build(self, fw: Any, leaves: list[Any]) -> Any:
        """The tensor (a view of the leaf when ``strided``); a leaf that requires grad joins ``leaves``."""
        x = self.values
        if not self.strided:
            leaf = fw.tensor(x, requires_grad=self.grad)
            view = leaf
        elif x.ndim == 1:
            base = np.zeros(2 * x.shape[0], dtype=x.dtype)
            base[::2] = x
            leaf = fw.tensor(base, requires_grad=self.grad)
            view = leaf[::2]
        else:
            leaf = fw.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2)), requires_grad=self.grad)
            view = leaf.transpose(-1, -2)
        if self.grad:
            leaves.append(leaf)
        return view


class _Current:
    """The current tensor of the chain, as an argument of a step."""

    def __repr__(self) -> str:
        return "H"


H = _Current()


@dataclass(frozen=True)
class Dt:
    """A dtype argument, built for each framework (``torch.float64`` or ``minigrad.float64``)."""

    name: str


@dataclass(frozen=True, eq=False)
class Step:
    """``fn(*args, **kwargs)``: ``op`` names the registry op the step exercises, ``fn`` a dotted path that resolves
    under torch and minigrad (the op's own ``torch`` path, or ``operator.*`` for Python's operators); ``pick`` keeps
    one output of a call that returns a tuple (max along a dim)."""

    op: str
    fn: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    pick: int | None = None

    def __repr__(self) -> str:
        parts = [repr(self.op), repr(self.fn), repr(self.args)]
        if self.kwargs:
            parts.append(f"kwargs={self.kwargs!r}")
        if self.pick is not None:
            parts.append(f"pick={self.pick}")
        return f"Step({', '.join(parts)})"


@dataclass(frozen=True, eq=False)
class Program:
    """Steps applied in turn to ``x``; backward from the last output with a standard normal cotangent from
    ``seed``."""

    x: Arr
    steps: tuple[Step, ...]
    seed: int = 0


def _build(arg: Any, fw: Any, current: Any, leaves: list[Any]) -> Any:
    if arg is H:
        return current
    if isinstance(arg, Arr):
        return arg.build(fw, leaves)
    if isinstance(arg, Dt):
        return getattr(fw, arg.name)
    if isinstance(arg, (tuple, list)):
        return type(arg)(_build(a, fw, current, leaves) for a in arg)
    return arg


def _callable(path: str, fw: Any) -> Callable[..., Any]:
    return getattr(operator, path.split(".")[1]) if path.startswith("operator.") else resolve(path, fw)


def apply_step(fw: Any, step: Step, current: Any, leaves: list[Any]) -> Any:
    args = _build(step.args, fw, current, leaves)
    kwargs = {k: _build(v, fw, current, leaves) for k, v in step.kwargs.items()}
    out = _callable(step.fn, fw)(*args, **kwargs)
    return out[step.pick] if step.pick is not None else out


# ----- running a program ----------------------------------------------------------------------------------------------
@dataclass
class Run:
    outputs: list[Any] = field(default_factory=list)  # each step's output tensor
    values: list[np.ndarray] = field(default_factory=list)  # and its values when it was made
    leaves: list[Any] = field(default_factory=list)
    error: BaseException | None = None
    error_step: int | None = None  # the step that raised; len(steps) for backward


def _numpy(t: Any) -> np.ndarray:
    return np.array(t.detach().numpy(), copy=True)


def cotangent(program: Program, out: Any) -> np.ndarray:
    return np.random.default_rng(program.seed).standard_normal(tuple(out.shape)).astype(_numpy(out).dtype)


def run(fw: Any, program: Program, after_step: Callable[[int, Any], Any] | None = None) -> Run:
    """Run the program on ``fw``; ``after_step(k, output)`` sees each step's output as it is made (and replaces it
    for the next step when it returns a tensor)."""
    result = Run()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PyTorch's deprecation and broadcast notes, in both
        if fw is minigrad:
            warnings.simplefilter("error", RuntimeWarning)
        current = program.x.build(fw, result.leaves)
        for k, step in enumerate(program.steps):
            try:
                current = apply_step(fw, step, current, result.leaves)
            except ERRORS as error:
                result.error, result.error_step = error, k
                return result
            result.outputs.append(current)
            result.values.append(_numpy(current))
            if after_step is not None:
                replaced = after_step(k, current)
                current = current if replaced is None else replaced
        if isinstance(current, (torch.Tensor, minigrad.Tensor)) and current.requires_grad:
            try:
                current.backward(fw.tensor(cotangent(program, current)))
            except ERRORS as error:
                result.error, result.error_step = error, len(program.steps)
    return result


# ----- comparing -----------------------------------------------------------------------------------------------------
def mismatches(actual: np.ndarray, expected: np.ndarray, scale: float = 1.0, signed_zeros: bool = True) -> list[str]:
    """Where ``actual`` differs from ``expected``: NaN pattern, infinities, zero signs, finite values beyond
    ``scale`` times the dtype's tolerance (exact for integers and bools). An empty list when they match."""
    if actual.shape != expected.shape:
        return [f"shape {actual.shape} != {expected.shape}"]
    if actual.dtype != expected.dtype:
        return [f"dtype {actual.dtype} != {expected.dtype}"]
    a, e = actual.reshape(-1), expected.reshape(-1)
    if a.dtype.kind != "f":
        bad = a != e
    else:
        rtol, atol = TOLERANCES[a.dtype.name]
        a64, e64 = a.astype(np.float64), e.astype(np.float64)
        with np.errstate(all="ignore"):
            close = np.abs(a64 - e64) <= scale * (atol + rtol * np.abs(e64))
        finite = np.isfinite(a) & np.isfinite(e)
        bad = np.isnan(a) != np.isnan(e)
        bad |= (np.isinf(a) | np.isinf(e)) & (a != e)
        bad |= finite & ~close
        if signed_zeros:
            bad |= (a == 0) & (e == 0) & (np.signbit(a) != np.signbit(e))
    where = np.flatnonzero(bad)
    return [f"[{np.unravel_index(i, actual.shape) if actual.ndim else ()}] minigrad {a[i]!r}, torch {e[i]!r}"
            for i in where[:6]] + ([f"... {where.size - 6} more"] if where.size > 6 else [])


# Ops whose sign of a zero result torch leaves to the code path it picks: maximum(0.0, -0.0) is 0.0 in its scalar
# loop and -0.0 in its AVX lanes (vmaxps returns the second operand on ties), so it depends on the tensor's size; a
# matrix product of zeros is -0.0 or 0.0 by the BLAS routine MKL picks ((2, 1) @ (1, 3) gives -0.0, (1, 1) @ (1, 1)
# gives 0.0); max() over everything is a vector reduction too (max of [0.0, -0.0] is -0.0), and so is aminmax (both
# of [0.0, -0.0] are -0.0), and clamp with tensor bounds is maximum then minimum; einsum reduces to such a
# product or to a sum by its contraction (a,a of [-0.0] and [0.0] is -0.0 in torch); the other products are BLAS's
# too (addmm with beta=0 of zeros: 0.0 in torch); cross's a1 b2 - a2 b1 is one fused multiply-add in torch's compiled
# kernel (a product that underflows keeps its sign through it). Their values are compared as usual.
ZERO_SIGN_UNSPECIFIED = {"Maximum", "Minimum", "ClampTensor", "Max", "Min", "Aminmax", "Matmul", "Linear", "Einsum",
                         "Mm", "Bmm", "Mv", "Dot", "Vdot", "Addmm", "Addmv", "Baddbmm", "Cross"}


def _fail(program: Program, what: str, problems: list[str]) -> None:
    if problems:
        raise AssertionError(f"{what}: " + "; ".join(problems) + f"\nprogram: {program!r}")


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    if a.dtype.kind != "f":
        return bool(np.array_equal(a, b))
    both_nan = np.isnan(a) & np.isnan(b)
    return bool(np.all(both_nan | ((a == b) & (np.signbit(a) == np.signbit(b)))))


def _sync(t: minigrad.Tensor, values: np.ndarray) -> None:
    """Make ``t`` hold torch's ``values``: in place when its array is writable (its saved copies follow), else anew."""
    if _same_bits(t._data, values):
        return
    if t._data.flags.writeable:
        np.copyto(t._data, values)
    else:
        t.data = minigrad.tensor(values)


class _Feed:
    """Backward in lockstep: each output's node runs on torch's gradient for that output, and the gradient minigrad
    sent it is kept (``received[k]``) for comparing."""

    def __init__(self) -> None:
        self.received: dict[int, list[np.ndarray]] = {}
        self.nodes: dict[int, tuple[int, Callable[..., Any]]] = {}  # id(node) -> (step, its own apply)

    def attach(self, k: int, node: Any, expected: np.ndarray, output: int = 0) -> None:
        """``output``: which output of ``node`` the step's is, for a node with several (``node.outputs``)."""
        if id(node) in self.nodes:  # the step returned its input (x.to(x.dtype)): one node, the later step's grad
            earlier, apply = self.nodes.pop(id(node))
            del self.received[earlier]
        else:
            apply = node.apply
        seen: list[np.ndarray] = []
        self.received[k] = seen
        self.nodes[id(node)] = (k, apply)

        def synced(grad: Any) -> tuple[np.ndarray | None, ...]:
            if not node.outputs:
                seen.append(np.array(grad, copy=True))
                return apply(np.array(expected, copy=True))
            # several outputs: the step's gets torch's gradient; the others (no later step uses them) get none
            seen.append(np.array(grad[output], copy=True))
            return apply([np.array(expected, copy=True) if i == output else None for i in range(len(node.outputs))])

        node.apply = synced


def check_lockstep(program: Program) -> None:
    """The program on torch, then on minigrad step by step from torch's values and gradients: see the module doc."""
    retained: list[Any] = []

    def retain(k: int, out: torch.Tensor) -> None:
        retained.append(out)
        if out.requires_grad and out.grad_fn is not None:
            out.retain_grad()

    expected = run(torch, program, retain)
    grads = [None if t.grad_fn is None or t.grad is None else _numpy(t.grad) for t in retained]
    for k in range(len(retained) - 1):  # an in-place step returns the tensor it wrote: torch's .grad is the later one
        if retained[k] is retained[k + 1]:
            grads[k] = None
    feed = _Feed()

    def check_and_sync(k: int, out: minigrad.Tensor) -> None:
        what = f"step {k} ({program.steps[k].op})"
        if k >= len(expected.values):
            raise AssertionError(f"{what}: torch raised {expected.error!r}, minigrad did not\nprogram: {program!r}")
        signed_zeros = program.steps[k].op not in ZERO_SIGN_UNSPECIFIED
        _fail(program, f"{what} output", mismatches(_numpy(out), expected.values[k], signed_zeros=signed_zeros))
        assert out.requires_grad == retained[k].requires_grad, f"{what}: requires_grad differs\nprogram: {program!r}"
        _sync(out, expected.values[k])
        if grads[k] is not None and out.grad_fn is not None:
            feed.attach(k, out.grad_fn, grads[k], out._output_nr)

    actual = run(minigrad, program, check_and_sync)
    if expected.error is not None or actual.error is not None:
        where = f"step {expected.error_step}" if expected.error is not None else f"step {actual.error_step}"
        assert (type(actual.error), actual.error_step) == (type(expected.error), expected.error_step), (
            f"{where}: torch raised {expected.error!r}, minigrad {actual.error!r}\nprogram: {program!r}")
        if expected.error_step < len(program.steps):
            return
    for k, seen in feed.received.items():
        what = f"gradient arriving at step {k} ({program.steps[k].op})"
        _fail(program, what, ["none arrived"] if not seen else mismatches(seen[-1], grads[k], signed_zeros=False))
    if expected.error is None:  # a backward that fails writes no leaf in minigrad (all or nothing); PyTorch's engine
        check_leaves(program, actual, expected)  # has accumulated into the leaves it reached before the failure


def check_leaves(program: Program, actual: Run, expected: Run, scale: float = 1.0) -> None:
    _fail(program, "leaf gradients", leaf_mismatches(actual, expected, scale))


def leaf_mismatches(actual: Run, expected: Run, scale: float = 1.0) -> list[str]:
    """Where the leaves' gradients of two runs of a program differ (see ``mismatches``; zero signs not compared)."""
    assert len(actual.leaves) == len(expected.leaves)
    problems = []
    for i, (leaf, torch_leaf) in enumerate(zip(actual.leaves, expected.leaves)):
        if (leaf.grad is None) != (torch_leaf.grad is None):
            problems.append(f"leaf {i}: gradient {'missing' if leaf.grad is None else 'where torch has none'}")
        elif leaf.grad is not None:
            found = mismatches(_numpy(leaf.grad), _numpy(torch_leaf.grad), scale, signed_zeros=False)
            problems += [f"leaf {i} {p}" for p in found]
    return problems


def _factors(program: Program, k: int, t: torch.Tensor, salt: int) -> torch.Tensor:
    """1 + d elementwise, |d| between one and two times t's rtol, random signs: the size of the difference
    lockstep allows between minigrad's step and torch's."""
    rng = np.random.default_rng([program.seed, k, salt])
    rtol = TOLERANCES[_dtype(t)][0]
    d = rng.uniform(rtol, 2 * rtol, size=tuple(t.shape)) * rng.choice([-1.0, 1.0], size=tuple(t.shape))
    return torch.tensor(1 + d, dtype=t.dtype)


def _nudge_values(program: Program) -> Callable[[int, torch.Tensor], torch.Tensor | None]:
    """An ``after_step`` for torch that scales every float output but the last by ``_factors``."""

    def nudge(k: int, out: torch.Tensor) -> torch.Tensor | None:
        if k == len(program.steps) - 1 or not out.is_floating_point():
            return None
        return out * _factors(program, k, out, 0)

    return nudge


def _nudge_gradients(program: Program) -> Callable[[int, torch.Tensor], None]:
    """An ``after_step`` for torch that scales the gradient reaching every step's output but the last by
    ``_factors`` (a hook on it)."""

    def nudge(k: int, out: torch.Tensor) -> None:
        if k < len(program.steps) - 1 and out.requires_grad:
            out.register_hook(lambda grad: None if grad is None else grad * _factors(program, k, grad, 1))

    return nudge


def check_free_running(program: Program) -> list[str]:
    """The program on torch and on minigrad without lockstep, where it is well conditioned; returns what it did.

    Forward: each framework on its own values from start to end; the last output within ``growth_factor`` times the
    tolerance. Backward: the forward in lockstep (minigrad's values replaced by torch's), then each framework's own
    gradients all the way back (no syncing); every leaf's gradient within the same grown tolerance.

    Well conditioned means that torch's own result barely moves when each step is nudged by as much as lockstep lets
    minigrad's differ (one to two rtols, relative): every output but the last for the forward (``_nudge_values``),
    the gradient arriving at every output but the last for the backward (``_nudge_gradients``). Where a nudge moves
    the result by more than half the grown tolerance, or changes where it is NaN or inf (exp at its overflow edge,
    a - b of nearly equal values, a long product near underflow), that half is "ill-conditioned" and not compared:
    there any two correct implementations may differ. (A nudge of a step's output does not reach the saved
    values of that step's own backward, which is why the backward runs on synced values: tanh's backward,
    1 - y^2, turns tanh(4)'s last-bit difference into a 2e-5 relative one.)
    """
    expected = run(torch, program)
    if expected.error is not None or not program.steps:
        return ["raised" if program.steps else "empty"]  # errors are check_lockstep's
    growth = growth_factor(program)
    done = []
    nudged = run(torch, program, _nudge_values(program))
    if nudged.error is None and not mismatches(nudged.values[-1], expected.values[-1], growth / 2, False):
        actual = run(minigrad, program)
        assert actual.error is None, f"minigrad raised {actual.error!r}\nprogram: {program!r}"
        _fail(program, "free-running output", mismatches(actual.values[-1], expected.values[-1], growth, False))
        done.append("forward compared")
    else:
        done.append("forward ill-conditioned")
    if any(leaf.grad is not None for leaf in expected.leaves):
        nudged = run(torch, program, _nudge_gradients(program))
        if nudged.error is None and not leaf_mismatches(nudged, expected, growth / 2):
            actual = run(minigrad, program, lambda k, out: _sync(out, expected.values[k]))
            assert actual.error is None, f"minigrad raised {actual.error!r}\nprogram: {program!r}"
            _fail(program, "free-running backward: leaf gradients", leaf_mismatches(actual, expected, growth))
            done.append("backward compared")
        else:
            done.append("backward ill-conditioned")
    return done


def growth_factor(program: Program) -> float:
    """How much the tolerance grows along a free-running chain: each step adds its own rounding difference (up to
    the suite's tolerance) to what the earlier ones passed on, so by k steps up to k + 1 of them may add up; twice
    that leaves room for the amplification the conditioning check allows (half the grown tolerance)."""
    return 2.0 * (len(program.steps) + 1)


# ----- the generator -------------------------------------------------------------------------------------------------
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, 1e-30, -1e-30, 1e-40, -1e-40, 5e-324, 1e-310, 1e4, -1e4, 1e30, -1e30,
           88.75, -104.5, 709.9, -745.5, inf, -inf, nan]
ORDINARY = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)
FLOATS = ("float32", "float64")


def weighted(*choices: tuple[st.SearchStrategy[Any], int]) -> st.SearchStrategy[Any]:
    """A value from one of the strategies, each chosen ``weight`` times in that many (st.one_of would not do: it
    merges equal strategies, so one_of(a, a, b) still draws b half the time)."""
    return st.sampled_from([s for s, weight in choices for _ in range(weight)]).flatmap(lambda s: s)


@st.composite
def values(draw: st.DrawFn, dtype: str, size: int, mode: str | None = None) -> list[Any]:
    """``size`` values for ``dtype``: floats are ordinary, mixed with SPECIAL, or SPECIAL only (``mode``)."""
    if dtype == "bool":
        return draw(st.lists(st.booleans(), min_size=size, max_size=size))
    if dtype == "uint8":
        return draw(st.lists(st.integers(0, 255), min_size=size, max_size=size))
    if dtype.startswith("int"):
        edge = [2**31 - 1, -(2**31)] if dtype == "int32" else [2**62, -(2**63)]
        element = weighted((st.integers(-6, 6), 6), (st.sampled_from(edge), 1))
        return draw(st.lists(element, min_size=size, max_size=size))
    # Mostly ordinary values, so that most programs keep finite values and gradients to compare all the way;
    # one array in three has an extreme value here and there, one in nine is only extreme values.
    mode = mode or draw(st.sampled_from(["ordinary"] * 5 + ["mixed"] * 3 + ["special"]))
    element = {"ordinary": ORDINARY, "mixed": weighted((ORDINARY, 5), (st.sampled_from(SPECIAL), 1)),
               "special": st.sampled_from(SPECIAL)}[mode]
    return draw(st.lists(element, min_size=size, max_size=size))


@st.composite
def shapes(draw: st.DrawFn, max_dims: int = 3) -> tuple[int, ...]:
    side = weighted((st.integers(1, 4), 9), (st.just(0), 1))  # a size-0 dim now and then
    return tuple(draw(st.lists(side, max_size=max_dims)))


@st.composite
def arrays(draw: st.DrawFn, dtype: str, shape: tuple[int, ...], grad: bool | None = None,
           mode: str | None = None) -> Arr:
    size = math.prod(shape)
    strided = draw(st.booleans()) if shape else False
    grad = draw(st.sampled_from([True, True, True, False])) if grad is None else grad
    return Arr(draw(values(dtype, size, mode)), dtype, shape, grad=grad, strided=strided)


def _dtype(t: torch.Tensor) -> str:
    return str(t.dtype).split(".")[-1]


@st.composite
def partner_dtype(draw: st.DrawFn, h: torch.Tensor) -> str:
    """Mostly h's dtype; sometimes the other float, an integer or bool (type promotion)."""
    own = _dtype(h)
    return draw(st.sampled_from([own] * 6 + ["float32", "float64", "int64", "bool"]))


@st.composite
def broadcast_partner(draw: st.DrawFn, shape: tuple[int, ...], grow: bool = True) -> tuple[int, ...]:
    """A shape that broadcasts with ``shape``: some trailing dims, each the same or 1 (or any size where
    ``shape`` has 1, when ``grow``), maybe after a new leading dim (when ``grow``)."""
    keep = draw(st.integers(0, len(shape)))
    tail = []
    for d in shape[len(shape) - keep:]:
        if d == 1 and grow:
            tail.append(draw(st.integers(1, 3)))
        else:
            tail.append(draw(st.sampled_from([d, d, d, 1])))
    lead = [draw(st.integers(1, 3))] if grow and len(shape) < 3 and draw(st.integers(0, 5)) == 0 else []
    return tuple(lead + tail)


@st.composite
def operand(draw: st.DrawFn, h: torch.Tensor, numbers: bool = True, grow: bool = True) -> Any:
    """A second operand for a binary op on h: a tensor of a broadcastable shape, a Python number, or h itself (then
    h's gradient adds up from both uses)."""
    if draw(st.integers(0, 9)) == 0:
        return H
    if numbers and draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(ORDINARY, st.sampled_from(SPECIAL), st.integers(-3, 3), st.booleans()))
    dtype = draw(partner_dtype(h))
    return draw(arrays(dtype, draw(broadcast_partner(tuple(h.shape), grow))))


def _dims(draw: st.DrawFn, ndim: int) -> int:
    """A dim for a tensor of ``ndim`` dims, maybe negative (0-d tensors take 0 and -1)."""
    n = max(ndim, 1)
    return draw(st.integers(-n, n - 1))


def _dim_or_dims(draw: st.DrawFn, ndim: int, allow_tuple: bool) -> Any:
    choice = draw(st.integers(0, 3 if allow_tuple else 2))
    if choice == 0:
        return None
    if choice < 3 or ndim == 0:
        return _dims(draw, ndim)
    dims = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return tuple(d - ndim if draw(st.booleans()) else d for d in dims)


Gen = Callable[[st.DrawFn, torch.Tensor, str], list[Step]]
GENERATORS: dict[str, Gen] = {}


def generator(*names: str) -> Callable[[Gen], Gen]:
    """Register ``fn(draw, h, op)`` as the way to apply each op in ``names`` to the current tensor h: the steps
    (usually one) that do it, or none where the op cannot take h."""

    def register(fn: Gen) -> Gen:
        for name in names:
            GENERATORS[name] = fn
        return fn

    return register


def path(op: str) -> str:
    return REGISTRY[op].torch


_OPERATORS = {"Add": "operator.add", "Sub": "operator.sub", "Mul": "operator.mul", "Div": "operator.truediv",
              "PowTensor": "operator.pow", "Rsub": None}


@generator("PowScalarBase")
def gen_pow_scalar_base(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """A number raised to h: 2 ** h, torch.pow(0.5, h) (bases exact in float32: see gen_arithmetic's pow)."""
    if h.dtype == torch.bool:
        return []  # Constrained: bools in pow (gen_arithmetic says why)
    base = draw(st.sampled_from([2.0, 0.5, 3, 1.5]))
    return [Step(op, draw(st.sampled_from([path(op), "operator.pow"])), (base, H))]


@generator("Add", "Sub", "Mul", "Div", "PowTensor", "Rsub")
def gen_arithmetic(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    other = draw(operand(h))
    python = _OPERATORS[op]
    if other is H:
        forms = [(path(op), (H, H))] + ([(python, (H, H))] if python else [])
    elif isinstance(other, Arr):
        forms = [(path(op), (H, other)), (path(op), (other, H))] + ([(python, (H, other))] if python else [])
    else:  # torch.add(2.0, t) is a TypeError in torch: numbers go second, or first through an operator
        forms = [(path(op), (H, other))] + ([(python, (other, H)), (python, (H, other))] if python else [])
    fn, args = draw(st.sampled_from(forms))
    if op == "PowTensor" and (_is_bool(args[1]) or isinstance(args[0], bool)):
        # Constrained: bools in pow. torch's pow backward computes exponent - 1, which it refuses for a bool tensor
        # (a RuntimeError in backward); a bool number False is not "== 0" to it (x ** False then has the gradient
        # 0 * x ** -1: NaN at 0); and False ** t fails an internal assert in torch. torch's quirks, not arithmetic.
        args = tuple(2 if _is_bool(a) else a for a in args)
    if op == "PowTensor" and not isinstance(args[1], Arr) and args[1] is not H:
        op = "Pow"  # a number exponent: the scalar-exponent op (an exponent as gen_pow draws them)
        args = (args[0], _exponent(args[1]))
    elif op == "PowTensor" and not isinstance(args[0], Arr) and args[0] is not H:
        # Constrained: a number base is a float32 number. torch's backward takes log of the base as the double it
        # was given (log(1e-182) = -419), while the forward, and minigrad, use it rounded to h's dtype (0 in float32).
        args = (_float32(args[0]), args[1])
    elif op == "PowTensor" and isinstance(other, Arr) and other.values.dtype != h.numpy().dtype:
        # Constrained: in a ** b with tensors of two dtypes, b's values are multiples of 1/8 (and a tensor base takes
        # h's dtype). torch's backward computes b - 1 in b's own dtype (float32(1e-15) - 1 is -1, so (-1) ** (b - 1)
        # is -1), minigrad in the promoted one (-0.999..., so NaN): the gradients differ only through that rounding.
        if args[1] is H:
            other = Arr(other.values, h.numpy().dtype.name, other.values.shape, other.grad, other.strided)
        else:
            with np.errstate(invalid="ignore"):
                rounded = np.where(np.isfinite(other.values), np.round(other.values * 8) / 8, other.values)
            other = Arr(rounded, other.values.dtype.name, other.values.shape, other.grad, other.strided)
        args = tuple(other if isinstance(a, Arr) else a for a in args)
    elif fn == "operator.sub" and args[1] is H and not isinstance(args[0], Arr):
        op = "Rsub"  # number - tensor
    return [Step(op, fn, args)]


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool) or (isinstance(value, Arr) and value.values.dtype == np.bool_)


@generator("Maximum", "Minimum")
def gen_extremum(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    other = draw(operand(h, numbers=False))
    return [Step(op, path(op), draw(st.sampled_from([(H, other), (other, H)])))]


def _float32(value: Any) -> Any:
    """A float as the nearest float32 (inf beyond its range); other numbers as they are."""
    if not isinstance(value, float):
        return value
    with np.errstate(over="ignore"):
        return float(np.float32(value))


def _exponent(value: Any) -> Any:
    """A float exponent as a multiple of 1/8 in float32, so that it and exponent - 1 (the gradient's) are float32
    numbers; other numbers as they are."""
    if not isinstance(value, float) or not np.isfinite(value):
        return value
    return _float32(round(value * 8) / 8)


@generator("Pow")
def gen_pow(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    # Constrained: exponents e such that e and e - 1 (the gradient's exponent) are float32 numbers. torch's
    # pow(float32 tensor, number) takes the number as a double in its scalar loop (std::pow in double, then rounded)
    # but as a float in its vector lanes, so with e = 5e-324 (0 as a float) it depends on the tensor's size
    # whether 0 ** e is 0 or 1, and with e = 2e-16, whether (-0.0) ** (e - 1) is inf or -inf (e - 1 is -1 as a float).
    exponent = draw(st.one_of(st.sampled_from([2, 3, 0, 1, -1, -2, 0.5, -0.5, 2.5, -1.5, 4, -3, 2.0, 0.125]),
                              st.floats(-4, 4)).map(_exponent))
    fn = draw(st.sampled_from([path("Pow"), "operator.pow"]))
    return [Step("Pow", fn, (H, exponent))]


UNARY = ("Neg", "Exp", "Log", "Sqrt", "Abs", "Sigmoid", "Relu", "Tanh", "Clone")


@generator(*UNARY)
def gen_unary(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    return [Step(op, path(op), (H,))]


@generator("Clamp")
def gen_clamp(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    bound = st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2, -inf, inf]), ORDINARY)
    low, high = draw(bound), draw(bound)
    if draw(st.booleans()):
        return [Step("Clamp", path("Clamp"), (H, low, high))]
    return [Step("Clamp", path("Clamp"), (H,), {k: v for k, v in (("min", low), ("max", high)) if v is not None})]


@generator("ClampTensor")
def gen_clamp_tensor(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """clamp with tensor bounds (min, max or both, each of a shape that broadcasts with h, maybe beyond it), and
    clamp_min / clamp_max with a tensor."""
    low, high = draw(operand(h, numbers=False)), draw(operand(h, numbers=False))
    form = draw(st.sampled_from(["both", "min", "max", "clamp_min", "clamp_max"]))
    if form == "both":
        return [Step(op, path(op), (H, low, high))]
    if form in ("min", "max"):
        return [Step(op, path(op), (H,), {form: low})]
    return [Step(op, f"torch.{form}", (H, low))]


@generator("ToCopy")
def gen_to(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    targets = list(FLOATS)
    # Constrained: converting inf, NaN or values beyond the integer range to an integer is undefined in C++
    # (torch gives whatever the CPU's conversion instruction gives); only finite, modest values go to integers.
    if h.numel() and bool(torch.isfinite(h.double()).all()) and float(h.double().abs().max()) < 1e9:
        targets += ["int64", "int32", "bool"]
    return [Step("ToCopy", path("ToCopy"), (H, Dt(draw(st.sampled_from(targets)))))]


@generator("Where")
def gen_where(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    condition = draw(arrays("bool", draw(broadcast_partner(tuple(h.shape))), grad=False))
    other = draw(operand(h))
    args = draw(st.sampled_from([(condition, H, other), (condition, other, H)] if isinstance(other, Arr)
                                else [(condition, H, other)]))
    return [Step("Where", path("Where"), args)]


@generator("MaskedFill")
def gen_masked_fill(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    mask = draw(arrays("bool", draw(broadcast_partner(tuple(h.shape), grow=False)), grad=False))
    value = draw(st.one_of(ORDINARY, st.sampled_from(SPECIAL), st.integers(-3, 3)))
    return [Step("MaskedFill", path("MaskedFill"), (H, mask, value))]


@generator("Sum", "Mean")
def gen_sum(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=True)
    if dim is None:
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, dim), {"keepdim": draw(st.booleans())})]


@generator("Prod")
def gen_prod(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=False)
    if dim is None:
        return [Step("Prod", path("Prod"), (H,))]
    return [Step("Prod", path("Prod"), (H, dim), {"keepdim": draw(st.booleans())})]


@generator("Var", "Std")
def gen_var(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dim_or_dims(draw, h.dim(), allow_tuple=True)
    kwargs = draw(st.sampled_from([{}, {"unbiased": False}, {"unbiased": True}, {"correction": 0},
                                   {"correction": 2}]))
    if dim is not None:
        kwargs = {**kwargs, "dim": dim, "keepdim": draw(st.booleans())}
    return [Step(op, path(op), (H,), kwargs)]


@generator("Max", "Min", "MaxDim", "MinDim")
def gen_max(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if op in ("Max", "Min"):
        return [Step(op, path(op), (H,))]
    return [Step(op, path(op), (H, _dims(draw, h.dim())), {"keepdim": draw(st.booleans())}, pick=0)]


@generator("Cumsum")
def gen_cumsum(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    return [Step("Cumsum", path("Cumsum"), (H, _dims(draw, h.dim())))]


@st.composite
def same_numel_shape(draw: st.DrawFn, numel: int) -> tuple[int, ...]:
    """A shape with ``numel`` elements, up to 3 dims, maybe with one -1."""
    if numel == 0:
        shape = draw(st.sampled_from([(0,), (0, 3), (2, 0), (0, 1, 2)]))
    else:
        factors = [p for p in range(2, numel + 1) for _ in range(_multiplicity(numel, p))]
        groups = [1, 1, 1]
        for f in factors:
            groups[draw(st.integers(0, 2))] *= f
        shape = tuple(g for g in groups if g > 1 or draw(st.booleans()))
        if math.prod(shape) != numel:
            shape = (*shape, numel // max(math.prod(shape), 1))
    if shape and draw(st.integers(0, 3)) == 0:
        i = draw(st.integers(0, len(shape) - 1))
        if shape[i] != 0:
            shape = (*shape[:i], -1, *shape[i + 1:])
    return tuple(shape)


def _multiplicity(n: int, p: int) -> int:
    """How many times the prime p divides n (0 for non-primes)."""
    if any(p % q == 0 for q in range(2, int(p**0.5) + 1)):
        return 0
    count = 0
    while n % p == 0:
        n //= p
        count += 1
    return count


@generator("View", "Reshape")
def gen_view(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if tuple(h.stride()) != getattr(h, "minigrad_strides", None) and h.numel() > 1:
        # Constrained: view() where the two frameworks hold h in different memory orders. torch's elementwise ops
        # (and clone, to) keep their input's memory order, so exp of a transposed tensor is transposed (a view
        # fails) and its t() contiguous (a view works); minigrad's write C order, so it is the other way round
        # there (a layout difference reported to the lead). programs() tracks minigrad's strides; reshape() is
        # fuzzed everywhere.
        op = "Reshape"
    shape = draw(same_numel_shape(h.numel()))
    return [Step(op, path(op), (H, shape))]


@generator("Transpose", "T", "Permute", "Squeeze", "Unsqueeze")
def gen_layout(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    n = h.dim()
    if op == "Transpose":
        return [Step(op, path(op), (H, _dims(draw, n), _dims(draw, n)))]
    if op == "T":
        return [Step(op, path(op), (H,))]
    if op == "Permute":
        return [Step(op, path(op), (H, tuple(draw(st.permutations(range(n))))))]
    if op == "Squeeze":
        return [Step(op, path(op), (H,) if draw(st.booleans()) else (H, _dims(draw, n)))]
    return [Step(op, path(op), (H, draw(st.integers(-n - 1, n))))]


@generator("Expand", "Repeat")
def gen_expand(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    lead = draw(st.lists(st.integers(1, 2), max_size=1))
    if op == "Expand":
        sizes = [draw(st.sampled_from([1, 2, 3, -1])) if d == 1 else draw(st.sampled_from([d, d, -1]))
                 for d in h.shape]
        # Constrained: expand() of a 0-d tensor needs a size (torch: a TypeError from its argument parser;
        # minigrad's Tensor.expand takes none and returns the tensor).
        return [Step(op, path(op), (H, *lead, *sizes) if lead or sizes else (H, 1))]
    reps = [draw(st.sampled_from([1, 1, 2, 3, 0])) for _ in h.shape]
    return [Step(op, path(op), (H, *lead, *reps)) if lead or reps else Step(op, path(op), (H, 2))]


@generator("Index")
def gen_index(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    kind = draw(st.sampled_from(["basic", "basic", "list", "long", "mask", "rows"]))
    if kind == "basic" or not shape:
        key = []
        for d in shape[:draw(st.integers(0, len(shape)))]:
            choice = draw(st.integers(0, 3))
            if choice == 0 and d:
                key.append(draw(st.integers(-d, d - 1)))
            elif choice == 1:
                key.append(None)
            else:
                start = draw(st.one_of(st.none(), st.integers(-d - 1, d)))
                stop = draw(st.one_of(st.none(), st.integers(-d - 1, d + 1)))
                key.append(slice(start, stop, draw(st.sampled_from([None, 1, 2, 3]))))
        if draw(st.booleans()):
            key.insert(draw(st.integers(0, len(key))), Ellipsis)
        if not key:
            key = [None] if draw(st.booleans()) else [Ellipsis]
        return [Step("Index", path("Index"), (H, key[0] if len(key) == 1 and draw(st.booleans()) else tuple(key)))]
    dim = draw(st.integers(0, len(shape) - 1))
    size = shape[dim]
    before = (slice(None),) * dim
    if kind == "mask":
        mask = draw(arrays("bool", shape, grad=False))
        return [Step("Index", path("Index"), (H, mask))]
    if kind == "rows":
        mask = draw(arrays("bool", (size,), grad=False))
        return [Step("Index", path("Index"), (H, (*before, mask)))]
    picks = draw(st.lists(st.integers(-size, size - 1), max_size=4)) if size else []
    if kind == "list":
        return [Step("Index", path("Index"), (H, (*before, picks)))]
    return [Step("Index", path("Index"), (H, (*before, Arr(picks, "int64", (len(picks),)))))]


@generator("Softmax", "LogSoftmax")
def gen_softmax(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dim = _dims(draw, h.dim())
    return [Step(op, path(op), (H, dim)) if draw(st.booleans()) else Step(op, path(op), (H,), {"dim": dim})]


@generator("NllLoss")
def gen_nll(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    if not 1 <= len(shape) <= 3 or 0 in shape:
        return []
    classes = shape[1] if len(shape) > 1 else shape[0]
    target_shape = () if len(shape) == 1 else (shape[0], *shape[2:])
    n = math.prod(target_shape)
    target = draw(st.lists(weighted((st.integers(0, classes - 1), 3), (st.just(-100), 1)),
                           min_size=n, max_size=n))
    kwargs: dict[str, Any] = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    if draw(st.booleans()):
        dtype = _dtype(h) if h.is_floating_point() else "float32"
        kwargs["weight"] = draw(arrays(dtype, (classes,), grad=False, mode="ordinary"))
    if draw(st.integers(0, 3)) == 0:
        kwargs["ignore_index"] = draw(st.integers(0, classes - 1))
    return [Step("NllLoss", path("NllLoss"), (H, Arr(target, "int64", target_shape)), kwargs)]


@generator("LeakyRelu", "Softplus")
def gen_activation(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    if op == "LeakyRelu":
        slope = draw(st.sampled_from([0.01, 0.2, 0.0, 1.5, -0.3]))
        return [Step("LeakyRelu", path("LeakyRelu"), (H, slope))]
    kwargs = draw(st.sampled_from([{}, {"beta": 2.0}, {"beta": 0.5, "threshold": 0.5}, {"threshold": 0.0},
                                   {"beta": 3.0, "threshold": 40.0}]))
    return [Step("Softplus", path("Softplus"), (H,), kwargs)]


@generator("AddScaled", "SubScaled")
def gen_scaled(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    """torch.add(h, other, alpha=...) and torch.sub: a float alpha with integer tensors is PyTorch's error, a bool one
    with floats too (both drawn)."""
    other = draw(operand(h))
    alpha = draw(st.sampled_from([0.37, -2.5, 2, -1, 0, True, 1e30]))
    return [Step(op, path(op), (H, other), {"alpha": alpha})]


@generator("HuberLoss", "SmoothL1Loss")
def gen_piecewise_loss(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    # Constrained: the target has the input's dtype. PyTorch's backward of huber_loss/smooth_l1_loss refuses a float64
    # target with a float32 input ("Found dtype Double but expected Float"), which its forward takes.
    target = H if draw(st.integers(0, 9)) == 0 else draw(arrays(_dtype(h), draw(broadcast_partner(tuple(h.shape),
                                                                                                  grow=False))))
    width = draw(st.sampled_from([1.0, 0.5, 2.5]))
    kwargs = {"reduction": draw(st.sampled_from(["mean", "sum", "none"])),
              ("delta" if op == "HuberLoss" else "beta"): width}
    return [Step(op, path(op), draw(st.sampled_from([(H, target), (target, H)])), kwargs)]


@generator("MseLoss")
def gen_mse(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    # Constrained: target shapes that broadcast against the input only warn in torch; they are fuzzed, but the
    # target stays the smaller one (torch's mse_loss backward for a broadcast target is the same as minigrad's).
    target = H if draw(st.integers(0, 9)) == 0 else draw(arrays(draw(partner_dtype(h)),
                                                                 draw(broadcast_partner(tuple(h.shape), grow=False))))
    reduction = draw(st.sampled_from(["mean", "sum", "none"]))
    args = draw(st.sampled_from([(H, target), (target, H)]))
    return [Step("MseLoss", path("MseLoss"), args, {"reduction": reduction})]


def _in_unit_interval(h: torch.Tensor) -> bool:
    return h.is_floating_point() and bool(((h >= 0) & (h <= 1)).all())


@generator("BinaryCrossEntropy")
def gen_bce(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    steps = [] if _in_unit_interval(h) or draw(st.integers(0, 5)) == 0 else [Step("Sigmoid", path("Sigmoid"), (H,))]
    dtype = _dtype(h) if h.is_floating_point() and draw(st.integers(0, 7)) else "float32"
    target = draw(st.lists(st.sampled_from([0.0, 1.0, 0.25, 0.5, 0.9, 1e-30, 5e-324]) if draw(st.integers(0, 7))
                           else st.sampled_from([0.0, 1.0, 1.5, -0.5, nan]), min_size=h.numel(), max_size=h.numel()))
    kwargs: dict[str, Any] = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    if draw(st.integers(0, 3)) == 0:
        kwargs["weight"] = draw(arrays(dtype, tuple(h.shape), grad=False, mode="ordinary"))
    target_arr = Arr(target, dtype, tuple(h.shape), grad=draw(st.booleans()), strided=draw(st.booleans()))
    return [*steps, Step("BinaryCrossEntropy", path("BinaryCrossEntropy"), (H, target_arr), kwargs)]


@generator("BinaryCrossEntropyWithLogits")
def gen_bce_logits(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    dtype = _dtype(h) if h.is_floating_point() else "float32"
    target = draw(arrays(dtype, tuple(h.shape), mode="ordinary"))
    target = Arr(np.abs(target.values) / 4, dtype, target.values.shape, grad=target.grad, strided=target.strided)
    kwargs: dict[str, Any] = {"reduction": draw(st.sampled_from(["mean", "sum", "none"]))}
    if draw(st.integers(0, 3)) == 0:
        kwargs["weight"] = draw(arrays(dtype, draw(broadcast_partner(tuple(h.shape), grow=False)), grad=False,
                                       mode="ordinary"))
    if draw(st.integers(0, 3)) == 0 and h.dim():
        kwargs["pos_weight"] = draw(arrays(dtype, (h.shape[-1],), grad=False, mode="ordinary"))
    return [Step("BinaryCrossEntropyWithLogits", path("BinaryCrossEntropyWithLogits"), (H, target), kwargs)]


@st.composite
def index_for(draw: st.DrawFn, shape: tuple[int, ...], dim: int, unique: bool) -> Arr:
    """An int64 index for gather/scatter along ``dim`` (same ndim, each size at most shape's; for scatter, no
    position written twice: torch leaves the winner of duplicate writes unspecified)."""
    ndim = len(shape)
    d = dim % max(ndim, 1)
    index_shape = tuple(draw(st.integers(0, s)) for s in shape) if ndim else ()
    if unique and ndim:
        index_shape = tuple(min(s, shape[d]) if i == d else s for i, s in enumerate(index_shape))
    n = math.prod(index_shape)
    size = shape[d] if ndim else 1
    if not unique:
        idx = draw(st.lists(st.integers(0, max(size - 1, 0)), min_size=n, max_size=n)) if size else [0] * n
        return Arr(idx, "int64", index_shape)
    # Constrained: along dim, each line of the index is a prefix of a permutation (distinct positions).
    perm = draw(st.permutations(range(size))) if size else []
    grid = np.zeros(index_shape, dtype=np.int64)
    if grid.size and ndim:
        moved = np.moveaxis(grid, d, -1)
        moved[...] = np.array(perm[:index_shape[d]], dtype=np.int64)
        grid = np.moveaxis(moved, -1, d)
    return Arr(grid.reshape(-1).tolist(), "int64", index_shape)


@generator("Gather", "Scatter")
def gen_gather(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dim = _dims(draw, len(shape))
    index = draw(index_for(shape, dim, unique=op == "Scatter"))
    if op == "Gather":
        return [Step(op, path(op), (H, dim, index))]
    if draw(st.booleans()):
        src = draw(arrays(_dtype(h), index.values.shape))
        return [Step(op, path(op), (H, dim, index, src))]
    # Constrained: the value fits h's dtype. torch refuses a value its dtype cannot hold (-1.0 for uint8, NaN for
    # int64); minigrad's Tensor.scatter converts the number before the op sees it (tensor.py: reported to the lead).
    value = draw(st.one_of(ORDINARY, st.sampled_from(SPECIAL)) if h.is_floating_point() else st.integers(0, 3))
    return [Step(op, path(op), (H, dim, index), {"value": value})]


@generator("Cat", "Stack")
def gen_join(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    dtype = draw(partner_dtype(h))
    if op == "Cat":
        if not shape:
            return []
        dim = _dims(draw, len(shape))
        other_shape = tuple(draw(st.integers(0, 2)) if i == dim % len(shape) else s for i, s in enumerate(shape))
    else:
        dim = draw(st.integers(-len(shape) - 1, len(shape)))
        other_shape = shape
    other = draw(arrays(dtype, other_shape))
    tensors = draw(st.sampled_from([[H, other], [other, H], [H, H], [H, other, H]]))
    return [Step(op, path(op), (tensors, dim)) if draw(st.booleans()) else Step(op, path(op), (tensors,),
                                                                                   {"dim": dim})]


@generator("Matmul", "Linear")
def gen_matmul(draw: st.DrawFn, h: torch.Tensor, op: str) -> list[Step]:
    shape = tuple(h.shape)
    if not shape:
        return []
    inner = shape[-1]
    dtype = draw(st.sampled_from([_dtype(h)] * 8 + ["float32", "float64"]))
    if inner == 0 and (dtype != _dtype(h) or dtype == "bool"):
        # Constrained: an inner size of 0 with mixed dtypes or bools. torch's batched path (bmm) then returns zeros
        # without checking dtypes (the result takes the second operand's), while its mm and dot paths refuse them.
        return []
    out = draw(st.integers(1, 3))
    if draw(st.booleans()):
        bias = [draw(arrays(dtype, (out,)))] if draw(st.booleans()) else []
        return [Step("Linear", path("Linear"), (H, draw(arrays(dtype, (out, inner))), *bias))]
    other_shape = draw(st.sampled_from([(inner,), (inner, out), (2, inner, out)] if len(shape) > 1
                                       else [(inner,), (inner, out)]))
    other = draw(arrays(dtype, other_shape))
    if len(shape) == 1 and draw(st.booleans()):  # vector on the right: (n, inner) @ h
        other = draw(arrays(dtype, (out, inner)))
        return [Step("Matmul", draw(st.sampled_from([path("Matmul"), "operator.matmul"])), (other, H))]
    return [Step("Matmul", draw(st.sampled_from([path("Matmul"), "operator.matmul"])), (H, other))]


# Modules built from registry ops, drawn as ops are, by their generators' names (fuzz_rnn's recurrent layers).
LAYERS: list[str] = []

# The everyday API's ops (issue 23): each area's generators in a file of its own, registered on import.
for _area in ("math", "linalg", "shape", "reductions", "nn", "assign", "conv", "norm", "resize", "rnn"):
    importlib.import_module(f"fuzz_{_area}")

# Every differentiable op of the registry has a generator. MINIGRAD_FUZZ_OPS=Sin,Cos draws only those (to work on
# some ops' generators); the suite draws from all, and from the layers.
FUZZED = sorted(name for name, op in REGISTRY.items() if op.differentiable)
_DRAWN = [op for op in FUZZED + LAYERS if op in os.environ.get("MINIGRAD_FUZZ_OPS", "").split(",")] or FUZZED + LAYERS


def _strides(t: minigrad.Tensor) -> tuple[int, ...]:
    return tuple(s // t._data.itemsize for s in t._data.strides)


@st.composite
def programs(draw: st.DrawFn, max_steps: int = MAX_STEPS, ops: list[str] | None = None,
             dtype: str | None = None, mode: str | None = None) -> Program:
    """A random program, built step by step from the torch values it reaches (so steps fit the shapes); ``ops``,
    ``dtype``, ``mode``: only those ops, a starting tensor of that dtype and values (see ``values``)."""
    dtype = dtype or draw(st.sampled_from(["float32", "float64"] * 8 + ["int64", "int32", "bool", "uint8"]))
    x = draw(arrays(dtype, draw(shapes()), grad=True, mode=mode))
    leaves: list[Any] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = x.build(torch, leaves).detach()
        mh = x.build(minigrad, leaves).detach()  # only for its strides: see gen_view
        h.minigrad_strides = _strides(mh)
        steps: list[Step] = []
        # The length and the ops come from a Random that hypothesis drives: uniform, where st.integers and
        # st.sampled_from favour their first values (a third of the programs would be empty, one op in eight abs).
        structure = draw(st.randoms(use_true_random=False))
        for _ in range(structure.randint(1, max_steps)):
            op = structure.choice(ops or _DRAWN)
            new = GENERATORS[op](draw, h, op)
            for step in new:
                steps.append(step)
                try:
                    h = apply_step(torch, step, h, leaves).detach()
                except ERRORS:
                    return Program(x, tuple(steps), draw(st.integers(0, 2**16)))
                try:
                    mh = apply_step(minigrad, step, mh, leaves).detach()
                    h.minigrad_strides = _strides(mh)
                except (*ERRORS, RuntimeWarning):
                    h.minigrad_strides = None  # check_lockstep reports it
            if h.numel() > MAX_NUMEL:
                steps = steps[:len(steps) - len(new)]
                break
    return Program(x, tuple(steps), draw(st.integers(0, 2**16)))


# ----- the tests -----------------------------------------------------------------------------------------------------
def _step(op: str, *args: Any, fn: str | None = None, pick: int | None = None, **kwargs: Any) -> Step:
    return Step(op, fn or path(op), args, kwargs, pick)


def _f32(values: list[Any], shape: tuple[int, ...], dtype: str = "float32", grad: bool = True) -> Arr:
    return Arr(values, dtype, shape, grad=grad)


_NEG = _step("Neg", H)
# Every bug the fuzzer (or test_extremes) found, as the smallest program that shows it; each failed before its fix.
REGRESSIONS: list[Program] = [
    # ops/loss.py MseLoss: backward of an empty input's mean divided 2 by 0 in Python (ZeroDivisionError)
    Program(_f32([], (0,)), (_step("MseLoss", H, _f32([], (0,)), reduction="mean"),)),
    # ops/loss.py MseLoss: integer inputs computed a loss; torch: "mse_cpu" not implemented for 'Long'
    Program(_f32([0], (), "int64"), (_step("MseLoss", H, _f32([0], (), "int64"), reduction="mean"),)),
    # nn/functional.py mse_loss: a 0-d float64 target made a float32 loss (torch promotes after broadcast_tensors)
    Program(_f32([0.5, 1.0], (2,)), (_step("MseLoss", H, _f32([2.0], (), "float64"), reduction="mean"),)),
    # ops/gather.py: a 0-d input (and index) raised IndexError; torch treats it as one element
    Program(_f32([3.0], ()), (_step("Gather", H, 0, _f32([0], (), "int64")),)),
    Program(_f32([3.0], ()), (_step("Scatter", H, 0, _f32([0], (), "int64"), _f32([5.0], ())),)),
    # ops/loss.py BinaryCrossEntropyWithLogits: integer logits computed a loss (torch: NotImplementedError), and a
    # float64 input with a float32 target gave float64 (torch: the target's dtype)
    Program(_f32([0], (), "int64"), (_step("BinaryCrossEntropyWithLogits", H, _f32([0.0], ())),)),
    Program(_f32([0.5, -1.0], (2,), "float64"), (_step("BinaryCrossEntropyWithLogits", H, _f32([0.0, 1.0], (2,))),)),
    # ops/loss.py, kernels/loss.py: BCE with logits' target gradient with pos_weight was -x - (pw - 1) log sigmoid(x),
    # NaN at x = -inf (inf - 0 * inf); log sigmoid(-inf) itself was NaN
    Program(_f32([-inf, 0.0, 30.0], (3,)), (_step("BinaryCrossEntropyWithLogits", H, _f32([1.0, 0.5, 0.0], (3,)),
                                                  pos_weight=_f32([1.0, 0.0, 2.0], (3,), grad=False)),)),
    # ops/classification.py: softmax of an empty integer tensor raised; torch returns it
    Program(_f32([], (0,), "int64"), (_step("Softmax", H, dim=0),)),
    # kernels/loss.py: BCE's target gradient clamped its logs at -100; torch's is -logit(p), inf at p = 0
    Program(_f32([0.0], ()), (_NEG, _step("BinaryCrossEntropy", H, _f32([0.0], ()), reduction="mean"))),
    # kernels/loss.py: BCE's gradient floor was 1e-12 as a double; torch's is 1e-12 as a float, also for float64
    Program(_f32([0.0], (), "float64"), (_NEG, _step("BinaryCrossEntropy", H, _f32([1.0], (), "float64", False)))),
    # ops/pointwise.py Relu: backward sent 0 at NaN; torch's threshold_backward passes the gradient there
    Program(_f32([-1.0], ()), (_step("Log", H), _NEG, _step("Relu", H))),
    # nn/functional.py linear: a 3-d input whose last dim is 0 failed to reshape(-1, 0)
    Program(_f32([], (0, 0, 0), "int64"), (_NEG, _step("Linear", H, _f32([], (1, 0), "int64")))),
    # nn/functional.py linear: a 1-d weight raised IndexError; torch computes matmul(x, w.t())
    Program(_f32([1.0, 2.0, 3.0, 4.0], (2, 2)), (_step("Linear", H, _f32([1.0, -1.0], (2,))),)),
    # ops/linalg.py: bool matmul and linear computed; torch's BLAS kernels refuse bools (but not empty products)
    Program(_f32([True, False], (1, 2), "bool"), (_step("Linear", H, _f32([True, True], (1, 2), "bool")),)),
    Program(_f32([True, False], (2,), "bool"), (_step("Matmul", H, _f32([True, True, False, True], (2, 2), "bool")),)),
    Program(_f32([], (0, 1), "bool"), (_step("Matmul", H, _f32([False], (1,), "bool")),)),  # empty: no error
    # kernels/linalg.py: inf * 0 in a BLAS product leaked numpy's "invalid value encountered in matmul"
    Program(_f32([1.0, 2.0, 3.0, inf, 1.0, 2.0, 3.0, 4.0], (2, 4)), (_step("Matmul", H, _f32([0.0] * 4, (4,))),)),
    # ops/reduction.py Std: backward at a zero std was NaN; torch's std_backward gives 0 there
    Program(_f32([0.0], ()), (_step("Std", H, unbiased=False),)),
    Program(_f32([2.0, 2.0, 2.0], (1, 3)), (_step("Std", H, dim=1),)),
    # ops/reduction.py Var: a float64 row of 1e30s had variance 3e28 (a two-pass mean); torch's Welford gives 0 ...
    Program(_f32([1e30, 1e30, 1e30, -1e30, -1e30, -1e30], (2, 3), "float64"), (_step("Var", H, dim=1),)),
    # ... and its gradient is 2 / (N - correction) * grad * (x - mean) with x's own mean (float32: 7777.7 != mean) ...
    Program(_f32([7777.7, 7777.7, 7777.7, 1.0, 2.0, 3.0], (2, 3)), (_step("Var", H, dim=1),)),
    # ... and with N <= correction along a dim, 2 / (N - correction) (inf, or negative), not NaN
    Program(_f32([1.0, 2.0, 3.0], (3, 1)), (_step("Var", H, dim=1, correction=2),)),
    # ops/reduction.py Var: keepdim over everything gave a 0-d variance (a slip in the Welford rewrite, caught here)
    Program(_f32([1.0, 2.0, 3.0, 4.0], (1, 4), "int64", False), (_step("Add", H, 0.5), _step("Var", H, dim=1))),
    # ops/shape.py Index: an empty list index (an empty float array to numpy) raised IndexError
    Program(_f32([0.0], (1,)), (_NEG, _step("Index", H, ([],)))),
    # ops/pointwise.py PowTensor: 0 where the exponent is 0 was applied before multiplying by grad (NaN * 0 = NaN)
    Program(_f32([0.0], ()), (_step("PowTensor", H, _f32([0.0], ())), _NEG, _step("Sqrt", H))),
    # kernels/elementwise.py: integer pow with a negative exponent gave INT_MIN; torch's powi gives 0, 1 or -1
    Program(_f32([1], (), "int64"), (_NEG, _step("PowTensor", _f32([0, 1, -1, 2], (4,), "int64"), H))),
    # ops/reduction.py Prod: backward was the product of the others; torch's is grad * (result / x) when x has no
    # zero (NaN for an inf factor, inf where the product overflowed), and zeros when the whole tensor has two
    Program(_f32([0.0], ()), (_step("Log", H), _step("View", H, (1,)), _step("Prod", H))),
    Program(_f32([1e30, 1e30, 2.0], (3,)), (_step("Prod", H),)),
    Program(_f32([0.0, 0.0, inf, 1.0], (2, 2)), (_step("Prod", H),)),
    # ops/join.py Cat: only legacy empty tensors left backward without its bookkeeping (AttributeError)
    Program(_f32([], (0,)), (_step("Cat", [H, _f32([], (0,), "float64")], dim=0),)),
    # ops/pointwise.py, classification.py: fill values and bounds the dtype cannot hold were wrapped silently;
    # torch refuses them (RuntimeError: value cannot be converted to type uint8_t without overflow)
    Program(_f32([0, 1], (2,), "uint8"), (_step("MaskedFill", H, _f32([True, False], (2,), "bool"), -1.0),)),
    Program(_f32([0.5], (1,)), (_step("Clamp", H, min=1e300),)),
    Program(_f32([0.5, -0.5], (2,)), (_step("LeakyRelu", H, 1e300),)),
    # ops/pointwise.py Clamp: a value equal to its bound became the bound (-0.0 clamped at max 0.0 became 0.0)
    Program(_f32([-0.0, 1.0], (2,)), (_step("Clamp", H, max=0.0),)),
    # ops/pointwise.py Tanh, kernels/elementwise.py: backward rounded y * y before 1 - y * y; torch fuses them (an
    # fma), which near saturation (1 - y^2 small) differs by 2e-5 relative in float32
    Program(_f32([0.0, 4.0], (2,)),
            (_step("Tanh", H), _step("BinaryCrossEntropy", H, _f32([0.0, 0.0], (2,), grad=False), reduction="mean"))),
    # ops/reduction.py Cumsum: a 0-d -0.0 became 0.0 (0 + x); torch copies a 0-d input
    Program(_f32([-0.0], ()), (_step("Cumsum", H, 0),)),
    # kernels/softmax.py: nll_loss's mean over zero total weight divided by 0 in numba (ZeroDivisionError)
    Program(_f32([0.5, 1.0, 1.5, 2.0], (2, 2)), (_step("NllLoss", H, _f32([0, -100], (2,), "int64"), reduction="mean",
                                                       weight=_f32([0.0, 0.0], (2,), grad=False)),)),
    # kernels/pointwise.py unary_scalar: plain sigmoid's branch returned a float for an integer x, which made numba
    # type every branch float64 for int64 inputs (abs and neg of 2**62 + 1 rounded)
    Program(_f32([1, 4611686018427387904], (2,), "int64", grad=False), (_step("Sum", H), _step("Abs", H))),
    # The everyday API's ops (issue 23), as the fuzzer found them:
    # ops/reduction.py amax: a NaN maximum (or a NaN or inf gradient) sent 0 back; torch multiplies by the mask
    Program(_f32([math.nan], ()), (_step("Amax", H),)),
    # kernels/scan.py logcumsumexp: a NaN after the first element was dropped (min/max ignore a NaN second argument)
    Program(_f32([0.0] * 11 + [math.nan], (3, 4)), (_step("Logcumsumexp", H, 0),)),
    # kernels/scan.py cumprod backward: zeros and inf in one slice gave NaN where torch's algorithm is finite
    Program(_f32([0.0] * 11 + [math.inf], (3, 4)), (_step("Cumprod", H, 0),)),
    # kernels/sort.py mode: the first value of the winning run, where torch returns the last (the sign of a zero)
    Program(_f32([0.0] * 23 + [-0.0], (2, 3, 4)), (_step("ModeDim", H, pick=0),)),
    # ops/gather.py index_select of a 0-d tensor with an empty index: numpy's ValueError, not torch's RuntimeError
    Program(_f32([1.0], (), grad=False), (_step("IndexSelect", H, 0, _f32([], (0,), "int64", grad=False)),)),
    # ops/gather.py index_add into a 0-d tensor: sources torch refuses were accepted
    Program(_f32([0.0], ()), (_step("IndexAdd", H, 0, _f32([], (0,), "int64", grad=False), _f32([0.0], ())),)),
    # tensor.py flip: dims= was refused
    Program(_f32([0.0], (), grad=False), (_step("Flip", H, dims=()),)),
    # ops/activation.py celu backward: torch's input_scale is 1 / float32(alpha)
    Program(_f32([0.0], (), "float64"), (_step("Celu", H, alpha=0.001),)),
    # kernels/activation.py elu: elu(0.0, alpha=-1) was -0.0
    Program(_f32([0.0], ()), (_step("Elu", H, alpha=-1.0),)),
    # nn/functional.py prelu: a 0-d input with a (1,) weight came back (1,)
    Program(_f32([0.0], ()), (_step("PreluKernel", H, _f32([0.0], (1,))),)),
    # ops/activation.py prelu and threshold on bools: computed where torch refuses them
    Program(_f32([False], (1,), "bool", grad=False), (_step("PreluKernel", H, _f32([0.0], ())),)),
    Program(_f32([False], (), "bool", grad=False), (_step("Threshold", H, 0.0, 0.0),)),
    # kernels/activation.py hardtanh backward: a NaN input stopped the gradient; torch passes it
    Program(_f32([0.0] * 5 + [math.nan], (2, 3)), (_step("Hardtanh", H, fn="torch.nn.functional.relu6"),)),
    # kernels/activation.py hardswish backward: the kinks at -3 and 3
    Program(_f32([0.0] * 63 + [3.0], (4, 4, 4)), (_step("Hardswish", H),)),
]


def test_every_differentiable_op_has_a_generator() -> None:
    assert set(FUZZED) <= set(GENERATORS), f"ops the fuzzer never draws: {sorted(set(FUZZED) - set(GENERATORS))}"


@pytest.mark.parametrize("program", REGRESSIONS, ids=lambda p: "-".join(s.op for s in p.steps) or "leaf")
def test_regression_programs(program: Program) -> None:
    check_lockstep(program)


_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


@settings(max_examples=CI_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=_HEALTH, database=None)
@given(program=programs())
def test_random_programs(program: Program) -> None:
    check_lockstep(program)


@settings(max_examples=CI_EXAMPLES, derandomize=True, deadline=None, suppress_health_check=_HEALTH, database=None)
@given(program=programs())
def test_free_running_programs(program: Program) -> None:
    for outcome in check_free_running(program):
        event(outcome)  # pytest --hypothesis-show-statistics counts them


@pytest.mark.fuzz
@pytest.mark.skipif("MINIGRAD_FUZZ_EXAMPLES" not in os.environ, reason="the long profile: set MINIGRAD_FUZZ_EXAMPLES")
@settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=_HEALTH)
@given(program=programs())
def test_random_programs_long(program: Program) -> None:
    check_lockstep(program)
    for outcome in check_free_running(program):
        event(outcome)


# ----- gradients of gradients (``create_graph=True``) -----------------------------------------------------------------
# Random programs of the ops whose backward minigrad records (every registry op but ``higher_order.NOT_YET``), from
# a float64 start of ordinary values: the leaves' first gradients g_i = d<out, u>/dx_i taken with create_graph=True,
# then the gradient of s = sum_i <g_i, v_i> (random v), in both frameworks, each on its own values all the way (free
# running). Compared where torch's results are finite and well conditioned (as in ``check_free_running``: nudging
# every step's output and the gradient reaching it by one to two rtols moves torch's second gradients by less than
# half the tolerance), within the tolerance grown over the chain and its backward, which the second pass runs
# through again: ``growth_factor`` of a chain twice as long.
TWICE = [op for op in FUZZED if op not in higher_order.NOT_YET]


def second_order(fw: Any, program: Program, after_step: Callable[[int, Any], Any] | None = None) -> Any:
    """(first gradients, second gradients) of the program's leaves as arrays (None where a leaf has none), None
    where nothing is differentiable, or the exception raised."""
    leaves: list[Any] = []
    if any(step.kwargs.get("scale_grad_by_freq") for step in program.steps):
        # Constrained: PyTorch's second derivative of embedding ignores scale_grad_by_freq (its
        # embedding_dense_double_backward says the first backward "takes care of scaling by frequency"), a count
        # times the derivative minigrad's recorded backward gives, which keeps the 1 / count
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            current = program.x.build(fw, leaves)
            for k, step in enumerate(program.steps):
                current = apply_step(fw, step, current, leaves)
                if after_step is not None:
                    current = after_step(k, current) if isinstance(current, torch.Tensor) else current
            if not leaves or not isinstance(current, (torch.Tensor, minigrad.Tensor)) or not current.requires_grad:
                return None
            firsts = fw.autograd.grad(current, leaves, fw.tensor(cotangent(program, current)), create_graph=True,
                                      allow_unused=True)
            rng = np.random.default_rng(program.seed + 1)
            # a v for every gradient, in order, whether or not it has a graph (a constant zero in one framework may
            # have one in the other): the same v's meet the same gradients in both
            vs = [None if g is None else rng.standard_normal(tuple(g.shape)).astype(_plain(g).dtype) for g in firsts]
            terms = [(g * fw.tensor(v)).sum() for g, v in zip(firsts, vs) if g is not None and g.requires_grad]
            seconds = fw.autograd.grad(sum(terms[1:], terms[0]), leaves, allow_unused=True) if terms else None
        except ERRORS as error:
            return error
    arrays = [[None if g is None else _plain(g) for g in gs] for gs in (firsts, seconds or [])]
    return arrays[0], arrays[1] if seconds is not None else None


def _nudge_twice(program: Program) -> Callable[[int, torch.Tensor], torch.Tensor]:
    """An ``after_step`` for torch nudging each step's output but the last, and the gradients reaching it in both
    backward passes (``_factors``)."""
    values = _nudge_values(program)

    def nudge(k: int, out: torch.Tensor) -> torch.Tensor:
        if k < len(program.steps) - 1 and out.requires_grad:
            out.register_hook(lambda grad: None if grad is None else grad * _factors(program, k, grad, 1))
        nudged = values(k, out)
        return out if nudged is None else nudged

    return nudge


def _plain(g: Any) -> np.ndarray:
    """A gradient's values (torch's symbolic zeros as zeros)."""
    return np.zeros(tuple(g.shape)) if isinstance(g, torch.Tensor) and g._is_zerotensor() else _numpy(g)


def _second_order_mismatches(actual: Any, expected: Any, scale: float) -> list[str]:
    problems = []
    for order, (found, wanted) in enumerate(zip(actual, expected), 1):
        for i, (a, e) in enumerate(zip(found or [], wanted or [])):
            if e is not None and a is None and np.any(e):
                problems.append(f"order {order}, leaf {i}: no gradient where torch has one")
            elif a is not None and e is not None:
                problems += [f"order {order}, leaf {i}: {p}" for p in mismatches(a, e, scale, signed_zeros=False)]
    return problems


def check_second_order(program: Program) -> str:
    """The program's gradients of gradients against torch's (see above); returns what it did."""
    expected = second_order(torch, program)
    if expected is None or isinstance(expected, BaseException):
        return "no second order in torch"
    actual = second_order(minigrad, program)
    if isinstance(actual, NotImplementedError) and "create_graph=True" in str(actual):  # the clear refusal, for a
        listed = {REGISTRY[name].grad_fn for name in higher_order.NOT_YET}  # listed op inside a composite only
        assert any(name in str(actual) for name in listed), f"{actual}\nprogram: {program!r}"
        return "refused (a NOT_YET op inside a composite)"
    assert not isinstance(actual, BaseException), f"minigrad raised {actual!r}\nprogram: {program!r}"
    if not all(np.all(np.isfinite(g)) for gs in expected if gs for g in gs if g is not None):
        return "not finite"
    growth = 2.0 * (2 * len(program.steps) + 1)
    nudged = second_order(torch, program, _nudge_twice(program))
    if isinstance(nudged, BaseException) or _second_order_mismatches(nudged, expected, growth / 2):
        return "ill-conditioned"
    _fail(program, "gradients of gradients", _second_order_mismatches(actual, expected, growth))
    return "compared"


SECOND_ORDER_REGRESSIONS: list[Program] = [
    # kernels/softmax.py nll_loss: the sum over one sample (a 1-D input) was a numpy scalar, not a 0-d array: the
    # recorded backward of the next op (abs's sign) failed on it
    Program(Arr([0.0], "float64", (1,), grad=True), (_step("NllLoss", H, _f32([0], (), "int64"), reduction="sum"),
                                                      _step("Abs", H))),
    # ops/activation.py prelu at x = 0: its recorded gradients differentiated as functions of x > 0, where PyTorch's
    # _prelu_kernel_backward has derivatives of its own that count x = 0 as positive (PreluKernelBackward)
    Program(Arr([0.0], "float64", (), grad=True), (_step("Index", H, (Ellipsis,)),
                                                   _step("PreluKernel", H, Arr([0.0], "float64", (1,), grad=True)))),
]


@pytest.mark.parametrize("program", SECOND_ORDER_REGRESSIONS, ids=lambda p: "-".join(s.op for s in p.steps))
def test_second_order_regression_programs(program: Program) -> None:
    assert check_second_order(program) != "no second order in torch"


@settings(max_examples=CI_EXAMPLES // 2, derandomize=True, deadline=None, suppress_health_check=_HEALTH,
          database=None)
@given(program=programs(ops=TWICE, dtype="float64", mode="ordinary"))
def test_gradients_of_gradients(program: Program) -> None:
    event(check_second_order(program))
