# ruff: noqa: E402, B018, F821, I001 (a notebook: imports where first used, displayed values, names from the
# included cells, imports in reading order; build.py drops this line)

# %% [markdown]
# # Convolution three ways, its gradients, and a CNN on handwritten digits
#
# A 2-d convolution slides a small kernel over an image and, at every position, adds up the products of the
# kernel with the pixels under it:
#
# $$
# y[n, o, i, j] = b[o] + \sum_{c, p, q} w[o, c, p, q]\; x[n, c,\; i s + p - \text{pad},\; j s + q - \text{pad}]
# $$
#
# This chapter builds that sum three ways on **minigrad** and checks each against PyTorch:
#
# 1. **loops**: the formula as it reads, one window at a time;
# 2. **im2col**: every window laid out as a column (`F.unfold`), then one matrix product: how minigrad computes it;
# 3. **`nn.Conv2d`**: the layer, initialised as PyTorch initialises it.
#
# Then `minigrad.explain` shows the two gradients of a one-channel convolution, with the numbers written out, and
# a small CNN learns scikit-learn's handwritten digits (the cells of `examples/digits_cnn.py`, two epochs here,
# six in the script).
#
# Cells are tagged as in the seed tutorial: **minigrad**, **torch** (the same on PyTorch, names starting with
# `t_`), **compare** (prints both results and `True` where they agree) and **helper**. The whole notebook runs in
# a few seconds.

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
    """A tensor of either framework as a numpy array."""
    return t.detach().numpy()


# Prints a minigrad result beside PyTorch's, their largest difference, and whether they agree to ``rtol``.
def side_by_side(label, ours, theirs, rtol=1e-12):
    a, b = values(ours), values(theirs)
    print(f"{label}:\n  minigrad {np.round(a.ravel()[:4], 6)} ...\n  PyTorch  {np.round(b.ravel()[:4], 6)} ...")
    print(f"  largest difference {np.max(np.abs(a - b)):.1e}, agree: {np.allclose(a, b, rtol=rtol, atol=rtol)}")


# %% [markdown]
# ## The data
#
# Two images of three channels, 6 x 6, and four kernels of 3 x 3, in float64, the same numbers in both
# frameworks. The reference is PyTorch's `F.conv2d` with stride 1 and padding 1.

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
# ## 1. Loops
#
# Pad the image with zeros, then for every sample, output channel and position take the window under the kernel,
# multiply it by the kernel and add up: 2 x 4 x 6 x 6 = 288 sums, each recorded in the graph, so backward works
# through the loops too.

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
# the loops add in another order than PyTorch's kernel: equal to rounding (1e-12 relative)
side_by_side("output, loops", y_loops, t_y)
side_by_side("x.grad through the loops", x.grad, t_x.grad)
side_by_side("w.grad through the loops", w.grad, t_w.grad)

# %% [markdown]
# ## 2. im2col: windows as columns, then one matrix product
#
# `F.unfold` lays every 3 x 3 x 3 window out as a column of 27 numbers: 36 positions give a (2, 27, 36) array.
# The kernels, flattened to a (4, 27) matrix, times those columns give every output at once. minigrad's
# `Conv2d` op computes exactly this, and its gradients are the two other products of the same matrices.

# %% tags=["minigrad"]
cols = F.unfold(x, kernel_size=3, padding=1)
y_im2col = (w.reshape(4, -1) @ cols).reshape(2, 4, 6, 6) + b.reshape(1, 4, 1, 1)
cols.shape, y_im2col.shape

# %% tags=["torch"]
t_cols = tF.unfold(t_x, kernel_size=3, padding=1)
t_cols.shape

# %% tags=["compare"]
side_by_side("the columns (unfold)", cols, t_cols)
side_by_side("output, im2col", y_im2col, t_y)

# %% [markdown]
# ## 3. `nn.Conv2d`
#
# The layer draws its weights from the same random stream as PyTorch's under the same seed, so both start equal,
# bit for bit.

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
print("same initial weights, bit for bit:", np.array_equal(values(layer.weight), values(t_layer.weight)),
      np.array_equal(values(layer.bias), values(t_layer.bias)))
side_by_side("output, nn.Conv2d", y_layer, t_y_layer)

# %% [markdown]
# ## The gradients of a convolution, step by step
#
# One image of one channel, 4 x 4, the kernel of a vertical-edge detector (Sobel's), padding 1, and a loss
# $L = \sum y \cdot g$, so that the gradient arriving at $y$ is $g$ itself. `explain` prints the convolution's
# backward with the two formulas, the call's stride and padding filled in:
#
# * `grad_input = conv_transpose2d(grad, weight)`: each output's gradient goes back to the pixels its window read,
#   times the kernel (the kernel turned around: the worked entry multiplies `grad[0, 0]` by `weight[2, 2]`);
# * `grad_weight = correlate(input, grad)`: each tap of the kernel adds, over every position, the gradient there
#   times the pixel that tap read.
#
# One entry of each is written out as its sum of products: redo it by hand from the planes printed above it.

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
# the two formulas, as PyTorch calls: the transposed convolution of g with the kernel, and the correlation of the
# image with g (a convolution of the image with g as its kernel: one sample and one channel here)
t_grad_input = tF.conv_transpose2d(t_g, t_kernel, padding=1)
t_grad_weight = tF.conv2d(t_image.detach(), t_g, padding=1)

# %% tags=["compare"]
print("image.grad:", values(image.grad).ravel(), "\n  PyTorch: ", values(t_image.grad).ravel())
print("image.grad == autograd's, == conv_transpose2d(g, kernel):", np.array_equal(values(image.grad),
      values(t_image.grad)), np.array_equal(values(image.grad), values(t_grad_input)))
print("kernel.grad:", values(kernel.grad).ravel(), "\n  PyTorch:  ", values(t_kernel.grad).ravel())
print("kernel.grad == autograd's, == correlate(image, g):", np.array_equal(values(kernel.grad),
      values(t_kernel.grad)), np.array_equal(values(kernel.grad), values(t_grad_weight)))

# %% [markdown]
# ## A CNN on handwritten digits
#
# scikit-learn ships 1,797 digits of 8 x 8 pixels (no download). The network: convolution 3 x 3 (1 to 16
# channels), ReLU, max-pool 2, convolution (16 to 32), ReLU, max-pool 2, linear (128 to 10); SGD with momentum
# 0.9 on the cross-entropy, batches of 64. The minigrad cells are the cells of `examples/digits_cnn.py`; this
# notebook trains two epochs (`python examples/digits_cnn.py` trains six, to about 97% on the test digits).
#
# In float32, PyTorch's matrix products add their terms in another order (MKL's and oneDNN's), so the two runs
# agree to rounding: the printed losses to about 1e-5 relative after two epochs.

# %% tags=["minigrad"]
# include: ../digits_cnn.py, cell "imports"

# %% tags=["minigrad"]
import sys

# the command line the script's arguments cell reads: two epochs here
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
print("same split:", np.array_equal(values(order), values(t_order)),
      "same images:", np.array_equal(values(images), values(t_images)))

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
print("same initial weights, bit for bit:",
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
# float32, products summed in another order: the last epoch's mean loss agrees to 1e-3 relative
print(f"last epoch's loss: minigrad {total / count:.6f}, PyTorch {t_total / t_count:.6f}, agree:",
      np.isclose(total / count, t_total / t_count, rtol=1e-3))
print(f"test accuracy: minigrad {test_accuracy():.4f}, PyTorch {t_test_accuracy():.4f}, agree:",
      np.isclose(test_accuracy(), t_test_accuracy(), atol=0.01))
