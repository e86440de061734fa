"""The learner's language: which catalogue check()'s feedback, progress() and the grading
CLI's feedback files speak.

Messages are written in English in the code and marked for extraction: `_("...")` where the
text is shown at once, `N_("...")` where it is data shown later (a hint in an exercise table),
translated with `_()` at the moment it is shown. Babel extracts them into nnscratch/locale/
nnscratch.pot; each language has one catalogue, nnscratch/locale/<language>/LC_MESSAGES/
nnscratch.po, compiled to the .mo beside it that Python's gettext reads (see
tools/catalogues.py). English needs no catalogue: a message is its own English text.

A notebook chooses its language in its first code cell (the Chinese edition's says
`nnscratch.use_language("zh")`); NNSCRATCH_LANG sets the default for a whole process, and
`with speaking("zh"):` for one piece of work (the grading CLI judges each submission in its
notebook's language this way, leaving the next one's untouched).

A message built from parts that is stored now and shown later, perhaps in another language,
is a Phrase: it is its English text (a str, so storing and comparing it changes nothing) and
keeps its template and parameters, so `_()` can translate the template and then format it.
"""

from __future__ import annotations

import gettext
import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "nnscratch"
LANGUAGES = ("en", "zh")  # the course's editions; "en" is the messages' own text

_current = {"language": ""}
# The language of one piece of work (speaking()): a context variable, so concurrent work in
# threads or asyncio tasks never sees another's. use_language() stays a process-wide setting on
# purpose: a kernel may run each cell in a context of its own (ipykernel's async cells), where a
# context variable set by the first cell would be gone in the next.
_speaking: ContextVar[str] = ContextVar("nnscratch_speaking", default="")


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"nnscratch speaks {', '.join(repr(code) for code in LANGUAGES)}, not {language!r}"
        )
    return language


def use_language(language: str) -> None:
    """Speak `language` ("en" or "zh") from now on in this process (this notebook's kernel)."""
    _current["language"] = _checked(language)


@contextmanager
def speaking(language: str):
    """Speak `language` inside the with-block only (in this thread or task); then as before."""
    token = _speaking.set(_checked(language))
    try:
        yield
    finally:
        _speaking.reset(token)


def current_language() -> str:
    """speaking()'s language, else use_language()'s, else NNSCRATCH_LANG's, else English."""
    if _speaking.get():
        return _speaking.get()
    if _current["language"]:
        return _current["language"]
    from_env = os.environ.get("NNSCRATCH_LANG", "").strip()
    return from_env if from_env in LANGUAGES else "en"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of one language; English (and a missing catalogue) translates nothing."""
    if _checked(language) == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE, languages=[language], fallback=True)


def _(message: str, language: str | None = None) -> str:
    """message in the current language (or in `language`): its translation, else itself.

    A Phrase is translated whole: its template, then its parameters that are Phrases."""
    if not message:
        return message
    language = language or current_language()
    if isinstance(message, Phrase):
        return message.text(language)
    return translations(language).gettext(message)


def N_(message: str) -> str:
    """Marks message for extraction where it is stored, not shown: translate it with _() later."""
    return message


class Phrase(str):
    """A message to show later: its English text, with the template and parameters it was
    formatted from, so that _() can show it in any language.

        Phrase(N_("code cell {number} crashed the kernel"), number=3)  # == "code cell 3 ..."

    A parameter that is itself a Phrase is translated with it; Phrase(N_("text")) marks
    a plain message. (A str subclass like the "lazy strings" of Flask-Babel, but eager: its
    value is the English text, so code that stores, compares or writes it is unchanged.)
    """

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        english = template.format(**params) if params else template
        phrase = super().__new__(cls, english)
        phrase.template, phrase.params = template, params
        return phrase

    def text(self, language: str | None = None) -> str:
        """The phrase in `language` (default: the current one)."""
        template = translations(language or current_language()).gettext(self.template)
        if not self.params:
            return template
        return template.format(
            **{k: _(v, language) if isinstance(v, Phrase) else v for k, v in self.params.items()}
        )

    def __reduce__(self):  # copied and pickled as the phrase it is, not as its English text
        return (_phrase, (self.template, self.params))


def _phrase(template: str, params: dict) -> Phrase:
    return Phrase(template, **params)
