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
                          [--jobs N] [--timeout SECONDS] [--seed N] [--sandbox KIND] [--resume]"""


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
        help="memory limit of each kernel with every process it starts (where a cgroup can be "
        "made; otherwise of each process's address space), in MB (default %(default)s)",
    )
    p.add_argument(
        "--max-output",
        type=float,
        default=5.0,
        metavar="MB",
        help="output of any type one cell may print or display before it is stopped "
        "(default %(default)g)",
    )
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="the seed of the tests' inputs (default: a "
        "fresh random one, recorded in the details file, never in the feedback)",
    )
    p.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "none"),
        default="auto",
        help="seal each kernel off with bubblewrap (bwrap), or not (none); auto, the default, "
        "uses bubblewrap where it works and says so when it does not",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep the submissions an interrupted run of the same --csv finished, grade the rest",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def usage_problem(args) -> str:
    if args.jobs < 1 or args.timeout <= 0 or args.notebook_timeout <= 0:
        return "--jobs, --timeout and --notebook-timeout must be positive"
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        return "No such file or folder: " + ", ".join(missing)
    return ""


def choose_sandbox(wanted: str) -> tuple[str, str]:
    """("bwrap" or "none", the sentence that says what seals the kernels off)."""
    from nnscratch.classroom import sandbox

    if wanted == "none":
        return "none", "NOT SANDBOXED (--sandbox none): " + UNSANDBOXED
    problem = sandbox.problem()
    if not problem:
        return "bwrap", "Sandbox: bubblewrap, one per kernel (no network, private HOME and /tmp)."
    if wanted == "bwrap":
        raise SystemExit(f"--sandbox bwrap: {problem}")
    return "none", f"NOT SANDBOXED ({problem}): " + UNSANDBOXED


UNSANDBOXED = (
    "each notebook runs as your user, and can read what you can read and signal your processes"
)


def open_cgroups(sandboxed: bool):
    """The run's cgroup and the sentence that says which limits count the whole process tree."""
    from nnscratch.classroom import cgroups

    tree = cgroups.Tree.open(f"nnscratch-grading-{os.getpid()}")
    if tree is not None:
        return tree, "Memory and process limits count each kernel's whole process tree (cgroup)."
    return None, (
        "Memory limit per process only (no cgroup could be made here)"
        + (", processes capped per user." if not sandboxed else ".")
    )


def find_seed(args, journal_path: Path) -> tuple[int, dict]:
    """The seed (of the interrupted run when resuming) and the records already finished."""
    from nnscratch.classroom import journal

    seed, done = journal.read(journal_path) if args.resume else (None, {})
    if seed is not None and args.seed is not None and args.seed != seed:
        raise SystemExit(f"--resume: the interrupted run used seed {seed}, not {args.seed}")
    if seed is None:
        seed = args.seed if args.seed is not None else secrets.randbelow(2**31 - 1) + 1
    return seed, done


