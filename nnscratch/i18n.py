"""The learner's language: which catalogue check()'s feedback, progress() and the grading
CLI's feedback files speak.

Messages are written in English in the code and marked for extraction: `_("...")` where the
text is shown at once, `N_("...")` where it is data shown later (a hint in an exercise table),
translated with `_()` at the moment it is shown. Babel extracts them into nnscratch/locale/
nnscratch.pot; each language has one catalogue, nnscratch/locale/<language>/LC_MESSAGES/
nnscratch.po, compiled to the .mo beside it that Python's gettext reads (see
tools/catalogues.py). English needs no catalogue: a message is its own English text.

A notebook chooses its language in its first code cell (the Chinese edition's says
`nnscratch.use_language("zh")`); NNSCRATCH_LANG sets the default for a whole process.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "nnscratch"
LANGUAGES = ("en", "zh")  # the course's editions; "en" is the messages' own text

_current = {"language": ""}


def _checked(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(
            f"nnscratch speaks {', '.join(repr(code) for code in LANGUAGES)}, not {language!r}"
        )
    return language


def use_language(language: str) -> None:
    """Speak `language` ("en" or "zh") from now on in this process (this notebook's kernel)."""
    _current["language"] = _checked(language)


def current_language() -> str:
    """The language chosen with use_language(), else NNSCRATCH_LANG's, else English."""
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
    """message in the current language (or in `language`): its translation, else itself."""
    if not message:
        return message
    return translations(language or current_language()).gettext(message)


def N_(message: str) -> str:
    """Marks message for extraction where it is stored, not shown: translate it with _() later."""
    return message
