"""The seed tutorial's linear regression, on minigrad: H(x) = Wx + b fitted to y = 2x by gradient descent.

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
# 데이터 (y = 2x) / data (y = 2x)
x_train = minigrad.FloatTensor([[1], [2], [3]])
y_train = minigrad.FloatTensor([[2], [4], [6]])

# %% model
# 모델 선언 및 초기화 / declare and initialise the model
model = nn.Linear(1, 1)  # (input_dim, output_dim)

# %% initial parameters
# 모델의 초기화된 가중치와 편향 출력 / the model's initial weight and bias
print(list(model.parameters()))

# %% optimizer
# optimizer 설정. 경사 하강법 SGD를 사용하고 학습률(learning rate, lr)은 0.01로 설정 / the optimizer: SGD, lr = 0.01
optimizer = optim.SGD(model.parameters(), lr=0.01)

# %% training
# 전체 훈련 데이터에 대해 경사 하강법을 2000회 반복 / gradient descent on the whole training data, 2000 times
n_epochs = 2000  # 총 에포크 수 설정 / the number of epochs
for epoch in range(n_epochs + 1):
    # 1) 가설모델 H(x)=Wx+b 계산 / 1) compute the hypothesis H(x)=Wx+b
    prediction = model(x_train)

    # 2) loss 계산 / 2) compute the loss
    loss = F.mse_loss(prediction, y_train)  # <-- 평균 제곱 오차 함수 / <-- the mean squared error

    # 3) loss로 H(x) 개선 / 3) improve H(x) with the loss
    optimizer.zero_grad()  # gradient를 0으로 초기화 / set the gradients to 0
    loss.backward()  # 손실 함수를 미분하여 gradient 계산 / differentiate the loss: compute the gradients
    optimizer.step()  # W, b 업데이트 / update W, b

    if epoch % 100 == 0:
        print("Epoch {:4d}/{} Loss: {:.6f}".format(epoch, n_epochs, loss.item()))

# %% prediction
# 임의의 입력 4를 선언 / a new input, 4
new_var = minigrad.FloatTensor([[4.0]])
# 입력한 값 4에 대해서 예측값 y를 리턴받아서 pred_y에 저장 / the prediction y for the input 4, in pred_y
pred_y = model(new_var)  # forward 연산 / the forward pass
# y = 2x 이므로 입력이 4라면 y가 8에 가까운 값이 나와야 제대로 학습이 된 것 / y = 2x: close to 8 if trained well
print("훈련 후 입력이 4일 때의 예측값 :", pred_y)  # 예측값 출력 / print the prediction after training

# %% final parameters
print(list(model.parameters()))
