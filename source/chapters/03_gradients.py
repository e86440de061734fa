# %% [markdown]
# # Chapter 3 · Derivatives and gradients: which way is downhill
#
# Chapter 2 ended with the **loss** (损失): one number that says how wrong the network is, and
# that depends on every weight. Learning means lowering it, and for that we must know, for each
# weight, what happens to the loss when that weight moves a little: does the loss go up or down,
# and how fast? That is a **derivative**; for all the weights at once, a **gradient**.
#
# This chapter computes them the simple way: nudge a number, measure how the output changes,
# divide. It is slow, but it needs no calculus and is almost always right, so it stays with us
# for the whole course as the **oracle** that every faster method is checked against.
#
# By the end you will be able to
#
# * read $dy/dx$ as a rate of change and see it as the slope of a tangent line,
# * compute a derivative numerically with the **central difference**, and say why $h = 10^{-4}$,
# * form the **gradient** of a number with respect to a vector or a matrix (same shape as it),
# * measure the gradient of a network's loss with respect to its weights.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import numpy as np

import nnscratch  # the course's package: its numerical_diff and numerical_gradient are the reference
from nnscratch import softmax
from nnscratch.figures.gradients import plot_difference_errors, plot_gradient_field, plot_tangent
from nnscratch.grader import check
from nnscratch.widgets.gradients import tangent_explorer

# %% [markdown]
# ## 1. The derivative is a rate of change
#
# Take a function $y = f(x)$ and move $x$ by a small amount $h$. The output moves by
# $f(x + h) - f(x)$, and the ratio of the two changes is the average rate at which $y$ changes
# between $x$ and $x + h$. Let $h$ shrink towards 0 and the ratio settles on the **derivative**
# (导数) of $f$ at $x$:
#
# $$\frac{dy}{dx} = f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}$$
#
# Read $\dfrac{dy}{dx}$ as "change in $y$ per change in $x$": the output on top, the input
# below. If $dy/dx = 3$, nudging $x$ by $0.001$ moves $y$ by about $0.003$. (The study notes
# this course grew from write it upside down, $dx/dy$. That is a different number, the rate at
# which $x$ changes per change in $y$: for $y = 3x$, $dy/dx = 3$ but $dx/dy = 1/3$.)
#
# Let us watch the ratio settle for $f(x) = x^2$ at $x = 3$, where the rule $\frac{d}{dx}x^2 = 2x$
# predicts 6:

# %%
def f(x):
    return x**2


for h in [1.0, 0.1, 0.01, 0.001]:
    print(f"h = {h:<6} (f(3 + h) - f(3)) / h = {(f(3 + h) - f(3)) / h:.4f}")

# %% [markdown]
# The ratio is $(9 + 6h + h^2 - 9)/h = 6 + h$, so it approaches 6 as $h$ shrinks.
#
# In a picture, the ratio is the slope of the line through two points of the curve, a
# **secant**; as the points merge, the secant becomes the **tangent line** (切线), the line
# that just touches the curve at $x$. **The derivative is the slope of the tangent.** Move the
# point below and watch: where the curve rises the slope is positive, where it falls it is
# negative, and at the top of a hill or the bottom of a valley it is 0. Steeper curve, larger
# slope.

# %%
tangent_explorer()

# %% [markdown]
# Why this matters for learning: let $L$ be the loss and $w$ one weight. If $dL/dw > 0$, the
# loss rises when $w$ grows, so we should make $w$ a little smaller; if $dL/dw < 0$, a little
# larger; and the larger $|dL/dw|$, the more that weight matters right now.

# %% [markdown]
# ## 2. Numerical differentiation
#
# A computer cannot take a limit, but it can evaluate $f$ at two nearby points. Computing a
# derivative this way, with a small but finite $h$, is **numerical differentiation**
# (数值微分). Two choices decide how good the result is: the formula, and the size of $h$.
#
# ### Forward or central?
#
# The definition above suggests the **forward difference** (前向差分), the slope of the secant
# from $x$ to $x + h$. A better choice is the **central difference** (中心差分), the slope of
# the secant from $x - h$ to $x + h$, which is centred on $x$:
#
# $$\text{forward: } \frac{f(x + h) - f(x)}{h} \qquad\qquad
# \text{central: } \frac{f(x + h) - f(x - h)}{2h}$$
#
# With a deliberately large $h = 0.8$ the difference is plain to see: the central secant (green)
# is almost parallel to the tangent (red), the forward one (orange) is not. (The widget above
# draws these secants too: pick one in its "secants" menu.)

