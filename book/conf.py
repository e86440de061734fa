"""Sphinx configuration of the course's book: every chapter, lab, worked solution, the
glossary and the guides, rendered with their outputs. Build it with `python tools/build_book.py`,
which gathers the pages into book/_build/src/<language>/ and runs Sphinx with this file.

Why Sphinx + myst-nb + sphinx-book-theme (the stack of Jupyter Book 1) and not Jupyter Book 2
(mystmd): Jupyter Book 2 downloads its site theme from api.mystmd.org / GitHub at build time
(`jupyter book build --html` fails with "getaddrinfo ENOTFOUND api.mystmd.org" where only
package registries are reachable, as on the course's machines and CI). This stack installs
entirely from PyPI (requirements-book.txt) and builds offline.
"""

from __future__ import annotations

import os
import posixpath
import runpy
from pathlib import Path

from docutils import nodes
from sphinx import addnodes

ROOT = Path(__file__).resolve().parent.parent
# The repository's address and branch, written once, in the notebooks' builder.
_builder = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
# The book's languages (editions) and the words each adds to the site, in the book's builder,
# which runs Sphinx once per edition and says which one in NNSCRATCH_BOOK_LANGUAGE.
EDITIONS = runpy.run_path(str(ROOT / "tools" / "build_book.py"))["EDITIONS"]
EDITION = os.environ.get("NNSCRATCH_BOOK_LANGUAGE", "en")

project = "Neural networks from scratch, in Jupyter"
author = "the nnscratch course's authors"
copyright = "the nnscratch course's authors, MIT licence"
# The theme's own labels (search, contents, ...) in the edition's language.
language = EDITIONS[EDITION].sphinx_language

