# %% [markdown]
# # Chapter 5 · Computation graphs: how gradients flow backward
#
# Chapter 3 measured gradients numerically: nudge one weight, run the whole network twice,
# divide. It works, but a network with a million weights would need two million runs for one
# gradient. Chapter 4 gave the way out: the derivative of a composite function is the product
# of the local derivatives along the way. This chapter turns that rule into a procedure a
# computer can follow mechanically, one small operation at a time, using **computation
# graphs** (计算图). The procedure is **backpropagation** (误差反向传播法), and it costs a small
# multiple of one forward pass, however many weights there are.
#
# By the end you will be able to
#
# * draw a computation as a graph and run it forward (values) and backward (gradients),
# * state the backward rule of the Add, Mul, Branch, Repeat, Sum and MatMul nodes, and say why,
# * explain why a value used twice must **add up** its gradients (and spot `=` where `+=` is
#   needed),
# * derive the MatMul gradients $\mathbf{x}^\mathsf{T}\,\partial L/\partial\mathbf{y}$ and
#   $\partial L/\partial\mathbf{y}\,\mathbf{W}^\mathsf{T}$ from the shapes alone,
# * write every node as a class with the course's layer contract, `params`, `grads`,
#   `forward`, `backward`, with gradients written **in place**.
#
# Run the cells from top to bottom (Shift + Enter). The graded exercises are at the end.

# %%
import numpy as np

from nnscratch import nodes
from nnscratch.figures.computation_graph import ADD_MUL, USED_TWICE, draw_graph, draw_node, draw_trace
from nnscratch.figures import traces
from nnscratch.grader import check
from nnscratch.gradients import numerical_gradient
from nnscratch.widgets.computation_graph import graph_stepper

# %% [markdown]
# ## 1. A computation is a graph
#
# Take a small computation, $L = (x + y)\,w$. Break it into its operations: first an addition
# $z = x + y$, then a multiplication $L = z\,w$. Draw each operation as a **node** (节点) and
# each value as an arrow, an **edge**, from the node that makes it to the node that uses it.
# Values enter on the left and the result leaves on the right:

# %%
draw_graph(ADD_MUL, traces.add_mul_trace(2.0, 3.0, 4.0), title="L = (x + y) w, with x = 2, y = 3, w = 4")

# %% [markdown]
# Read the blue numbers, above the arrows, from left to right: $x = 2$ and $y = 3$ enter the
# $+$ node, which sends $z = 5$ on; the $\times$ node multiplies it by $w = 4$ and outputs
# $L = 20$. Running the graph this way is **forward propagation** (正向传播).
#
# In learning, the value at the far right is always the **loss** $L$, one number (a
# **scalar**, 标量). What we want is how $L$ responds to each value in the graph: the
# derivatives $\partial L/\partial x$, $\partial L/\partial y$, $\partial L/\partial w$ and also
# $\partial L/\partial z$. Those are the red numbers below the arrows, and they are computed from
# right to left: **backward propagation** (反向传播).

# %% [markdown]
# ## 2. Backward: upstream gradient × local derivative
#
# Look at one node on its own. It computes $z = f(x, y)$ and knows nothing of the rest of the
# graph. During backward, the node receives from its right the **upstream** (上游) gradient
# $\partial L/\partial z$: how much the loss changes per unit change of the node's output. The
# chain rule of Chapter 4 then gives the gradient for each input:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\,\frac{\partial z}{\partial x}
# \qquad
# \frac{\partial L}{\partial y} = \frac{\partial L}{\partial z}\,\frac{\partial z}{\partial y}$$
#
# The factor $\partial z/\partial x$ is the node's **local derivative** (局部导数): it depends
# only on the node's own operation and its own inputs. So every node needs to know just two
# things, its forward computation and its local derivatives, and the whole graph's gradients
# follow by passing numbers from node to node, right to left.
#
# Backward starts at the loss with $\partial L/\partial L = 1$. In the figure above:
#
# * the $\times$ node has $L = z\,w$, so $\partial L/\partial z = 1 \cdot w = 4$ and
#   $\partial L/\partial w = 1 \cdot z = 5$;
# * the $+$ node receives $\partial L/\partial z = 4$; for $z = x + y$ both local derivatives
#   are 1, so $\partial L/\partial x = \partial L/\partial y = 4$.
#
# Check against the formula: $L = (x + y)\,w$ gives $\partial L/\partial x = w = 4$ and
# $\partial L/\partial w = x + y = 5$. The graph got there without ever writing the whole
# formula down, and that is what makes it scale to networks.

