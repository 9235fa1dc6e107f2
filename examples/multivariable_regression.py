"""Multivariable linear regression with a custom nn.Module: H(x) = w1 x1 + w2 x2 + w3 x3 + b.

Three quiz scores predict a final score. The model is a user subclass of ``nn.Module``, as in PyTorch.
"""

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

minigrad.manual_seed(1)

x_train = minigrad.FloatTensor([[73, 80, 75], [93, 88, 93], [89, 91, 90], [96, 98, 100], [73, 66, 70]])
y_train = minigrad.FloatTensor([[152], [185], [180], [196], [142]])


class MultivariateLinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 1)  # 3 inputs, 1 output

    def forward(self, x):
        return self.linear(x)


model = MultivariateLinearRegressionModel()
print(model)
optimizer = optim.SGD(model.parameters(), lr=1e-5)

nb_epochs = 2000
for epoch in range(nb_epochs + 1):
    prediction = model(x_train)
    cost = F.mse_loss(prediction, y_train)

    optimizer.zero_grad()
    cost.backward()
    optimizer.step()

    if epoch % 100 == 0:
        print("Epoch {:4d}/{} Cost: {:.6f}".format(epoch, nb_epochs, cost.item()))

new_var = minigrad.FloatTensor([[73, 80, 75]])
pred_y = model(new_var)
print("훈련 후 입력이 73, 80, 75일 때의 예측값 :", pred_y)  # 예측값 출력 / print the prediction after training
print(model.state_dict())
