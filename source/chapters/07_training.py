# %% [markdown]
# # Chapter 7 · Training: the network learns the spiral
#
# Everything a network needs in order to learn is now in place. Chapter 2 gave us the **loss**,
# one number that says how wrong the network is; Chapters 3 to 6 gave us its **gradient** with
# respect to every weight, computed by backpropagation through the layers. This chapter closes
# the circle: it uses the gradient to change the weights, again and again, until the network
# is good at its task. That repeated improvement is **learning** (学习), or **training** (训练).
#
# By the end you will be able to
#
# * change every weight a small step against its gradient, the **SGD** update, and say why that
#   step must change the arrays **in place**,
# * give `TwoLayerNet` a `forward(x, t)` that returns the loss and a `backward()` that fills
#   every gradient, and check those gradients against numerical ones,
# * make the **spiral dataset** in code and say why no straight line can separate it,
# * write a **training loop** (epochs, shuffling, mini-batches) and read its **loss curve**,
# * draw the **decision boundary** of the trained network and measure its accuracy,
# * measure what 32-bit floats buy over NumPy's default 64-bit ones.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import inspect
import time

import numpy as np

from nnscratch.data import spiral
from nnscratch.evaluation import accuracy
from nnscratch.figures.training import (
    draw_learning_net,
    plot_decision_boundary,
    plot_loss,
    plot_spiral,
)
from nnscratch.gradients import relative_error
from nnscratch.grader import check
from nnscratch.gradients import numerical_gradient
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import Trainer, fit
from nnscratch.widgets.training import training_playground

# %% [markdown]
# ## 1. One step downhill
#
# The gradient $\partial L / \partial \mathbf{W}$ has the shape of $\mathbf{W}$, and each of its
# entries says how fast the loss grows when that one weight grows. Its direction is the one in
# which the loss climbs most steeply, so to make the loss smaller we step the other way:
#
# $$\mathbf{W} \leftarrow \mathbf{W} - \eta\, \frac{\partial L}{\partial \mathbf{W}}$$
#
# and the same for every other parameter ($\mathbf{b}_1$, $\mathbf{W}_2$, $\mathbf{b}_2$). The
# arrow means "replace by". The positive number $\eta$ (eta) is the **learning rate** (学习率): how
# long a step we take. We choose it ourselves; numbers like it, set by hand rather than learned,
# are called **hyperparameters** (超参数).
#
# The gradient is computed on a **mini-batch** (小批量) of a few samples, not on the whole
# dataset: a cheap, noisy estimate of the true gradient, made from a random handful of
# examples. Hence the name of the method, **stochastic gradient descent** (随机梯度下降法),
# SGD for short. Let us take one step and watch the loss of that mini-batch:

# %%
x, t = spiral()  # the data of this chapter (Section 4 looks at it closely)
rng = np.random.default_rng(seed=0)
batch = rng.permutation(len(x))[:30]  # 30 random samples
x_batch, t_batch = x[batch], t[batch]

for lr in (0.1, 1.0, 10.0):
    net = TwoLayerNet(2, 10, 3, weight_std=1.0, rng=0)  # the same starting weights each time
    before = net.forward(x_batch, t_batch)
    net.backward()
    SGD(lr=lr).update(net.params, net.grads)
    after = net.forward(x_batch, t_batch)
    print(f"learning rate {lr:5}: loss {before:.3f} -> {after:.3f}")

# %% [markdown]
# A small step lowers the loss a little, a bigger one lowers it more, and a step far too big
# jumps right over the valley and lands higher up than it started. The gradient only describes
# the loss near the current weights; trusting it over a long distance fails. Finding a learning
# rate that is large but not too large is the first skill of training networks.

# %% [markdown]
# ## 2. In place, or not at all
#
# Look closely at how the update changes the weights. The model's `params` list does not hold
# copies: it holds the very arrays the layers compute with (Chapter 1 built it that way, from
# the layers' own `params` lists). So the update must change **those arrays**, in place. Here
# are two ways to write the step, a tempting one first.
#
# **Predict, then run.** The first loop of the next cell writes `param = param - 0.1 * grad` for
# every parameter. Will the first layer's `W1` have changed afterwards? `True` or `False`.

