"""Cross-check cases of convolution, im2col/col2im and pooling (see op_cases.py, which gathers them).

float32: a convolution's output and gradients are sums of C kh kw (or N OH OW) products, which BLAS (minigrad) and
oneDNN/MKL (PyTorch) add in different orders; each may be off by about K * eps * sum|terms|. ``_ATOL`` allows that
for the sums here (up to ~60 terms of size up to 2 x 2, the sampled inputs and cotangents: the largest difference
measured beyond the suite's rtol was 2.3e-6). Pooling, unfold and fold add at most a window, in PyTorch's order: the
suite's default tolerance holds for them.
"""

from __future__ import annotations

from op_cases import Case, Domain

CASES: list[Case] = []
DOMAINS: dict[str, tuple[Domain, ...]] = {}

_ATOL = 1e-5


def _refused(op: str, shapes: tuple[tuple[int, ...], ...], **kwargs: object) -> Case:
    return Case(op, shapes, kwargs=kwargs, gradcheck=False)


# ----- convolution: stride, padding (ints, pairs, 'same', 'valid'), dilation, groups, bias, batch 1, unbatched ------
_X, _W, _B = (2, 3, 6, 5), (4, 3, 3, 3), (4,)
CASES += [Case("Conv2d", (_X, _W, _B), kwargs=k, float32_atol=_ATOL) for k in [
    {}, {"stride": 2}, {"padding": 1}, {"stride": (2, 1), "padding": (1, 2)}, {"dilation": 2},
    {"padding": "same"}, {"padding": "valid"}, {"stride": (1, 2), "dilation": (2, 1), "padding": (2, 0)}]]
CASES += [Case("Conv2d", shapes, kwargs=k, float32_atol=_ATOL) for shapes, k in [
    ((_X, _W), {}),  # no bias
    (((1, 3, 5, 5), (2, 3, 2, 4), (2,)), {"padding": "same"}),  # even kernel: the odd padding goes after
    (((1, 3, 7, 7), (2, 3, 2, 3)), {"padding": "same", "dilation": 3}),
    (((2, 4, 5, 5), (6, 2, 3, 3), (6,)), {"groups": 2}),
    (((1, 4, 5, 4), (4, 1, 3, 3)), {"groups": 4, "padding": 1}),  # depthwise
    (((1, 1, 4, 4), (1, 1, 4, 4), (1,)), {}),  # kernel as large as the input
    (((2, 3, 4, 4), (5, 3, 1, 1), (5,)), {}),  # 1 x 1
    (((3, 5, 5), (2, 3, 3, 3), (2,)), {"padding": 1}),  # unbatched
    (((0, 3, 5, 5), (4, 3, 3, 3), (4,)), {}),  # empty batch
]]
CASES += [
    _refused("Conv2d", ((1, 1, 8, 8), (8, 3, 3, 3))),  # wrong channel count
    _refused("Conv2d", ((1, 3, 2, 2), (8, 3, 3, 3))),  # kernel larger than the (padded) input
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3), (7,))),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3)), stride=0),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3)), padding=-1),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3)), dilation=0),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3)), padding="same", stride=2),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3, 3)), padding="full"),
    _refused("Conv2d", ((1, 4, 5, 5), (6, 2, 3, 3)), groups=4),
    _refused("Conv2d", ((3, 5), (8, 3, 3, 3))),
    _refused("Conv2d", ((1, 3, 5, 5), (8, 3, 3))),
]
CASES += [Case("Conv1d", shapes, kwargs=k, float32_atol=_ATOL) for shapes, k in [
    (((2, 3, 9), (4, 3, 3), (4,)), {}), (((2, 3, 9), (4, 3, 3), (4,)), {"stride": 2, "padding": 2}),
    (((2, 3, 9), (4, 3, 3)), {"dilation": 3}), (((1, 3, 8), (2, 3, 4), (2,)), {"padding": "same"}),
    (((2, 4, 7), (4, 2, 3), (4,)), {"groups": 2, "padding": "valid"}), (((3, 6), (2, 3, 2)), {}),
    (((1, 2, 5), (3, 2, 1), (3,)), {"stride": (2,)})]]
