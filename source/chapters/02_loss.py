# %% [markdown]
# # Chapter 2 · Loss: one number that says how wrong the network is
#
# In Chapter 1 the network computed scores with weights we simply made up. **Learning** (学习)
# means changing those weights until the answers are good, and before we can improve anything
# we need to measure it. This chapter builds that measurement, the **loss** (损失): a single
# number, computed from the network's output and the right answers, that is small when the
# network is right and confident, and large when it is wrong.
#
# By the end you will be able to
#
# * say what a loss is, and why it must be one number,
# * turn scores into probabilities with **softmax**, without it overflowing for large scores,
# * measure how wrong those probabilities are with the **cross entropy error**, for one-hot
#   labels and for label indices, and keep it finite when a probability is exactly 0,
# * average the loss over a **mini-batch**, and say why we divide by the batch size,
# * package softmax and cross entropy as one layer, **Softmax with Loss**.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import numpy as np

import nnscratch  # the course's package: its softmax, loss and layers are the reference
from nnscratch.figures.loss import (
    draw_loss_pipeline,
    draw_softmax_with_loss,
    plot_cross_entropy,
    plot_loss_against_batch_size,
    plot_one_hot_terms,
    plot_scores_and_probabilities,
)
from nnscratch.grader import check
from nnscratch.widgets.loss import one_sample_loss, softmax_overflow

# %% [markdown]
# ## 1. What a loss is
#
# To learn, a network is shown examples whose answers are known: inputs $\mathbf{x}$ together
# with their **labels** $\mathbf{t}$ (监督标签, "teacher labels"), the class each input really
# belongs to. The **loss function** (损失函数) compares the network's output with the labels and
# returns how bad the output is. Learning then means: find the weights that make the loss as
# small as possible.
#
# The loss is a **scalar** (标量), one number, on purpose. With one number, "these weights are
# better than those" has a definite meaning: smaller is better. With several numbers (one per
# sample, say) two weight settings could each win on some of them and there would be no single
# direction to improve in. In Chapter 3 we will ask how the loss changes when one weight
# changes, and that question, too, needs the loss to be one number.
#
# For **multi-class classification** (多类别分类), choosing one class out of $C$, the usual loss
# is the **cross entropy error** (交叉熵误差). It needs probabilities, not scores, so two new
# layers go on top of the network of Chapter 1: a **Softmax** layer turns scores into
# probabilities, and a **Cross Entropy Error** layer compares them with the labels $\mathbf{t}$
# and outputs the loss $L$:

# %%
draw_loss_pipeline()

# %% [markdown]
# The rest of the chapter opens the two new boxes, one at a time.
#
# ## 2. Softmax: from scores to probabilities
#
# The last Affine layer outputs one **score** per class, $s_1, \dots, s_C$: any real numbers,
# negative ones included. The **softmax function** (Softmax 函数) turns them into probabilities:
#
# $$y_k = \frac{e^{s_k}}{\sum_{i=1}^{C} e^{s_i}}, \qquad k = 1, \dots, C$$
#
# The exponential makes every score positive; dividing by the sum of all of them makes the $C$
# results add up to 1. So each $y_k$ lies between 0 and 1, $\sum_k y_k = 1$, and $y_k$ can be
# read as the network's **probability** (概率) that the input belongs to class $k$. Because
# $e^s$ grows with $s$, the order is kept: the largest score gets the largest probability, so
# the predicted class (the argmax) does not change.

# %%
s = np.array([2.0, 1.0, -0.5])  # scores of one sample, C = 3 classes
e = np.exp(s)
y = e / np.sum(e)
print("exp(s) =", e.round(3))
print("y      =", y.round(3), "  sum =", y.sum())
print("argmax of s:", np.argmax(s), "  argmax of y:", np.argmax(y))

# %%
plot_scores_and_probabilities(s, true_class=0, class_names=["cat", "dog", "bird"])

# %% [markdown]
# ### Two classes: the sigmoid; several: softmax
#
# With only two classes a network needs just one output score $s$: the sigmoid of Chapter 1
# turns it into the probability of class 1, $\sigma(s)$, and class 0 gets the rest,
# $1 - \sigma(s)$. Softmax is the same idea for any number of classes. Give it two scores, $s$
# and 0, and it returns exactly the sigmoid:
#
# $$\frac{e^{s}}{e^{s} + e^{0}} = \frac{1}{1 + e^{-s}} = \sigma(s)$$
#
# (divide the top and the bottom by $e^s$). So the rule of thumb: a sigmoid output for two
# classes, a softmax output for several. (The study notes this course grew from say the same
# of the output layer: sigmoid for two classes, and for three "software激活函数", a slip for
# the Softmax 函数.)

