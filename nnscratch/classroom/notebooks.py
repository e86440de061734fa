"""Submissions on disk: find them, read them defensively, and find the exercises each one checks.

Nothing here runs the notebook: the exercises a submission checks are read from its source,
so a notebook that crashes, hangs or redefines `check` still has them counted.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from nnscratch.i18n import LANGUAGES

MAX_NOTEBOOK_BYTES = 64 * 2**20
# A learner's code cell is a few kB; parsing a cell of megabytes (ast, IPython's transformers)
# costs the grader minutes and a gigabyte before any kernel starts (measured: 2.5 MB, one line).
MAX_CELL_CHARS = 200_000

# Code that has no business in an exercise and is the usual tool for fooling a grader. Grading
# does not depend on spotting it (it is judged on what the code does); the notes only point the
# instructor at cells worth reading.
SUSPICIOUS = {
    r"sys\.modules\s{0,9}\[[^\]\n]{0,200}\]\s{0,9}=(?!=)|\bdel\s{1,9}sys\.modules"
    r"|sys\.modules\.(pop|update|setdefault|clear)": "changes sys.modules",
    r"\bgc\.get_(objects|referrers|referents)\b": "reads the garbage collector's object lists",
    r"__code__|__closure__|__globals__": "touches function internals (__code__, __globals__)",
    r"\bset(profile|trace)\b|_getframe|\bf_(back|locals|globals)\b": "uses stack frames or tracing",
    r"nnscratch\.classroom|inkernel": "refers to the classroom grader's own modules",
    r"\bctypes\b": "uses ctypes",
    r"\blinecache\b|display_pub|\bsession\.send\b|iopub": "uses Jupyter's messaging internals",
    r"/proc/|\bpsutil\b": "reads other processes (/proc)",
    r"\bthreading\b|\b_thread\b": "starts threads",
    r"object\.__setattr__": "uses object.__setattr__",
    r"\bos\.(kill|killpg|fork|forkpty|_exit|setsid|getppid)\b"
    r"|\bsignal\.(signal|setitimer|alarm)\b": "starts, stops or signals processes",
    r"importlib\.reload": "reloads modules (importlib.reload)",
}


class NotGradable(Exception):
    """The file cannot be graded at all; the message is the CSV's short reason."""


@dataclass(frozen=True)
class CheckCall:
    cell: int  # index among the notebook's code cells, from 0
    exercise_id: str
    target: str | None  # the source of the object checked, e.g. "sigmoid"


