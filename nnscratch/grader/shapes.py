"""What a shape error in the learner's code shows: which of the case's arrays have the shapes
that clashed. An observation, not a diagnosis: it says which arrays fit the sizes in NumPy's
message, and only when exactly one pair of them does."""

from __future__ import annotations

import re

import numpy as np

from nnscratch.i18n import N_, _

# NumPy's three ways of saying it (numpy 1.25 to 2.x).
_MATMUL = re.compile(
    r"matmul: Input operand 1 has a mismatch .*\(size (\d+) is different from (\d+)\)"
)
_DOT = re.compile(r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned")
_BROADCAST = re.compile(r"could not be broadcast together with shapes \(([\d, ]*)\) \(([\d, ]*)\)")

SAME_SHAPE_PRODUCT = N_(
    "Both factors of the matrix product have shape {shape}: `@` and `np.dot` multiply rows by "
    "columns, so they need {shape} @ ({columns}, k). For the element-wise product use `*`; for "
    "a matrix product, one factor needs `.T`"
)
PRODUCT_FITS = N_(
    "A matrix product A @ B needs A's last size to equal B's first; here they are {left} and "
    "{right}. Of this case's arrays, only {pair} have those sizes: check which arrays that line "
    "multiplies, their order, and where a `.T` is needed"
)
PRODUCT_SIZES = N_(
    "A matrix product A @ B needs A's last size to equal B's first; here they are {left} and "
    "{right}. Print the shapes of the two factors on that line (`print(A.shape, B.shape)`)"
)
BROADCAST_FITS = N_(
    "An element-wise operation (+, -, *, /) got arrays of shapes {first} and {second}, which "
    "do not line up. Of this case's arrays, only {pair} have those shapes"
)


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(s) for s in text.replace(" ", "").split(",") if s)


def _arrays(inputs) -> dict[str, np.ndarray]:
    """The case's numeric arrays of 1 or 2 dimensions by name, and the 2-D ones transposed."""
    arrays = {}
    for name, value in inputs.items():
        if isinstance(value, np.ndarray) and value.ndim in (1, 2) and value.dtype.kind in "iuf":
            if name.endswith("_before"):
                continue  # a copy the check keeps for itself
            arrays[name] = value
            if value.ndim == 2 and value.shape[0] != value.shape[1]:
                arrays[f"{name}.T"] = value.T
    return arrays


def _pairs(arrays, fits) -> list[tuple[str, str]]:
    return [
        (a, b)
        for a, first in arrays.items()
        for b, second in arrays.items()
        if a.split(".")[0] != b.split(".")[0] and fits(first.shape, second.shape)
    ]


def _named(pair) -> str:
    return _("`{first}` and `{second}`").format(first=pair[0], second=pair[1])


def shape_clash(message: str, inputs) -> str:
    """An observation about a shape error's message, or "" when it is no shape error."""
    arrays = _arrays(inputs)
    found = _DOT.search(message)
    if found:  # np.dot names both shapes
        first, second = _shape(found.group(1)), _shape(found.group(2))
        if first == second and len(first) == 2:
            return _(SAME_SHAPE_PRODUCT).format(shape=first, columns=first[1])
        left, right = first[-1], second[0]
        pairs = _pairs(arrays, lambda a, b: (a, b) == (first, second))
    elif found := _MATMUL.search(message):  # `@` names only the two sizes that differ
        right, left = int(found.group(1)), int(found.group(2))
        pairs = _pairs(arrays, lambda a, b: a[-1] == left and b[0] == right)
    elif found := _BROADCAST.search(message):
        first, second = _shape(found.group(1)), _shape(found.group(2))
        pairs = _pairs(arrays, lambda a, b: (a, b) == (first, second))
        if len(pairs) != 1:
            return ""  # the shapes are in NumPy's message already
        return _(BROADCAST_FITS).format(first=first, second=second, pair=_named(pairs[0]))
    else:
        return ""
    if len(pairs) == 1:
        return _(PRODUCT_FITS).format(left=left, right=right, pair=_named(pairs[0]))
    return _(PRODUCT_SIZES).format(left=left, right=right)


def shape_of_inputs(got, want, inputs, name: str = "") -> str:
    """When an output has the wrong shape: which of the case's arrays have the shape it has,
    e.g. " (`dout` has that shape)", and, for a gradient dv of an input v, that it has v's
    shape (a gradient always has the shape of what it is the gradient of)."""
    if (
        not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray))
        or got.shape == want.shape
    ):
        return ""
    arrays = {
        k: v
        for k, v in inputs.items()
        if isinstance(v, np.ndarray) and v.ndim >= 1 and not k.endswith("_before")
    }
    having = [k for k, v in arrays.items() if v.shape == got.shape]
    if not having:
        return ""
    names = ", ".join(f"`{k}`" for k in having)
    variable = name.split(" ")[0][1:] if name.startswith("d") else ""
    if variable in arrays and arrays[variable].shape == want.shape:
        return _(" ({names} has that shape; `{name}` has the shape of `{variable}`)").format(
            names=names, name=name.split(" ")[0], variable=variable
        )
    return _(" ({names} has that shape)").format(names=names)
