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
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

from nnscratch.classroom import limits, notebooks

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # .../nnscratch
INTERRUPTED = "not graded: grading was interrupted"


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
    # The configuration first, before the slower imports, so the main process is not kept
    # waiting to write it and can start the next worker at once.
    config = json.loads(sys.stdin.readline())

    import asyncio

    from nnscratch.classroom import records, submission

    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)  # nothing but the protocol goes to the main process
    limits.become_subreaper()
    files = {rel: base64.b64decode(data) for rel, data in config["files"].items()}
    copy_root = Path(__file__).resolve().parent.parent.parent  # where this private copy lives
    settings = submission.Settings(**dict(config["settings"], package_path=str(copy_root)))
    protocol.write(json.dumps({"ready": os.getpid()}) + "\n")
    for line in sys.stdin:
        job = json.loads(line)
        try:
            record = asyncio.run(submission.grade_submission(Path(job["path"]), settings))
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not cost the whole batch
            record = records.empty_record(Path(job["path"]))
            record["errors"] = [f"internal error of the grader: {type(exc).__name__}: {exc}"[:300]]
        limits.kill_tree(os.getpid(), collect=True)
        fixed = restore_files(copy_root, files)
        if fixed:
            record["errors"].insert(
                0,
                "not graded: the notebook changed the course package's files "
                f"({', '.join(fixed[:3])})",
            )
            record["passed"] = {k: False for k in record["passed"]}
        protocol.write(json.dumps({"job": job["job"], "record": record}) + "\n")


# --- the main process -----------------------------------------------------------------------


class _Worker:
    def __init__(self, number: int, rundir: Path, files: dict[str, bytes], settings: dict):
        self.root = rundir / f"worker-{number}"
        write_files(self.root, files)
        env = dict(os.environ, PYTHONPATH=str(self.root), PYTHONDONTWRITEBYTECODE="1")
        env.pop("NNSCRATCH_STRICT", None)
        self.log = open(rundir / f"worker-{number}.log", "wb")  # noqa: SIM115 - open while the worker lives
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "nnscratch.classroom.pool"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            cwd=str(self.root),
            env=env,
        )
        config = {
            "settings": settings,
            "files": {rel: base64.b64encode(data).decode("ascii") for rel, data in files.items()},
        }
        self.proc.stdin.write((json.dumps(config) + "\n").encode())
        self.proc.stdin.flush()
        self.buffer = b""
        self.ready = False
        self.job: int | None = None
        self.deadline = float("inf")

    def send(self, job: int, path: Path, deadline: float) -> None:
        self.job, self.deadline = job, deadline
        self.proc.stdin.write(
            (json.dumps({"job": job, "path": os.path.abspath(path)}) + "\n").encode()
        )
        self.proc.stdin.flush()

    def lines(self) -> tuple[list[dict], bool]:
        """Complete messages read now, and whether the worker has closed its end."""
        chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
        self.buffer += chunk
        messages = []
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            try:
                messages.append(json.loads(line))
            except ValueError:
                pass
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


def grade_all(
    paths: list[Path],
    settings,
    jobs: int,
    on_record=None,
    on_tick=None,
    sources: dict[str, bytes] | None = None,
) -> list[dict]:
    """Grade every path with `jobs` workers; one record per path, in the order given.

    on_record(index, record) is called as each submission is done, on_tick() about twice a
    second; sources: the package files to give the workers (read now when not given).
    """
    from nnscratch.classroom.records import empty_record

    files = package_files(sources if sources is not None else source_files())
    records: list[dict | None] = [None] * len(paths)
    todo = list(range(len(paths)))
    backstop = settings.notebook_timeout * settings.max_kernels + 600
    rundir = Path(tempfile.mkdtemp(prefix="nnscratch-grading-"))
    plain = asdict(replace(settings, package_path=""))
    selector = selectors.DefaultSelector()
    workers: list[_Worker] = []
    spawned = 0

    def finish(index: int, record: dict) -> None:
        record["path"] = str(paths[index])
        records[index] = record
        if on_record is not None:
            on_record(index, record)

    def spawn() -> None:
        nonlocal spawned
        spawned += 1
        worker = _Worker(spawned, rundir, files, plain)
        selector.register(worker.proc.stdout, selectors.EVENT_READ, worker)
        workers.append(worker)

    def retire(worker: _Worker, why: str) -> None:
        selector.unregister(worker.proc.stdout)
        workers.remove(worker)
        code = worker.kill()
        if worker.job is not None:
            record = empty_record(paths[worker.job])
            record["ids"] = notebooks.checked_ids(
                paths[worker.job]
            )  # its assignment, for the total
            signal_name = f" (signal {-code})" if code is not None and code < 0 else ""
            record["errors"] = [why + signal_name]
            finish(worker.job, record)
        shutil.rmtree(worker.root, ignore_errors=True)

    try:
        while todo or any(w.job is not None for w in workers):
            while len(workers) < min(jobs, len(todo) + sum(w.job is not None for w in workers)):
                spawn()
            for worker in workers:
                if worker.ready and worker.job is None and todo:
                    index = todo.pop(0)
                    worker.send(index, paths[index], time.monotonic() + backstop)
            if on_tick is not None:
                on_tick()
            for key, _ in selector.select(timeout=0.5):
                worker = key.data
                if worker not in workers:
                    continue
                messages, closed = worker.lines()
                for message in messages:
                    if "ready" in message:
                        worker.ready = True
                    elif message.get("job") == worker.job and isinstance(
                        message.get("record"), dict
                    ):
                        finish(worker.job, message["record"])
                        worker.job = None
                if closed:
                    retire(worker, "the grading process stopped while running this notebook")
            now = time.monotonic()
            for worker in workers:
                if worker.job is not None and now > worker.deadline:
                    retire(worker, f"grading took longer than {backstop:g} s and was stopped")
    except KeyboardInterrupt:
        for index, record in enumerate(records):
            if record is None:
                records[index] = empty_record(paths[index])
                records[index].update(
                    path=str(paths[index]),
                    errors=[INTERRUPTED],
                    ids=notebooks.checked_ids(paths[index]),
                )
    finally:
        for worker in workers:
            worker.job = None
            retire(worker, "")
        selector.close()
        shutil.rmtree(rundir, ignore_errors=True)
    return records


if __name__ == "__main__":
    _worker()