CASES += [_refused("Conv1d", ((1, 3, 2), (8, 3, 3))), _refused("Conv1d", ((1, 2, 5), (8, 3, 3))),
          _refused("Conv1d", ((1, 3, 5, 5), (8, 3, 3)))]

# ----- transposed convolution: stride, padding, output_padding, dilation, groups ----------------------------------
_XT, _WT = (2, 3, 4, 5), (3, 2, 3, 3)
CASES += [Case("ConvTranspose2d", (_XT, _WT, (2,)), kwargs=k, float32_atol=_ATOL) for k in [
    {}, {"stride": 2}, {"stride": 2, "padding": 1, "output_padding": 1}, {"stride": (1, 3), "output_padding": (0, 2)},
    {"dilation": 2, "padding": (1, 0)}, {"stride": 2, "dilation": 2, "output_padding": 1}]]
CASES += [Case("ConvTranspose2d", shapes, kwargs=k, float32_atol=_ATOL) for shapes, k in [
    ((_XT, _WT), {"padding": 1}), (((1, 4, 3, 3), (4, 1, 2, 2), (2,)), {"groups": 2, "stride": 2}),
    (((3, 4, 4), (3, 2, 3, 3), (2,)), {})]]
CASES += [_refused("ConvTranspose2d", ((1, 3, 5, 5), (2, 2, 3, 3))),
          _refused("ConvTranspose2d", ((1, 3, 5, 5), (3, 2, 3, 3)), stride=2, output_padding=2),
          _refused("ConvTranspose2d", ((1, 3, 1, 1), (3, 2, 3, 3)), padding=2),
          _refused("ConvTranspose2d", ((1, 3, 5, 5), (3, 2, 3, 3), (3,)))]
CASES += [Case("ConvTranspose1d", shapes, kwargs=k, float32_atol=_ATOL) for shapes, k in [
    (((2, 3, 5), (3, 2, 3), (2,)), {}), (((2, 3, 5), (3, 2, 3), (2,)), {"stride": 3, "output_padding": 2}),
    (((2, 4, 5), (4, 1, 2)), {"groups": 2, "padding": 1, "dilation": 2}), (((3, 4), (3, 2, 3), (2,)), {})]]
CASES += [_refused("ConvTranspose1d", ((1, 3, 5), (2, 2, 3))),
          _refused("ConvTranspose1d", ((1, 3, 5), (3, 2, 3)), stride=2, output_padding=2)]

# ----- im2col (unfold) and col2im (fold) -------------------------------------------------------------------------
CASES += [Case("Unfold", (shape,), args=args, kwargs=k) for shape, args, k in [
    ((2, 3, 5, 6), (2,), {}), ((2, 3, 5, 6), ((3, 2),), {"dilation": (1, 2), "padding": 1, "stride": (2, 1)}),
    ((1, 2, 4, 4), (4,), {}), ((3, 5, 6), (2,), {"stride": 2})]]
CASES += [_refused("Unfold", ((1, 3, 2, 3),), kernel_size=3), _refused("Unfold", ((1, 3, 5, 5),), kernel_size=0),
          _refused("Unfold", ((3, 5),), kernel_size=2)]
CASES += [Case("Fold", (shape,), args=args, kwargs=k) for shape, args, k in [
    ((2, 12, 20), ((5, 6), 2), {}), ((2, 12, 12), ((5, 6), (2, 2)), {"stride": 2, "padding": 1}),
    ((1, 8, 12), (4, 2), {"dilation": (1, 2), "padding": (0, 1)}), ((12, 20), ((5, 6), 2), {})]]
CASES += [_refused("Fold", ((1, 13, 16),), output_size=(5, 5), kernel_size=2),
          _refused("Fold", ((1, 12, 5),), output_size=(3, 3), kernel_size=2),
          _refused("Fold", ((1, 3, 12, 16),), output_size=(5, 5), kernel_size=2)]

