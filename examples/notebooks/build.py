r"""Build the seed tutorial's notebooks, Korean and English, from one list of cells.

    python examples/notebooks/build.py      # rewrites seed_tutorial_ko.ipynb and seed_tutorial_en.ipynb

Each notebook is the seed tutorial (``/work/shared/seed``: linear and logistic regression in PyTorch) run
on minigrad, cell by cell: every code cell of the tutorial becomes a minigrad cell, the same cell on PyTorch
(names prefixed ``t_``) and a comparison cell that prints both results and whether they are bit-identical.
The two languages share every code cell; only markdown, comments and printed labels are translated (the build
checks that the code is otherwise the same). Cells carry a tag saying what they are: ``minigrad``, ``torch``,
``compare`` (prints ``True`` for every equality it checks) or ``helper``.

The notebooks are stored without outputs; ``tests/test_notebooks.py`` executes them and checks that the
committed files are what this script builds. Edit this file, not the notebooks, then run it.
"""

from __future__ import annotations

import io
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
LANGUAGES = ("ko", "en")
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    text: dict[str, str]  # language -> source
    tag: str | None = None


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(ko: str, en: str) -> Cell:
    return Cell("markdown", {"ko": _clean(ko), "en": _clean(en)})


def code(tag: str, ko: str, en: str | None = None) -> Cell:
    """A code cell; ``en`` only where comments or printed labels differ from the Korean cell."""
    return Cell("code", {"ko": _clean(ko), "en": _clean(ko if en is None else en)}, tag)


def mg(ko: str, en: str | None = None) -> Cell:
    return code("minigrad", ko, en)


def pt(ko: str, en: str | None = None) -> Cell:
    return code("torch", ko, en)


def cmp(ko: str, en: str | None = None) -> Cell:
    return code("compare", ko, en)


def _code_only(source: str) -> list[tuple[int, str]]:
    """The tokens of ``source`` without comments, and with every string's text blanked out."""
    strings = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    skip = {tokenize.COMMENT, tokenize.NL}
    return [(tok.type, "" if tok.type in strings else tok.string)
            for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline) if tok.type not in skip]


# ---------------------------------------------------------------------------------------------------------------
# The cells. Seed text is kept as the tutorial wrote it; what minigrad adds is marked "(minigrad)".
# ---------------------------------------------------------------------------------------------------------------

