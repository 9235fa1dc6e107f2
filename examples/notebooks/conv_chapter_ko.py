# ruff: noqa: E402, B018, F821, I001 (a notebook: imports where first used, displayed values, names from the
# included cells, imports in reading order; build.py drops this line)

# %% [markdown]
# # 합성곱을 세 가지 방법으로, 그 기울기, 그리고 손글씨 숫자를 배우는 CNN
#
# 2차원 합성곱은 작은 커널을 이미지 위로 밀어 가며, 위치마다 커널과 그 아래 픽셀의 곱을 모두 더한다.
#
# $$
# y[n, o, i, j] = b[o] + \sum_{c, p, q} w[o, c, p, q]\; x[n, c,\; i s + p - \text{pad},\; j s + q - \text{pad}]
# $$
#
# 이 장에서는 이 합을 **minigrad**로 세 가지 방법으로 만들고, 각각을 파이토치와 비교한다.
#
# 1. **반복문**: 식을 읽히는 그대로, 창(window) 하나씩;
# 2. **im2col**: 모든 창을 열(column)로 펼친 뒤(`F.unfold`) 행렬 곱 한 번: minigrad가 실제로 계산하는 방법;
# 3. **`nn.Conv2d`**: 파이토치와 똑같이 초기화되는 레이어.
#
# 이어서 `minigrad.explain`이 채널 하나짜리 합성곱의 두 기울기를 숫자까지 풀어서 보여 주고, 작은 CNN이
# scikit-learn의 손글씨 숫자를 배운다 (`examples/digits_cnn.py`의 셀들; 여기서는 2 에폭, 스크립트는 6 에폭).
#
# 셀에는 시드 튜토리얼처럼 태그가 붙는다: **minigrad**, **torch** (같은 코드를 파이토치로, 이름은 `t_`로
# 시작), **compare** (두 결과를 출력하고 일치하면 `True`), **helper**. 노트북 전체가 몇 초 안에 실행된다.

# %% tags=["minigrad"]
import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F

# %% tags=["torch"]
import torch
import torch.nn as tnn
import torch.nn.functional as tF

# %% tags=["helper"]
import numpy as np


def values(t):
    """어느 프레임워크의 텐서든 numpy 배열로."""
    return t.detach().numpy()


# minigrad의 결과를 파이토치의 결과 옆에 출력하고, 가장 큰 차이와 ``rtol``까지 일치하는지를 보여 준다.
def side_by_side(label, ours, theirs, rtol=1e-12):
    a, b = values(ours), values(theirs)
    print(f"{label}:\n  minigrad {np.round(a.ravel()[:4], 6)} ...\n  PyTorch  {np.round(b.ravel()[:4], 6)} ...")
    print(f"  가장 큰 차이 {np.max(np.abs(a - b)):.1e}, 일치: {np.allclose(a, b, rtol=rtol, atol=rtol)}")


# %% [markdown]
# ## 데이터
#
# 채널 3개짜리 6 x 6 이미지 두 장과 3 x 3 커널 네 개, float64, 두 프레임워크에 같은 숫자. 기준은 파이토치의
# `F.conv2d` (stride 1, padding 1)이다.

# %% tags=["helper"]
rng = np.random.default_rng(0)
x_values, w_values = rng.standard_normal((2, 3, 6, 6)), rng.standard_normal((4, 3, 3, 3))
b_values = rng.standard_normal(4)

# %% tags=["torch"]
t_x = torch.tensor(x_values, requires_grad=True)
t_w = torch.tensor(w_values, requires_grad=True)
t_b = torch.tensor(b_values, requires_grad=True)
t_y = tF.conv2d(t_x, t_w, t_b, padding=1)
t_y.sum().backward()
t_y.shape

# %% [markdown]
# ## 1. 반복문
#
# 이미지 둘레에 0을 채운(padding) 뒤, 샘플마다, 출력 채널마다, 위치마다 커널 아래의 창을 잘라 커널과 곱하고
# 더한다: 2 x 4 x 6 x 6 = 288개의 합. 하나하나가 그래프에 기록되므로 역전파도 반복문을 거쳐 흐른다.

