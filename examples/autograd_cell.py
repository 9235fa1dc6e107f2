"""The seed tutorial's autograd cell on minigrad: z = 2w^2 + 5, so dz/dw = 4w = 8 at w = 2.

Each ``# %%`` line starts one cell (an editor can run them one at a time); the notebooks in examples/notebooks/
show them.
"""

# %% imports
import minigrad

# %% graph
w = minigrad.tensor(2.0, requires_grad=True)

y = w**2
z = 2 * y + 5

# %% backward
z.backward()

# %% gradient
print(w.grad)

# %% values
print(y, z, sep="\n")