CELLS = [
    md(r"""
    # 시드 튜토리얼을 minigrad로: 파이토치 실습

    시드 튜토리얼(파이토치로 선형 회귀와 로지스틱 회귀 구현하기)을 셀 단위로 **minigrad**에서 실행한다.
    minigrad는 파이토치와 같은 API를 가진 작은 역전파 자동 미분(reverse-mode autograd) 엔진이다.
    `import torch` 대신 `import minigrad`라고 쓰면 같은 프로그램이 돌아가고, 같은 숫자를 출력한다.

    튜토리얼의 코드 셀 하나는 여기서 세 셀이 된다.

    1. **minigrad** 셀: 튜토리얼의 코드 그대로, `torch` 자리에 `minigrad`.
    2. **PyTorch** 셀: 같은 코드를 파이토치로. 이름이 겹치지 않도록 변수에는 `t_`를 붙이고
       (`t_model`, `t_loss`), 모듈은 `tnn`, `tF`, `toptim`으로 부른다.
    3. **비교** 셀: 두 결과를 출력하고, 비트 단위까지 같은지(`np.array_equal`)를 `True`/`False`로 보여 준다.

    minigrad의 교육용 도구도 곳곳에 쓴다: `minigrad.explain`(역전파를 한 단계씩 출력),
    `minigrad.viz`(계산 그래프), `minigrad.compare`(두 프레임워크를 나란히 학습시키는 비교 표).

    튜토리얼에 링크된 그림 다섯 장은 `examples/pictures/`의 스크립트가 minigrad로 그린다
    (예: `python examples/pictures/gradient_descent.py gradient_descent.png`). 이 노트북은 그림을 불러오지 않으므로
    네트워크 없이 돌아간다. 출력 없이 저장되어 있으니 위에서부터 차례로 실행하면 된다 (전체 1분 이내).
    """, r"""
    # The seed tutorial on minigrad: PyTorch practice

    The seed tutorial (linear and logistic regression in PyTorch) runs here on **minigrad**, cell by cell.
    minigrad is a small reverse-mode automatic differentiation (autograd) engine with PyTorch's API:
    write `import minigrad` where the tutorial writes `import torch`, and the same program runs and prints the
    same numbers.

    Each code cell of the tutorial becomes three cells here:

    1. a **minigrad** cell: the tutorial's code as it is, with `minigrad` in place of `torch`;
    2. a **PyTorch** cell: the same code on PyTorch. So that names do not collide, its variables start with
       `t_` (`t_model`, `t_loss`) and its modules are called `tnn`, `tF` and `toptim`;
    3. a **comparison** cell: it prints both results and whether they are equal to the last bit
       (`np.array_equal`), as `True`/`False`.

    minigrad's teaching tools appear along the way: `minigrad.explain` (the backward pass step by step),
    `minigrad.viz` (the computation graph) and `minigrad.compare` (a table that trains both frameworks side by
    side).

    The five pictures the tutorial links to are drawn with minigrad by the scripts in `examples/pictures/`
    (e.g. `python examples/pictures/gradient_descent.py gradient_descent.png`). This notebook loads no picture,
    so it runs without a network. It is stored without outputs: run it from top to bottom (well under a minute).
    """),
    md(r"""
    ## 파이토치 실습

    ### 1. 파이토치로 선형 회귀 구현하기

    #### 선형회귀 가설식

    $$
    H(x) = Wx+b
    $$
    """, r"""
    ## PyTorch practice

    ### 1. Linear regression in PyTorch

    #### The hypothesis of linear regression

    $$
    H(x) = Wx+b
    $$
    """),
    mg("""
    import numpy as np

    import minigrad
    import minigrad.nn as nn
    import minigrad.nn.functional as F
    import minigrad.optim as optim

    minigrad.manual_seed(777)
    """),
    pt("""
    import torch
    import torch.nn as tnn
    import torch.nn.functional as tF
    import torch.optim as toptim

    torch.manual_seed(777)
    """),
    code("helper", '''
    # 비교 셀이 쓰는 도구: minigrad 텐서와 PyTorch 텐서가 모양과 값까지 (비트 단위로) 같은가
    def same(ours, theirs):
        return np.array_equal(ours.detach().numpy(), theirs.detach().numpy())


    def same_parameters(model, t_model):
        return all(same(p, t_p) for p, t_p in zip(model.parameters(), t_model.parameters()))
    ''', '''
    # What the comparison cells use: do a minigrad tensor and a PyTorch tensor have the same shape and bits?
    def same(ours, theirs):
        return np.array_equal(ours.detach().numpy(), theirs.detach().numpy())


    def same_parameters(model, t_model):
        return all(same(p, t_p) for p, t_p in zip(model.parameters(), t_model.parameters()))
    '''),
    mg("""
    # 데이터 (y = 2x)
    x_train = minigrad.FloatTensor([[1], [2], [3]])
    y_train = minigrad.FloatTensor([[2], [4], [6]])
    """, """
    # data (y = 2x)
    x_train = minigrad.FloatTensor([[1], [2], [3]])
    y_train = minigrad.FloatTensor([[2], [4], [6]])
    """),
    pt("""
    t_x_train = torch.FloatTensor([[1], [2], [3]])
    t_y_train = torch.FloatTensor([[2], [4], [6]])
    """),
    cmp("""
    print(same(x_train, t_x_train), same(y_train, t_y_train))
    """),
    mg("""
    # 모델 선언 및 초기화
    model = nn.Linear(1, 1)  # (input_dim, output_dim)
    """, """
    # declare and initialise the model
    model = nn.Linear(1, 1)  # (input_dim, output_dim)
    """),
    pt("""
    t_model = tnn.Linear(1, 1)
    """),
    mg("""
    # 모델의 초기화된 가중치와 편향 출력
    print(list(model.parameters()))
    """, """
    # the model's initial weight and bias
    print(list(model.parameters()))
    """),
    pt("""
    print(list(t_model.parameters()))
    """),
    cmp("""
    # 같은 시드(777)에서 같은 난수를 뽑으므로 초기 가중치가 같다
    print("같은 초기 가중치와 편향:", same_parameters(model, t_model))
    """, """
    # the same seed (777) draws the same random numbers, so the initial weights are the same
    print("same initial weight and bias:", same_parameters(model, t_model))
    """),
    md(r"""
    --------------------------
    #### 1) 옵티마이저 - 경사 하강법(Gradient Descent)

    * 손실 함수(Loss function): 일반적으로 평균 제곱 오차 (Mean Squared Error, MSE) 사용
    * 손실 함수(Loss function) = 비용 함수(Cost function) = 오차 함수(Error function) = 목적 함수 (Objective function)

    <center>

    $L(w,b)= \sum_{i=1}^{n} (y^{(i)}-\hat{y}^{(i)})^2$

    </center>
    """, r"""
    --------------------------
    #### 1) The optimizer - gradient descent

    * Loss function: usually the mean squared error (MSE)
    * Loss function = cost function = error function = objective function

    <center>

    $L(w,b)= \sum_{i=1}^{n} (y^{(i)}-\hat{y}^{(i)})^2$

    </center>
    """),
    md(r"""
    > **그림** (튜토리얼의 `10-1.GD.png`, 경사 하강법): `examples/pictures/gradient_descent.py`가 minigrad로 그린다.
    > 시드의 선형 회귀에서 손실 곡선 $L(W)$와, 그 위를 내려가는 SGD의 걸음들.
    > 실행: `python examples/pictures/gradient_descent.py gradient_descent.png`
    """, r"""
    > **Picture** (the tutorial's `10-1.GD.png`, gradient descent): drawn with minigrad by
    > `examples/pictures/gradient_descent.py`: the loss curve $L(W)$ of the seed's linear regression, and the
    > steps SGD takes down it. Run: `python examples/pictures/gradient_descent.py gradient_descent.png`
    """),
    md(r"""
    $$
    gradient = \frac{\partial L(W)}{\partial W}
    $$

    * 기울기가 음수일 때 (Negative gradient): W의 값이 증가

    $$
    W := W-\alpha \times (-gradient) = W + \alpha \times gradient
    $$

    * 기울기가 양수일 때 (Positive gradient): W의 값이 감소

    $$
    W := W-\alpha \times gradient
    $$
    """, r"""
    $$
    gradient = \frac{\partial L(W)}{\partial W}
    $$

    * Negative gradient: W increases

    $$
    W := W-\alpha \times (-gradient) = W + \alpha \times gradient
    $$

    * Positive gradient: W decreases

    $$
    W := W-\alpha \times gradient
    $$
    """),
    md(r"""
    > **그림** (튜토리얼의 `10-1.optimizer.png`, 다양한 최적화 알고리즘들,
    > [출처] https://ganghee-lee.tistory.com/24): `examples/pictures/optimizer_paths.py`가 같은 손실 곡면 위에서
    > SGD, Momentum, NAG, Adagrad, RMSprop, Adam이 가는 길을 minigrad로 그린다.

    **다양한 최적화 알고리즘들 (minigrad)**: 모두 `minigrad.optim`에 있다.

    | 알고리즘 | minigrad |
    |---|---|
    | SGD | `optim.SGD(params, lr)` |
    | Momentum | `optim.SGD(params, lr, momentum=0.9)` |
    | NAG | `optim.SGD(params, lr, momentum=0.9, nesterov=True)` |
    | Adagrad | `optim.Adagrad(params, lr)` |
    | RMSprop | `optim.RMSprop(params, lr)` |
    | Adam | `optim.Adam(params, lr)` |
    | NAdam | `optim.NAdam(params, lr)` |

    아래에서는 각 옵티마이저로 $H(x) = Wx + b$를 $W = b = 0$에서 시작해 100걸음 학습한다. API가 같으므로
    함수 `fit`은 프레임워크 모듈 `fw`(`minigrad` 또는 `torch`)를 인자로 받아 두 프레임워크 모두에서 돈다.
    (`examples/optimizer_comparison.py`는 로지스틱 회귀로 같은 비교를 하고 곡선도 그린다.)
    """, r"""
    > **Picture** (the tutorial's `10-1.optimizer.png`, the optimization algorithms,
    > [source] https://ganghee-lee.tistory.com/24): `examples/pictures/optimizer_paths.py` draws, with minigrad,
    > the paths SGD, Momentum, NAG, Adagrad, RMSprop and Adam take on one loss surface.

    **The optimization algorithms (minigrad)**: all of them are in `minigrad.optim`.

    | algorithm | minigrad |
    |---|---|
    | SGD | `optim.SGD(params, lr)` |
    | Momentum | `optim.SGD(params, lr, momentum=0.9)` |
    | NAG | `optim.SGD(params, lr, momentum=0.9, nesterov=True)` |
    | Adagrad | `optim.Adagrad(params, lr)` |
    | RMSprop | `optim.RMSprop(params, lr)` |
    | Adam | `optim.Adam(params, lr)` |
    | NAdam | `optim.NAdam(params, lr)` |

    Below, each optimizer trains $H(x) = Wx + b$ from $W = b = 0$ for 100 steps. The APIs are the same, so the
    function `fit` takes the framework module `fw` (`minigrad` or `torch`) and runs on both.
    (`examples/optimizer_comparison.py` makes the same comparison on the logistic regression, and plots it.)
    """),
    code("helper", '''
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
    ''', '''
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
        """Fit H(x) = Wx + b to y = 2x from W = b = 0; return the last step's loss"""
        x = fw.FloatTensor([[1], [2], [3]])
        y = fw.FloatTensor([[2], [4], [6]])
        w = fw.zeros(1, requires_grad=True)
        b = fw.zeros(1, requires_grad=True)
        optimizer = make_optimizer(fw, [w, b])  # an optimizer takes any list of tensors
        for _ in range(steps):
            loss = fw.nn.functional.mse_loss(x * w + b, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return loss.item()
    '''),
    mg("""
    losses = {name: fit(minigrad, make) for name, make in OPTIMIZERS.items()}
    """),
    pt("""
    t_losses = {name: fit(torch, make) for name, make in OPTIMIZERS.items()}
    """),
    cmp("""
    for name in OPTIMIZERS:
        print(f"{name:>8}  minigrad {losses[name]:.8f}  PyTorch {t_losses[name]:.8f}  {losses[name] == t_losses[name]}")
    """),
    md(r"""
    ##### 자동 미분 (Autograd)
    """, r"""
    ##### Automatic differentiation (autograd)
    """),
    mg("""
    w = minigrad.tensor(2.0, requires_grad=True)

    y = w**2
    z = 2 * y + 5
    """),
    pt("""
    t_w = torch.tensor(2.0, requires_grad=True)

    t_y = t_w**2
    t_z = 2 * t_y + 5
    """),
    mg("""
    z.backward()
    """),
    pt("""
    t_z.backward()
    """),
    mg("""
    w.grad
    """),
    pt("""
    t_w.grad
    """),
    cmp("""
    print(w.grad, t_w.grad, same(w.grad, t_w.grad))
    """),
    md(r"""
    **역전파를 한 단계씩 (minigrad)**

    연쇄 법칙: $\frac{dz}{dw} = \frac{dz}{dy} \cdot \frac{dy}{dw} = 2 \cdot 2w = 8$ ($w = 2$에서).

    `backward()`는 그래프를 지우므로 (파이토치와 같다) 그래프를 다시 만든다. 텐서를 셀의 마지막 식으로 두면
    노트북이 그 텐서를 만든 계산 그래프를 보여 준다: graphviz(파이썬 패키지와 `dot` 프로그램)가 있으면 그림으로,
    없으면 DOT 텍스트로 (펼쳐 보기). 파랑: 사용자가 만든 텐서, 회색: 상수, 흰 상자: 연산, 노랑: 출력.
    """, r"""
    **The backward pass step by step (minigrad)**

    The chain rule: $\frac{dz}{dw} = \frac{dz}{dy} \cdot \frac{dy}{dw} = 2 \cdot 2w = 8$ (at $w = 2$).

    `backward()` frees the graph (as in PyTorch), so we build it again. A tensor left as the last expression of a
    cell shows the graph that made it: as a picture when graphviz (the Python package and the `dot` program) is
    installed, else as DOT text (click to unfold). Blue: a tensor the user made, grey: a constant, white box: an
    operation, yellow: the output.
    """),
    mg("""
    w = minigrad.tensor(2.0, requires_grad=True)
    y = w**2
    z = 2 * y + 5
    z
    """),
    md(r"""
    `minigrad.explain(z)`는 `z.backward()`를 실행하면서 엔진이 지나가는 노드를 순서대로 출력한다: 노드 이름
    (`grad_fn`), 그 연산에 저장된 미분 공식, 위에서 들어온 기울기(upstream grad), 국소 기울기(local grad),
    그리고 각 입력으로 보내는 기울기(sends = upstream × local). `check=True`는 각 단계를 파이토치로 다시 계산해
    같으면 ✓를 붙인다. 마지막 줄이 $w$의 `.grad`다.
    """, r"""
    `minigrad.explain(z)` runs `z.backward()` and prints each node the engine visits, in order: its name
    (`grad_fn`), the derivative formula stored with its operation, the gradient arriving from above (upstream
    grad), the local gradient (local grad) and the gradient sent to each input (sends = upstream × local).
    `check=True` replays each step in PyTorch and marks it ✓ when PyTorch sends the same gradients. The last line
    is $w$'s `.grad`.
    """),
    mg("""
    steps = minigrad.explain(z, names={"w": w}, check=True)
    """),
    md(r"""
    #### 2) 데이터 로드

    전체 데이터를 하나의 행렬로 선언하여 전체 데이터에 대해서 경사 하강법을 수행하여 학습할 수 있음. 만약, 데이터가
    수십만개 이상이라면 전체 데이터에 대해서 경사 하강법을 수행하는 것은 매우 느릴 뿐만 아니라 많은 계산량을 필요로
    함. 따라서 전체 데이터를 더 작은 단위로 나누어서 해당 단위로 학습하는 방식을 사용함.

    * 에포크(Epoch): 전체 훈련 데이터가 학습에 한 번 사용된 주기
    * 미니배치(minibatch): 전체 데이터를 나누는 단위
    * 배치 크기: 미니 배치의 크기
        - 보통 2의 제곱수 사용
    * 이터레이션(Iteration): 한 번의 에포크 내에서 이루어지는 매개변수 $(W$와 $b)$ 업데이트 횟수

    > **그림** (튜토리얼의 `10-1.data.png`): `examples/pictures/epochs_minibatches.py`가 `DataLoader`로 학습하며
    > 이터레이션마다 어떤 샘플을 쓰는지와 미니배치의 loss를 minigrad로 그린다.

    **미니배치 (minigrad)**: `DataLoader(dataset, batch_size, shuffle=True)`는 에포크마다 데이터를 새로 섞어
    미니배치로 나눈다. 같은 시드라면 파이토치와 같은 순서로 섞는다. (미니배치로 학습하는 전체 예제:
    `examples/minibatch_dataloader.py`)
    """, r"""
    #### 2) Loading the data

    We can declare the whole data set as one matrix and train by gradient descent on all of it at once. If there
    are hundreds of thousands of samples or more, gradient descent on the whole data set is very slow and needs a
    lot of computation. So the data is split into smaller units, and training runs on one unit at a time.

    * Epoch: one pass in which all the training data has been used once
    * Minibatch: the unit the data is split into
    * Batch size: the size of a minibatch
        - usually a power of 2
    * Iteration: the number of parameter $(W$ and $b)$ updates within one epoch

    > **Picture** (the tutorial's `10-1.data.png`): `examples/pictures/epochs_minibatches.py` trains with a
    > `DataLoader` and draws, with minigrad, which samples each iteration uses and each minibatch's loss.

    **Minibatches (minigrad)**: `DataLoader(dataset, batch_size, shuffle=True)` shuffles the data anew every
    epoch and splits it into minibatches; under the same seed it shuffles in PyTorch's order. (A full example
    that trains on minibatches: `examples/minibatch_dataloader.py`)
    """),
    mg("""
    from minigrad.utils.data import DataLoader, TensorDataset

    # 샘플 5개를 배치 크기 2로: 한 에포크 = 이터레이션 3번 (마지막 미니배치는 샘플 1개)
    # 전용 생성기(generator)를 쓰므로 아래 학습의 난수에는 영향이 없다
    loader = DataLoader(TensorDataset(minigrad.arange(5)), batch_size=2, shuffle=True,
                        generator=minigrad.Generator().manual_seed(1))
    batches = [[batch.tolist() for (batch,) in loader] for epoch in range(3)]
    batches
    """, """
    from minigrad.utils.data import DataLoader, TensorDataset

    # 5 samples in batches of 2: one epoch = 3 iterations (the last minibatch holds 1 sample)
    # a generator of its own, so the random numbers of the training below are not affected
    loader = DataLoader(TensorDataset(minigrad.arange(5)), batch_size=2, shuffle=True,
                        generator=minigrad.Generator().manual_seed(1))
    batches = [[batch.tolist() for (batch,) in loader] for epoch in range(3)]
    batches
    """),
    pt("""
    t_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(5)), batch_size=2,
                                           shuffle=True, generator=torch.Generator().manual_seed(1))
    t_batches = [[batch.tolist() for (batch,) in t_loader] for epoch in range(3)]
    t_batches
    """),
    cmp("""
    print("같은 미니배치, 같은 순서:", batches == t_batches)
    """, """
    print("same minibatches, same order:", batches == t_batches)
    """),
    md(r"""
    -----------------------
    """, r"""
    -----------------------
    """),
    mg("""
    # optimizer 설정. 경사 하강법 SGD를 사용하고 학습률(learning rate, lr)은 0.01로 설정
    optimizer = minigrad.optim.SGD(model.parameters(), lr=0.01)
    """, """
    # the optimizer: gradient descent (SGD) with learning rate (lr) 0.01
    optimizer = minigrad.optim.SGD(model.parameters(), lr=0.01)
    """),
    pt("""
    t_optimizer = torch.optim.SGD(t_model.parameters(), lr=0.01)
    """),
    md(r"""
    **학습 한 걸음을 한 단계씩 (minigrad)**: 학습 전의 loss(에포크 0)와 그 계산 그래프, 그리고 그 역전파.
    `minigrad.viz.to_dot(loss)`는 그래프를 Graphviz DOT 텍스트로 준다 (아무 Graphviz 뷰어에 붙여 넣을 수 있다;
    `minigrad.viz.draw(loss, "graph.svg")`는 파일로 그린다). 초록: 매개변수(`Parameter`).
    """, r"""
    **One training step, step by step (minigrad)**: the loss before training (epoch 0), its computation graph, and
    its backward pass. `minigrad.viz.to_dot(loss)` gives the graph as Graphviz DOT text (paste it into any Graphviz
    viewer; `minigrad.viz.draw(loss, "graph.svg")` renders it to a file). Green: a parameter (`Parameter`).
    """),
    mg("""
    loss = F.mse_loss(model(x_train), y_train)
    print(minigrad.viz.to_dot(loss, names=dict(model.named_parameters())))
    loss  # 노트북 표시: graphviz가 있으면 그래프 그림, 없으면 DOT 텍스트
    """, """
    loss = F.mse_loss(model(x_train), y_train)
    print(minigrad.viz.to_dot(loss, names=dict(model.named_parameters())))
    loss  # the notebook display: the graph as a picture with graphviz, else the DOT text
    """),
    md(r"""
    `names`로 매개변수에 이름을 붙이면 잎(leaf)이 `weight`, `bias`로 나온다. 이 backward가 남긴 기울기는 아래
    학습 루프의 첫 `optimizer.zero_grad()`가 지우므로 학습 결과는 바뀌지 않는다.
    """, r"""
    With `names`, the leaves are labelled `weight` and `bias`. The gradients this backward leaves behind are
    cleared by the first `optimizer.zero_grad()` of the training loop below, so training is not changed.
    """),
    mg("""
    steps = minigrad.explain(loss, names=dict(model.named_parameters()), check=True)
    """),
    pt("""
    t_loss = tF.mse_loss(t_model(t_x_train), t_y_train)
    t_loss.backward()
    """),
    cmp("""
    print(model.weight.grad, t_model.weight.grad, same(model.weight.grad, t_model.weight.grad))
    print(model.bias.grad, t_model.bias.grad, same(model.bias.grad, t_model.bias.grad))
    """),
    mg("""
    # 전체 훈련 데이터에 대해 경사 하강법을 2000회 반복

    # 총 에포크 수 설정
    n_epochs = 2000
    for epoch in range(n_epochs + 1):
        # 1) 가설모델 H(x)=Wx+b 계산
        prediction = model(x_train)

        # 2) loss 계산
        loss = F.mse_loss(prediction, y_train)  # <-- 평균 제곱 오차 함수

        # 3) loss로 H(x) 개선
        # gradient를 0으로 초기화
        optimizer.zero_grad()
        # 손실 함수를 미분하여 gradient 계산
        loss.backward()
        # W, b 업데이트
        optimizer.step()

        if epoch % 100 == 0:
            print('Epoch {:4d}/{} Loss: {:.6f}'.format(
                epoch, n_epochs, loss.item()
            ))
    """, """
    # gradient descent on the whole training data, 2000 times

    # the number of epochs
    n_epochs = 2000
    for epoch in range(n_epochs + 1):
        # 1) compute the hypothesis H(x)=Wx+b
        prediction = model(x_train)

        # 2) compute the loss
        loss = F.mse_loss(prediction, y_train)  # <-- the mean squared error

        # 3) improve H(x) with the loss
        # set the gradients to 0
        optimizer.zero_grad()
        # differentiate the loss: compute the gradients
        loss.backward()
        # update W, b
        optimizer.step()

        if epoch % 100 == 0:
            print('Epoch {:4d}/{} Loss: {:.6f}'.format(
                epoch, n_epochs, loss.item()
            ))
    """),
    pt("""
    for epoch in range(n_epochs + 1):
        t_prediction = t_model(t_x_train)
        t_loss = tF.mse_loss(t_prediction, t_y_train)
        t_optimizer.zero_grad()
        t_loss.backward()
        t_optimizer.step()

        if epoch % 100 == 0:
            print('Epoch {:4d}/{} Loss: {:.6f}'.format(
                epoch, n_epochs, t_loss.item()
            ))
    """),
    cmp("""
    print("마지막 loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
    print("같은 W, b:", same_parameters(model, t_model))
    """, """
    print("last loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
    print("same W, b:", same_parameters(model, t_model))
    """),
    mg("""
    # 임의의 입력 4를 선언
    new_var = minigrad.FloatTensor([[4.0]])
    # 입력한 값 4에 대해서 예측값 y를 리턴받아서 pred_y에 저장
    pred_y = model(new_var)  # forward 연산
    # y = 2x 이므로 입력이 4라면 y가 8에 가까운 값이 나와야 제대로 학습이 된 것
    print("훈련 후 입력이 4일 때의 예측값 :", pred_y)
    """, """
    # a new input, 4
    new_var = minigrad.FloatTensor([[4.0]])
    # the prediction y for the input 4, stored in pred_y
    pred_y = model(new_var)  # the forward pass
    # y = 2x, so for the input 4 a well-trained model gives a value close to 8
    print("prediction for the input 4 after training :", pred_y)
    """),
    pt("""
    t_new_var = torch.FloatTensor([[4.0]])
    t_pred_y = t_model(t_new_var)
    print("훈련 후 입력이 4일 때의 예측값 :", t_pred_y)
    """, """
    t_new_var = torch.FloatTensor([[4.0]])
    t_pred_y = t_model(t_new_var)
    print("prediction for the input 4 after training :", t_pred_y)
    """),
    cmp("""
    print(pred_y.item(), t_pred_y.item(), same(pred_y, t_pred_y))
    """),
    mg("""
    print(list(model.parameters()))
    """),
    pt("""
    print(list(t_model.parameters()))
    """),
    cmp("""
    print("같은 W, b:", same_parameters(model, t_model))
    """, """
    print("same W, b:", same_parameters(model, t_model))
    """),
    md(r"""
    * forward 연산: $H(x)$ 식에 입력 $x$로부터 예측된 $y$를 얻는 것
        - ex) 학습전 ```prediction = model(x_train)```, 학습후 ```pred_y = model(new_var)```
    * backward 연산: 학습 과정에서 비용 함수를 미분하여 기울기를 구하는 것
        - ex) ```cost.backward()```
    """, r"""
    * forward pass: computing the predicted $y$ from the input $x$ with the formula $H(x)$
        - e.g. before training ```prediction = model(x_train)```, after training ```pred_y = model(new_var)```
    * backward pass: differentiating the cost function during training to get the gradients
        - e.g. ```cost.backward()```
    """),
    md(r"""
    **비교 표 (minigrad, 명령줄 도구)**: `minigrad-compare linear_regression`
    (= `python -m minigrad.compare linear_regression`)은 같은 시드에서 두 프레임워크를 한 에포크씩 나란히
    학습시킨다. 표의 각 행은 튜토리얼이 출력하는 에포크의 loss (minigrad, PyTorch, 그 차이)이고, 아래에는 마지막
    매개변수와, 표에 없는 에포크까지 **모든** 에포크에서 loss, 기울기, 매개변수의 가장 큰 차이가 나온다.
    `verdict: bit-identical`은 그 모든 숫자가 마지막 비트까지 같다는 뜻이다. 위 학습과 같은 시드(777)에서
    시작하므로 표의 loss는 위에서 출력한 loss와 같다. (`minigrad-compare logistic_regression`도 있다. 그쪽은 시드
    777에서 바로 로지스틱 모델을 만들므로, 선형 모델 다음에 만드는 이 노트북과는 초기 가중치가 다르다.)
    """, r"""
    **The comparison table (minigrad, command line tool)**: `minigrad-compare linear_regression`
    (= `python -m minigrad.compare linear_regression`) trains both frameworks side by side, one epoch at a time,
    from the same seed. Each row of the table is an epoch the tutorial prints: the loss on minigrad, on PyTorch,
    and their difference. Below it: the final parameters, and the largest difference in loss, gradients and
    parameters over **every** epoch, not only the rows shown. `verdict: bit-identical` means every one of those
    numbers is equal to the last bit. It starts from the same seed (777) as the training above, so its losses are
    the ones printed above. (`minigrad-compare logistic_regression` exists too; it builds the logistic model right
    after seeding 777, so its initial weights differ from this notebook's, which builds it after the linear one.)
    """),
    mg("""
    from minigrad import compare

    compare.main(["linear_regression"]);
    """),
    md(r"""
    ### 2. 파이토치로 로지스틱 회귀 구현하기

    #### 로지스틱 회귀의 가설식

    $$
    H(x) = sigmoid(Wx+b)
    $$
    """, r"""
    ### 2. Logistic regression in PyTorch

    #### The hypothesis of logistic regression

    $$
    H(x) = sigmoid(Wx+b)
    $$
    """),
    mg("""
    x_data = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]
    y_data = [[0], [0], [0], [1], [1], [1]]
    x_train = minigrad.FloatTensor(x_data)
    y_train = minigrad.FloatTensor(y_data)
    """),
    pt("""
    t_x_train = torch.FloatTensor(x_data)
    t_y_train = torch.FloatTensor(y_data)
    """),
    cmp("""
    print(same(x_train, t_x_train), same(y_train, t_y_train))
    """),
    md(r"""
    * ```nn.Sequential()```: 여러 함수들을 연결
    """, r"""
    * ```nn.Sequential()```: chains several functions
    """),
    mg("""
    model = nn.Sequential(
        nn.Linear(2, 1),  # input_dim=2, output_dim=1
        nn.Sigmoid()  # 출력은 시그모이드 함수를 거친다
    )
    """, """
    model = nn.Sequential(
        nn.Linear(2, 1),  # input_dim=2, output_dim=1
        nn.Sigmoid()  # the output goes through the sigmoid function
    )
    """),
    pt("""
    t_model = tnn.Sequential(
        tnn.Linear(2, 1),
        tnn.Sigmoid()
    )
    """),
    cmp("""
    print(model)
    print(t_model)
    print("같은 초기 가중치와 편향:", same_parameters(model, t_model))
    """, """
    print(model)
    print(t_model)
    print("same initial weight and bias:", same_parameters(model, t_model))
    """),
    md(r"""
    -------------------
    #### 1) 손실 함수(Loss Function)

    **평균 제곱 오차(MSE)를 로지스틱 회귀의 비용함수로 사용한다면?**

    > **그림** (튜토리얼의 `10-1.sigmoid_mse.png`): `examples/pictures/sigmoid_mse_vs_bce.py`가 시드의 로지스틱
    > 회귀에서 MSE와 BCE의 손실 곡면을 minigrad로 그린다. MSE는 볼록하지 않고 기울기가 거의 0인 평평한 곳이 있으며,
    > BCE는 볼록하다.

    시그모이드 함수의 출력값은 0에서 1사이. 즉, 실제값이 1일 때 예측값이 0에 가까와지면 오차 증가, 실제값이 0일 때
    예측값이 1에 가까워지면 오차가 커져야 함.

    $$
    if y=1 \rightarrow L(H(x),y)=-log(H(x))
    $$

    $$
    if y=0 \rightarrow L(H(x),y)=-log(1-H(x))
    $$

    > **그림** (튜토리얼의 `10-1.cross_entropy.png`): `examples/pictures/cross_entropy_curves.py`가
    > $-log(H(x))$와 $-log(1-H(x))$ 곡선을 minigrad로 그린다.
    """, r"""
    -------------------
    #### 1) The loss function

    **What if the mean squared error (MSE) were the cost function of logistic regression?**

    > **Picture** (the tutorial's `10-1.sigmoid_mse.png`): `examples/pictures/sigmoid_mse_vs_bce.py` draws, with
    > minigrad, the MSE and BCE loss surfaces of the seed's logistic regression: MSE is not convex and has flat
    > plateaus where the gradient is almost 0; BCE is convex.

    The sigmoid's output lies between 0 and 1. So when the true value is 1, the error must grow as the prediction
    approaches 0, and when the true value is 0, the error must grow as the prediction approaches 1.

    $$
    if y=1 \rightarrow L(H(x),y)=-log(H(x))
    $$

    $$
    if y=0 \rightarrow L(H(x),y)=-log(1-H(x))
    $$

    > **Picture** (the tutorial's `10-1.cross_entropy.png`): `examples/pictures/cross_entropy_curves.py` draws the
    > curves $-log(H(x))$ and $-log(1-H(x))$ with minigrad.
    """),
    md(r"""
    하나의 식으로 통합

    $$
    L(H(x),y) = -[ylogH(x)+(1-y)log(1-H(x))]
    $$

    $$
    L(W)=-\frac{1}{n} \sum_{i=1}^n [y^{(i)} logH(x^{(i)}) + (1-y^{(i)}) log(1-H(x^{(i)}))]
    $$

    **식을 코드로 (minigrad)**: 위 식을 그대로 계산한 값과 `F.binary_cross_entropy` (학습 전 모델의 $H(x)$로).
    """, r"""
    Combined into one formula

    $$
    L(H(x),y) = -[ylogH(x)+(1-y)log(1-H(x))]
    $$

    $$
    L(W)=-\frac{1}{n} \sum_{i=1}^n [y^{(i)} logH(x^{(i)}) + (1-y^{(i)}) log(1-H(x^{(i)}))]
    $$

    **The formula as code (minigrad)**: the formula computed as written, and `F.binary_cross_entropy` (on the
    untrained model's $H(x)$).
    """),
    mg("""
    with minigrad.no_grad():
        h = model(x_train)  # H(x)
        bce_by_hand = -(y_train * minigrad.log(h) + (1 - y_train) * minigrad.log(1 - h)).mean()
        bce = F.binary_cross_entropy(h, y_train)
    print(bce_by_hand, bce)
    """),
    pt("""
    with torch.no_grad():
        t_h = t_model(t_x_train)
        t_bce_by_hand = -(t_y_train * torch.log(t_h) + (1 - t_y_train) * torch.log(1 - t_h)).mean()
        t_bce = tF.binary_cross_entropy(t_h, t_y_train)
    print(t_bce_by_hand, t_bce)
    """),
    cmp("""
    print(same(bce_by_hand, t_bce_by_hand), same(bce, t_bce))
    """),
    md(r"""
    **크로스 엔트로피 함수 (Cross Entropy Function)**

    * $k$개의 다중 클래스 분류로 일반화

    $$
    L(W)=-\frac{1}{n} \sum_{i=1}^n \sum_{j=1}^k y_j log(p_j)
    $$

    **식을 코드로 (minigrad)**: $p = softmax(z)$, $y$는 원-핫 벡터. `F.cross_entropy`는 클래스 번호를 받아
    softmax, log, 원-핫 선택을 한 번에 한다 (log_softmax로 계산하므로 식 그대로의 값과 마지막 자리가 다를 수 있다).
    (전체 예제: `examples/softmax_classification.py`)
    """, r"""
    **The cross-entropy function**

    * generalised to classification into $k$ classes

    $$
    L(W)=-\frac{1}{n} \sum_{i=1}^n \sum_{j=1}^k y_j log(p_j)
    $$

    **The formula as code (minigrad)**: $p = softmax(z)$, and $y$ is a one-hot vector. `F.cross_entropy` takes
    class indices and does the softmax, the log and the one-hot selection in one step (it computes log_softmax, so
    it may differ from the formula as written in the last digit). (A full example:
    `examples/softmax_classification.py`)
    """),
    mg("""
    # k = 3개 클래스, 샘플 2개
    logits = minigrad.FloatTensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    classes = minigrad.LongTensor([0, 1])
    p = F.softmax(logits, dim=1)
    y_one_hot = F.one_hot(classes, num_classes=3).float()
    ce_by_hand = -(y_one_hot * minigrad.log(p)).sum(dim=1).mean()
    ce = F.cross_entropy(logits, classes)
    print(ce_by_hand, ce)
    """, """
    # k = 3 classes, 2 samples
    logits = minigrad.FloatTensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    classes = minigrad.LongTensor([0, 1])
    p = F.softmax(logits, dim=1)
    y_one_hot = F.one_hot(classes, num_classes=3).float()
    ce_by_hand = -(y_one_hot * minigrad.log(p)).sum(dim=1).mean()
    ce = F.cross_entropy(logits, classes)
    print(ce_by_hand, ce)
    """),
    pt("""
    t_logits = torch.FloatTensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
    t_classes = torch.LongTensor([0, 1])
    t_p = tF.softmax(t_logits, dim=1)
    t_y_one_hot = tF.one_hot(t_classes, num_classes=3).float()
    t_ce_by_hand = -(t_y_one_hot * torch.log(t_p)).sum(dim=1).mean()
    t_ce = tF.cross_entropy(t_logits, t_classes)
    print(t_ce_by_hand, t_ce)
    """),
    cmp("""
    print(same(ce_by_hand, t_ce_by_hand), same(ce, t_ce))
    print("식 그대로 - F.cross_entropy:", ce_by_hand.item() - ce.item())
    """, """
    print(same(ce_by_hand, t_ce_by_hand), same(ce, t_ce))
    print("formula as written - F.cross_entropy:", ce_by_hand.item() - ce.item())
    """),
    md(r"""
    ----------------------------------------------

    **학습 한 걸음을 한 단계씩 (minigrad)**: 학습 전 loss의 역전파. 이번 그래프는
    `Linear` (AddmmBackward0) → `Sigmoid` (SigmoidBackward0) → `binary_cross_entropy` (BinaryCrossEntropyBackward0).
    이 기울기도 학습 루프의 첫 `optimizer.zero_grad()`가 지운다.
    """, r"""
    ----------------------------------------------

    **One training step, step by step (minigrad)**: the backward pass of the loss before training. This time the
    graph is `Linear` (AddmmBackward0) → `Sigmoid` (SigmoidBackward0) → `binary_cross_entropy`
    (BinaryCrossEntropyBackward0). These gradients, too, are cleared by the training loop's first
    `optimizer.zero_grad()`.
    """),
    mg("""
    loss = F.binary_cross_entropy(model(x_train), y_train)
    steps = minigrad.explain(loss, names=dict(model.named_parameters()), check=True)
    """),
    pt("""
    t_loss = tF.binary_cross_entropy(t_model(t_x_train), t_y_train)
    t_loss.backward()
    """),
    cmp("""
    for (name, p), t_p in zip(model.named_parameters(), t_model.parameters()):
        print(name, p.grad, t_p.grad, same(p.grad, t_p.grad))
    """),
    mg("""
    # optimizer 설정
    optimizer = optim.SGD(model.parameters(), lr=1)

    nb_epochs = 1000
    for epoch in range(nb_epochs + 1):

        # H(x) 계산
        hypothesis = model(x_train)

        # cost 계산
        loss = F.binary_cross_entropy(hypothesis, y_train)

        # cost로 H(x) 개선
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        # 10번마다 로그 출력
        if epoch % 10 == 0:
            prediction = hypothesis >= minigrad.FloatTensor([0.5])  # 예측값이 0.5를 넘으면 True로 간주
            correct_prediction = prediction.float() == y_train  # 실제값과 일치하는 경우만 True로 간주
            accuracy = correct_prediction.sum().item() / len(correct_prediction)  # 정확도를 계산
            print('Epoch {:4d}/{} Cost: {:.6f} Accuracy {:2.2f}%'.format(  # 각 에포크마다 정확도를 출력
                epoch, nb_epochs, loss.item(), accuracy * 100,
            ))
    """, """
    # the optimizer
    optimizer = optim.SGD(model.parameters(), lr=1)

    nb_epochs = 1000
    for epoch in range(nb_epochs + 1):

        # compute H(x)
        hypothesis = model(x_train)

        # compute the cost
        loss = F.binary_cross_entropy(hypothesis, y_train)

        # improve H(x) with the cost
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        # log every 10 epochs
        if epoch % 10 == 0:
            prediction = hypothesis >= minigrad.FloatTensor([0.5])  # a prediction above 0.5 counts as True
            correct_prediction = prediction.float() == y_train  # True only where it matches the true value
            accuracy = correct_prediction.sum().item() / len(correct_prediction)  # the accuracy
            print('Epoch {:4d}/{} Cost: {:.6f} Accuracy {:2.2f}%'.format(  # print the accuracy of each epoch
                epoch, nb_epochs, loss.item(), accuracy * 100,
            ))
    """),
    pt("""
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
            print('Epoch {:4d}/{} Cost: {:.6f} Accuracy {:2.2f}%'.format(
                epoch, nb_epochs, t_loss.item(), t_accuracy * 100,
            ))
    """),
    cmp("""
    print("마지막 loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
    print("같은 W, b:", same_parameters(model, t_model))
    """, """
    print("last loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
    print("same W, b:", same_parameters(model, t_model))
    """),
    mg("""
    model(x_train)
    """),
    pt("""
    t_model(t_x_train)
    """),
    cmp("""
    print(same(model(x_train), t_model(t_x_train)))
    """),
    md(r"""
    ---

    **다음 (minigrad)**: `examples/`의 스크립트(선형·로지스틱 회귀, 다중 선형 회귀, 미니배치, 소프트맥스 분류, XOR,
    옵티마이저 비교)는 각각 `minigrad`를 `torch`로 바꾼 같은 스크립트와 글자 하나까지 같은 출력을 낸다
    (`tests/test_examples.py`가 확인한다). `make compare`는 이 튜토리얼의 세 프로그램을 두 프레임워크에서 나란히
    실행한다.
    """, r"""
    ---

    **Next (minigrad)**: each script in `examples/` (linear and logistic regression, multivariable regression,
    minibatches, softmax classification, XOR, the optimizer comparison) prints, character for character, what the
    same script prints with `minigrad` replaced by `torch` (`tests/test_examples.py` checks it). `make compare`
    runs this tutorial's three programs on both frameworks side by side.
    """),
]


