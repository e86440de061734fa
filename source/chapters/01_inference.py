# %% [markdown]
# # Chapter 1 · Inference: what a neural network computes
#
# A neural network does two jobs. **Learning** (学习) tunes its weights on examples whose answers
# are known; **inference** (推理) uses the tuned weights to answer new questions. Learning is
# the hard part and fills the rest of the course, but it only makes sense once you know what
# the network computes. So this chapter is about inference alone: we take the weights as given
# and follow an input all the way to a prediction.
#
# By the end you will be able to
#
# * see a network as a function and write one of its layers as a single matrix product,
# * push a whole **mini-batch** of inputs through it at once,
# * explain why a non-linear **activation function** is needed, and code the sigmoid,
# * read the class a network predicts from its **scores**,
# * organise the computation into **layers as classes**, the design every later chapter uses.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end; each
# checks itself the moment you run it.

# %%
import numpy as np

import nnscratch  # the course's package: nnscratch.sigmoid is its reference sigmoid
from nnscratch.figures import draw_network, plot_function
from nnscratch.grader import check
from nnscratch.widgets.inference import network_playground

# %% [markdown]
# ## 1. A network is a function
#
# A function turns an input into an output. A neural network (神经网络) does the same, only
# with many adjustable numbers inside. Take a network that reads a point of the plane,
# $(x_1, x_2)$, and answers with three numbers $(s_1, s_2, s_3)$, one per class it can choose
# from. Between the **input layer** (输入层, 2 neurons) and the **output layer** (输出层,
# 3 neurons) we place a **hidden layer** (隐藏层) of, say, 4 neurons:

# %%
draw_network((2, 4, 3), highlight=0, title="A 2-4-3 network")

# %% [markdown]
# Each circle is a **neuron** (神经元) holding one number; each arrow is a connection with a
# **weight** (权重) of its own. Every neuron of one layer is connected to every neuron of the
# next, so this is a **fully-connected** network (全连接网络). The number arriving at a neuron
# is the weighted sum of the neurons it listens to, plus a constant of its own, the **bias**
# (偏置), which does not depend on the previous layer.
#
# For the first hidden neuron, with $w_{11}$ the weight from $x_1$ to $h_1$ and $w_{21}$ the
# weight from $x_2$ to $h_1$:
#
# $$h_1 = x_1 w_{11} + x_2 w_{21} + b_1$$
#
# The first index says where the arrow starts, the second where it ends: the figure labels
# $w_{11}$ and $w_{21}$, the two arrows arriving at $h_1$, and $b_1$, the bias of $h_1$.
#
# **Counting, once for the whole course.** Formulas count from 1, as the book does: $x_1$,
# $w_{11}$, $h_1$, classes $k = 1, \dots, C$. Code counts from 0, as Python and NumPy do: $x_1$
# is `x[0]`, $w_{11}$ is `W[0, 0]`, $w_{21}$ is `W[1, 0]`. Whatever code produces or prints,
# labels and the class `np.argmax` returns, is counted from 0 too: the three classes are class
# 0, class 1 and class 2. So the $k$-th class of a formula is class $k - 1$ in code.

# %% [markdown]
# ## 2. A whole layer is one matrix product
#
# Write the four hidden neurons' sums side by side and a pattern appears:
#
# $$
# (h_1, h_2, h_3, h_4) = (x_1, x_2)
# \begin{pmatrix} w_{11} & w_{12} & w_{13} & w_{14} \\ w_{21} & w_{22} & w_{23} & w_{24} \end{pmatrix}
# + (b_1, b_2, b_3, b_4)
# $$
#
# Column $j$ of the weight matrix holds the weights arriving at $h_j$ (the framed column in the
# figure above feeds $h_1$). Naming the pieces,
#
# $$\mathbf{h} = \mathbf{x}\,\mathbf{W} + \mathbf{b}$$
#
# with shapes $\mathbf{x}$: $1\times 2$, $\mathbf{W}$: $2\times 4$, $\mathbf{b}$: $1\times 4$ and
# $\mathbf{h}$: $1\times 4$. The rule to remember: in a matrix product the inner sizes must
# agree, $(1\times \underline{2})\,(\underline{2}\times 4) \to 1\times 4$. A fully-connected
# layer computes exactly this map, which mathematicians call an **affine map** (仿射变换): a
# linear map followed by a shift. In NumPy, `@` is the matrix product (`np.dot` does the same):

