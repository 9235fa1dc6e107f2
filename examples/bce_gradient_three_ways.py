"""Logistic regression's gradient: for z = Wx + b, p = sigmoid(z) and L = BCE(p, y), dL/dz = (p - y) / n.

Three ways to the same numbers, on the seed's logistic-regression data (six samples, seed 777):
1. by hand: the formula (p - y) / n, and from it dL/dW = X^T (p - y) / n and dL/db = sum((p - y) / n),
   computed from the tensors' values with autograd switched off;
2. by minigrad's backward: ``z.retain_grad()``, ``loss.backward()``, then ``z.grad``, ``W.grad``, ``b.grad``;
3. by PyTorch's backward: the same file with ``minigrad`` replaced by ``torch`` (tests/test_examples.py runs
   both and checks they print the same text, digit for digit).

Why the formula: dL/dp = (p - y) / (p (1 - p)) / n and dp/dz = p (1 - p); the p (1 - p) cancels. Backward
multiplies the two factors in float32 instead of cancelling them, so the last bits may differ from the hand
column (the last column is their difference); it matches PyTorch's backward exactly.
"""

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F

minigrad.manual_seed(777)

x_train = minigrad.FloatTensor([[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]])
y_train = minigrad.FloatTensor([[0], [0], [0], [1], [1], [1]])
linear = nn.Linear(2, 1)

z = linear(x_train)
z.retain_grad()  # z is not a leaf: keep its gradient for reading
p = minigrad.sigmoid(z)
loss = F.binary_cross_entropy(p, y_train)
loss.backward()

with minigrad.no_grad():
    dz = (p - y_train) / len(y_train)
    by_hand = {"dL/dz": dz, "dL/dW": x_train.t() @ dz, "dL/db": dz.sum(0)}
by_backward = {"dL/dz": z.grad, "dL/dW": linear.weight.grad.t(), "dL/db": linear.bias.grad}

print("loss = {:.9g}".format(loss.item()))
print("{:8} {:>16} {:>16} {:>10}".format("", "by hand", "by backward", "difference"))
for name, hand in by_hand.items():
    for i, (a, b) in enumerate(zip(hand.flatten().tolist(), by_backward[name].flatten().tolist())):
        print("{:8} {:16.9g} {:16.9g} {:10.2g}".format(f"{name}[{i}]", a, b, a - b))
