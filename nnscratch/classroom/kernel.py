"""One fresh Jupyter kernel for one submission, driven request by request with hard time limits.

This is the machinery nbclient is built on (jupyter_client's kernel manager and client), used
directly, for reasons measured again for issue 10 (bench/grade_bench.py --imports, 2 cores,
nbclient 0.11, nbformat 5.11, jupyter_client 8.10, Python 3.11, December 2026):

- Import cost. `import nbformat` costs a fresh interpreter 3.6 s of CPU (10 s of wall time
  on the loaded test machine), `import nbclient` 3.8 s, against 0.33 s for
  `jupyter_client.manager`: nbformat imports its validator, whose jsonschema format checkers
  build a parser for RFC 3987 (rfc3987_syntax, a Lark grammar) on import. Each grading worker
  would pay that once, more than grading one Chapter 1 submission takes. The same holds for
  notebooks.read_code_cells, which reads the JSON itself rather than through nbformat.
- Control. Replies are read here in short polling slices: with nbclient 0.11, jupyter_client
  8.10 and pyzmq 27, a reply was seen to wait, unread, until the whole cell timeout expired
  (one cell in about 30); polling both channels every SLICE seconds bounds that wait to one
  slice, and each Reply records the lag between the kernel sending its reply and our reading
  it, so the tests and the benchmark can show the trap stays closed. nbclient also has no
  place for what grading needs per request: an output budget of every MIME type that stops
  reading a flood, a kernel started inside bubblewrap with interrupts sent as messages.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from queue import Empty

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager

from nnscratch.classroom import cgroups, limits, sandbox
from nnscratch.classroom.fonts import FONT_CACHE

SLICE = 0.05  # seconds: the longest we wait on the sockets before looking again
GRACE = 3.0  # seconds an interrupted request gets to stop before the kernel counts as hung
IDLE_WAIT = 2.0  # seconds to wait for the last outputs after the reply came


@dataclass
class Reply:
    status: str  # "ok", "error", "dead" (the kernel died), "hung" (it would not stop), "exit"
    ename: str = ""
    evalue: str = ""
    timed_out: bool = False  # ran past its time limit and was interrupted
    flooded: bool = False  # printed more than max_output and was interrupted
    seconds: float = 0.0
    output_bytes: int = 0
    captured: list = field(default_factory=list)  # payloads of the grader's own message type
    foreign: int = 0  # messages of the grader's type from elsewhere (the notebook printing them)
    lag: float = 0.0  # seconds from the kernel sending its reply to our reading it
    read_bytes: int = 0  # all the output read meanwhile, leftovers of earlier requests included


OUTPUT_KINDS = ("stream", "display_data", "update_display_data", "execute_result", "error")


class _Request:
    """One execute request and what has been read of it so far."""

    def __init__(self, kc, code, store_history, mime, answers, finished):
        self.msg_id = kc.execute(
            code, silent=False, store_history=store_history, allow_stdin=False, stop_on_error=False
        )
        self.mime, self.answers, self.finished = mime, answers, finished
        self.reply = Reply("ok")
        self.idle = False

    def on_shell(self, msg) -> bool:
        """Whether msg is this request's reply."""
        if (msg.get("parent_header") or {}).get("msg_id") != self.msg_id:
            return False
        reply, content = self.reply, msg.get("content") or {}
        reply.lag = _lag(msg)
        if content.get("status") == "error" and reply.status == "ok":
            reply.status = "error"
            reply.ename = str(content.get("ename", ""))[:200]
            reply.evalue = str(content.get("evalue", ""))[:500]
        if any(
            isinstance(p, dict) and p.get("source") == "ask_exit"
            for p in content.get("payload") or []
        ):
            reply.status = "exit"  # exit() or quit(): the kernel is about to stop
        return True

    def on_iopub(self, msg) -> None:
        reply, kind = self.reply, msg["header"]["msg_type"]
        parent = (msg.get("parent_header") or {}).get("msg_id")
        content = msg.get("content") or {}
        if kind not in OUTPUT_KINDS:
            if parent == self.msg_id and kind == "status":
                self.idle = self.idle or content.get("execution_state") == "idle"
            return
        size = _text_size(content)
        reply.read_bytes += size
        if parent in self.finished:
            return  # a late leftover of an earlier request
        reply.output_bytes += size  # every kind and MIME type counts against the limit
        data = content.get("data") or {}
        if self.mime and isinstance(data, dict) and self.mime in data:
            if self.answers and parent == self.msg_id and kind == "display_data":
                reply.captured.append(data[self.mime])
            else:
                reply.foreign += 1


