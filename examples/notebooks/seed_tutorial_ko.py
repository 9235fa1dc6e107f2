# ruff: noqa: E402, B018, E703, F821 (a notebook: imports where first used, displayed values, and names from
# the included cells; build.py drops this line)

# %% [markdown]
# # 시드 튜토리얼을 minigrad로: 파이토치 실습
#
# 시드 튜토리얼(파이토치로 선형 회귀와 로지스틱 회귀 구현하기)을 셀 단위로 **minigrad**에서 실행한다.
# minigrad는 파이토치와 같은 API를 가진 작은 역전파 자동 미분(reverse-mode autograd) 엔진이다.
# `import torch` 대신 `import minigrad`라고 쓰면 같은 프로그램이 돌아가고, 같은 숫자를 출력한다.
#
# 튜토리얼의 코드 셀 하나는 여기서 세 셀이 된다.
#
# 1. **minigrad** 셀: 튜토리얼의 코드 그대로, `torch` 자리에 `minigrad`.
# 2. **PyTorch** 셀: 같은 코드를 파이토치로. 이름이 겹치지 않도록 변수에는 `t_`를 붙이고
#    (`t_model`, `t_loss`), 모듈은 `tnn`, `tF`, `toptim`으로 부른다.
# 3. **비교** 셀: 두 결과를 출력하고, 비트 단위까지 같은지(`np.array_equal`)를 `True`/`False`로 보여 준다.
#
# 선형 회귀, 로지스틱 회귀, 자동 미분의 minigrad 셀은 `examples/linear_regression.py`,
# `examples/logistic_regression.py`, `examples/autograd_cell.py`의 셀(`# %%`로 나뉜다)을 가져온다
# (주석은 이 노트북의 언어로). 이 스크립트들은 따로 실행해도 파이토치와 같은 출력을 낸다.
#
# minigrad의 교육용 도구도 곳곳에 쓴다: `minigrad.explain`(역전파를 한 단계씩 출력),
# `minigrad.viz`(계산 그래프), `minigrad.compare`(두 프레임워크를 나란히 학습시키는 비교 표).
#
# 튜토리얼에 링크된 그림 다섯 장은 `examples/pictures/`의 스크립트가 minigrad로 그린다
# (예: `python examples/pictures/gradient_descent.py gradient_descent.png`). 이 노트북은 그림을 불러오지 않으므로
# 네트워크 없이 돌아간다. 출력 없이 저장되어 있으니 위에서부터 차례로 실행하면 된다 (전체 1분 이내).

# %% [markdown]
# ## 파이토치 실습
#
# ### 1. 파이토치로 선형 회귀 구현하기
#
# #### 선형회귀 가설식
#
# $$
# H(x) = Wx+b
# $$

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "imports"

# %% tags=["torch"]
import torch
import torch.nn as tnn
import torch.nn.functional as tF
import torch.optim as toptim

torch.manual_seed(777)

# %% tags=["helper"]
import numpy as np


# 비교 셀이 쓰는 도구: minigrad 텐서와 PyTorch 텐서가 모양과 값까지 (비트 단위로) 같은가
def same(ours, theirs):
    return np.array_equal(ours.detach().numpy(), theirs.detach().numpy())


def same_parameters(model, t_model):
    return all(same(p, t_p) for p, t_p in zip(model.parameters(), t_model.parameters()))


# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "data"

# %% tags=["torch"]
t_x_train = torch.FloatTensor([[1], [2], [3]])
t_y_train = torch.FloatTensor([[2], [4], [6]])

# %% tags=["compare"]
print(same(x_train, t_x_train), same(y_train, t_y_train))

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "model"

# %% tags=["torch"]
t_model = tnn.Linear(1, 1)

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "initial parameters"

# %% tags=["torch"]
print(list(t_model.parameters()))

# %% tags=["compare"]
# 같은 시드(777)에서 같은 난수를 뽑으므로 초기 가중치가 같다
print("같은 초기 가중치와 편향:", same_parameters(model, t_model))

# %% [markdown]
# --------------------------
# #### 1) 옵티마이저 - 경사 하강법(Gradient Descent)
#
# * 손실 함수(Loss function): 일반적으로 평균 제곱 오차 (Mean Squared Error, MSE) 사용
# * 손실 함수(Loss function) = 비용 함수(Cost function) = 오차 함수(Error function) = 목적 함수 (Objective function)
#
# <center>
#
# $L(w,b)= \sum_{i=1}^{n} (y^{(i)}-\hat{y}^{(i)})^2$
#
# </center>

