# %% [markdown]
# # Chapter 6 · Backpropagation through layers
#
# Chapter 5 gave us a handful of nodes, each with a simple backward rule. Our network, though,
# is made of layers: Affine, Sigmoid, Affine, and Softmax with Loss at the end. This chapter
# builds the backward pass of each layer out of those nodes, proves every one of them right
# with numerical gradients, and then puts the method to work on a network whose gradients
# are wrong in four hidden places.
#
# By the end you will be able to
#
# * derive the sigmoid's backward, $\partial L/\partial x = \partial L/\partial y \cdot y(1 - y)$,
#   from its computation graph, and say why the layer keeps its *output*,
# * write the Affine layer's backward ($\mathbf{dx}$, $\mathbf{dW}$ and a $\mathbf{db}$ that is
#   summed over the batch) with its gradients stored in place,
# * derive why Softmax with Loss sends back simply $(\mathbf{y} - \mathbf{t})/N$, and why the
#   two parts are fused into one layer,
# * check a whole network's gradients against numerical ones, and read what the relative
#   errors mean,
# * find bugs in someone else's backward code by checking layer by layer.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import inspect

import numpy as np

from nnscratch import layers, nodes, planted
from nnscratch.figures.layer_backprop import draw_softmax_with_loss_nodes, plot_gradient_check
from nnscratch.figures.computation_graph import AFFINE, SIGMOID, SOFTMAX_WITH_LOSS, draw_graph
from nnscratch.figures import traces
from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.gradients import numerical_backward, relative_error
from nnscratch.grader import check
from nnscratch.gradients import check_layer, check_loss_layer, check_network
from nnscratch.network import TwoLayerNet
from nnscratch.widgets.computation_graph import sigmoid_explorer

# %% [markdown]
# ## 1. A layer's backward, from its graph
#
# A layer is a small computation graph wrapped in a class. To find its backward we draw that
# graph with the nodes of Chapter 5, run backward through it node by node, and then simplify
# the result into a formula that the layer computes in one go. Each layer keeps the layer
# contract of Chapter 5: `forward` computes and remembers what backward needs, `backward(dout)`
# receives $\partial L/\partial(\text{output})$ and returns $\partial L/\partial(\text{input})$,
# and the gradients of its weights go **into** its `grads` arrays.
#
# We will check each result with the trick of Chapter 5: for an upstream gradient `dout`, the
# numerical gradient of $\sum \text{dout} \odot \text{forward}(x)$ is exactly what backward
# must return. `numerical_backward(forward, x, dout)` computes it, and `relative_error`
# compares two arrays (section 5 says how to read it).
#
# ## 2. The Sigmoid layer
#
# The sigmoid $y = 1/(1 + e^{-x})$ is four elementary steps: multiply by $-1$, take the
# exponential, add 1, take the reciprocal. As a graph, with $x = 0.5$ and an upstream gradient
# $\partial L/\partial y = 1$:

# %%
draw_graph(SIGMOID, traces.sigmoid_trace(0.5, 1.0), decimals=3,
           title="y = 1 / (1 + exp(−x)) as four nodes, at x = 0.5")

