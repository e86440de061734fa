"""Run the solved notebooks with the grader in strict mode, the student copies without it.

nbval starts each notebook's kernel when that notebook's first cell is set up, and the
kernel inherits this process's environment, so the variable is set just before that.
"""

import os
import tempfile
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parent / "solutions"

# Every check() notes its result for nnscratch.progress() in a file under HOME; a test run (and
# each notebook kernel it starts, which inherits this environment) writes to a temporary file
# instead, removed when the run ends.
_PROGRESS_DIR = tempfile.TemporaryDirectory(prefix="nnscratch-progress-")
os.environ["NNSCRATCH_PROGRESS_FILE"] = os.path.join(_PROGRESS_DIR.name, "progress.json")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    path = Path(str(item.fspath)).resolve()
    if path.suffix == ".ipynb" and path.parent == SOLUTIONS:
        os.environ["NNSCRATCH_STRICT"] = "1"
    else:  # student notebooks and unit tests run with the grader's kind default
        os.environ.pop("NNSCRATCH_STRICT", None)
