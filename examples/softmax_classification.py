"""Softmax classification: three classes from four features, with cross-entropy.

Cross-entropy is the k-class form of the seed's binary cross-entropy: L = -mean(sum_j y_j log p_j), where
p = softmax(Wx + b) and y is the one-hot target. ``F.cross_entropy`` takes class indices and does the
softmax, the log and the one-hot selection in one step; the first lines compute it by hand to show that.

The costs print with 4 decimals: Linear(4, 3)'s products sum over 4 (and 8) terms, which PyTorch's MKL
adds in an order minigrad does not reproduce, so from the 7th significant digit on the two can differ.
"""

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

minigrad.manual_seed(1)

x_train = minigrad.FloatTensor([[1, 2, 1, 1], [2, 1, 3, 2], [3, 1, 3, 4], [4, 1, 5, 5],
                                [1, 7, 5, 5], [1, 2, 5, 6], [1, 6, 6, 6], [1, 7, 7, 7]])
y_train = minigrad.LongTensor([2, 2, 2, 1, 1, 1, 0, 0])

# Cross-entropy three ways: by hand from softmax, from log_softmax, and in one call.
z = minigrad.rand(3, 5, requires_grad=True)
y = minigrad.randint(5, (3,))
y_one_hot = F.one_hot(y, num_classes=5).float()
print(F.softmax(z, dim=1))
print((y_one_hot * -minigrad.log(F.softmax(z, dim=1))).sum(dim=1).mean())
print(F.nll_loss(F.log_softmax(z, dim=1), y))
print(F.cross_entropy(z, y))

model = nn.Linear(4, 3)
optimizer = optim.SGD(model.parameters(), lr=0.1)

nb_epochs = 1000
for epoch in range(nb_epochs + 1):
    prediction = model(x_train)
    cost = F.cross_entropy(prediction, y_train)

    optimizer.zero_grad()
    cost.backward()
    optimizer.step()

    if epoch % 100 == 0:
        print("Epoch {:4d}/{} Cost: {:.4f}".format(epoch, nb_epochs, cost.item()))

with minigrad.no_grad():
    predicted = model(x_train).argmax(dim=1)
    print("predicted:", predicted)
    print("accuracy: {:.2f}%".format((predicted == y_train).float().mean().item() * 100))
