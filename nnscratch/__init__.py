"""nnscratch: the helper package of the course "Neural networks from scratch, in Jupyter".

Importing it is cheap (NumPy only): figures and widgets load matplotlib and ipywidgets
when first used.
"""

from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.gradients import numerical_diff, numerical_gradient
from nnscratch.i18n import use_language
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnscratch.network import TwoLayerNet

# The course's one version number: pyproject.toml reads it, every notebook names it (made by
# tools/build_notebooks.py) and each release is tagged v<version>.
__version__ = "0.3.3"


def progress(reset: bool = False):
    """Your progress, per chapter: exercises passed / total and your last attempt.

    Built from the checks you have run, kept in a small file on this computer (see
    nnscratch.scoreboard); progress(reset=True) starts again from nothing.
    """
    from nnscratch.scoreboard import progress as show

    return show(reset=reset)


__all__ = [
    "sigmoid",
    "softmax",
    "cross_entropy_error",
    "numerical_diff",
    "numerical_gradient",
    "Affine",
    "Sigmoid",
    "SoftmaxWithLoss",
    "TwoLayerNet",
    "progress",
    "use_language",
]
