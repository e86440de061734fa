"""`python -m nnscratch grade`: grade a class's notebooks into a CSV gradebook."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from nnscratch.progress_bar import ProgressBar

USAGE = """\
python -m nnscratch grade SUBMISSION.ipynb [...] --csv grades.csv [--feedback DIR]
                          [--jobs N] [--timeout SECONDS] [--seed N]"""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nnscratch grade",
        usage=USAGE,
        description="Grade students' notebooks: each runs in its own fresh kernel, its "
        "exercises are tested on inputs drawn for this run, and the results go to a CSV gradebook.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="SUBMISSION",
        help="notebooks, or folders searched for .ipynb files",
    )
    p.add_argument(
        "--csv",
        required=True,
        type=Path,
        metavar="FILE",
        help="the gradebook to write (details go to FILE's name + .details.json)",
    )
    p.add_argument(
        "--feedback",
        type=Path,
        metavar="DIR",
        help="write one Markdown feedback file per submission into DIR",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=_cores(),
        metavar="N",
        help="submissions graded at once (default: the number of cores, %(default)s here)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="time limit of one cell (default %(default)g)",
    )
    p.add_argument(
        "--notebook-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="time limit of all the cells of one notebook (default %(default)g)",
    )
    p.add_argument(
        "--memory",
        type=int,
        default=2048,
        metavar="MB",
        help="memory limit of each kernel, in MB of address space (default %(default)s)",
    )
    p.add_argument(
        "--max-output",
        type=float,
        default=5.0,
        metavar="MB",
        help="output one cell may print before it is stopped (default %(default)g)",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="the seed of the tests' inputs (default: a "
        "fresh random one, recorded in the details file and the feedback)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from nnscratch.classroom import gradebook, notebooks, pool
    from nnscratch.classroom.submission import Settings

    if args.jobs < 1 or args.timeout <= 0 or args.notebook_timeout <= 0:
        print("--jobs, --timeout and --notebook-timeout must be positive", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print("No such file or folder: " + ", ".join(missing), file=sys.stderr)
        return 2
    sources = pool.source_files()  # before any submission runs: the pristine package
    paths = notebooks.find_submissions(args.paths)
    if not paths:
        print("No notebooks found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31 - 1) + 1
    settings = Settings(
        seed=seed,
        cell_timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory,
        max_output_mb=args.max_output,
    )
    meta = {
        "graded_at": gradebook.now_text(),
        "seed": seed,
        "python": sys.version.split()[0],
        "settings": {
            "timeout": args.timeout,
            "notebook_timeout": args.notebook_timeout,
            "memory_mb": args.memory,
            "max_output_mb": args.max_output,
            "jobs": args.jobs,
        },
    }
    names = [gradebook.display_name(p) for p in paths]
    bar = ProgressBar(len(paths), quiet=args.quiet)
    if not args.quiet:
        workers = min(args.jobs, len(paths))
        print(
            f"Grading {len(paths)} notebook{'s' * (len(paths) != 1)} with {workers} "
            f"worker{'s' * (workers != 1)}, seed {seed}.",
            file=sys.stderr,
        )

    def on_record(index: int, record: dict) -> None:
        errors = "; ".join(record["errors"])
        passed = sum(bool(v) for v in record["passed"].values())
        bar.update(
            names[index],
            f"{passed}/{len(record['ids'])} passed" + (f" - {errors[:100]}" if errors else ""),
        )

    started = time.monotonic()
    bar.draw()
    records = pool.grade_all(
        paths, settings, args.jobs, on_record=on_record, on_tick=bar.draw, sources=sources
    )
    bar.close()
    for name, record in zip(names, records):
        record["submission"] = name
    gradebook.write_csv(args.csv, records)
    gradebook.write_details(gradebook.details_path(args.csv), records, meta)
    written = [str(args.csv), str(gradebook.details_path(args.csv))]
    if args.feedback:
        count = gradebook.write_feedback(args.feedback, records, meta)
        written.append(f"{args.feedback}/ ({count} files)")
    print(gradebook.summary(records, meta, time.monotonic() - started))
    changed = sorted(k for k, v in pool.source_files().items() if sources.get(k) != v)
    changed += sorted(set(sources) - set(pool.source_files()))
    if changed:
        print(
            "Warning: the installed nnscratch package changed while grading (by a submission, "
            "or by someone editing it: "
            + ", ".join(changed[:5])
            + "); the grades used an untouched copy, but check the installation."
        )
    print("Wrote " + ", ".join(written) + ".")
    interrupted = any(pool.INTERRUPTED in r["errors"] for r in records)
    return 130 if interrupted else 0
