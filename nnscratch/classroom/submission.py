"""Grade one submission: run it in a fresh kernel, probe its answers there, judge them here.

The notebook's cells run in order, each with a time limit; a cell that crashes the kernel or
will not stop is skipped on a second run in a new kernel (at most `max_kernels` kernels), so
one wild cell costs only what depends on it. Then, in the same kernel, each exercise the
notebook checks is probed (inkernel.probe) and the answer judged (judge.judge). Where tests
fail with no hint, the kernel also searches one change to the learner's code that makes every
test pass (inkernel.repair), as check() does in a notebook, and that change's outputs are judged
here too before its hint is said.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nnscratch.classroom import cgroups, inkernel, judge, notebooks
from nnscratch.classroom.records import Record, empty_record
from nnscratch.exercises import EXERCISES
from nnscratch.grader.core import repair_due, with_repair_hint
from nnscratch.i18n import N_, Phrase, _, speaking

if TYPE_CHECKING:
    from nnscratch.classroom.kernel import Kernel

# The answer of one exercise's tests travels as output too: room for it on top of --max-output
# (the wire caps one array at 16 MB; the course's answers are a few kB).
ANSWER_BYTES = 32 * 2**20
SLOW_REPLY = 0.5  # seconds: a reply read this long after the kernel sent it counts as stalled
# seconds for one exercise's search for a repair: a notebook's check() sets no limit, and the
# search tried at most 300 changed copies, each stopped after its first failing test (a few
# ms), so this is room for a slow machine, not a budget; past it, the hint is left out
REPAIR_SECONDS = 60.0


@dataclass(frozen=True)
class Settings:
    seed: int
    cell_timeout: float = 30.0  # seconds per cell
    notebook_timeout: float = 300.0  # seconds for all the cells of one notebook
    memory_mb: int = 2048  # address space of the kernel
    max_output_mb: float = 5.0  # output of one cell before it is stopped
    max_kernels: int = 3
    package_path: str = ""  # a private copy of nnscratch for the kernels to import (PYTHONPATH)
    sandbox: str = "none"  # "bwrap": each kernel sealed off by bubblewrap (see sandbox.py)
    cgroup_dirs: tuple[str, ...] = ()  # the run's cgroups, when the whole tree can be limited
    tasks: int = 128  # processes and threads of one kernel's tree, when a cgroup counts them
    font_cache: str = ""  # matplotlib's font list, made once for the run (fonts.py)


# The only variables of the instructor's environment a submission's kernel sees: enough to
# run Python and matplotlib, and none of the tokens or passwords a shell may hold.
KEPT_VARIABLES = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "TMPDIR",
    "TEMP",
    "TMP",
    "SYSTEMROOT",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "MPLCONFIGDIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "PYTHONPATH",
    "LD_LIBRARY_PATH",
    "DYLD_LIBRARY_PATH",
)


def kernel_env(settings: Settings) -> dict:
    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(
        NNSCRATCH_PROGRESS_FILE="",
        NNSCRATCH_GRADING="1",  # figures skip their pixels (nnscratch.figures.canvas)
        MPLBACKEND="Agg",
        PYTHONDONTWRITEBYTECODE="1",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        MALLOC_ARENA_MAX="2",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    if settings.sandbox != "none":  # the sandbox has its own HOME and /tmp (sandbox.wrap)
        for name in ("HOME", "TMPDIR", "TEMP", "TMP", "MPLCONFIGDIR", "XDG_CACHE_HOME"):
            env.pop(name, None)
        env.pop("XDG_CONFIG_HOME", None)
    if settings.package_path:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (settings.package_path, env.get("PYTHONPATH")) if p
        )
    return env


def _setup_code(token: str) -> str:
    return f"__import__('nnscratch.classroom.inkernel', fromlist=['setup']).setup({token!r})"


def _probe_code(token: str, exercise_id: str, seed: int, target: str | None) -> str:
    return (
        f"__import__('nnscratch.classroom.inkernel', fromlist=['probe'])"
        f".probe({token!r}, {exercise_id!r}, {int(seed)}, {target!r})"
    )


def _repair_code(token: str, exercise_id: str, seed: int, target, failing: list) -> str:
    return (
        f"__import__('nnscratch.classroom.inkernel', fromlist=['repair'])"
        f".repair({token!r}, {exercise_id!r}, {int(seed)}, {target!r}, {failing!r})"
    )


def _answer(reply, token: str):
    """The one payload tagged with token, or None."""
    found = []
    for text in reply.captured:
        try:
            payload = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            continue
        if isinstance(payload, dict) and payload.get("token") == token:
            found.append(payload)
    return found[0] if len(found) == 1 else None


class _Run:
    """The state of one submission's grading, across kernels."""

    def __init__(self, path: Path, settings: Settings):
        self.path, self.settings = path, settings
        self.errors: list[str] = []  # why some of the grade could not be earned (the CSV's error)
        self.review: list[str] = []  # worth a look, but not a reason for a zero
        self.cell_errors: dict[int, str] = {}
        self.skip: set[int] = set()
        self.answers: dict[str, dict | str] = {}  # id -> the kernel's answer, or why there is none
        self.judged: dict = {}  # id -> the Result judged from that answer (judge.judge)
        self.repairs: dict = {}  # id -> the hint of a repair whose outputs passed here
        self.kernels = 0
        self.requests = 0
        self.max_lag = 0.0
        self.slow_replies = 0
        self.changed: list[str] = []
        self.cpu = 0.0  # CPU seconds of all its kernels' process trees

    def note(self, text: str, review: bool = False) -> None:
        notes = self.review if review else self.errors
        if text not in notes:
            notes.append(text)

    def count(self, reply, answers: bool = False) -> None:
        """Keep the statistics of a reply; answers: whether grader messages were expected in it."""
        self.requests += 1
        if reply.read_bytes < 2**20:  # reading megabytes of output delays the reply, and rightly so
            self.max_lag = max(self.max_lag, reply.lag)
            self.slow_replies += reply.lag > SLOW_REPLY
        if reply.foreign or (reply.captured and not answers):
            self.note("printed messages that imitate the grader's (ignored)", review=True)


