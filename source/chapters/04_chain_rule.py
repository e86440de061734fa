# %% [markdown]
# # Chapter 4 · The chain rule: derivatives along a chain of functions
#
# Chapter 3 measured gradients by nudging one weight at a time: two forward passes per weight,
# far too slow for a real network. **Backpropagation** (误差反向传播法) gets every gradient from
# one pass forward and one pass backward, and the rule it rests on is a single line of calculus:
# the **chain rule** (链式法则), which gives the derivative of a function built from other
# functions out of the derivatives of its pieces.
#
# By the end you will be able to
#
# * see a formula as a chain of simple functions, a **composite function**,
# * differentiate it with the chain rule, $\dfrac{dz}{dx} = \dfrac{dz}{dy}\,\dfrac{dy}{dx}$,
#   and check the result numerically,
# * differentiate a long chain by multiplying **local derivatives**, the sigmoid as example,
# * explain why multiplying from the output backwards gives the derivative with respect to
#   every value of the chain in one sweep: backpropagation in miniature.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import numpy as np

from nnscratch import numerical_diff, sigmoid
from nnscratch.chain import (
    SIGMOID,
    SQUARE_OF_LINE,
    Step,
    backward,
    compose,
    forward,
    local_derivatives,
)
from nnscratch.figures.chain_rule import draw_chain
from nnscratch.grader import check
from nnscratch.widgets.chain_rule import chain_explorer

# %% [markdown]
# ## 1. Composite functions
#
# Feed the output of one function into another and you get a **composite function**
# (复合函数): with $y = f(x)$ and $z = g(y)$,
#
# $$z = g(f(x))$$
#
# Take $z = (3x + 2)^2$. It is the chain of two simple steps: first the **inner** function
# $y = 3x + 2$, then the **outer** function $z = y^2$. A neural network is a composite too, only
# a longer one: its loss is Cross Entropy of Softmax of Affine of Sigmoid of Affine of the
# input, and the weights enter at several of those steps.

# %%
def inner(x):
    return 3 * x + 2


def outer(y):
    return y**2


x = 1.0
y = inner(x)
z = outer(y)
print(f"x = {x}  ->  y = 3x + 2 = {y}  ->  z = y² = {z}")

# %% [markdown]
# ## 2. The chain rule
#
# How fast does $z$ change with $x$? The chain rule answers with the two simple derivatives:
#
# $$\frac{dz}{dx} = \frac{dz}{dy}\,\frac{dy}{dx}$$
#
# **Predict, then run.** Before reading on: for the chain of section 1, $z = (3x + 2)^2$, what is
# $dz/dx$ at $x = 1$? A number, e.g. `answer = 12.0`.

# %%
### BEGIN SOLUTION
answer = 30.0
### END SOLUTION
check("chain_rule.predict_square_of_line", answer)

# %% [markdown]
# Think of rates of change. If $y$ changes 3 times as fast as $x$, and $z$ changes 10 times as
# fast as $y$, then $z$ changes $3 \times 10 = 30$ times as fast as $x$: **rates multiply**
# along a chain. (The notation looks as if the $dy$'s cancel like fractions. That is a good
# memory aid, though not a proof.)
#
# One detail matters in practice: each derivative is evaluated where its function actually
# works. The outer derivative $dz/dy = g'(y)$ is taken at $y = f(x)$, the value that flows into
# $g$, not at $x$:
#
# $$\frac{dz}{dx} = g'\big(f(x)\big)\, f'(x)$$
#
# For $z = (3x + 2)^2$ at $x = 1$: $y = 5$, $\dfrac{dy}{dx} = 3$, $\dfrac{dz}{dy} = 2y = 10$, so
# $\dfrac{dz}{dx} = 10 \times 3 = 30$. Expanding gives the same answer: $z = 9x^2 + 12x + 4$, so
# $dz/dx = 18x + 12 = 30$. And so does Chapter 3's numerical derivative:

# %%
dy_dx = 3.0  # the local derivative of 3x + 2
dz_dy = 2 * y  # the local derivative of y², at the y that flows in (5)
print("chain rule:            dz/dx =", dz_dy * dy_dx)
print("numerical (Chapter 3): dz/dx =", numerical_diff(lambda x: outer(inner(x)), 1.0))

# %% [markdown]
# Drawn as a chain of boxes, values flow to the right (blue, above the arrows) and each box
# carries its **local derivative** (局部导数, purple, below it): the derivative of that box's
# output with respect to its input, at the value it receives. The chain rule multiplies them.