# What `python -m ipykernel_launcher` does (the working folder off sys.path while it loads;
# IPython puts it back), without the debugger: ipykernel imports debugpy whenever it can, and
# nobody debugs a graded kernel (measured: 0.12-0.15 s of CPU per kernel, a fifth of its start).
# The kernel's stdin is a lifeline: a pipe whose other end only its worker holds. When the
# worker dies (killed with the grader, SIGKILL: no clean-up), the pipe reads end-of-file and
# the kernel ends itself. The parent-death signals cannot do this alone: bubblewrap arranges
# its own only once it has started, and a grader killed while a sandbox was starting left it
# and its kernel running (seen in a clean-clone CI run on a loaded 2-core machine).
LIFELINE = (
    "import os, threading; "
    "threading.Thread(target=lambda: (os.read(0, 1), os._exit(1)), daemon=True).start(); "
)
LAUNCH = (
    "import sys; del sys.path[0]; sys.modules['debugpy'] = None; "
    + LIFELINE
    + "from ipykernel import kernelapp; kernelapp.launch_new_instance()"
)


class _SpecManager(KernelSpecManager):
    """Always this interpreter's ipykernel, whatever kernel the notebook's metadata names.

    Sandboxed, the kernel is bubblewrap's grandchild in its own PID namespace: a signal to the
    process jupyter_client started would not reach it, so interrupts go as messages.
    """

    def __init__(self, wrap=None, **kwargs):
        super().__init__(**kwargs)
        self.wrap = wrap

    def get_kernel_spec(self, kernel_name):
        argv = [sys.executable, "-c", LAUNCH, "-f", "{connection_file}"]
        return KernelSpec(
            argv=self.wrap(argv) if self.wrap else argv,
            display_name="Python (nnscratch grading)",
            language="python",
            resource_dir=os.path.dirname(__file__),
            interrupt_mode="message" if self.wrap else "signal",
            metadata={},
        )


def _text_size(content) -> int:
    size = 0
    if isinstance(content, str):
        return len(content)
    if isinstance(content, dict):
        for value in content.values():
            size += _text_size(value)
    elif isinstance(content, (list, tuple)):
        for value in content:
            size += _text_size(value)
    return size


