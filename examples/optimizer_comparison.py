"""The optimizer family on one problem: the seed's logistic regression trained with each optimizer.

Every optimizer starts from the same initial weights (the same seed) and sees the same full batch, so the
loss curves differ only by the update rule. Prints the loss every 100 epochs; with ``--plot FILE.png`` it
also draws the curves side by side (needs matplotlib).
"""

import argparse

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

OPTIMIZERS = {
    "SGD": lambda params: optim.SGD(params, lr=0.1),
    "Momentum": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "NAG": lambda params: optim.SGD(params, lr=0.1, momentum=0.9, nesterov=True),
    "Adagrad": lambda params: optim.Adagrad(params, lr=0.5),
    "Adadelta": lambda params: optim.Adadelta(params, lr=1.0),
    "RMSprop": lambda params: optim.RMSprop(params, lr=0.01),
    "Adam": lambda params: optim.Adam(params, lr=0.1),
    "NAdam": lambda params: optim.NAdam(params, lr=0.1),
}

x_train = minigrad.FloatTensor([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
y_train = minigrad.FloatTensor([[0], [0], [0], [1], [1], [1]])
n_epochs = 1000


def train(make_optimizer):
    """The losses of one training run, epoch by epoch, from the tutorial's seed."""
    minigrad.manual_seed(777)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    optimizer = make_optimizer(model.parameters())
    losses = []
    for _ in range(n_epochs + 1):
        loss = F.binary_cross_entropy(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


curves = {name: train(make) for name, make in OPTIMIZERS.items()}

print("epoch " + " ".join(f"{name:>9}" for name in curves))
for epoch in range(0, n_epochs + 1, 100):
    print(f"{epoch:5d} " + " ".join(f"{curve[epoch]:9.4f}" for curve in curves.values()))

parser = argparse.ArgumentParser()
parser.add_argument("--plot", metavar="FILE.png", help="save the loss curves (needs matplotlib)")
arguments = parser.parse_args()
if arguments.plot:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5))
    for name, curve in curves.items():
        axes.plot(curve, label=name)
    axes.set(xlabel="epoch", ylabel="binary cross-entropy", yscale="log", title="one problem, eight optimizers")
    axes.legend()
    figure.tight_layout()
    figure.savefig(arguments.plot, dpi=120)
    print("saved", arguments.plot)
