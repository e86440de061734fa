"""One-change slips, made from an exercise's own formulas: each operation of the reference (and
of the forms learners write, Exercise.forms) changed once, as a learner's slip changes it: its
operands swapped (`b - a`, `W @ x`), one operand left alone (a factor, a term or an exponent
left out), `+` and `-` exchanged, `*` and `@` exchanged, a minus sign or a `.T` dropped or a
`.T` added to a product's operand, an `axis=` changed, dropped or added (with keepdims or
without), a sum taken as a mean, a max as a min (and the other way round), a comparison turned
the other way or its bound included or left out (`x < 0`, `x >= 0` for `x > 0`), a term moved
into or out of a call (`np.log(y) + d` for `np.log(y + d)`), a function such as np.exp left
out, a slice left out or one step off, a small whole number one off; two items of a tuple or
a list swapped (`H, I = W1.shape`, `return H, I, O`, `np.column_stack([Y, X])`), or a four-item
one's two halves; a name read in place of another that plays the same part; a line left out,
or moved above the line before it; a loop's range one step off; an update in place written as
a new array.

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
import difflib

from nnscratch.grader.precedence import changed_in, formulas
from nnscratch.i18n import N_, Phrase
from nnscratch.spec import Exercise, Mistake

ONE_CHANGE = N_("your results are what the code gives with `{typed}` in place of `{right}`.")
WITHOUT = N_("your results are what the code gives without the line `{line}`.")
MOVED = N_("your results are what the code gives with the line `{later}` before `{earlier}`.")
# Variants made per exercise at most: each is run on a failing case nothing else explains.
MOST = 200
_SWAPPED = (ast.Sub, ast.Div, ast.MatMult, ast.Pow)
_REDUCTIONS = {
    "sum": "mean",
    "mean": "sum",
    "max": "min",
    "min": "max",
    "argmax": "argmin",
    "argmin": "argmax",
}


# A comparison's slips: the other direction, and the bound included or left out.
_COMPARED = {
    ast.Gt: (ast.Lt, ast.GtE),
    ast.Lt: (ast.Gt, ast.LtE),
    ast.GtE: (ast.LtE, ast.Gt),
    ast.LtE: (ast.GtE, ast.Lt),
}


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
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
            yield lambda n, tree: _replace(tree, n, n.left)
            if not isinstance(node.op, (ast.Div, ast.Pow)):  # `1 / x` -> `x`: no one's slip
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
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, (ast.Add, ast.Sub))
        and isinstance(node.left, ast.Call)
        and _applied(node.left)
    ):

        def term_inside(n, tree):  # `np.log(y) + 1e-7` for `np.log(y + 1e-7)`
            call = n.left
            call.args = [ast.BinOp(call.args[0], n.op, n.right)]
            _replace(tree, n, call)

        yield term_inside
    if (
        isinstance(node, ast.Call)
        and _applied(node)
        and isinstance(node.args[0], ast.BinOp)
        and isinstance(node.args[0].op, (ast.Add, ast.Sub))
    ):

        def term_outside(n, tree):  # the other way round: the term moved out of the call
            inner = n.args[0]
            n.args = [inner.left]
            _replace(tree, n, ast.BinOp(n, inner.op, inner.right))

        yield term_outside
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARED:
        # `x < 0` for `x > 0` (the sides of a mask swapped), `x >= 0` for `x > 0`
        for other in _COMPARED[type(node.ops[0])]:
            yield lambda n, tree, other=other: n.ops.__setitem__(0, other())
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv)):

        def division(n, tree):  # `//` for `/`: a whole number of times, the fraction cut off
            n.op = ast.FloorDiv() if isinstance(n.op, ast.Div) else ast.Div()

        yield division
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.MatMult)):

        def product(n, tree):  # `x * W` for `x @ W`, and the other way round
            n.op = ast.MatMult() if isinstance(n.op, ast.Mult) else ast.Mult()

        yield product
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Tuple)
        and len(node.slice.elts) == 2
        and not any(isinstance(e, ast.Slice) for e in node.slice.elts)
    ):  # `A[k, j]` for `A[j, k]`

        def indices_swapped(n, tree):
            n.slice.elts.reverse()

        yield indices_swapped
    if (
        isinstance(node, (ast.Tuple, ast.List))  # a list too: np.column_stack([X, Y])
        and 2 <= len(node.elts) <= 3
        and not any(isinstance(e, ast.Starred) for e in node.elts)
    ):  # `H, I = W1.shape`, `return H, I, O`, `for grad, param in ...`: two items swapped
        for i, j in ((0, 1), (1, 2), (0, 2))[: 1 if len(node.elts) == 2 else 3]:

            def items_swapped(n, tree, i=i, j=j):
                n.elts[i], n.elts[j] = n.elts[j], n.elts[i]

            yield items_swapped
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) == 4:

        def halves_swapped(n, tree):  # `x_test, t_test, x_train, t_train`: two pairs swapped
            n.elts[:] = n.elts[2:] + n.elts[:2]

        yield halves_swapped
    if isinstance(node, ast.Subscript) and _end_index(node.slice) is not None:
        for other in (0, 1, -1):  # `W2.shape[0]` for `W2.shape[1]`: the other axis, or end
            if other != _end_index(node.slice):
                yield lambda n, tree, other=other: setattr(n, "slice", _index(other))
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        yield lambda n, tree: _replace(tree, n, n.value)  # `order` for `order[n:]`
        for end in ("lower", "upper"):  # `x[i : i + b + 1]` for `x[i : i + b]`
            if getattr(node.slice, end) is not None:
                for step in (1, -1):
                    yield lambda n, tree, end=end, step=step: setattr(
                        n.slice, end, _shifted(getattr(n.slice, end), step)
                    )
    if isinstance(node, ast.Call) and _applied(node):
        yield lambda n, tree: _replace(tree, n, n.args[0])  # `x` for `np.exp(x)`
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, (int, float))
        and not isinstance(node.value, bool)
        and float(node.value).is_integer()
        and 1 < abs(node.value) < 10
    ):
        for step in (1, -1):  # `2 * y ** 2` for `3 * y ** 2`: a count or an exponent one off
            yield lambda n, tree, step=step: setattr(n, "value", type(n.value)(n.value + step))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        yield lambda n, tree: _replace(tree, n, n.operand)
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):

        def exchange_in_place(n, tree):
            right = ast.unparse(n)
            n.op = ast.Sub() if isinstance(n.op, ast.Add) else ast.Add()
            return Phrase(ONE_CHANGE, typed=ast.unparse(n), right=right)

        yield exchange_in_place
        if isinstance(node.target, ast.Name):  # `p = p - g`: a new array, the caller's unchanged

            def rebound(n, tree):
                load = ast.Name(n.target.id, ast.Load())
                new = ast.copy_location(ast.Assign([n.target], ast.BinOp(load, n.op, n.value)), n)
                _replace(tree, n, new)
                return Phrase(ONE_CHANGE, typed=ast.unparse(new), right=ast.unparse(n))

            yield rebound
    if isinstance(node, ast.Call):
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in _REDUCTIONS:

            def reduction(n, tree):
                n.func.attr = _REDUCTIONS[n.func.attr]

            yield reduction
        for i, keyword in enumerate(node.keywords):
            if keyword.arg == "axis" and isinstance(keyword.value, (ast.Constant, ast.UnaryOp)):
                now = ast.literal_eval(keyword.value)
                # -2: the axis a broadcast product `x[..., :, None] * W` sums over, whatever
                # x's rank
                for other in (0, 1, -1, -2, None):
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
        if _reduction_without(node, "axis"):  # `np.sum(dout)` for `np.sum(dout, axis=0)`
            for axis in (0, 1):
                yield lambda n, tree, axis=axis: n.keywords.append(
                    ast.keyword("axis", ast.Constant(axis))
                )
                # `x - x.max()` for a row's max: the axis and keepdims, one change together
                yield lambda n, tree, axis=axis: n.keywords.extend(
                    [
                        ast.keyword("axis", ast.Constant(axis)),
                        ast.keyword("keepdims", ast.Constant(True)),
                    ]
                )
        elif _reduction_without(node, "keepdims"):  # the axis kept: (N, 1), not (N,)
            yield lambda n, tree: n.keywords.append(ast.keyword("keepdims", ast.Constant(True)))


def _reduction_without(call: ast.Call, keyword: str) -> bool:
    """A sum, mean, max or min written without `keyword`, its array its only argument."""
    function = call.func
    if not isinstance(function, ast.Attribute) or function.attr not in (
        "sum",
        "mean",
        "max",
        "min",
    ):
        return False
    if any(k.arg == keyword for k in call.keywords) or any(k.arg is None for k in call.keywords):
        return False
    on_module = isinstance(function.value, ast.Name) and function.value.id in ("np", "numpy")
    if keyword == "keepdims" and not any(k.arg == "axis" for k in call.keywords):
        return False
    return len(call.args) == (1 if on_module else 0)


# Functions of one value whose call a slip leaves out (`1 + x` for `1 + np.exp(x)`).
_APPLIED = {"exp", "log", "sqrt", "tanh", "sigmoid", "abs", "square", "log1p", "expm1"}


def _applied(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return name in _APPLIED and len(call.args) == 1 and not call.keywords


_MADE: dict[str, tuple[Mistake, ...]] = {}


def one_change_slips(ex: Exercise) -> tuple[Mistake, ...]:
    """The exercise's formulas changed once each, as Mistakes (none for a prediction)."""
    if ex.id not in _MADE:
        _MADE[ex.id] = _made(ex)
    return _MADE[ex.id]