def find_submissions(paths) -> list[Path]:
    """Files as given, and everything named *.ipynb inside folders, without repeats.

    Every entry found gets its row, whatever it is: a symbolic link (dangling or not), a folder
    named like a notebook, a name that is not UTF-8. Folders are walked without following links;
    checkpoints (.ipynb_checkpoints) are skipped.
    """
    found, seen = [], set()
    for raw in paths:
        path = Path(raw)
        candidates = [path]
        if path.is_dir() and not path.name.endswith(".ipynb"):
            candidates = []
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                names = sorted(n for n in files + dirs if n.endswith(".ipynb"))
                candidates += [Path(folder) / n for n in names]
        for candidate in candidates:
            key = os.path.abspath(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def link_problem(path: Path, given: bool) -> str:
    """Why a link found in a folder is not graded ("" for anything else).

    A link is never followed: it could name a file the students may not hand in (the
    instructor's solutions, say). Links named on the command line are the instructor's own.
    """
    if given or not path.is_symlink():
        return ""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return f"not graded: a symbolic link (to {safe_text(target)}), not a notebook file"


def safe_text(text: str) -> str:
    """A file name as printable UTF-8 text: bytes that are not UTF-8 shown as \\xff."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_code_cells(path: Path) -> list[str]:
    """The source of every code cell, in order; NotGradable with a short reason otherwise."""
    return read_notebook(path)[0]


def language_of(nb: dict) -> str:
    """The language of a notebook's feedback: its metadata's {"nnscratch": {"language": ...}}
    (the Chinese edition's say "zh"), else English."""
    metadata = nb.get("metadata")
    entry = metadata.get("nnscratch") if isinstance(metadata, dict) else None
    language = entry.get("language") if isinstance(entry, dict) else None
    return language if isinstance(language, str) and language in LANGUAGES else "en"


def read_notebook(path: Path) -> tuple[list[str], str]:
    """(the source of every code cell, in order; the notebook's language); NotGradable with a
    short reason when it cannot be graded.

    Hand-written, not nbformat.read: importing nbformat costs a grading worker 3.6 s of CPU
    (its validator's format checkers, measured for issue 10, see kernel.py), and grading needs
    only the code cells' text, checked defensively, with a reason a student can act on.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NotGradable(f"cannot read the file ({exc.strerror or exc})") from None
    if not path.is_file():
        raise NotGradable("not a file")
    if size > MAX_NOTEBOOK_BYTES:
        raise NotGradable(f"file too large ({size // 2**20} MB)")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise NotGradable("not a notebook: not UTF-8 text") from None
    except OSError as exc:
        raise NotGradable(f"cannot read the file ({exc.strerror or exc})") from None
    try:
        nb = json.loads(text)
    except (ValueError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if hasattr(exc, "lineno") else ""
        raise NotGradable(f"not a notebook: invalid JSON{where}") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        if isinstance(nb, dict) and "worksheets" in nb:
            raise NotGradable("an old (nbformat 3) notebook: open it in Jupyter and save it again")
        raise NotGradable("not a notebook: no list of cells")
    if nb.get("nbformat") != 4:
        raise NotGradable(f"not a version 4 notebook (nbformat {nb.get('nbformat')!r})")
    cells = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            raise NotGradable("not a notebook: a cell is not an object")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            raise NotGradable("not a notebook: a cell's source is not text")
        if len(source) > MAX_CELL_CHARS:
            raise NotGradable(
                f"code cell {len(cells) + 1} holds {len(source) // 1000} kB of text; "
                f"a cell may hold at most {MAX_CELL_CHARS // 1000} kB"
            )
        cells.append(source)
    return cells, language_of(nb)


def _python(source: str) -> str:
    """IPython's syntax (%magics, !shell, ?help) as plain Python, for parsing only."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - parse what we can
        return source


def _check_calls(tree: ast.AST, source: str):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        if name != "check":
            continue
        args = list(node.args)
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        first = args[0] if args else keywords.get("exercise_id")
        second = args[1] if len(args) > 1 else keywords.get("obj")
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            target = ast.get_source_segment(source, second) if second is not None else None
            yield node.lineno, first.value, target


# A line that IPython reads differently from Python: %magic, !shell, help?
_IPYTHON_SYNTAX = re.compile(r"^[ \t]{0,40}[%!]|\?[ \t]*$", re.MULTILINE)
_CHECK_TEXT = re.compile(r"""\bcheck\(\s*(["'])([\w.]+)\1\s*(?:,\s*([A-Za-z_][\w.]*))?""")


def find_checks(cells: list[str]) -> list[CheckCall]:
    """Every check("id", obj) call in the code cells, read from the source, never run."""
    found = []
    for index, source in enumerate(cells):
        code = source
        try:
            try:
                tree = ast.parse(code)
            except SyntaxError:  # perhaps IPython's own syntax (slow to translate: only then)
                if not _IPYTHON_SYNTAX.search(source):
                    raise
                code = _python(source)
                tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            for match in _CHECK_TEXT.finditer(source):
                found.append(CheckCall(index, match[2], match[3]))
            continue
        for _, exercise_id, target in sorted(_check_calls(tree, code)):
            found.append(CheckCall(index, exercise_id, target))
    return found


def assignment(checked: list[str]) -> list[str]:
    """A notebook's exercises: all those of each chapter or lab it checks one of, in course order.

    The course's chapter records (nnscratch.exercises.CHAPTERS) list each one's exercises, so
    deleting a check cell does not shrink the assignment; exercises of other chapters that it
    checks are added too.
    """
    from nnscratch.exercises import CHAPTERS

    assigned = [i for chapter in CHAPTERS if set(chapter.ids) & set(checked) for i in chapter.ids]
    return assigned + [i for i in checked if i not in assigned]


def checked_ids(path: Path) -> list[str]:
    """The assignment of a notebook from the exercises it checks ([] when it cannot be read)."""
    from nnscratch.exercises import EXERCISES

    try:
        calls = find_checks(read_code_cells(Path(path)))
    except NotGradable:
        return []
    return assignment([c.exercise_id for c in calls if c.exercise_id in EXERCISES])


def suspicious(cells: list[str]) -> list[str]:
    """Short notes naming code worth an instructor's look, with the cells it is in."""
    notes = []
    for pattern, what in SUSPICIOUS.items():
        where = [str(i + 1) for i, source in enumerate(cells) if re.search(pattern, source)]
        if where:
            notes.append(f"{what} (code cell {', '.join(where[:5])})")
    return notes