# %% [markdown]
# > **그림** (튜토리얼의 `10-1.GD.png`, 경사 하강법): `examples/pictures/gradient_descent.py`가 minigrad로 그린다.
# > 시드의 선형 회귀에서 손실 곡선 $L(W)$와, 그 위를 내려가는 SGD의 걸음들.
# > 실행: `python examples/pictures/gradient_descent.py gradient_descent.png`

# %% [markdown]
# $$
# gradient = \frac{\partial L(W)}{\partial W}
# $$
#
# * 기울기가 음수일 때 (Negative gradient): W의 값이 증가
#
# $$
# W := W-\alpha \times (-gradient) = W + \alpha \times gradient
# $$
#
# * 기울기가 양수일 때 (Positive gradient): W의 값이 감소
#
# $$
# W := W-\alpha \times gradient
# $$

# %% [markdown]
# > **그림** (튜토리얼의 `10-1.optimizer.png`, 다양한 최적화 알고리즘들,
# > [출처] https://ganghee-lee.tistory.com/24): `examples/pictures/optimizer_paths.py`가 같은 손실 곡면 위에서
# > SGD, Momentum, NAG, Adagrad, RMSprop, Adam이 가는 길을 minigrad로 그린다.
#
# **다양한 최적화 알고리즘들 (minigrad)**: 모두 `minigrad.optim`에 있다.
#
# | 알고리즘 | minigrad |
# |---|---|
# | SGD | `optim.SGD(params, lr)` |
# | Momentum | `optim.SGD(params, lr, momentum=0.9)` |
# | NAG | `optim.SGD(params, lr, momentum=0.9, nesterov=True)` |
# | Adagrad | `optim.Adagrad(params, lr)` |
# | RMSprop | `optim.RMSprop(params, lr)` |
# | Adam | `optim.Adam(params, lr)` |
# | NAdam | `optim.NAdam(params, lr)` |
#
# 아래에서는 각 옵티마이저로 $H(x) = Wx + b$를 $W = b = 0$에서 시작해 100걸음 학습한다. API가 같으므로
# 함수 `fit`은 프레임워크 모듈 `fw`(`minigrad` 또는 `torch`)를 인자로 받아 두 프레임워크 모두에서 돈다.
# (`examples/optimizer_comparison.py`는 로지스틱 회귀로 같은 비교를 하고 곡선도 그린다.)

# %% tags=["helper"]
OPTIMIZERS = {
    "SGD": lambda fw, params: fw.optim.SGD(params, lr=0.01),
    "Momentum": lambda fw, params: fw.optim.SGD(params, lr=0.01, momentum=0.9),
    "NAG": lambda fw, params: fw.optim.SGD(params, lr=0.01, momentum=0.9, nesterov=True),
    "Adagrad": lambda fw, params: fw.optim.Adagrad(params, lr=0.5),
    "RMSprop": lambda fw, params: fw.optim.RMSprop(params, lr=0.01),
    "Adam": lambda fw, params: fw.optim.Adam(params, lr=0.1),
    "NAdam": lambda fw, params: fw.optim.NAdam(params, lr=0.1),
}


