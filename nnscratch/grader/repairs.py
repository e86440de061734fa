"""One change to the learner's own code that makes every test pass: the strongest evidence a
hint can have. Where the outputs fit no mistake the grader knows, the learner's source (kept
by IPython for every cell) is changed once in each of the ways grader.mutations changes a
reference (an operator exchanged, an axis, a name, a loop's range, a slice, a line left out
or moved up, two indices swapped, ...), and each changed copy is run on the exercise's cases.
One that passes them all, the hidden ones too, is said as the change it makes: "one change
makes every test pass: `range(1, C)` in place of your `range(1, C - 1)` (line 4)"; where
changes to two different lines each pass, the tests cannot tell which line holds the slip,
and none is said.

Automated program repair, kept small: one change, tried in a fixed order, with no budget
for the search as a whole (a hint must not depend on how busy the machine is; a changed copy
that runs past 1 s on a case, where cases take milliseconds, counts as failing); `while`
loops are never changed (a changed condition may never end), nor a training exercise (each
try would train again).
"""

from __future__ import annotations

import ast
import copy
import inspect
import linecache
import sys
import textwrap

from nnscratch.grader.mutations import AFTER_LOOP, INTO_LOOP, ONE_CHANGE, WITHOUT, learner_changes
from nnscratch.grader.precedence import changed_in
from nnscratch.i18n import N_, Phrase

REPAIRED = N_(
    "one change makes every test pass: `{fixed}` in place of your `{yours}` (line {line})."
)
REPAIRED_WITHOUT = N_("one change makes every test pass: your code without its line `{line}`.")
REPAIRED_MOVED = N_("one change makes every test pass: your line `{later}` before `{earlier}`.")
REPAIRED_AFTER_LOOP = N_(
    "one change makes every test pass: your line `{line}` after the loop, not inside it."
)
REPAIRED_INTO_LOOP = N_(
    "one change makes every test pass: your line `{line}` inside the loop above it, as its "
    "last line (indented one step more)."
)
MOST = 300  # changed copies tried at most (each costs a run of the first failing case);
# a search cut short says nothing, since a second line that passes may lie beyond


def source_of(obj) -> tuple[str, str, dict, int] | None:
    """(source, name, namespace, first line) of a function or class the learner defined in
    a cell or a file, or None (a lambda, a builtin, a class whose text is gone)."""
    name = getattr(obj, "__name__", "")
    if not name or name == "<lambda>":
        return None
    if inspect.isclass(obj):
        methods = [f for f in vars(obj).values() if inspect.isfunction(f)]
        if not methods:
            return None
        code = methods[0].__code__
        text = "".join(linecache.getlines(code.co_filename))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return None
        classes = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and node.name == name
            and node.lineno <= code.co_firstlineno <= node.end_lineno
        ]
        if not classes:
            return None
        found = ast.get_source_segment(text, classes[0])
        if found is None:
            return None
        return textwrap.dedent(found), name, methods[0].__globals__, classes[0].lineno
    if not inspect.isfunction(obj):
        return None
    try:
        lines, first = inspect.getsourcelines(obj)
    except (OSError, TypeError):
        return None
    return textwrap.dedent("".join(lines)), name, obj.__globals__, first


def repair(obj, passes, names=()) -> Phrase | None:
    """The hint of the one line whose change makes passes(changed object) true, or None
    (no such change, or changes to two lines that both pass). passes runs every case of the
    exercise on the changed object; names are the ones the exercise's contract uses
    (contract_names), which a misspelt method or attribute is renamed to."""
    found = repaired(obj, passes, names)
    return found[0] if found else None


