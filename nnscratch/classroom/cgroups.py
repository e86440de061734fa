"""Memory and process limits that count a kernel's whole process tree: one cgroup per kernel.

Per-process limits (RLIMIT_AS) let six forked children of 250 MB each use 1.5 GB under a
1 GB limit; a cgroup counts them together, tmpfs files included. The grading run makes one
cgroup of its own below the one it runs in (cgroup v1's memory and pids hierarchies, or a
delegated cgroup v2), a child of it per kernel, and removes them all at the end. Where no
cgroup can be made (not root, no delegation, not Linux), `Tree.open` returns None and the
grader says so: then only the per-process limits of limits.py hold.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

CONTROLLERS = ("memory", "pids")


def _own_dirs() -> dict[str, Path]:
    """controller -> the directory of the cgroup this process is in ("" for cgroup v2)."""
    own, mounts = {}, {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            own[name.removeprefix("name=")] = path
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, kind = left.split(), right.split()
        if len(fields) < 5 or len(kind) < 3:
            continue
        if kind[0] == "cgroup2":
            mounts[""] = (fields[3], fields[4])
        elif kind[0] == "cgroup":
            for name in CONTROLLERS:
                if name in kind[2].split(","):
                    mounts[name] = (fields[3], fields[4])
    found = {}
    for name, (root, point) in mounts.items():
        if name in own:
            relative = os.path.relpath(own[name], root)
            found[name] = Path(point) / ("" if relative == "." else relative)
    return found


def run_parents() -> list[Path]:
    """Where grading runs make their cgroups (to find those of killed runs)."""
    try:
        return sorted(set(_own_dirs().values()))
    except (OSError, ValueError):
        return []


def _write(path: Path, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


class Tree:
    """The grading run's own cgroup(s); `kernel()` makes one child per kernel."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs  # one per hierarchy: [memory, pids] on v1, [unified] on v2
        self.count = 0

    @classmethod
    def open(cls, name: str) -> Tree | None:
        """Make the run's cgroup `name`; None when this system lets us make none."""
        try:
            own = _own_dirs()
        except (OSError, ValueError):
            return None
        if all(c in own for c in CONTROLLERS) and own["memory"] != own["pids"]:
            bases = [own["memory"], own["pids"]]  # cgroup v1: two hierarchies
        elif "" in own:
            bases = [own[""]]
        else:
            return None
        made = []
        try:
            for base in bases:
                (base / name).mkdir()
                made.append(base / name)
            tree = cls(made)
            if len(made) == 1:  # v2: the controllers must be handed down to the children
                _write(made[0] / "cgroup.subtree_control", "+memory +pids")
            probe = tree.kernel(memory_mb=64, tasks=8)
            probe.remove()
            return tree
        except OSError:
            for path in made:
                _rmdir(path)
            return None

    @classmethod
    def at(cls, dirs: list[str]) -> Tree:
        """The run's cgroup made by another process (the main grading process)."""
        return cls([Path(d) for d in dirs])

    def kernel(self, memory_mb: int, tasks: int) -> Limit:
        self.count += 1
        return Limit([d / f"k{os.getpid()}-{self.count}" for d in self.dirs], memory_mb, tasks)

    def remove(self) -> None:
        """Kill whatever is still in the run's cgroups and remove them (end of the run)."""
        for base in self.dirs:
            for child in sorted(base.glob("*/"), reverse=True):
                if child.is_dir():
                    Limit([child], 0, 0, create=False).remove()
            _rmdir(base)


class Limit:
    """One kernel's cgroup(s): memory (and swap) and number of tasks of its whole tree."""

    def __init__(self, dirs: list[Path], memory_mb: int, tasks: int, create: bool = True):
        self.dirs = dirs
        if not create:
            return
        for path in dirs:
            path.mkdir()
            names = {p.name for p in path.iterdir()}
            if memory_mb and "memory.limit_in_bytes" in names:  # v1
                _write(path / "memory.limit_in_bytes", str(memory_mb * 2**20))
                if "memory.memsw.limit_in_bytes" in names:
                    _write(path / "memory.memsw.limit_in_bytes", str(memory_mb * 2**20))
            if memory_mb and "memory.max" in names:  # v2
                _write(path / "memory.max", str(memory_mb * 2**20))
                if "memory.swap.max" in names:
                    _write(path / "memory.swap.max", "0")
            if "pids.max" in names:
                _write(path / "pids.max", str(tasks))
        self.procs = [str(path / "cgroup.procs") for path in dirs]

    def join(self) -> None:
        """Move the calling process into the cgroups (between fork and exec: only os calls)."""
        pid = str(os.getpid()).encode()
        for procs in self.procs:
            fd = os.open(procs, os.O_WRONLY)
            try:
                os.write(fd, pid)
            finally:
                os.close(fd)

    def pids(self) -> set[int]:
        found = set()
        for path in self.dirs:
            try:
                found.update(int(p) for p in (path / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return found

    def remove(self) -> None:
        """SIGKILL every process left in it, then remove it."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.02)
        for path in self.dirs:
            _rmdir(path)


def _rmdir(path: Path) -> None:
    for _ in range(50):  # a killed process leaves the cgroup a moment after its signal
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            time.sleep(0.02)
