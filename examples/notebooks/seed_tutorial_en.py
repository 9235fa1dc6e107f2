# ruff: noqa: E402, B018, E703, F821 (a notebook: imports where first used, displayed values, and names from
# the included cells; build.py drops this line)

# %% [markdown]
# # The seed tutorial on minigrad: PyTorch practice
#
# The seed tutorial (linear and logistic regression in PyTorch) runs here on **minigrad**, cell by cell.
# minigrad is a small reverse-mode automatic differentiation (autograd) engine with PyTorch's API:
# write `import minigrad` where the tutorial writes `import torch`, and the same program runs and prints the
# same numbers.
#
# Each code cell of the tutorial becomes three cells here:
#
# 1. a **minigrad** cell: the tutorial's code as it is, with `minigrad` in place of `torch`;
# 2. a **PyTorch** cell: the same code on PyTorch. So that names do not collide, its variables start with
#    `t_` (`t_model`, `t_loss`) and its modules are called `tnn`, `tF` and `toptim`;
# 3. a **comparison** cell: it prints both results and whether they are equal to the last bit
#    (`np.array_equal`), as `True`/`False`.
#
# The minigrad cells of the linear regression, the logistic regression and autograd are the cells (each starts
# with `# %%`) of `examples/linear_regression.py`, `examples/logistic_regression.py` and
# `examples/autograd_cell.py`, their comments in this notebook's language; run on their own, those scripts
# print what PyTorch prints.
#
# minigrad's teaching tools appear along the way: `minigrad.explain` (the backward pass step by step),
# `minigrad.viz` (the computation graph) and `minigrad.compare` (a table that trains both frameworks side by
# side).
#
# The five pictures the tutorial links to are drawn with minigrad by the scripts in `examples/pictures/`
# (e.g. `python examples/pictures/gradient_descent.py gradient_descent.png`). This notebook loads no picture,
# so it runs without a network. It is stored without outputs: run it from top to bottom (well under a minute).

# %% [markdown]
# ## PyTorch practice
#
# ### 1. Linear regression in PyTorch
#
# #### The hypothesis of linear regression
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


# What the comparison cells use: do a minigrad tensor and a PyTorch tensor have the same shape and bits?
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
# the same seed (777) draws the same random numbers, so the initial weights are the same
print("same initial weight and bias:", same_parameters(model, t_model))

# %% [markdown]
# --------------------------
# #### 1) The optimizer - gradient descent
#
# * Loss function: usually the mean squared error (MSE)
# * Loss function = cost function = error function = objective function
#
# <center>
#
# $L(w,b)= \sum_{i=1}^{n} (y^{(i)}-\hat{y}^{(i)})^2$
#
# </center>

# %% [markdown]
# > **Picture** (the tutorial's `10-1.GD.png`, gradient descent): drawn with minigrad by
# > `examples/pictures/gradient_descent.py`: the loss curve $L(W)$ of the seed's linear regression, and the
# > steps SGD takes down it. Run: `python examples/pictures/gradient_descent.py gradient_descent.png`

# %% [markdown]
# $$
# gradient = \frac{\partial L(W)}{\partial W}
# $$
#
# * Negative gradient: W increases
#
# $$
# W := W-\alpha \times (-gradient) = W + \alpha \times gradient
# $$
#
# * Positive gradient: W decreases
#
# $$
# W := W-\alpha \times gradient
# $$

# %% [markdown]
# > **Picture** (the tutorial's `10-1.optimizer.png`, the optimization algorithms,
# > [source] https://ganghee-lee.tistory.com/24): `examples/pictures/optimizer_paths.py` draws, with minigrad,
# > the paths SGD, Momentum, NAG, Adagrad, RMSprop and Adam take on one loss surface.
#
# **The optimization algorithms (minigrad)**: all of them are in `minigrad.optim`.
#
# | algorithm | minigrad |
# |---|---|
# | SGD | `optim.SGD(params, lr)` |
# | Momentum | `optim.SGD(params, lr, momentum=0.9)` |
# | NAG | `optim.SGD(params, lr, momentum=0.9, nesterov=True)` |
# | Adagrad | `optim.Adagrad(params, lr)` |
# | RMSprop | `optim.RMSprop(params, lr)` |
# | Adam | `optim.Adam(params, lr)` |
# | NAdam | `optim.NAdam(params, lr)` |
#
# Below, each optimizer trains $H(x) = Wx + b$ from $W = b = 0$ for 100 steps. The APIs are the same, so the
# function `fit` takes the framework module `fw` (`minigrad` or `torch`) and runs on both.
# (`examples/optimizer_comparison.py` makes the same comparison on the logistic regression, and plots it.)

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


# %% tags=["minigrad"]
losses = {name: fit(minigrad, make) for name, make in OPTIMIZERS.items()}

