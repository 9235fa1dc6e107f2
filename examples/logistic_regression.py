"""The seed tutorial's logistic regression, on minigrad: H(x) = sigmoid(Wx + b) with binary cross-entropy.

The tutorial's cells, with ``minigrad`` where it imports ``torch``; it prints what PyTorch prints. Each ``# %%``
line starts one cell (an editor can run them one at a time); the notebooks in examples/notebooks/ show them.
"""

# %% imports
import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

minigrad.manual_seed(777)

# %% data
x_data = [[1, 2], [2, 3], [3, 1], [4, 3], [5, 3], [6, 2]]
y_data = [[0], [0], [0], [1], [1], [1]]
x_train = minigrad.FloatTensor(x_data)
y_train = minigrad.FloatTensor(y_data)

# %% model
# nn.Sequential(): 여러 함수들을 연결 / nn.Sequential() chains several functions
model = nn.Sequential(
    nn.Linear(2, 1),  # input_dim=2, output_dim=1
    nn.Sigmoid(),  # 출력은 시그모이드 함수를 거친다 / the output goes through the sigmoid function
)
print(model)

# %% training
# optimizer 설정 / the optimizer
optimizer = optim.SGD(model.parameters(), lr=1)

nb_epochs = 1000
for epoch in range(nb_epochs + 1):
    # H(x) 계산 / compute H(x)
    hypothesis = model(x_train)

    # cost 계산 / compute the cost
    loss = F.binary_cross_entropy(hypothesis, y_train)

    # cost로 H(x) 개선 / improve H(x) with the cost
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    # 10번마다 로그 출력 / log every 10 epochs
    if epoch % 10 == 0:
        # 예측값이 0.5를 넘으면 True로 간주 / a prediction above 0.5 counts as True
        prediction = hypothesis >= minigrad.FloatTensor([0.5])
        # 실제값과 일치하는 경우만 True로 간주 / True only where it matches the true value
        correct_prediction = prediction.float() == y_train
        accuracy = correct_prediction.sum().item() / len(correct_prediction)  # 정확도를 계산 / the accuracy
        # 각 에포크마다 정확도를 출력 / print the accuracy of each epoch
        print("Epoch {:4d}/{} Cost: {:.6f} Accuracy {:2.2f}%".format(epoch, nb_epochs, loss.item(), accuracy * 100))

# %% prediction
print(model(x_train))

# %% final parameters
print(list(model.parameters()))