# ----- pooling ---------------------------------------------------------------------------------------------------
_P = (2, 3, 7, 6)
_MAX_POOL = [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1}, {"kernel_size": (2, 3), "stride": (1, 2)},
    {"kernel_size": 2, "dilation": 2}, {"kernel_size": 3, "stride": 2, "ceil_mode": True},
    {"kernel_size": 2, "stride": 2, "padding": 1, "dilation": 3, "ceil_mode": True},
    {"kernel_size": 2, "return_indices": True}, {"kernel_size": 3, "padding": 1, "stride": 1, "return_indices": True}]
CASES += [Case("MaxPool2d", (_P,), kwargs=k) for k in _MAX_POOL]
CASES += [Case("MaxPool2d", (_P,), kwargs=k, discrete=True) for k in _MAX_POOL[:2]]  # ties: the first maximum
CASES += [Case("MaxPool2d", ((3, 5, 4),), kwargs={"kernel_size": 2, "return_indices": True}),
          Case("MaxPool2d", ((1, 1, 4, 4),), kwargs={"kernel_size": 4})]
CASES += [_refused("MaxPool2d", ((1, 3, 5, 5),), kernel_size=3, padding=2),
          _refused("MaxPool2d", ((1, 3, 2, 2),), kernel_size=3), _refused("MaxPool2d", ((3, 5),), kernel_size=3),
          _refused("MaxPool2d", ((1, 3, 5, 5),), kernel_size=2, stride=0)]
_MAX_POOL_1D = [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1}, {"kernel_size": 2, "dilation": 2},
                {"kernel_size": 3, "stride": 2, "ceil_mode": True}, {"kernel_size": 2, "return_indices": True}]
CASES += [Case("MaxPool1d", ((2, 3, 9),), kwargs=k) for k in _MAX_POOL_1D]
CASES += [Case("MaxPool1d", ((2, 3, 9),), kwargs=k, discrete=True) for k in _MAX_POOL_1D[:2]]
CASES += [Case("MaxPool1d", ((3, 7),), kwargs={"kernel_size": 3})]
CASES += [_refused("MaxPool1d", ((1, 3, 5),), kernel_size=2, padding=2),
          _refused("MaxPool1d", ((1, 3, 2),), kernel_size=3)]
_AVG_POOL = [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
    {"kernel_size": (2, 3), "stride": 2, "ceil_mode": True}, {"kernel_size": 3, "padding": 1, "divisor_override": 2},
    {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}]
CASES += [Case("AvgPool2d", (_P,), kwargs=k) for k in _AVG_POOL]
CASES += [Case("AvgPool2d", ((3, 5, 4),), kwargs={"kernel_size": 2})]
CASES += [_refused("AvgPool2d", ((1, 3, 5, 5),), kernel_size=3, padding=2),
          _refused("AvgPool2d", ((1, 3, 5, 5),), kernel_size=2, divisor_override=0),
          _refused("AvgPool2d", ((3, 5),), kernel_size=2)]
CASES += [Case("AvgPool1d", ((2, 3, 9),), kwargs=k) for k in [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False, "ceil_mode": True}]]
CASES += [Case("AvgPool1d", ((3, 7),), kwargs={"kernel_size": 3}), _refused("AvgPool1d", ((5,),), kernel_size=2)]
CASES += [Case("AdaptiveAvgPool2d", (_P,), args=(size,)) for size in [(3, 2), 4, (7, 6), (5, None), (1, 3), 1]]
CASES += [Case("AdaptiveAvgPool2d", ((3, 5, 4),), args=(2,)), _refused("AdaptiveAvgPool2d", ((3, 5),), output_size=2)]
CASES += [Case("AdaptiveAvgPool1d", (shape,), args=(size,)) for shape, size in [
    ((2, 3, 9), 4), ((2, 3, 9), 9), ((2, 3, 9), 1), ((3, 7), 3)]]
CASES += [Case("AdaptiveMaxPool2d", (_P,), args=(size,), kwargs=k) for size, k in [
    ((3, 2), {}), (4, {"return_indices": True}), ((7, 6), {}), ((None, 2), {})]]
CASES += [Case("AdaptiveMaxPool2d", (_P,), args=((3, 2),), discrete=True),
          _refused("AdaptiveMaxPool2d", ((3, 5),), output_size=2)]
