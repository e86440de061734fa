"""The live figures' answer times: from a control's new value to the new PNG in the image widget.

Each live figure is built as its chapter builds it, then a slider is dragged across its range
and back, one redraw per step, in this process (as the kernel would; the redraw runs
synchronously here, so each time is that of one complete redraw). The table gives the first
draw and the redraw times (median, 95th percentile) against the budgets, with the process's
CPU time beside them: on a shared machine the wall time includes waiting for a core, the CPU
time does not, so the budgets are judged on CPU time (the load average is printed with the
table). A figure that trains in slices (Chapter 7, Lab 3) answers with the first slice, and
its first picture is one too; the last columns give the time until its last picture.

    python bench/live_redraw.py            # the redraws (first draw in this warm process)
    python bench/live_redraw.py --first    # first draws, each in FRESH new processes

The first draw a learner feels is that of a new kernel: a fresh process that has imported the
notebook's modules and drawn the chapter's figures before the live one, then builds the live
figure. In the warm process above, the figures before have paid for loading much of
matplotlib, so `--first` times each live figure's first draw in FRESH new processes (CPU and
wall medians against the 300 ms budget).
"""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

REDRAW_BUDGET, FIRST_BUDGET = 0.100, 0.300  # seconds: felt as instantaneous; a cell's output
STEPS = 40  # redraws timed per figure
FRESH = 5  # fresh processes per live figure for its first draw


def widget(module: str, function: str, *args, then=None):
    """A maker of a live figure: nnscratch.widgets.<module>.<function>(*args), imported when
    first made (a fresh process imports only the module its notebook imports); then: what of
    its result is the LiveFigure."""

    def make():
        made = getattr(importlib.import_module(make.module), function)(*args)
        return then(made) if then else made

    make.module = f"nnscratch.widgets.{module}"
    return make


def live_figures():
    """(name, make, control) for every live figure of the course, made as its notebook makes
    it; control: the one moved (None: the first slider)."""
    from nnscratch import data

    probe_params = {  # the network Lab 1 gives
        "W1": np.array([[0.0, -3.5, 3.5], [4.0, -2.0, -2.0]]),
        "b1": np.array([-2.0, -2.0, -2.0]),
        "W2": np.array([[2.0, -1.0, -1.0], [-1.0, 2.0, -1.0], [-1.0, -1.0, 2.0]]),
        "b2": np.zeros(3),
    }
    # Lab 3's fitting and validation sets, as the lab makes them
    x, t = data.rings(n_per_class=200, noise=0.1, rng=2024)
    (x_train, t_train), _ = data.train_test_split(x, t, 0.25, rng=1)
    rings = data.train_test_split(x_train, t_train, 0.25, rng=2)
    training = widget("training", "training_playground", then=lambda made: made.live)
    ring_trainer = widget("labs", "ring_trainer", *rings[0], *rings[1])

    return [
        ("ch1 network_playground", widget("inference", "network_playground"), None),
        ("ch2 softmax_overflow", widget("loss", "softmax_overflow"), None),
        ("ch2 one_sample_loss", widget("loss", "one_sample_loss"), None),
        ("ch3 tangent_explorer", widget("gradients", "tangent_explorer"), None),
        ("ch4 chain_explorer", widget("chain_rule", "chain_explorer"), None),
        ("ch5 graph_stepper", widget("computation_graph", "graph_stepper"), None),
        ("ch6 sigmoid_explorer", widget("computation_graph", "sigmoid_explorer"), None),
        ("ch7 training_playground: lr", training, "lr"),
        ("ch7 training_playground: epochs", training, "epochs"),
        ("lab1 network_probe", widget("labs", "network_probe", probe_params), None),
        ("lab2 activation_explorer", widget("labs", "activation_explorer"), None),
        ("lab3 ring_trainer: hidden size", ring_trainer, "hidden_size"),
        ("lab3 ring_trainer: epochs", ring_trainer, "epochs"),
    ]