# %% [markdown]
# Backward runs right to left, one local derivative at a time. Name the intermediate values
# $a = -x$, $b = e^{a}$, $c = b + 1$ and $y = 1/c$:
#
# | node | forward | local derivative | gradient after it |
# |---|---|---|---|
# | $1/c$ | $y = 1/c$ | $\partial y/\partial c = -1/c^2 = -y^2$ | $-\frac{\partial L}{\partial y}\,y^2$ |
# | $+1$ | $c = b + 1$ | $1$ | $-\frac{\partial L}{\partial y}\,y^2$ |
# | exp | $b = e^{a}$ | $e^{a} = e^{-x}$ | $-\frac{\partial L}{\partial y}\,y^2 e^{-x}$ |
# | $\times(-1)$ | $a = -x$ | $-1$ | $\frac{\partial L}{\partial y}\,y^2 e^{-x}$ |
#
# So $\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\,y^2 e^{-x}$, and it
# simplifies beautifully:
#
# $$y^2 e^{-x} = \frac{1}{1 + e^{-x}}\cdot\frac{e^{-x}}{1 + e^{-x}} = y\,(1 - y)
# \qquad\Longrightarrow\qquad
# \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}\; y\,(1 - y)$$
#
# (using $\frac{e^{-x}}{1 + e^{-x}} = 1 - \frac{1}{1 + e^{-x}} = 1 - y$). The four nodes
# collapse into one line that needs only the layer's **output** $y$. That is why the Sigmoid
# layer stores its output in forward, and its backward multiplies `dout` by $y(1 - y)$ computed
# from that stored output. Move $x$ and the upstream gradient below: the graph
# recomputes every value and gradient with the four nodes, and the title compares the result
# with the one-line formula.

# %%
sigmoid_explorer()

# %% [markdown]
# The slope $y(1-y)$ is largest, $0.25$, at $x = 0$ and almost 0 once $|x|$ is large: a
# saturated sigmoid passes almost no gradient back. A numerical check on a whole batch:

# %%
rng = np.random.default_rng(seed=0)
x = rng.standard_normal((4, 3))
dout = rng.standard_normal((4, 3))

layer = layers.Sigmoid()
layer.forward(x)
dx = layer.backward(dout)
print("relative error vs numerical:", relative_error(dx, numerical_backward(sigmoid, x, dout)))

# %% [markdown]
# A classic slip is to use the input where the formula wants the output,
# `dout * (1 - x) * x`. The check catches it at once:

# %%
print("using x instead of y:", relative_error(dout * (1 - x) * x, numerical_backward(sigmoid, x, dout)))

# %% [markdown]
# ## 3. The Affine layer
#
# The Affine layer computes $\mathbf{y} = \mathbf{x}\mathbf{W} + \mathbf{b}$ for a mini-batch
# $\mathbf{x}$ of $N$ rows. As a graph it is a MatMul node, plus a **Repeat** node that copies
# the bias row $N$ times (this is what NumPy's broadcasting does silently), joined by an Add.
#
# **Predict, then run.** Our `Affine` keeps `b` as a 1-D array. For `b` of shape (2,) and a
# batch of $N = 5$ samples, what shape will `db` have? A tuple, e.g. `answer = (3, 4)`.

# %%
### BEGIN SOLUTION
answer = (2,)
### END SOLUTION
check("backprop.predict_db_shape", answer)

# %%
x = np.array([[1.0, 2.0], [3.0, -1.0]])  # N = 2 samples, D = 2 features
W = np.array([[0.5, 1.0], [-1.0, 2.0]])  # D = 2, H = 2
b = np.array([[2.0, -1.0]])  # one bias row
dout = np.array([[1.0, 0.5], [-1.0, 2.0]])  # an upstream gradient, (N, H)
draw_graph(AFFINE, traces.affine_trace(x, W, b, dout), title="Affine: y = x W + b, backward with dout")

