"""What makes grading cheaper without making it weaker (issue 12's 3 minutes for a class of 100).

A graded kernel builds the course's figures but skips their pixels (nobody sees a graded
notebook's outputs); the in-kernel tamper check compares the same things as before, only
quicker; and each kernel's CPU time is measured, so the benchmark is comparable under load.
"""

from __future__ import annotations

import subprocess
import sys
import time
import types

import matplotlib

matplotlib.use("Agg")

from nnscratch.classroom import inkernel, limits  # noqa: E402
from nnscratch.classroom.submission import Settings, kernel_env  # noqa: E402
from nnscratch.figures import canvas, draw_network  # noqa: E402


def test_graded_kernels_are_told_to_skip_pictures():
    assert kernel_env(Settings(seed=1))[canvas.GRADING] == "1"
    assert kernel_env(Settings(seed=1, sandbox="bwrap"))[canvas.GRADING] == "1"


def test_a_graded_figure_keeps_its_text_but_not_its_picture(monkeypatch):
    fig = draw_network((2, 3, 2), title="three hidden")
    shown, metadata = canvas._figure_bundle(fig)
    assert shown["image/png"] and metadata["image/png"]["alt"] == shown["text/plain"]
    monkeypatch.setenv(canvas.GRADING, "1")
    graded, metadata = canvas._figure_bundle(fig)
    assert graded == {"text/plain": shown["text/plain"]} and metadata == {}


def test_a_graded_live_figure_still_draws_but_renders_nothing(monkeypatch):
    from nnscratch.widgets.inference import network_playground

    monkeypatch.setenv(canvas.GRADING, "1")
    live = network_playground()
    assert live.image.value == b""
    drawn = []
    live.draw = lambda draw=live.draw, **values: drawn.append(values) or draw(**values)
    live.controls["v0"].value = -live.controls["v0"].value + 0.5
    live.wait()
    assert drawn and live.image.value == b""  # the learner's values still reach the figure
    monkeypatch.delenv(canvas.GRADING)
    live.controls["v0"].value = -live.controls["v0"].value + 0.5
    live.wait()
    assert bytes(live.image.value).startswith(b"\x89PNG")


def _watch(module: types.ModuleType) -> None:
    modules = {module.__name__: module}
    inkernel._state.update(
        modules=modules,
        snapshot=inkernel._module_snapshot(modules),
        exercises={},
        exercise_snapshot={},
    )


def test_the_quicker_tamper_check_sees_every_kind_of_change():
    module = types.ModuleType("nnscratch.watched_for_test")
    exec(
        "import math\n"
        "def f(x, k=1):\n    return x + k\n"
        "def g(x):\n    return x - 1\n"
        "class C:\n    def m(self):\n        return 1\n"
        "value = [1, 2]\n"
        "constant = math.pi\n",
        module.__dict__,
    )
    module.__dict__["__name__"] = "nnscratch.watched_for_test"
    module.C.__module__ = module.__name__
    _watch(module)
    assert inkernel._changes() == []
    module.value.append(3)  # the same object, changed inside: not a replaced name
    assert inkernel._changes() == []
    module.f.__code__ = module.g.__code__
    module.f.__defaults__ = (2,)
    module.C.m = lambda self: 2
    module.value = [1, 2]
    del module.constant
    assert sorted(inkernel._changes()) == [
        "nnscratch.watched_for_test.C.m",
        "nnscratch.watched_for_test.constant",
        "nnscratch.watched_for_test.f",
        "nnscratch.watched_for_test.value",
    ]


def test_a_kernels_cpu_time_counts_its_whole_tree():
    spin = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass"
    child = (
        f"import subprocess, sys, time; subprocess.run([sys.executable, '-c', {spin!r}]); "
        f"exec({spin!r}); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", child])
    try:
        deadline = time.monotonic() + 60  # a loaded machine: the spinning takes longer
        while limits.cpu_seconds(proc.pid) < 0.8 and time.monotonic() < deadline:
            time.sleep(0.05)
        # the grandchild's 0.4 s (reaped by its parent) and the child's own 0.4 s
        assert limits.cpu_seconds(proc.pid) >= 0.8
    finally:
        proc.kill()
        proc.wait()
    assert limits.cpu_seconds(None) == 0.0
