"""Minibatch gradient descent with Dataset and DataLoader: epochs, minibatches and iterations.

Five samples in minibatches of two: each epoch has three iterations, shuffled anew every epoch, in the
same order PyTorch's DataLoader shuffles them under the same seed.
"""

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim
from minigrad.utils.data import DataLoader, TensorDataset

minigrad.manual_seed(1)

x_train = minigrad.FloatTensor([[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]])
y_train = minigrad.FloatTensor([[152], [185], [180], [196], [142]])

dataset = TensorDataset(x_train, y_train)
dataloader = DataLoader(dataset, batch_size=2, shuffle=True)

model = nn.Linear(3, 1)
optimizer = optim.SGD(model.parameters(), lr=1e-5)

nb_epochs = 20
for epoch in range(nb_epochs + 1):
    for batch_idx, samples in enumerate(dataloader):
        x_batch, y_batch = samples
        prediction = model(x_batch)
        cost = F.mse_loss(prediction, y_batch)

        optimizer.zero_grad()
        cost.backward()
        optimizer.step()

        print("Epoch {:4d}/{} Batch {}/{} Cost: {:.6f}".format(epoch, nb_epochs, batch_idx + 1, len(dataloader),
                                                              cost.item()))

print(list(model.parameters()))