def _trouble(reply, limit: float, max_output_mb: float) -> str:
    """What went wrong with a request, in a few words ("" when nothing did)."""
    if reply.status == "dead":
        return Phrase(N_("crashed the kernel"))
    if reply.status == "exit":
        return Phrase(N_("stopped the kernel (exit() or quit())"))
    if reply.flooded:
        if reply.status == "hung":
            return Phrase(
                N_("printed more than {mb} MB and would not stop"), mb=f"{max_output_mb:g}"
            )
        return Phrase(N_("printed more than {mb} MB and was stopped"), mb=f"{max_output_mb:g}")
    if reply.timed_out or reply.status == "hung":
        if reply.status == "hung":
            return Phrase(
                N_("ran past {seconds} s and would not stop when interrupted"), seconds=f"{limit:g}"
            )
        return Phrase(N_("ran past {seconds} s and was stopped"), seconds=f"{limit:g}")
    return ""


async def _run_cells(run: _Run, kernel: Kernel, cells: list[str], deadline: float) -> bool:
    """Run every cell not skipped; False when the kernel was lost and must be replaced."""
    s = run.settings
    max_output = int(s.max_output_mb * 2**20)
    for index, source in enumerate(cells):
        if index in run.skip or not source.strip():
            continue
        left = deadline - time.monotonic()
        if left <= 0:
            run.note(
                Phrase(
                    N_("stopped running cells at the notebook's {seconds} s limit"),
                    seconds=f"{s.notebook_timeout:g}",
                )
            )
            return True
        limit = min(s.cell_timeout, left)
        reply = await kernel.run(source, limit, max_output=max_output, mime=inkernel.MIME)
        run.count(reply)
        trouble = _trouble(reply, limit, s.max_output_mb)
        if reply.status in ("dead", "hung", "exit"):
            run.note(
                Phrase(
                    N_("code cell {number} {trouble}; the notebook was run again without it"),
                    number=index + 1,
                    trouble=trouble,
                )
            )
            run.cell_errors[index] = trouble
            run.skip.add(index)
            return False
        if trouble:
            run.note(Phrase(N_("code cell {number} {trouble}"), number=index + 1, trouble=trouble))
            run.cell_errors.setdefault(index, trouble)
        elif reply.status == "error":
            run.cell_errors.setdefault(index, f"{reply.ename}: {reply.evalue}".strip(": "))
    return True