# %%
rng = np.random.default_rng(seed=0)  # our own random generator: repeatable, touches nothing global

x = np.array([0.5, -1.2])  # one input point, shape (2,)
W = rng.standard_normal((2, 4))  # (2, 4): one column per hidden neuron
b = rng.standard_normal(4)  # (4,)
h = x @ W + b
print("h =", h.round(3), " shape", h.shape)
print("h1 by hand:", round(x[0] * W[0, 0] + x[1] * W[1, 0] + b[0], 3))

# %% [markdown]
# ## 3. Mini-batches: many inputs at once
#
# We rarely ask about a single point. Stack $N$ inputs as the **rows** of a matrix
# $\mathbf{X}$ of shape $N\times 2$, one sample per row and one feature per column. The same
# formula now handles the whole **mini-batch** (the Chinese edition keeps the English word,
# mini-batch; other texts say 小批量):
#
# $$\underbrace{\mathbf{H}}_{N\times 4} = \underbrace{\mathbf{X}}_{N\times 2}\;
# \underbrace{\mathbf{W}}_{2\times 4} + \underbrace{\mathbf{b}}_{1\times 4}$$
#
# The bias has one row but $\mathbf{X}\mathbf{W}$ has $N$: NumPy **broadcasting** adds
# $\mathbf{b}$ to every row, as if it had been copied $N$ times. (That copying will matter
# again when we compute gradients.)
#
# **Predict, then run.** The next cell stacks 10 points into `X` and computes
# `H = X @ W + b` with the `W` (2, 4) and `b` (4,) above. What shape will `H` have? Write it as
# a tuple, e.g. `answer = (3, 5)`, then run the check.

# %%
### BEGIN SOLUTION
answer = (10, 4)
### END SOLUTION
check("inference.predict_batch_shape", answer)

# %%
X = rng.standard_normal((10, 2))  # a mini-batch of 10 points
H = X @ W + b
print("X", X.shape, "@ W", W.shape, "+ b", b.shape, "-> H", H.shape)
print("row 0 of H equals the single-sample result:", np.allclose(H[0], X[0] @ W + b))

# %% [markdown]
# ## 4. Why we need a non-linearity
#
# Stacking two affine layers buys nothing on its own: $(\mathbf{x}\mathbf{W}_1 +
# \mathbf{b}_1)\mathbf{W}_2 + \mathbf{b}_2 = \mathbf{x}(\mathbf{W}_1\mathbf{W}_2) +
# (\mathbf{b}_1\mathbf{W}_2 + \mathbf{b}_2)$ is again one affine map, so a hundred such layers
# could still only draw straight boundaries. Let NumPy confirm it:

# %%
W1, b1 = rng.standard_normal((2, 4)), rng.standard_normal(4)
W2, b2 = rng.standard_normal((4, 3)), rng.standard_normal(3)
two_layers = (X @ W1 + b1) @ W2 + b2
one_layer = X @ (W1 @ W2) + (b1 @ W2 + b2)
print("two linear layers == one:", np.allclose(two_layers, one_layer))

# %% [markdown]
# The remedy is to pass every hidden value through a non-linear **activation function**
# (激活函数) before the next layer. Our choice is the **sigmoid** (sigmoid 函数):
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
#
# It accepts any real number and squashes it into the open interval $(0, 1)$: very negative
# inputs give values near 0, very positive ones values near 1, and $\sigma(0) = 0.5$.

# %%
plot_function(nnscratch.sigmoid, (-8, 8), label=r"$\sigma(x) = 1 / (1 + e^{-x})$", hlines=(0, 1),
              title="The sigmoid squashes every real number into (0, 1)")

# %% [markdown]
# ### Spot the bug
#
# Here is a sigmoid as it is often typed in a hurry (the study notes this course grew from
# contain the same slip). Before running the cell, predict what it prints for $x = 0$.

# %%
def hasty_sigmoid(x):
    return 1 / 1 + np.exp(-x)