# %% tags=["minigrad"]
def conv2d_loops(x, w, b, stride=1, padding=0):
    x = F.pad(x, (padding, padding, padding, padding))
    n, _, height, width = x.shape
    out_channels, _, kh, kw = w.shape
    out_h, out_w = (height - kh) // stride + 1, (width - kw) // stride + 1
    sums = []
    for sample in range(n):
        for o in range(out_channels):
            for i in range(out_h):
                for j in range(out_w):
                    window = x[sample, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    sums.append((window * w[o]).sum() + b[o])
    return minigrad.stack(sums).reshape(n, out_channels, out_h, out_w)


x = minigrad.tensor(x_values, requires_grad=True)
w = minigrad.tensor(w_values, requires_grad=True)
b = minigrad.tensor(b_values, requires_grad=True)
y_loops = conv2d_loops(x, w, b, padding=1)
y_loops.sum().backward()
y_loops.shape

# %% tags=["compare"]
# 반복문은 파이토치의 커널과 다른 순서로 더한다: 반올림 오차 안에서 같다 (상대 오차 1e-12)
side_by_side("출력, 반복문", y_loops, t_y)
side_by_side("반복문을 거친 x.grad", x.grad, t_x.grad)
side_by_side("반복문을 거친 w.grad", w.grad, t_w.grad)

# %% [markdown]
# ## 2. im2col: 창을 열로 펼치고, 행렬 곱 한 번
#
# `F.unfold`는 3 x 3 x 3 창 하나를 숫자 27개짜리 열 하나로 펼친다: 위치 36개에서 (2, 27, 36) 배열이 된다.
# 커널을 (4, 27) 행렬로 펴서 이 열들과 곱하면 모든 출력이 한 번에 나온다. minigrad의 `Conv2d` 연산이 바로
# 이렇게 계산하고, 그 기울기는 같은 행렬들의 나머지 두 곱이다.

# %% tags=["minigrad"]
cols = F.unfold(x, kernel_size=3, padding=1)
y_im2col = (w.reshape(4, -1) @ cols).reshape(2, 4, 6, 6) + b.reshape(1, 4, 1, 1)
cols.shape, y_im2col.shape

# %% tags=["torch"]
t_cols = tF.unfold(t_x, kernel_size=3, padding=1)
t_cols.shape

# %% tags=["compare"]
side_by_side("열 (unfold)", cols, t_cols)
side_by_side("출력, im2col", y_im2col, t_y)

# %% [markdown]
# ## 3. `nn.Conv2d`
#
# 같은 시드에서 이 레이어는 파이토치와 같은 난수열에서 가중치를 뽑으므로, 둘은 비트 단위까지 같은 값에서
# 시작한다.

# %% tags=["minigrad"]
minigrad.manual_seed(1)
layer = nn.Conv2d(3, 4, kernel_size=3, padding=1, dtype=minigrad.float64)
y_layer = layer(x)
layer

# %% tags=["torch"]
torch.manual_seed(1)
t_layer = tnn.Conv2d(3, 4, kernel_size=3, padding=1, dtype=torch.float64)
t_y_layer = t_layer(t_x)
t_layer

# %% tags=["compare"]
print("비트 단위까지 같은 초기 가중치:", np.array_equal(values(layer.weight), values(t_layer.weight)),
      np.array_equal(values(layer.bias), values(t_layer.bias)))
side_by_side("출력, nn.Conv2d", y_layer, t_y_layer)

# %% [markdown]
# ## 합성곱의 기울기, 한 단계씩
#
# 채널 하나짜리 4 x 4 이미지, 세로 경계를 찾는 커널(소벨 필터), padding 1, 그리고 손실
# $L = \sum y \cdot g$: $y$에 도착하는 기울기가 $g$ 그대로가 되도록. `explain`은 합성곱의 역전파를 두 식과
# 함께 출력하고, 식에는 이 호출의 stride와 padding이 채워져 있다.
#
# * `grad_input = conv_transpose2d(grad, weight)`: 출력 하나의 기울기가 그 창이 읽은 픽셀들로 커널을 곱해
#   돌아간다 (커널이 뒤집힌다: 풀어 쓴 항목은 `grad[0, 0]`에 `weight[2, 2]`를 곱한다);
# * `grad_weight = correlate(input, grad)`: 커널의 칸 하나는 모든 위치에 걸쳐, 그 위치의 기울기와 그 칸이
#   읽은 픽셀의 곱을 더한다.
#
# 각각 한 항목이 곱의 합으로 풀어 쓰여 있다: 바로 위에 출력된 평면들로 손으로 다시 계산해 보자.

# %% tags=["minigrad"]
image = minigrad.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
kernel = minigrad.tensor([[[[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]]], requires_grad=True)
g = minigrad.tensor([[[[1.0, 0.0, -1.0, 2.0], [0.0, 1.0, 0.0, -1.0], [2.0, -1.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0]]]])
loss = (F.conv2d(image, kernel, padding=1) * g).sum()
steps = minigrad.explain(loss, names={"image": image, "kernel": kernel})

# %% tags=["torch"]
t_image = torch.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
t_kernel = torch.tensor(values(kernel), requires_grad=True)
t_g = torch.tensor(values(g))
(tF.conv2d(t_image, t_kernel, padding=1) * t_g).sum().backward()
# 두 식을 파이토치 호출로: g와 커널의 전치 합성곱, 그리고 이미지와 g의 상관(correlation) (g를 커널 삼아
# 이미지에 합성곱: 여기서는 샘플도 채널도 하나)
t_grad_input = tF.conv_transpose2d(t_g, t_kernel, padding=1)
t_grad_weight = tF.conv2d(t_image.detach(), t_g, padding=1)

# %% tags=["compare"]
print("image.grad:", values(image.grad).ravel(), "\n  PyTorch: ", values(t_image.grad).ravel())
print("image.grad == 파이토치 autograd의 값, == conv_transpose2d(g, kernel):", np.array_equal(values(image.grad),
      values(t_image.grad)), np.array_equal(values(image.grad), values(t_grad_input)))
print("kernel.grad:", values(kernel.grad).ravel(), "\n  PyTorch:  ", values(t_kernel.grad).ravel())
print("kernel.grad == 파이토치 autograd의 값, == correlate(image, g):", np.array_equal(values(kernel.grad),
      values(t_kernel.grad)), np.array_equal(values(kernel.grad), values(t_grad_weight)))

# %% [markdown]
# ## 손글씨 숫자를 배우는 CNN
#
# scikit-learn에는 8 x 8 픽셀 숫자 이미지 1,797장이 들어 있다 (내려받을 필요 없음). 신경망: 3 x 3 합성곱
# (채널 1에서 16), ReLU, 최대 풀링 2, 합성곱 (16에서 32), ReLU, 최대 풀링 2, 선형 (128에서 10); 교차 엔트로피를
# 모멘텀 0.9의 SGD로, 배치 64. minigrad 셀은 `examples/digits_cnn.py`의 셀들이다. 이 노트북은 2 에폭만
# 학습한다 (`python examples/digits_cnn.py`는 6 에폭, 시험 숫자에서 약 97%).
#
# float32에서 파이토치의 행렬 곱은 항을 다른 순서로 더하므로 (MKL과 oneDNN의 순서), 두 실행은 반올림 오차
# 안에서 일치한다: 출력되는 손실이 2 에폭 뒤 상대 오차 약 1e-5 이내.

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "imports"

# %% tags=["minigrad"]
import sys

# 스크립트의 인자 셀이 읽는 명령줄: 여기서는 2 에폭
sys.argv = ["digits_cnn.py", "--epochs", "2"]

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "arguments"

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "data"

# %% tags=["torch"]
torch.manual_seed(0)
t_images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16
t_labels = torch.tensor(digits.target)
t_order = torch.randperm(len(t_labels))
t_train, t_test = t_order[:1437], t_order[1437:]

# %% tags=["compare"]
print("같은 분할:", np.array_equal(values(order), values(t_order)),
      "같은 이미지:", np.array_equal(values(images), values(t_images)))

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "model"

# %% tags=["torch"]
t_model = tnn.Sequential(
    tnn.Conv2d(1, 16, kernel_size=3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
    tnn.Conv2d(16, 32, kernel_size=3, padding=1), tnn.ReLU(), tnn.MaxPool2d(2),
    tnn.Flatten(), tnn.Linear(32 * 2 * 2, 10),
)
t_optimizer = torch.optim.SGD(t_model.parameters(), lr=0.1, momentum=0.9)
t_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(t_images[t_train], t_labels[t_train]),
                                       batch_size=64, shuffle=True)

# %% tags=["compare"]
print("비트 단위까지 같은 초기 가중치:",
      all(np.array_equal(values(p), values(t_p)) for p, t_p in zip(model.parameters(), t_model.parameters())))

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "training"

# %% tags=["torch"]
def t_test_accuracy():
    with torch.no_grad():
        predicted = t_model(t_images[t_test]).argmax(dim=1)
    return (predicted == t_labels[t_test]).float().mean().item()


for epoch in range(args.epochs):
    t_total, t_count = 0.0, 0
    for t_xb, t_yb in t_loader:
        t_loss = tF.cross_entropy(t_model(t_xb), t_yb)
        t_optimizer.zero_grad()
        t_loss.backward()
        t_optimizer.step()
        t_total += t_loss.item() * len(t_yb)
        t_count += len(t_yb)
    print(f"epoch {epoch + 1}: loss {t_total / t_count:.6f}, test accuracy {t_test_accuracy():.4f}")
print(f"test accuracy: {t_test_accuracy():.3f}")

# %% tags=["compare"]
# float32, 곱을 다른 순서로 더한다: 마지막 에폭의 평균 손실이 상대 오차 1e-3 안에서 일치
print(f"마지막 에폭의 손실: minigrad {total / count:.6f}, PyTorch {t_total / t_count:.6f}, 일치:",
      np.isclose(total / count, t_total / t_count, rtol=1e-3))
print(f"시험 정확도: minigrad {test_accuracy():.4f}, PyTorch {t_test_accuracy():.4f}, 일치:",
      np.isclose(test_accuracy(), t_test_accuracy(), atol=0.01))
