"""Benchmark of `python -m nnscratch grade`: one submission, and a class of 100 on 2 jobs.

    python bench/grade_bench.py                 # both measurements, on Chapter 1
    python bench/grade_bench.py --class-size 20 --jobs 2 --notebook 02_loss.ipynb
    python bench/grade_bench.py --stock-nbclient 30   # also look for the reply-stall trap
    python bench/grade_bench.py --sandbox none        # without bubblewrap, to compare
    python bench/grade_bench.py --imports 5           # what nbclient, nbformat would cost a worker

Targets (issue 7): one submission <= 5 s; 100 submissions <= 3 min with 2 jobs on 2 cores.
The class is a realistic mix made from the course's own notebooks: solved copies, untouched
student copies, and solved copies with one typical mistake. Figures are wall-clock times of
the whole command (worker start-up included), so they are what an instructor waits.
On a shared machine compare CPU seconds per submission instead (the kernel's whole process
tree, read when it stops, and its grading worker): they hardly change with the load.

--stock-nbclient N runs the notebook N times with nbclient's own NotebookClient and counts
cells whose reply was read more than 0.5 s after the kernel sent it (the stall seen with
nbclient 0.11 / jupyter_client 8.10 / pyzmq 27); the grader's own runner reports the same
count for every request it makes ("slow replies" below).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_class(folder: Path, notebook: str, size: int) -> list[Path]:
    solved = json.loads((ROOT / "solutions" / notebook).read_text(encoding="utf-8"))
    student_path = next(
        p for p in (ROOT / "chapters" / notebook, ROOT / "labs" / notebook) if p.exists()
    )
    student = json.loads(student_path.read_text(encoding="utf-8"))
    wrong = json.loads(json.dumps(solved))
    for cell in wrong["cells"]:  # one typical slip in the first exercise: a sign error
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and "check(" in text:
            cell["source"] = text.replace(" + ", " - ", 1)
            break
    kinds = [solved, solved, wrong, student]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(size):
        path = folder / f"student_{number:03d}.ipynb"
        path.write_text(json.dumps(kinds[number % len(kinds)]), encoding="utf-8")
        paths.append(path)
    return paths


def grade(paths: list[Path], jobs: int, out: Path, sandbox: str = "auto") -> dict:
    command = [
        sys.executable,
        "-m",
        "nnscratch",
        "grade",
        *map(str, paths),
        "--csv",
        str(out / "grades.csv"),
        "--jobs",
        str(jobs),
        "--sandbox",
        sandbox,
        "--quiet",
    ]
    started, cpu_before = time.monotonic(), _children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, cwd=out, check=False)
    wall = time.monotonic() - started
    command_cpu = _children_cpu() - cpu_before
    if done.returncode != 0:
        raise SystemExit(f"grading failed:\n{done.stdout}\n{done.stderr}")
    details = json.loads((out / "grades.details.json").read_text(encoding="utf-8"))
    records = details["submissions"]
    seconds = [r["seconds"] for r in records]
    kernel_cpu = [r.get("cpu_kernel", 0.0) for r in records]
    worker_cpu = [r.get("cpu_worker", 0.0) for r in records]
    return {
        "sandbox": details.get("sandbox", ""),
        "limits": details.get("limits", ""),
        "submissions": len(records),
        "jobs": jobs,
        "wall_s": round(wall, 2),
        "per_submission_mean_s": round(statistics.mean(seconds), 2),
        "per_submission_max_s": round(max(seconds), 2),
        "cpu_kernel_mean_s": round(statistics.mean(kernel_cpu), 3),
        "cpu_kernel_max_s": round(max(kernel_cpu), 3),
        "cpu_worker_mean_s": round(statistics.mean(worker_cpu), 3),
        # everything the command's processes used (main process, workers' start-up, and the
        # kernels their parents reaped), per submission
        "cpu_command_per_submission_s": round(command_cpu / len(records), 3),
        "errors": sum(bool(r["errors"]) for r in records),
        "requests": sum(r["requests"] for r in records),
        "slow_replies": sum(r["slow_replies"] for r in records),
        "max_reply_lag_s": max(r["max_lag"] for r in records),
    }


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_line(figures: dict) -> str:
    return (
        f"CPU per submission: kernel tree {figures['cpu_kernel_mean_s']} s on average "
        f"({figures['cpu_kernel_max_s']} s at most), worker {figures['cpu_worker_mean_s']} s; "
        f"whole command {figures['cpu_command_per_submission_s']} s"
    )


IMPORTS = {
    "jupyter_client (what a worker imports now)": "import jupyter_client.manager",
    "nbclient": "import nbclient",
    "nbformat reader": "import nbformat",
    "nbformat reader + validator": "import nbformat; nbformat.validator.get_validator()",
}


def import_costs(runs: int) -> dict:
    """Median seconds of a fresh interpreter importing each, minus a bare interpreter's start."""

    def median(code: str) -> float:
        times = []
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.monotonic() - started)
        return statistics.median(times)

    bare = median("pass")
    return {name: round(median(code) - bare, 3) for name, code in IMPORTS.items()}


