"""What keeps a submission's kernel in bounds: resource limits, and cleaning up what it leaves.

POSIX only for the limits (they are skipped elsewhere); the process clean-up uses /proc on
Linux and falls back to the kernel's process group on other systems.
"""

from __future__ import annotations

import os
import signal
import sys

try:
    import resource
except ImportError:  # Windows
    resource = None

PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1


def kernel_limits(
    memory_mb: int,
    file_mb: int = 256,
    extra_tasks: int = 512,
    *,
    join=None,
    count_tasks: bool = True,
):
    """A function for Popen(preexec_fn=...) that caps the kernel's memory, files and processes.

    memory: the address space of each process (RLIMIT_AS), so a runaway allocation fails with
    MemoryError (the whole tree's memory is the cgroup's job, see cgroups.py); files: the size
    of any file it writes; no core dumps; and, on Linux when no cgroup counts the tree's tasks
    (count_tasks), at most extra_tasks more processes/threads than the kernel's user runs now.
    join(): enter the kernel's cgroup (see cgroups.py) before anything else.
    """
    if resource is None:
        return None
    wanted = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, file_mb * 2**20)]
    if memory_mb:
        wanted.append((resource.RLIMIT_AS, memory_mb * 2**20))
    nproc = getattr(resource, "RLIMIT_NPROC", None)
    # RLIMIT_NPROC counts the tasks of the user, and root is exempt from it.
    if count_tasks and nproc is not None and sys.platform.startswith("linux") and os.getuid() != 0:
        wanted.append((nproc, count_user_tasks() + extra_tasks))
    # Clamp to the hard limits now, in the parent: between fork and exec, do as little as possible.
    limits = []
    for kind, value in wanted:
        _soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        limits.append((kind, value, hard))

    parent = os.getpid()
    prctl = _libc_prctl()  # looked up now: between fork and exec, no loading of libraries

    def apply():
        # Dies with the worker, even if the worker dies before the kernel (or bubblewrap) could
        # arrange that itself: the signal is kept across exec.
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() != parent:
                os._exit(1)
        if join is not None:
            join()
        for kind, value, hard in limits:
            try:
                resource.setrlimit(kind, (value, hard))
            except (ValueError, OSError):
                pass

    return apply


def count_user_tasks() -> int:
    """Processes and threads of this user (what RLIMIT_NPROC counts on Linux)."""
    uid, total = os.getuid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    total += len(os.listdir(f"/proc/{entry}/task"))
            except OSError:
                pass
    return total


def die_with_parent() -> bool:
    """Linux: this process gets SIGKILL when its parent dies (a killed grading run)."""
    return _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _libc_prctl():
    """Linux's prctl, callable, or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _prctl(option: int, value: int) -> bool:
    prctl = _libc_prctl()
    return prctl is not None and prctl(option, value, 0, 0, 0) == 0


def become_subreaper() -> bool:
    """Linux: orphans of our descendants become our children, so none can escape clean-up."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def _parents() -> dict[int, int]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read().decode("ascii", "replace")
                # "pid (name) state ppid ...": the name may hold spaces and parentheses
                out[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    return out


def descendants(pid: int) -> list[int]:
    """Every process below pid (Linux; empty elsewhere)."""
    if not os.path.isdir("/proc/self/task"):
        return []
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of pid and every process below it, the reaped ones included
    (Linux; 0.0 elsewhere): what one kernel cost the machine, to compare runs under any load."""
    if not pid or not os.path.isdir("/proc/self/task"):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in [pid, *descendants(pid)]:
        try:
            with open(f"/proc/{each}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            # after "pid (name) ": state ppid ... utime(14) stime cutime cstime (1-based fields)
            fields = stat[stat.rindex(")") + 2 :].split()
            total += sum(int(value) for value in fields[11:15])
        except (OSError, ValueError, IndexError):
            pass
    return total / ticks


def kill_tree(pid: int, include_root: bool = False, collect: bool = False) -> int:
    """SIGKILL everything below pid (and pid itself if asked). Returns how many were signalled.

    collect: also reap every exited child of this process (only in a process whose children
    are all ours to reap, like a grading worker).
    """
    victims = descendants(pid) + ([pid] if include_root else [])
    for victim in victims:
        try:
            os.kill(victim, signal.SIGKILL)
        except OSError:
            pass
    if collect:
        reap()
    return len(victims)


def kill_group(pgid: int | None) -> None:
    if pgid and hasattr(os, "killpg"):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass


def reap() -> None:
    """Collect exited children, so none stays a zombie."""
    if not hasattr(os, "waitpid"):
        return
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