extensions = [
    "myst_nb",
    # MathJax served from the site itself (copied into _static/mathjax), not from a CDN: the
    # book then renders its formulas offline, and its browser test runs without the internet.
    "sphinx-mathjax-offline",
]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["book.css"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
# The labs go from their title (H1) to "### Task 1" headings; that is the labs' choice, not a
# fault to fail the build on.
suppress_warnings = ["myst.header"]

# -- MyST: the notebooks' Markdown ---------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
# GitHub-style anchors, so that links such as docs/instructors.md's "(#3-grade)" resolve.
myst_heading_anchors = 3

# -- Running the notebooks ----------------------------------------------------------------------
# Each notebook runs once; its outputs are cached (keyed by its code cells) in the build folder,
# so a rebuild after a text-only change is quick.
nb_execution_mode = "cache"
nb_execution_cache_path = str(ROOT / "book" / "_build" / ".jupyter_cache")
nb_execution_timeout = 600
# A cell that raises is a broken chapter: fail the build instead of publishing a traceback.
# (Unsolved exercises do not raise: their checks report "not attempted yet".)
nb_execution_raise_on_error = True
nb_merge_streams = True
# A LiveFigure's output carries its widget view and a still PNG beside it. A static page has
# no kernel to drive the widget, so show the PNG: put image/png before the widget view.
nb_mime_priority_overrides = [("html", "image/png", 5)]
# No widget is rendered, so load none of ipywidgets' JavaScript (which comes from a CDN).
nb_ipywidgets_js = {}

# -- The site -----------------------------------------------------------------------------------
html_theme = "sphinx_book_theme"
html_title = EDITIONS[EDITION].title
# The theme's colour mode follows the reader's system (unset, its script logs an error).
html_context = {"default_mode": "auto"}
html_theme_options = {
    "repository_url": _builder["REPOSITORY"],
    "repository_branch": _builder["BRANCH"],
    # The gathered sources mirror the layout of the edition's folder in the repository (the
    # English chapters/, ...; the Chinese zh/chapters/, ...), so a page's name is its notebook's
    # path in that folder.
    "path_to_docs": EDITIONS[EDITION].folder,
    "use_repository_button": True,
    "use_download_button": True,
    "home_page_in_toc": True,
    "launch_buttons": {
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        # A class's own hub (nbgitpuller link, as docs/jupyterhub.md describes); there is no
        # public one, so the button appears when the build is given an address:
        # `python tools/build_book.py --hub https://hub.example.edu`.
        "jupyterhub_url": os.environ.get("NNSCRATCH_BOOK_HUB", ""),
        "notebook_interface": "jupyterlab",
    },
    # Beside the launch buttons: the same page in the other language, and from an exercise page
    # to its worked solution and back.
    "article_header_end": [
        "language-switch.html",
        "twin-link.html",
        "article-header-buttons.html",
    ],
}


def _twin_page(pagename: str, found_docs) -> tuple[str, str] | None:
    """The other version of an exercise page: (page name, label), or None.
    chapters/01_inference <-> solutions/01_inference, labs/lab1_x <-> solutions/lab1_x."""
    folder, _, name = pagename.partition("/")
    if folder in ("chapters", "labs"):
        twin, label = f"solutions/{name}", EDITIONS[EDITION].solutions
    elif folder == "solutions":
        student = "labs" if name.startswith("lab") else "chapters"
        twin, label = f"{student}/{name}", EDITIONS[EDITION].exercises
    else:
        return None
    return (twin, label) if twin in found_docs else None


def _add_twin(app, pagename, templatename, context, doctree):
    context["twin_page"] = _twin_page(pagename, app.env.found_docs)


def _read_editions(app, config):
    """The page names of every edition, from their sources, which build_book.py gathers side by
    side before building any (book/_build/src/<edition>/).

    A config value, so that Sphinx rereads and rewrites every page when they change: a page's
    switch may then lead elsewhere, and MyST resolves a link to a file ("../chapters/glossary.md")
    when it reads the page that has it, so a page added later would stay unresolved there."""
    config.book_pages = {}
    for edition in EDITIONS:
        src = Path(app.srcdir).parent / edition
        pages = (p for p in src.rglob("*") if p.suffix in (".md", ".ipynb"))
        config.book_pages[edition] = sorted(
            p.relative_to(src).with_suffix("").as_posix() for p in pages
        )


def _add_language_switch(app, pagename, templatename, context, doctree):
    """A link to the same page in each other edition (the same page name, in the site's folder
    of that edition), or to its front page where it has no such page (the guides are English
    only). Pages Sphinx makes (search, genindex) are in every edition."""
    context["language_switch"] = []
    for other, their_pages in app.config.book_pages.items():
        if other == EDITION:
            continue
        there = pagename in their_pages or pagename not in app.env.found_docs
        target = pagename if there else app.config.root_doc
        context["language_switch"].append(
            {
                "href": _url(app, pagename, other, target),
                "label": EDITIONS[other].name,
                "lang": EDITIONS[other].sphinx_language.replace("_", "-"),
                "title": None if there else EDITIONS[other].no_such_page,
            }
        )


def _url(app, from_page: str, edition: str, page: str) -> str:
    """The address of a page of an edition, from a page of this one (each edition's site is a
    folder of the book's site, named for it)."""
    return "../" * (from_page.count("/") + 1) + f"{edition}/{app.builder.get_target_uri(page)}"


def _edition_of(path: str) -> tuple[str, str]:
    """A file's edition and page name, from its path in the repository: 'zh/chapters/x.md' ->
    ('zh', 'chapters/x'), 'chapters/x.md' -> ('en', 'chapters/x'). The deepest folder wins."""
    folders = sorted(EDITIONS.items(), key=lambda item: -len(item[1].folder))
    for edition, info in folders:
        prefix = f"{info.folder}/" if info.folder else ""
        if path.startswith(prefix):
            return edition, posixpath.splitext(path.removeprefix(prefix))[0]
    raise AssertionError("the edition at the repository's root holds every other path")


def _link_across_editions(app, doctree):
    """A link from a page to a page of another edition, written as their files lie in the
    repository (the Chinese glossary's "../../chapters/glossary.md", to the English one), leads
    to that page in the other edition's site. MyST knows only this edition's pages, and would
    report it missing."""
    for node in list(doctree.findall(addnodes.pending_xref)):
        if node["reftype"] != "myst" or node.get("refdomain"):
            continue
        target, _, anchor = node["reftarget"].partition("#")
        here = posixpath.join(EDITIONS[EDITION].folder, posixpath.dirname(app.env.docname))
        edition, page = _edition_of(posixpath.normpath(posixpath.join(here, target)))
        if edition == EDITION or page not in app.config.book_pages.get(edition, ()):
            continue
        uri = _url(app, app.env.docname, edition, page) + (f"#{anchor}" if anchor else "")
        link = nodes.reference("", "", refuri=uri)
        link.extend(child.deepcopy() for child in node.children)
        node.replace_self(link)


def _fix_chinese_search(app, exception):
    """Sphinx 9.0 ends the Chinese search's language_data.js with `window.Stemmer =
    ChineseStemmer;`, a class it never defines (Chinese search stems Latin words with the
    English stemmer): every page of the Chinese edition then logs a ReferenceError and search
    finds nothing (sphinx-doc/sphinx#14229). Point it at the stemmer the file defines, as the
    fix merged upstream does (sphinx-doc/sphinx#14416, not in a release yet); once Sphinx
    writes it right, this finds nothing to change."""
    script = Path(app.outdir, "_static", "language_data.js")
    if exception is not None or not script.is_file():
        return
    text = script.read_text(encoding="utf-8")
    if "window.Stemmer = ChineseStemmer;" in text and "var ChineseStemmer" not in text:
        text = text.replace("window.Stemmer = ChineseStemmer;", "window.Stemmer = EnglishStemmer;")
        script.write_text(text, encoding="utf-8")


def _drop_widget_state(app, doctree):
    """Leave out the widgets' saved state (myst-nb embeds it for ipywidgets' JavaScript, which
    this book does not load): up to 110 kB of unused JSON per page (chapter 7)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    NbMetadataCollector.get_js_files(app.env, app.env.docname).pop("ipywidgets_state", None)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    app.connect("doctree-read", _link_across_editions)
    app.connect("html-page-context", _add_twin)
    app.add_config_value("book_pages", {}, "env")
    app.connect("config-inited", _read_editions)
    app.connect("html-page-context", _add_language_switch)
    app.connect("build-finished", _fix_chinese_search)