def contract_names(reference) -> frozenset[str]:
    """The names a reference class's contract gives its methods and attributes (`forward`,
    `params`, `__init__`), read from its source; none for a function."""
    if not inspect.isclass(reference):
        return frozenset()
    names = set()
    for cls in reference.__mro__[:-1]:  # the package's base classes hold the contract too
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        except (OSError, TypeError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                names.add(node.attr)
    return frozenset(names)


def repaired(obj, passes, names=()) -> tuple[Phrase, object] | None:
    """(hint, the changed object) of repair(obj, passes), or None. The classroom sends the
    changed object's outputs out of the sealed kernel, to be judged where the grade is."""
    written = source_of(obj)
    if written is None:
        return None
    source, name, namespace, first = written
    try:
        original = ast.parse(source)
    except SyntaxError:
        return None
    rebuilt = _built(original, name, namespace)
    if rebuilt is None or passes(rebuilt):
        return None  # the code as written passes when run again: no one change is evidence
    seen, tried, found = {ast.dump(original)}, 0, None
    for index, change in learner_changes(original, names):
        tree = copy.deepcopy(original)
        target = list(ast.walk(tree))[index]
        try:
            shown = change(target, tree)
            ast.fix_missing_locations(tree)
        except Exception:  # noqa: BLE001, S112 - a change that cannot be made is no repair
            continue
        dump = ast.dump(tree)
        if dump in seen:
            continue
        seen.add(dump)
        tried += 1
        if tried > MOST:
            return None  # a second line that also passes could not be ruled out
        changed = _built(tree, name, namespace)
        # twice: code that draws from a global generator may pass once by chance
        if changed is not None and passes(changed) and passes(_built(tree, name, namespace)):
            if _skips_lines(passes, rebuilt, changed, tree, name):
                continue  # it passes by no longer running lines that may hold the slip
            where = _changed_line(original, tree)
            if found is None:
                found = (where, _said(original, tree, shown, first), tree)
            elif where != found[0]:
                # two lines, each of which one change makes right (`/ C` for `/ N`, or
                # `C = y.shape[0]`): the tests cannot tell which is the slip, so neither is said
                return None
    if found is None or found[1] is None:
        return None
    return found[1], _built(found[2], name, namespace)  # built afresh, as each try was


def _skips_lines(passes, rebuilt, changed, tree: ast.AST, name: str) -> bool:
    """The changed copy leaves out, on the first failing case, lines of the code as written
    that ran there (other than a line the change removed): `if b.ndim == 1: return x @ W + b`
    for `if x.ndim == 1:` passes by never reaching the loop that holds the slip. A `raise`
    left unreached holds no slip: right input that raised is what a fixed condition skips."""
    kept = {node.lineno for node in ast.walk(tree) if hasattr(node, "lineno")}
    kept -= {node.lineno for node in ast.walk(tree) if isinstance(node, ast.Raise)}
    return bool((_lines_run(passes, rebuilt, name) - _lines_run(passes, changed, name)) & kept)


def _lines_run(passes, obj, name: str) -> set[int]:
    """The lines of obj's own code (built by _built) that run on the first failing case."""
    filename, lines = f"<{name}, changed once>", set()

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None  # not the learner's code: no line events from it
        if event == "line":
            lines.add(frame.f_lineno)
        return tracer

    before = sys.gettrace()  # a debugger's, if any, comes back after
    sys.settrace(tracer)
    try:
        passes(obj, first_only=True)
    finally:
        sys.settrace(before)
    return lines


def _changed_line(original: ast.AST, tree: ast.AST) -> int:
    """The first line of the source, as written out again, that the change alters."""
    before, after = ast.unparse(original).splitlines(), ast.unparse(tree).splitlines()
    for number, (a, b) in enumerate(zip(before, after)):
        if a != b:
            return number
    return min(len(before), len(after))


def _built(tree: ast.AST, name: str, namespace: dict):
    """The function or class tree defines, run in a copy of the learner's namespace."""
    scope = dict(namespace)
    try:
        exec(compile(tree, f"<{name}, changed once>", "exec"), scope)  # noqa: S102
        return scope[name]
    except Exception:  # noqa: BLE001 - code that cannot be built is no repair
        return None


def _said(original: ast.AST, tree: ast.AST, shown, first: int) -> Phrase | None:
    """The change, in the learner's terms: what to write in place of what."""
    if isinstance(shown, Phrase) and shown.template == WITHOUT:
        return Phrase(REPAIRED_WITHOUT, line=shown.params["line"])
    if isinstance(shown, Phrase) and shown.template == AFTER_LOOP:
        return Phrase(REPAIRED_AFTER_LOOP, line=shown.params["line"])
    if isinstance(shown, Phrase) and shown.template == INTO_LOOP:
        return Phrase(REPAIRED_INTO_LOOP, line=shown.params["line"])
    if isinstance(shown, Phrase) and shown.template == ONE_CHANGE:
        return Phrase(
            REPAIRED,
            fixed=shown.params["typed"],
            yours=shown.params["right"],
            line=first + _line_of(original, shown.params["right"]) - 1,
        )
    if isinstance(shown, Phrase):  # a line moved above the one before it
        return Phrase(REPAIRED_MOVED, later=shown.params["later"], earlier=shown.params["earlier"])
    found = changed_in(original, tree)
    if found is None:
        return None
    yours, fixed = found
    return Phrase(
        REPAIRED,
        fixed=ast.unparse(fixed),
        yours=ast.unparse(yours),
        line=first + getattr(yours, "lineno", 1) - 1,
    )


def _line_of(tree: ast.AST, text: str) -> int:
    """The line of the statement written as text, or of the method or attribute so named."""
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and ast.unparse(node) == text:
            return node.lineno
    for node in ast.walk(tree):
        if getattr(node, "name", None) == text or getattr(node, "attr", None) == text:
            return node.lineno
    return 1