# %% tags=["torch"]
t_losses = {name: fit(torch, make) for name, make in OPTIMIZERS.items()}

# %% tags=["compare"]
for name in OPTIMIZERS:
    print(f"{name:>8}  minigrad {losses[name]:.8f}  PyTorch {t_losses[name]:.8f}  {losses[name] == t_losses[name]}")

# %% [markdown]
# ##### Automatic differentiation (autograd)

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
# **The backward pass step by step (minigrad)**
#
# The chain rule: $\frac{dz}{dw} = \frac{dz}{dy} \cdot \frac{dy}{dw} = 2 \cdot 2w = 8$ (at $w = 2$).
#
# `backward()` frees the graph (as in PyTorch), so we build it again. A tensor left as the last expression of a
# cell shows the graph that made it: as a picture when graphviz (the Python package and the `dot` program) is
# installed, else as DOT text (click to unfold). Blue: a tensor the user made, grey: a constant, white box: an
# operation, yellow: the output.

# %% tags=["minigrad"]
w = minigrad.tensor(2.0, requires_grad=True)
y = w**2
z = 2 * y + 5
z

# %% [markdown]
# `minigrad.explain(z)` runs `z.backward()` and prints each node the engine visits, in order: its name
# (`grad_fn`), the derivative formula stored with its operation, the gradient arriving from above (upstream
# grad), the local gradient (local grad) and the gradient sent to each input (sends = upstream × local).
# `check=True` replays each step in PyTorch and marks it ✓ when PyTorch sends the same gradients. The last line
# is $w$'s `.grad`.

# %% tags=["minigrad"]
steps = minigrad.explain(z, names={"w": w}, check=True)

# %% [markdown]
# #### 2) Loading the data
#
# We can declare the whole data set as one matrix and train by gradient descent on all of it at once. If there
# are hundreds of thousands of samples or more, gradient descent on the whole data set is very slow and needs a
# lot of computation. So the data is split into smaller units, and training runs on one unit at a time.
#
# * Epoch: one pass in which all the training data has been used once
# * Minibatch: the unit the data is split into
# * Batch size: the size of a minibatch
#     - usually a power of 2
# * Iteration: the number of parameter $(W$ and $b)$ updates within one epoch
#
# > **Picture** (the tutorial's `10-1.data.png`): `examples/pictures/epochs_minibatches.py` trains with a
# > `DataLoader` and draws, with minigrad, which samples each iteration uses and each minibatch's loss.
#
# **Minibatches (minigrad)**: `DataLoader(dataset, batch_size, shuffle=True)` shuffles the data anew every
# epoch and splits it into minibatches; under the same seed it shuffles in PyTorch's order. (A full example
# that trains on minibatches: `examples/minibatch_dataloader.py`)

# %% tags=["minigrad"]
from minigrad.utils.data import DataLoader, TensorDataset

# 5 samples in batches of 2: one epoch = 3 iterations (the last minibatch holds 1 sample)
# a generator of its own, so the random numbers of the training below are not affected
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
print("same minibatches, same order:", batches == t_batches)

# %% [markdown]
# -----------------------

# %% tags=["minigrad"]
# include: ../linear_regression.py, cell "optimizer"

# %% tags=["torch"]
t_optimizer = torch.optim.SGD(t_model.parameters(), lr=0.01)

# %% [markdown]
# **One training step, step by step (minigrad)**: the loss before training (epoch 0), its computation graph, and
# its backward pass. `minigrad.viz.to_dot(loss)` gives the graph as Graphviz DOT text (paste it into any Graphviz
# viewer; `minigrad.viz.draw(loss, "graph.svg")` renders it to a file). Green: a parameter (`Parameter`).

# %% tags=["minigrad"]
loss = F.mse_loss(model(x_train), y_train)
print(minigrad.viz.to_dot(loss, names=dict(model.named_parameters())))
loss  # the notebook display: the graph as a picture with graphviz, else the DOT text

