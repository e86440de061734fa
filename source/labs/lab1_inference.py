# %% [markdown]
# # Lab 1 · Inference end to end
#
# A colleague has set up a small network that sorts points of the plane into three classes,
# and hands you its weights. Your job is to run it on 2,100 points it has never seen: check
# that the weights fit together, compute its scores, process the points in batches, measure
# how often it is right, and find out which classes it mixes up. Nothing here is learned:
# like Chapter 1, this lab is pure **inference** (推理), with every weight given.
#
# ### Learning goals
#
# After this lab you can
#
# * read a network's layer sizes off its weight matrices and catch weights that do not fit,
# * write the forward pass of a two-layer network for one point and for a batch,
# * run a data set of any size through a network in batches of bounded size,
# * measure a classifier's **accuracy** and read its **confusion matrix**,
# * explain what each hidden neuron of a small network responds to.
#
# ### Points
#
# | # | Exercise | Check id | Points |
# |---|---|---|---|
# | 1 | Sizes from the weights | `lab1.network_sizes` | 1 |
# | 2 | The forward pass | `lab1.forward` | 2 |
# | 3 | Prediction in batches | `lab1.predict_in_batches` | 3 |
# | 4 | Accuracy | `lab1.accuracy` | 2 |
# | 5 | Confusion matrix | `lab1.confusion_matrix` | 2 |
# | 6 | How the scores move the loss | `lab1.logsumexp_grad` | 2 |
# | | **Total** | | **12** |
#
# Each exercise cell ends with a `check(...)` that tests your code on several inputs, some
# shown and some hidden; you earn the exercise's points in proportion to the tests passed.
# The last cell of the lab adds up your score so far. The questions marked **Q** ask you to
# explain something in words: they are not checked automatically, but your instructor may
# read them.
#
# Run the cells from top to bottom (Shift + Enter).

# %%
import numpy as np

from nnscratch import TwoLayerNet, evaluation
from nnscratch.data import blobs
from nnscratch.figures import draw_network, plot_regions
from nnscratch.figures.labs import draw_hidden_lines, plot_confusion
from nnscratch.grader import check
from nnscratch.labs import score
from nnscratch.widgets.labs import network_probe

# %% [markdown]
# ## 1. The network you are given
#
# The weights arrive as a dictionary of arrays, the way trained weights are often saved.
# They were set by hand, so that you can read them; in Lab 3 you will let a network learn
# its own.

# %%
params = {
    "W1": np.array([[0.0, -3.5, 3.5],
                    [4.0, -2.0, -2.0]]),
    "b1": np.array([-2.0, -2.0, -2.0]),
    "W2": np.array([[2.0, -1.0, -1.0],
                    [-1.0, 2.0, -1.0],
                    [-1.0, -1.0, 2.0]]),
    "b2": np.array([0.0, 0.0, 0.0]),
}
for name, value in params.items():
    print(f"{name}: shape {value.shape}")

# %% [markdown]
# Written out, the network computes, for one point $\mathbf{x}$ (a row of two numbers, `x[0]`
# and `x[1]`),
#
# $$\mathbf{h} = \sigma(\mathbf{x}\mathbf{W}_1 + \mathbf{b}_1), \qquad
# \mathbf{s} = \mathbf{h}\mathbf{W}_2 + \mathbf{b}_2,$$
#
# with $\sigma$ the sigmoid, applied element by element. The arrows of its diagram are
# coloured by weight (blue positive, red negative, thicker when larger):

# %%
names = [["x[0]", "x[1]"], ["h[0]", "h[1]", "h[2]"], ["s[0]", "s[1]", "s[2]"]]
draw_network((2, 3, 3), [params["W1"], params["W2"]], names=names, title="the given 2-3-3 network")

