"""The two halves of binary cross-entropy: -log(H) when y = 1, and -log(1 - H) when y = 0.

Both curves are ``F.binary_cross_entropy(H, y, reduction="none")`` evaluated by minigrad on a grid of
H = 0, 0.005, ..., 1, once with every target 1 and once with every target 0.

What to notice (the seed's "if y=1 → -log(H(x)), if y=0 → -log(1-H(x))"):
- The loss is 0 when the prediction is right (H = y) and grows without bound as it becomes confidently
  wrong, so a wrong answer is always pushed back hard (unlike MSE, which is at most 1).
- At the very ends the loss is not infinite: like PyTorch, minigrad clamps log(0) to -100, so H = 0 with
  y = 1 (and H = 1 with y = 0) cost exactly 100 (the inset, drawn to full height).
"""

import _style
import matplotlib.pyplot as plt

import minigrad
import minigrad.nn.functional as F

h = minigrad.arange(201) / 200  # H from 0 to 1, both ends included
curves = {
    "y = 1:  L = -log(H)": F.binary_cross_entropy(h, minigrad.ones_like(h), reduction="none"),
    "y = 0:  L = -log(1 - H)": F.binary_cross_entropy(h, minigrad.zeros_like(h), reduction="none"),
}

figure, axes = plt.subplots(figsize=(7, 5))
inset = axes.inset_axes((0.33, 0.3, 0.34, 0.3))
for (label, loss), colour in zip(curves.items(), ["tab:blue", "tab:orange"]):
    axes.plot(h.numpy(), loss.numpy(), color=colour, label=label)
    inset.plot(h.numpy(), loss.numpy(), color=colour)
axes.set(xlabel="H(x): the predicted probability of y = 1", ylabel="loss L(H(x), y)", ylim=(0, 5),
         title="Binary cross-entropy: L = -[y log H + (1 - y) log(1 - H)]")
axes.legend(loc="upper center")
ends = curves["y = 1:  L = -log(H)"][0].item(), curves["y = 0:  L = -log(1 - H)"][-1].item()
inset.set(ylim=(0, 110), yticks=[0, 50, 100], xticks=[0, 0.5, 1],
          title=f"full height: L = {ends[0]:g} at H = 0 (y = 1)\nand {ends[1]:g} at H = 1 (y = 0): log 0 → -100")
inset.title.set_fontsize("small")
figure.tight_layout()
_style.save(figure, __file__)
