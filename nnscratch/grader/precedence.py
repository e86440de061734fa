"""Precedence slips, made from an exercise's own formulas: each pair of grouping brackets left
out in turn (and two pairs of one expression together), as a learner who types the formula
without them would. Each such variant is a Mistake whose hint shows the expression as typed
and as Python reads it: `f(x + h) - f(x - h) / 2 * h` is `f(x + h) - ((f(x - h) / 2) * h)`.

The grader names one only as it names any mistake: when the learner's outputs equal the
variant's on the failing case and the other cases agree (core._diagnose). A bracket slip is
the same slip in every exercise, so one rule covers them all, where a table would list each.
"""

from __future__ import annotations

import ast
import inspect
import io
import keyword
import textwrap
import tokenize
from itertools import combinations

from nnscratch.i18n import N_, Phrase
from nnscratch.spec import Exercise, Mistake

LEFT_OUT = N_(
    "your results are those of `{typed}`: without parentheses, Python reads it as `{read}` "
    "(operator precedence: `**` first, then `*`, `/` and `@`, then `+` and `-`, each from "
    "left to right). With the parentheses it needs: `{right}`."
)
POWER_TYPED = N_(
    "your results are those of `{typed}`: `*` where `**` is meant multiplies instead of raising "
    "to a power. The formula: `{right}`."
)
# Variants made per exercise at most: each is run on a failing case that no listed mistake
# explains, so their number bounds the time a hint may take.
MOST = 24
# A token before "(" that makes it a call, an index or a definition's parameters, not a group.
_NOT_GROUPING = {")", "]", "}"}


def _grouping_pairs(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The (start, end) positions of each pair of grouping brackets in source: brackets around
    part of an expression, not those of a call, a tuple or a definition."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT)
    ]
    pairs, stack = [], []
    for i, token in enumerate(tokens):
        if token.type != tokenize.OP:
            continue
        if token.string in "([{":
            before = tokens[i - 1] if i else None
            grouping = token.string == "(" and not (
                before is not None
                and (
                    (before.type == tokenize.NAME and not keyword.iskeyword(before.string))
                    or before.type in (tokenize.NUMBER, tokenize.STRING)
                    or (before.type == tokenize.OP and before.string in _NOT_GROUPING)
                )
            )
            stack.append((token, grouping, False))
        elif token.string in ")]}" and stack:
            opened, grouping, has_comma = stack.pop()
            if grouping and not has_comma:
                pairs.append((opened.start, token.start))
        elif token.string == "," and stack:
            opened, grouping, _ = stack[-1]
            stack[-1] = (opened, grouping, True)
    return pairs


def _without(source: str, positions) -> str:
    """source with the one-character tokens at positions (row from 1, column) removed."""
    lines = source.splitlines(keepends=True)
    for row, column in sorted(positions, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:column] + line[column + 1 :]
    return "".join(lines)


def _read_as(node: ast.AST) -> str:
    """node written with a bracket around every operation inside an operation."""

    def show(n, inner):
        if isinstance(n, ast.BinOp):
            text = f"{show(n.left, True)} {_OPERATORS[type(n.op)]} {show(n.right, True)}"
            return f"({text})" if inner else text
        if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.USub):
            text = f"-{show(n.operand, True)}"
            return f"({text})" if inner else text
        return ast.unparse(n)

    return show(node, False)


_OPERATORS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.MatMult: "@",
}


def _source(reference) -> tuple[str, str] | None:
    """(source, name) of a function or class written in Python, ready to exec; None for
    anything else (a lambda is given a name)."""
    try:
        text = textwrap.dedent(inspect.getsource(reference))
    except (OSError, TypeError):
        return None
    name = getattr(reference, "__name__", "")
    if name == "<lambda>":
        start = text.find("lambda")
        body = text[start:].rstrip()
        while body:  # the lambda ends where its text first parses alone
            try:
                if isinstance(ast.parse(body, mode="eval").body, ast.Lambda):
                    return f"_variant = {body}\n", "_variant"
            except SyntaxError:
                pass
            body = body[:-1].rstrip()
        return None
    return text, name


def changed_in(original: ast.AST, variant: ast.AST) -> tuple[ast.AST, ast.AST] | None:
    """The smallest expressions that hold every difference between the two trees, shown
    with their operation: `x[i:i + b + 1]` rather than the whole line around it, `f(x)`
    rather than the bare name `f`."""
    for a, b in zip(ast.walk(original), ast.walk(variant)):
        if isinstance(a, ast.expr) and not isinstance(a, ast.Lambda) and ast.dump(a) != ast.dump(b):
            return _narrowed(a, b)
    return None


