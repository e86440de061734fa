"""Grade many submissions in parallel worker processes that survive anything a submission does.

The main process reads the course package's files once, before any submission runs, and gives
each worker a private copy of them (the worker and its kernels import nnscratch from there).
A worker grades one submission at a time and answers with one line of JSON. After each one it
kills every process the submission left behind and puts back any package file that was changed.
A worker that dies, or overruns its deadline, costs only the submission it was grading: that
row gets a reason, and a new worker takes over.

Run as a worker: python -m nnscratch.classroom.pool (the main process does this).
"""

from __future__ import annotations

import base64
import json
import os
import py_compile
import secrets
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

from nnscratch import i18n
from nnscratch.classroom import fonts, limits, notebooks

if TYPE_CHECKING:  # imported where used: the worker reads its configuration first
    from nnscratch.classroom import records

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../nnscratch
INTERRUPTED = i18n.N_("not graded: grading was interrupted")
RUN_PREFIX = "nnscratch-grading-"  # + the main process's pid: the run's folder and cgroup


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_stale() -> None:
    """Remove the temporary folders and cgroups of grading runs whose process is gone (killed)."""
    from nnscratch.classroom import cgroups

    for place in [Path(tempfile.gettempdir())] + cgroups.run_parents():
        for path in place.glob(RUN_PREFIX + "*"):
            pid = path.name[len(RUN_PREFIX) :].split("-")[0]
            if pid.isdigit() and not _alive(int(pid)) and path.is_dir():
                if place == Path(tempfile.gettempdir()):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    cgroups.Tree([path]).remove()