# %% [markdown]
# ## 3. Nodes as classes
#
# In code, each kind of node is a small class. The layers of Chapter 1 had `params` and
# `forward`; a node adds what learning needs, and together they make the **layer contract**
# that every node and layer of the course keeps:
#
# * `forward(...)` computes the output, and keeps whatever backward will need;
# * `backward(dout)` takes the upstream gradient `dout` $= \partial L/\partial(\text{output})$
#   and returns the gradient for each input, upstream times local derivative;
# * `params` and `grads` are lists of the node's weight arrays and their gradients (empty for
#   a node without weights).
#
# The course's reference nodes live in `nnscratch.nodes`; you will write your own in the
# exercises. Every figure in this chapter is drawn by running these node objects, forward and
# then backward, so the numbers on the arrows are what the code computes.
#
# ## 4. The Add node: the gradient passes through
#
# For $z = x + y$, $\partial z/\partial x = \partial z/\partial y = 1$. The **Add node** (加法节点)
# therefore hands the upstream gradient to both inputs unchanged:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\cdot 1, \qquad
# \frac{\partial L}{\partial y} = \frac{\partial L}{\partial z}\cdot 1$$
#
# Below, the left panel states the rule in symbols and the right one runs `nodes.Add()` with
# $x = 2$, $y = 3$ and an upstream gradient of $1.5$ (the second input comes in from below so
# that each arrow has room for its two labels):

# %%
draw_node(nodes.Add(), (2.0, 3.0), 1.5, title="Add node")

# %% [markdown]
# ## 5. The Mul node: the inputs swap
#
# For $z = x\,y$, $\partial z/\partial x = y$ and $\partial z/\partial y = x$. So the **Mul
# node** (乘法节点) sends back the upstream gradient times the *other* input:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\cdot y, \qquad
# \frac{\partial L}{\partial y} = \frac{\partial L}{\partial z}\cdot x$$
#
# That is why a Mul node must remember its inputs during forward: backward needs them.

# %%
draw_node(nodes.Mul(), (2.0, 3.0), 1.5, title="Mul node")

# %% [markdown]
# ### Checking a node with numerical gradients
#
# Every backward rule can be checked with the numerical gradient of Chapter 3. One trick makes
# it work for any node, whatever the shape of its output: given an upstream gradient `dout`,
# the scalar
#
# $$L = \sum_{i} \text{dout}_i \, z_i$$
#
# has $\partial L/\partial z = \text{dout}$ exactly. So the numerical gradient of this $L$
# with respect to an input is precisely what the node's backward must return. Here it is for
# Mul on small arrays (the next section explains why arrays need nothing new):

# %%
rng = np.random.default_rng(seed=0)
x = rng.standard_normal((2, 3))
y = rng.standard_normal((2, 3))
dout = rng.standard_normal((2, 3))  # some upstream gradient

mul = nodes.Mul()
mul.forward(x, y)
dx, dy = mul.backward(dout)

dx_numerical = numerical_gradient(lambda v: np.sum(dout * nodes.Mul().forward(v, y)), x)
dy_numerical = numerical_gradient(lambda v: np.sum(dout * nodes.Mul().forward(x, v)), y)
print("dx matches the numerical gradient:", np.allclose(dx, dx_numerical))
print("dy matches the numerical gradient:", np.allclose(dy, dy_numerical))

