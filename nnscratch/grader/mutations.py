"""One-change slips, made from an exercise's own formulas: each operation of the reference (and
of the forms learners write, Exercise.forms) changed once, as a learner's slip changes it: its
operands swapped (`b - a`, `W @ x`), one operand left alone (a factor or a term left out), `+`
and `-` exchanged, a minus sign or a `.T` dropped or a `.T` added to a product's operand, an
`axis=` changed or dropped, a sum taken as a mean or the other way round.

Each variant is a Mistake whose hint shows the change that gives the learner's outputs: "your
results are what the code gives with `dout * self.out` in place of `dout * (1.0 - self.out) *
self.out`". The grader tries them only when no listed mistake and no bracket slip
fits, on the same evidence (core._diagnose): the learner's outputs equal the variant's on the
failing case and the other cases agree. Mutation testing turned round: there the tests must
catch every mutant; here a mutant that behaves as the learner's code describes it.
"""

from __future__ import annotations

import ast
import copy

from nnscratch.grader.precedence import changed_in, formulas
from nnscratch.i18n import N_, Phrase
from nnscratch.spec import Exercise, Mistake

ONE_CHANGE = N_("your results are what the code gives with `{typed}` in place of `{right}`.")
# Variants made per exercise at most (they are tried within a time budget too: core).
MOST = 80
_SWAPPED = (ast.Sub, ast.Div, ast.MatMult, ast.Pow)
_REDUCTIONS = {"sum": "mean", "mean": "sum"}


def _parents(tree: ast.AST) -> dict[int, tuple[ast.AST, str, int | None]]:
    """id(node) -> (its parent, the field holding it, its index in that field's list)."""
    parents = {}
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if isinstance(value, ast.AST):
                parents[id(value)] = (parent, name, None)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        parents[id(item)] = (parent, name, i)
    return parents


def _replace(tree: ast.AST, node: ast.AST, new: ast.AST) -> None:
    parent, name, index = _parents(tree)[id(node)]
    if index is None:
        setattr(parent, name, new)
    else:
        getattr(parent, name)[index] = new


def _changes(node: ast.AST):
    """Ways to change node once: (description for the ordering, function(node, tree))."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, _SWAPPED):

            def swap(n, tree):
                n.left, n.right = n.right, n.left

            yield swap
        if isinstance(node.op, (ast.Add, ast.Sub)):

            def exchange(n, tree):
                n.op = ast.Sub() if isinstance(n.op, ast.Add) else ast.Add()

            yield exchange
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            yield lambda n, tree: _replace(tree, n, n.left)
            if not isinstance(node.op, ast.Div):  # `1 / x` -> `x` is no learner's slip
                yield lambda n, tree: _replace(tree, n, n.right)
        if isinstance(node.op, ast.MatMult):
            for side in ("left", "right"):
                operand = getattr(node, side)
                if isinstance(operand, ast.Attribute) and operand.attr == "T":
                    yield lambda n, tree, side=side: setattr(n, side, getattr(n, side).value)
                elif isinstance(operand, (ast.Name, ast.Attribute, ast.Subscript)):
                    yield lambda n, tree, side=side: setattr(
                        n, side, ast.Attribute(getattr(n, side), "T", ast.Load())
                    )
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield lambda n, tree: _replace(tree, n, n.operand)
    elif isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in _REDUCTIONS:

            def reduction(n, tree):
                n.func.attr = _REDUCTIONS[n.func.attr]

            yield reduction
        for i, keyword in enumerate(node.keywords):
            if keyword.arg == "axis" and isinstance(keyword.value, (ast.Constant, ast.UnaryOp)):
                now = ast.literal_eval(keyword.value)
                for other in (0, 1, -1, None):
                    if (
                        other != now
                        and not (now == -1 and other == 1)
                        and not (now == 1 and other == -1)
                    ):
                        yield lambda n, tree, i=i, other=other: setattr(
                            n.keywords[i], "value", ast.Constant(other)
                        )
                yield lambda n, tree, i=i: n.keywords.pop(i)
            if keyword.arg == "keepdims":
                yield lambda n, tree, i=i: n.keywords.pop(i)


_MADE: dict[str, tuple[Mistake, ...]] = {}


def one_change_slips(ex: Exercise) -> tuple[Mistake, ...]:
    """The exercise's formulas changed once each, as Mistakes (none for a prediction)."""
    if ex.id not in _MADE:
        _MADE[ex.id] = _made(ex)
    return _MADE[ex.id]


def _made(ex: Exercise) -> tuple[Mistake, ...]:
    if ex.is_value:
        return ()
    namespace, sources = formulas(ex)
    slips, seen = [], set()
    for source, name in sources:
        try:
            original = ast.parse(source)
        except SyntaxError:
            continue
        seen.add(ast.dump(original))
        outputs = _in_outputs(original)
        for index, node in enumerate(ast.walk(original)):
            if id(node) not in outputs:
                continue
            for change in _changes(node):
                tree = copy.deepcopy(original)
                target = list(ast.walk(tree))[index]
                try:
                    change(target, tree)
                    ast.fix_missing_locations(tree)
                    dump = ast.dump(tree)
                    if dump in seen:
                        continue
                    seen.add(dump)
                    found = changed_in(original, tree)
                    if found is None:
                        continue
                    right, typed = found
                    scope = dict(namespace)
                    exec(compile(tree, f"<{ex.id}, one change>", "exec"), scope)  # noqa: S102
                except Exception:  # noqa: BLE001, S112 - a variant that cannot be built is no slip
                    continue
                hint = Phrase(
                    ONE_CHANGE, typed=_as_written(tree, typed), right=_as_written(original, right)
                )
                slips.append(Mistake(hint, scope[name]))
                if len(slips) >= MOST:
                    return tuple(slips)
    return tuple(slips)


def _as_written(tree: ast.AST, expression: ast.AST) -> str:
    """The expression, with what it is stored in when it is an assignment's value
    (`x[idx] = old - h`, not `old - h`)."""
    for statement in ast.walk(tree):
        if isinstance(statement, (ast.Assign, ast.AugAssign)) and statement.value is expression:
            return ast.unparse(statement)
    return ast.unparse(expression)


def _in_outputs(tree: ast.AST) -> set[int]:
    """The ids of the nodes of the expressions that are outputs: a returned value, or one
    stored in an attribute or an item (self.out, grads[0][...], x[idx]), outside __init__
    (it stores what it is given, as it is). A value kept in a local name is left alone: a
    change there would be shown as a part of the formula the learner may have right (a
    sigmoid computed again with the sign flipped gives the values of 1 - y)."""
    init = {
        id(inner)
        for definition in ast.walk(tree)
        if isinstance(definition, ast.FunctionDef) and definition.name == "__init__"
        for inner in ast.walk(definition)
    }
    outputs = set()
    for statement in ast.walk(tree):
        if id(statement) in init:
            continue
        if isinstance(statement, ast.Return) and statement.value is not None:
            value = statement.value
        elif isinstance(statement, (ast.Assign, ast.AugAssign)) and any(
            isinstance(target, (ast.Attribute, ast.Subscript))
            for target in (
                statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            )
        ):
            value = statement.value
        elif isinstance(statement, ast.Lambda):
            value = statement.body
        else:
            continue
        outputs.update(id(inner) for inner in ast.walk(value))
    return outputs