# %%
### BEGIN SOLUTION
answer = False
### END SOLUTION
check("training.predict_rebind", answer)

# %%
net = TwoLayerNet(2, 10, 3, weight_std=1.0, rng=0)
net.forward(x_batch, t_batch)
net.backward()
W1_before = net.layers[0].params[0].copy()

for param, grad in zip(net.params, net.grads):
    param = param - 0.1 * grad  # builds a NEW array and points the name `param` at it

print("W1 changed?", not np.array_equal(net.layers[0].params[0], W1_before))

for param, grad in zip(net.params, net.grads):
    param -= 0.1 * grad  # writes into the array itself: the layer sees the change

print("W1 changed?", not np.array_equal(net.layers[0].params[0], W1_before))

# %% [markdown]
# `param = param - 0.1 * grad` computes a new array and rebinds the loop variable to it; the
# layer still holds the old array, untouched, and the new one is thrown away at the next turn
# of the loop. `param -= 0.1 * grad` (or `param[...] = param - 0.1 * grad`) writes the new
# values into the existing array. The same sharing works in the other direction: each layer
# writes its gradients into its own `grads` arrays in place (`self.grads[0][...] = dW`), so the
# model's `grads` list, gathered once, always shows the latest gradients.
#
# An **optimizer** (优化器) is the object that performs the update. Here is the course's SGD,
# straight from the package:

# %%
print(inspect.getsource(SGD))

# %% [markdown]
# ## 3. A network that can learn
#
# In Chapter 1, `TwoLayerNet` could only `predict`. To learn it needs two more methods, the same
# pair every loss layer has:
#
# * `forward(x, t)` runs `x` through the layers, hands the scores and the labels `t` to a
#   `SoftmaxWithLoss` layer, and returns the loss $L$;
# * `backward(dout=1)` starts at the loss ($\partial L/\partial L = 1$), asks the loss layer for
#   $\partial L/\partial \mathbf{s}$, and passes the gradient back through the layers in
#   **reverse** order. Each layer fills its own `grads` on the way.
#
# The forward values flow left to right, the gradients right to left:

# %%
draw_learning_net(title="forward(x, t): left to right · backward(): right to left")

# %% [markdown]
# With `self.grads` gathered from the layers exactly like `self.params` (the very arrays each
# layer writes its gradients into), the whole model is a dozen lines. You will write them
# yourself in Exercise 2; here is the package's version at work.
#
# **Predict, then run.** For the batch `x_batch` of shape (30, 2), what shape will the array
# returned by `net.backward()` have? A tuple.

# %%
### BEGIN SOLUTION
answer = (30, 2)
### END SOLUTION
check("training.predict_dx_shape", answer)

# %%
net = TwoLayerNet(2, 10, 3, weight_std=1.0, rng=0)
loss = net.forward(x_batch, t_batch)
dx = net.backward()
print("loss", round(loss, 4), "| dL/dx", dx.shape)
print("grads:", [g.shape for g in net.grads], "= shapes of params:", [p.shape for p in net.params])
print("model and layer share the gradient array:", net.grads[0] is net.layers[0].grads[0])

# %% [markdown]
# Are those gradients right? Chapter 6 taught the test: nudge each weight by $\pm h$, see how
# the loss moves, and compare that **numerical gradient** (数值梯度) with the one backward
# computed. As in Chapter 6, relative errors below about $10^{-5}$ say backward is right (the
# numerical gradient of the whole network is no more accurate than that); a bug shows as
# $10^{-2}$ or more:

# %%
for name, param, grad in zip(["W1", "b1", "W2", "b2"], net.params, net.grads):
    numeric = numerical_gradient(lambda _: net.forward(x_batch, t_batch), param)
    print(f"{name}: relative error {relative_error(grad, numeric):.1e}")