# %%
values = forward(SQUARE_OF_LINE.steps, 1.0)
local = local_derivatives(SQUARE_OF_LINE.steps, 1.0)
draw_chain(SQUARE_OF_LINE.labels, values, local, local_labels=SQUARE_OF_LINE.local_labels,
           names=SQUARE_OF_LINE.names, title="z = (3x + 2)² at x = 1:  dz/dx = 3 × 10 = 30")

# %% [markdown]
# ## 3. Longer chains: multiply the local derivatives
#
# Nothing changes for longer chains $x \to y_1 \to y_2 \to \cdots \to z$: apply the rule once
# per link, and the derivative of the whole is the product of all the local derivatives,
#
# $$\frac{dz}{dx} = \frac{dz}{dy_{n-1}} \cdots \frac{dy_2}{dy_1}\,\frac{dy_1}{dx}$$
#
# each evaluated at the value flowing into its own step. So: first run the chain forward and
# keep the values, then multiply.
#
# ### The sigmoid, taken apart
#
# The sigmoid $y = \dfrac{1}{1 + e^{-x}}$ of Chapter 1 is a chain of four steps, each with a
# derivative you already know:
#
# | step | function | local derivative |
# |---|---|---|
# | 1 | $a = -x$ | $\dfrac{da}{dx} = -1$ |
# | 2 | $b = e^{a}$ | $\dfrac{db}{da} = e^{a}$ |
# | 3 | $c = 1 + b$ | $\dfrac{dc}{db} = 1$ |
# | 4 | $y = 1/c$ | $\dfrac{dy}{dc} = -\dfrac{1}{c^2}$ |
#
# Multiplying, with $a = -x$ and $c = 1 + e^{-x}$,
#
# $$\frac{dy}{dx} = \left(-\frac{1}{c^2}\right) \cdot 1 \cdot e^{a} \cdot (-1)
# = \frac{e^{-x}}{\left(1 + e^{-x}\right)^2}$$
#
# The two minus signs cancel: the sigmoid only ever rises. The result simplifies nicely. Split
# it as $\frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}$; the first factor is $y$, and
# the second is $1 - \frac{1}{1 + e^{-x}} = 1 - y$. So
#
# $$\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)$$
#
# a derivative computed from the output alone, which the Sigmoid layer of Chapter 6 will use.
#
# **Predict, then run.** The next cell multiplies the four local derivatives at $x = 0.5$, where
# $\sigma(0.5) \approx 0.62$. What will their product be? A number to 2 decimals.

# %%
### BEGIN SOLUTION
answer = 0.24
### END SOLUTION
check("chain_rule.predict_sigmoid_slope", answer)

# %% [markdown]
# Here are the four steps at $x = 0.5$:

# %%
x = 0.5
values = forward(SIGMOID.steps, x)  # [x, a, b, c, y]
local = local_derivatives(SIGMOID.steps, x)  # [da/dx, db/da, dc/db, dy/dc]
y = values[-1]
print("values:           ", np.round(np.array(values, dtype=float), 4))
print("local derivatives:", np.round(np.array(local, dtype=float), 4))
print("their product:    ", np.prod(local))
print("y (1 - y):        ", y * (1 - y))
print("numerical:        ", numerical_diff(sigmoid, x))

# %% [markdown]
# Three ways, one answer. Now move $x$ and watch: the local derivatives change from step to
# step, and their product is always the slope of the tangent to the whole curve. Far from 0,
# one of the factors becomes tiny and the product with it: the sigmoid is flat there. (Switch
# the chain to $(3x + 2)^2$ in the menu to see a two-step chain. The red numbers under the
# arrows are the subject of section 4.)

# %%
chain_explorer()

# %% [markdown]
# ## 4. Why this makes backpropagation possible
#
# Now read the chain from the right, the output end. Under each arrow, in red, is the
# derivative of the final output (for the sigmoid, $y$) with respect to the value on that
# arrow. The last one is $dy/dy = 1$, and each red number is **the one to its right times the
# local derivative of the box in between**. In the notation of section 3, for a chain
# $x \to y_1 \to \cdots \to z$:
#
# $$\frac{dz}{dy_k} = \frac{dz}{dy_{k+1}}\;\frac{dy_{k+1}}{dy_k}$$

# %%
grads = backward(SIGMOID.steps, x)  # [dy/dx, dy/da, dy/db, dy/dc, dy/dy]
draw_chain(SIGMOID.labels, values, local, grads, local_labels=SIGMOID.local_labels,
           names=SIGMOID.names, title="the sigmoid at x = 0.5: values forward, derivatives backward")