def local_slips(ex: Exercise) -> tuple[Mistake, ...]:
    """The lines that compute a local value on the way (`e = np.exp(x - m)`, `train =
    order[n:]`) changed once each, as Mistakes. The grader tries them only where no change
    of an output fits (core._made_slip): two lines that compute the same thing one way and
    the other are more often alike there."""
    key = ex.id + " locals"
    if key not in _MADE:
        _MADE[key] = _made(ex, local=True)
    return _MADE[key]


def _made(ex: Exercise, local: bool = False) -> tuple[Mistake, ...]:
    if ex.is_value or ex.time_limit > Exercise.time_limit:
        return ()  # a training exercise: each variant would train a network again
    namespace, sources = formulas(ex)
    slips, seen = [], set()
    for source, name in sources:
        try:
            original = ast.parse(source)
        except SyntaxError:
            continue
        seen.add(ast.dump(original))
        for index, change in _local_changes(original) if local else _all_changes(original):
            tree = copy.deepcopy(original)
            target = list(ast.walk(tree))[index]
            try:
                shown = change(target, tree)
                ast.fix_missing_locations(tree)
                dump = ast.dump(tree)
                if dump in seen:
                    continue
                seen.add(dump)
                hint = shown if isinstance(shown, Phrase) else _one_change(original, tree)
                if hint is None:
                    continue
                scope = dict(namespace)
                exec(compile(tree, f"<{ex.id}, one change>", "exec"), scope)  # noqa: S102
            except Exception:  # noqa: BLE001, S112 - a variant that cannot be built is no slip
                continue
            slips.append(Mistake(hint, scope[name]))
            if len(slips) >= MOST:
                return tuple(slips)
    return tuple(slips)