def fit(fw, make_optimizer, steps=100):
    """y = 2x에 H(x) = Wx + b를 맞춘다 (W = b = 0에서 시작); 마지막 걸음의 loss를 돌려준다"""
    x = fw.FloatTensor([[1], [2], [3]])
    y = fw.FloatTensor([[2], [4], [6]])
    w = fw.zeros(1, requires_grad=True)
    b = fw.zeros(1, requires_grad=True)
    optimizer = make_optimizer(fw, [w, b])  # 옵티마이저는 어떤 텐서 목록이든 받는다
    for _ in range(steps):
        loss = fw.nn.functional.mse_loss(x * w + b, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


# %% tags=["minigrad"]
losses = {name: fit(minigrad, make) for name, make in OPTIMIZERS.items()}

# %% tags=["torch"]
t_losses = {name: fit(torch, make) for name, make in OPTIMIZERS.items()}

# %% tags=["compare"]
for name in OPTIMIZERS:
    print(f"{name:>8}  minigrad {losses[name]:.8f}  PyTorch {t_losses[name]:.8f}  {losses[name] == t_losses[name]}")

# %% [markdown]
# ##### 자동 미분 (Autograd)

# %% tags=["minigrad"]
# include: ../autograd_cell.py, cell "graph"

# %% tags=["torch"]
t_w = torch.tensor(2.0, requires_grad=True)

t_y = t_w**2
t_z = 2 * t_y + 5

# %% tags=["minigrad"]
# include: ../autograd_cell.py, cell "backward"

# %% tags=["torch"]
t_z.backward()

# %% tags=["minigrad"]
# include: ../autograd_cell.py, cell "gradient"

# %% tags=["torch"]
print(t_w.grad)

# %% tags=["compare"]
print(w.grad, t_w.grad, same(w.grad, t_w.grad))

# %% [markdown]
# **역전파를 한 단계씩 (minigrad)**
#
# 연쇄 법칙: $\frac{dz}{dw} = \frac{dz}{dy} \cdot \frac{dy}{dw} = 2 \cdot 2w = 8$ ($w = 2$에서).
#
# `backward()`는 그래프를 지우므로 (파이토치와 같다) 그래프를 다시 만든다. 텐서를 셀의 마지막 식으로 두면
# 노트북이 그 텐서를 만든 계산 그래프를 보여 준다: graphviz(파이썬 패키지와 `dot` 프로그램)가 있으면 그림으로,
# 없으면 DOT 텍스트로 (펼쳐 보기). 파랑: 사용자가 만든 텐서, 회색: 상수, 흰 상자: 연산, 노랑: 출력.

# %% tags=["minigrad"]
w = minigrad.tensor(2.0, requires_grad=True)
y = w**2
z = 2 * y + 5
z

# %% [markdown]
# `minigrad.explain(z)`는 `z.backward()`를 실행하면서 엔진이 지나가는 노드를 순서대로 출력한다: 노드 이름
# (`grad_fn`), 그 연산에 저장된 미분 공식, 위에서 들어온 기울기(upstream grad), 국소 기울기(local grad),
# 그리고 각 입력으로 보내는 기울기(sends = upstream × local). `check=True`는 각 단계를 파이토치로 다시 계산해
# 같으면 ✓를 붙인다. 마지막 줄이 $w$의 `.grad`다.

# %% tags=["minigrad"]
steps = minigrad.explain(z, names={"w": w}, check=True)

# %% [markdown]
# #### 2) 데이터 로드
#
# 전체 데이터를 하나의 행렬로 선언하여 전체 데이터에 대해서 경사 하강법을 수행하여 학습할 수 있음. 만약, 데이터가
# 수십만개 이상이라면 전체 데이터에 대해서 경사 하강법을 수행하는 것은 매우 느릴 뿐만 아니라 많은 계산량을 필요로
# 함. 따라서 전체 데이터를 더 작은 단위로 나누어서 해당 단위로 학습하는 방식을 사용함.
#
# * 에포크(Epoch): 전체 훈련 데이터가 학습에 한 번 사용된 주기
# * 미니배치(minibatch): 전체 데이터를 나누는 단위
# * 배치 크기: 미니 배치의 크기
#     - 보통 2의 제곱수 사용
# * 이터레이션(Iteration): 한 번의 에포크 내에서 이루어지는 매개변수 $(W$와 $b)$ 업데이트 횟수
#
# > **그림** (튜토리얼의 `10-1.data.png`): `examples/pictures/epochs_minibatches.py`가 `DataLoader`로 학습하며
# > 이터레이션마다 어떤 샘플을 쓰는지와 미니배치의 loss를 minigrad로 그린다.
#
# **미니배치 (minigrad)**: `DataLoader(dataset, batch_size, shuffle=True)`는 에포크마다 데이터를 새로 섞어
# 미니배치로 나눈다. 같은 시드라면 파이토치와 같은 순서로 섞는다. (미니배치로 학습하는 전체 예제:
# `examples/minibatch_dataloader.py`)

# %% tags=["minigrad"]
from minigrad.utils.data import DataLoader, TensorDataset

# 샘플 5개를 배치 크기 2로: 한 에포크 = 이터레이션 3번 (마지막 미니배치는 샘플 1개)
# 전용 생성기(generator)를 쓰므로 아래 학습의 난수에는 영향이 없다
loader = DataLoader(TensorDataset(minigrad.arange(5)), batch_size=2, shuffle=True,
                    generator=minigrad.Generator().manual_seed(1))
batches = [[batch.tolist() for (batch,) in loader] for epoch in range(3)]
batches

# %% tags=["torch"]
t_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(5)), batch_size=2,
                                       shuffle=True, generator=torch.Generator().manual_seed(1))
