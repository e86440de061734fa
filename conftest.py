"""Settings for the whole test run.

Every check() notes its result for nnscratch.progress() in a file under HOME; a test run (and
each notebook kernel it starts, which inherits this environment) writes to a temporary file
instead, removed when the run ends. The grader's strict mode is off unless a test turns it on
(tests/test_notebooks.py does, for the solved notebooks' kernels).

`notebook_run` executes each notebook once for the whole run, whichever test asks first.
"""

import os
import tempfile

import pytest

_PROGRESS_DIR = tempfile.TemporaryDirectory(prefix="nnscratch-progress-")
os.environ["NNSCRATCH_PROGRESS_FILE"] = os.path.join(_PROGRESS_DIR.name, "progress.json")
os.environ.pop("NNSCRATCH_STRICT", None)


@pytest.fixture(scope="session")
def notebook_run():
    """path -> its Run (tests/notebook_runs.py): executed the first time a test asks for it."""
    from tests.notebook_runs import Runs

    return Runs()