def _one_change(original: ast.AST, tree: ast.AST) -> Phrase | None:
    found = changed_in(original, tree)
    if found is None:
        return None
    right, typed = found
    return Phrase(ONE_CHANGE, typed=_as_written(tree, typed), right=_as_written(original, right))


def learner_changes(tree: ast.AST, names=()):
    """(index, change) for every change grader.repairs tries on a learner's own code: any
    operation, name, loop range or line, anywhere but in a `while` loop (a changed
    condition may never end). Where a value is used (an output) before where it is made:
    `/ N` for `/ C` rather than `C = y.shape[0]`, which would pass by giving C another
    meaning."""
    nodes = list(ast.walk(tree))
    looping = {
        id(inner)
        for loop in nodes
        if isinstance(loop, ast.While)
        for inner in ast.walk(loop)
        if inner is not loop
    }
    in_loops = {
        id(inner) for loop in nodes if isinstance(loop, ast.For) for inner in ast.walk(loop.iter)
    }
    roles, outputs = _roles(tree), _in_outputs(tree)

    def operations(index, node):
        yield from ((index, change) for change in _changes(node))
        if id(node) in in_loops:
            yield from ((index, change) for change in _bounds(node))

    open_nodes = [(i, n) for i, n in enumerate(nodes) if id(n) not in looping]
    for index, node in open_nodes:
        if id(node) in outputs:
            yield from operations(index, node)
            yield from ((index, change) for change in _renamed(node, tree, roles))
    for index, node in open_nodes:
        if id(node) not in outputs:
            yield from operations(index, node)
    for index, node in open_nodes:
        if not isinstance(node, ast.While):
            yield from ((index, change) for change in _line_changes(node, tree))
            yield from ((index, change) for change in _loop_slips(node, tree))
    for index, node in open_nodes:
        if id(node) not in outputs:
            yield from ((index, change) for change in _renamed(node, tree, roles))
    for index, node in open_nodes:
        yield from ((index, change) for change in _misspelt(node, tree, names))