# %% [markdown]
# So a single sweep from the output back to the input, one multiplication per box, gives the
# derivative of the output with respect to **every** value of the chain, not just $x$. This is
# backpropagation in miniature. In a network, the boxes are layers and the output is the loss.
# Each layer needs only two things: its own local derivative, and the number arriving from its
# right, the **upstream gradient** (上游传来的导数). It needs to know nothing about the layers
# before or after it, and that is why backpropagation works at any depth: another layer is just
# one more factor.
#
# How much work does it save? Take a chain of 40 steps. Measuring $dz/dv$ numerically for every
# one of its 41 values costs two runs of the rest of the chain each; the backward sweep costs
# one forward run and 40 multiplications. Both give the same numbers:

# %%
rng = np.random.default_rng(seed=3)
menu = [Step(lambda u: u + 0.3 * np.sin(u), lambda u: 1 + 0.3 * np.cos(u)),
        Step(lambda u: u - 0.5, lambda u: 1.0),
        Step(lambda u: 1.1 * u, lambda u: 1.1)]
long_chain = [menu[k] for k in rng.integers(0, len(menu), size=40)]  # 40 random steps
x = 0.8

by_backward = backward(long_chain, x)
long_values = forward(long_chain, x)
by_nudging = np.array([numerical_diff(compose(long_chain[k:]), v) for k, v in enumerate(long_values)])

print("dz/dx by the backward sweep:", by_backward[0])
print("dz/dx by nudging x:         ", by_nudging[0])
print("largest relative difference over all 41 values:",
      np.max(np.abs(by_backward - by_nudging) / np.abs(by_backward)))
print("steps evaluated: backward sweep", 2 * len(long_chain),
      "(one forward run, one local derivative each); nudging",
      sum(2 * len(long_chain[k:]) for k in range(len(long_values))))

# %% [markdown]
# Real networks differ from this chain in two ways, and the next two chapters deal with them:
# the values are arrays instead of single numbers, and a value can feed several boxes, whose
# gradients must then be added. The rule stays the same: local derivatives multiplied along
# the path, from the loss backwards.
#
# One more thing the product shows. The sigmoid's local derivative is at most $1/4$ (at
# $x = 0$), so on its way back through ten sigmoid layers a gradient is multiplied, by the
# sigmoids alone, by at most $(1/4)^{10} \approx 10^{-6}$. This shrinking, the **vanishing gradient** (梯度消失), is one
# reason deep networks prefer other activations, such as ReLU in Lab 2.

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | backpropagation | 误差反向传播法 | computing every gradient in one backward sweep with the chain rule |
# | chain rule | 链式法则 | $dz/dx = (dz/dy)(dy/dx)$: derivatives multiply along a chain |
# | composite function | 复合函数 | a function made by feeding one function's output into another |
# | local derivative | 局部导数 | the derivative of one step's output with respect to its own input |
# | upstream gradient | 上游传来的导数 | the derivative of the final output arriving from the right |
# | vanishing gradient | 梯度消失 | a gradient shrinking towards 0 as many small factors multiply |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Replace `raise NotImplementedError` with your code and run the cell. Each check compares your
# derivatives with numerical ones, the central difference of Chapter 3, at several points.
#
# ### Exercise 1 · the derivative of a composite
#
# For $z = (x^2 + 1)^3$, write `dz_dx(x)` returning $dz/dx$ by the chain rule, element by
# element for an array `x` (or a single number), same shape as `x`.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two steps: an inner function $y = x^2 + 1$ and an outer one, the cube. Name the inner value
# first; the outer derivative is taken at it (section 2).
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{dz}{dx} = 3y^2 \cdot 2x$ with $y = x^2 + 1$.
# </details>

# %%
def dz_dx(x):
    ### BEGIN SOLUTION
    y = x**2 + 1  # the inner value, which flows into the cube
    return 3 * y**2 * (2 * x)  # dz/dy at that y, times dy/dx
    ### END SOLUTION


check("chain_rule.composite", dz_dx)

# %% [markdown]
# ### Exercise 2 · the sigmoid's derivative
#
# Write `sigmoid_grad(x)` returning $d\sigma/dx$ element by element, for an array of any shape.
# It must give $\approx 0$, and no `nan`, at $x = \pm 1000$.
#
# <details><summary>Hint 1: a nudge</summary>
#
# The unsimplified product of section 3 divides $e^{-x}$ by a square that overflows at
# $x = -1000$ (`inf / inf`). Section 3's simplified form needs only the sigmoid's output.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# Compute $y = 1/(1 + e^{-x})$, then return $y\,(1 - y)$.
# </details>