# %% [markdown]
# ### What does each hidden neuron do?
#
# Hidden neuron `h[k]` receives `z[k] = x[0] * W1[0, k] + x[1] * W1[1, k] + b1[k]`, built from
# column `k` of $\mathbf{W}_1$. Its activation $\sigma(z)$ is above $\tfrac12$ exactly where
# $z > 0$, and the border $z = 0$ is a straight line in the plane. So each hidden neuron is a
# soft detector for one side of a line, and its column `W1[:, k]` points to the side
# where it switches on.
#
# Here column 0 is $(0, 4)$ with bias $-2$: neuron `h[0]` switches on above the line
# `4 * x[1] - 2 = 0`, that is for `x[1] > 0.5`: "north" (in the plots, the horizontal axis
# $x_1$ is `x[0]` and the vertical axis $x_2$ is `x[1]`). Columns 1 and 2 are the same detector
# turned by 120° and 240° (south-west and south-east). The output layer then scores class
# `k` as `s[k] = 2 * h[k]` minus the other two activations, so **the class whose detector fires
# most wins**.
# The dashed lines below are the three borders `z[k] = 0`, each arrow pointing to its
# neuron's "on" side; the colours are the class the network predicts at each point.

# %%
net = TwoLayerNet(2, 3, 3)
for p, name in zip(net.params, ("W1", "b1", "W2", "b2")):
    p[...] = params[name]  # in place: the network's layers hold these very arrays

fig = plot_regions(net.predict, (-3.5, 3.5), (-3.5, 3.5), title="classes predicted by the given network")
draw_hidden_lines(fig.axes[0], params["W1"], params["b1"], (-3.5, 3.5), (-3.5, 3.5))
fig

# %% [markdown]
# The class regions are wedges, but their borders are not the dashed lines: a border between
# two classes is where two detectors fire equally, `h[j] == h[k]`, which here is a ray from the
# origin halfway between two of the arrows.
#
# ### Exercise 1 · sizes from the weights (1 point)
#
# Before running weights that came from someone else, check that they fit together. Write
# `network_sizes(params)` that returns the tuple `(I, H, O)`: input size, hidden size and
# output size, read from the shapes. When the four arrays do not fit together,
# `raise ValueError("...")` with a message saying what does not fit.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Every size appears in more than one shape. Read each size from one array, then check that
# every other array agrees with it.
# </details>
#
# <details><summary>Hint 2: the rules</summary>
#
# With $\mathbf{W}_1$ of shape $(I, H)$ and $\mathbf{W}_2$ of shape $(H, O)$, the weights fit
# when $\mathbf{b}_1$ has shape $(H,)$, $\mathbf{W}_2$ has $H$ rows, and $\mathbf{b}_2$ has
# shape $(O,)$.
# </details>

# %%
def network_sizes(params):
    ### BEGIN SOLUTION
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    I, H = W1.shape
    H2, O = W2.shape
    if b1.shape != (H,):
        raise ValueError(f"b1 has shape {b1.shape}, but W1 {W1.shape} makes {H} hidden neurons")
    if H2 != H:
        raise ValueError(f"W2 has {H2} rows, but there are {H} hidden neurons")
    if b2.shape != (O,):
        raise ValueError(f"b2 has shape {b2.shape}, but W2 {W2.shape} makes {O} outputs")
    return I, H, O
    ### END SOLUTION


check("lab1.network_sizes", network_sizes)

# %% [markdown]
# ## 2. The forward pass
#
# Chapter 1 pushed a mini-batch through a network stored in layer objects. Here the weights
# are in a dictionary; the arithmetic is the same. For a batch $\mathbf{X}$ of shape
# $(N, I)$, one point per row,
#
# $$\underbrace{\mathbf{H}}_{N\times H} = \sigma\big(\underbrace{\mathbf{X}}_{N\times I}
# \underbrace{\mathbf{W}_1}_{I\times H} + \mathbf{b}_1\big), \qquad
# \underbrace{\mathbf{S}}_{N\times O} = \mathbf{H}\,\underbrace{\mathbf{W}_2}_{H\times O}
# + \mathbf{b}_2 .$$
#
# A single point of shape $(I,)$ goes through the very same code and comes out with shape
# $(O,)$.
#
# ### Exercise 2 · `forward(x, params)` (2 points)
#
# Return the scores for `x` of shape (N, I) (result (N, O)) or (I,) (result (O,)), from the
# arrays in `params`, without changing them.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two layers, as in the formula above: the hidden layer is an affine map followed by the
# sigmoid, the output layer an affine map alone. The same expressions serve one point and a
# batch.
# </details>
#
# <details><summary>Hint 2: the pieces</summary>
#
# The sigmoid is `1 / (1 + np.exp(-z))` (or copy yours from Chapter 1). The hidden layer is the
# sigmoid of `x @ params["W1"] + params["b1"]`; the scores are the hidden layer `@` `W2`, plus
# `b2`.
# </details>

