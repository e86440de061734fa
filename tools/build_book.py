"""Build the course's book: a static site of every chapter, lab, worked solution, the glossary
and the instructors' guides, with the outputs the notebooks give when run, in English and in
Chinese, with a switch on every page to the same page in the other language.

    python tools/build_book.py                                  # -> book/_build/html/
    python tools/build_book.py --hub https://hub.example.edu    # with a JupyterHub launch button

Needs requirements-book.txt. The notebooks run once; their outputs are cached in
book/_build/.jupyter_cache (keyed by each notebook's code), so the next build only reruns
notebooks whose code changed. The Chinese notebooks run on their own: their first code cell
differs (it switches the feedback to Chinese), and so do their outputs.

Each language (an edition, in EDITIONS) is its own Sphinx build, from its own gathered sources
(book/_build/src/<edition>/, laid out as its notebooks are in the repository) into its own
folder (book/_build/html/<edition>/); the site's front page sends the reader to the edition of
the browser's language. Page names are the same in every edition (chapters/01_inference, ...),
so the switch (book/conf.py, book/_templates/language-switch.html) links a page to the same
name in the other edition's folder, or to that edition's front page where the page has no
translation (the instructors' guides, docs/, are in English only; the Chinese front page links
to them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = BOOK / "_build"
DEFAULT_OUT = BUILD / "html"


class Edition(NamedTuple):
    """One language of the book, and the words its site adds to the theme's own."""

    sphinx_language: str  # Sphinx's `language`: the theme's labels (search, contents, ...)
    front_page: str  # in book/; it says in which order the pages appear
    folder: str  # where its pages are in the repository ("" for the root); a page's name is its
    # path under this folder, and its launch buttons open that notebook (book/conf.py)
    pages: tuple[str, ...]  # glob patterns, under folder
    title: str  # the site's title
    name: str  # the language switch's label, on the other editions' pages
    no_such_page: str  # the switch's tooltip where a page has no version in this edition
    solutions: str  # the link from an exercise page to its worked solutions
    exercises: str  # and back


PAGES = ("chapters/*.ipynb", "chapters/glossary.md", "labs/*.ipynb", "solutions/*.ipynb")
EDITIONS = {
    "en": Edition(
        sphinx_language="en",
        front_page="index.md",
        folder="",
        pages=(*PAGES, "docs/**/*.md"),  # the guides and the labs' rubrics (docs/rubrics/)
        title="Neural networks from scratch",
        name="English",
        no_such_page="This page is in Chinese only: to the English edition's front page",
        solutions="Worked solutions",
        exercises="Exercises (unsolved)",
    ),
    "zh": Edition(
        sphinx_language="zh_CN",
        front_page="index.zh.md",
        folder="zh",
        pages=PAGES,
        title="从零实现神经网络",
        name="中文",
        no_such_page="这一页只有英文版：转到中文版的首页",
        solutions="参考解答",
        exercises="练习（未解答）",
    ),
}
DEFAULT_LANGUAGE = "en"

# The site's front page: the edition of the browser's language (navigator.languages), else the
# default; without JavaScript, the default.
REDIRECT = """<!DOCTYPE html>
<html lang="{default}">
<head>
<meta charset="utf-8">
<title>Neural networks from scratch</title>
<script>
const editions = {editions};
const wanted = (navigator.languages || [navigator.language]).map(l => l.split("-")[0]);
location.replace((wanted.find(l => editions.includes(l)) || "{default}") + "/index.html");
</script>
<noscript><meta http-equiv="refresh" content="0; url={default}/index.html"></noscript>
<link rel="canonical" href="{default}/index.html">
</head>
<body><p>{links}</p></body>
</html>
"""


def pages(language: str) -> list[Path]:
    """One edition's pages, as their paths under its folder (which are their page names)."""
    folder = ROOT / EDITIONS[language].folder
    found = {page for pattern in EDITIONS[language].pages for page in folder.glob(pattern)}
    return sorted(page.relative_to(folder) for page in found)