# %%
plot_tangent(np.sin, 1.0, (-3, 3), df=np.cos, h=0.8, title="f(x) = sin(x) at x = 1")

# %% [markdown]
# Taylor's formula says why. Near $x$,
#
# $$f(x \pm h) = f(x) \pm h f'(x) + \frac{h^2}{2} f''(x) \pm \frac{h^3}{6} f'''(x) + \cdots$$
#
# so the two formulas give
#
# $$\frac{f(x + h) - f(x)}{h} = f'(x) + \frac{h}{2} f''(x) + \cdots \qquad
# \frac{f(x + h) - f(x - h)}{2h} = f'(x) + \frac{h^2}{6} f'''(x) + \cdots$$
#
# In the central difference the $\frac{h^2}{2} f''(x)$ terms of $f(x + h)$ and $f(x - h)$
# cancel, so what is left over is proportional to $h^2$ instead of $h$. This leftover, the
# price of stopping short of the limit, is the **truncation error** (截断误差). With
# $h = 10^{-4}$ it is of order $10^{-4}$ for the forward difference, but only of order
# $10^{-8}$ for the central one.
#
# ### Then why not make $h$ tiny?
#
# Because a float64 number keeps only about 16 significant digits. Added to 3, a very small
# $h$ simply disappears:

# %%
print("(3.0 + 1e-50) - 3.0 =", (3.0 + 1e-50) - 3.0)
print("(3.0 + 1e-13) - 3.0 =", (3.0 + 1e-13) - 3.0, " (not 1e-13: the last digits are noise)")
print("machine epsilon of float64:", np.finfo(np.float64).eps)

# %% [markdown]
# Every value $f(x \pm h)$ carries a **rounding error** (舍入误差) of about
# $\varepsilon\,|f(x)|$, where $\varepsilon \approx 2.2 \times 10^{-16}$ is the machine epsilon.
# Subtracting two nearly equal values keeps that error while the difference itself shrinks, and
# dividing by $h$ magnifies it: the rounding error of a difference quotient is about
# $\varepsilon\,|f(x)|/h$, which **grows** as $h$ shrinks. With $h = 10^{-50}$ the two values
# are identical and the "derivative" is exactly 0.
#
# So the truncation error wants a small $h$ and the rounding error a large one. Let us measure
# both at once: the error of each formula for $f(x) = e^x$ at $x = 1$ (the true derivative is
# $e$), for $h$ from $10^{-16}$ to 1.

# %%
hs = np.logspace(-16, 0, 65)  # 65 values of h, evenly spaced on a log scale
x0 = 1.0
forward = (np.exp(x0 + hs) - np.exp(x0)) / hs
central = (np.exp(x0 + hs) - np.exp(x0 - hs)) / (2 * hs)
errors = {"forward difference": np.abs(forward - np.e), "central difference": np.abs(central - np.e)}

for name, error in errors.items():
    best = np.argmin(error)
    at_1e4 = error[np.argmin(np.abs(hs - 1e-4))]
    print(f"{name}: smallest error {error[best]:.1e} at h = {hs[best]:.0e}; at h = 1e-4: {at_1e4:.1e}")

plot_difference_errors(hs, errors, title="error of the numerical derivative of $e^x$ at $x = 1$")