def stock_nbclient(notebook: str, runs: int) -> dict:
    """Cells whose reply nbclient read > 0.5 s after the kernel sent it."""
    import nbformat
    from nbclient import NotebookClient

    nb0 = nbformat.read(ROOT / "solutions" / notebook, as_version=4)
    cells = stalls = 0
    worst = 0.0
    for _ in range(runs):
        nb = nbformat.from_dict(json.loads(json.dumps(nb0)))

        def executed(cell, cell_index, execute_reply, **_):
            nonlocal cells, stalls, worst
            sent = execute_reply["header"]["date"]
            if isinstance(sent, str):
                sent = datetime.datetime.fromisoformat(sent.replace("Z", "+00:00"))
            lag = (datetime.datetime.now(datetime.UTC) - sent).total_seconds()
            cells += 1
            stalls += lag > 0.5
            worst = max(worst, lag)

        client = NotebookClient(nb, timeout=60, kernel_name="python3", on_cell_executed=executed)
        client.execute(cwd=tempfile.gettempdir(), stderr=subprocess.DEVNULL)
    return {
        "runs": runs,
        "cells": cells,
        "stalled_cells": stalls,
        "max_reply_lag_s": round(worst, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default="01_inference.ipynb", help="a notebook of solutions/")
    parser.add_argument("--class-size", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--stock-nbclient", type=int, default=0, metavar="RUNS")
    parser.add_argument("--sandbox", default="auto", choices=("auto", "bwrap", "none"))
    parser.add_argument("--imports", type=int, default=0, metavar="RUNS")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    figures = {"notebook": args.notebook, "cores": os.cpu_count(), "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        tmp = Path(tmp)
        one = make_class(tmp / "one", args.notebook, 1)
        (tmp / "out1").mkdir()
        figures["one_submission"] = grade(one, 1, tmp / "out1", args.sandbox)
        print(figures["one_submission"]["sandbox"], figures["one_submission"]["limits"])
        print(
            f"one submission: {figures['one_submission']['wall_s']} s for the whole command "
            f"({figures['one_submission']['per_submission_mean_s']} s in its kernel)",
            flush=True,
        )
        print(cpu_line(figures["one_submission"]), flush=True)
        many = make_class(tmp / "class", args.notebook, args.class_size)
        (tmp / "out").mkdir()
        figures["class"] = grade(many, args.jobs, tmp / "out", args.sandbox)
        c = figures["class"]
        print(
            f"{c['submissions']} submissions, {c['jobs']} jobs: {c['wall_s']} s "
            f"({c['wall_s'] / c['submissions']:.2f} s each; in its kernel, a submission takes "
            f"{c['per_submission_mean_s']} s on average, {c['per_submission_max_s']} s at most); "
            f"{c['errors']} with errors",
            flush=True,
        )
        print(cpu_line(c), flush=True)
        print(
            f"kernel requests: {c['requests']}, replies read > 0.5 s late: {c['slow_replies']}, "
            f"largest lag {c['max_reply_lag_s']} s",
            flush=True,
        )
    if args.stock_nbclient:
        figures["stock_nbclient"] = s = stock_nbclient(args.notebook, args.stock_nbclient)
        print(
            f"stock nbclient, {s['runs']} runs: {s['stalled_cells']} of {s['cells']} cells read "
            f"> 0.5 s late (largest lag {s['max_reply_lag_s']} s)"
        )
    if args.imports:
        figures["imports"] = costs = import_costs(args.imports)
        for name, seconds in costs.items():
            print(f"import cost, {name}: {seconds:.2f} s")
    figures["load_after"] = os.getloadavg()
    print(
        f"load average before {figures['load_before'][0]:.1f}, "
        f"after {figures['load_after'][0]:.1f} ({figures['cores']} cores)"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
