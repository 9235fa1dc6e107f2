"""The seed tutorial's linear regression, on minigrad: H(x) = Wx + b fitted to y = 2x by gradient descent.

The tutorial's cells, with ``minigrad`` where it imports ``torch``; it prints what PyTorch prints.
"""

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F
import minigrad.optim as optim

minigrad.manual_seed(777)

# 데이터 (y = 2x)
x_train = minigrad.FloatTensor([[1], [2], [3]])
y_train = minigrad.FloatTensor([[2], [4], [6]])

# 모델 선언 및 초기화
model = nn.Linear(1, 1)  # (input_dim, output_dim)

# 모델의 초기화된 가중치와 편향 출력
print(list(model.parameters()))

# optimizer 설정. 경사 하강법 SGD를 사용하고 학습률(learning rate, lr)은 0.01로 설정
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 전체 훈련 데이터에 대해 경사 하강법을 2000회 반복
n_epochs = 2000
for epoch in range(n_epochs + 1):
    # 1) 가설모델 H(x)=Wx+b 계산
    prediction = model(x_train)

    # 2) loss 계산
    loss = F.mse_loss(prediction, y_train)

    # 3) loss로 H(x) 개선: gradient를 0으로 초기화, 미분하여 gradient 계산, W와 b 업데이트
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 100 == 0:
        print("Epoch {:4d}/{} Loss: {:.6f}".format(epoch, n_epochs, loss.item()))

# 임의의 입력 4를 선언; y = 2x 이므로 8에 가까운 값이 나와야 제대로 학습이 된 것
new_var = minigrad.FloatTensor([[4.0]])
pred_y = model(new_var)  # forward 연산
print("훈련 후 입력이 4일 때의 예측값 :", pred_y)

print(list(model.parameters()))
