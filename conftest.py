"""Run the solved notebooks with the grader in strict mode, the student copies without it.

nbval starts each notebook's kernel when that notebook's first cell is set up, and the
kernel inherits this process's environment, so the variable is set just before that.
"""

import os
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).resolve().parent / "solutions"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if Path(str(item.fspath)).suffix == ".ipynb":
        if Path(str(item.fspath)).resolve().parent == SOLUTIONS:
            os.environ["NNSCRATCH_STRICT"] = "1"
        else:
            os.environ.pop("NNSCRATCH_STRICT", None)