def _narrowed(a: ast.expr, b: ast.expr) -> tuple[ast.expr, ast.expr]:
    """Down from (a, b) while one operand alone differs and is itself an operation."""
    while type(a) is type(b):
        pairs = []
        for (_, x), (_, y) in zip(ast.iter_fields(a), ast.iter_fields(b)):
            xs, ys = (x, y) if isinstance(x, list) else ([x], [y])
            if len(xs) != len(ys):
                return a, b
            pairs += [(u, v) for u, v in zip(xs, ys) if _dump(u) != _dump(v)]
        if len(pairs) != 1:
            return a, b
        x, y = pairs[0]
        if not (isinstance(x, ast.expr) and isinstance(y, ast.expr)) or isinstance(
            x, (ast.Name, ast.Constant, ast.Attribute, ast.Lambda, ast.Slice)
        ):
            return a, b
        a, b = x, y
    return a, b


def _dump(node) -> str:
    return ast.dump(node) if isinstance(node, ast.AST) else repr(node)


_MADE: dict[str, tuple[Mistake, ...]] = {}  # exercise id -> its slips, made once


def precedence_slips(ex: Exercise) -> tuple[Mistake, ...]:
    """The exercise's reference with brackets left out, as Mistakes (none for a prediction,
    or a reference whose source cannot be read)."""
    if ex.id not in _MADE:
        _MADE[ex.id] = _made(ex)
    return _MADE[ex.id]


def _made(ex: Exercise) -> tuple[Mistake, ...]:
    if ex.is_value:
        return ()
    namespace, sources = formulas(ex)
    slips = []
    for source, name in sources:
        slips += _power_typed(ex, source, name, namespace)
    for source, name in sources:
        slips += _left_out(ex, source, name, namespace)
    return tuple(slips[:MOST])


def _power_typed(ex: Exercise, source: str, name: str, namespace: dict) -> list[Mistake]:
    """The definition `name` in source with each `**` typed as `*` in turn (`y*2` for
    `y**2`), as Mistakes: the typo changes the operator's precedence too, so the variant is
    made from the text, as it was typed, not from the formula's tree."""
    try:
        original = ast.parse(source)
        powers = [
            t.start
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.OP and t.string == "**"
        ]
    except (SyntaxError, tokenize.TokenError):
        return []
    slips = []
    for position in powers:
        try:
            tree = ast.parse(_without(source, [position]))
        except SyntaxError:
            continue
        found = changed_in(original, tree)
        if found is None:
            continue
        right, typed = found
        scope = dict(namespace)
        try:
            exec(compile(tree, f"<{ex.id}, * for **>", "exec"), scope)  # noqa: S102
        except Exception:  # noqa: BLE001, S112 - a variant that cannot be built is no slip
            continue
        slips.append(
            Mistake(
                Phrase(POWER_TYPED, typed=ast.unparse(typed), right=ast.unparse(right)),
                scope[name],
            )
        )
    return slips


def _left_out(ex: Exercise, source: str, name: str, namespace: dict) -> list[Mistake]:
    """The definition `name` in source, with each pair of grouping brackets left out in turn
    (and each two pairs), as Mistakes."""
    try:
        original = ast.parse(source)
        pairs = _grouping_pairs(source)
    except (SyntaxError, tokenize.TokenError):
        return []
    trials = [(pair,) for pair in pairs] + list(combinations(pairs, 2))
    slips, seen = [], {ast.dump(original)}
    for chosen in trials:
        text = _without(source, [position for pair in chosen for position in pair])
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        if ast.dump(tree) in seen:
            continue  # brackets that change nothing (around a name, or a product's factor)
        seen.add(ast.dump(tree))
        found = changed_in(original, tree)
        if found is None:
            continue
        right, typed = found
        if _read_as(typed) == ast.unparse(typed):
            continue  # a method applied to less (`(a * b).T` -> `a * b.T`): no operator order
        scope = dict(namespace)
        try:
            exec(compile(tree, f"<{ex.id} without brackets>", "exec"), scope)  # noqa: S102
        except Exception:  # noqa: BLE001, S112 - a variant that cannot be built is no slip
            continue
        hint = Phrase(
            LEFT_OUT, typed=ast.unparse(typed), read=_read_as(typed), right=ast.unparse(right)
        )
        slips.append(Mistake(hint, scope[name]))
    return slips


def formulas(ex: Exercise) -> tuple[dict, list[tuple[str, str]]]:
    """The namespace the exercise's formulas run in, and each formula as (source, name of
    its definition): the reference's own source, when readable, then Exercise.forms (the
    right formulas in the forms learners write them). grader.mutations reads them too."""
    namespace = dict(getattr(ex.reference, "__globals__", None) or _module_globals(ex))
    sources = [found for found in [_source(ex.reference)] if found is not None]
    sources += [(form, ast.parse(form).body[0].name) for form in ex.forms]
    return namespace, sources


def _module_globals(ex: Exercise) -> dict:
    module = inspect.getmodule(ex.reference)
    return vars(module) if module is not None else {}
