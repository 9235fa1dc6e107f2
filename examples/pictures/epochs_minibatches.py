"""Epochs, minibatches and iterations: one minibatch training run with ``DataLoader(shuffle=True)``.

A small synthetic regression (y = 3x + 1 + noise, 20 samples) is fitted by ``nn.Linear(1, 1)`` with SGD,
taking its samples from ``DataLoader(TensorDataset(...), batch_size=6, shuffle=True)``.

What to notice (the seed's 에포크 / 미니배치 / 이터레이션):
- top: the samples each iteration trains on. Every epoch uses each of the 20 samples exactly once, in a new
  shuffled order; 20 samples in batches of 6 make ⌈20/6⌉ = 4 iterations per epoch, the last one of 2.
- bottom: the loss of each iteration's minibatch. It falls from epoch to epoch but not monotonically: each
  iteration measures a different minibatch, and each update follows that minibatch's gradient only.
"""

import math

import _style
import matplotlib.pyplot as plt

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim
from minigrad.utils.data import DataLoader, TensorDataset

minigrad.manual_seed(1)
n_samples, batch_size, n_epochs = 20, 6, 6
x_train = minigrad.rand(n_samples, 1) * 4 - 2
y_train = 3 * x_train + 1 + 0.5 * minigrad.randn(n_samples, 1)
sample_ids = minigrad.arange(n_samples)  # carried through the loader, to show which samples each batch holds

dataloader = DataLoader(TensorDataset(x_train, y_train, sample_ids), batch_size=batch_size, shuffle=True)
model = nn.Linear(1, 1)
optimizer = optim.SGD(model.parameters(), lr=0.1)

iterations = []  # (epoch, sample ids, minibatch loss), one per parameter update
for epoch in range(n_epochs):
    for x_batch, y_batch, ids in dataloader:
        loss = F.mse_loss(model(x_batch), y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        iterations.append((epoch, ids.tolist(), loss.item()))

per_epoch = len(dataloader)
assert per_epoch == math.ceil(n_samples / batch_size)
colours = plt.get_cmap("viridis")([epoch / (n_epochs - 1) for epoch in range(n_epochs)])

figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True, height_ratios=(1, 1.3))
for i, (epoch, ids, loss) in enumerate(iterations):
    top.plot([i + 1] * len(ids), ids, "s", markersize=5, color=colours[epoch])
    bottom.plot(i + 1, loss, "o", color=colours[epoch], label=f"epoch {epoch + 1}" if i % per_epoch == 0 else None)
bottom.plot(range(1, len(iterations) + 1), [loss for _, _, loss in iterations], color="0.7", zorder=0)
for axes in (top, bottom):
    for boundary in range(per_epoch, len(iterations), per_epoch):
        axes.axvline(boundary + 0.5, color="0.5", linestyle="--", linewidth=0.8)
bottom.set_xticks(range(0, len(iterations) + 1, per_epoch))
top.set(ylabel="sample index", title="which samples each iteration uses (each column: one minibatch)")
bottom.set(xlabel="iteration (one parameter update each)", ylabel="minibatch MSE loss", yscale="log",
           title="loss per iteration; dashed lines: epoch boundaries")
bottom.legend(ncol=n_epochs, fontsize="small", loc="upper right")
figure.suptitle(f"{n_samples} samples, batch size {batch_size} → ⌈{n_samples}/{batch_size}⌉ = {per_epoch} "
                f"iterations per epoch; {n_epochs} epochs = {len(iterations)} iterations")
figure.tight_layout()
_style.save(figure, __file__)
