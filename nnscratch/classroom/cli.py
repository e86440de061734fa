"""`python -m nnscratch grade`: grade a class's notebooks into a CSV gradebook."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from nnscratch.progress_bar import ProgressBar

if TYPE_CHECKING:  # imported where used: `--help` and usage errors answer without loading them
    from nnscratch.classroom.records import Record

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
    _add_files(p)
    _add_limits(p)
    _add_run_options(p)
    return p


def _add_files(p: argparse.ArgumentParser) -> None:
    """What to grade, and where the gradebook goes."""
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


def _add_limits(p: argparse.ArgumentParser) -> None:
    """What one submission may spend."""
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


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """The run's seed, its sandbox, resuming, and the progress bar."""
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


def find_seed(args, journal_path: Path) -> tuple[int, dict[str, Record]]:
    """The seed (of the interrupted run when resuming) and the records already finished."""
    from nnscratch.classroom import journal

    seed, done = journal.read(journal_path) if args.resume else (None, {})
    if seed is not None and args.seed is not None and args.seed != seed:
        raise SystemExit(f"--resume: the interrupted run used seed {seed}, not {args.seed}")
    if seed is None:
        seed = args.seed if args.seed is not None else secrets.randbelow(2**31 - 1) + 1
    return seed, done


def unreadable_links(paths: list[Path], given: set[str]) -> dict[int, Record]:
    """Records for the links found in folders (never followed), by index."""
    from nnscratch.classroom import notebooks
    from nnscratch.classroom.records import empty_record

    found = {}
    for index, path in enumerate(paths):
        problem = notebooks.link_problem(path, str(path) in given)
        if problem:
            found[index] = replace(empty_record(path), errors=[problem])
    return found


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from nnscratch.classroom import journal, notebooks, pool

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
    settings = grading_settings(args, seed, kind, tree)
    meta = run_meta(args, seed, sandbox_text, limits_text, kind)
    try:
        records = grade(args, paths, settings, sources, done, journal_path, meta)
    finally:
        if tree is not None:
            tree.remove()
    return 130 if any(pool.INTERRUPTED in r.errors for r in records) else 0


def grading_settings(args, seed: int, kind: str, tree):
    """What each worker needs to know of the command line."""
    from nnscratch.classroom.submission import Settings

    return Settings(
        seed=seed,
        cell_timeout=args.timeout,
        notebook_timeout=args.notebook_timeout,
        memory_mb=args.memory,
        max_output_mb=args.max_output,
        sandbox=kind,
        cgroup_dirs=tuple(str(d) for d in tree.dirs) if tree else (),
    )


def run_meta(args, seed: int, sandbox_text: str, limits_text: str, kind: str) -> dict:
    """What the details file says of the run as a whole."""
    from nnscratch.classroom import gradebook

    return {
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


class Tally:
    """The run's records, one per path, kept in the journal and the CSV as each one finishes."""

    def __init__(self, args, paths: list[Path], done: dict[str, Record], log):
        from nnscratch.classroom import gradebook, journal

        self.args, self.paths, self.log = args, paths, log
        self.names = [gradebook.display_name(p) for p in paths]
        self.records: list[Record | None] = [done.get(journal.key(p)) for p in paths]
        for index, record in unreadable_links(paths, {str(Path(p)) for p in args.paths}).items():
            self.records[index] = self.records[index] or record
        self.todo = [i for i, r in enumerate(self.records) if r is None]
        self.bar = ProgressBar(len(self.todo), quiet=args.quiet)

    def announce(self, seed: int, resumed: bool) -> None:
        if self.args.quiet:
            return
        todo, workers = len(self.todo), min(self.args.jobs, len(self.todo))
        kept = f" ({len(self.paths) - todo} kept from the interrupted run)" if resumed else ""
        print(
            f"Grading {todo} notebook{'s' * (todo != 1)}{kept} with {workers} "
            f"worker{'s' * (workers != 1)}, seed {seed}.",
            file=sys.stderr,
        )

    def finished(self) -> list[Record]:
        """The records so far, each named as the gradebook shows it."""
        out = []
        for name, record in zip(self.names, self.records):
            if record is not None:
                record.submission = name
                out.append(record)
        return out

    def add(self, number: int, record: Record) -> None:
        """The `number`th submission left to grade is done: on disk at once, and on the bar."""
        from nnscratch.classroom import gradebook

        index = self.todo[number]
        self.records[index] = record
        self.log.add(self.paths[index], record)
        gradebook.write_csv(self.args.csv, self.finished())
        errors = "; ".join(record.errors)
        passed = sum(bool(v) for v in record.passed.values())
        self.bar.update(
            self.names[index],
            f"{passed}/{len(record.ids)} passed" + (f" - {errors[:100]}" if errors else ""),
        )


def grade(args, paths, settings, sources, done, journal_path, meta) -> list[Record]:
    """Grade what is left, write each finished row at once, then the gradebook's files."""
    from nnscratch.classroom import journal, pool

    log = journal.Journal(journal_path, meta["seed"], resumed=bool(done))
    tally = Tally(args, paths, done, log)
    tally.announce(meta["seed"], resumed=bool(done))
    started = time.monotonic()
    tally.bar.draw()
    try:
        graded = pool.grade_all(
            [paths[i] for i in tally.todo],
            settings,
            args.jobs,
            on_record=tally.add,
            on_tick=tally.bar.draw,
            sources=sources,
        )
    finally:
        tally.bar.close()
    for number, record in enumerate(graded):
        tally.records[tally.todo[number]] = record
    out = tally.finished()
    log.close(finished=not any(pool.INTERRUPTED in r.errors for r in out))
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