# %% [markdown]
# **Predict, then run.** What will `hasty_sigmoid(0.0)` return? A number, e.g. `answer = 0.7`.

# %%
### BEGIN SOLUTION
answer = 2.0
### END SOLUTION
check("inference.predict_hasty_sigmoid", answer)

# %%
print("hasty_sigmoid(0) =", hasty_sigmoid(0.0), "  but sigmoid(0) =", nnscratch.sigmoid(0.0))

# %% [markdown]
# Division binds tighter than addition, so Python reads `1 / 1 + np.exp(-x)` as
# $(1/1) + e^{-x}$, which is not even bounded. The denominator needs parentheses:
# `1 / (1 + np.exp(-x))`. Keep that form: for $x = -1000$, `np.exp(1000)` overflows to `inf`
# (NumPy warns), and `1 / (1 + inf)` is exactly 0, the right limit, whereas the
# equivalent-looking `np.exp(x) / (1 + np.exp(x))` would compute `inf / inf` = `nan` at
# $x = 1000$.

# %% [markdown]
# ## 5. The whole forward pass in NumPy
#
# Input, fully-connected layer, sigmoid, fully-connected layer: that is a complete network.
# Running data through it from input to output is **forward propagation** (正向传播). Its
# mirror image comes with learning: **backward propagation** (反向传播) runs the other way, from
# the output back to the input, and what it carries are gradients, the numbers that say how to
# change each weight. Inference needs only the forward direction; Chapters 4 to 6 build the
# backward one.

# %%
X = rng.standard_normal((10, 2))  # 10 samples, 2 features each
W1, b1 = rng.standard_normal((2, 4)), rng.standard_normal(4)
W2, b2 = rng.standard_normal((4, 3)), rng.standard_normal(3)

H = X @ W1 + b1  # (10, 4) hidden layer, before activation
A = nnscratch.sigmoid(H)  # (10, 4) activations, each in (0, 1)
S = A @ W2 + b2  # (10, 3) one score per class
print(S.round(2))

# %% [markdown]
# ## 6. From scores to a prediction
#
# Each row of `S` holds three **scores** (得分), one per class. The network's answer is the
# class with the largest score, found with `np.argmax` along each row (`axis=1`: across the
# columns of one sample):

# %%
predicted = np.argmax(S, axis=1)
print("predicted classes:", predicted, predicted.shape)

# %% [markdown]
# Scores are not probabilities: they can be negative and need not sum to 1. For two classes,
# one score through a sigmoid would do: $\sigma(s)$ is in $(0, 1)$, a probability for one class
# and $1 - \sigma(s)$ for the other. For several classes, as here, the **softmax** function
# (Softmax 函数) turns all the scores into probabilities at once. We need those to measure how
# wrong a network is, so softmax arrives with the loss in Chapter 2. For choosing a class, the
# largest score already gives the same answer as the largest probability.
#
# ### Play with a network
#
# Below is a tiny 2-2-3 network. The sliders set its first layer ($\mathbf{W}_1$, $2\times 2$,
# and $\mathbf{b}_1$); the second layer is fixed. The right panel shades every point of the
# plane by the class the network predicts there. On top sit 30 target points, each drawn in
# the colour and shape of its own class. **Your goal: make every point fall in its class
# region.** A ring marks a point that is not there yet, and the title counts those that are.
# On the diagram, a solid arrow is a positive weight and a dashed one a negative weight
# (thicker: larger); colours always mean classes. Watch how each weight tilts or moves a
# boundary, and how the sigmoid lets the boundaries bend.

# %%
network_playground()