def gather(language: str) -> Path:
    """Copy one edition's pages into book/_build/src/<language>/, laid out as under its folder,
    and its front page as index.md.

    Copies, not symlinks (which Windows makes hard), with their times kept (copy2), so that
    Sphinx rereads only the pages that changed since the last build."""
    src = BUILD / "src" / language
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    shutil.copy2(BOOK / EDITIONS[language].front_page, src / "index.md")
    for page in pages(language):
        copy = src / page
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / EDITIONS[language].folder / page, copy)
    return src


def build(language: str, out: Path, hub: str | None) -> int:
    """Run Sphinx (with book/conf.py) on one edition's gathered pages, then copy its site to
    out/<language>/; Sphinx's exit status.

    Sphinx writes into book/_build/sphinx/<language>/html, not straight into the site: myst-nb
    puts its executed notebooks (jupyter_execute/) beside its output folder, which would then
    be published."""
    from sphinx.cmd.build import build_main

    # The notebooks' kernels inherit this environment: record no exercise progress (the
    # grader would otherwise note every check in the builder's ~/.nnscratch/progress.json).
    os.environ["NNSCRATCH_PROGRESS_FILE"] = ""
    os.environ.pop("NNSCRATCH_STRICT", None)
    os.environ["NNSCRATCH_BOOK_LANGUAGE"] = language
    os.environ["NNSCRATCH_BOOK_HUB"] = hub or ""
    html = BUILD / "sphinx" / language / "html"
    # -W: a warning (a link to a page that does not exist, a notebook that fails) fails the
    # build; --keep-going: but first report them all.
    status = build_main(
        [
            *("-b", "html", "-c", str(BOOK), "-W", "--keep-going", "-q"),
            *(str(BUILD / "src" / language), str(html)),
        ]
    )
    if status == 0:
        if (out / language).exists():
            shutil.rmtree(out / language)
        shutil.copytree(
            html, out / language, ignore=shutil.ignore_patterns(".buildinfo*", ".doctrees")
        )
    else:
        # Sphinx keeps what it read, warnings and all, and rereads only changed pages: the next
        # build would not see the same warnings again and pass. Make it read every page anew
        # (the notebooks' outputs come from the cache, so this costs no execution).
        shutil.rmtree(html / ".doctrees", ignore_errors=True)
    return status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--hub",
        metavar="URL",
        help="a JupyterHub's address, for a launch button to it on every notebook",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"the site's folder (default: {DEFAULT_OUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    # Every edition is gathered before any is built: each page's language switch needs to
    # know which pages the other editions have (book/conf.py reads their gathered sources).
    for language in EDITIONS:
        src = gather(language)
        # A page named outright (no wildcard), such as the glossary, that is not there: say so
        # now, not after running every notebook (Sphinx would then fail on links to it).
        for pattern in EDITIONS[language].pages:
            if not any(c in pattern for c in "*?[") and not (src / pattern).exists():
                where = Path(EDITIONS[language].folder, pattern).as_posix()
                print(f"build_book: the {language} edition has no {where}", file=sys.stderr)
                return 1
    for language in EDITIONS:
        status = build(language, out, args.hub)
        if status:
            print(
                f"build_book: the {language} edition failed to build (see above)", file=sys.stderr
            )
            return status
    links = " · ".join(
        f'<a href="{language}/index.html" hreflang="{language}">{edition.title}</a>'
        for language, edition in EDITIONS.items()
    )
    editions = json.dumps(list(EDITIONS))
    (out / "index.html").write_text(
        REDIRECT.format(default=DEFAULT_LANGUAGE, editions=editions, links=links),
        encoding="utf-8",
    )
    # GitHub Pages would otherwise run Jekyll, which hides folders whose names start with "_".
    (out / ".nojekyll").write_text("", encoding="utf-8")
    print(f"build_book: the site is in {out} (open {out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