# %%
def sigmoid_grad(x):
    ### BEGIN SOLUTION
    y = 1 / (1 + np.exp(-x))
    return y * (1 - y)
    ### END SOLUTION


check("chain_rule.sigmoid_grad", sigmoid_grad)

# %% [markdown]
# ### Exercise 3 · multiply along a chain
#
# A chain is a list of steps, each a pair `(f, df)`: the step's function and its local
# derivative, both taking the step's own input. For example, $z = (3x + 2)^2$ is
#
# ```python
# steps = [(lambda u: 3 * u + 2, lambda u: 3.0), (lambda u: u**2, lambda u: 2 * u)]
# ```
#
# Write `chain_derivative(steps, x)` returning $dz/dx$ for a number `x`, by the chain rule (not by
# nudging `x`).
#
# <details><summary>Hint 1: a nudge</summary>
#
# Walk along the chain from left to right, keeping two things: the value flowing in, and the
# product of the local derivatives so far. Each `df` is taken at the value that *enters* its
# step.
# </details>
#
# <details><summary>Hint 2: the loop</summary>
#
# Start with a derivative of 1.0. For each `(f, df)`: multiply the derivative by `df(x)`, *then*
# move on with `x = f(x)`.
# </details>

# %%
def chain_derivative(steps, x):
    ### BEGIN SOLUTION
    derivative = 1.0  # dx/dx
    for f, df in steps:
        derivative = derivative * df(x)  # the local derivative at this step's input
        x = f(x)  # the value that flows into the next step
    return derivative
    ### END SOLUTION


check("chain_rule.chain_derivative", chain_derivative)

# %% [markdown]
# ### Exercise 4 · the backward sweep
#
# Write `chain_backward(steps, x)` returning the derivatives of the output $z$ with respect to
# every value of the chain, in the order of the values: $[dz/dx,\ dz/dy_1,\ \dots,\ dz/dz]$,
# so $n + 1$ numbers for $n$ steps, the last one being 1 (a list or an array). Each step's
# function may be evaluated only once (as in section 4's count).
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two passes: forward, keeping every value the chain computes; then backward, from the output's
# own derivative (1) to $x$, each derivative made from the one to its right.
# </details>
#
# <details><summary>Hint 2: the recipe</summary>
#
# `values[k]` is the input of step `k`. Going from the last step to the first:
# `grads[k] = grads[k + 1] * df(values[k])`, upstream times local.
# </details>

# %%
def chain_backward(steps, x):
    ### BEGIN SOLUTION
    values = [x]
    for f, _ in steps:
        values.append(f(values[-1]))
    grads = [1.0] * len(values)  # grads[-1] = dz/dz = 1
    for k in reversed(range(len(steps))):
        _, df = steps[k]
        grads[k] = grads[k + 1] * df(values[k])  # upstream times local
    return grads
    ### END SOLUTION


check("chain_rule.chain_backward", chain_backward)

# %% [markdown]
# ### Exercise 5 · a derivative by hand: `softplus_grad(x)`
#
# The **softplus** $\;s(x) = \log(1 + e^{x})$ is a smooth cousin of ReLU (Lab 2). Derive its
# derivative with the chain rule, then write `softplus_grad(x)` returning $ds/dx$ element by
# element, for an array `x` of any shape (or a single number). The text has not done this one:
# the check compares your formula with the numerical derivative.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two steps: an inner $u = 1 + e^{x}$ and an outer $\log u$. What are their local derivatives,
# and where is the outer one evaluated?
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{ds}{dx} = \dfrac{1}{u}\cdot e^{x} = \dfrac{e^{x}}{1 + e^{x}}$, which is the sigmoid
# $\sigma(x) = 1/(1 + e^{-x})$ (divide top and bottom by $e^{x}$).
# </details>

# %%
def softplus_grad(x):
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-x))
    ### END SOLUTION


check("chain_rule.softplus_grad", softplus_grad)

# %% [markdown]
# ## What's next
#
# A network is not a single chain: values are arrays, some operations take two inputs, and
# some values are used twice. Chapter 5 draws computations as **computation graphs** and gives
# each kind of node its own backward rule, all of them the chain rule at work.
