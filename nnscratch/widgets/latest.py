"""Run a job for the newest request only: a fast drag shows its latest position, never a queue."""

from __future__ import annotations

import threading
from collections.abc import Callable


class LatestOnly:
    """job(request) runs in a worker thread, one call at a time; a request that arrives while
    the job runs replaces any request still waiting, so superseded requests are dropped.

    In a kernel, the slider's messages are handled by the main thread: handing the drawing to
    this worker lets the kernel read the next message at once instead of queueing it behind a
    redraw. The thread lives only while there is work (no idle thread per figure).
    on_error(exception) is called in the worker when the job raises.
    """

    def __init__(self, job: Callable, on_error: Callable[[BaseException], None] | None = None):
        self.job, self.on_error = job, on_error
        self._changed = threading.Condition(
            threading.RLock()
        )  # re-entrant: see submit_unless_waiting
        self._waiting: tuple | None = None  # (request,) while one waits
        self._worker: threading.Thread | None = None
        self.dropped = 0  # requests replaced before they ran (for tests and benchmarks)

    def submit(self, request) -> None:
        with self._changed:
            if self._waiting is not None:
                self.dropped += 1
            self._waiting = (request,)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True)
                self._worker.start()

    def submit_unless_waiting(self, request) -> bool:
        """Submit request unless another waits (then False): a job asking to run again (the
        next slice of its work) yields to any newer request."""
        with self._changed:
            if self._waiting is not None:
                return False
            self.submit(request)
            return True

    def _work(self) -> None:
        try:
            while True:
                with self._changed:
                    if self._waiting is None:  # in the lock: a submit now starts a new worker
                        self._worker = None
                        self._changed.notify_all()
                        return
                    (request,), self._waiting = self._waiting, None
                try:
                    self.job(request)
                except Exception as error:  # noqa: BLE001 - reported, and the worker goes on
                    if self.on_error is not None:
                        self.on_error(error)
        except BaseException:  # on_error failed, or the thread is ending: let a new one start
            with self._changed:
                self._worker = None
                self._changed.notify_all()
            raise

    def wait(self, timeout: float | None = None) -> bool:
        """Block until every request has run (True) or the timeout passes (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._worker is None, timeout)