def _local_changes(tree: ast.AST):
    """(index, change) for each operation in a line that assigns a local name (outside
    __init__), where no output is computed."""
    nodes = list(ast.walk(tree))
    outputs, init = _in_outputs(tree), _in_init(tree)
    inside = {
        id(inner)
        for statement in nodes
        if isinstance(statement, ast.Assign)
        and id(statement) not in init
        and all(isinstance(t, (ast.Name, ast.Tuple)) for t in statement.targets)
        for inner in ast.walk(statement.value)
    } - outputs
    for index, node in enumerate(nodes):
        if id(node) in inside:
            for change in _changes(node):
                yield index, change


def _all_changes(tree: ast.AST):
    """(index of a node in ast.walk order, a change of it) for every change tried, the most
    common slips first: an operation of an output changed, a loop's range one step off, a
    line left out or moved up, then a name in an output in place of another."""
    nodes = list(ast.walk(tree))
    outputs = _in_outputs(tree)
    for index, node in enumerate(nodes):
        if id(node) in outputs:
            for change in _changes(node):
                yield index, change
    in_loops = {
        id(inner)
        for loop in nodes
        if isinstance(loop, ast.For) and id(loop) not in _in_init(tree)
        for inner in ast.walk(loop.iter)
    }
    for index, node in enumerate(nodes):
        if id(node) in in_loops:
            for change in _bounds(node):
                yield index, change
    for index, node in enumerate(nodes):
        for change in _line_changes(node, tree):
            yield index, change
    roles = _roles(tree)
    for index, node in enumerate(nodes):
        if id(node) in outputs:
            for change in _renamed(node, tree, roles):
                yield index, change


def _bounds(node: ast.AST):
    """A loop's range one step off at either end: `range(1, n)`, `range(n - 1)`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return
    if node.func.id != "range" or node.keywords or not 1 <= len(node.args) <= 3:
        return
    if len(node.args) == 1:
        yield lambda n, tree: n.args.insert(0, ast.Constant(1))
    for i in range(min(2, len(node.args))):
        for step in (1, -1):
            yield lambda n, tree, i=i, step=step: n.args.__setitem__(i, _shifted(n.args[i], step))


def _end_index(index: ast.expr) -> int | None:
    """0, 1 or -1 when index is that whole number (a shape's first or second size, the last
    item), else None."""
    try:
        value = ast.literal_eval(index)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if type(value) is int and value in (0, 1, -1) else None


def _index(value: int) -> ast.expr:
    return ast.UnaryOp(ast.USub(), ast.Constant(1)) if value < 0 else ast.Constant(value)


def _shifted(bound: ast.expr, step: int) -> ast.expr:
    """bound + step, written as a learner would: `n - 1` for `n`, `n` for `n - 1`, `1` for `0`."""
    if isinstance(bound, ast.Constant) and isinstance(bound.value, int):
        return ast.Constant(bound.value + step)
    if isinstance(bound, ast.UnaryOp) and isinstance(bound.op, ast.USub):
        if isinstance(bound.operand, ast.Constant) and isinstance(bound.operand.value, int):
            value = -bound.operand.value + step
            return (
                ast.Constant(value) if value >= 0 else ast.UnaryOp(ast.USub(), ast.Constant(-value))
            )
    if (
        isinstance(bound, ast.BinOp)
        and isinstance(bound.op, (ast.Add, ast.Sub))
        and isinstance(bound.right, ast.Constant)
        and isinstance(bound.right.value, int)
    ):
        value = bound.right.value * (1 if isinstance(bound.op, ast.Add) else -1) + step
        if value == 0:
            return bound.left
        return ast.BinOp(
            bound.left, ast.Add() if value > 0 else ast.Sub(), ast.Constant(abs(value))
        )
    return ast.BinOp(bound, ast.Add() if step > 0 else ast.Sub(), ast.Constant(1))


def _roles(tree: ast.AST) -> dict[int, str]:
    """id(name) -> "called" (`df` in `df(x)`), "indexed" (`grads` in `grads[k]`), "index"
    (`k` in `grads[k + 1]`) or "value"."""
    roles = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            roles[id(node.func)] = "called"
        elif isinstance(node, ast.Subscript):
            if isinstance(node.value, ast.Name):
                roles[id(node.value)] = "indexed"
            # an argument of a call in the index is a value (`N` in `y[np.arange(N), t]`)
            arguments = {
                id(inner)
                for call in ast.walk(node.slice)
                if isinstance(call, ast.Call)
                for argument in [*call.args, *(k.value for k in call.keywords)]
                for inner in ast.walk(argument)
            }
            for inner in ast.walk(node.slice):
                if isinstance(inner, ast.Name) and id(inner) not in arguments:
                    roles.setdefault(id(inner), "index")
    return roles


def _renamed(node: ast.AST, tree: ast.AST, roles: dict[int, str]):
    """A name read in an output in place of another of its function that plays the same
    part (a parameter or a local: `f(x)` for `df(x)`, `x` for `out`), or an attribute of
    self in place of another (`self.x` for `self.y`). An index is left to the other changes
    (`k + 1` for `k`): a name that is neither value nor function in its place is no slip."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        function = _function_of(tree, node)
        if function is None or node.id == "self" or node.id not in _names_of(function):
            return  # a module (np), a global function, or self itself: no slip of a name
        role = roles.get(id(node), "value")
        if role == "index":
            return
        read = {
            inner.id
            for inner in ast.walk(function)
            if isinstance(inner, ast.Name) and isinstance(inner.ctx, ast.Load)
        }
        alike = {
            inner.id
            for inner in ast.walk(function)
            if isinstance(inner, ast.Name)
            and isinstance(inner.ctx, ast.Load)
            and roles.get(id(inner), "value") == role
        }
        # a name made and never read (`b1` where `b2` was typed) is one a slip left out
        alike |= _names_of(function) - read
        for other in sorted((_names_of(function) & alike) - {node.id, "self"}):
            yield lambda n, tree, other=other: setattr(n, "id", other)
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        for other in sorted(_attributes_of(tree) - {node.attr}):
            yield lambda n, tree, other=other: setattr(n, "attr", other)