# %% [markdown]
# ## 4. The spiral dataset
#
# Our network needs something worth learning. The book's choice is the **spiral dataset**
# (螺旋状数据集): three arms winding out of the centre of the plane, one per class, 100 points
# each. Arm $j$ (for $j = 0, 1, 2$) places its $i$-th point ($i = 0, \dots, 99$) at radius
# $r_i$ and angle $\theta_i$:
#
# $$r_i = \frac{i}{100}, \qquad \theta_i = 4j + 4r_i + 0.2\,\varepsilon_i, \qquad
# (x_1, x_2) = (r_i \sin\theta_i,\; r_i \cos\theta_i)$$
#
# where $\varepsilon_i$ is random noise from a standard normal distribution. Each arm turns
# through 4 radians while it moves out, and the three arms start 4 radians apart. `spiral()`
# builds it from a random generator of its own (seed 1984, like the book, though NumPy's new
# generator draws different noise from the book's), so it never touches NumPy's global random
# state. The labels come one-hot, $\mathbf{t}$ of shape $(300, 3)$:

# %%
x, t = spiral()
print("x", x.shape, " t", t.shape, " first label", t[0], " points per class", t.sum(axis=0))
plot_spiral(x, t, title="The spiral: 3 classes × 100 points")

# %% [markdown]
# No straight line separates one arm from the others, and no two or three straight lines do
# either: each class wraps around the others. A network without a hidden layer (an Affine layer
# and softmax alone) can only cut the plane with straight lines. Our hidden layer of sigmoids
# can bend the boundaries, and this is the test of whether it learns to.

# %% [markdown]
# ## 5. The training loop, on one screen
#
# Training repeats the step of Section 1 many times. It is organised in **epochs** (epoch,
# 轮): one epoch is one pass over the whole training data. Each epoch
#
# 1. **shuffles** (打乱) the samples: one random permutation, applied to `x` and `t` alike so
#    that every point keeps its label. The spiral is stored class by class; without shuffling,
#    every mini-batch would hold a single class and each step would drag the network towards
#    that one class;
# 2. cuts the shuffled data into mini-batches of 30: $300 / 30 = 10$ steps per epoch;
# 3. for each mini-batch: `forward` (the loss), `backward` (the gradients), `update` (the step).
#
# The book's settings: 300 epochs, mini-batches of 30, a hidden layer of 10 neurons, learning
# rate 1.0. That makes 3000 updates. Writing that loop is yours, in Exercise 3; here the
# package's version of it, `fit`, runs it (section 6 says more about `fit`):

# %%
max_epoch, batch_size, hidden_size, learning_rate = 300, 30, 10, 1.0

model = TwoLayerNet(input_size=2, hidden_size=hidden_size, output_size=3, rng=0)
start = time.perf_counter()
history = fit(model, x, t, SGD(lr=learning_rate), epochs=max_epoch, batch_size=batch_size, rng=0)
seconds = time.perf_counter() - start
loss_list = history["epoch_loss"]  # the mean loss of every epoch
for epoch in range(49, max_epoch, 50):
    print(f"epoch {epoch + 1:3d} | mean loss {loss_list[epoch]:.4f}")
print(f"{max_epoch} epochs, {len(history['loss'])} updates, in {seconds:.2f} s")

# %% [markdown]
# The loss falls from about 1.1 to about 0.13. Notice what a step does *not* contain: no
# derivative formula, no layer-specific code. `forward`, `backward` and `update` are the same
# three calls for any network built from layers with the `params`/`grads` contract.

# %% [markdown]
# ## 6. The loop as a function, `fit(...)`
#
# Every training run repeats that loop, so the package keeps it as a function,
# `fit(model, x, t, optimizer, epochs=300, batch_size=30, rng=None)` (the last three by name).
# It returns a **history** instead of printing: a dict with the loss of every mini-batch
# (`"loss"`) and the mean of every epoch (`"epoch_loss"`). Plots and tables are then made from
# the history, afterwards. With the same seeds it takes exactly the same steps every time:

# %%
print(len(history["loss"]), "mini-batch losses,", len(history["epoch_loss"]), "epoch means")
again = fit(TwoLayerNet(2, 10, 3, rng=0), x, t, SGD(lr=1.0), epochs=300, batch_size=30, rng=0)
print("the same losses again:", np.allclose(again["epoch_loss"], loss_list))