# %% [markdown]
# Reading the backward off the graph with the rules of Chapter 5:
#
# * Add passes `dout` unchanged to both of its inputs;
# * MatMul gives $\frac{\partial L}{\partial \mathbf{x}} = \text{dout}\,\mathbf{W}^\mathsf{T}$ and
#   $\frac{\partial L}{\partial \mathbf{W}} = \mathbf{x}^\mathsf{T}\,\text{dout}$;
# * Repeat gives the bias the **sum** of its copies' gradients, one copy per sample:
#   $\frac{\partial L}{\partial \mathbf{b}} = \sum_{n=1}^{N} \text{dout}_n$.
#
# Every gradient has the shape of its value, which is the best check while writing the code:
#
# | value | shape | gradient | formula |
# |---|---|---|---|
# | $\mathbf{x}$ | $N \times D$ | `dx` | `dout @ W.T`: $(N \times H)(H \times D)$ |
# | $\mathbf{W}$ | $D \times H$ | `dW` | `x.T @ dout`: $(D \times N)(N \times H)$ |
# | $\mathbf{b}$ | $H$ | `db` | `np.sum(dout, axis=0)`: one sum per column |
#
# Our `Affine` layer stores the bias as a 1-D array of $H$ numbers, so `db` is summed without
# `keepdims`. Why a sum and not a mean? Each sample used the same bias, so each contributes its
# own share of the gradient, just like the two paths of a Branch node. (The averaging over the
# batch has already happened inside the loss, which divides by $N$; dividing again would make
# the gradient $N$ times too small.)
#
# As for MatMul, the layer keeps `params = [W, b]` and `grads = [np.zeros_like(W),
# np.zeros_like(b)]`, and backward writes `dW` and `db` *into* those arrays, in place (with
# `[...] =`, as MatMul did in Chapter 5), so that the network's gathered `grads` list keeps
# seeing the new values. Checking the package's layer:

# %%
x = rng.standard_normal((5, 3))
W, b = rng.standard_normal((3, 2)), rng.standard_normal(2)
dout = rng.standard_normal((5, 2))
print(check_layer(layers.Affine(W, b), x, dout, names=("dW", "db")))

# %% [markdown]
# `check_layer` runs the layer's backward once, then measures $\mathbf{dx}$ and every
# parameter's gradient numerically, and returns one relative error per gradient.
#
# ## 4. The Softmax with Loss layer
#
# The last layer turns scores $\mathbf{s}$ into probabilities $\mathbf{y} = \text{softmax}(\mathbf{s})$
# and compares them with the labels $\mathbf{t}$: $L = -\sum_k t_k \log y_k$ for one sample.
# Drawn as two nodes, with one sample whose right class is the second:

# %%
s = np.array([[2.0, 1.0, 0.1]])
t = np.array([[0.0, 1.0, 0.0]])
draw_graph(SOFTMAX_WITH_LOSS, traces.softmax_with_loss_trace(s, t),
           title="Softmax, then cross entropy: the gradient reaching the scores is y − t")