def _misspelt(node: ast.AST, tree: ast.AST, names):
    """A method or an attribute of self whose name is close to one the contract uses and the
    code never defines (`forwards`, `self.param`, `__int__`), renamed to it everywhere."""
    if isinstance(node, ast.FunctionDef):
        own = node.name
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    ):
        own = node.attr
    else:
        return
    if own in names:
        return
    defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)} | _attributes_of(
        tree
    )
    for close in difflib.get_close_matches(own, sorted(set(names) - defined), n=1, cutoff=0.8):

        def renamed(n, tree, own=own, close=close):
            for inner in ast.walk(tree):
                if isinstance(inner, ast.FunctionDef) and inner.name == own:
                    inner.name = close
                elif isinstance(inner, ast.Attribute) and inner.attr == own:
                    inner.attr = close
            return Phrase(ONE_CHANGE, typed=close, right=own)

        yield renamed


def _line_changes(node: ast.AST, tree: ast.AST):
    """A line left out, or moved before the line above it, in a function other than __init__
    (which stores what it is given): a value never stored or updated, an update made too
    early. A return and a docstring stay where they are."""
    if not isinstance(node, (ast.FunctionDef, ast.For, ast.While, ast.If, ast.With)):
        return
    if isinstance(node, ast.FunctionDef) and node.name == "__init__":
        return
    body = node.body
    for i, statement in enumerate(body):
        if not _movable(statement):
            continue
        if len(body) > 1:

            def left_out(n, tree, i=i):
                line = ast.unparse(n.body[i])
                del n.body[i]
                return Phrase(WITHOUT, line=line)

            yield left_out
        if i > 0 and _movable(body[i - 1]):

            def moved(n, tree, i=i):
                earlier, later = n.body[i - 1], n.body[i]
                n.body[i - 1], n.body[i] = later, earlier
                return Phrase(MOVED, later=ast.unparse(later), earlier=ast.unparse(earlier))

            yield moved


AFTER_LOOP = "after the loop: {line}"  # a marker grader.repairs says in its own words
INTO_LOOP = "inside the loop: {line}"  # the same, for the line after a loop moved into it