def build(language: str) -> nbformat.NotebookNode:
    """The notebook in ``language`` ("ko" or "en"), without outputs."""
    cells = []
    for index, cell in enumerate(CELLS):
        source = cell.text[language]
        cell_id = f"{language}-{index:03d}"
        if cell.kind == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        else:
            metadata = {"tags": [cell.tag]} if cell.tag else {}
            cells.append(nbformat.v4.new_code_cell(source, id=cell_id, metadata=metadata))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=METADATA)
    nbformat.validate(notebook)
    return notebook


def check_same_code() -> None:
    """Both languages run the same code: only comments and string contents may differ."""
    for index, cell in enumerate(CELLS):
        if cell.kind == "code" and _code_only(cell.text["ko"]) != _code_only(cell.text["en"]):
            raise ValueError(f"cell {index}: the Korean and English code differ beyond comments and strings")


def text_of(language: str) -> str:
    """The notebook file's text, exactly as ``nbformat.write`` writes it."""
    text = nbformat.writes(build(language))
    return text if text.endswith("\n") else text + "\n"


def path_of(language: str) -> Path:
    return HERE / f"seed_tutorial_{language}.ipynb"


def main() -> None:
    check_same_code()
    for language in LANGUAGES:
        path_of(language).write_text(text_of(language), encoding="utf-8")
        print("wrote", path_of(language))


if __name__ == "__main__":
    main()
