"""nnscratch: the helper package of the course "Neural networks from scratch, in Jupyter".

Importing it is cheap (NumPy only): figures and widgets load matplotlib and ipywidgets
when first used.
"""

from nnscratch.functions import cross_entropy_error, sigmoid, softmax
from nnscratch.gradients import numerical_diff, numerical_gradient
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnscratch.network import TwoLayerNet

__version__ = "0.1.0"

__all__ = [
    "sigmoid", "softmax", "cross_entropy_error", "numerical_diff", "numerical_gradient",
    "Affine", "Sigmoid", "SoftmaxWithLoss", "TwoLayerNet",
]