def _loop_slips(node: ast.AST, tree: ast.AST):
    """Slips of a learner's `for` loop (not made from references, whose loops are right): a
    `return` inside the loop, left out or moved after it; `=` where the loop adds up, `+=`;
    the line just after the loop written one indent short (`grad[idx] = ...` after the loop
    that computes it)."""
    if not isinstance(node, ast.For):
        return
    parent, name, index = _parents(tree)[id(node)]
    siblings = getattr(parent, name)
    if index is not None and index + 1 < len(siblings) and _movable(siblings[index + 1]):

        def into_loop(n, tree):
            parent, name, index = _parents(tree)[id(n)]
            after = getattr(parent, name).pop(index + 1)
            n.body.append(after)
            return Phrase(INTO_LOOP, line=ast.unparse(after))

        yield into_loop
    for i, statement in enumerate(node.body):
        if isinstance(statement, ast.Return):
            if len(node.body) > 1:

                def left_out(n, tree, i=i):
                    line = ast.unparse(n.body[i])
                    del n.body[i]
                    return Phrase(WITHOUT, line=line)

                yield left_out
            if i == len(node.body) - 1 and len(node.body) > 1:

                def after_loop(n, tree, i=i):
                    parent, name, index = _parents(tree)[id(n)]
                    statement = n.body.pop(i)
                    getattr(parent, name).insert(index + 1, statement)
                    return Phrase(AFTER_LOOP, line=ast.unparse(statement))

                yield after_loop
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], (ast.Name, ast.Subscript))
        ):

            def adds_up(n, tree, i=i):
                old = n.body[i]
                new = ast.AugAssign(old.targets[0], ast.Add(), old.value)
                n.body[i] = ast.copy_location(new, old)
                return Phrase(ONE_CHANGE, typed=ast.unparse(new), right=ast.unparse(old))

            yield adds_up


def _movable(statement: ast.stmt) -> bool:
    """A line a slip leaves out or moves: not a return, a definition or a docstring, and
    one line long (a loop's whole body is no one line)."""
    return isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr)) and not (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    )


def _function_of(tree: ast.AST, node: ast.AST) -> ast.FunctionDef | None:
    found = None
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and any(n is node for n in ast.walk(function)):
            found = function  # walked outer first: the innermost wins
    return found


def _names_of(function: ast.FunctionDef) -> set[str]:
    """The parameters of a function and the names it assigns (loop variables included)."""
    names = {a.arg for a in function.args.args + function.args.kwonlyargs}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _attributes_of(tree: ast.AST) -> set[str]:
    """The attributes stored on self anywhere in the class."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }


def _as_written(tree: ast.AST, expression: ast.AST) -> str:
    """The expression, with what it is stored in when it is an assignment's value
    (`x[idx] = old - h`, not `old - h`), or with `return` when it is what is returned."""
    for statement in ast.walk(tree):
        if (
            isinstance(statement, (ast.Assign, ast.AugAssign, ast.Return))
            and statement.value is expression
        ):
            return ast.unparse(statement)
    return ast.unparse(expression)


def _in_outputs(tree: ast.AST) -> set[int]:
    """The ids of the nodes of the expressions that are outputs: a returned value, one stored
    in an attribute or an item (self.out, grads[0][...], x[idx]) or changed in place
    (`param -= ...`, the statement too), and a local that is returned as it is (`return
    total`: each line that assigns `total`), outside __init__ (it stores what it is given,
    as it is). Another local is left alone: a change there would be shown as a part of the
    formula the learner may have right (a sigmoid computed again with the sign flipped gives
    the values of 1 - y)."""
    init = _in_init(tree)
    returned = {
        (id(function), node.value.id)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
    }
    kept = set()  # the assignments of a returned local
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if isinstance(node, (ast.Assign, ast.AugAssign)) and any(
                    isinstance(target, ast.Name) and (id(function), target.id) in returned
                    for target in _targets(node)
                ):
                    kept.add(id(node))
    outputs = set()
    for statement in ast.walk(tree):
        if id(statement) in init:
            continue
        if isinstance(statement, ast.Return) and statement.value is not None:
            value = statement.value
        elif isinstance(statement, ast.AugAssign):
            outputs.add(id(statement))
            value = statement.value
        elif isinstance(statement, ast.Assign) and (
            id(statement) in kept
            or any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in statement.targets)
        ):
            value = statement.value
        elif isinstance(statement, ast.Lambda):
            value = statement.body
        else:
            continue
        outputs.update(id(inner) for inner in ast.walk(value))
    return outputs


def _in_init(tree: ast.AST) -> set[int]:
    return {
        id(inner)
        for definition in ast.walk(tree)
        if isinstance(definition, ast.FunctionDef) and definition.name == "__init__"
        for inner in ast.walk(definition)
    }


def _targets(statement: ast.Assign | ast.AugAssign) -> list[ast.expr]:
    return statement.targets if isinstance(statement, ast.Assign) else [statement.target]
