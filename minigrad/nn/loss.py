"""Loss layers: each holds its options and calls the function of the same name in ``functional``."""

from typing import Any, ClassVar

from .. import errors
from ..tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    """What every loss layer keeps: its ``reduction``, or what the deprecated ``size_average``/``reduce`` flags mean
    where they are given (with PyTorch's warning)."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = F._legacy_reduction(size_average, reduce, reduction)


class MSELoss(_Loss):
    """Mean squared error, ``F.mse_loss``."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error, ``F.l1_loss``."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities, ``F.binary_cross_entropy``."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, ``F.binary_cross_entropy_with_logits``."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", pos_weight: Tensor | None = None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities at class indices, ``F.nll_loss``."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits against class indices or class probabilities, ``F.cross_entropy``."""

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class _OptionLoss(_Loss):
    """A loss module calling ``functional.<function>`` with its inputs, the options named in ``options`` (kept as
    attributes, as PyTorch's modules keep them) and its reduction."""

    function: ClassVar[str]
    options: ClassVar[tuple[str, ...]] = ()

    def __init__(self, size_average: bool | None, reduce: bool | None, reduction: str, **options: Any) -> None:
        super().__init__(size_average, reduce, reduction)
        for name, value in options.items():
            setattr(self, name, value)

    def forward(self, *inputs: Tensor) -> Tensor:
        options = {name: getattr(self, name) for name in self.options}
        return getattr(F, self.function)(*inputs, **options, reduction=self.reduction)


class SmoothL1Loss(_OptionLoss):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, ``F.smooth_l1_loss``."""

    function, options = "smooth_l1_loss", ("beta",)

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction, beta=beta)


class HuberLoss(_OptionLoss):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), ``F.huber_loss``."""

    function, options = "huber_loss", ("delta",)

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(None, None, reduction, delta=delta)


class SoftMarginLoss(_OptionLoss):
    """log(1 + exp(-y x)), ``F.soft_margin_loss``."""

    function = "soft_margin_loss"

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)


class KLDivLoss(_OptionLoss):
    """KL(target || exp(input)) for log-probabilities ``input``, ``F.kl_div``."""

    function, options = "kl_div", ("log_target",)

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction, log_target=log_target)


class PoissonNLLLoss(_OptionLoss):
    """Poisson negative log-likelihood, ``F.poisson_nll_loss``."""

    function, options = "poisson_nll_loss", ("log_input", "full", "eps")

    def __init__(self, log_input: bool = True, full: bool = False, size_average: bool | None = None,
                 eps: float = 1e-8, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction, log_input=log_input, full=full, eps=eps)


class GaussianNLLLoss(_OptionLoss):
    """Gaussian negative log-likelihood of target under N(input, var), ``F.gaussian_nll_loss``."""

    function, options = "gaussian_nll_loss", ("full", "eps")

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(None, None, reduction, full=full, eps=eps)


class MarginRankingLoss(_OptionLoss):
    """max(0, -y (x1 - x2) + margin), ``F.margin_ranking_loss``."""

    function, options = "margin_ranking_loss", ("margin",)

    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction, margin=margin)


class HingeEmbeddingLoss(MarginRankingLoss):
    """x where y = 1, max(0, margin - x) where y = -1, ``F.hinge_embedding_loss``."""

    function = "hinge_embedding_loss"

    def __init__(self, margin: float = 1.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(margin, size_average, reduce, reduction)


class CosineEmbeddingLoss(MarginRankingLoss):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1, ``F.cosine_embedding_loss``."""

    function = "cosine_embedding_loss"


class TripletMarginLoss(_OptionLoss):
    """max(0, d(a, p) - d(a, n) + margin), ``F.triplet_margin_loss``."""

    function, options = "triplet_margin_loss", ("margin", "p", "eps", "swap")

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction, margin=margin, p=p, eps=eps, swap=swap)


class MultiLabelSoftMarginLoss(_OptionLoss):
    """Per-class logistic loss averaged over the classes, ``F.multilabel_soft_margin_loss``."""

    function, options = "multilabel_soft_margin_loss", ("weight",)

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MultiMarginLoss(_OptionLoss):
    """Multi-class hinge loss, ``F.multi_margin_loss``."""

    function, options = "multi_margin_loss", ("p", "margin", "weight")

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        if p not in (1, 2):
            raise errors.multi_margin_p()
        super().__init__(size_average, reduce, reduction, p=p, margin=margin)
        self.register_buffer("weight", weight)