# %% [markdown]
# ## 7. Layers as classes
#
# Writing out `X @ W1 + b1` by hand stops scaling after two layers. Instead, each layer
# becomes a small class with one method and one attribute:
#
# * `forward(x)`: the layer's computation on a mini-batch,
# * `params`: a list of the layer's weight arrays (an empty list `[]` for a layer without
#   weights, like Sigmoid, so that code looping over layers needs no special cases).
#
# The fully-connected layer is called `Affine`; it is built from the very arrays it is given,
# `Affine(W, b)`, and its `params` is the list `[W, b]` of those same objects. That sharing
# matters: when learning later updates the weights **in place**, every list that refers to
# them sees the new values.
#
# A network is then a list of layers. `TwoLayerNet(input_size, hidden_size, output_size)`
# holds `[Affine, Sigmoid, Affine]` and gathers all weights into one list, layer by layer,
# with list `+=`, which appends the *elements* of one list to another (not the list itself):
# the layers' `[W1, b1]`, `[]` and `[W2, b2]` become one list `[W1, b1, W2, b2]`.
#
# `predict(x)` runs `x` through the layers in order. You will write all three classes in the
# exercises; here is the package's version at work:

# %%
net = nnscratch.TwoLayerNet(2, 4, 3, weight_std=1.0, rng=2)  # random weights, so arbitrary (but valid) answers
print([type(layer).__name__ for layer in net.layers])
print([p.shape for p in net.params])
print("shared, not copied:", net.params[0] is net.layers[0].params[0])
scores = net.predict(X)
print("scores", scores.shape, "-> classes", np.argmax(scores, axis=1))

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | inference | 推理 | computing outputs from inputs with fixed weights |
# | learning | 学习 | tuning the weights from labelled data |
# | neural network | 神经网络 | a function built from layers of simple units |
# | neuron | 神经元 | one number in a layer |
# | weight | 权重 | the multiplier on a connection between two neurons |
# | bias | 偏置 | a neuron's own constant, independent of the previous layer |
# | input / hidden / output layer | 输入层 / 隐藏层 / 输出层 | the layers of a network, from first to last |
# | fully-connected layer | 全连接层 | every input connected to every output: $\mathbf{x}\mathbf{W}+\mathbf{b}$ |
# | affine map | 仿射变换 | a linear map plus a shift |
# | mini-batch | mini-batch (小批量) | several samples processed together, one per row |
# | activation function | 激活函数 | a non-linear function applied element by element |
# | sigmoid function | sigmoid 函数 | $\sigma(x) = 1 / (1 + e^{-x})$, values in $(0, 1)$ |
# | score | 得分 | a network's raw output for one class |
# | forward propagation | 正向传播 | running the layers from input to output |
# | backward propagation | 反向传播 | running gradients from output to input (Chapter 4 on) |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Each exercise cell defines something and then checks it. Replace
# `raise NotImplementedError` with your code and run the cell; the feedback says which test
# failed, on what input, and often why. Re-run as often as you like.
#
# ### Exercise 1 · `sigmoid(x)`
#
# Return the sigmoid of section 4 elementwise, for a NumPy array of any shape (or a single
# number), as an array of the same shape. It must give ≈0 at $x = -1000$ and ≈1 at
# $x = 1000$, and leave `x` unchanged.
#
# <details><summary>Hint 1: a nudge</summary>
#
# NumPy's `np.exp` works on a whole array at once (`math.exp` takes one number). Mind the
# order of operations: the "Spot the bug" cell shows what a missing pair of parentheses does.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\sigma(x) = 1/(1 + e^{-x})$: one over (one plus `np.exp(-x)`).
# </details>

# %%
def sigmoid(x):
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-x))
    ### END SOLUTION


check("inference.sigmoid", sigmoid)

# %% [markdown]
# ### Exercise 2 · `affine(x, W, b)`
#
# Return the output of a fully-connected layer for a mini-batch `x` of shape (N, D) (result
# (N, H)) or a single sample of shape (D,) (result (H,)), with `W` (D, H) and `b` (H,).
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 2 writes one layer as one matrix product plus a shift; section 3 shows that the same
# expression serves a whole mini-batch, thanks to broadcasting.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\mathbf{x}\mathbf{W} + \mathbf{b}$, with `@` for the matrix product.
# </details>

# %%
def affine(x, W, b):
    ### BEGIN SOLUTION
    return x @ W + b
    ### END SOLUTION


check("inference.affine", affine)

# %% [markdown]
# ### Exercise 3 · `classify(scores)`
#
# Given scores of shape (N, C), return the predicted class of each sample: an integer array of
# shape (N,).
#
# <details><summary>Hint 1: a nudge</summary>
#
# The predicted class is the position of the largest score in each *row* (one row per sample).
# </details>
#
# <details><summary>Hint 2: the function</summary>
#
# `np.argmax` with `axis=1`, as in section 6.
# </details>

