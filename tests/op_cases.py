"""The cross-check cases for every op in the registry: inputs to run on minigrad and on torch.

Each registry op must have cases here (``test_every_op_has_cases`` enforces it). A case names the
registry op, the shapes of its tensor inputs, and the other arguments, the same for both frameworks;
an argument may be a function of the framework module (for index tensors and dtypes). Input values are
drawn from each op's domain (``DOMAINS``: where it is defined and differentiable).
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Domain:
    """Where an op's input is valid, in words, and the interval the tests sample it from."""

    text: str
    low: float
    high: float
    symmetric: bool = False  # sample from [-high, -low] too


REAL = Domain("any real x", -2.0, 2.0)
POSITIVE = Domain("x > 0", 0.5, 2.0)
NONZERO = Domain("x != 0", 0.5, 2.0, symmetric=True)
AWAY_FROM_KINK = Domain("x != 0 (not differentiable at 0)", 0.1, 2.0, symmetric=True)
PROBABILITY = Domain("0 < p < 1", 0.05, 0.95)
TARGET = Domain("0 <= y <= 1", 0.0, 1.0)

# Each op's domain for each tensor input (the last one for the inputs after it); REAL for ops not named here.
DOMAINS: dict[str, tuple[Domain, ...]] = {
    "Div": (REAL, NONZERO),
    "Pow": (Domain("x > 0 (any x for an integer exponent)", 0.5, 2.0),),
    "PowTensor": (POSITIVE, REAL),
    "Log": (POSITIVE,),
    "Sqrt": (POSITIVE,),
    "Abs": (AWAY_FROM_KINK,),
    "Relu": (AWAY_FROM_KINK,),
    "LeakyRelu": (AWAY_FROM_KINK,),
    "BinaryCrossEntropy": (PROBABILITY, TARGET),
    "BinaryCrossEntropyWithLogits": (REAL, TARGET),
}


@dataclass(frozen=True)
class Case:
    op: str
    shapes: tuple[tuple[int, ...], ...]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    domain: tuple[Domain, ...] | None = None  # overrides the op's domain in DOMAINS
    discrete: bool = False  # inputs drawn from {-1, 0, 1}, so that ties and equalities happen
    # float32 absolute tolerance for products summed over many terms, where BLAS and PyTorch's MKL add in
    # different orders: each may be off by about K * eps * sum|terms| (the notes: sgemm is not reproducible).
    float32_atol: float | None = None
    as_list: bool = False  # the op takes its tensors as one list (cat, stack)
    leading: tuple[Any, ...] = ()  # arguments that come before the tensors (where's condition)
    gradcheck: bool = True  # False for cases that raise (in float64 at least): torch's error is the check
    cpu_only: str = ""  # why torch on CUDA cannot be the reference for this case (it then runs on the CPU only)
    inplace: bool = False  # the op writes into its first tensor: it gets a clone of the leaf (a leaf cannot be written)
    grouped: tuple[int, int] | None = None  # tensors [start, stop) go in as one tuple (lstm_cell's hx = (h, c))
    listed: tuple[int, int] | None = None  # tensors [start, stop) go in as one list (lstm's params; after grouped)
    inserted: tuple[tuple[int, Any], ...] = ()  # (position, argument): placed among the positional arguments, as
    # masked_scatter's mask between its two tensors

    def call(self, fn: Callable[..., Any], tensors: list[Any], fw: Any, device: str | None = None) -> Any:
        """fn applied to the case's leading arguments, the tensors (as one list when ``as_list``), then the other
        arguments, each argument built for the framework ``fw`` where it depends on it (and put on ``device``,
        as the tensors are)."""
        def build(a: Any) -> Any:
            value = a(fw) if callable(a) else a
            return value.to(device) if device is not None and isinstance(value, fw.Tensor) else value

        leading = [build(a) for a in self.leading]
        args = [build(a) for a in self.args]
        kwargs = {k: build(v) for k, v in self.kwargs.items()}
        tensors = [list(tensors)] if self.as_list else list(tensors)
        if self.listed:
            start, stop = self.listed
            tensors[start:stop] = [list(tensors[start:stop])]
        if self.grouped:
            start, stop = self.grouped
            tensors[start:stop] = [tuple(tensors[start:stop])]
        if self.inplace:
            tensors[0] = tensors[0].clone()
        positional = [*leading, *tensors, *args]
        for position, argument in self.inserted:
            positional.insert(position, build(argument))
        return fn(*positional, **kwargs)

    @property
    def seed(self) -> int:
        return zlib.crc32(self.id.encode())

    @property
    def id(self) -> str:
        shapes = ",".join("x".join(map(str, s)) or "scalar" for s in self.shapes)
        extra = [repr(a) if not callable(a) else getattr(a, "label", "fn") for a in
                 (*self.args, *(argument for _, argument in self.inserted))]
        extra += [f"{k}={v!r}" if not callable(v) else f"{k}={getattr(v, 'label', 'fn')}"
                  for k, v in self.kwargs.items()]
        return f"{self.op}[{shapes}{';' if extra else ''}{','.join(extra)}]"