# %% [markdown]
# ## 6. Tensors: element by element
#
# Nothing changes when the values on the arrows are arrays (**tensors**, 张量) instead of single
# numbers. `x + y` and `x * y` act on each element independently: element $(i, j)$ of the output
# depends only on element $(i, j)$ of each input. So the rule for scalars holds for every element
# separately, and NumPy's elementwise `*` applies it to all of them at once:
# `dx = dout * y` is the Mul rule, element by element. The same goes for any elementwise
# function, such as the sigmoid of Chapter 1 (its rule comes in Chapter 6).

# %%
draw_node(nodes.Mul(), (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.5, -1.0], [2.0, 0.0]])),
          np.array([[1.0, 1.0], [-1.0, 2.0]]), title="Mul node on 2×2 arrays: each element on its own")

# %% [markdown]
# ## 7. Branch: a value used twice adds up its gradients
#
# Often one value feeds two different places. A **Branch node** (分支节点, also called a copy
# node) makes that explicit: it sends the same $x$ down two paths, $x_1 = x$ and $x_2 = x$.
# Backward, both paths send a gradient back, and the rule is that they **add**:
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial x_1} + \frac{\partial L}{\partial x_2}$$
#
# Why add? Nudge $x$ by a small $h$. Both copies move by $h$; the loss changes by about
# $\frac{\partial L}{\partial x_1}h$ through the first path *and* by
# $\frac{\partial L}{\partial x_2}h$ through the second. The two effects add up.

# %%
draw_node(nodes.Branch(), (2.0,), (1.5, -0.5), title="Branch node")

# %% [markdown]
# Here is a whole graph where $x$ is used twice, $L = x\,y + x$, with $x = 3$, $y = 2$.
#
# **Predict, then run.** What is $\partial L/\partial x$ there? A number, e.g. `answer = 5.0`.

# %%
### BEGIN SOLUTION
answer = 3.0
### END SOLUTION
check("graph.predict_used_twice", answer)

# %%
draw_graph(USED_TWICE, traces.used_twice_trace(3.0, 2.0), title="L = x y + x: x reaches L along two paths")

# %% [markdown]
# The path through $\times$ brings back 2 (that is $y$), the direct path brings back 1, and the
# Branch node adds them: $\partial L/\partial x = 3$, which matches $L = xy + x \Rightarrow
# \partial L/\partial x = y + 1 = 3$.
#
# ### `=` where `+=` is needed: the classic bug
#
# In hand-written backward code the Branch node is usually invisible. Gradients are collected
# per variable, and a variable that is used twice receives two contributions. Writing them with
# `=` keeps only the last one:

# %%
x, y = 3.0, 2.0
branch, mul, add = nodes.Branch(), nodes.Mul(), nodes.Add()
x1, x2 = branch.forward(x)
z = mul.forward(x1, y)
L = add.forward(z, x2)

dz, dx2 = add.backward(1.0)  # backward, right to left
dx1, dy = mul.backward(dz)

grad = {}
grad["x"] = dx2  # from the direct path
grad["x"] = dx1  # from the path through Mul ... and the first contribution is gone
print("with = :", grad["x"])

grad = {"x": 0.0}
grad["x"] += dx2
grad["x"] += dx1  # each use of x adds its share
print("with +=:", grad["x"])

print("Branch node:", branch.backward(dx1, dx2))
print("numerical:  ", numerical_gradient(lambda v: float(v * y + v), np.array(3.0)).round(6))

# %% [markdown]
# Remember it this way: **within one backward pass, a value that fans out sums its gradients.**
# (Across two separate backward passes it is the opposite: each pass computes a fresh
# gradient, which replaces the previous one, as we will see with MatMul.)

# %% [markdown]
# ## 8. Repeat: N copies at once
#
# A Branch makes two copies; a **Repeat node** makes $N$. It takes a row $\mathbf{x}$ of shape
# $1 \times D$ and stacks $N$ copies of it into an $N \times D$ array. NumPy does this with
# `np.repeat(x, N, axis=0)`, where `axis=0` says "copy along the rows". By the Branch rule, the
# gradient of $\mathbf{x}$ is the sum of the $N$ copies' gradients, that is, the upstream
# gradient summed over its rows:
#
# $$\frac{\partial L}{\partial \mathbf{x}} = \sum_{n=1}^{N} \frac{\partial L}{\partial \mathbf{y}_n}
# \qquad (1 \times D)$$