# %%
for score in (-2.0, 0.0, 3.0):
    print(f"s = {score:4}: softmax([s, 0])[0] = {nnscratch.softmax(np.array([score, 0.0]))[0]:.4f}"
          f"   sigmoid(s) = {1 / (1 + np.exp(-score)):.4f}")

# %% [markdown]
# ### A whole mini-batch at once
#
# For a mini-batch the scores form a matrix of shape $N \times C$, one sample per row. Softmax
# works on each row separately: the sum in the denominator runs over the classes of *one*
# sample, which is the last axis. `np.sum(e, axis=-1, keepdims=True)` gives one sum per row,
# with shape $(N, 1)$ rather than $(N,)$, so that broadcasting divides each row by its own sum.
# (`axis=-1` means "the last axis", which is also right for a single sample of shape $(C,)$.)

# %%
S = np.array([[2.0, 1.0, -0.5],
              [0.0, 0.0, 3.0]])  # N = 2 samples, C = 3 classes
E = np.exp(S)
print("row sums, keepdims:", np.sum(E, axis=-1, keepdims=True).shape, " without:", np.sum(E, axis=-1).shape)
Y = E / np.sum(E, axis=-1, keepdims=True)
print(Y.round(3))
print("each row sums to 1:", Y.sum(axis=1))

# %% [markdown]
# ### Spot the bug
#
# Here is the one-sample formula, applied to the same batch unchanged. Before running the
# cell, predict: what will the sums of the rows be?

# %%
def batch_blind_softmax(x):
    return np.exp(x) / np.sum(np.exp(x))


print(batch_blind_softmax(S).round(3))
print("row sums:", batch_blind_softmax(S).sum(axis=1).round(3))

# %% [markdown]
# Without an `axis`, `np.sum` adds up *every* element of the batch, so all six numbers together
# sum to 1 and no row does. Each row is a sample of its own: sum along the last axis.
#
# ### When the scores are large: overflow
#
# $e^s$ grows very fast. A float64 holds numbers up to about $1.8 \times 10^{308}$, and
# $e^{709.8}$ is already that large: `np.exp` of anything bigger **overflows** (溢出) to `inf`.
# Scores that large are unusual but not impossible (a badly scaled input, or weights that have
# grown during training), and then the formula computes $\infty / \infty$, which is `nan`:

# %%
s_big = np.array([1000.0, 1001.0, 1002.0])
print("exp:", np.exp(s_big))
print("naive softmax:", np.exp(s_big) / np.sum(np.exp(s_big)))

# %% [markdown]
# NumPy warns about the overflow, and the result is useless: `nan` (not a number) spreads through
# every later computation. The fix comes from a property of softmax: **adding the same
# constant $c$ to every score changes nothing**, because $e^{s_k - c} = e^{s_k} e^{-c}$ and the
# factor $e^{-c}$ cancels between the numerator and the denominator:
#
# $$\frac{e^{s_k - c}}{\sum_i e^{s_i - c}} = \frac{e^{-c}\, e^{s_k}}{e^{-c} \sum_i e^{s_i}}
# = \frac{e^{s_k}}{\sum_i e^{s_i}} = y_k$$
#
# So we are free to choose $c$, and the best choice is the largest score, $c = \max_i s_i$.
# Then every exponent $s_k - c$ is at most 0, the largest term is exactly $e^0 = 1$ (so the
# denominator is at least 1), and nothing can overflow. Terms far below the maximum may
# **underflow** to 0, which is harmless: their true probability is that small anyway.

# %%
s_shifted = s_big - np.max(s_big)
print("shifted scores:", s_shifted)
print("stable softmax:", np.exp(s_shifted) / np.sum(np.exp(s_shifted)))
print("the same as for 0, 1, 2:", nnscratch.softmax(np.array([0.0, 1.0, 2.0])))

# %% [markdown]
# In a batch, **each row needs its own maximum**: `x.max(axis=-1, keepdims=True)`, shape
# $(N, 1)$. One maximum for the whole batch, `np.max(x)`, saves the row that holds it, but a row
# whose scores are far below it is pushed far below 0. Take a batch whose first row has scores
# near 1000 and whose second row has scores near $-500$: subtracting the batch's maximum, 1002,
# puts the second row near $-1500$, and $e^{-1500}$ is 0 in float64 (anything below about
# $e^{-745}$ **underflows** to 0). Every term of that row is 0, and $0 / 0$ is `nan` again:

# %%
S_far = np.array([[1000.0, 1001.0, 1002.0],
                  [-500.0, -499.0, -498.0]])  # row 1 lies 1500 below the batch's maximum
shifted = S_far - np.max(S_far)  # one maximum for the whole batch
print("row 1 shifted:", shifted[1], "  exp:", np.exp(shifted[1]))
print("one maximum for the batch:", (np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)).round(3))
print("each row's own maximum:   ", nnscratch.softmax(S_far).round(3))

# %% [markdown]
# Row 1 of the first result is `nan` (NumPy warns: "invalid value encountered in divide"); with
# each row's own maximum, both rows come out as the same sensible probabilities.
#
# ### Try it: break softmax on purpose
#
# The widget below holds a batch of two rows with ordinary scores. The slider adds the same
# number to every score of row 0; the menu says what happens to row 1 meanwhile. The left
# column shows the scores against the limits of `np.exp` (dashed lines); the other columns show
# softmax computed three ways: naively, with one maximum for the whole batch, and with each
# row's own maximum.
#
# 1. Push row 0 up until the naive version breaks. Which score crosses which line?
# 2. Keep pushing. One maximum for the batch breaks too, but in row 1, the row you did not
#    touch. Why there, and why later than the naive version?
# 3. Now let row 1 move down. How early does one maximum for the batch break now?
#    Which column never breaks, and why?

# %%
softmax_overflow()

# %% [markdown]
# The course's `softmax` (in `nnscratch.functions`) is the last column: it subtracts each row's
# maximum and divides by each row's sum, so it works for a single sample $(C,)$ and for a batch
# $(N, C)$, and it never changes the array it is given. You will write your own in Exercise 1.

# %% [markdown]
# ## 3. Cross entropy: how wrong are the probabilities?
#
# Now the second box. Write the label of one sample as a **one-hot vector** (one-hot 向量):
# $C$ numbers, a 1 at the position of the correct class and 0 everywhere else; for class 1 of
# 3 (counting from 0), $\mathbf{t} = (0, 1, 0)$. The **cross entropy error** of probabilities
# $\mathbf{y}$ against $\mathbf{t}$ is
#
# $$L = -\sum_{k=1}^{C} t_k \log y_k$$
#
# where $\log$ is the **natural logarithm** (自然对数), base $e$. Since every $t_k$ is 0 except
# the one of the correct class, only that class's term survives:
#
# $$L = -\log y_{\text{correct}}$$
#
# The loss looks only at the probability the network gave the right answer. The probabilities
# of the wrong classes matter only indirectly: they all come out of the same softmax, so raising
# a wrong class's score lowers $y_{\text{correct}}$.
#
# **Predict, then run.** For $\mathbf{y} = (0.1, 0.7, 0.2)$ and $\mathbf{t} = (0, 1, 0)$, what
# is $L$? A number to 2 decimals, e.g. `answer = 1.23` (`np.log` is allowed: it is what you
# would do with a calculator).

# %%
### BEGIN SOLUTION
answer = 0.36
### END SOLUTION
check("loss.predict_one_sample_loss", answer)

# %%
y = np.array([0.1, 0.7, 0.2])
t = np.array([0, 1, 0])
print("-t * log(y) =", (t * -np.log(y)).round(3))
print("L =", -np.sum(t * np.log(y)).round(4), "  -log(0.7) =", -np.log(0.7).round(4))

# %%
plot_one_hot_terms(y, t)

# %% [markdown]
# How does $-\log y$ behave? If the network gives the correct class probability 1, the loss
# is $-\log 1 = 0$: nothing to improve. At $y = 0.5$ the loss is $\log 2 \approx 0.69$, and as
# $y$ falls towards 0 the loss grows without bound. A network that is sure *and wrong* is
# punished hardest (left). The right panel looks at tiny probabilities, on a logarithmic axis,
# and brings up a practical problem.

# %%
plot_cross_entropy()