# %% [markdown]
# ### The derivation
#
# Take one sample. The cross entropy node has $\frac{\partial L}{\partial y_k} = -\frac{t_k}{y_k}$
# (the red numbers between the two nodes: 0 except at the right class). The softmax
# $y_k = e^{s_k} / S$ with $S = \sum_i e^{s_i}$ makes every output depend on every score,
# through the shared denominator $S$. The quotient rule, $(u/v)' = (u'v - uv')/v^2$, one line a
# step, with $\partial S/\partial s_j = e^{s_j}$:
#
# $$\begin{aligned}
# \frac{\partial y_k}{\partial s_j}
# &= \frac{\frac{\partial e^{s_k}}{\partial s_j}\,S - e^{s_k}\,\frac{\partial S}{\partial s_j}}{S^2}
# && \text{quotient rule} \\
# &= \frac{\delta_{kj}\,e^{s_k}\,S - e^{s_k}\,e^{s_j}}{S^2}
# && \frac{\partial e^{s_k}}{\partial s_j} = e^{s_k} \text{ if } k = j \text{, else } 0 \\
# &= \frac{e^{s_k}}{S}\,\delta_{kj} - \frac{e^{s_k}}{S}\,\frac{e^{s_j}}{S}
# && \text{split the fraction} \\
# &= y_k\,(\delta_{kj} - y_j)
# && y_k = e^{s_k}/S
# \end{aligned}$$
#
# with $\delta_{kj} = 1$ if $k = j$, else 0. The chain rule sums over all the paths from $s_j$
# to $L$, one through each $y_k$:
#
# $$\frac{\partial L}{\partial s_j} = \sum_k \frac{\partial L}{\partial y_k}\,\frac{\partial y_k}{\partial s_j}
# = \sum_k \left(-\frac{t_k}{y_k}\right) y_k\,(\delta_{kj} - y_j)
# = -t_j + y_j \sum_k t_k = y_j - t_j$$
#
# because the labels sum to 1. Everything cancels except the difference between what the
# network said and what was right. For a mini-batch the loss is the mean over $N$ samples,
# so each sample's gradient is divided by $N$:
#
# $$\frac{\partial L}{\partial \mathbf{s}} = \frac{\mathbf{y} - \mathbf{t}}{N}$$
#
# and an upstream gradient `dout` (1 when this is the last node, as it always is) multiplies
# it, as for any node.
#
# ### The same, node by node
#
# The two boxes hide a graph of the elementary nodes you know: exp, a sum $S$ of the
# exponentials, a divide (a multiply by $1/S$), log, a multiply by the labels $t$, a sum over the
# classes and a multiply by $-1$. The sample is drawn as a column, one row per class. Follow
# the red gradients from $L$ back to $\mathbf{s}$:
#
# * $\times(-1)$ and $\Sigma$ send $-1$ to every class; $\times t$ keeps only the right class:
#   $-t_k$;
# * log multiplies by $1/y_k$: $-t_k/y_k$, the cross entropy's gradient;
# * the divide node sends $-t_k/y_k \cdot 1/S$ to $e_k$, and to $1/S$ the sum
#   $\sum_k (-t_k/y_k)\,e_k = -S\sum_k t_k = -S$ (Repeat adds up its copies), which $1/S$
#   turns into $-S \cdot (-1/S^2) = 1/S$ and the sum node copies back to every $e_k$;
# * the branch adds the two: $\partial L/\partial e_k = (-t_k/y_k + 1)/S$, and exp multiplies
#   by $e_k$: $(-t_k/y_k + 1)\,e_k/S = -t_k + y_k$.
#
# So $y - t$ falls out of the nodes, one local derivative at a time:

# %%
draw_softmax_with_loss_nodes(s=(2.0, 1.0, 0.1), t=(0.0, 1.0, 0.0))

# %% [markdown]
# ### Why the two are fused
#
# Computed separately, the gradient would pass through $-t_k/y_k$ on its way back, and $y_k$
# can be tiny: a confident wrong answer has $y_k \approx 0$ at the right class, and $-1/y_k$
# becomes enormous (or infinite), only to be multiplied by something tiny again in the
# softmax node. The fused layer skips that detour: $(\mathbf{y} - \mathbf{t})/N$ is cheap, and it
# is always between $-1/N$ and $1/N$.
#
# **Predict, then run.** The next cell scores one sample $\mathbf{s} = (20, 0, -20)$ whose right
# class is 2. What is the fused gradient $y - t$ at class 2, to 2 decimals?

# %%
### BEGIN SOLUTION
answer = -1.0
### END SOLUTION
check("backprop.predict_fused_gradient", answer)

# %%
s = np.array([[20.0, 0.0, -20.0]])  # very sure of class 0 ...
t = np.array([[0.0, 0.0, 1.0]])  # ... but class 2 is right
y = softmax(s)
print("y =", y)
print("through the cross entropy node, -t / y =", -t / y)
print("fused, y - t =", y - t)

# %% [markdown]
# ### Labels as indices
#
# With labels given as class indices $t_n$ rather than one-hot rows, $\mathbf{y} - \mathbf{t}$
# means: subtract 1 from each row's probability at its right class (row $n$, column $t_n$),
# and do it on a **copy** of $\mathbf{y}$, so that a second backward finds the probabilities
# intact. The package's layer handles both kinds of labels; its gradient checks out:

# %%
scores = rng.standard_normal((6, 3))
labels = rng.integers(0, 3, size=6)
print("label indices:", check_loss_layer(layers.SoftmaxWithLoss(), scores, labels))
print("one-hot rows: ", check_loss_layer(layers.SoftmaxWithLoss(), scores, np.eye(3)[labels]))