# %%
D, N = 4, 3
x = rng.integers(-5, 5, size=(1, D)).astype(float)
y = np.repeat(x, N, axis=0)  # forward: N copies of the row
dy = rng.integers(-3, 4, size=(N, D)).astype(float)  # some upstream gradient
dx = np.sum(dy, axis=0, keepdims=True)  # backward: add up the copies' gradients

print("x", x.shape, "-> y", y.shape)
print("dy", dy.shape, "-> dx", dx.shape)
print("without keepdims:", np.sum(dy, axis=0).shape)

# %% [markdown]
# `keepdims=True` matters: without it `np.sum(dy, axis=0)` drops the summed axis and returns
# shape $(D,)$ instead of the $1 \times D$ row that $\mathbf{x}$ has. A gradient always has the
# shape of the value it belongs to.

# %%
draw_node(nodes.Repeat(3), (x,), dy, decimals=0, title="Repeat node, N = 3")

# %% [markdown]
# You have met a Repeat node already without seeing it. In Chapter 1, `x @ W + b` added a bias
# row $\mathbf{b}$ to all $N$ rows of `x @ W`: NumPy's **broadcasting** (广播) silently copied
# $\mathbf{b}$ $N$ times. So the gradient of the bias will be a sum over the mini-batch
# (Chapter 6).
#
# ## 9. Sum: Repeat's mirror image
#
# A **Sum node** adds the rows of an $N \times D$ array into one $1 \times D$ row:
# $\mathbf{y} = \sum_n \mathbf{x}_n$. Each row contributes to the sum with local derivative 1,
# so each row receives the upstream gradient unchanged, and backward copies
# $\partial L/\partial \mathbf{y}$ to all $N$ rows:
#
# $$\frac{\partial L}{\partial \mathbf{x}_n} = \frac{\partial L}{\partial \mathbf{y}}
# \quad\text{for every } n \qquad (N \times D)$$
#
# So the backward of Sum is a Repeat, and the backward of Repeat is a Sum: the two nodes are
# each other's backward.

# %%
draw_node(nodes.Sum(), (rng.integers(-5, 5, size=(3, D)).astype(float),), dx, decimals=0,
          title="Sum node: backward repeats")

# %%
s = nodes.Sum()
s.forward(dy)
print("Sum backward == Repeat forward:", np.array_equal(s.backward(x), np.repeat(x, N, axis=0)))
print("Repeat backward == Sum forward:", np.array_equal(nodes.Repeat(N).backward(dy), s.forward(dy)))