# %% [markdown]
# With `names`, the leaves are labelled `weight` and `bias`. The gradients this backward leaves behind are
# cleared by the first `optimizer.zero_grad()` of the training loop below, so training is not changed.
#
# The linear layer is not elementwise: its weight's gradient is not "upstream × a local number" but a matrix
# product, $\frac{\partial L}{\partial W} = \text{grad}^T x$, of shapes (1, 3) @ (3, 1). `explain` prints it as
# computed, with the products written out, and the bias's gradient as the sum of `grad` over the batch.

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
print("last loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
print("same W, b:", same_parameters(model, t_model))

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
print("same W, b:", same_parameters(model, t_model))

# %% [markdown]
# * forward pass: computing the predicted $y$ from the input $x$ with the formula $H(x)$
#     - e.g. before training ```prediction = model(x_train)```, after training ```pred_y = model(new_var)```
# * backward pass: differentiating the cost function during training to get the gradients
#     - e.g. ```cost.backward()```

# %% [markdown]
# **The comparison table (minigrad, command line tool)**: `minigrad-compare linear_regression`
# (= `python -m minigrad.compare linear_regression`) trains both frameworks side by side, one epoch at a time,
# from the same seed. Each row of the table is an epoch the tutorial prints: the loss on minigrad, on PyTorch,
# and their difference. Below it: the final parameters, and the largest difference in loss, gradients and
# parameters over **every** epoch, not only the rows shown. `verdict: bit-identical` means every one of those
# numbers is equal to the last bit. It starts from the same seed (777) as the training above, so its losses are
# the ones printed above. (`minigrad-compare logistic_regression` exists too; it builds the logistic model right
# after seeding 777, so its initial weights differ from this notebook's, which builds it after the linear one.)

# %% tags=["minigrad"]
from minigrad import compare

compare.main(["linear_regression"]);

# %% [markdown]
# ### 2. Logistic regression in PyTorch
#
# #### The hypothesis of logistic regression
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
# * ```nn.Sequential()```: chains several functions

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "model"

# %% tags=["torch"]
t_model = tnn.Sequential(
    tnn.Linear(2, 1),
    tnn.Sigmoid(),
)
print(t_model)

# %% tags=["compare"]
print("same initial weight and bias:", same_parameters(model, t_model))

# %% [markdown]
# -------------------
# #### 1) The loss function
#
# **What if the mean squared error (MSE) were the cost function of logistic regression?**
#
# > **Picture** (the tutorial's `10-1.sigmoid_mse.png`): `examples/pictures/sigmoid_mse_vs_bce.py` draws, with
# > minigrad, the MSE and BCE loss surfaces of the seed's logistic regression: MSE is not convex and has flat
# > plateaus where the gradient is almost 0; BCE is convex.
#
# The sigmoid's output lies between 0 and 1. So when the true value is 1, the error must grow as the prediction
# approaches 0, and when the true value is 0, the error must grow as the prediction approaches 1.
#
# $$
# if y=1 \rightarrow L(H(x),y)=-log(H(x))
# $$
#
# $$
# if y=0 \rightarrow L(H(x),y)=-log(1-H(x))
# $$
#
# > **Picture** (the tutorial's `10-1.cross_entropy.png`): `examples/pictures/cross_entropy_curves.py` draws the
# > curves $-log(H(x))$ and $-log(1-H(x))$ with minigrad.

# %% [markdown]
# Combined into one formula
#
# $$
# L(H(x),y) = -[ylogH(x)+(1-y)log(1-H(x))]
# $$
#
# $$
# L(W)=-\frac{1}{n} \sum_{i=1}^n [y^{(i)} logH(x^{(i)}) + (1-y^{(i)}) log(1-H(x^{(i)}))]
# $$
#
# **The formula as code (minigrad)**: the formula computed as written, and `F.binary_cross_entropy` (on the
# untrained model's $H(x)$).

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
# **The cross-entropy function**
#
# * generalised to classification into $k$ classes
#
# $$
# L(W)=-\frac{1}{n} \sum_{i=1}^n \sum_{j=1}^k y_j log(p_j)
# $$
#
# **The formula as code (minigrad)**: $p = softmax(z)$, and $y$ is a one-hot vector. `F.cross_entropy` takes
# class indices and does the softmax, the log and the one-hot selection in one step (it computes log_softmax, so
# it may differ from the formula as written in the last digit). (A full example:
# `examples/softmax_classification.py`)

# %% tags=["minigrad"]
# k = 3 classes, 2 samples
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
print("formula as written - F.cross_entropy:", ce_by_hand.item() - ce.item())

# %% [markdown]
# ----------------------------------------------
#
# **One training step, step by step (minigrad)**: the backward pass of the loss before training. This time the
# graph is `Linear` (AddmmBackward0) → `Sigmoid` (SigmoidBackward0) → `binary_cross_entropy`
# (BinaryCrossEntropyBackward0). These gradients, too, are cleared by the training loop's first
# `optimizer.zero_grad()`.

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
print("last loss:", loss.item(), t_loss.item(), loss.item() == t_loss.item())
print("same W, b:", same_parameters(model, t_model))

# %% tags=["minigrad"]
# include: ../logistic_regression.py, cell "prediction"

# %% tags=["torch"]
print(t_model(t_x_train))

# %% tags=["compare"]
print(same(model(x_train), t_model(t_x_train)))

# %% [markdown]
# ---
#
# **Next (minigrad)**: each script in `examples/` (linear and logistic regression, multivariable regression,
# minibatches, softmax classification, XOR, the optimizer comparison) prints, character for character, what the
# same script prints with `minigrad` replaced by `torch` (`tests/test_examples.py` checks it). `make compare`
# runs this tutorial's three programs on both frameworks side by side.