# %% [markdown]
# ## 5. Checking a whole network
#
# With all three layers able to go backward, `TwoLayerNet.backward()` runs them in reverse
# order and fills every gradient. Before trusting it with training, compare every parameter's
# gradient with the numerical one. `check_network(net, x, t)` does exactly that:

# %%
net = TwoLayerNet(2, 4, 3, weight_std=1.0, rng=0)
x = rng.standard_normal((8, 2))
t = rng.integers(0, 3, size=8)
errors = check_network(net, x, t, names=("W1", "b1", "W2", "b2"))
plot_gradient_check(errors, title="TwoLayerNet: backward against numerical gradients")

# %% [markdown]
# ### Reading a relative error
#
# Two gradients $\mathbf{a}$ (backward) and $\mathbf{b}$ (numerical) are compared element by
# element, each difference measured against the size of the numbers involved, and the worst
# element counts:
#
# $$\text{relative error} = \max_i \frac{|a_i - b_i|}{|a_i| + |b_i|}$$
#
# It is 0 for perfect agreement and at most 1 (for instance, when one of the two is 0 or they
# have opposite signs). A plain difference would not do: $10^{-6}$ is negligible for a
# gradient of size 1, and everything for one of size $10^{-6}$.
#
# What to expect:
#
# * **about $10^{-7}$ or less, even $10^{-10}$**: right. The numerical gradient with
#   $h = 10^{-4}$ is accurate to about 8 digits, and that is what you see for a single layer
#   (section 3 printed errors near $10^{-11}$).
# * **around $10^{-6}$ for a whole network**: still right. The loss of Chapter 2 computes
#   $\log(y + 10^{-7})$ to stay finite, while backward uses the exact $(\mathbf{y}-\mathbf{t})/N$;
#   the numerical gradient measures the function as computed, so the two differ by about
#   $10^{-7}/y$. Below $10^{-5}$ we call it agreement. (When the right class gets a tiny
#   probability, $10^{-7}/y$ grows, and a correct network can drift towards $10^{-5}$.)
# * **between $10^{-5}$ and $10^{-2}$**: look closer. Sometimes it is the check itself (a kink,
#   where the slope jumps, as ReLU's does at 0 in Lab 2; float32 data; a badly chosen $h$);
#   sometimes a small bug.
# * **$10^{-2}$ and above**: a bug, nearly always.
#
# Why not simply train with numerical gradients, then? Count forward passes. The check above
# nudged each of the $2\cdot4 + 4 + 4\cdot3 + 3 = 27$ weights twice: 54 forward passes, where
# backpropagation needs one forward and one backward pass for all of them. A real network has
# millions of weights. Numerical gradients are for checking; backpropagation is for learning.
#
# ## 6. Bug hunt: a network with planted bugs
#
# A colleague has written a two-layer network, `PlantedNet`, from four layer classes of their
# own. It predicts correctly and reports the right loss. Here is the code:

# %%
print(inspect.getsource(planted))

# %% [markdown]
# ### Step 1: check the whole network

# %%
(W1, b1, W2, b2), x, t = planted.example()
suspect = planted.PlantedNet(W1, b1, W2, b2)
plot_gradient_check(check_network(suspect, x, t, names=("W1", "b1", "W2", "b2")),
                    title="PlantedNet: every gradient is wrong")

# %% [markdown]
# Every gradient is wrong. That proves there is a bug but says little about where: backward
# runs right to left, so one wrong layer spoils every gradient computed after it, and
# everything upstream of the loss layer depends on the loss layer.
#
# ### Step 2: check each layer on its own
#
# A layer checked alone gets its own made-up input and upstream gradient, so it cannot be
# spoiled by its neighbours. The hidden layer's inputs are sigmoid outputs, between 0 and 1:

# %%
N = len(x)
h = rng.uniform(0.05, 0.95, size=(N, 3))  # an input like the hidden layer's activations
dout = rng.standard_normal((N, 3))
first, activation, second = suspect.layers

results = {}
for name, error in check_layer(first, x, dout, names=("dW", "db")).items():
    results[f"layers[0] LoopAffine · {name}"] = error
for name, error in check_layer(activation, h, dout).items():
    results[f"layers[1] Logistic · {name}"] = error
for name, error in check_layer(second, h, dout, names=("dW", "db")).items():
    results[f"layers[2] FastAffine · {name}"] = error
for name, error in check_loss_layer(suspect.loss_layer, h, t).items():
    results[f"loss_layer ScoreLoss · {name}"] = error
plot_gradient_check(results, title="PlantedNet, layer by layer")

# %% [markdown]
# Now each bug has an address: one gradient of one layer. Reading the bars:
#
# * a layer where `dx` and `dW` agree but `db` does not: look only at the lines that build `db`;
# * a layer whose `dx` is wrong and which has no weights: compare its formula, symbol by
#   symbol, with the derivation in section 2;
# * a layer whose `dW` is wrong while its `dx` and `db` agree: compare the line that computes
#   `dW` with `x.T @ dout`, shape by shape;
# * a loss layer whose `dx` is off: compare the numbers themselves. If every element is the
#   same multiple of the right one, the multiple is a strong clue:

# %%
loss_layer = suspect.loss_layer
loss_layer.forward(h, t)
print("backward / numerical, element by element:")
print((loss_layer.backward() / numerical_backward(lambda v: loss_layer.forward(v, t), h, 1.0)).round(3))

# %% [markdown]
# Four layers, four bugs. Find each one in the code above; Exercise 4 asks you to fix them.
#
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | backpropagation | 误差反向传播法 | running every layer's backward, from the loss back to the input |
# | Sigmoid layer | Sigmoid 层 | $y = \sigma(x)$; backward $\text{dout}\cdot y(1-y)$, from the stored output |
# | Affine layer | Affine 层 | $\mathbf{x}\mathbf{W} + \mathbf{b}$; backward $\text{dout}\,\mathbf{W}^\mathsf{T}$, $\mathbf{x}^\mathsf{T}\text{dout}$, $\sum_n \text{dout}_n$ |
# | Softmax with Loss layer | Softmax with Loss 层 | softmax and cross entropy fused; backward $(\mathbf{y}-\mathbf{t})/N$ |
# | gradient check | 梯度确认 | comparing backward's gradients with numerical ones |
# | relative error | 相对误差 | $\max_i \lvert a_i - b_i\rvert / (\lvert a_i\rvert + \lvert b_i\rvert)$: how far two gradients disagree |
# | saturation | 饱和 | a sigmoid far from 0, where its slope and so its gradient almost vanish |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Each check runs your layer forward and backward on several batches and compares the
# gradients with the reference layers (which the course's tests check against numerical
# gradients). It names the wrong output, the wrong elements and the relative error, and
# recognises the usual mistakes.
#
# ### Exercise 1 · the `Sigmoid` layer
#
# `forward(x)` returns $\sigma(x)$ for any shape and keeps what backward needs;
# `backward(dout)` returns $\partial L/\partial x$, shaped like `x`. Calling backward twice must
# give the same result (backward changes nothing that forward stored).
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 2 reduced the four nodes to one local derivative that needs only the layer's
# *output*. So forward keeps its output, and backward multiplies the upstream gradient by that
# local derivative.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# Forward stores `self.out = sigmoid(x)` and returns it; backward returns
# `dout * (1.0 - self.out) * self.out`.
# </details>

# %%
class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        ### BEGIN SOLUTION
        self.out = sigmoid(x)
        return self.out
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return dout * (1.0 - self.out) * self.out
        ### END SOLUTION


check("backprop.Sigmoid", Sigmoid)