# %% [markdown]
# `fit` prints nothing unless asked: `verbose=True` prints the loss ten times per run, and
# `progress=True` draws a progress bar, handy for long runs:

# %%
long_run = fit(TwoLayerNet(2, 10, 3, rng=0), x, t, SGD(lr=1.0), epochs=600, rng=0, progress=True)

# %% [markdown]
# ### The book's `Trainer`
#
# The book packs the same loop into a class, a **Trainer**, and every later chapter of the book
# trains through it. Where `fit` is one function call, a `Trainer` is an object that remembers:
#
# * it is made from a model and an optimizer, `Trainer(model, optimizer)`;
# * `trainer.fit(x, t, max_epoch, batch_size, eval_interval)` runs the loop: shuffle, cut into
#   mini-batches, forward, backward, update. Every `eval_interval` **iterations** (mini-batch
#   steps, not epochs) it *evaluates*: it appends the mean loss of those iterations to
#   `trainer.loss_list` and prints a line. Calling `fit` again carries on from there;
# * `trainer.plot()` draws `loss_list`, the loss plot the book shows after every training run.
#
# Here is the package's `Trainer.fit`, the loop of Section 5 with the evaluation added; the
# shuffling and cutting is `mini_batches`, the same generator `fit` uses:

# %%
print(inspect.getsource(Trainer.fit))

# %% [markdown]
# Two epochs with an evaluation every 5 iterations (10 iterations per epoch, so two lines per
# epoch), to see what it prints:

# %%
trainer = Trainer(TwoLayerNet(2, 10, 3, rng=0), SGD(lr=1.0))
trainer.fit(x, t, max_epoch=2, batch_size=30, eval_interval=5, rng=0)
print("loss_list:", np.round(trainer.loss_list, 3))

# %% [markdown]
# Now the book's whole run, quietly, evaluating once per epoch (every 10 iterations). With the
# same seeds it takes exactly the steps of our loop, so its list is our `loss_list`, and the
# plot is the loss curve of the next section:

# %%
trainer = Trainer(TwoLayerNet(2, 10, 3, rng=0), SGD(lr=1.0))
trainer.fit(x, t, max_epoch=300, batch_size=30, eval_interval=10, rng=0, verbose=False)
print("the same as our loop:", np.allclose(trainer.loss_list, loss_list))
trainer.plot(n_classes=3, title="Trainer.plot(): one point per 10 iterations")

# %% [markdown]
# ## 7. Reading the loss curve
#
# The **loss curve** (损失曲线) plots the history against the epochs. The grey line is every
# mini-batch's loss, the blue one each epoch's mean:

# %%
plot_loss(history, n_classes=3, title="Training on the spiral: lr 1.0, hidden 10, batch 30")

# %% [markdown]
# Four things to read in it:
#
# * **The start.** The weights start tiny (standard deviation 0.01), so all scores are close to
#   0, softmax gives each class probability $\frac{1}{3}$, and the loss is
#   $-\ln\frac{1}{3} = \ln 3 \approx 1.10$, the dashed line: the loss of pure guessing.
# * **Worse than guessing, for about ten epochs.** The epoch means then sit *above* the dashed
#   line, at 1.12 to 1.17, until about epoch 12. With first-layer weights of about 0.01, every
#   hidden sigmoid gives about 0.5 whatever the input, so the network answers the same for every
#   point: all it can learn is an overall preference for one class, through the output layer.
#   Each step (learning rate 1.0) pushes that preference towards the classes of the last 30
#   points, say 13 of class 0, 9 of class 1, 8 of class 2; the next mini-batch has another mix,
#   and a confident wrong preference costs more than an even guess. Meanwhile the first-layer
#   weights grow (to about 0.5 by epoch 12), the hidden neurons start to tell points apart, and
#   the loss drops below $\ln 3$ for good.
# * **The plateau and the drop.** For a while the loss hovers around 0.7: the network has found a
#   coarse split of the plane that is right for about two thirds of the points. Then it
#   discovers how to bend its boundaries along the arms, and the loss falls again.
# * **The noise.** Single mini-batches (grey) scatter widely around the mean: each step follows a
#   30-point estimate of the gradient. The noise is the price of cheap steps; the trend is what
#   counts.

