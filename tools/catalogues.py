"""Keep the feedback's message catalogues in step with the code: `python tools/catalogues.py`.

Three steps, Babel's own (the same as `pybabel extract`, `update` and `compile`):

1. extract every message marked `_("...")` or `N_("...")` in nnscratch/ into the template
   nnscratch/locale/nnscratch.pot;
2. update each language's catalogue nnscratch/locale/<language>/LC_MESSAGES/nnscratch.po from
   it: new messages arrive untranslated, changed ones fuzzy (translate them there);
3. compile each .po to the .mo beside it, which the package reads with Python's gettext
   (only translated, non-fuzzy messages are compiled: the rest is shown in English).

Babel is needed only here and in the tests (requirements-test.txt), not to use the course.
`--check` changes nothing and exits 1 when a step would change a file (for CI).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nnscratch"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "nnscratch.pot"
LANGUAGES = ("zh",)  # English is the messages' own text: it has no catalogue
# _() and N_() are among Babel's default keywords; no other function marks a message.
KEYWORDS = {name: DEFAULT_KEYWORDS[name] for name in ("_", "N_")}


HEADER = dict(
    project="nnscratch",
    copyright_holder="the nnscratch authors",
    msgid_bugs_address="https://github.com/nnscratch/nn-from-scratch/issues",
    fuzzy=False,
)


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "nnscratch.po"


def extract() -> Catalog:
    """Every marked message of the package, with where it is used (file names, no lines)."""
    template = Catalog(**HEADER)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("i18n:",)
    ):
        template.add(
            message,
            locations=[(f"nnscratch/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # No line numbers and no wrapping: a message moving in the code leaves its entry alone.
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _same_but_dates(old: bytes, new: bytes) -> bool:
    """Equal but for the header's dates (which every run would change) and Babel's version."""
    dated = (b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:')
    strip = lambda text: [line for line in text.splitlines() if not line.startswith(dated)]
    return strip(old) == strip(new)


def _write(path: Path, data: bytes, check: bool, changed: list[str]) -> bytes:
    """Write data to path unless it holds the same; return what the file holds (or would)."""
    old = path.read_bytes() if path.exists() else b""
    if old == data or (path.suffix != ".mo" and _same_but_dates(old, data)):
        return old
    changed.append(str(path.relative_to(ROOT)))
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return data


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed: list[str] = []
    template = extract()
    _write(TEMPLATE, po_text(template), check, changed)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            with open(path, "rb") as f:
                catalog = read_po(f, locale=language, domain="nnscratch")
        else:
            catalog = Catalog(
                locale=language,
                domain="nnscratch",
                last_translator="the nnscratch authors",
                **HEADER,
            )
        catalog.update(template, update_header_comment=False)
        text = _write(path, po_text(catalog), check, changed)
        # Compiled from the .po's text as written, so the .mo is exactly the .po's.
        compiled = read_po(io.BytesIO(text), locale=language, domain="nnscratch")
        _write(path.with_suffix(".mo"), mo_bytes(compiled), check, changed)
        missing = [m.id for m in compiled if m.id and (not m.string or m.fuzzy)]
        if missing:
            print(f"{language}: {len(missing)} messages to translate (or fuzzy) in {path.name}")
    if changed:
        print(("Out of date: " if check else "Wrote ") + ", ".join(changed))
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
