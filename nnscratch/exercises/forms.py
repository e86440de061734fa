"""Right definitions in the forms learners write them, for exercises whose reference calls a
helper: the softmax written out in the layer, where the reference calls
nnscratch.functions.softmax. The grader changes their lines once each to find a slip that
gives the learner's outputs (Exercise.forms, nnscratch.grader.mutations); no learner sees
them. Each is source text, run in the reference's module."""

# forward's softmax, shifted by each row's maximum, and the plain one learners write first
_SHIFTED = """\
        e = np.exp(x - np.max(x, axis=1, keepdims=True))
        self.{out} = e / np.sum(e, axis=1, keepdims=True)
"""
_PLAIN = """\
        e = np.exp(x)
        self.{out} = e / np.sum(e, axis=1, keepdims=True)
"""

_SOFTMAX_LAYER = """\
class Softmax:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
{softmax}\
        return self.out

    def backward(self, dout):
        y = self.out
        return y * (dout - np.sum(dout * y, axis=1, keepdims=True))
"""

_SOFTMAX_WITH_LOSS = """\
class SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
{softmax}\
        return cross_entropy_error(self.y, t)

    def backward(self, dout=1):
        N = self.y.shape[0]
        labels = self.t.argmax(axis=1) if self.t.shape == self.y.shape else self.t
        dx = self.y.copy()
        dx[np.arange(N), labels] -= 1
        return dx * dout / N
"""

SOFTMAX_LAYER = tuple(
    _SOFTMAX_LAYER.format(softmax=way.format(out="out")) for way in (_SHIFTED, _PLAIN)
)
SOFTMAX_WITH_LOSS = tuple(
    _SOFTMAX_WITH_LOSS.format(softmax=way.format(out="y")) for way in (_SHIFTED, _PLAIN)
)