# %%
def classify(scores):
    ### BEGIN SOLUTION
    return np.argmax(scores, axis=1)
    ### END SOLUTION


check("inference.classify", classify)

# %% [markdown]
# ### Exercise 4 · the `Sigmoid` layer
#
# A class with `params` (a layer without weights still has the attribute) and `forward(x)`
# returning the sigmoid of `x`, same shape.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 7: a layer without weights carries an *empty* list, so that code looping over layers
# needs no special cases.
# </details>
#
# <details><summary>Hint 2: the pieces</summary>
#
# In `__init__`, set `self.params` to an empty list; `forward` can call your `sigmoid` from
# Exercise 1.
# </details>

# %%
class Sigmoid:
    def __init__(self):
        ### BEGIN SOLUTION
        self.params = []
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return sigmoid(x)
        ### END SOLUTION


check("inference.Sigmoid", Sigmoid)

# %% [markdown]
# ### Exercise 5 · the `Affine` layer
#
# `Affine(W, b)` keeps the very arrays it was given (no copies) in its `params` list, weights
# first, and `forward(x)` returns the layer's output for `x` (N, D), shape (N, H), computed from
# the weights *currently* in `params`. The check changes `W` and `b` in place after building the
# layer, as an optimizer will, and expects `forward` to see the change.
#
# <details><summary>Hint 1: a nudge</summary>
#
# If `forward` used arrays saved elsewhere (or copies), a change made through `params` would
# not reach it. Read the weights out of `self.params` each time.
# </details>
#
# <details><summary>Hint 2: the pieces</summary>
#
# `__init__` stores the list `[W, b]` itself; `forward` unpacks the two arrays from
# `self.params` and returns $\mathbf{x}\mathbf{W} + \mathbf{b}$.
# </details>

# %%
class Affine:
    def __init__(self, W, b):
        ### BEGIN SOLUTION
        self.params = [W, b]
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        W, b = self.params
        return x @ W + b
        ### END SOLUTION


check("inference.Affine", Affine)

# %% [markdown]
# ### Exercise 6 · `TwoLayerNet`
#
# `TwoLayerNet(input_size, hidden_size, output_size)` creates random weights
# `W1` (I, H), `b1` (H,), `W2` (H, O), `b2` (O,) from a local generator,
# `np.random.default_rng()`; keeps `self.layers`, the list of its three layers (your classes
# above: Affine, Sigmoid, Affine); and `self.params`, the list `[W1, b1, W2, b2]` of the layers'
# own arrays (gathered from the layers, not copied). `predict(x)` returns the scores, shape
# (N, O). The check overwrites the weights through `net.params` and compares `predict` with the
# expected scores.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 7: each layer already holds its weights in its own `params`. Start from an empty list
# and add each layer's list to it, in order; `predict` is a loop over the layers too.
# </details>
#
# <details><summary>Hint 2: the code's shape</summary>
#
# `self.params = []`, then `for layer in self.layers:` with `self.params += layer.params`
# (`+=` appends the elements). In `predict`, `x = layer.forward(x)` for each layer, then return
# `x`.
# </details>

# %%
class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size):
        ### BEGIN SOLUTION
        I, H, O = input_size, hidden_size, output_size
        rng = np.random.default_rng()
        W1, b1 = rng.standard_normal((I, H)), rng.standard_normal(H)
        W2, b2 = rng.standard_normal((H, O)), rng.standard_normal(O)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.params = []
        for layer in self.layers:
            self.params += layer.params
        ### END SOLUTION

    def predict(self, x):
        ### BEGIN SOLUTION
        for layer in self.layers:
            x = layer.forward(x)
        return x
        ### END SOLUTION


check("inference.TwoLayerNet", TwoLayerNet)

# %% [markdown]
# ## What's next
#
# The network can now compute scores, but its weights are random, so its answers are too.
# To improve them we first need a number that says *how wrong* the network is: the **loss**,
# the subject of Chapter 2.