# %% [markdown]
# ## 8. What the network decided
#
# A loss of 0.13 is hard to picture. The **decision boundary** (决策边界) is not: colour every
# point of the plane by the class the trained network predicts there. We ask the network about
# a grid of points about 0.01 apart, 218 × 218 of them, in one batch (a finer grid would add
# pixels, not insight):

# %%
plot_decision_boundary(model.predict, x, t, spacing=0.01, title="What the trained network predicts")

# %% [markdown]
# The regions follow the arms: the hidden layer has learned curved boundaries that no straight
# line could draw. How many training points does it classify correctly? The predicted class is
# the argmax of the scores; the true class the argmax of the one-hot label:

# %%
predicted = model.predict(x).argmax(axis=1)
labels = t.argmax(axis=1)
print(f"training accuracy: {np.mean(predicted == labels):.3f}")

# %% [markdown]
# About 0.96 (the book's settings reach about 0.97 on its own draw of the spiral); the few points
# missed sit where the arms meet, near the centre. Is that number luck? Train five times from different starting weights and
# shuffles (`accuracy(scores, t)` from `nnscratch.evaluation` does the argmax comparison):

# %%
for seed in range(1, 6):
    run = TwoLayerNet(2, 10, 3, rng=seed)
    fit(run, x, t, SGD(lr=1.0), epochs=300, batch_size=30, rng=seed)
    print(f"seed {seed}: training accuracy {accuracy(run.predict(x), t):.3f}")

# %% [markdown]
# Not luck: every run lands between about 0.95 and 0.98. A caution, though: this is **training**
# accuracy, measured on the very points the network learned from. How well it does on points it
# has never seen is another question; Lab 3 asks it, with a held-out test set.

# %% [markdown]
# ## 9. Try it: train it yourself
#
# The widget trains the same network live. The first slider sets the learning rate. A new
# learning rate or hidden size trains afresh from the same starting weights: its first epochs
# show at once (marked "training…") and the rest follow as they are trained; a setting you tried
# before comes back instantly. The epochs slider moves through a run without training anything,
# so it follows your hand (the title gives the loss and the training accuracy at that epoch).
# **▶ run** replays the training from the start, redrawing every few epochs, so you can watch
# the regions bend; **■ stop** halts it where it is. Things to try:
#
# * learning rate 0.1, then 0.3: the same 300 epochs get nowhere near (steps too short);
# * learning rate 10: fast, but the loss curve jumps around (steps too long);
# * hidden size 1, 2, 3: too few neurons to bend the boundaries around three arms;
# * hidden size 50: more neurons are not automatically better in the same number of epochs.

# %%
training_playground()

# %% [markdown]
# ## 10. float64 or float32?
#
# NumPy stores numbers as 64-bit floats (**double precision**, 双精度) unless told otherwise:
# about 16 significant digits. A network does not need that many. Its weights are nudged by
# noisy gradients anyway, and 32-bit floats (**single precision**, 单精度, about 7 digits) are
# plenty. The reasons to switch are memory (half of it) and speed: twice as many numbers fit
# into each cache line and each vector instruction, and GPUs, the usual home of deep learning,
# are much faster with 32 bits. (This is the **bit precision** (位精度) the book discusses.)
#
# Let us measure rather than believe. `TwoLayerNet(..., dtype=np.float32)` creates 32-bit
# weights, and the package's layers keep 32 bits all the way through when the data is 32-bit
# too. First the spiral, both ways:

# %%
def train_spiral(dtype):
    model = TwoLayerNet(2, 10, 3, rng=0, dtype=dtype)
    x_d, t_d = x.astype(dtype), t.astype(dtype)
    start = time.perf_counter()
    history = fit(model, x_d, t_d, SGD(lr=1.0), epochs=300, batch_size=30, rng=0)
    seconds = time.perf_counter() - start
    return seconds, history["epoch_loss"][-1], accuracy(model.predict(x_d), t), model.predict(x_d).dtype


