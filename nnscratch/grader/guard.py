"""Run a learner's code so that nothing it does can crash or hang the grader."""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
import traceback
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from nnscratch.expect import NotAsExpected
from nnscratch.i18n import _

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PYTHON_DIRS = (os.path.dirname(os.path.abspath(np.__file__)), os.path.dirname(os.__file__))
_LIBRARY_DIRS = (*_PYTHON_DIRS, _PACKAGE_DIR)


_CHECKER_DIRS = (
    *(os.path.join(_PACKAGE_DIR, d) + os.sep for d in ("exercises", "grader")),
    os.path.join(_PACKAGE_DIR, "expect.py"),
)


class TimeLimitExceeded(BaseException):
    """A BaseException, so a learner's `except Exception:` cannot swallow it."""


@dataclass(frozen=True)
class StudentError:
    """What went wrong inside the learner's code, as plain data."""

    kind: str  # "exception", "checking" (raised by the check using a result), "timeout", "not attempted"
    type: str = ""
    message: str = ""
    where: str = ""  # the learner's line, e.g. "line 3, in sigmoid: return 1 / 1 + np.exp(-x)"
    code: str = ""  # that line's code alone, "return 1 / 1 + np.exp(-x)", for hints to read

    def text(self) -> str:
        if self.kind == "timeout":
            return self.message
        if self.kind == "checking":
            return checker_text(self.type, self.message)
        head = f"{self.type}: {self.message}" if self.message else self.type
        return f"{head} ({self.where})" if self.where else head


def _learner_frame(tb):
    """The deepest frame that is not numpy's, Python's or the grader's: the learner's, or None."""
    frames = [
        f
        for f in traceback.extract_tb(tb)
        if not os.path.abspath(f.filename).startswith(_LIBRARY_DIRS)
    ]
    return frames[-1] if frames else None


def _learner_line(tb) -> str:
    """Where the learner's code failed: "line 3, in sigmoid: return 1 / 1 + np.exp(-x)"."""
    f = _learner_frame(tb)
    if f is None:
        return ""
    code = (f.line or "").strip()
    if code:
        return _("line {number}, in {function}: {code}").format(
            number=f.lineno, function=f.name, code=code
        )
    return _("line {number}, in {function}").format(number=f.lineno, function=f.name)


def _raised_by_checker(tb) -> bool:
    """True when the deepest frame that is not numpy's or Python's is the checking code's own
    (a case's run using what the learner's code returned), not the learner's."""
    frames = [
        f
        for f in traceback.extract_tb(tb)
        if not os.path.abspath(f.filename).startswith(_PYTHON_DIRS)
    ]
    return bool(frames) and os.path.abspath(frames[-1].filename).startswith(_CHECKER_DIRS)


def checker_text(type_name: str, message: str) -> str:
    """An exception raised while the check used the learner's result, in the learner's terms."""
    if type_name == NotAsExpected.__name__:
        return message
    if "NoneType" in message:
        return _("the check got None where your code should give a value")
    if type_name == "AttributeError":  # names the learner's own class and the missing attribute
        return f"{type_name}: {message}"
    called = re.match(
        r"([\w.]+)\(\) (missing \d+ required .*|takes .* but \d+ .* given"
        r"|got an unexpected keyword argument .*)$",
        message,
    )
    if type_name == "TypeError" and called:
        # the learner's function or method refused the arguments the exercise describes
        return _(
            "your `{function}` takes other arguments than the exercise gives it ({error})"
        ).format(function=called.group(1) + "()", error=called.group(2))
    return _("the check could not use what your code gave it ({error})").format(
        error=f"{type_name}: {message}"
    )


def describe(exc: BaseException) -> StudentError:
    if isinstance(exc, NotImplementedError):
        return StudentError("not attempted", "NotImplementedError")
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, NotAsExpected):
        return StudentError("checking", type(exc).__name__, message[:300])
    if _raised_by_checker(exc.__traceback__):
        # Never show the course's own line as if it were the learner's.
        return StudentError("checking", type(exc).__name__, message[:300])
    frame = _learner_frame(exc.__traceback__)
    return StudentError(
        "exception",
        type(exc).__name__,
        message[:300],
        _learner_line(exc.__traceback__),
        ((frame.line or "") if frame else "").strip()[:300],
    )


@contextmanager
def _alarm(seconds: float):
    def on_alarm(signum, frame):
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    # Re-fire every 0.2 s, in case the learner's code catches the first one with a bare except.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.2)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def guarded(fn, *args, time_limit: float = 5.0):
    """Call fn(*args); return its result, or a StudentError describing what went wrong.

    Warnings (overflow in exp, say) are not failures and are silenced; an endless loop is
    stopped after time_limit seconds.
    """
    timeout = StudentError(
        "timeout",
        "TimeLimitExceeded",
        _("did not finish within {seconds} s: an endless loop, or far too much work?").format(
            seconds=f"{time_limit:g}"
        ),
    )
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if _can_use_alarm():
            try:
                with _alarm(time_limit):
                    return fn(*args)
            except TimeLimitExceeded:
                return timeout
            except (KeyboardInterrupt, SystemExit) as exc:
                return StudentError(
                    "exception", type(exc).__name__, _("the code tried to stop Python")
                )
            except BaseException as exc:  # noqa: BLE001 - anything the learner raises is feedback
                return describe(exc)
        return _in_thread(fn, args, time_limit, timeout)


def _in_thread(fn, args, time_limit, timeout):
    """Fallback where signals cannot be used (Windows, a non-main thread)."""
    box = {}

    def target():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001
            box["error"] = describe(exc)

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(time_limit)
    if worker.is_alive():
        print(_("Warning: the timed-out code is still running in the background."), file=sys.stderr)
        return timeout
    return box.get("error", box.get("value"))
