"""The one-value-per-row broadcast error, read from the learner's own failing line.

NumPy says "operands could not be broadcast together with shapes (4,3) (4,)" when a row's
value, kept as shape (N,), meets an (N, C) array: it lines the N values up with the columns.
Where the failing line holds exactly one reduction along the rows (`np.max(s, axis=1)`,
`e.sum(axis=1)`) written without `keepdims`, and that reduction is an operand of the line's
arithmetic, the hint names that very call and its fix. Other lines say nothing here: a
reduction inside a product (`np.sum(t * np.log(y), axis=1)`) may not be where it broke.
"""

from __future__ import annotations

import ast
import re

from nnscratch.i18n import N_, Phrase
from nnscratch.spec import ONE_PER_ROW

REDUCTIONS = {"sum", "max", "min", "mean", "amax", "amin", "nanmax", "nansum", "prod"}
LOST_AXIS = N_(
    "`{call}` has shape (N,), and NumPy lines its N values up with the columns of an (N, C) "
    "array, not its rows (the error's shapes): keep the axis, `{fixed}`, shape (N, 1)."
)


def _parsed(code: str) -> ast.AST | None:
    for text in (code, "def _():\n    " + code):  # a `return` line parses only in a function
        try:
            return ast.parse(text)
        except SyntaxError:
            continue
    return None


def _along_rows(node: ast.AST) -> bool:
    """A reduction call along axis 1 (or -1) with no keepdims."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    if node.func.attr not in REDUCTIONS:
        return False
    keywords = {k.arg: k.value for k in node.keywords}
    if "keepdims" in keywords:
        return False
    axis = keywords.get("axis")
    if axis is None:  # np.sum(e, 1) or e.sum(1)
        numpy_call = isinstance(node.func.value, ast.Name) and node.func.value.id in ("np", "numpy")
        position = 1 if numpy_call else 0
        axis = node.args[position] if len(node.args) > position else None
    try:
        return axis is not None and ast.literal_eval(axis) in (1, -1)
    except ValueError:
        return False


def lost_axis_hint(error) -> Phrase | None:
    """The hint for error (a StudentError) when its line shows the reduction that lost its
    axis, or None."""
    if error.kind != "exception" or not error.code:
        return None
    if not re.search(ONE_PER_ROW, f"{error.type}: {error.message}"):
        return None
    tree = _parsed(error.code)
    if tree is None:
        return None
    found = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.BinOp):
            continue
        for operand in (node.left, node.right):
            inner = [n for n in ast.walk(operand) if isinstance(n, ast.BinOp)]
            if _along_rows(operand) and not inner:
                found[ast.unparse(operand)] = operand
    if len(found) != 1:
        return None
    ((call, node),) = found.items()
    node.keywords.append(ast.keyword(arg="keepdims", value=ast.Constant(True)))
    return Phrase(LOST_AXIS, call=call, fixed=ast.unparse(node))