t_batches = [[batch.tolist() for (batch,) in t_loader] for epoch in range(3)]
t_batches

# %% tags=["compare"]
print("같은 미니배치, 같은 순서:", batches == t_batches)

# %% [markdown]
# -----------------------

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "optimizer"

# %% tags=["torch"]
t_optimizer = torch.optim.SGD(t_model.parameters(), lr=0.01)

# %% [markdown]
# **학습 한 걸음을 한 단계씩 (minigrad)**: 학습 전의 loss(에포크 0)와 그 계산 그래프, 그리고 그 역전파.
# `minigrad.viz.to_dot(loss)`는 그래프를 Graphviz DOT 텍스트로 준다 (아무 Graphviz 뷰어에 붙여 넣을 수 있다;
# `minigrad.viz.draw(loss, "graph.svg")`는 파일로 그린다). 초록: 매개변수(`Parameter`).

# %% tags=["minigrad"]
loss = F.mse_loss(model(x_train), y_train)
print(minigrad.viz.to_dot(loss, names=dict(model.named_parameters())))
loss  # 노트북 표시: graphviz가 있으면 그래프 그림, 없으면 DOT 텍스트

# %% [markdown]
# `names`로 매개변수에 이름을 붙이면 잎(leaf)이 `weight`, `bias`로 나온다. 이 backward가 남긴 기울기는 아래
# 학습 루프의 첫 `optimizer.zero_grad()`가 지우므로 학습 결과는 바뀌지 않는다.
#
# 선형 레이어는 원소별(elementwise) 연산이 아니다: 가중치의 기울기는 "upstream × 국소 숫자 하나"가 아니라
# 행렬 곱 $\frac{\partial L}{\partial W} = \text{grad}^T x$, 모양 (1, 3) @ (3, 1)이다. `explain`은 그것을 계산되는
# 그대로, 곱들을 풀어서 출력하고, 편향의 기울기는 배치에 걸친 `grad`의 합으로 보여 준다.

# %% tags=["minigrad"]
steps = minigrad.explain(loss, names=dict(model.named_parameters()), check=True)

# %% tags=["torch"]
t_loss = tF.mse_loss(t_model(t_x_train), t_y_train)
t_loss.backward()

# %% tags=["compare"]
print(model.weight.grad, t_model.weight.grad, same(model.weight.grad, t_model.weight.grad))
print(model.bias.grad, t_model.bias.grad, same(model.bias.grad, t_model.bias.grad))

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "training"

# %% tags=["torch"]
for epoch in range(n_epochs + 1):
    t_prediction = t_model(t_x_train)
    t_loss = tF.mse_loss(t_prediction, t_y_train)
    t_optimizer.zero_grad()
    t_loss.backward()
    t_optimizer.step()

    if epoch % 100 == 0:
        print("Epoch {:4d}/{} Loss: {:.6f}".format(epoch, n_epochs, t_loss.item()))