for dtype in (np.float64, np.float32):
    seconds, final_loss, acc, out_dtype = train_spiral(dtype)
    print(f"{dtype.__name__}: {seconds:.3f} s, final loss {final_loss:.6f}, "
          f"training accuracy {acc:.3f}, scores computed in {out_dtype}")

# %% [markdown]
# The final losses agree to about six digits, and the accuracy is the same: for learning, 32 bits
# lose nothing here. The speed barely differs either. With mini-batches of 30 points and 10
# hidden neurons, every array holds a few hundred numbers, and most of the time goes into
# Python calling NumPy, which costs the same whatever the dtype. The bits matter when the
# arrays are big. One forward and backward pass with a batch of 1000 points and 1000 hidden
# neurons (a million numbers per hidden layer array):

# %%
def step_seconds(dtype, N=1000, H=1000, repeats=5):
    data_rng = np.random.default_rng(1)
    x_big = data_rng.standard_normal((N, 2)).astype(dtype)
    t_big = np.eye(3, dtype=dtype)[data_rng.integers(0, 3, size=N)]
    big = TwoLayerNet(2, H, 3, weight_std=1.0, rng=0, dtype=dtype)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        big.forward(x_big, t_big)
        big.backward()
        times.append(time.perf_counter() - start)
    return min(times)  # the least disturbed of the repeats


seconds64, seconds32 = step_seconds(np.float64), step_seconds(np.float32)
print(f"float64: {1000 * seconds64:.1f} ms   float32: {1000 * seconds32:.1f} ms   "
      f"float32 is {seconds64 / seconds32:.1f}x as fast")

# %% [markdown]
# On big arrays 32 bits are clearly faster (how much depends on your processor). That is why
# deep-learning frameworks default to float32, and why this course keeps float64: our arrays
# are small, and 64 bits make gradient checks like the one in Section 3 sharper.

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | training | 训练 | repeatedly changing the weights to lower the loss |
# | learning rate | 学习率 | $\eta$, the length of each step against the gradient |
# | hyperparameter | 超参数 | a setting chosen by hand, not learned: learning rate, hidden size, epochs, batch size |
# | stochastic gradient descent (SGD) | 随机梯度下降法 | $\mathbf{W} \leftarrow \mathbf{W} - \eta\,\partial L/\partial \mathbf{W}$ with gradients from random mini-batches |
# | optimizer | 优化器 | the object that updates the parameters from their gradients |
# | in place | 原地 | changing an array's own values instead of making a new array |
# | numerical gradient | 数值梯度 | a gradient estimated by nudging each weight: the check on backward |
# | spiral dataset | 螺旋状数据集 | three interleaved spiral arms in the plane, one class each |
# | epoch | epoch（轮） | one pass over all the training data |
# | shuffle | 打乱 | reorder the samples randomly, each epoch, with one permutation for x and t |
# | loss curve | 损失曲线 | the loss plotted against the epochs |
# | Trainer | Trainer 类 | the book's training object: `fit` with an evaluation interval (in iterations) keeps a loss list, `plot` draws it |
# | decision boundary | 决策边界 | where the predicted class changes in the input plane |
# | training accuracy | 识别精度（训练数据） | the fraction of training samples classified correctly |
# | bit precision | 位精度 | how many bits a number takes: float64 (双精度) or float32 (单精度) |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Each exercise cell defines something and then checks it. Replace `raise NotImplementedError`
# with your code and run the cell; the feedback says which test failed, on what input, and
# often why. The layers `Affine`, `Sigmoid` and `SoftmaxWithLoss` are the package's, imported at
# the top, each with its `forward` and `backward`.
#
# Your classes get names of their own (`MySGD`, `MyTwoLayerNet`), so that the package's `SGD`
# and `TwoLayerNet`, imported at the top, stay what they are: the earlier sections still run
# after these exercises.
#
# ### Exercise 1 · `MySGD`
#
# `MySGD(lr=0.01)` keeps the learning rate; `update(params, grads)` takes one step of gradient
# descent (section 1) on every array in `params`, **in place**, and leaves `grads` as they are.
# The check hands it lists of arrays and then looks at the arrays themselves, not only at the
# list.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 2 ran the step two ways and only one of them reached the layers. Which operator
# changes an array instead of building a new one?
# </details>
#
# <details><summary>Hint 2: the loop</summary>
#
# `for param, grad in zip(params, grads):` then `param -= self.lr * grad`.
# </details>

