"""Build the course's book: a static site of every chapter, lab, worked solution, the glossary
and the instructors' guides, with the outputs the notebooks give when run.

    python tools/build_book.py                                  # -> book/_build/html/
    python tools/build_book.py --hub https://hub.example.edu    # with a JupyterHub launch button

Needs requirements-book.txt. The notebooks run once; their outputs are cached in
book/_build/.jupyter_cache, so the next build only reruns notebooks whose code changed.

The site's layout leaves room for more languages (issue 17, item 5): each language is its own
Sphinx build, from its own gathered sources (book/_build/src/<language>/, the same layout as
the repository) into its own folder (book/_build/html/<language>/), and the site's front page
sends the reader to the default language. A second language adds an entry to EDITIONS (where
its notebooks live, e.g. chapters/zh/ gathered as chapters/) and a switch in the page template
that links each page to the same page name in the other build (the page names are the same in
every edition). One thing to mind: a page's launch buttons open `path_to_docs` + its page name
in the repository (book/conf.py), so that edition's conf needs its notebooks' real place there
(e.g. with the notebooks in zh/chapters/, zh/labs/, zh/solutions/: path_to_docs "zh/").
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = BOOK / "_build"
DEFAULT_OUT = BUILD / "html"

# language -> {folder in the site's sources: folder in the repository}. The pages are these
# folders' notebooks and Markdown files; book/index.md says in which order they appear.
EDITIONS = {
    "en": {"chapters": "chapters", "labs": "labs", "solutions": "solutions", "docs": "docs"},
}
DEFAULT_LANGUAGE = "en"
PAGES = ("*.ipynb", "*.md")

REDIRECT = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>Neural networks from scratch</title>
<meta http-equiv="refresh" content="0; url={language}/index.html">
<link rel="canonical" href="{language}/index.html">
</head>
<body><p><a href="{language}/index.html">Neural networks from scratch, in Jupyter</a></p></body>
</html>
"""


def gather(language: str) -> Path:
    """Copy one edition's pages into book/_build/src/<language>/, laid out as the repository.

    Copies, not symlinks (which Windows makes hard), with their times kept (copy2), so that
    Sphinx rereads only the pages that changed since the last build."""
    src = BUILD / "src" / language
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    shutil.copy2(BOOK / "index.md", src / "index.md")
    for site_folder, repo_folder in EDITIONS[language].items():
        for pattern in PAGES:
            for page in sorted((ROOT / repo_folder).glob(pattern)):
                (src / site_folder).mkdir(exist_ok=True)
                shutil.copy2(page, src / site_folder / page.name)
    return src


def build(language: str, out: Path, hub: str | None) -> int:
    """Run Sphinx (with book/conf.py) for one edition, then copy its pages to out/<language>/;
    Sphinx's exit status.

    Sphinx writes into book/_build/sphinx/<language>/html, not straight into the site: myst-nb
    puts its executed notebooks (jupyter_execute/) beside its output folder, which would then
    be published."""
    from sphinx.cmd.build import build_main

    src = gather(language)
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
        ["-b", "html", "-c", str(BOOK), "-W", "--keep-going", "-q", str(src), str(html)]
    )
    if status == 0:
        if (out / language).exists():
            shutil.rmtree(out / language)
        shutil.copytree(html, out / language, ignore=shutil.ignore_patterns(".buildinfo"))
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
    for language in EDITIONS:
        status = build(language, out, args.hub)
        if status:
            print(
                f"build_book: the {language} edition failed to build (see above)", file=sys.stderr
            )
            return status
    (out / "index.html").write_text(REDIRECT.format(language=DEFAULT_LANGUAGE), encoding="utf-8")
    # GitHub Pages would otherwise run Jekyll, which hides folders whose names start with "_".
    (out / ".nojekyll").write_text("", encoding="utf-8")
    print(f"build_book: the site is in {out} (open {out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