# %% [markdown]
# Read the plot from right to left, on logarithmic axes:
#
# * **Right side: truncation error.** It falls in straight lines as $h$ shrinks: slope 1 for
#   the forward difference (ten times smaller $h$, ten times smaller error) and slope 2 for the
#   central one (ten times smaller $h$, a hundred times smaller error), just as Taylor said.
# * **Left side: rounding error.** It rises like $\varepsilon/h$ (the dotted line), ragged
#   because rounding is ragged.
# * **In between, a best $h$** where the two meet: near $\sqrt{\varepsilon} \approx 10^{-8}$
#   for the forward difference, near $\varepsilon^{1/3} \approx 6 \times 10^{-6}$ for the
#   central one, whose best error is a hundred times smaller still.
#
# $h = 10^{-4}$ (the dashed line) is not the best point. The best $h$ printed above is about
# $3 \times 10^{-6}$, and $10^{-4}$ lies some thirty times to its right, on the truncation
# side, with an error about a hundred times the smallest one. We give that up on purpose: the
# error is still only a few billionths of a derivative of size 3, and a larger $h$ stays safely
# away from the rounding cliff. That cliff moves right when $f(x)$ is large (the rounding error
# is about $\varepsilon\,|f(x)|/h$), as a loss summed over many samples can be, and its edge
# is ragged. That is
# the choice of the series' first book, *Deep Learning from Scratch* (深度学习入门), of the
# package and of the exercises: **central difference, $h = 10^{-4}$.**
#
# One warning before we move on. In float32, $\varepsilon \approx 1.2 \times 10^{-7}$, and the
# same recipe loses most of its digits, which is why numerical derivatives are always taken in
# float64:

# %%
x32, h32 = np.float32(1.0), np.float32(1e-4)
slope32 = (np.exp(x32 + h32) - np.exp(x32 - h32)) / (2 * h32)
print(f"float32 central difference: {slope32:.7f}   true: {np.e:.7f}")

# %% [markdown]
# The package's `numerical_diff(f, x)` is exactly this central difference with $h = 10^{-4}$
# (you will write your own in Exercise 1). That first book tries it on
# $f(x) = 0.01x^2 + 0.1x$, whose derivative $0.02x + 0.1$ is 0.2 at $x = 5$ and 0.3 at
# $x = 10$:

# %%
def book_function(x):
    return 0.01 * x**2 + 0.1 * x


for x in [5.0, 10.0]:
    slope, exact = nnscratch.numerical_diff(book_function, x), 0.02 * x + 0.1
    print(f"x = {x}: numerical {slope:.15f}, exact {exact}, difference {slope - exact:.1e}")

# %% [markdown]
# The two agree to about twelve digits. The rest is rounding error, far too small to matter;
# there is no truncation error here at all, because for a quadratic $f''' = 0$.

# %% [markdown]
# ## 3. Gradients: derivatives for many inputs at once
#
# ### Partial derivatives
#
# A loss depends on many numbers. Take a function of two, $f(x_0, x_1) = x_0^2 + x_1^2$. Its
# **partial derivative** (偏导数) with respect to $x_0$, written $\partial f/\partial x_0$, is
# the ordinary derivative in $x_0$ while $x_1$ is held fixed: $\partial f/\partial x_0 = 2x_0$,
# and likewise $\partial f/\partial x_1 = 2x_1$. Collected into one vector they form the
# **gradient** (梯度):
#
# $$\nabla f = \frac{\partial f}{\partial \mathbf{x}} =
# \left(\frac{\partial f}{\partial x_0},\ \frac{\partial f}{\partial x_1}\right) = (2x_0,\ 2x_1)$$
#
# For a function of a vector $\mathbf{x}$ with $n$ elements, the gradient has $n$ elements,
# one partial derivative per element of $\mathbf{x}$.
#
# ### The numerical gradient
#
# A partial derivative is measured just like an ordinary one: nudge **one** element by $\pm h$,
# leave the others alone, take the central difference, put the element back, and move on to the
# next. `numerical_gradient(f, x)` does exactly that, for an array `x` of any shape:

# %%
def f2(x):
    return np.sum(x**2)  # x0² + x1² (+ ... for longer x)


print(nnscratch.numerical_gradient(f2, np.array([3.0, 4.0])), " exact: (6, 8)")
print(nnscratch.numerical_gradient(f2, np.array([0.0, 2.0])), " exact: (0, 4)")

# %% [markdown]
# ### Why the nudging happens in place
#
# `numerical_gradient` does not build shifted copies of `x`: it changes `x` itself, element by
# element, and calls `f` each time. That matters because of how it is used on networks. The
# loss of a network reads the weights stored inside the network, so the function we hand over
# usually ignores its argument altogether:
#
# ```python
# dW1 = numerical_gradient(lambda W: net.forward(x, t), W1)   # W1 is net's own weight array
# ```
#
# (The first book's networks call this method `net.loss(x, t)`; the book this course follows,
# and the course's `TwoLayerNet`, call it `forward(x, t)`.) Only by changing the very array
# `W1` in place can `numerical_gradient` change what that loss sees; nudging a copy would change
# nothing, and every slope would come out 0.
#
# The flip side: the array belongs to the network, so every element must be put back **exactly**
# as it was. Saving the old value and writing it back is exact. Adding $h$ and subtracting it
# again is not always, because each step rounds:

# %%
values = np.random.default_rng(seed=0).standard_normal(1000)
nudged = values.copy()
nudged += 1e-4
nudged -= 2e-4
nudged += 1e-4
print("elements not restored by +h, -2h, +h:", np.count_nonzero(nudged != values), "of", values.size)

# %% [markdown]
# Tiny differences, about $10^{-16}$, but a measurement should leave no trace at all.
#
# ### The gradient of a loss with respect to a matrix
#
# Weights come in matrices. If the loss $L$ depends on a $2 \times 3$ matrix $\mathbf{W}$, the
# gradient $\partial L/\partial \mathbf{W}$ collects one partial derivative per weight, **in
# the same shape as $\mathbf{W}$**:
#
# $$\frac{\partial L}{\partial \mathbf{W}} =
# \begin{pmatrix}
# \dfrac{\partial L}{\partial W_{11}} & \dfrac{\partial L}{\partial W_{12}} &
# \dfrac{\partial L}{\partial W_{13}} \\
# \dfrac{\partial L}{\partial W_{21}} & \dfrac{\partial L}{\partial W_{22}} &
# \dfrac{\partial L}{\partial W_{23}}
# \end{pmatrix}$$
#
# Element $(i, j)$ says how the loss responds to weight $W_{ij}$, and sits where that weight
# sits, so that a learning step can later update every weight at once, element by element.
#
# A worked example: a one-layer classifier of 6 points with 2 features into 3 classes. Its
# scores are $\mathbf{s} = \mathbf{x}\mathbf{W}$, and the loss is Chapter 2's mean cross entropy
# of their softmax. (We write the cross entropy out without Chapter 2's small $\delta$, since no
# probability here is 0.)
#
# **Predict, then run.** `W` has shape (2, 3). What shape will `dW = numerical_gradient(loss, W)`
# have? A tuple, e.g. `answer = (6, 3)`.

# %%
### BEGIN SOLUTION
answer = (2, 3)
### END SOLUTION
check("gradients.predict_dW_shape", answer)

# %%
x = np.array([[0.1, -0.1], [0.6, 0.1], [-0.5, 0.4], [1.3, 0.9], [-0.7, -1.3], [-0.6, 0.0]])  # (6, 2)
t = np.array([1, 2, 1, 0, 2, 2])  # the true class of each point
W = np.array([[-0.7, -0.5, -0.3],
              [0.4, 1.0, -0.1]])  # (2, 3)
N = len(t)


def loss(W):
    """Mean cross entropy of softmax(x @ W) against the labels t."""
    y = softmax(x @ W)  # (6, 3) probabilities
    return -np.mean(np.log(y[np.arange(N), t]))


dW = nnscratch.numerical_gradient(loss, W)
print("L =", round(loss(W), 4))
print("dL/dW, shape", dW.shape)
print(dW.round(4))

# %% [markdown]
# **Predict, then run.** The next cell moves the one weight with the largest slope by 0.01,
# *against* the sign of its slope. Does the loss go `"down"` or `"up"`?

# %%
### BEGIN SOLUTION
answer = "down"
### END SOLUTION
check("gradients.predict_step_direction", answer)

# %% [markdown]
# Each number predicts what a small change of its weight does to the loss. Take the entry with
# the largest size, nudge that one weight by $0.01$ in the direction that should lower the loss,
# and compare the predicted change of $L$, $-0.01 \times |\partial L/\partial W_{ij}|$ (a
# decrease), with the actual one:

# %%
i, j = np.unravel_index(np.argmax(np.abs(dW)), dW.shape)
step = -0.01 * np.sign(dW[i, j])  # against the sign of the slope: downhill
W_moved = W.copy()
W_moved[i, j] += step
print(f"weight W[{i}, {j}] moved by {step:+.2f}")
print(f"predicted change of L: {step * dW[i, j]:+.6f}")
print(f"actual change of L:    {loss(W_moved) - loss(W):+.6f}")

