"""XOR with a two-layer perceptron: one linear layer cannot separate XOR, two with a sigmoid between can.

2 inputs -> 2 hidden units (sigmoid) -> 1 output (sigmoid), binary cross-entropy, SGD(lr=1).
"""

import minigrad
import minigrad.nn as nn

minigrad.manual_seed(777)

X = minigrad.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = minigrad.FloatTensor([[0], [1], [1], [0]])

model = nn.Sequential(
    nn.Linear(2, 2),
    nn.Sigmoid(),
    nn.Linear(2, 1),
    nn.Sigmoid(),
)
print(model)

criterion = nn.BCELoss()
optimizer = minigrad.optim.SGD(model.parameters(), lr=1)

for step in range(10001):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()

    if step % 1000 == 0:
        print(step, cost.item())

with minigrad.no_grad():
    hypothesis = model(X)
    predicted = (hypothesis > 0.5).float()
    accuracy = (predicted == Y).float().mean()
    print("모델의 출력값(Hypothesis): ", hypothesis.detach().numpy())
    print("모델의 예측값(Predicted): ", predicted.detach().numpy())
    print("실제값(Y): ", Y.numpy())
    print("정확도(Accuracy): ", accuracy.item())