# %% tags=["compare"]
print("마지막 loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
print("같은 W, b:", same_parameters(model, t_model))

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "prediction"

# %% tags=["torch"]
t_new_var = torch.FloatTensor([[4.0]])
t_pred_y = t_model(t_new_var)
print("훈련 후 입력이 4일 때의 예측값 :", t_pred_y)

# %% tags=["compare"]
print(pred_y.item(), t_pred_y.item(), same(pred_y, t_pred_y))

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "final parameters"

# %% tags=["torch"]
print(list(t_model.parameters()))

# %% tags=["compare"]
print("같은 W, b:", same_parameters(model, t_model))

# %% [markdown]
# * forward 연산: $H(x)$ 식에 입력 $x$로부터 예측된 $y$를 얻는 것
#     - ex) 학습전 ```prediction = model(x_train)```, 학습후 ```pred_y = model(new_var)```
# * backward 연산: 학습 과정에서 비용 함수를 미분하여 기울기를 구하는 것
#     - ex) ```cost.backward()```

# %% [markdown]
# **비교 표 (minigrad, 명령줄 도구)**: `minigrad-compare linear_regression`
# (= `python -m minigrad.compare linear_regression`)은 같은 시드에서 두 프레임워크를 한 에포크씩 나란히
# 학습시킨다. 표의 각 행은 튜토리얼이 출력하는 에포크의 loss (minigrad, PyTorch, 그 차이)이고, 아래에는 마지막
# 매개변수와, 표에 없는 에포크까지 **모든** 에포크에서 loss, 기울기, 매개변수의 가장 큰 차이가 나온다.
# `verdict: bit-identical`은 그 모든 숫자가 마지막 비트까지 같다는 뜻이다. 위 학습과 같은 시드(777)에서
# 시작하므로 표의 loss는 위에서 출력한 loss와 같다. (`minigrad-compare logistic_regression`도 있다. 그쪽은 시드
# 777에서 바로 로지스틱 모델을 만들므로, 선형 모델 다음에 만드는 이 노트북과는 초기 가중치가 다르다.)

# %% tags=["minigrad"]
from minigrad import compare

compare.main(["linear_regression"]);

# %% [markdown]
# ### 2. 파이토치로 로지스틱 회귀 구현하기
#
# #### 로지스틱 회귀의 가설식
#
# $$
# H(x) = sigmoid(Wx+b)
# $$

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "data"

# %% tags=["torch"]
t_x_train = torch.FloatTensor(x_data)
t_y_train = torch.FloatTensor(y_data)

# %% tags=["compare"]
print(same(x_train, t_x_train), same(y_train, t_y_train))

# %% [markdown]
# * ```nn.Sequential()```: 여러 함수들을 연결

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "model"

# %% tags=["torch"]
t_model = tnn.Sequential(
    tnn.Linear(2, 1),
    tnn.Sigmoid(),
)
print(t_model)

# %% tags=["compare"]
print("같은 초기 가중치와 편향:", same_parameters(model, t_model))

# %% [markdown]
# -------------------
# #### 1) 손실 함수(Loss Function)
#
# **평균 제곱 오차(MSE)를 로지스틱 회귀의 비용함수로 사용한다면?**
#
# > **그림** (튜토리얼의 `10-1.sigmoid_mse.png`): `examples/pictures/sigmoid_mse_vs_bce.py`가 시드의 로지스틱
# > 회귀에서 MSE와 BCE의 손실 곡면을 minigrad로 그린다. MSE는 볼록하지 않고 기울기가 거의 0인 평평한 곳이 있으며,
# > BCE는 볼록하다.
#
# 시그모이드 함수의 출력값은 0에서 1사이. 즉, 실제값이 1일 때 예측값이 0에 가까와지면 오차 증가, 실제값이 0일 때
# 예측값이 1에 가까워지면 오차가 커져야 함.
#
# $$
# if y=1 \rightarrow L(H(x),y)=-log(H(x))
# $$
#
# $$
# if y=0 \rightarrow L(H(x),y)=-log(1-H(x))
# $$
#
# > **그림** (튜토리얼의 `10-1.cross_entropy.png`): `examples/pictures/cross_entropy_curves.py`가
# > $-log(H(x))$와 $-log(1-H(x))$ 곡선을 minigrad로 그린다.

# %% [markdown]
# 하나의 식으로 통합
#
# $$
# L(H(x),y) = -[ylogH(x)+(1-y)log(1-H(x))]
# $$
#
# $$
# L(W)=-\frac{1}{n} \sum_{i=1}^n [y^{(i)} logH(x^{(i)}) + (1-y^{(i)}) log(1-H(x^{(i)}))]
# $$
#
# **식을 코드로 (minigrad)**: 위 식을 그대로 계산한 값과 `F.binary_cross_entropy` (학습 전 모델의 $H(x)$로).

# %% tags=["minigrad"]
with minigrad.no_grad():
    h = model(x_train)  # H(x)
    bce_by_hand = -(y_train * minigrad.log(h) + (1 - y_train) * minigrad.log(1 - h)).mean()
    bce = F.binary_cross_entropy(h, y_train)
print(bce_by_hand, bce)

# %% tags=["torch"]
with torch.no_grad():
    t_h = t_model(t_x_train)
    t_bce_by_hand = -(t_y_train * torch.log(t_h) + (1 - t_y_train) * torch.log(1 - t_h)).mean()
    t_bce = tF.binary_cross_entropy(t_h, t_y_train)
print(t_bce_by_hand, t_bce)

# %% tags=["compare"]
print(same(bce_by_hand, t_bce_by_hand), same(bce, t_bce))

# %% [markdown]
# **크로스 엔트로피 함수 (Cross Entropy Function)**
#
# * $k$개의 다중 클래스 분류로 일반화
#
# $$
# L(W)=-\frac{1}{n} \sum_{i=1}^n \sum_{j=1}^k y_j log(p_j)
# $$
#
# **식을 코드로 (minigrad)**: $p = softmax(z)$, $y$는 원-핫 벡터. `F.cross_entropy`는 클래스 번호를 받아
# softmax, log, 원-핫 선택을 한 번에 한다 (log_softmax로 계산하므로 식 그대로의 값과 마지막 자리가 다를 수 있다).
# (전체 예제: `examples/softmax_classification.py`)

# %% tags=["minigrad"]
# k = 3개 클래스, 샘플 2개
logits = minigrad.FloatTensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
classes = minigrad.LongTensor([0, 1])
p = F.softmax(logits, dim=1)
y_one_hot = F.one_hot(classes, num_classes=3).float()
ce_by_hand = -(y_one_hot * minigrad.log(p)).sum(dim=1).mean()
ce = F.cross_entropy(logits, classes)
print(ce_by_hand, ce)

# %% tags=["torch"]
t_logits = torch.FloatTensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
t_classes = torch.LongTensor([0, 1])
t_p = tF.softmax(t_logits, dim=1)
t_y_one_hot = tF.one_hot(t_classes, num_classes=3).float()
t_ce_by_hand = -(t_y_one_hot * torch.log(t_p)).sum(dim=1).mean()
t_ce = tF.cross_entropy(t_logits, t_classes)
print(t_ce_by_hand, t_ce)

# %% tags=["compare"]
print(same(ce_by_hand, t_ce_by_hand), same(ce, t_ce))
print("식 그대로 - F.cross_entropy:", ce_by_hand.item() - ce.item())

# %% [markdown]
# ----------------------------------------------
#
# **학습 한 걸음을 한 단계씩 (minigrad)**: 학습 전 loss의 역전파. 이번 그래프는
# `Linear` (AddmmBackward0) → `Sigmoid` (SigmoidBackward0) → `binary_cross_entropy` (BinaryCrossEntropyBackward0).
# 이 기울기도 학습 루프의 첫 `optimizer.zero_grad()`가 지운다.

# %% tags=["minigrad"]
loss = F.binary_cross_entropy(model(x_train), y_train)
steps = minigrad.explain(loss, names=dict(model.named_parameters()), check=True)

# %% tags=["torch"]
t_loss = tF.binary_cross_entropy(t_model(t_x_train), t_y_train)
t_loss.backward()

# %% tags=["compare"]
for (name, p), t_p in zip(model.named_parameters(), t_model.parameters()):
    print(name, p.grad, t_p.grad, same(p.grad, t_p.grad))

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "training"

# %% tags=["torch"]
t_optimizer = toptim.SGD(t_model.parameters(), lr=1)

for epoch in range(nb_epochs + 1):
    t_hypothesis = t_model(t_x_train)
    t_loss = tF.binary_cross_entropy(t_hypothesis, t_y_train)
    t_optimizer.zero_grad()
    t_loss.backward()
    t_optimizer.step()

    if epoch % 10 == 0:
        t_prediction = t_hypothesis >= torch.FloatTensor([0.5])
        t_correct_prediction = t_prediction.float() == t_y_train
        t_accuracy = t_correct_prediction.sum().item() / len(t_correct_prediction)
        print("Epoch {:4d}/{} Cost: {:.6f} Accuracy {:2.2f}%".format(epoch, nb_epochs, t_loss.item(), t_accuracy * 100))

# %% tags=["compare"]
print("마지막 loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
print("같은 W, b:", same_parameters(model, t_model))

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "prediction"

# %% tags=["torch"]
print(t_model(t_x_train))

# %% tags=["compare"]
print(same(model(x_train), t_model(t_x_train)))

# %% [markdown]
# ---
#
# **다음 (minigrad)**: `examples/`의 스크립트(선형·로지스틱 회귀, 다중 선형 회귀, 미니배치, 소프트맥스 분류, XOR,
# 옵티마이저 비교)는 각각 `minigrad`를 `torch`로 바꾼 같은 스크립트와 글자 하나까지 같은 출력을 낸다
# (`tests/test_examples.py`가 확인한다). `make compare`는 이 튜토리얼의 세 프로그램을 두 프레임워크에서 나란히
# 실행한다.