# %% [markdown]
# ## 10. MatMul: the gradients come from the shapes
#
# The **MatMul node** computes the matrix product $\mathbf{y} = \mathbf{x}\mathbf{W}$, with
# $\mathbf{x}$ of shape $N \times D$, $\mathbf{W}$ of shape $D \times H$ and $\mathbf{y}$ of
# shape $N \times H$. Its gradients are
#
# $$\frac{\partial L}{\partial \mathbf{x}} = \frac{\partial L}{\partial \mathbf{y}}\,\mathbf{W}^\mathsf{T}
# \qquad\qquad
# \frac{\partial L}{\partial \mathbf{W}} = \mathbf{x}^\mathsf{T}\,\frac{\partial L}{\partial \mathbf{y}}$$
#
# ### Let the shapes tell you
#
# These are easy to rebuild from shapes alone. A gradient has the shape of its value, so
# $\partial L/\partial \mathbf{x}$ must be $N \times D$. The ingredients are the upstream
# gradient $\partial L/\partial \mathbf{y}$ ($N \times H$) and the other input $\mathbf{W}$
# ($D \times H$), as with Mul. There is exactly one way to multiply them into an $N \times D$
# matrix: $(N \times H)(H \times D)$, that is $\frac{\partial L}{\partial \mathbf{y}}\,
# \mathbf{W}^\mathsf{T}$. Likewise $\partial L/\partial \mathbf{W}$ must be $D \times H$, built
# from $\mathbf{x}$ ($N \times D$) and $\partial L/\partial \mathbf{y}$ ($N \times H$): only
# $(D \times N)(N \times H)$ fits, $\mathbf{x}^\mathsf{T}\frac{\partial L}{\partial \mathbf{y}}$.
#
# ### And element by element
#
# Shapes make it easy to remember; one line of algebra makes it certain. Element $(n, h)$ of
# the output is $y_{nh} = \sum_d x_{nd} W_{dh}$, so $\partial y_{nh}/\partial x_{nd} = W_{dh}$.
# $x_{nd}$ affects every $y_{nh}$ of row $n$, and (as with Branch) those effects add up:
#
# $$\frac{\partial L}{\partial x_{nd}} = \sum_h \frac{\partial L}{\partial y_{nh}}\,W_{dh}
# = \Big(\frac{\partial L}{\partial \mathbf{y}}\,\mathbf{W}^\mathsf{T}\Big)_{nd}
# \qquad
# \frac{\partial L}{\partial W_{dh}} = \sum_n x_{nd}\,\frac{\partial L}{\partial y_{nh}}
# = \Big(\mathbf{x}^\mathsf{T}\frac{\partial L}{\partial \mathbf{y}}\Big)_{dh}$$

# %%
W = np.array([[1.0, 0.0], [2.0, -1.0], [0.0, 1.0]])  # (D, H) = (3, 2)
draw_node(nodes.MatMul(W), (np.array([[1.0, 2.0, 3.0], [0.0, 1.0, -1.0]]),),
          np.array([[1.0, 0.0], [0.5, 2.0]]), title="MatMul node: N = 2, D = 3, H = 2")

# %% [markdown]
# And the numerical check, on random arrays:

# %%
x = rng.standard_normal((4, 3))
W = rng.standard_normal((3, 2))
dout = rng.standard_normal((4, 2))

matmul = nodes.MatMul(W)
matmul.forward(x)
dx = matmul.backward(dout)
dW = matmul.grads[0]

print("dx matches:", np.allclose(dx, numerical_gradient(lambda v: np.sum(dout * (v @ W)), x)))
print("dW matches:", np.allclose(dW, numerical_gradient(lambda v: np.sum(dout * (x @ v)), W)))

# %% [markdown]
# ### A node with weights: `params`, `grads`, and writing in place
#
# $\mathbf{W}$ is not an input passed to `forward`: it is the node's own weight, a parameter
# that learning will change. Following the layer contract, `MatMul(W)` keeps it in
# `self.params = [W]` and prepares a gradient array of the same shape,
# `self.grads = [np.zeros_like(W)]`. `forward(x)` returns `x @ W`; `backward(dout)` returns
# `dx` and stores `dW` in `grads[0]`.
#
# *How* it stores `dW` matters. A model gathers the `grads` lists of all its nodes into one
# list, and an optimizer later reads that list. Those lists hold references to the very same
# arrays. So backward must write the new numbers **into** the existing array,
#
# ```python
# self.grads[0][...] = dW    # fills the existing array: every list that holds it sees dW
# ```
#
# and never rebind the name to a new array, `self.grads[0] = dW`, which leaves everyone else
# holding the old zeros. Watch both versions:

# %%
class RebindingMatMul(nodes.MatMul):
    """A MatMul with the classic bug: a new array replaces the shared one."""

    def backward(self, dout):
        self.grads[0] = np.zeros_like(self.grads[0])  # the bug: a new array replaces the shared one
        return super().backward(dout)  # the package's MatMul then writes dW into the new array


