"""Verdicts, computed in the grading process from the plain data a submission's kernel sent.

The kernel only ran the learner's code; here the reference runs, the outputs are compared
(nnscratch.grader.core.judge_case, the same comparison and hints as the notebook's check),
and the facts it reported are weighed: an object that is the course's own reference, or that
calls it, earns nothing for that exercise.
"""

from __future__ import annotations

from nnscratch.classroom.wire import WireError, from_plain
from nnscratch.grader import repairs
from nnscratch.grader.core import SKIPPED, judge_case
from nnscratch.grader.guard import StudentError
from nnscratch.grader.report import Outcome, Result
from nnscratch.i18n import N_, Phrase, _
from nnscratch.spec import Exercise


class BadAnswer(ValueError):
    """The kernel's answer is not shaped like inkernel.probe()'s."""


def failed(ex: Exercise, reason: str, seed: int) -> Result:
    """Every test failed for one reason that is not the learner's output (a crash, say).

    Written in the current language (a Phrase reason is translated whole)."""
    not_run = tuple(Outcome(_(c.name), False, _("not run")) for c in ex.cases)
    return Result(ex.id, not_run, _(reason), seed)


def _field(answer: dict, name: str, kind, default):
    value = answer.get(name, default)
    if not isinstance(value, kind):
        raise BadAnswer(f"{name} is a {type(value).__name__}")
    return value


def judge(ex: Exercise, answer: dict, seed: int) -> Result:
    """The Result of one exercise from the kernel's answer (raises BadAnswer if malformed)."""
    if not isinstance(answer, dict):
        raise BadAnswer("not an object")
    note = _field(answer, "note", str, "")[:500]
    if note:
        return failed(ex, note, seed)
    cases = _field(answer, "cases", list, [])
    if len(cases) != len(ex.cases):
        raise BadAnswer(f"{len(cases)} cases for {len(ex.cases)} tests")
    outcomes, gots = {}, {}  # all read first: a hint may weigh the learner's other outputs
    for index, (case, entry) in enumerate(zip(ex.cases, cases)):
        if not isinstance(entry, dict):
            raise BadAnswer("a case is not an object")
        if entry.get("skipped") is True:
            outcomes[index] = Outcome(_(case.name), False, _(SKIPPED))
            continue
        try:
            got = from_plain(entry.get("got"))
        except WireError as exc:
            unread = _("its output could not be read ({error})").format(error=exc)
            outcomes[index] = Outcome(_(case.name), False, unread)
            continue
        if not isinstance(got, (dict, StudentError)):
            raise BadAnswer("a case's outputs are not named")
        gots[index] = got
    for index, got in gots.items():
        outcomes[index] = judge_case(ex, index, got, seed, gots)
    return Result(ex.id, tuple(outcomes[i] for i in range(len(ex.cases))), seed=seed)


# The hints a kernel's repair may carry, with the fields each must fill.
REPAIR_HINTS = {
    repairs.REPAIRED: {"fixed", "yours", "line"},
    repairs.REPAIRED_WITHOUT: {"line"},
    repairs.REPAIRED_MOVED: {"later", "earlier"},
    repairs.REPAIRED_AFTER_LOOP: {"line"},
    repairs.REPAIRED_INTO_LOOP: {"line"},
}


def repair_hint(ex: Exercise, answer: dict, seed: int) -> Phrase | None:
    """The hint of the repair a kernel sent (inkernel.repair), or None: said only when it is one
    of the repair hints, and the changed code's outputs pass every test here."""
    if not isinstance(answer, dict) or not isinstance(answer.get("hint"), dict):
        return None
    template, params = answer["hint"].get("template"), answer["hint"].get("params")
    if template not in REPAIR_HINTS or not isinstance(params, dict):
        return None
    if set(params) != REPAIR_HINTS[template] or not all(
        isinstance(v, str) and len(v) <= 300 for v in params.values()
    ):
        return None
    cases = answer.get("cases")
    if not isinstance(cases, list) or len(cases) != len(ex.cases):
        return None
    gots = {}
    for index, entry in enumerate(cases):
        try:
            gots[index] = from_plain(entry.get("got")) if isinstance(entry, dict) else None
        except WireError:
            return None
        if not isinstance(gots[index], dict):
            return None  # an error, or outputs not named: no test passed
    for index, got in gots.items():
        if not judge_case(ex, index, got, seed, gots).passed:
            return None
    return Phrase(template, **params)


def origin_problem(ex: Exercise, answer: dict, target: str | None) -> str:
    """A sentence when the object graded is the course's own code rather than the learner's
    (a Phrase: in English for the gradebook, in the learner's language in the feedback)."""
    origin = answer.get("origin") if isinstance(answer.get("origin"), dict) else {}
    name = Phrase("`{target}`", target=target) if target else Phrase(N_("the object checked"))
    reference = ex.reference
    ref_name = (
        f"{getattr(reference, '__module__', 'nnscratch')}.{getattr(reference, '__qualname__', '')}"
    )
    if origin.get("is_reference") is True:
        return Phrase(
            N_("{name} is the course's own `{reference}`, not code written in this notebook"),
            name=name,
            reference=ref_name,
        )
    if origin.get("subclass_of_reference") is True:
        return Phrase(
            N_("{name} inherits from the course's own `{reference}` instead of implementing it"),
            name=name,
            reference=ref_name,
        )
    module = origin.get("module")
    if isinstance(module, str) and (module == "nnscratch" or module.startswith("nnscratch.")):
        return Phrase(
            N_("{name} comes from the course's package (`{module}`), not from this notebook"),
            name=name,
            module=module,
        )
    code = origin.get("package_code")
    if isinstance(code, list) and code:
        names = ", ".join(f"`{c}`" for c in code[:3] if isinstance(c, str))
        return Phrase(
            N_("{name} is made of the course package's own code ({names})"), name=name, names=names
        )
    calls = answer.get("reference_calls")
    if isinstance(calls, int) and not isinstance(calls, bool) and calls > 0:
        called = answer.get("reference_called")
        if isinstance(called, list) and called and all(isinstance(c, str) for c in called):
            ref_name = called[0][:100]  # what it called: the reference, or what it stands for
        return Phrase(
            N_(
                "{name} calls the course's own `{reference}` instead of computing the answer itself"
            ),
            name=name,
            reference=ref_name,
        )
    if answer.get("profiler_removed") is True:
        return Phrase(
            N_("{name} switched off the grader's watch (sys.setprofile) while being tested"),
            name=name,
        )
    return ""