# %% [markdown]
# Chapter 6 derives this gradient by hand: for softmax with cross entropy it is
# $\partial L/\partial \mathbf{W} = \frac{1}{N}\mathbf{x}^\top(\mathbf{y} - \mathbf{t})$, with
# $\mathbf{t}$ one-hot. Take it on trust for now and let the numerical gradient check it, the
# way it will check every gradient in this course:

# %%
y = softmax(x @ W)
t_one_hot = np.eye(3)[t]
dW_formula = x.T @ (y - t_one_hot) / N
print("largest difference:", np.abs(dW - dW_formula).max())

# %% [markdown]
# ### A picture of a gradient
#
# Six weights are too many to draw, but we can freeze four of them and let two move, say
# $W_{11}$ and $W_{21}$ (`W[0, 0]` and `W[1, 0]` in code: formulas count from 1, code from 0,
# as Chapter 1 set out). The loss then
# becomes a landscape over a plane. Below, its contour lines join weights of equal loss, and
# the arrows show **minus** the gradient, measured numerically at each point of a grid:

# %%
def loss_of_two(w):
    """The loss as a function of (W11, W21) alone; the other four weights stay as in W."""
    V = W.copy()
    V[0, 0], V[1, 0] = w
    return loss(V)


plot_gradient_field(loss_of_two, (-3, 3), (-3, 3), point=(W[0, 0], W[1, 0]),
                    labels=("$W_{11}$", "$W_{21}$"), value_label="loss $L$",
                    title="the loss over two weights, and $-\\nabla L$")

# %% [markdown]
# What the picture shows:
#
# * The gradient points in the direction in which the loss rises fastest, so **minus the
#   gradient points downhill**, the steepest way down from where you stand.
# * Every arrow crosses the contour lines at right angles: along a contour the loss does not
#   change at all, so the steepest direction is across it.
# * Arrows are long where the landscape is steep and shrink towards the valley floor, where
#   the gradient vanishes.
# * The red arrow at our $\mathbf{W}$ is made of two entries of the $2 \times 3$ gradient we
#   computed above, `-dW[0, 0]` and `-dW[1, 0]`: the gradient over all six weights contains the
#   picture for every pair of them.
#
# Taking small steps along $-\nabla L$, over and over, is **gradient descent** (梯度下降法),
# the learning rule of Chapter 7.
#
# ### The gradient of a network
#
# The same recipe works for a whole network. `TwoLayerNet` (Chapter 1's network with Chapter 2's
# loss layer on top) computes its loss with
# `net.forward(x, t)`, reading its weights from `net.params`; we hand `numerical_gradient` each
# weight array in turn, with a function that ignores its argument:

# %%
net = nnscratch.TwoLayerNet(2, 4, 3, weight_std=1.0, rng=0)
before = [p.copy() for p in net.params]

grads = [nnscratch.numerical_gradient(lambda p: net.forward(x, t), p) for p in net.params]

for name, p, g in zip(["W1", "b1", "W2", "b2"], net.params, grads):
    print(f"{name}: weights {p.shape}, gradient {g.shape}")
print("every weight restored exactly:", all(np.array_equal(p, b) for p, b in zip(net.params, before)))
print("forward passes used:", 2 * sum(p.size for p in net.params))

# %% [markdown]
# Two forward passes per weight: 54 here, but a network with a million weights would need two
# million, for one gradient. Numerical gradients are far too slow to train with; the next
# chapters build **backpropagation**, which gets all the gradients from one forward and one
# backward pass. Its key is the chain rule (Chapter 4), and its results will always be checked
# against `numerical_gradient`.

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | loss | 损失 | one number measuring how wrong the network is (Chapter 2) |
# | derivative | 导数 | $dy/dx$: the rate at which $y$ changes per change in $x$ |
# | tangent line | 切线 | the line touching a curve at a point; its slope is the derivative |
# | numerical differentiation | 数值微分 | estimating a derivative from values of $f$ at nearby points |
# | forward difference | 前向差分 | $(f(x+h) - f(x))/h$, error proportional to $h$ |
# | central difference | 中心差分 | $(f(x+h) - f(x-h))/2h$, error proportional to $h^2$ |
# | truncation error | 截断误差 | the error of stopping short of the limit $h \to 0$ |
# | rounding error | 舍入误差 | the error of keeping only ~16 significant digits |
# | partial derivative | 偏导数 | the derivative in one input while the others stay fixed |
# | gradient | 梯度 | all partial derivatives of a number, in the shape of the input |
# | gradient descent | 梯度下降法 | stepping against the gradient to lower a function (Chapter 7) |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Replace `raise NotImplementedError` with your code and run the cell; the check below it says
# which test failed, on what input, and often why.
#
# ### Exercise 1 · `numerical_diff(f, x)`
#
# Return the slope of `f` at `x` by the central difference of section 2, with $h = 10^{-4}$,
# for a function `f` of one number and a number `x`. The check tries it on slopes you can
# verify by hand, on $0.01x^2 + 0.1x$ from section 2, and at a large $x$, where a too-small $h$
# shows.
#
# <details><summary>Hint 1: a nudge</summary>
#
# "Central": look the same distance $h$ to the left and to the right of $x$, and divide the
# rise by the whole run between those two points.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{f(x + h) - f(x - h)}{2h}$ with `h = 1e-4`.
# </details>