# %%
def forward(x, params):
    ### BEGIN SOLUTION
    h = 1 / (1 + np.exp(-(x @ params["W1"] + params["b1"])))
    return h @ params["W2"] + params["b2"]
    ### END SOLUTION


check("lab1.forward", forward)

# %% [markdown]
# From here on the lab uses `net`, the package's `TwoLayerNet` holding the given weights, so
# the cells below run whatever the state of your exercises. Move the point with the sliders
# and watch the three detectors: which one fires, how strongly, and how the scores follow.

# %%
network_probe(params)

# %% [markdown]
# **Q1.** Put the point at (0, 3), near the top of the slider's range. Then compute the scores
# of a point ten times further north, `net.predict(np.array([[0.0, 30.0]]))`, in a new cell. Do
# the scores change much? Which part of the network limits them, and why is that harmless for
# choosing a class?
#
# *Your answer:*
#
# ### BEGIN SOLUTION
# **Model answer.** At (0, 3) the scores are about (2.0, −1.0, −1.0), and at (0, 30) they are
# (2, −1, −1): almost no change. The hidden layer's sigmoid limits them: far to the north,
# `h[0]` is saturated at 1 and `h[1]`, `h[2]` at 0, so each score stays between −2 and 2
# however far the point moves. That is harmless for choosing a class, because the class is the
# largest score: saturation stops the margin from growing, but it keeps the order, and the north
# detector still wins.
# ### END SOLUTION

# %% [markdown]
# ## 3. New data
#
# Here are the points to classify: three round clouds (blobs), one per class, drawn from our
# own random generator. Class 2's cloud is wider than the others. They come with their true
# classes as one-hot rows `t_new`; `t_new.argmax(axis=1)` turns those into class numbers.

# %%
x_new, t_new = blobs(n_per_class=700, spread=(0.6, 0.6, 0.9), rng=2025)
labels = t_new.argmax(axis=1)
print("x_new", x_new.shape, " t_new", t_new.shape, " points per class", np.bincount(labels))

fig = plot_regions(net.predict, (-3.5, 3.5), (-3.5, 3.5), points=x_new[::7], labels=labels[::7],
                   title="every 7th point, coloured by its true class")
draw_hidden_lines(fig.axes[0], params["W1"], params["b1"], (-3.5, 3.5), (-3.5, 3.5), label=False)
fig

# %% [markdown]
# ## 4. Batches of bounded size
#
# `net.predict(x_new)` would handle all 2,100 points at once. That is fine here, but not in
# general: a batch of $N$ points makes a hidden layer of $N \times H$ numbers, 8 bytes each in
# float64. A network with $H = 4096$ hidden neurons run on a million points at once would need
#
# $$10^6 \times 4096 \times 8 \text{ bytes} \approx 33 \text{ GB}$$
#
# for one layer, while a **batch** (批) of $B = 256$ points needs $256 \times 4096 \times 8
# \text{ bytes} \approx 8 \text{ MB}$. So we cut the data into consecutive batches of at most
# $B$ rows, predict each, and join the answers. The **batch size** (批大小) changes nothing
# in the result: each row is computed on its own.
#
# ### Exercise 3 · `predict_in_batches(predict, x, batch_size)` (3 points)
#
# `predict` is any function that maps a batch of shape (B, I) to scores (B, C), like
# `net.predict`. Call it on consecutive batches of rows of `x`, in order, never on more than
# `batch_size` rows (the last batch may be shorter), and return the predicted class of every
# point: an integer array of shape (N,). The check counts the rows of every call to `predict`.
#
# <details><summary>Hint 1: a nudge</summary>
#
# `range` can step: the batches start at 0, `batch_size`, `2 * batch_size`, ... A slice past
# the end of an array simply stops at the end.
# </details>
#
# <details><summary>Hint 2: the recipe</summary>
#
# For each `start` in `range(0, len(x), batch_size)`, call `predict(x[start:start +
# batch_size])` and keep the argmax of each row; `np.concatenate` joins the kept arrays.
# </details>