for node in (nodes.MatMul(W.copy()), RebindingMatMul(W.copy())):
    model_grads = [] + node.grads  # what a model does: gather the nodes' grads lists
    node.forward(x)
    node.backward(dout)
    print(f"{type(node).__name__:16s} the model sees dW: {np.allclose(model_grads[0], x.T @ dout)}",
          f"  same array: {model_grads[0] is node.grads[0]}")

# %% [markdown]
# And a second backward **overwrites** `grads[0]`: each backward pass computes the gradient for
# the current data, it does not add to the previous one. (Adding is only right *within* one
# pass, for a value used twice, as in section 7.) Frameworks choose the other convention:
# PyTorch *adds* each backward pass's gradients into a parameter's `.grad`, so a training loop
# must clear them before every pass with `optimizer.zero_grad()`, or the steps follow the sum
# of all past gradients. The course, like the book, overwrites, so there is nothing to clear.
#
# ## 11. Step through a whole graph
#
# Time to put nodes together. The graph below computes
#
# $$L = \textstyle\sum_n (\mathbf{x}\mathbf{W} + \mathbf{b})_n$$
#
# with a mini-batch $\mathbf{x}$ of $N = 2$ samples with $D = 2$ features, weights
# $\mathbf{W}$ ($2 \times 1$) and a bias $\mathbf{b}$ ($1 \times 1$): a tiny affine layer whose
# outputs are summed into a scalar. The bias reaches the Add node through a Repeat node, which
# is what broadcasting does behind the scenes. Press **step ▶** (or move the slider) to run one
# node at a time: first forward, filling in the blue values, then backward, filling in the red
# gradients from right to left. The highlighted node is the one that just ran.
#
# **Predict, then run.** Before you press step: what will $\partial L/\partial \mathbf{b}$ be
# (one number, since $\mathbf{b}$ is $1 \times 1$)?

# %%
### BEGIN SOLUTION
answer = 2.0
### END SOLUTION
check("graph.predict_bias_grad", answer)

# %%
x = np.array([[1.0, 2.0], [3.0, -1.0]])  # (N, D) = (2, 2)
W = np.array([[0.5], [-1.0]])  # (D, H) = (2, 1)
b = np.array([[2.0]])  # (1, H)
graph_stepper(x, W, b)

# %% [markdown]
# When the last step has run, every value has its gradient. Check them against what you know:
# $\partial L/\partial \mathbf{b} = 2$ because the bias was copied to both rows and each copy
# contributes once; $\partial L/\partial \mathbf{W} = \mathbf{x}^\mathsf{T}\,\mathbf{1}$, the
# column sums of $\mathbf{x}$; and every row of $\partial L/\partial \mathbf{x}$ is
# $\mathbf{W}^\mathsf{T}$. Here is the final state again, as a still figure:

# %%
draw_trace(traces.affine_sum_trace(x, W, b), title="L = Sum(x W + b): every gradient")

# %% [markdown]
# ## Glossary
#
# | English | 中文 | Meaning here |
# |---|---|---|
# | computation graph | 计算图 | a computation drawn as operation nodes joined by arrows carrying values |
# | node | 节点 | one operation in the graph (Add, Mul, MatMul, ...) |
# | backpropagation | 误差反向传播法 | computing all gradients in one right-to-left pass through the graph |
# | upstream gradient | 上游传来的导数 | $\partial L/\partial(\text{output})$, arriving at a node from its right |
# | local derivative | 局部导数 | the derivative of a node's output with respect to one of its inputs |
# | add node | 加法节点 | passes the upstream gradient unchanged to both inputs |
# | mul node | 乘法节点 | sends back the upstream gradient times the other input |
# | tensor | 张量 | an array of any number of dimensions |
# | branch (copy) node | 分支节点 | sends one value down two paths; adds the gradients coming back |
# | Repeat node | Repeat 节点 | stacks N copies of a row; backward sums over the copies |
# | Sum node | Sum 节点 | adds the rows; backward repeats the gradient for every row |
# | MatMul node | MatMul 节点 | matrix product $\mathbf{x}\mathbf{W}$; $\partial L/\partial\mathbf{x} = \partial L/\partial\mathbf{y}\,\mathbf{W}^\mathsf{T}$, $\partial L/\partial\mathbf{W} = \mathbf{x}^\mathsf{T}\partial L/\partial\mathbf{y}$ |
# | broadcasting | 广播 | NumPy's silent copying of an array to match a larger shape |
# | in place | 原地 | writing into an existing array (`grads[0][...] = dW`) instead of making a new one |
#
# The whole course's glossary is in [glossary.md](../chapters/glossary.md).