# %% [markdown]
# ### Exercise 2 · the `Affine` layer
#
# `Affine(W, b)` with `W` (D, H) and `b` (H,): `params = [W, b]` (the very arrays) and
# `grads = [np.zeros_like(W), np.zeros_like(b)]`. `forward(x)` returns `x @ W + b` for `x`
# (N, D). `backward(dout)` returns `dx` (N, D) and writes `dW` (D, H) and `db` (H,) **into**
# `grads[0]` and `grads[1]`. A second backward replaces the gradients of the first.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Read the backward off the graph of section 3: Add passes `dout` on, MatMul gives `dx` and
# `dW` (the shapes tell you the order of each product), and Repeat adds up the bias's copies.
# Forward must keep `x`.
# </details>
#
# <details><summary>Hint 2: the formulas</summary>
#
# `dx = dout @ W.T`, `dW = x.T @ dout`, `db = np.sum(dout, axis=0)`, stored with
# `self.grads[0][...] = dW` and `self.grads[1][...] = db`.
# </details>

# %%
class Affine:
    def __init__(self, W, b):
        ### BEGIN SOLUTION
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        W, b = self.params
        self.x = x
        return x @ W + b
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout  # in place: the network's grads list shares it
        self.grads[1][...] = np.sum(dout, axis=0)  # the bias was repeated N times
        return dout @ W.T
        ### END SOLUTION


check("backprop.Affine", Affine)

# %% [markdown]
# ### Exercise 3 · the `SoftmaxWithLoss` layer
#
# `forward(x, t)` takes scores `x` (N, C) and labels `t`, one-hot (N, C) or indices (N,), and
# returns the mean cross entropy loss (`softmax` and `cross_entropy_error` are imported at the
# top). `backward(dout=1)` returns $\partial L/\partial \mathbf{x}$, shape (N, C), times `dout`.
# It must work for both kinds of labels and give the same result when called twice.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 4 derived the gradient of the mean loss; forward must keep the probabilities and the
# labels. With label indices, "minus $\mathbf{t}$" means minus 1 at each row's right class, done
# on a copy of the probabilities.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $(\mathbf{y} - \mathbf{t})\cdot \text{dout} / N$. With label indices:
# `dx = self.y.copy()`, then `dx[np.arange(N), t] -= 1`, then `dx * dout / N`.
# </details>

# %%
class SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        ### BEGIN SOLUTION
        self.y = softmax(x)
        t = np.asarray(t)
        self.t = t.argmax(axis=1) if t.ndim == 2 else t  # keep label indices
        return cross_entropy_error(self.y, self.t)
        ### END SOLUTION

    def backward(self, dout=1):
        ### BEGIN SOLUTION
        N = self.y.shape[0]
        dx = self.y.copy()  # a copy: y must survive for the next backward
        dx[np.arange(N), self.t] -= 1
        return dx * dout / N
        ### END SOLUTION


check("backprop.SoftmaxWithLoss", SoftmaxWithLoss)

# %% [markdown]
# ### Exercise 4 · fix the planted bugs
#
# Each class below inherits everything from one of the colleague's layers and replaces its
# `backward` with your corrected version (copy the original from the printout in section 6,
# then fix the one bug in it). `FixedNet` is `PlantedNet` built from your four classes. The
# check tests each layer on its own, then the whole network, and says which layer still
# misbehaves. Once it passes, run
# `plot_gradient_check(check_network(FixedNet(W1, b1, W2, b2), x, t))` in a new cell, with
# the weights and batch of section 6, and watch every bar turn green.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Check each layer alone first (section 6, step 2): the bars say which gradient of which layer
# is wrong, and section 6's list says what to compare it with.
# </details>
#
# <details><summary>Hint 2: where the bugs are</summary>
#
# LoopAffine: how `db` collects each sample's share (replace or add?). Logistic: which stored
# value plays $y$ in $y(1-y)$. FastAffine: the order of the product for `dW`, against the shapes
# (H, N)(N, C). ScoreLoss: what the mean over the batch does to the gradient.
# </details>