# %% [markdown]
# ### log(0) and the small delta
#
# Softmax can return a probability of exactly 0 (an underflow, as we saw), and $\log 0 = -\infty$.
# The loss would become `inf`; and with a one-hot $\mathbf{t}$, a zero probability for a *wrong*
# class is just as bad, because the product $0 \cdot \log 0 = 0 \cdot (-\infty)$ is `nan`, not 0.
# The usual remedy is to add a tiny constant $\delta$ inside the logarithm:
#
# $$L = -\sum_k t_k \log (y_k + \delta), \qquad \delta = 10^{-7}$$
#
# For any ordinary probability, $\delta$ changes nothing visible; at $y = 0$ it caps the loss at
# $-\log \delta \approx 16.1$ (the dashed line above), a large but finite number. Any value far
# below the probabilities you meet works ($10^{-7}$, $10^{-10}$, $10^{-12}$): it only decides where
# the cap is. A large one does not: $\delta = 10^{-3}$ raises a 1% probability by a tenth (its
# loss falls by about 0.1, from 4.61 to 4.51), and caps every loss at $-\log 10^{-3} \approx 6.9$.

# %%
with np.errstate(divide="ignore", invalid="ignore"):  # we expect the warnings: silence them here
    y_zero = np.array([0.0, 0.3, 0.7])
    print("true class 0, no delta:   ", -np.log(y_zero[0]))
    print("true class 2, no delta:   ", -np.sum(np.array([0, 0, 1]) * np.log(y_zero)))
print("true class 0, delta 1e-7: ", -np.log(y_zero[0] + 1e-7))
print("true class 2, delta 1e-7: ", -np.sum(np.array([0, 0, 1]) * np.log(y_zero + 1e-7)))

# %% [markdown]
# ### Labels as indices
#
# Writing $N$ one-hot rows of length $C$ stores $N \cdot C$ numbers to say $N$ things. Often the
# labels come as **label indices** instead: an integer array of shape $(N,)$ whose entry $n$ is
# the correct class of sample $n$. Since only the correct class's probability matters, we can
# pick it directly with NumPy's fancy indexing: `y[np.arange(N), t]` takes, from row $n$, the
# column $t_n$. The two forms convert into each other with `t.argmax(axis=1)` (one-hot to
# indices) and `np.eye(C)[t]` (indices to one-hot).

# %%
Y = np.array([[0.1, 0.7, 0.2],
              [0.3, 0.3, 0.4],
              [0.8, 0.1, 0.1]])  # N = 3 samples
labels = np.array([1, 2, 0])
one_hot = np.eye(3, dtype=int)[labels]
print("one-hot:\n", one_hot)
print("back to indices:", one_hot.argmax(axis=1))
print("probability of each correct class:", Y[np.arange(3), labels])

# %% [markdown]
# ### Try it: one sample's loss
#
# Move the three scores and choose the true class. Watch softmax redistribute the probability,
# and the loss slide along the $-\log y$ curve. Can you make the loss smaller than 0.01? What
# happens when the true class has the lowest score of the three?

# %%
one_sample_loss()

# %% [markdown]
# ## 4. The mini-batch loss: an average
#
# For a mini-batch of $N$ samples, $t_{nk}$ is the one-hot label and $y_{nk}$ the probability of
# class $k$ for sample $n$. The loss of the batch is the **average** of the samples' losses:
#
# $$L = -\frac{1}{N} \sum_{n=1}^{N} \sum_{k=1}^{C} t_{nk} \log y_{nk}$$
#
# Why divide by $N$? The sum grows with the number of samples: the same network scores twice
# the loss on a batch twice as large, although it is not twice as wrong. The average measures
# the loss *per sample*, so it stays comparable across batch sizes, and a step size chosen for
# batches of 32 stays reasonable for batches of 256. Below, one kind of prediction (scores that have
# nothing to do with the labels) is scored on batches of 10 to 1000 samples:

# %%
rng = np.random.default_rng(seed=2)
sizes = [10, 25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
totals, means = [], []
for N in sizes:
    scores = rng.standard_normal((N, 3))  # random scores, unrelated to the labels
    t = rng.integers(0, 3, size=N)
    L = nnscratch.cross_entropy_error(nnscratch.softmax(scores), t)  # the package's mean loss
    totals.append(L * N)
    means.append(L)
plot_loss_against_batch_size(sizes, totals, means, n_classes=3)

# %% [markdown]
# The sum grows in proportion to $N$, while the mean stays near the same value whatever the
# batch size: it describes the predictions, not the batch.
#
# For the larger batches that value is about 1.4 (small batches wander more), above the dashed
# line at $\log 3 \approx 1.10$. Here the scores are random numbers of typical size 1, so each
# sample's probabilities are uneven, and a sample that happens to get a low probability for its
# true class costs more (the log punishes it hard) than the lucky samples save.
#
# **Predict, then run.** A network with small random weights outputs scores near 0 for every
# class. With 3 classes, what will its first loss be, roughly? A number to 2 decimals, e.g.
# `answer = 0.5`.

# %%
### BEGIN SOLUTION
answer = 1.10
### END SOLUTION
check("loss.predict_first_loss", answer)

# %% [markdown]
# The value of the loss itself can be a handy check. An untrained network with small random
# weights outputs scores near 0, hence probabilities near $1/C$ for every class, so its loss is
# $-\log(1/C) = \log C$: for three classes, $\log 3 \approx 1.10$. If your network's first loss
# is far from $\log C$, look for a bug before you train.
#
# That is the dashed line in the figure above: the loss of an *even* guess, all scores equal.

# %%
net = nnscratch.TwoLayerNet(2, 10, 3, rng=0)  # small random weights: scores near 0
x = rng.standard_normal((100, 2))
t = rng.integers(0, 3, size=100)
scores = net.predict(x)
print("first loss:", round(nnscratch.cross_entropy_error(nnscratch.softmax(scores), t), 4), "  log 3 =", round(np.log(3), 4))

# %% [markdown]
# ## 5. Softmax with Loss: one layer
#
# Softmax and cross entropy always appear together at the end of a classifier, so the book this
# course follows, *Deep Learning from Scratch 2* (深度学习进阶：自然语言处理), implements them as a
# single layer, **Softmax with Loss** (Softmax with Loss 层): it takes the scores and the labels
# and returns the loss. It follows the layer design of Chapter 1: it has no weights, so
# `params` is an empty list, and `forward(x, t)` takes the scores `x` and the labels `t`
# (one-hot or indices) and returns $L$, one number.

# %%
draw_softmax_with_loss()

# %% [markdown]
# Why fuse them? The reason shows up when we run the network backwards in Chapter 6: the
# gradient of the pair with respect to the scores is simply $(\mathbf{y} - \mathbf{t}) / N$, far
# simpler than the gradients of the two parts taken one at a time.
#
# There is a second reason, already in forward: fused, the loss never needs the probability
# itself. With $m = \max_k s_k$, the loss of one sample whose right class is $c$ is
#
# $$L = -\log \frac{e^{s_c}}{\sum_k e^{s_k}} = \log \sum_k e^{s_k} - s_c
# = m + \log \sum_k e^{s_k - m} - s_c$$
#
# The last form is the **log-sum-exp** (对数和指数) trick: every $e^{s_k - m}$ is at most 1, so
# nothing overflows, and the sum is at least 1 (the term of the largest score is $e^0$), so the
# log is never taken of 0 and needs no $\delta$. Computing softmax first and then
# $-\log(y_c + \delta)$ loses exactly this: a probability of $e^{-2000}$ rounds to 0, and the loss
# stops at $-\log \delta$:

# %%
s_sure = np.array([1000.0, 0.0, -1000.0])  # very sure of class 0, but class 2 is right
m = np.max(s_sure)
print("softmax, then -log(y + 1e-7):", -np.log(nnscratch.softmax(s_sure)[2] + 1e-7))
print("log-sum-exp:                 ", m + np.log(np.sum(np.exp(s_sure - m))) - s_sure[2])

# %% [markdown]
# Both say "very wrong", but only the second says how wrong, and its gradient (Chapter 6) stays
# exact. For now the layer only goes forward. `TwoLayerNet` keeps one as its `loss_layer`, and `net.forward(x, t)` runs the network
# and the loss together:

# %%
loss_layer = nnscratch.SoftmaxWithLoss()
print("params:", loss_layer.params)
print("forward with labels: ", round(loss_layer.forward(scores, t), 4))
print("forward with one-hot:", round(loss_layer.forward(scores, np.eye(3)[t]), 4))
print("net.forward(x, t):   ", round(net.forward(x, t), 4))

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | loss | 损失 | one number saying how badly the network does on labelled data |
# | loss function | 损失函数 | the function that computes the loss from outputs and labels |
# | label (teacher label) | 监督标签 | the correct class of a training sample |
# | scalar | 标量 | a single number |
# | multi-class classification | 多类别分类 | choosing one class out of $C$ |
# | softmax function | Softmax 函数 | $y_k = e^{s_k} / \sum_i e^{s_i}$: scores to probabilities |
# | probability | 概率 | a number in $[0, 1]$; a sample's probabilities sum to 1 |
# | overflow / underflow | 溢出 / 下溢 | a result too large (inf) / too small (0) for the number type |
# | one-hot vector | one-hot 向量 | 1 at the correct class, 0 elsewhere |
# | cross entropy error | 交叉熵误差 | $L = -\sum_k t_k \log y_k$ |
# | natural logarithm | 自然对数 | $\log$ to the base $e$ |
# | Softmax with Loss layer | Softmax with Loss 层 | softmax and cross entropy as one layer |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Replace `raise NotImplementedError` with your code and run the cell; the check below it says
# which test failed, on what input, and often why. Use NumPy only.
#
# ### Exercise 1 · `softmax(x)`
#
# `x` holds scores of shape $(C,)$ (one sample) or $(N, C)$ (a batch, one sample per row).
# Return the probabilities, same shape: every row sums to 1. It must stay correct for scores
# around $\pm 1000$, even when the rows of one batch differ greatly in scale (one row near 1000,
# another near $-1000$), and it must not change `x`.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two things to get right: each row is normalised on its own (work along the last axis and keep
# it, so the division broadcasts row by row), and large scores must not overflow (section 2:
# which shift leaves softmax unchanged?).
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# Subtract each row's maximum, take `np.exp`, divide by the row's sum:
# $y_k = e^{s_k - m} / \sum_i e^{s_i - m}$, with `axis=-1, keepdims=True` for the max and the sum.
# Build a new array (`x = x - ...`), never `x -= ...`.
# </details>

# %%
def softmax(x):
    ### BEGIN SOLUTION
    x = x - np.max(x, axis=-1, keepdims=True)  # a new array: the caller's x stays as it was
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)
    ### END SOLUTION