def drag(control, steps: int) -> list:
    """The values a drag of a slider passes: across its range and back (a dropdown: its options)."""
    options = getattr(control, "options", None)
    if options:
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [values[i % len(values)] for i in range(steps)]
    low, high = control.min, control.max
    there = np.linspace(low, high, steps // 2 + 1)
    path = np.concatenate([there, there[::-1][1:]])[:steps]
    return [type(control.value)(round(v / control.step) * control.step) for v in path]


def time_redraws(live, steps: int, name: str | None = None):
    """Wall and CPU seconds of each answer to a move of the control `name` (None: the first
    slider): from its new value to the first picture for it. Wall seconds until the last
    picture too: a figure that trains in slices answers with a run's first epochs and shows
    the rest as they are trained."""
    from nnscratch.widgets.ui import w

    control = (
        live.controls[name]
        if name
        else next(
            (c for c in live.controls.values() if isinstance(c, (w.FloatSlider, w.IntSlider))),
            next(iter(live.controls.values())),
        )
    )
    wall, cpu, whole = [], [], []
    for value in drag(control, steps):
        if value == control.value:
            continue
        start, start_cpu = time.perf_counter(), time.process_time()
        control.value = value  # without a worker: returns once the first picture is made
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        live.wait()  # the slices, if any
        whole.append(time.perf_counter() - start)
    return wall, cpu, whole


def p95(times) -> float:
    return float(np.percentile(times, 95))


def redraw_rows(steps: int = STEPS):
    """One row per live figure: (name, first draw, its CPU time, median, p95, CPU median, CPU
    p95, met, p95 until the last picture, first draw until its last picture)."""
    warm_up()
    rows = []
    for name, make, control in live_figures():
        start, start_cpu = time.perf_counter(), time.process_time()
        live = make()  # returns with the first picture
        first, first_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        if getattr(live, "_latest", None) is not None:
            raise AssertionError("the benchmark times synchronous redraws")
        live.wait()  # the slices of a figure that trains in slices
        first_whole = time.perf_counter() - start
        wall, cpu, whole = time_redraws(live, steps, control)
        # Judged on CPU time: on this shared machine the wall time mostly measures the queue.
        # The first draw here is one sample in a warm process, shown for reference; first draws
        # are judged by first_rows, medians over fresh processes (one sample swung from 256 to
        # 384 ms with the load).
        met = p95(cpu) <= REDRAW_BUDGET
        rows.append(
            (
                name,
                first,
                first_cpu,
                statistics.median(wall),
                p95(wall),
                statistics.median(cpu),
                p95(cpu),
                met,
                p95(whole),
                first_whole,
            )
        )
        print(f"  done: {name}", flush=True, file=__import__("sys").stderr)
    return rows


def print_redraw_table(rows) -> None:
    def ms(s):
        return f"{1000 * s:.0f} ms"

    header = (
        "live figure",
        "first draw",
        "its CPU",
        "redraw median",
        "redraw p95",
        "CPU median",
        "CPU p95",
        "target (CPU)",
        "met",
        "p95 to last picture",
        "first to last picture",
    )
    table = [header] + [
        (
            r[0],
            ms(r[1]),
            ms(r[2]),
            ms(r[3]),
            ms(r[4]),
            ms(r[5]),
            ms(r[6]),
            f"p95 <= {ms(REDRAW_BUDGET)}",
            "yes" if r[7] else "NO",
            ms(r[8]) if r[8] > r[4] * 1.05 else "same",
            ms(r[9]) if r[9] > r[1] * 1.05 else "same",
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nLive figures, {STEPS} redraws each (load average {load:.1f} on {os.cpu_count()} cores):"
    )
    for i, row in enumerate(table):
        print("| " + " | ".join(str(c).ljust(wd) for c, wd in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (wd + 2) for wd in widths) + "|")


def warm_up() -> None:
    """matplotlib loaded, its fonts and its mathtext parser ready, as after a chapter's first
    figure is shown (each chapter shows figures before its live figure; Chapter 1 this one)."""
    import matplotlib

    matplotlib.use("Agg")
    from nnscratch.figures import draw_network, to_png

    to_png(draw_network((2, 4, 3), highlight=0, title="A 2-4-3 network"))


def first_draw_here(name: str) -> dict:
    """In a fresh process: import as the notebooks do, draw an ordinary figure, then time
    building the live figure `name` (which returns with its first picture)."""
    make = {row[0]: row[1] for row in live_figures()}[name]
    importlib.import_module(make.module)  # the notebook's first cell
    warm_up()
    start, start_cpu = time.perf_counter(), time.process_time()
    make()
    return {"wall": time.perf_counter() - start, "cpu": time.process_time() - start_cpu}


def first_rows(runs: int = FRESH):
    """One row per live figure: (name, wall median, CPU median, CPU min, CPU max, met) of its
    first draw, each timed in `runs` fresh processes (a figure with two timed controls once)."""
    names = list(dict.fromkeys(row[0].split(":")[0] for row in live_figures()))
    full = {row[0].split(":")[0]: row[0] for row in live_figures()}
    rows = []
    for name in names:
        times = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, __file__, "--first-here", full[name]],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            times.append(json.loads(out.splitlines()[-1]))
        cpu = [t["cpu"] for t in times]
        wall = statistics.median(t["wall"] for t in times)
        median = statistics.median(cpu)
        rows.append((name, wall, median, min(cpu), max(cpu), median <= FIRST_BUDGET))
        print(f"  done: {name} (first draw)", flush=True, file=sys.stderr)
    return rows


def print_first_table(rows) -> None:
    def ms(s):
        return f"{1000 * s:.0f} ms"

    header = ("live figure", "first draw", "its CPU", "CPU min-max", "target (CPU)", "met")
    table = [header] + [
        (
            r[0],
            ms(r[1]),
            ms(r[2]),
            f"{ms(r[3])}-{ms(r[4])}",
            f"<= {ms(FIRST_BUDGET)}",
            "yes" if r[5] else "NO",
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nLive figures' first draws, medians of {FRESH} fresh processes each (load average "
        f"{load:.1f} on {os.cpu_count()} cores):"
    )
    for i, row in enumerate(table):
        print("| " + " | ".join(str(c).ljust(wd) for c, wd in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (wd + 2) for wd in widths) + "|")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first-here"]:
        print(json.dumps(first_draw_here(sys.argv[2])))
    elif sys.argv[1:2] == ["--first"]:
        print_first_table(first_rows())
    else:
        print_redraw_table(redraw_rows())