# %% [markdown]
# ## Exercises
#
# Write each node as a class. Replace every `raise NotImplementedError` with your code and run
# the cell; the check runs your node forward and backward and compares its gradients with the
# reference (itself checked against numerical gradients). When something is off it names the
# output (`dx`, `dW`, ...), the wrong elements and the relative error, and often the mistake.
#
# ### Exercise 1 · `Add`
#
# `forward(x, y)` returns $x + y$; `backward(dout)` returns the pair `(dx, dy)`, each shaped
# like its input. It must work for numbers and for arrays of any shape.
#
# <details><summary>Hint 1: a nudge</summary>
#
# What are the local derivatives $\partial z/\partial x$ and $\partial z/\partial y$ of
# $z = x + y$? Backward multiplies the upstream gradient by each.
# </details>
#
# <details><summary>Hint 2: the rule</summary>
#
# Both local derivatives are 1: Add passes `dout` unchanged to both inputs.
# </details>

# %%
class Add:
    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x, y):
        ### BEGIN SOLUTION
        return x + y
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return dout, dout
        ### END SOLUTION


check("graph.Add", Add)

# %% [markdown]
# ### Exercise 2 · `Mul`
#
# `forward(x, y)` returns $x\,y$ (element by element) and keeps what backward needs;
# `backward(dout)` returns `(dx, dy)`, each shaped like its input.
#
# <details><summary>Hint 1: a nudge</summary>
#
# $\partial(xy)/\partial x$ is the *other* input: so forward must keep both inputs.
# </details>
#
# <details><summary>Hint 2: the rule</summary>
#
# `dx` is `dout` times `y`, `dy` is `dout` times `x` (the inputs swap places).
# </details>

# %%
class Mul:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.y = None

    def forward(self, x, y):
        ### BEGIN SOLUTION
        self.x, self.y = x, y
        return x * y
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return dout * self.y, dout * self.x
        ### END SOLUTION


check("graph.Mul", Mul)

# %% [markdown]
# ### Exercise 3 · `Repeat`
#
# `Repeat(N)`: `forward(x)` turns a row `x` of shape (1, D) into (N, D), N copies stacked;
# `backward(dout)` turns `dout` (N, D) into `dx` (1, D).
#
# <details><summary>Hint 1: a nudge</summary>
#
# A Repeat is a Branch with $N$ paths: what does a Branch do with the gradients coming back?
# Mind the shape: `dx` is a row of shape (1, D), like `x`.
# </details>
#
# <details><summary>Hint 2: the functions</summary>
#
# Forward: `np.repeat` along `axis=0`. Backward: `np.sum` over `axis=0` with `keepdims=True`.
# </details>

# %%
class Repeat:
    def __init__(self, N):
        self.params, self.grads = [], []
        self.N = N

    def forward(self, x):
        ### BEGIN SOLUTION
        return np.repeat(x, self.N, axis=0)
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return np.sum(dout, axis=0, keepdims=True)
        ### END SOLUTION


check("graph.Repeat", Repeat)

# %% [markdown]
# ### Exercise 4 · `Sum`
#
# `Sum()`: `forward(x)` turns `x` (N, D) into the sum of its rows, shape (1, D);
# `backward(dout)` turns `dout` (1, D) into `dx` (N, D).
#
# <details><summary>Hint 1: a nudge</summary>
#
# Sum is Repeat's mirror image (section 9): each row gets the upstream gradient unchanged. But
# backward must know how many rows there were: keep $N$ during forward.
# </details>
#
# <details><summary>Hint 2: the functions</summary>
#
# Forward: remember `x.shape[0]`, then `np.sum` over `axis=0` with `keepdims=True`. Backward:
# `np.repeat` of `dout`, that many times, along `axis=0`.
# </details>