def source_files(root: Path = PACKAGE_DIR) -> dict[str, bytes]:
    """Every file of the package but its caches: relative path ("nnscratch/...") -> bytes."""
    return {
        path.relative_to(root.parent).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def package_files(sources: dict[str, bytes]) -> dict[str, bytes]:
    """The sources with checked-hash .pyc files beside them.

    Hash-checked bytecode stays valid when the files are written again elsewhere, and a source
    file that was changed no longer matches it, so Python recompiles from the (restored) source.
    """
    files = dict(sources)
    with tempfile.TemporaryDirectory(prefix="nnscratch-compile-") as tmp:
        write_files(Path(tmp), files)
        for rel in list(files):
            if rel.endswith(".py"):
                source = Path(tmp) / rel
                cfile = (
                    Path(tmp)
                    / rel.rsplit("/", 1)[0]
                    / "__pycache__"
                    / (f"{source.stem}.{sys.implementation.cache_tag}.pyc")
                )
                try:
                    py_compile.compile(
                        str(source),
                        cfile=str(cfile),
                        doraise=True,
                        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH,
                    )
                except py_compile.PyCompileError:
                    continue
                files[cfile.relative_to(tmp).as_posix()] = cfile.read_bytes()
    return files


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def restore_files(root: Path, files: dict[str, bytes]) -> list[str]:
    """Make root/nnscratch hold exactly files again; the relative paths that had to be fixed."""
    fixed = []
    base = root / "nnscratch"
    if base.is_symlink() or not base.is_dir():
        shutil.rmtree(base, ignore_errors=True)
        if base.is_symlink() or base.exists():
            base.unlink()
    for path in sorted(base.rglob("*"), reverse=True) if base.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if path.is_symlink() or (path.is_file() and rel not in files):
            path.unlink()
            fixed.append(rel)
        elif path.is_dir() and not any(k.startswith(rel + "/") for k in files):
            shutil.rmtree(path, ignore_errors=True)
            fixed.append(rel)
    for rel, data in files.items():
        target = root / rel
        try:
            same = target.is_file() and not target.is_symlink() and target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_bytes(data)
            fixed.append(rel)
    return fixed


# --- the worker -----------------------------------------------------------------------------


def _worker() -> None:
    # The configuration is read while the slower imports run (the main process sends it once
    # matplotlib's font list is made, and is not kept waiting on a full pipe meanwhile).
    first: list[str] = []
    reading = threading.Thread(target=lambda: first.append(sys.stdin.readline()), daemon=True)
    reading.start()
    import asyncio

    from nnscratch.classroom import kernel, records, submission  # noqa: F401 - kernel: now

    reading.join()
    config = json.loads(first[0])

    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # nothing but the protocol goes to the main process
    limits.become_subreaper()
    limits.die_with_parent()
    if os.getppid() != config["parent"]:  # the main process died before that took effect
        return
    files = {rel: base64.b64decode(data) for rel, data in config["files"].items()}
    copy_root = Path(__file__).resolve().parent.parent.parent  # where this private copy lives
    settings = submission.Settings(**dict(config["settings"], package_path=str(copy_root)))
    key = config["key"]  # messages without it are not ours (a kernel writing into the pipe)
    protocol.write(json.dumps({"key": key, "ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        path = Path(os.fsdecode(bytes.fromhex(job["path"])))  # any name, UTF-8 or not
        cpu_before = _cpu_seconds()
        try:
            record = asyncio.run(submission.grade_submission(path, settings))
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not cost the whole batch
            record = records.empty_record(path)
            record.errors = [f"internal error of the grader: {type(exc).__name__}: {exc}"[:300]]
        limits.kill_tree(os.getpid(), collect=True)
        fixed = restore_files(copy_root, files)
        if fixed:
            changed = i18n.Phrase(
                i18n.N_("not graded: the notebook changed the course package's files ({files})"),
                files=", ".join(fixed[:3]),
            )
            record.errors.insert(0, changed)
            record.shown[changed] = i18n._(changed, record.language)
            record.passed = {k: False for k in record.passed}
        record.cpu_worker = round(_cpu_seconds() - cpu_before, 3)
        answer = {"key": key, "job": job["job"], "record": records.to_plain(record)}
        protocol.write("\n" + json.dumps(answer) + "\n")


def _cpu_seconds() -> float:
    """This process's CPU time so far (user + system)."""
    times = os.times()
    return times.user + times.system


# --- the main process -----------------------------------------------------------------------


def worker_env(root: Path) -> dict:
    """The worker's environment: what Python needs, none of the instructor's tokens.

    A kernel run without a sandbox can read its worker's /proc/<pid>/environ.
    """
    from nnscratch.classroom.submission import KEPT_VARIABLES

    env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
    env.update(PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(root.parent / "tmp"))
    return env


class _Worker:
    """A grading process, started at once; configure() sends it the run's settings."""

    def __init__(self, number: int, rundir: Path, files: dict[str, bytes]):
        self.root = rundir / f"worker-{number}"
        write_files(self.root, files)
        self.log = open(rundir / f"worker-{number}.log", "wb")  # noqa: SIM115 - open while the worker lives
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnscratch.classroom.pool"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=str(self.root),
            env=worker_env(self.root),
            start_new_session=True,  # a Ctrl-C in the terminal reaches the main process only
        )
        self.key = secrets.token_hex(16)
        self.configured = False
        self.buffer = b""
        self.ready = False
        self.job: int | None = None
        self.deadline = float("inf")

    def configure(self, files: dict[str, bytes], settings: dict) -> None:
        config = {
            "key": self.key,
            "parent": os.getpid(),
            "settings": settings,
            "files": {rel: base64.b64encode(data).decode("ascii") for rel, data in files.items()},
        }
        try:
            self.proc.stdin.write((json.dumps(config) + "\n").encode())
            self.proc.stdin.flush()
        except OSError:  # it died already: its closed output says so to the main process
            pass
        self.configured = True

    def send(self, job: int, path: Path, deadline: float) -> None:
        self.job, self.deadline = job, deadline
        message = {"job": job, "path": os.fsencode(os.path.abspath(path)).hex()}
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def lines(self) -> tuple[list[dict], bool]:
        """Complete messages read now, and whether the worker has closed its end."""
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        self.buffer += chunk
        messages = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("key") == self.key:
                messages.append(message)
        return messages, not chunk

    def kill(self) -> int | None:
        limits.kill_tree(self.proc.pid, include_root=True)
        try:
            self.proc.kill()
        except OSError:
            pass
        try:
            code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            code = None
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.log.close()
        return code


def unfinished(path: Path, why: str) -> records.Record:
    """The record of a submission whose grading stopped before it finished."""
    from nnscratch.classroom import records

    record = records.empty_record(path)
    record.ids = notebooks.checked_ids(path)  # its assignment, for the total
    record.errors = [why]
    try:
        record.language = notebooks.read_notebook(path)[1]
    except notebooks.NotGradable:
        pass
    record.shown = {why: i18n._(why, record.language)}
    return record


class _Batch:
    """The main process's side: hands out submissions, collects records, replaces lost workers."""

    def __init__(self, paths, settings, jobs, on_record, on_tick, sources):
        self.paths, self.jobs, self.on_record, self.on_tick = paths, jobs, on_record, on_tick
        self.records: list[records.Record | None] = [None] * len(paths)
        self.todo = list(range(len(paths)))
        self.backstop = settings.notebook_timeout * settings.max_kernels + 600
        self.rundir = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-"))
        (self.rundir / "tmp").mkdir()
        self.settings = settings
        self.plain: dict | None = None  # the workers' settings, once the font list is made
        self.selector = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.spawned = 0
        # The font list is made while the package is compiled and the workers start: each
        # takes about a second of CPU, and a machine has two cores at least.
        self.font_list = fonts.start(str(self.rundir / "matplotlib"))
        self.font_deadline = time.monotonic() + fonts.SECONDS
        self.files = package_files(sources)
        if self.font_list is not None:
            self.selector.register(self.font_list.stdout, selectors.EVENT_READ, self.font_list)
        else:
            self.fonts_made()

    def finish(self, index: int, record: records.Record) -> None:
        record.path = notebooks.safe_text(str(self.paths[index]))
        self.records[index] = record
        if self.on_record is not None:
            self.on_record(index, record)

    def fonts_made(self, wait: bool = True) -> None:
        """Collect the font list (a process past its deadline is stopped), configure workers."""
        timeout = max(0.0, self.font_deadline - time.monotonic()) if wait else 0.0
        if self.font_list is not None:
            self.selector.unregister(self.font_list.stdout)
        made = fonts.path(self.font_list, timeout)
        self.font_list = None
        self.plain = asdict(replace(self.settings, package_path="", font_cache=made))
        for worker in self.workers:
            worker.configure(self.files, self.plain)

    def spawn(self) -> None:
        self.spawned += 1
        worker = _Worker(self.spawned, self.rundir, self.files)
        if self.plain is not None:
            worker.configure(self.files, self.plain)
        self.selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
        self.workers.append(worker)

    def retire(self, worker: _Worker, why: str) -> None:
        self.selector.unregister(worker.proc.stdout)
        self.workers.remove(worker)
        code = worker.kill()
        if worker.job is not None:
            if code is not None and code < 0:
                why = i18n.Phrase(i18n.N_("{problem} (signal {number})"), problem=why, number=-code)
            self.finish(worker.job, unfinished(self.paths[worker.job], why))
        shutil.rmtree(worker.root, ignore_errors=True)

    def busy(self) -> int:
        return sum(w.job is not None for w in self.workers)

    def step(self) -> None:
        """Start workers, hand out work, read what came back, stop overrunning workers."""
        while len(self.workers) < min(self.jobs, len(self.todo) + self.busy()):
            self.spawn()
        for worker in self.workers:
            if worker.ready and worker.job is None and self.todo:
                index = self.todo.pop(0)
                worker.send(index, self.paths[index], time.monotonic() + self.backstop)
        if self.on_tick is not None:
            self.on_tick()
        for key, _ in self.selector.select(timeout=0.5):
            if key.data is self.font_list:
                self.fonts_made()  # it has written its answer (or failed): about to end
            elif key.data in self.workers:
                self.read(key.data)
        now = time.monotonic()
        if self.font_list is not None and now > self.font_deadline:
            self.fonts_made(wait=False)
        for worker in list(self.workers):
            if worker.job is not None and now > worker.deadline:
                took = i18n.N_("grading took longer than {seconds} s and was stopped")
                self.retire(worker, i18n.Phrase(took, seconds=f"{self.backstop:g}"))

    def read(self, worker: _Worker) -> None:
        messages, closed = worker.lines()
        for message in messages:
            if "ready" in message:
                worker.ready = True
            elif message.get("job") == worker.job and isinstance(message.get("record"), dict):
                from nnscratch.classroom import records

                self.finish(worker.job, records.from_plain(message["record"]))
                worker.job = None
        if closed:
            stopped = i18n.N_("the grading process stopped while running this notebook")
            self.retire(worker, i18n.Phrase(stopped))

    def close(self) -> None:
        if self.font_list is not None:
            self.fonts_made(wait=False)
        for worker in list(self.workers):
            worker.job = None
            self.retire(worker, "")
        self.selector.close()
        shutil.rmtree(self.rundir, ignore_errors=True)


def grade_all(
    paths: list[Path],
    settings,
    jobs: int,
    on_record=None,
    on_tick=None,
    sources: dict[str, bytes] | None = None,
) -> list[records.Record]:
    """Grade every path with `jobs` workers; one record per path, in the order given.

    on_record(index, record) is called as each submission is done, on_tick() about twice a
    second; sources: the package files to give the workers (read now when not given).
    Interrupted (Ctrl-C), the submissions not graded yet get a record saying so.
    """
    sources = sources if sources is not None else source_files()
    batch = _Batch(paths, settings, jobs, on_record, on_tick, sources)
    try:
        while batch.todo or batch.busy():
            batch.step()
    except KeyboardInterrupt:
        for index, record in enumerate(batch.records):
            if record is None:
                batch.records[index] = unfinished(paths[index], INTERRUPTED)
    finally:
        batch.close()
    return batch.records


if __name__ == "__main__":
    _worker()