# %%
class MySGD:
    def __init__(self, lr=0.01):
        ### BEGIN SOLUTION
        self.lr = lr
        ### END SOLUTION

    def update(self, params, grads):
        ### BEGIN SOLUTION
        for param, grad in zip(params, grads):
            param -= self.lr * grad
        ### END SOLUTION


check("training.SGD", MySGD)

# %% [markdown]
# ### Exercise 2 · `MyTwoLayerNet` that learns
#
# `MyTwoLayerNet(input_size, hidden_size, output_size)` keeps `self.layers`, the list of an
# `Affine(W1, b1)`, a `Sigmoid()` and an `Affine(W2, b2)` (the package's layers, imported at the
# top), with small random weights (standard deviation 0.01, from `np.random.default_rng()`) and
# zero biases; a `self.loss_layer`, a `SoftmaxWithLoss()`; and `self.params` and `self.grads`,
# the layers' own arrays gathered in one list each, `[W1, b1, W2, b2]` and their gradients.
# Then:
#
# * `predict(x)`: the scores, shape $(N, C)$;
# * `forward(x, t)`: the loss, one number;
# * `backward(dout=1)`: fills every gradient (through the loss layer, then the layers in
#   reverse) and returns $\partial L/\partial \mathbf{x}$.
#
# The check sets known weights through `net.params`, compares loss and gradients with the
# expected ones, and compares your gradients with numerical gradients of your own `forward`.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Section 3: the forward values flow left to right through the layers and then the loss layer;
# the gradients flow right to left, starting at the loss layer. Chapter 1 gathered `params`
# from the layers; `grads` are gathered the same way.
# </details>
#
# <details><summary>Hint 2: the pieces</summary>
#
# `__init__`: `self.params, self.grads = [], []`, then for each layer `self.params +=
# layer.params` and `self.grads += layer.grads`. `forward`: the loss layer's `forward` of
# `self.predict(x)` and `t`. `backward`: `dout = self.loss_layer.backward(dout)`, then for each
# layer in `reversed(self.layers)`, `dout = layer.backward(dout)`; return `dout`.
# </details>

# %%
class MyTwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size):
        ### BEGIN SOLUTION
        I, H, O = input_size, hidden_size, output_size
        rng = np.random.default_rng()
        W1, b1 = 0.01 * rng.standard_normal((I, H)), np.zeros(H)
        W2, b2 = 0.01 * rng.standard_normal((H, O)), np.zeros(O)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads
        ### END SOLUTION

    def predict(self, x):
        ### BEGIN SOLUTION
        for layer in self.layers:
            x = layer.forward(x)
        return x
        ### END SOLUTION

    def forward(self, x, t):
        ### BEGIN SOLUTION
        return self.loss_layer.forward(self.predict(x), t)
        ### END SOLUTION

    def backward(self, dout=1):
        ### BEGIN SOLUTION
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout
        ### END SOLUTION


check("training.TwoLayerNet", MyTwoLayerNet)