# %%
def predict_in_batches(predict, x, batch_size):
    ### BEGIN SOLUTION
    classes = []
    for start in range(0, len(x), batch_size):
        scores = predict(x[start:start + batch_size])
        classes.append(np.argmax(scores, axis=1))
    return np.concatenate(classes)
    ### END SOLUTION


check("lab1.predict_in_batches", predict_in_batches)

# %% [markdown]
# The package's `evaluation.predict_in_batches` does the same; batching indeed changes nothing:

# %%
predicted = evaluation.predict_in_batches(net.predict, x_new, batch_size=256)
print("predicted", predicted.shape, predicted.dtype, predicted[:12])
print("same as all at once:", np.array_equal(predicted, np.argmax(net.predict(x_new), axis=1)))

# %% [markdown]
# ## 5. Accuracy
#
# The **accuracy** (识别精度) of a classifier on $N$ labelled points is the fraction it gets
# right. With $\hat y_n = \arg\max_k s_{nk}$ the predicted class of point $n$ and $t_n$ its
# true class,
#
# $$\text{accuracy} = \frac{1}{N} \sum_{n=1}^{N} [\hat y_n = t_n],$$
#
# where $[\cdot]$ is 1 when the statement inside holds and 0 otherwise. In NumPy a comparison
# gives an array of booleans, and the mean of booleans is the fraction of `True`.
#
# ### Exercise 4 · `accuracy(scores, t)` (2 points)
#
# `scores` has shape (N, C); `t` holds the true classes, either as integer labels of shape
# (N,) or as one-hot rows of shape (N, C) (`t.ndim` tells them apart). Return the accuracy as
# a number between 0 and 1.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Turn both sides into class numbers first; then compare them, all points at once.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# With `t` as labels (`np.argmax(t, axis=1)` for one-hot rows), the accuracy is the mean of
# `np.argmax(scores, axis=1) == t`.
# </details>

# %%
def accuracy(scores, t):
    ### BEGIN SOLUTION
    if t.ndim == 2:
        t = np.argmax(t, axis=1)
    return np.mean(np.argmax(scores, axis=1) == t)
    ### END SOLUTION


check("lab1.accuracy", accuracy)

# %%
print(f"accuracy on the 2,100 new points: {evaluation.accuracy(net.predict(x_new), t_new):.3f}")
print(f"the same from the batched predictions: {np.mean(predicted == labels):.3f}")

# %% [markdown]
# ## 6. Which classes get mixed up?
#
# One number hides where the mistakes are. A **confusion matrix** (混淆矩阵) counts them by
# kind: entry $M_{ij}$ is the number of points of true class $i$ that were predicted as
# class $j$,
#
# $$M_{ij} = \#\{\, n : t_n = i,\ \hat y_n = j \,\}.$$
#
# The diagonal holds the right answers; each row adds up to the size of a class, and the
# accuracy is the diagonal's sum divided by the sum of all entries.
#
# ### Exercise 5 · `confusion_matrix(labels, predicted, n_classes)` (2 points)
#
# `labels` and `predicted` are integer arrays of shape (N,). Return an integer array of shape
# (n_classes, n_classes), rows for the true class and columns for the predicted one. It must
# have that shape even when some class never occurs.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Start from a matrix of zeros of the full size, then let every point add one to the entry it
# belongs to.
# </details>
#
# <details><summary>Hint 2: the loop</summary>
#
# `counts = np.zeros((n_classes, n_classes), dtype=int)`, then for each pair `(i, j)` in
# `zip(labels, predicted)`, add 1 to `counts[i, j]`.
# </details>