async def _ask(run: _Run, kernel: Kernel, code: str, seconds: float):
    """The kernel's reply to one grader request whose answer travels as output (a probe or a
    repair): room for the answer on top of --max-output, outside the notebook's history."""
    reply = await kernel.run(
        code,
        seconds,
        max_output=int(run.settings.max_output_mb * 2**20) + ANSWER_BYTES,
        mime=inkernel.MIME,
        store_history=False,
        answers=True,
    )
    run.count(reply, answers=True)
    return reply


async def _probe(run: _Run, kernel: Kernel, ids: list[str], targets: dict) -> bool:
    """Probe every exercise not yet answered; False when the kernel was lost."""
    s = run.settings
    for exercise_id in ids:
        if exercise_id in run.answers:
            continue
        ex = EXERCISES[exercise_id]
        budget = ex.time_limit * len(ex.cases) + 10 + 2 * len(ex.cases)
        token = secrets.token_hex(12)
        code = _probe_code(token, exercise_id, s.seed, targets.get(exercise_id))
        reply = await _ask(run, kernel, code, budget)
        answer = _answer(reply, token)
        trouble = _trouble(reply, budget, s.max_output_mb)
        if answer is not None and reply.status in ("ok", "exit"):
            run.answers[exercise_id] = answer
            if trouble:
                run.note(f"{exercise_id}: testing it {trouble}", review=True)
        elif trouble:
            testing = Phrase(N_("testing it {trouble}"), trouble=trouble)
            run.answers[exercise_id] = testing
            run.note(Phrase(N_("{id}: {problem}"), id=exercise_id, problem=testing))
        elif reply.status == "error":
            run.answers[exercise_id] = Phrase(
                N_("the grader could not run its tests ({error})"),
                error=f"{reply.ename}: {reply.evalue[:120]}",
            )
            failed = Phrase(N_("the grader could not run its tests ({error})"), error=reply.ename)
            run.note(Phrase(N_("{id}: {problem}"), id=exercise_id, problem=failed))
        else:
            run.answers[exercise_id] = Phrase(N_("the kernel sent no answer for its tests"))
            run.note(
                Phrase(N_("{id}: {problem}"), id=exercise_id, problem=run.answers[exercise_id])
            )
        if reply.status in ("dead", "hung", "exit"):
            return False
    return True


async def _repair(run: _Run, kernel: Kernel, ids: list[str], targets: dict) -> None:
    """For each exercise whose failing tests have no hint, the hint of one change to the
    learner's code that makes every test pass (grader.repairs), where the kernel finds one and
    its outputs pass here. Asked last: a kernel lost on the way costs only these hints."""
    s = run.settings
    for exercise_id in ids:
        answer = run.answers.get(exercise_id)
        if not isinstance(answer, dict) or exercise_id in run.judged:
            continue
        ex = EXERCISES[exercise_id]
        try:
            run.judged[exercise_id] = result = judge.judge(ex, answer, s.seed)
        except judge.BadAnswer:
            continue  # said when all are judged
        failing = repair_due(ex, result.outcomes)
        if not failing or answer.get("changed"):
            continue
        token = secrets.token_hex(12)
        code = _repair_code(token, exercise_id, s.seed, targets.get(exercise_id), failing)
        reply = await _ask(run, kernel, code, REPAIR_SECONDS)
        found = _answer(reply, token)
        if found is not None and reply.status == "ok":
            hint = judge.repair_hint(ex, found, s.seed)
            if hint is not None:
                run.repairs[exercise_id] = hint
        if reply.status in ("dead", "hung", "exit"):
            return


