"""Run a notebook's code cells in this process and collect the grader checks it ran."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from nnscratch import grader  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def run_checks(path: Path) -> list[grader.Result]:
    """Execute every code cell of the notebook; return the results of its checks, in order."""
    grader.history.clear()
    namespace = {"__name__": "__main__"}
    for number, source in enumerate(code_cells(path), 1):
        code = compile(source, f"{path.name} code cell {number}", "exec")
        exec(code, namespace)  # noqa: S102 - our own notebooks
    return list(grader.history)