# %%
class Sum:
    def __init__(self):
        self.params, self.grads = [], []
        self.N = None

    def forward(self, x):
        ### BEGIN SOLUTION
        self.N = x.shape[0]
        return np.sum(x, axis=0, keepdims=True)
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return np.repeat(dout, self.N, axis=0)
        ### END SOLUTION


check("graph.Sum", Sum)

# %% [markdown]
# ### Exercise 5 · `MatMul`
#
# `MatMul(W)` keeps `params`, a list holding the very array `W` (D, H) it is given, and
# `grads`, a list holding one array of zeros shaped like `W`. `forward(x)` returns the product
# $\mathbf{x}\mathbf{W}$ for `x` (N, D); `backward(dout)` returns `dx` (N, D) and writes `dW`
# (D, H) **into** the array `grads[0]`, in place. The check also makes sure that `grads[0]` is
# still the same array after backward, and that a second backward replaces the first gradient.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Let the shapes tell you (section 10): `dx` must be (N, D) and is built from `dout` (N, H) and
# `W` (D, H); `dW` must be (D, H) and is built from `x` (N, D) and `dout`. Forward must keep
# `x` for that.
# </details>
#
# <details><summary>Hint 2: the formulas</summary>
#
# `dx = dout @ W.T` and `dW = x.T @ dout`, written with `self.grads[0][...] = dW` (not
# `self.grads[0] = dW`, which leaves the model holding the old array).
# </details>

# %%
class MatMul:
    def __init__(self, W):
        ### BEGIN SOLUTION
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.x = None
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        (W,) = self.params
        self.x = x
        return x @ W
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        (W,) = self.params
        self.grads[0][...] = self.x.T @ dout
        return dout @ W.T
        ### END SOLUTION


check("graph.MatMul", MatMul)

# %% [markdown]
# ### Exercise 6 · a node by hand: `Divide`
#
# A node for $z = x / y$, element by element: `forward(x, y)` returns $x / y$ and keeps what
# backward needs; `backward(dout)` returns the pair `(dx, dy)`, each shaped like its input.
# No section derived this node: find its two local derivatives yourself. The check holds them
# to the exact formula, closer than a numerical gradient gets.
#
# <details><summary>Hint 1: a nudge</summary>
#
# Write $z = x \cdot y^{-1}$. For $x$ it is a Mul with the number $1/y$; for $y$, differentiate
# $y^{-1}$ and keep the factor $x$. Which way does $z$ move when $y$ grows (for positive $x$)?
# </details>
#
# <details><summary>Hint 2: the formulas</summary>
#
# $\dfrac{\partial z}{\partial x} = \dfrac{1}{y}$ and
# $\dfrac{\partial z}{\partial y} = -\dfrac{x}{y^2}$, each times `dout`.
# </details>

# %%
class Divide:
    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.y = None

    def forward(self, x, y):
        ### BEGIN SOLUTION
        self.x, self.y = x, y
        return x / y
        ### END SOLUTION

    def backward(self, dout):
        ### BEGIN SOLUTION
        return dout / self.y, -dout * self.x / self.y**2
        ### END SOLUTION


check("graph.Divide", Divide)

# %% [markdown]
# ## What's next
#
# With these six nodes you can build the backward pass of every layer of our network. Chapter 6
# does exactly that: the Sigmoid layer from ×(−1), exp, +1 and 1/x nodes, the Affine layer from
# MatMul and a Repeat of the bias, and the Softmax-with-Loss layer, whose backward turns out to
# be simply $(\mathbf{y} - \mathbf{t})/N$. Then we check a whole network's gradients against
# the numerical ones, and hunt down some planted bugs.