def _tree_limit(run: _Run):
    """The cgroup of the next kernel, or None (then only per-process limits hold)."""
    s = run.settings
    if not s.cgroup_dirs:
        return None
    try:
        return cgroups.Tree.at(s.cgroup_dirs).kernel(s.memory_mb, s.tasks)
    except OSError as exc:
        run.note(
            Phrase(
                N_("the kernel's memory and process limits could not be set up ({error})"),
                error=exc,
            )
        )
        return None


async def _grade_in_kernels(
    run: _Run, cells: list[str], ids: list[str], targets: dict, env: dict, workdir: str
) -> None:
    # Imported here: jupyter_client costs the main process, which only needs Settings, 0.3 s
    # of CPU before it can start anything (a grading worker imports it while it starts).
    from nnscratch.classroom.kernel import Kernel

    s = run.settings
    deadline = time.monotonic() + s.notebook_timeout
    while run.kernels < s.max_kernels and any(i not in run.answers for i in ids):
        run.kernels += 1
        # A fresh folder per kernel: nothing one run leaves (a numpy.py, say) reaches the next.
        folder = os.path.join(workdir, f"kernel-{run.kernels}")
        os.mkdir(folder)
        kernel = Kernel(
            folder,
            env,
            memory_mb=s.memory_mb,
            sandboxed=s.sandbox != "none",
            package_root=s.package_path,
            tree=_tree_limit(run),
            font_cache=s.font_cache,
        )
        try:
            try:
                await asyncio.wait_for(kernel.start(), 90)
            except Exception as exc:  # noqa: BLE001
                run.note(Phrase(N_("the kernel did not start ({error})"), error=type(exc).__name__))
                continue
            token = secrets.token_hex(12)
            reply = await kernel.run(
                _setup_code(token),
                60,
                max_output=2**20,
                mime=inkernel.MIME,
                store_history=False,
                answers=True,
            )
            run.count(reply, answers=True)
            if _answer(reply, token) is None:
                what = f"{reply.status} {reply.ename}".strip()
                run.note(
                    Phrase(N_("the grader's set-up failed in the kernel ({error})"), error=what)
                )
                continue
            if not await _run_cells(run, kernel, cells, deadline):
                continue
            if not await _probe(run, kernel, ids, targets):
                continue
            await _repair(run, kernel, ids, targets)
        finally:
            await kernel.stop()
            run.cpu += kernel.cpu
    for exercise_id in ids:
        run.answers.setdefault(
            exercise_id, Phrase(N_("could not be tested: the kernel failed too often"))
        )


def _judge_all(run: _Run, ids: list[str], targets: dict, check_cells: dict) -> dict:
    results, flags, by_name = {}, {}, []
    seed = run.settings.seed
    for exercise_id in ids:
        ex = EXERCISES[exercise_id]
        answer = run.answers[exercise_id]
        if isinstance(answer, str):
            results[exercise_id] = judge.failed(ex, answer, seed)
            continue
        changed = answer.get("changed")
        if isinstance(changed, list) and changed:
            run.changed += [c for c in changed if isinstance(c, str) and c not in run.changed]
        cell = check_cells.get(exercise_id)
        if answer.get("found") != "check" and cell in run.cell_errors:
            # The check never ran because its cell stopped: grade nothing rather than whatever
            # else the name may mean (the course's own function, imported at the top, say).
            stopped = Phrase(
                N_("code cell {number}, which checks it, stopped with {error}"),
                number=cell + 1,
                error=run.cell_errors[cell],
            )
            results[exercise_id] = judge.failed(ex, stopped, seed)
            continue
        try:
            result = run.judged.get(exercise_id) or judge.judge(ex, answer, seed)
            if exercise_id in run.repairs:
                result = dataclasses.replace(
                    result, outcomes=with_repair_hint(result.outcomes, run.repairs[exercise_id])
                )
            results[exercise_id] = result
        except judge.BadAnswer as exc:
            malformed = Phrase(N_("the kernel's answer was malformed"))
            results[exercise_id] = judge.failed(ex, malformed, seed)
            run.note(f"{exercise_id}: the kernel's answer was malformed ({exc})")
            continue
        problem = judge.origin_problem(ex, answer, targets.get(exercise_id))
        if problem:
            flags[exercise_id] = problem
            run.note(Phrase(N_("{id}: {problem}"), id=exercise_id, problem=problem))
        if answer.get("found") == "name":
            by_name.append(f"`{targets.get(exercise_id)}`")
    if by_name:
        run.note(
            "its check(...) calls did not reach the course's check (redefined?), so the objects "
            "they name were graded: " + ", ".join(by_name),
            review=True,
        )
    if run.changed:
        names = ", ".join(run.changed[:4]) + (" ..." if len(run.changed) > 4 else "")
        run.errors.insert(0, Phrase(N_("not graded: the notebook replaced {names}"), names=names))
    return {"results": results, "flags": flags}