def unreadable_links(paths: list[Path], given: set[str]) -> dict[int, dict]:
    """Records for the links found in folders (never followed), by index."""
    from nnscratch.classroom import notebooks
    from nnscratch.classroom.records import empty_record

    found = {}
    for index, path in enumerate(paths):
        problem = notebooks.link_problem(path, str(path) in given)
        if problem:
            found[index] = dict(empty_record(path), errors=[problem])
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from nnscratch.classroom import gradebook, journal, notebooks, pool
    from nnscratch.classroom.submission import Settings

    problem = usage_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    pool.sweep_stale()  # what a killed run left behind
    sources = pool.source_files()  # before any submission runs: the pristine package
    paths = notebooks.find_submissions(args.paths)
    if not paths:
        print("No notebooks found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    kind, sandbox_text = choose_sandbox(args.sandbox)
    print(sandbox_text, flush=True)  # the first line says what holds
    journal_path = journal.path_for(args.csv)
    seed, done = find_seed(args, journal_path)
    tree, limits_text = open_cgroups(kind != "none")
    settings = Settings(
        seed=seed,
        cell_timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory,
        max_output_mb=args.max_output,
        sandbox=kind,
        cgroup_dirs=tuple(str(d) for d in tree.dirs) if tree else (),
    )
    meta = {
        "graded_at": gradebook.now_text(),
        "seed": seed,
        "python": sys.version.split()[0],
        "sandbox": sandbox_text,
        "limits": limits_text,
        "settings": {
            "timeout": args.timeout,
            "notebook_timeout": args.notebook_timeout,
            "memory_mb": args.memory,
            "max_output_mb": args.max_output,
            "jobs": args.jobs,
            "sandbox": kind,
        },
    }
    try:
        records = grade(args, paths, settings, sources, done, journal_path, meta)
    finally:
        if tree is not None:
            tree.remove()
    return 130 if any(pool.INTERRUPTED in r["errors"] for r in records) else 0


def grade(args, paths, settings, sources, done, journal_path, meta) -> list[dict]:
    """Grade what is left, write each finished row at once, then the gradebook's files."""
    from nnscratch.classroom import gradebook, journal, pool

    names = [gradebook.display_name(p) for p in paths]
    records: list[dict | None] = [done.get(journal.key(p)) for p in paths]
    for index, record in unreadable_links(paths, {str(Path(p)) for p in args.paths}).items():
        records[index] = records[index] or record
    todo = [i for i, r in enumerate(records) if r is None]
    log = journal.Journal(journal_path, meta["seed"], resumed=bool(done))
    bar = ProgressBar(len(todo), quiet=args.quiet)
    if not args.quiet:
        workers = min(args.jobs, len(todo))
        kept = f" ({len(paths) - len(todo)} kept from the interrupted run)" if done else ""
        print(
            f"Grading {len(todo)} notebook{'s' * (len(todo) != 1)}{kept} with {workers} "
            f"worker{'s' * (workers != 1)}, seed {meta['seed']}.",
            file=sys.stderr,
        )

    def finished() -> list[dict]:
        out = []
        for name, record in zip(names, records):
            if record is not None:
                record["submission"] = name
                out.append(record)
        return out

    def on_record(number: int, record: dict) -> None:
        index = todo[number]
        records[index] = record
        log.add(paths[index], record)
        gradebook.write_csv(args.csv, finished())  # every finished row is on disk at once
        errors = "; ".join(record["errors"])
        passed = sum(bool(v) for v in record["passed"].values())
        bar.update(
            names[index],
            f"{passed}/{len(record['ids'])} passed" + (f" - {errors[:100]}" if errors else ""),
        )

    started = time.monotonic()
    bar.draw()
    try:
        graded = pool.grade_all(
            [paths[i] for i in todo],
            settings,
            args.jobs,
            on_record=on_record,
            on_tick=bar.draw,
            sources=sources,
        )
    finally:
        bar.close()
    for number, record in enumerate(graded):
        records[todo[number]] = record
    out = finished()
    interrupted = any(pool.INTERRUPTED in r["errors"] for r in out)
    log.close(finished=not interrupted)
    write_gradebook(args, out, meta, time.monotonic() - started, sources)
    return out


def write_gradebook(args, records, meta, seconds, sources) -> None:
    from nnscratch.classroom import gradebook, pool

    gradebook.write_csv(args.csv, records)
    gradebook.write_details(gradebook.details_path(args.csv), records, meta)
    written = [str(args.csv), str(gradebook.details_path(args.csv))]
    if args.feedback:
        count = gradebook.write_feedback(args.feedback, records, meta)
        written.append(f"{args.feedback}/ ({count} files)")
    print(gradebook.summary(records, meta, seconds))
    now = pool.source_files()
    changed = sorted(k for k, v in now.items() if sources.get(k) != v)
    changed += sorted(set(sources) - set(now))
    if changed:
        print(
            "Warning: the installed nnscratch package changed while grading (by a submission, "
            "or by someone editing it: "
            + ", ".join(changed[:5])
            + "); the grades used an untouched copy, but check the installation."
        )
    print("Wrote " + ", ".join(written) + ".")