# %%
class FixedLoopAffine(planted.LoopAffine):
    def backward(self, dout):
        ### BEGIN SOLUTION
        W, b = self.params
        dW = np.zeros_like(W)
        db = np.zeros_like(b)
        for n in range(len(dout)):
            dW += np.outer(self.x[n], dout[n])
            db += dout[n]  # every sample used the bias: its gradients add up
        self.grads[0][...] = dW
        self.grads[1][...] = db
        return dout @ W.T
        ### END SOLUTION


class FixedLogistic(planted.Logistic):
    def backward(self, dout):
        ### BEGIN SOLUTION
        return dout * (1.0 - self.out) * self.out  # y (1 - y) with y the output
        ### END SOLUTION


class FixedFastAffine(planted.FastAffine):
    def backward(self, dout):
        ### BEGIN SOLUTION
        W, _ = self.params
        self.grads[0][...] = np.dot(self.x.T, dout)  # (H, N) @ (N, C), not its transpose
        self.grads[1][...] = np.sum(dout, axis=0)
        return np.dot(dout, W.T)
        ### END SOLUTION


class FixedScoreLoss(planted.ScoreLoss):
    def backward(self, dout=1):
        ### BEGIN SOLUTION
        dx = self.y.copy()
        dx[np.arange(len(self.t)), self.t] -= 1
        return dx * dout / len(self.t)  # the loss is a mean over the batch
        ### END SOLUTION


class FixedNet(planted.PlantedNet):
    layer_classes = (FixedLoopAffine, FixedLogistic, FixedFastAffine, FixedScoreLoss)


check("backprop.planted_bugs", FixedNet)

# %% [markdown]
# ### Exercise 5 · a loss layer by hand: `MeanSquaredLoss`
#
# For regression the loss is often the **mean squared error** (均方误差). For a batch of
# outputs $\mathbf{x}$ $(N, C)$ and targets $\mathbf{t}$ of the same shape,
#
# $$L = \frac{1}{N}\sum_{n=1}^{N} \frac{1}{2}\,\lVert \mathbf{x}_n - \mathbf{t}_n \rVert^2
# = \frac{1}{N}\sum_{n}\sum_{c} \frac{1}{2}\,(x_{nc} - t_{nc})^2$$
#
# Derive $\partial L/\partial \mathbf{x}$ (the chapter has not), then write the layer:
# `params` and `grads` empty lists, `forward(x, t)` returning $L$ (one number) and keeping what
# backward needs, `backward(dout=1)` returning $\partial L/\partial \mathbf{x}$ times `dout`,
# shape (N, C). The check holds it to the exact formula, closer than a numerical gradient gets.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Each $x_{nc}$ appears in one term of the double sum only. Differentiate that term, then
# remember the $\frac{1}{N}$ in front.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{\partial L}{\partial x_{nc}} = \dfrac{x_{nc} - t_{nc}}{N}$ (the ½ cancels the 2 of
# the square), so backward returns `(x - t) * dout / N`.
# </details>

# %%
class MeanSquaredLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.t = None

    def forward(self, x, t):
        ### BEGIN SOLUTION
        self.x, self.t = x, t
        return 0.5 * np.sum((x - t) ** 2) / len(x)
        ### END SOLUTION

    def backward(self, dout=1):
        ### BEGIN SOLUTION
        return (self.x - self.t) * dout / len(self.x)
        ### END SOLUTION


check("backprop.MeanSquaredLoss", MeanSquaredLoss)

# %% [markdown]
# ## What's next
#
# Every gradient of the network is now computed in one backward pass, and checked. Chapter 7
# uses them: step every weight a little against its gradient, repeat on mini-batch after
# mini-batch, and watch the loss fall and the network learn to separate a spiral of three
# classes.