# %% [markdown]
# ### Exercise 3 · your own training loop (the capstone)
#
# Write `train(model, optimizer, x, t, epochs, batch_size=30, seed=0)`, the training loop of
# Section 5 (the recipe there, the steps `fit` takes) as a function of your own:
#
# * one generator for the shuffling, made once from `seed` with `np.random.default_rng`;
# * every epoch: one shuffle shared by `x` and `t`, then the `len(x) // batch_size` full
#   mini-batches in order, each taking one step of training (loss, gradients, update);
# * return the history: a list with one number per epoch, the mean of its mini-batch losses.
#
# The check runs your loop five ways: on 30 samples (one mini-batch per epoch, so every number is
# exact), watched step by step on 90 samples, on 99 samples (three full mini-batches per epoch:
# the last 9 shuffled rows sit out), twice with the same seed (the same history) and
# once with another, and finally **on a fresh spiral it draws itself, with the book's settings
# (lr 1.0, hidden size 10, batch 30, 300 epochs): your run's final loss must be below 0.3**.
# It brings its own network and optimizer (the package's), so only your loop is judged.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Two loops, one inside the other: epochs outside, mini-batches inside. `rng.permutation(len(x))`
# gives one order for both `x` and `t`; a mini-batch is a slice of consecutive rows of the
# shuffled arrays.
# </details>
#
# <details><summary>Hint 2: the step</summary>
#
# For mini-batch `i`, rows `i * batch_size` to `(i + 1) * batch_size`:
# `loss = model.forward(batch_x, batch_t)`, `model.backward()`,
# `optimizer.update(model.params, model.grads)`; add the losses up and append their mean after
# each epoch.
# </details>

# %%
def train(model, optimizer, x, t, epochs, batch_size=30, seed=0):
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    N = len(x)
    iters = N // batch_size
    history = []
    for epoch in range(epochs):
        order = rng.permutation(N)
        x_epoch, t_epoch = x[order], t[order]
        total = 0.0
        for i in range(iters):
            batch_x = x_epoch[i * batch_size:(i + 1) * batch_size]
            batch_t = t_epoch[i * batch_size:(i + 1) * batch_size]
            loss = model.forward(batch_x, batch_t)
            model.backward()
            optimizer.update(model.params, model.grads)
            total += loss
        history.append(total / iters)
    return history
    ### END SOLUTION


check("training.train", train)

# %% [markdown]
# ### Exercise 4 · weight decay by hand: `DecayAffine`
#
# Large weights make boundaries sharp and fragile. **Weight decay** (权值衰减) discourages them by
# adding a penalty to the loss, $L' = L + \frac{\lambda}{2}\sum \mathbf{W}^2$ (every weight
# of the layer squared, summed; the bias is left out). Derive what the penalty adds to the
# layer's gradients, then write `DecayAffine(W, b, decay)`: an Affine layer (the same `params`,
# `grads`, `forward`, and `dx`) whose backward writes into `grads` the gradients of $L'$, with
# $\lambda$ = `decay`. The check holds them to the exact formulas, closer than a numerical
# gradient gets.
#
# <details><summary>Hint 1: a nudge</summary>
#
# The penalty depends on $\mathbf{W}$ only, not on $\mathbf{x}$ or $\mathbf{b}$: only `dW`
# changes. Differentiate $\frac{\lambda}{2} W_{ij}^2$ with respect to $W_{ij}$.
# </details>
#
# <details><summary>Hint 2: the formula</summary>
#
# `dW = x.T @ dout + decay * W`; `db` and `dx` are those of the plain Affine layer. (With SGD
# the step becomes $\mathbf{W} \leftarrow (1 - \eta\lambda)\mathbf{W} - \eta\,\partial
# L/\partial \mathbf{W}$: every step shrinks the weights a little, hence the name.)
# </details>

# %%
class DecayAffine:
    def __init__(self, W, b, decay):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.decay = decay
        self.x = None

    def forward(self, x):
        ### BEGIN SOLUTION
        W, b = self.params
        self.x = x
        return x @ W + b
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout + self.decay * W
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T
        ### END SOLUTION


check("training.DecayAffine", DecayAffine)

# %% [markdown]
# ## What's next
#
# You have built, piece by piece, everything a neural network does: inference, the loss, the
# gradients, backpropagation, and now learning. The labs put it to work on new problems. Lab 2
# adds new layers (ReLU, Tanh) with their gradient checks; Lab 3 trains a classifier on a new
# dataset, tunes its hyperparameters, and measures it on data it has never seen.