check("loss.softmax", softmax)

# %% [markdown]
# ### Exercise 2 · `cross_entropy_error(y, t)`
#
# `y` holds probabilities of shape $(N, C)$, or $(C,)$ for a single sample. `t` is either
# one-hot (the same shape as `y`) or label indices: an integer array $(N,)$, or a single integer
# for a single sample. Return the mean loss over the batch as one number (a single sample is a
# batch of one). It must stay finite when the correct class has probability exactly 0 (add a
# small $\delta$ of your choice inside the log, $10^{-6}$ or smaller), and it must not change `y`.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Reduce every case to one: a batch `y` $(N, C)$ and label indices $(N,)$. A single sample is a
# batch of one (reshape it); one-hot labels become indices with `argmax`.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# $L = -\frac{1}{N}\sum_n \log(y_{n, t_n} + \delta)$: pick each row's probability of its right
# class with `y[np.arange(N), t]` (section 3).
# </details>

# %%
def cross_entropy_error(y, t):
    ### BEGIN SOLUTION
    t = np.asarray(t)
    if y.ndim == 1:  # one sample: a batch of one
        t = t.reshape(1, -1) if t.size == y.size else t.reshape(1)
        y = y.reshape(1, -1)
    if t.shape == y.shape:  # one-hot -> label indices
        t = t.argmax(axis=1)
    N = y.shape[0]
    return -np.sum(np.log(y[np.arange(N), t] + 1e-7)) / N
    ### END SOLUTION


check("loss.cross_entropy_error", cross_entropy_error)

# %% [markdown]
# ### Exercise 3 · the `SoftmaxWithLoss` layer
#
# A class with `params`, an empty list, and `forward(x, t)`: scores `x` $(N, C)$ and labels `t`
# (one-hot or indices) in, the mean loss out, one number. Keep softmax's output as `self.y`
# (Chapter 6 will need it).
#
# <details><summary>Hint 1: a nudge</summary>
#
# The layer is the two boxes of section 1 in a row, and you wrote both boxes above.
# </details>
#
# <details><summary>Hint 2: the pieces</summary>
#
# `self.params` is an empty list; `forward` stores `softmax(x)` in `self.y` and returns
# `cross_entropy_error` of it against `t`.
# </details>

# %%
class SoftmaxWithLoss:
    def __init__(self):
        ### BEGIN SOLUTION
        self.params = []
        self.y = None
        ### END SOLUTION

    def forward(self, x, t):
        ### BEGIN SOLUTION
        self.y = softmax(x)
        return cross_entropy_error(self.y, t)
        ### END SOLUTION


check("loss.SoftmaxWithLoss", SoftmaxWithLoss)

# %% [markdown]
# ## What's next
#
# We can now say how wrong a network is, with one number. Learning means making that number
# smaller by changing the weights, and for that we need to know which way each weight should
# move: how the loss changes when a weight changes a little. That is a **derivative**, and for
# all the weights at once, a **gradient**: the subject of Chapter 3.
