"""matplotlib's list of fonts, made once per grading run for all its kernels.

Its own module, without jupyter_client: the main grading process starts it first thing.
"""

from __future__ import annotations

import os
import subprocess
import sys

FONT_CACHE = ".cache/matplotlib"  # below HOME: where matplotlib keeps its list of fonts
SECONDS = 120  # more than any machine needs to list its fonts


def start(folder: str) -> subprocess.Popen | None:
    """Start making matplotlib's font list, once per grading run (path() collects it).

    Each kernel has a fresh, empty HOME, and matplotlib would rebuild the list in each
    (measured: 3 to 8 s of a 2-core machine, more than Chapter 1's whole grading); a kernel
    gets a copy (or, sandboxed, a read-only mount) of this one instead. It takes a second of
    CPU: the grading workers start meanwhile.
    """
    os.makedirs(folder, exist_ok=True)
    code = (
        "import matplotlib, matplotlib.font_manager as fm, os;"
        "print(os.path.join(matplotlib.get_cachedir(), "
        "f'fontlist-v{fm.FontManager.__version__}.json'))"
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "PYTHONPATH")}
    try:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            env=dict(env, MPLCONFIGDIR=folder, MPLBACKEND="Agg"),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return None


def path(process: subprocess.Popen | None, timeout: float = SECONDS) -> str:
    """The font list's path once process has made it ("" if it could not)."""
    if process is None:
        return ""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return ""
    made = out.strip()
    return made if process.returncode == 0 and os.path.isfile(made) else ""