async def grade_submission(path: Path, settings: Settings) -> Record:
    """Everything known about one submission (see records.Record).

    Its results are written in the notebook's language (its metadata's), and so is its
    feedback (the record's language); the gradebook's own columns stay in English."""
    record = empty_record(path)
    try:
        cells, language = notebooks.read_notebook(Path(path))
    except notebooks.NotGradable as exc:
        record.errors = [str(exc)]
        return record
    record.language = language
    with speaking(language):  # this submission's only: the next one starts from English
        await _grade(path, settings, cells, record)
        record.shown = _shown(record)
    return record


def _shown(record: Record) -> dict:
    """The record's English texts that the feedback shows, in the record's language."""
    texts = [*record.errors, *record.flags.values()]
    texts += [entry["error"] for entry in record.cell_errors]
    return {str(text): _(text) for text in texts if _(text) != text}


async def _grade(path: Path, settings: Settings, cells: list[str], record: Record) -> None:
    started = time.monotonic()
    checks = notebooks.find_checks(cells)
    ids, targets, check_cells = [], {}, {}
    for call in checks:
        if call.exercise_id not in EXERCISES:
            if call.exercise_id not in record.unknown_ids:
                record.unknown_ids.append(call.exercise_id)
            continue
        if call.exercise_id not in ids:
            ids.append(call.exercise_id)
        if call.target:
            targets[call.exercise_id] = call.target
        check_cells[call.exercise_id] = call.cell
    ids = notebooks.assignment(ids)  # a deleted check cell still counts against its exercise
    record.ids = ids
    record.review = notebooks.suspicious(cells)
    if record.unknown_ids:
        record.review.append(
            "checks exercises this grader does not know: " + ", ".join(record.unknown_ids[:5])
        )
    if not ids:
        record.errors = [Phrase(N_('no check("...") of a known exercise found in the notebook'))]
        return

    run = _Run(Path(path), settings)
    run.review += record.review
    workdir = tempfile.mkdtemp(prefix="nnscratch-grade-")
    try:
        # The kernel speaks it too: messages made there (a time limit's, say) match the rest.
        env = dict(kernel_env(settings), NNSCRATCH_LANG=record.language)
        await _grade_in_kernels(run, cells, ids, targets, env, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    judged = _judge_all(run, ids, targets, check_cells)
    results, flags = judged["results"], judged["flags"]
    record.results = results
    record.passed = {i: bool(results[i].passed and i not in flags and not run.changed) for i in ids}
    record.flags = flags
    record.errors = run.errors
    record.review = run.review
    stopped = sorted(run.cell_errors.items())[:20]
    record.cell_errors = [{"cell": i + 1, "error": e} for i, e in stopped]
    record.seconds = round(time.monotonic() - started, 3)
    record.kernels, record.requests = run.kernels, run.requests
    record.max_lag, record.slow_replies = round(run.max_lag, 4), run.slow_replies
    record.cpu_kernel = round(run.cpu, 3)