# %%
def numerical_diff(f, x):
    ### BEGIN SOLUTION
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)
    ### END SOLUTION


check("gradients.numerical_diff", numerical_diff)

# %% [markdown]
# ### Exercise 2 · `numerical_gradient(f, x)`
#
# `x` is a float array of any shape and `f(x)` returns a number. Return an array of `x`'s shape
# whose element `[idx]` is the central difference of `f` in that element alone, with
# $h = 10^{-4}$. `f` may ignore its argument and read the array itself (the idiom of section 3,
# `numerical_gradient(lambda W: net.forward(x, t), W1)`), so nudge the elements of `x` itself,
# in place; when you return, every element of `x` must be exactly what it was.
#
# <details><summary>Hint 1: a nudge</summary>
#
# One element at a time: remember its value, nudge it up and evaluate `f`, nudge it down and
# evaluate `f`, then put the remembered value back (section 3 shows why restoring by `+h`,
# `-2h`, `+h` is not exact). `np.ndindex(x.shape)` walks over the index of every element,
# whatever the shape.
# </details>
#
# <details><summary>Hint 2: the recipe</summary>
#
# Start from `grad = np.zeros_like(x)`. For each `idx`: save `old = x[idx]`; set
# `x[idx] = old + h` and call `f(x)`; set `x[idx] = old - h` and call `f(x)`; set
# `x[idx] = old`; store the central difference in `grad[idx]`.
# </details>

# %%
def numerical_gradient(f, x):
    ### BEGIN SOLUTION
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old  # exactly the saved value: the caller's array must come back unchanged
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad
    ### END SOLUTION


check("gradients.numerical_gradient", numerical_gradient)

# %% [markdown]
# ### Exercise 3 · a gradient by hand: `quadratic_grad(A, x)`
#
# For a square matrix $\mathbf{A}$ $(D, D)$ and a vector $\mathbf{x}$ $(D,)$,
#
# $$f(\mathbf{x}) = \mathbf{x}^\top \mathbf{A}\,\mathbf{x} = \sum_{i}\sum_{j} x_i A_{ij} x_j$$
#
# is one number. Derive its gradient $\nabla f$ by hand, then write `quadratic_grad(A, x)`, which
# returns it: an array of shape $(D,)$, computed from your formula (not by nudging), leaving `A`
# and `x` unchanged. The check compares it with the numerical gradient on matrices that are not
# symmetric, so try your formula on paper with $D = 2$ first.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Write $f$ out for $D = 2$ (four terms) and take $\partial f/\partial x_1$: $x_1$ appears on the
# left of some terms and on the right of others, and $x_1^2$ has both.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{\partial f}{\partial x_k} = \sum_j A_{kj} x_j + \sum_i x_i A_{ik}$, that is
# $\nabla f = (\mathbf{A} + \mathbf{A}^\top)\,\mathbf{x}$. Only when $\mathbf{A}$ is
# symmetric is it $2\mathbf{A}\mathbf{x}$.
# </details>

# %%
def quadratic_grad(A, x):
    ### BEGIN SOLUTION
    return (A + A.T) @ x
    ### END SOLUTION


check("gradients.quadratic_grad", quadratic_grad)

# %% [markdown]
# ## What's next
#
# We can now measure how the loss responds to every weight, slowly. The fast way,
# backpropagation, rests on one rule for derivatives of functions built from other functions:
# the **chain rule**, the subject of Chapter 4.