class Kernel:
    """A fresh kernel in workdir, with the environment and limits given.

    package_root: sandboxed, the folder holding the course package the kernel imports (mounted
    read-only); tree: the cgroup that limits the kernel's whole process tree, or None.
    """

    def __init__(
        self,
        workdir: str,
        env: dict,
        *,
        memory_mb: int,
        startup_timeout: float = 60,
        sandboxed: bool = False,
        package_root: str = "",
        tree: cgroups.Limit | None = None,
        font_cache: str = "",
    ):
        self.workdir, self.env, self.memory_mb = workdir, env, memory_mb
        self.startup_timeout = startup_timeout
        self.sandboxed, self.tree = sandboxed, tree
        wrap = None
        if sandboxed:
            sandbox.prepare_socket_dir(workdir)

            extra = {}
            if font_cache:
                name = os.path.basename(font_cache)
                extra[font_cache] = f"{sandbox.HOME}/{FONT_CACHE}/{name}"

            def wrap(argv):
                return sandbox.wrap(
                    argv, package_root=package_root, socket_dir=workdir, read_only=extra
                )

        elif font_cache:
            os.makedirs(os.path.join(workdir, FONT_CACHE))
            shutil.copy(font_cache, os.path.join(workdir, FONT_CACHE))

        options = {"kernel_name": "nnscratch-grading", "kernel_spec_manager": _SpecManager(wrap)}
        if os.name == "posix":  # Unix sockets in the submission's own folder: no ports to race for
            options.update(transport="ipc", ip=os.path.join(workdir, ".kernel"))
        self.km = AsyncKernelManager(**options)
        self.km.connection_file = os.path.join(workdir, "kernel.json")
        self.kc = None
        self.pid = None
        self.pgid = None
        self.finished: set[str] = set()  # ids of the requests already answered
        self._lifeline = None  # the worker's end of the kernel's stdin (LIFELINE)
        self.cpu = 0.0  # CPU seconds of the kernel's whole process tree, read when it stops

    async def start(self) -> None:
        env = self.env
        if not self.sandboxed:  # its own HOME: no IPython profile or startup file of anyone else
            env = dict(env, HOME=self.workdir, IPYTHONDIR=os.path.join(self.workdir, ".ipython"))
        kwargs = {
            "env": env,
            "cwd": self.workdir,
            "stdout": subprocess.DEVNULL,
            "stderr": subprocess.DEVNULL,
            "extra_arguments": ["--HistoryManager.enabled=False"],
        }
        if self.sandboxed:
            kwargs["cwd"] = None  # the sandbox sets its own (HOME)
        apply_limits = limits.kernel_limits(
            self.memory_mb,
            join=self.tree.join if self.tree else None,
            count_tasks=self.tree is None,
        )
        if apply_limits is not None:
            kwargs["preexec_fn"] = apply_limits
        lifeline, self._lifeline = os.pipe()  # see LIFELINE; both ends close on exec
        kwargs["stdin"] = lifeline
        try:
            await self.km.start_kernel(**kwargs)
        finally:
            os.close(lifeline)
        provisioner = self.km.provisioner
        self.pid = getattr(provisioner, "pid", None)
        self.pgid = getattr(provisioner, "pgid", None)
        self.kc = self.km.client()
        self.kc.start_channels()
        await self._wait_for_ready()

    async def _wait_for_ready(self) -> None:
        """Until the kernel answers on its shell and IOPub channels.

        jupyter_client's wait_for_ready, without its last step: waiting for 0.2 s of silence
        on IOPub, to drop what the start left there (0.2 s of every kernel, in a batch where
        the kernels' wall time is the grading's; run() ignores messages of others' requests).
        """
        deadline = time.monotonic() + self.startup_timeout
        while True:
            self.kc.kernel_info()
            try:
                msg = await self.kc.get_shell_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.kc.get_iopub_msg(timeout=0.2)  # IOPub is connected too
                except Empty:
                    pass
                else:
                    self.kc._handle_kernel_info_reply(msg)  # the protocol version it speaks
                    return
            if not await self.alive():
                raise RuntimeError("the kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the kernel did not answer in {self.startup_timeout:g} s")

    async def alive(self) -> bool:
        try:
            return bool(await self.km.is_alive())
        except Exception:  # noqa: BLE001 - a manager whose process vanished
            return False

    async def run(
        self,
        code: str,
        timeout: float,
        *,
        max_output: int,
        mime: str | None = None,
        store_history: bool = True,
        answers: bool = False,
    ) -> Reply:
        """Execute code; interrupt it when it overruns its time or output, give up if it goes on.

        Output of every kind counts against max_output, the grader's own MIME type included.
        mime: the grader's message type; answers: keep this request's messages of that type
        (the grader's own requests), otherwise they are only counted (a notebook imitating).
        Once it has printed more than max_output, its output is no longer read: the kernel's
        publisher drops what nobody reads, so a flood costs neither memory nor time here.
        """
        request = _Request(self.kc, code, store_history, mime, answers, self.finished)
        started = time.monotonic()
        reply = request.reply
        got_reply_at = interrupted_at = None
        next_alive_check = started + 0.5
        while True:
            now = time.monotonic()
            if got_reply_at and (request.idle or reply.flooded or now - got_reply_at > IDLE_WAIT):
                break
            if interrupted_at is None and (
                now - started > timeout or reply.output_bytes > max_output
            ):
                reply.timed_out = now - started > timeout
                reply.flooded = not reply.timed_out
                interrupted_at = now
                await self.interrupt()
            if interrupted_at is not None and not got_reply_at and now - interrupted_at > GRACE:
                reply.status = "hung"
                break
            if now >= next_alive_check:
                next_alive_check = now + 0.5
                if not await self.alive():
                    reply.status = "dead"
                    break
            for channel, msg in await _poll(self.kc, SLICE, iopub=not reply.flooded):
                if channel == "shell":
                    if request.on_shell(msg):
                        got_reply_at = time.monotonic()
                else:
                    request.on_iopub(msg)
        self.finished.add(request.msg_id)
        reply.seconds = time.monotonic() - started
        return reply

    async def interrupt(self) -> None:
        try:
            await self.km.interrupt_kernel()
        except Exception:  # noqa: BLE001 - already dead
            pass

    async def stop(self) -> None:
        """Shut the kernel down and kill anything it started."""
        if self.pid:
            self.cpu = limits.cpu_seconds(self.pid)
            limits.kill_tree(self.pid)  # its own children first, while they can still be found
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                await asyncio.wait_for(self.km.shutdown_kernel(now=True), 15)
        except Exception:  # noqa: BLE001 - clean-up must go on whatever happened
            pass
        finally:
            self.kc = None
            limits.kill_group(self.pgid)
            if self.tree is not None:
                self.tree.remove()
            try:
                await self.km.cleanup_resources()  # a coroutine in AsyncKernelManager
            except Exception:  # noqa: BLE001
                pass
            if self._lifeline is not None:
                os.close(self._lifeline)
                self._lifeline = None


def _lag(msg) -> float:
    sent = msg["header"].get("date")
    if not isinstance(sent, datetime.datetime):
        return 0.0
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=datetime.UTC)
    return max(0.0, (datetime.datetime.now(datetime.UTC) - sent).total_seconds())


async def _poll(kc, timeout: float, iopub: bool = True) -> list:
    """What both channels hold now; if nothing, wait at most one slice for more."""
    found = []
    channels = [("shell", kc.get_shell_msg)] + ([("iopub", kc.get_iopub_msg)] if iopub else [])
    for name, get in channels:
        while len(found) < 500:
            try:
                found.append((name, await get(timeout=0)))
            except Empty:
                break
    if found:
        return found
    name, get = channels[-1]
    try:
        found.append((name, await get(timeout=timeout)))
    except Empty:
        pass
    return found