def resolve(path: str, root: Any) -> Any:
    """The object at a dotted path such as ``torch.Tensor.view``, under ``root`` instead of ``torch``."""
    obj = root
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def sample(case: Case, dtype: str) -> list[np.ndarray]:
    """The case's input values, drawn from each input's domain (the same every run)."""
    rng = np.random.default_rng(case.seed)
    domains = case.domain or DOMAINS.get(case.op, (REAL,))
    values = []
    for i, shape in enumerate(case.shapes):
        domain = domains[min(i, len(domains) - 1)]
        if case.discrete:
            x = rng.integers(-1, 2, size=shape).astype(dtype)
        else:
            x = rng.uniform(domain.low, domain.high, size=shape)
            if domain.symmetric:
                x *= rng.choice([-1.0, 1.0], size=shape)
        values.append(np.asarray(x, dtype=dtype))
    return values


def per_framework(label: str, make: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An argument built for each framework (``make(torch)`` or ``make(minigrad)``), shown as ``label``."""
    make.label = label  # type: ignore[attr-defined]
    return make


BINARY_SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3,)), ((5,), ()), ((0, 3), (3,)),
                 ((1,), (2, 3))]
UNARY_SHAPES = [(), (5,), (3, 4), (2, 3, 4), (0, 4), (1, 3)]

CASES: list[Case] = []
for name in ("Add", "Sub", "Rsub", "Mul", "Div", "PowTensor"):
    CASES += [Case(name, shapes) for shapes in BINARY_SHAPES]
CASES += [Case(name, shapes, kwargs={"alpha": alpha}) for name in ("AddScaled", "SubScaled") for alpha in (0.37, -2)
          for shapes in BINARY_SHAPES[:4]]
CASES += [Case("PowScalarBase", (shape,), leading=(base,)) for base in (2.0, 0.5, 3) for shape in ((3, 4), ())]
for name in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge"):
    CASES += [Case(name, shapes, discrete=True) for shapes in BINARY_SHAPES]
CASES += [Case("Div", ((3, 4), (3, 4)), domain=(REAL, NONZERO))]
for name in ("Neg", "Exp", "Log", "Sqrt", "Abs", "Sigmoid", "Relu", "Tanh"):
    CASES += [Case(name, (shape,)) for shape in UNARY_SHAPES]
for exponent in (2, 3, 0, 1, -1, -2, 4):
    CASES += [Case("Pow", ((3, 4),), args=(exponent,), domain=(NONZERO,))]
for exponent in (0.5, -0.5, 2.5, -1.5):
    CASES += [Case("Pow", ((3, 4),), args=(exponent,))]
CASES += [Case("Pow", ((),), args=(2,)), Case("Pow", ((0, 2),), args=(2.5,))]
CASES += [
    Case("Clamp", ((3, 4),), kwargs={"min": -0.5, "max": 0.5}),
    Case("Clamp", ((5,),), kwargs={"min": 0.1}),
    Case("Clamp", ((2, 3),), kwargs={"max": -0.2}),
    Case("Clamp", ((2, 3),), kwargs={"min": 0.3, "max": -0.3}),
    Case("ToCopy", ((3, 4),), kwargs={"dtype": per_framework("float64", lambda fw: fw.float64)}),
    Case("ToCopy", ((3,),), kwargs={"dtype": per_framework("float32", lambda fw: fw.float32)}),
]
# clamp with tensor bounds: min and max (broadcast with x and with each other, beyond x's shape too), or min alone;
# the discrete ones tie x with its bounds and put min above max, which decide where the gradient goes
CASES += [Case("ClampTensor", shapes) for shapes in [((3, 4), (4,), (3, 1)), ((3, 4), (3, 4)), ((4,), (2, 4)),
                                                     ((2, 3, 4), (3, 1), (4,)), ((), ()), ((0, 3), (3,))]]
CASES += [Case("ClampTensor", ((4, 5), (4, 5), (4, 5)), discrete=True),
          Case("ClampTensor", ((4, 5), (5,)), discrete=True),
          Case("ClampTensor", ((3,), (2,)), gradcheck=False)]  # shapes that do not broadcast: torch's error
# PyTorch's backward refuses where x broadcast with min (or with max, for max's gradient) is smaller than the result
CASES += [Case("ClampTensor", shapes, gradcheck=False) for shapes in [((), (3,), ()), ((2, 1, 4), (3, 1), (4,))]]
for name in ("Sum", "Mean"):
    CASES += [
        Case(name, ((3, 4, 5),)),
        Case(name, ((),)),
        Case(name, ((3, 4, 5),), kwargs={"dim": 0}),
        Case(name, ((3, 4, 5),), kwargs={"dim": -1, "keepdim": True}),
        Case(name, ((3, 4, 5),), kwargs={"dim": (0, 2)}),
        Case(name, ((3, 4, 5),), kwargs={"dim": (2, 0), "keepdim": True}),
        Case(name, ((4, 1),), kwargs={"dim": 1}),
        Case(name, ((0, 3),), kwargs={"dim": 1}),
    ]
CASES += [Case("Sum", ((0, 3),)), Case("Sum", ((0, 3),), kwargs={"dim": 0})]
for name in ("Max", "Min"):
    CASES += [Case(name, (shape,)) for shape in [(3, 4), (7,), ()]]
    CASES += [Case(name, ((4, 5),), discrete=True)]  # ties share the gradient
for name in ("MaxDim", "MinDim"):
    CASES += [Case(name, ((3, 4, 5),), kwargs={"dim": d, "keepdim": k}) for d in (0, 1, -1) for k in (False, True)]
    CASES += [Case(name, ((4, 5),), kwargs={"dim": 1}, discrete=True), Case(name, ((),), kwargs={"dim": 0})]
for name in ("Argmax", "Argmin"):
    CASES += [Case(name, ((3, 4),)), Case(name, ((3, 4),), kwargs={"dim": 1}),
              Case(name, ((3, 4),), kwargs={"dim": 0, "keepdim": True}),
              Case(name, ((4, 5),), kwargs={"dim": 1}, discrete=True)]
CASES += [
    Case("Matmul", shapes)
    for shapes in [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3, 4)),
                   ((2, 3), (5, 3, 4)), ((2, 1, 2, 3), (3, 3, 4)), ((3,), (2, 3, 4)), ((2, 4, 3), (3,)),
                   ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((1, 1), (1, 1))]
]
CASES += [
    Case("View", ((3, 4),), args=((4, 3),)),
    Case("View", ((3, 4),), args=((12,),)),
    Case("View", ((2, 3, 4),), args=((2, -1),)),
    Case("View", ((),), args=((1, 1),)),
    Case("Reshape", ((3, 4),), args=((4, 3),)),
    Case("Reshape", ((2, 3, 4),), args=((-1,),)),
    Case("Reshape", ((2, 3, 4),), args=((6, 1, 4),)),
    Case("Transpose", ((3, 4),), args=(0, 1)),
    Case("Transpose", ((2, 3, 4),), args=(0, 2)),
    Case("Transpose", ((2, 3, 4),), args=(-1, 1)),
    Case("Transpose", ((5,),), args=(0, -1)),
    Case("T", ((3, 4),)),
    Case("T", ((5,),)),
    Case("T", ((),)),
    Case("Permute", ((2, 3, 4),), args=((2, 0, 1),)),
    Case("Permute", ((2, 3),), args=((1, 0),)),
    Case("Squeeze", ((1, 3, 1),)),
    Case("Squeeze", ((1, 3, 1),), args=(0,)),
    Case("Squeeze", ((1, 3, 1),), args=(1,)),
    Case("Squeeze", ((1, 3, 1),), args=(-1,)),
    Case("Unsqueeze", ((3, 4),), args=(0,)),
    Case("Unsqueeze", ((3, 4),), args=(2,)),
    Case("Unsqueeze", ((3, 4),), args=(-1,)),
    Case("Unsqueeze", ((),), args=(0,)),
]
_MASK = np.array([[True, False, True, False, False], [False, False, False, False, False],
                  [True, True, True, True, True], [False, True, False, False, True]])
CASES += [
    Case("Index", ((4, 5),), args=(key,))
    for key in [1, -1, slice(1, 3), (slice(None), 2), (None, 1), (Ellipsis, 0), (slice(None, None, 2),),
                (slice(1, None), slice(None, -1, 3)), [0, 2, 2], ([0, 1, 3], [4, 4, 0]),
                per_framework("long[[0,1],[3,3]]", lambda fw: fw.tensor([[0, 1], [3, 3]])),
                per_framework("bool mask", lambda fw: fw.tensor(_MASK)),
                per_framework("(:, long[4,0,4])", lambda fw: (slice(None), fw.tensor([4, 0, 4]))),
                per_framework("bool rows", lambda fw: fw.tensor([True, False, True, True]))]
]
CASES += [Case("Index", ((3,),), args=(0,)), Case("Index", ((2, 3, 4),), args=((1, slice(None), [0, 3]),))]
CASES += [Case("Clone", ((3, 4),)), Case("Clone", ((),))]
CASES += [
    Case("Linear", shapes)
    for shapes in [((4, 3), (2, 3), (2,)), ((4, 3), (2, 3)), ((3, 1), (1, 1), (1,)), ((6, 2), (1, 2), (1,)),
                   ((3,), (2, 3), (2,)), ((2, 4, 3), (5, 3), (5,))]
]
CASES += [Case("Linear", ((64, 20), (16, 20), (16,)), float32_atol=2e-5)]
for name, shapes in [("MseLoss", [((3, 1), (3, 1)), ((4, 5), (4, 5)), ((3, 1), (3,)), ((), ())]),
                     ("BinaryCrossEntropy", [((6, 1), (6, 1)), ((17,), (17,)), ((3, 4), (3, 4))]),
                     ("BinaryCrossEntropyWithLogits", [((6, 1), (6, 1)), ((17,), (17,)), ((3, 4), (3, 4))])]:
    CASES += [Case(name, s, kwargs={"reduction": r}) for s in shapes for r in ("mean", "sum", "none")]
for name, width in [("HuberLoss", "delta"), ("SmoothL1Loss", "beta")]:  # kinks at |x - y| = width: away from them
    CASES += [Case(name, s, kwargs={"reduction": r, width: w})
              for s in [((3, 1), (3, 1)), ((4, 5), (4, 5)), ((3, 1), (3,)), ((), ()), ((40,), (40,))]
              for r in ("mean", "sum", "none") for w in (1.0, 0.3)]
CASES += [
    Case("Cat", shapes, kwargs=kwargs, as_list=True)
    for shapes, kwargs in [(((2, 3), (4, 3)), {}), (((2, 3), (2, 1), (2, 2)), {"dim": 1}),
                           (((2, 3), (2, 3)), {"dim": -1}), (((3,), (0,), (2,)), {}), (((2, 0), (2, 3)), {"dim": 1}),
                           (((1, 2, 3), (2, 2, 3)), {})]
]
CASES += [
    Case("Stack", shapes, kwargs=kwargs, as_list=True)
    for shapes, kwargs in [(((2, 3), (2, 3)), {}), (((2, 3), (2, 3), (2, 3)), {"dim": 1}), (((3,), (3,)), {"dim": -1}),
                           (((), ()), {}), (((2, 3),), {"dim": 2})]
]
for name in ("Maximum", "Minimum"):
    CASES += [Case(name, shapes) for shapes in BINARY_SHAPES]
    CASES += [Case(name, ((4, 5), (4, 5)), discrete=True)]  # ties share the gradient
_CONDITION = np.array([[True, False, True, False], [False, False, True, True], [True, True, True, False]])
CASES += [
    Case("Where", ((3, 4), (3, 4)), leading=(per_framework("condition", lambda fw: fw.tensor(_CONDITION)),)),
    Case("Where", ((3, 1), (4,)), leading=(per_framework("condition", lambda fw: fw.tensor(_CONDITION)),)),
    Case("Where", ((4,), ()), leading=(per_framework("condition[0]", lambda fw: fw.tensor(_CONDITION[0])),)),
    Case("Where", ((4,), (4,)), leading=(per_framework("float condition", lambda fw: fw.ones(4)),), gradcheck=False),
    Case("MaskedFill", ((3, 4),), args=(per_framework("mask", lambda fw: fw.tensor(_CONDITION)), -2.5)),
    Case("MaskedFill", ((2, 3, 4),), args=(per_framework("mask[0]", lambda fw: fw.tensor(_CONDITION[0])), 1.0)),
    Case("MaskedFill", ((3, 4),), args=(per_framework("float mask", lambda fw: fw.ones(3, 4)), 1.0), gradcheck=False),
]
CASES += [Case("Expand", (shape,), args=sizes) for shape, sizes in [
    ((3, 1), (3, 4)), ((1,), (2, 5)), ((2, 1, 3), (4, 2, -1, 3)), ((), (3,)), ((3, 1), (-1, 2))]]
CASES += [Case("Expand", ((2, 3),), args=sizes, gradcheck=False) for sizes in [(3, 3), (3,)]]
CASES += [Case("Repeat", (shape,), args=reps) for shape, reps in [
    ((2, 3), (2, 1)), ((3,), (2, 2)), ((2, 1, 3), (1, 4, 2)), ((), (3,)), ((2, 3), (0, 1))]]
CASES += [Case("Repeat", ((2, 3),), args=(2,), gradcheck=False)]
for name in ("Prod",):
    CASES += [Case(name, ((3, 4),)), Case(name, ((3, 4),), kwargs={"dim": 1}), Case(name, ((2, 3, 4),),
              kwargs={"dim": 0, "keepdim": True}), Case(name, ((),)), Case(name, ((4, 5),), discrete=True),
              Case(name, ((4, 5),), kwargs={"dim": -1}, discrete=True)]
for name in ("Var", "Std"):
    CASES += [Case(name, ((3, 4),)), Case(name, ((3, 4),), kwargs={"dim": 1}),
              Case(name, ((3, 4),), kwargs={"dim": 0, "unbiased": False, "keepdim": True}),
              Case(name, ((2, 3, 4),), kwargs={"dim": (0, 2), "correction": 2}),
              Case(name, ((5,),), kwargs={"correction": 0})]
CASES += [Case("Cumsum", (shape,), kwargs={"dim": d}) for shape, d in [((5,), 0), ((3, 4), 1), ((3, 4), -2),
                                                                       ((2, 3, 4), 1), ((), 0), ((0, 3), 0)]]
_IN_KERNEL = "an index out of range, which torch's CUDA kernel meets as a device-side assert (fatal to the process)"
_GATHER = np.array([[0, 2, 1, 0], [2, 2, 0, 1]])
CASES += [
    Case("Gather", ((3, 4),), args=(0, per_framework("index", lambda fw: fw.tensor(_GATHER)))),
    Case("Gather", ((3, 4),), args=(1, per_framework("index.T", lambda fw: fw.tensor(_GATHER.T[:3] % 4)))),
    Case("Gather", ((3, 4),), args=(0, per_framework("index 5", lambda fw: fw.tensor(_GATHER * 5))), gradcheck=False,
         cpu_only=_IN_KERNEL),
    Case("Gather", ((3, 4),), args=(0, per_framework("1-D index", lambda fw: fw.tensor(_GATHER[0]))), gradcheck=False),
    Case("Scatter", ((3, 4),), args=(0, per_framework("index", lambda fw: fw.tensor(_GATHER)), 2.5)),
    Case("Scatter", ((3, 4),), args=(1, per_framework("index.T", lambda fw: fw.tensor(_GATHER.T[:3] % 4))),
         kwargs={"src": per_framework("src", lambda fw: fw.arange(12.0).reshape(3, 4))}, gradcheck=False,
         cpu_only="row 1 writes column 2 twice: the CPU keeps the last write, CUDA's order is undefined"),
]

# ----- classification: softmax, log_softmax, nll_loss, leaky_relu, softplus ------------------------------------------
_NEAR_PLUS_1E4 = Domain("logits near 1e4: exp(x) overflows without the max shift", 1e4, 1e4 + 4)
_NEAR_MINUS_1E4 = Domain("logits near -1e4: exp(x) underflows without the max shift", -1e4 - 4, -1e4)
_SPREAD_1E4 = Domain("logits of size 1e3..1e4, either sign", 1e3, 1e4, symmetric=True)
for name in ("Softmax", "LogSoftmax"):
    CASES += [Case(name, (shape,), kwargs={"dim": dim}) for shape, dim in [
        ((5,), 0), ((5,), -1), ((3, 4), 1), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 0), ((2, 3, 4), 1), ((2, 3, 4), -1),
        ((2, 3, 4), -3), ((), 0), ((0, 3), 1), ((4, 1), 1), ((3, 40), 1), ((40, 3), 0), ((2, 17, 3), 1)]]
    CASES += [Case(name, ((4, 5),), kwargs={"dim": dim}, domain=(domain,))
              for domain in (_NEAR_PLUS_1E4, _NEAR_MINUS_1E4, _SPREAD_1E4) for dim in (0, 1)]
    CASES += [Case(name, ((3, 4),), kwargs={"dim": 2}, gradcheck=False)]  # dim out of range: IndexError


def _long(label: str, values: Any, dtype: str = "int64") -> Callable[[Any], Any]:
    """An index tensor (int64 unless ``dtype`` says otherwise) built for each framework."""
    return per_framework(label, lambda fw: fw.tensor(np.array(values), dtype=getattr(fw, dtype)))


# float64 weights: float32 inputs then raise torch's dtype error in both frameworks (compared as such). No 4-D
# inputs here: torch's backward refuses non-contiguous ones ("grad_input must be contiguous"); see test_classification.
_CLASS_WEIGHT = per_framework("weight", lambda fw: fw.tensor([0.5, 2.0, 1.0, 3.0], dtype=fw.float64))
_TARGET_5 = _long("t[0,3,1,3,2]", [0, 3, 1, 3, 2])
_IGNORED_5 = _long("t[0,-100,1,3,-100]", [0, -100, 1, 3, -100])
for reduction in ("mean", "sum", "none"):
    CASES += [
        Case("NllLoss", ((5, 4),), args=(_TARGET_5,), kwargs={"reduction": reduction}),
        Case("NllLoss", ((5, 4),), args=(_IGNORED_5,), kwargs={"reduction": reduction}),
        Case("NllLoss", ((5, 4),), args=(_TARGET_5,), kwargs={"reduction": reduction, "ignore_index": 3}),
        Case("NllLoss", ((5, 4),), args=(_IGNORED_5,), kwargs={"reduction": reduction, "weight": _CLASS_WEIGHT}),
        Case("NllLoss", ((4,),), args=(_long("t2", 2),), kwargs={"reduction": reduction}),
        Case("NllLoss", ((1, 4),), args=(_long("t[3]", [3]),), kwargs={"reduction": reduction}),
        Case("NllLoss", ((2, 4, 3),), args=(_long("t(2,3)", [[0, 3, 1], [2, -100, 3]]),),
             kwargs={"reduction": reduction, "weight": _CLASS_WEIGHT}),
        Case("NllLoss", ((2, 4, 1, 2, 2),), args=(_long("t(2,1,2,2)", [[[[0, 3], [1, 2]]], [[[3, 3], [0, 1]]]]),),
             kwargs={"reduction": reduction}),
        Case("NllLoss", ((5, 4),), args=(_long("uint8 t", [0, 3, 1, 3, 2], "uint8"),), kwargs={"reduction": reduction}),
    ]
CASES += [
    Case("NllLoss", ((40, 7),), args=(_long("t40", np.arange(40) * 5 % 7),)),
    Case("NllLoss", ((3, 4),), args=(_long("t all ignored", [-100, -100, -100]),), gradcheck=False),  # 0 / 0: nan
    Case("NllLoss", ((5, 4),), args=(_long("t has 4", [0, 4, 1, 3, 2]),), gradcheck=False,  # IndexError
         cpu_only=_IN_KERNEL),
    Case("NllLoss", ((5, 4),), args=(_long("t has -1", [0, -1, 1, 3, 2]),), gradcheck=False, cpu_only=_IN_KERNEL),
    Case("NllLoss", ((5, 4),), args=(_long("float t", [0.0, 1, 1, 3, 2], "float32"),), gradcheck=False,
         cpu_only="torch raises NotImplementedError for a float target on CUDA, RuntimeError on the CPU "
                  "(minigrad follows the CPU)"),
    Case("NllLoss", ((5, 4),), args=(_long("t(5,1)", [[0], [1], [1], [3], [2]]),), gradcheck=False),
    Case("NllLoss", ((5, 4),), args=(_long("t(4)", [0, 1, 1, 3]),), gradcheck=False),
]
for shape in UNARY_SHAPES:
    CASES += [Case("LeakyRelu", (shape,)), Case("Softplus", (shape,))]
CASES += [Case("LeakyRelu", ((3, 4),), args=(slope,)) for slope in (0.2, 0.0, 1.5, -0.3)]
CASES += [Case("LeakyRelu", ((3, 4),), kwargs={"negative_slope": 0.5})]
CASES += [Case("Softplus", ((3, 4),), kwargs=kwargs) for kwargs in [
    {"beta": 2.0}, {"beta": 0.5, "threshold": 0.5}, {"beta": 2.0, "threshold": 1.0}, {"threshold": 0.0}]]
CASES += [Case("Softplus", ((3, 4),), domain=(Domain("x past the threshold", 15.0, 30.0, symmetric=True),))]

# The everyday API's ops (issue 23), one file of cases per area: each adds to CASES and DOMAINS.
for _area in ("math", "linalg", "shape", "reductions", "nn", "assign", "conv", "resize", "norm", "rnn"):
    _module = importlib.import_module(f"op_cases_{_area}")
    CASES += _module.CASES
    DOMAINS.update(_module.DOMAINS)


def differentiable_cases() -> list[Case]:
    """The cases of differentiable ops that a gradient check applies to (the higher-order and forward-mode tests)."""
    from minigrad.ops.registry import REGISTRY
    return [c for c in CASES if REGISTRY[c.op].differentiable and c.gradcheck]