# %%
def confusion_matrix(labels, predicted, n_classes):
    ### BEGIN SOLUTION
    counts = np.zeros((n_classes, n_classes), dtype=int)
    for i, j in zip(labels, predicted):
        counts[i, j] += 1
    return counts
    ### END SOLUTION


check("lab1.confusion_matrix", confusion_matrix)

# %%
counts = evaluation.confusion_matrix(labels, predicted, 3)
print("accuracy from the matrix:", np.trace(counts) / counts.sum())
plot_confusion(counts, ["class 0", "class 1", "class 2"], title="2,100 new points")

# %% [markdown]
# **Q2.** Which true class loses the most points, and to which classes do they go? Use the
# scatter plot of section 3 to explain why.
#
# **Q3.** Could any choice of weights classify these 2,100 points with accuracy 1.0 while
# still drawing sensible regions? What stands in the way?
#
# *Your answers:*
#
# ### BEGIN SOLUTION
# **Model answer, Q2.** Class 2 loses the most: 84 of its 700 points (45 predicted as class 1,
# 39 as class 0), against 19 and 20 for classes 0 and 1. Its cloud is the widest (spread 0.9
# against 0.6), so its tails reach across the borders of its wedge, the rays halfway between
# the detectors' arrows, into the neighbouring wedges of class 1 (south-west) and class 0
# (north).
#
# **Model answer, Q3.** No. The clouds overlap: some points of class 2 lie where the other
# classes' points are far more common, even on the wrong side of another cloud's centre. A
# boundary that got every one of them right would have to wind around single points; it would
# be right on these 2,100 points and wrong on new ones drawn the same way. What stands in the
# way is the data, not the network: where classes overlap, the best any classifier can do is
# pick the more likely class, and it makes mistakes there.
# ### END SOLUTION

# %% [markdown]
# ## 7. How each score moves the loss
#
# Chapter 2 wrote the loss of one point whose right class is $c$ as
# $L = \log \sum_k e^{s_k} - s_c$, the **log-sum-exp** of the scores minus the right class's
# score. How does $L$ change when one score $s_j$ changes a little? The second term is easy
# ($-1$ for $j = c$, else 0); the first one is yours to derive.
#
# ### Exercise 6 · a gradient by hand: `logsumexp_grad(s)` (2 points)
#
# For scores `s` of shape (N, C), one point per row, let
# $\operatorname{lse}(\mathbf{s}_n) = \log \sum_k e^{s_{nk}}$. Derive
# $\partial \operatorname{lse}(\mathbf{s}_n)/\partial s_{nj}$ with the chain rule, then write
# `logsumexp_grad(s)` returning all of them, shape (N, C), row by row. It must stay finite
# for scores near 1000. The check compares it with numerical gradients.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two steps: an inner $u = \sum_k e^{s_k}$ and an outer $\log u$. What is
# $\partial u/\partial s_j$? The result is a function you have met before.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $\dfrac{\partial}{\partial s_j}\log\sum_k e^{s_k} = \dfrac{e^{s_j}}{\sum_k e^{s_k}}$, the
# softmax of the row. Compute it stably: subtract each row's largest score first.
# </details>

# %%
def logsumexp_grad(s):
    ### BEGIN SOLUTION
    e = np.exp(s - np.max(s, axis=1, keepdims=True))  # stable: the shift cancels in the ratio
    return e / np.sum(e, axis=1, keepdims=True)
    ### END SOLUTION


check("lab1.logsumexp_grad", logsumexp_grad)

# %% [markdown]
# So $\partial L/\partial s_j = y_j - [j = c]$: raising a wrong class's score raises the loss in
# proportion to its probability, and raising the right class's score lowers it by $1 - y_c$.
# Chapter 6 meets this $\mathbf{y} - \mathbf{t}$ again.
#
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | batch | 批 | a group of points run through the network together |
# | batch size | 批大小 | the largest number of points per batch |
# | accuracy | 识别精度 | the fraction of points classified right |
# | confusion matrix | 混淆矩阵 | counts of (true class, predicted class) pairs |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).
#
# ## Your score so far
#
# Run this cell last (and again after fixing an exercise): it adds up the points of the
# checks run in this session.

# %%
score("lab1")
