"""A convolutional network on real handwritten digits: scikit-learn's 1,797 8x8 images (shipped with it, no download).

conv 3x3 (1 -> 16 channels) -> ReLU -> max-pool 2 -> conv 3x3 (16 -> 32) -> ReLU -> max-pool 2 -> linear (128 -> 10),
trained with SGD (momentum 0.9) and cross-entropy on a fixed 80/20 split (a seeded permutation), in batches of 64
that a seeded DataLoader shuffles. Each epoch prints the mean training loss and the test accuracy; the last line is
the final test accuracy. ``--double`` trains in float64; ``--plot out.png`` draws the learned first-layer filters
and the test digits the network gets wrong (needs matplotlib).

The same program on PyTorch (``minigrad`` replaced by ``torch``) starts from the same weights and sees the same
batches. Its matrix products add their terms in another order (MKL's and oneDNN's, where minigrad's are BLAS's),
so in float32 the two runs differ by rounding: under 1e-4 relative over the six epochs (tests/test_examples.py
allows 1e-3); with ``--double`` they agree to about 1e-12 (tests/test_conv.py allows 1e-9). SGD keeps those
differences at rounding size; Adam at lr 0.01 amplified them in a trial (its steps divide by the gradients' running
size), to 4% apart by the seventh epoch.

Each ``# %%`` line starts one cell; examples/notebooks/conv_chapter_{ko,en} show the cells (2 epochs there).
"""

# %% imports
import argparse

from sklearn.datasets import load_digits

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
from minigrad.utils.data import DataLoader, TensorDataset

# %% arguments
parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--double", action="store_true", help="train in float64")
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--plot", metavar="PNG", help="draw the first layer's filters and the misclassified digits")
args = parser.parse_args()
dtype = minigrad.float64 if args.double else minigrad.float32

# %% data
minigrad.manual_seed(0)
digits = load_digits()
# (1797, 1, 8, 8), 값은 [0, 1] 사이 / (1797, 1, 8, 8), values in [0, 1]
images = minigrad.tensor(digits.images, dtype=dtype).unsqueeze(1) / 16
labels = minigrad.tensor(digits.target)
order = minigrad.randperm(len(labels))
train, test = order[:1437], order[1437:]

# %% model
model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 8x8 -> 4x4
    nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 4x4 -> 2x2
    nn.Flatten(), nn.Linear(32 * 2 * 2, 10),
).to(dtype)
print(model)
optimizer = minigrad.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loader = DataLoader(TensorDataset(images[train], labels[train]), batch_size=64, shuffle=True)


# %% training
def test_accuracy() -> float:
    with minigrad.no_grad():
        predicted = model(images[test]).argmax(dim=1)
    return (predicted == labels[test]).float().mean().item()


for epoch in range(args.epochs):
    total, count = 0.0, 0
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    print(f"epoch {epoch + 1}: loss {total / count:.6f}, test accuracy {test_accuracy():.4f}")
print(f"test accuracy: {test_accuracy():.3f}")

# %% plot
if args.plot:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with minigrad.no_grad():
        predicted = model(images[test]).argmax(dim=1)
    wrong = (predicted != labels[test]).nonzero().flatten().tolist()
    filters = model[0].weight.detach()
    figure, axes = plt.subplots(2, 8, figsize=(12, 3.5))
    for i in range(8):
        axes[0, i].imshow(filters[i, 0].numpy(), cmap="coolwarm")
        axes[0, i].set_title(f"filter {i}", fontsize=8)
    for k in range(8):
        if k < len(wrong):
            j = test[wrong[k]].item()
            axes[1, k].imshow(images[j, 0].numpy(), cmap="gray_r")
            axes[1, k].set_title(f"{labels[j].item()} read as {predicted[wrong[k]].item()}", fontsize=8)
    for axis in axes.flat:
        axis.axis("off")
    figure.tight_layout()
    figure.savefig(args.plot)
    print(f"wrote {args.plot}")
