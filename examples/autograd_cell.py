"""The seed tutorial's autograd cell on minigrad: z = 2w^2 + 5, so dz/dw = 4w = 8 at w = 2."""

import minigrad

w = minigrad.tensor(2.0, requires_grad=True)

y = w**2
z = 2 * y + 5

z.backward()

print(w.grad)
print(y, z, sep="\n")
