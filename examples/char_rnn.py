"""Char RNN, "hihello": a recurrent network learns to predict the next character of a short string.

The input is "hihell" and the target "ihello", each character's successor, characters as one-hot vectors of the
five letters. An RNN reads the string one character at a time; after each character a linear layer turns its hidden
state into a score per letter, its guess of the next character, scored by cross-entropy; Adam trains both. The
prediction is printed as it improves, until the network spells "ihello".

The loss is printed to 4 decimals. minigrad runs the RNN step by step (minigrad/nn/rnn.py), PyTorch's float32 RNN
on the CPU runs a fused oneDNN kernel, and their matrix products add terms in different orders: the two losses agree
to float32 rounding (about 1e-7 relative), not bit for bit, so the rounded loss and the predictions are what both
libraries print alike.
"""

import minigrad
import minigrad.nn as nn

minigrad.manual_seed(0)

idx2char = ["h", "i", "e", "l", "o"]
x_data = [[0, 1, 0, 2, 3, 3]]  # h i h e l l
y_data = [[1, 0, 2, 3, 3, 4]]  # i h e l l o

X = nn.functional.one_hot(minigrad.tensor(x_data), num_classes=5).float()  # (batch 1, 6 steps, 5 letters)
Y = minigrad.tensor(y_data)



class CharRNN(nn.Module):
    """An RNN over the characters, then a linear layer from each hidden state to a score per letter."""

    def __init__(self, letters: int, hidden: int) -> None:
        super().__init__()
        self.rnn = nn.RNN(input_size=letters, hidden_size=hidden, batch_first=True)
        self.fc = nn.Linear(hidden, letters)

    def forward(self, x):
        hidden_states, _last = self.rnn(x)  # (batch, steps, hidden): the state after each character
        return self.fc(hidden_states)  # (batch, steps, letters)


model = CharRNN(letters=5, hidden=8)
print(model)

criterion = nn.CrossEntropyLoss()
optimizer = minigrad.optim.Adam(model.parameters(), lr=0.1)

for epoch in range(51):
    optimizer.zero_grad()
    outputs = model(X)
    loss = criterion(outputs.reshape(-1, 5), Y.reshape(-1))
    loss.backward()
    optimizer.step()

    if epoch % 5 == 0:
        result = outputs.argmax(dim=2)[0]
        result_str = "".join(idx2char[c] for c in result.tolist())
        print(f"{epoch:2d} loss: {loss.item():.4f} prediction: {result.tolist()} true Y: {y_data[0]} "
              f"prediction str: {result_str}")
