"""Each notebook executed once per test run, in a real kernel, by nbclient (Jupyter's own
notebook executor); the tests that need a notebook's outputs share that run (the
`notebook_run` fixture in conftest.py).

tests/test_notebooks.py reads what its checks said; tests/test_book.py hands the same outputs to
the book's build (book_copy(), put into myst-nb's execution cache), which would otherwise run
every notebook a second time.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

CELL_TIMEOUT = 2000  # seconds, nbval's default: a loaded CI machine is slow, not broken
MARK = "NNSCRATCH-CHECKS "

# Run after the notebook's own cells, in its kernel: what its checks said, and which Python
# ran them (the test environment's own, as nbval's --nbval-current-env made sure).
REPORT_CELL = f"""\
import json as _json, sys as _sys
from nnscratch import grader as _grader
print({MARK!r} + _json.dumps({{"python": _sys.executable, "checks": [
    {{"id": r.id, "status": r.status, "passed": r.passed, "text": str(r)}}
    for r in _grader.history]}}))
"""


@dataclass(frozen=True)
class Run:
    error: str | None  # why the notebook stopped, or None when every cell ran
    python: str | None
    checks: tuple[dict, ...]  # every check() the notebook ran, in order
    nb: nbformat.NotebookNode | None = None  # the executed notebook, outputs and all

    def results(self) -> tuple[dict, ...]:
        assert self.error is None, f"the notebook stopped:\n{self.error}"
        assert self.checks, "the notebook runs no check"
        return self.checks

    def book_copy(self) -> nbformat.NotebookNode:
        """The executed notebook as the book's build would have run it: without the report
        cell (the cache matches a notebook by its code cells and their metadata)."""
        assert self.error is None, f"the notebook stopped:\n{self.error}"
        nb = copy.deepcopy(self.nb)
        nb.cells.pop()
        return nb


def execute(path: Path) -> Run:
    """Run every cell of the notebook in a fresh kernel (solved copies in strict mode)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
    env = dict(os.environ)
    env.pop("NNSCRATCH_STRICT", None)
    if path.parent.name == "solutions":  # a failing check raises: a wrong reference fails CI
        env["NNSCRATCH_STRICT"] = "1"
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # cells keep their metadata, so the book's cache can match them
    )
    try:
        client.execute(env=env)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        return Run(str(error)[-3000:], None, (), nb)
    for output in nb.cells[-1].outputs:
        if output.get("name") == "stdout" and MARK in output.get("text", ""):
            report = json.loads(output["text"].split(MARK, 1)[1])
            return Run(None, report["python"], tuple(report["checks"]), nb)
    return Run("the report cell printed nothing", None, (), nb)


class Runs:
    """path -> its Run, executing each notebook the first time a test asks for it."""

    def __init__(self):
        self.runs: dict[Path, Run] = {}

    def __call__(self, path: Path) -> Run:
        path = Path(path).resolve()
        if path not in self.runs:
            self.runs[path] = execute(path)
        return self.runs[path]
