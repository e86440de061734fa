"""Where a submission's kernel runs: sealed off by bubblewrap, or, where there is none, as is.

With bubblewrap (`bwrap`, Debian/Ubuntu package `bubblewrap`) each kernel gets its own user,
PID, IPC, UTS, cgroup and network namespaces (so no network, and no other process of the
machine to see or signal), an empty private HOME and /tmp, and of the file system only what
Python needs, read-only: /usr, /etc and the like, the Python installation, and the grading
worker's private copy of the course package. The kernel and the grader talk through Unix
sockets in a folder made for that one kernel, the only writable place shared with it.
Of /etc only a few harmless files are mounted: inside its user namespace the kernel owns
what the grading user owns, so a file of the grader's that is mounted is a file it can read.

`--sandbox none` (or no bubblewrap) runs the kernel as a plain process, as before: the grader
says so on its first line and in the details file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

HOME = "/home/learner"
TMPFS_BYTES = 256 * 2**20  # each of the private HOME and /tmp
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# What Python, NumPy and matplotlib read in /etc; nothing secret.
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "mime.types")


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def problem() -> str:
    """Why bubblewrap cannot be used here ("" when it can)."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux (this is {sys.platform})"
    bwrap = bwrap_path()
    if bwrap is None:
        return "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    argv = [bwrap, *mounts(), "--unshare-all", "--die-with-parent", "--", "/bin/true"]
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap did not run ({exc})"
    if done.returncode != 0:
        return (
            "bubblewrap cannot make namespaces here: "
            + done.stderr.decode(errors="replace")[:200].strip()
        )
    return ""


def python_dirs() -> list[str]:
    """The Python installation: the virtual environment, the interpreter's own prefix."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable)}
    dirs.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    dirs.update(sysconfig.get_paths().values())
    dirs = sorted(os.path.realpath(d) for d in dirs if d and os.path.isdir(d))
    # the outermost of nested folders is enough
    return [d for d in dirs if not any(d.startswith(o + os.sep) for o in dirs if o != d)]


def mounts() -> list[str]:
    """The system part of the file system, read-only (merged /usr symlinks kept as links)."""
    args = []
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for name in ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for path in python_dirs():
        if not any(path == s or path.startswith(s + os.sep) for s in SYSTEM):
            args += ["--ro-bind", path, path]
            if os.path.realpath(sys.prefix) == path and sys.prefix != path:
                args += ["--symlink", path, sys.prefix]
    return args + ["--proc", "/proc", "--dev", "/dev"]


def wrap(
    argv: list[str], *, package_root: str, socket_dir: str, read_only: dict | None = None
) -> list[str]:
    """argv run inside a fresh bubblewrap sandbox; read_only: more files, outside -> inside."""
    # The private /tmp and /home come first: the Python environment or the course may live
    # under /tmp (a clean clone in CI), and a mount made before the tmpfs would be hidden by it.
    private = []
    for path in ("/tmp", "/home"):
        private += ["--size", str(TMPFS_BYTES), "--tmpfs", path]
    extra = []
    for outside, inside in (read_only or {}).items():
        extra += ["--ro-bind", outside, inside]
    return [
        bwrap_path() or "bwrap",
        *private,
        *mounts(),
        *extra,
        "--dir",
        HOME,
        "--ro-bind",
        package_root,
        package_root,
        "--bind",
        socket_dir,
        socket_dir,
        "--chdir",
        HOME,
        "--unshare-all",  # user, pid, ipc, uts, cgroup and net: no network
        "--die-with-parent",  # the grader gone, the sandbox and all in it go too
        "--new-session",  # no terminal to push keystrokes into
        "--cap-drop",
        "ALL",
        "--setenv",
        "HOME",
        HOME,
        "--setenv",
        "TMPDIR",
        "/tmp",
        # ipykernel would watch this pid and, its parent in here being bwrap's pid 1, stop at
        # once; --die-with-parent does that job
        "--unsetenv",
        "JPY_PARENT_PID",
        "--",
        *argv,
    ]


def prepare_socket_dir(path: str) -> None:
    """The one folder the kernel shares with the grader."""
    os.makedirs(path, mode=0o700, exist_ok=True)
