"""A check's result: data first, then two views of it (HTML in a notebook, text elsewhere)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from nnscratch.i18n import N_, _, current_language

# The colour of each status, wherever a result or a score is shown.
# The statuses are data (a CSS class, a key); _(status) shows one in the learner's language.
STATUS_COLOURS = {N_("passed"): "#1a7f37", N_("failed"): "#cf222e", N_("not attempted"): "#6e7781"}

# The definition and its check may share a cell, or not: one sentence right for both.
_REPLACE = N_(
    "Replace `raise NotImplementedError` with your code and run the cell that defines it "
    "again (and then the check, if it is in a cell of its own)."
)
_EARLIER = N_(
    "Already did? Then a function your code calls (one from an earlier exercise, "
    "say) still raises it."
)


@dataclass(frozen=True)
class Outcome:
    """The verdict on one test of an exercise."""

    name: str
    passed: bool
    message: str = ""  # what went wrong, in the learner's terms
    hint: str = ""  # the likely mistake, when it is a known one
    attempted: bool = True


@dataclass(frozen=True)
class Result:
    id: str
    outcomes: tuple[Outcome, ...]
    note: str = ""  # a problem with the object itself (wrong kind of thing passed)
    seed: int = 0
    extra: dict = field(default_factory=dict, compare=False)
    # The language its messages were written in (check()'s at the time): its views speak it too.
    language: str = field(default_factory=current_language, compare=False)

    @property
    def score(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.score == self.total

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if not any(o.attempted for o in self.outcomes):
            return "not attempted"
        return "failed"

    def verdict(self) -> str:
        """How it went, in a few words: "3/5 tests passed"."""
        if self.status == "passed":
            return _("all {total} tests passed", self.language).format(total=self.total)
        if self.status == "not attempted":
            return _("not attempted yet", self.language)
        return _("{score}/{total} tests passed", self.language).format(
            score=self.score, total=self.total
        )

    def summary(self) -> str:
        return _("{id}: {verdict}", self.language).format(id=self.id, verdict=self.verdict())

    def __str__(self) -> str:
        lines = [("✔ " if self.passed else "✘ ") + self.summary()]
        if self.status == "not attempted":
            lines.append(f"  {_(_REPLACE, self.language)}")
            lines.append(f"  {_(_EARLIER, self.language)}")
            return "\n".join(lines)
        if self.note:
            lines.append(f"  {self.note}")
        for o, hint in zip(self.outcomes, self._new_hints()):
            if not o.passed:
                failure = _("{test}: {problem}", self.language).format(
                    test=o.name, problem=o.message
                )
                lines.append(f"  ✘ {failure}")
                if hint:
                    lines.append("    " + _("Hint: {hint}", self.language).format(hint=hint))
        return "\n".join(lines)

    def _new_hints(self) -> list[str]:
        return new_hints(self.outcomes)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = STATUS_COLOURS[self.status]
        icon = {"passed": "✔", "failed": "✘", "not attempted": "…"}[self.status]
        rows = []
        if self.status == "not attempted":
            replace, earlier = _(_REPLACE, self.language), _(_EARLIER, self.language)
            rows.append(f"<li>{_code(replace)} {_code(earlier)}</li>")
        else:
            if self.note:
                rows.append(f"<li>{_code(self.note)}</li>")
            for o, hint in zip(self.outcomes, self._new_hints()):
                mark = "✔" if o.passed else "✘"
                text = f"{mark} <b>{html.escape(o.name)}</b>"
                if not o.passed:
                    text += _code(_(": {problem}", self.language).format(problem=o.message))
                    if hint:
                        shown = _code(_("Hint: {hint}", self.language).format(hint=hint))
                        text += f"<br><span style='color:#9a6700'>{shown}</span>"
                rows.append(f"<li style='list-style:none'>{text}</li>")
        return (
            f"<div class='nnscratch-check nnscratch-{self.status.replace(' ', '-')}' "
            f"style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>"
            f"<b style='color:{colour}'>{icon} {html.escape(self.summary())}</b>"
            f"<ul style='margin:4px 0;padding-left:8px'>{''.join(rows)}</ul></div>"
        )


def new_hints(outcomes) -> list[str]:
    """Each outcome's hint, blank where an earlier outcome already gave the same one."""
    seen, hints = set(), []
    for o in outcomes:
        hints.append("" if o.hint in seen else o.hint)
        seen.add(o.hint)
    return hints


def _code(text: str) -> str:
    """Escape text, showing `backticked` names as code."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
