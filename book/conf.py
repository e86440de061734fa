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
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The repository's address and branch, written once, in the notebooks' builder.
_builder = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))

project = "Neural networks from scratch, in Jupyter"
author = "the nnscratch course's authors"
copyright = "the nnscratch course's authors, MIT licence"
# Item 5 of issue 17 adds a second language as a second build: build_book.py runs Sphinx once
# per language, each from its own gathered sources into html/<language>/, and sets `language`.
language = os.environ.get("NNSCRATCH_BOOK_LANGUAGE", "en")

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
html_title = "Neural networks from scratch"
# The theme's colour mode follows the reader's system (unset, its script logs an error).
html_context = {"default_mode": "auto"}
html_theme_options = {
    "repository_url": _builder["REPOSITORY"],
    "repository_branch": _builder["BRANCH"],
    # The gathered sources mirror the repository's layout (chapters/, labs/, solutions/, docs/),
    # so a page's name is its notebook's path in the repository.
    "path_to_docs": "",
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
    # Beside the launch buttons: from an exercise page to its worked solution and back.
    "article_header_end": ["twin-link.html", "article-header-buttons.html"],
}


def _twin_page(pagename: str, found_docs) -> tuple[str, str] | None:
    """The other version of an exercise page: (page name, label), or None.
    chapters/01_inference <-> solutions/01_inference, labs/lab1_x <-> solutions/lab1_x."""
    folder, _, name = pagename.partition("/")
    if folder in ("chapters", "labs"):
        twin, label = f"solutions/{name}", "Worked solutions"
    elif folder == "solutions":
        student = "labs" if name.startswith("lab") else "chapters"
        twin, label = f"{student}/{name}", "Exercises (unsolved)"
    else:
        return None
    return (twin, label) if twin in found_docs else None


def _add_twin(app, pagename, templatename, context, doctree):
    context["twin_page"] = _twin_page(pagename, app.env.found_docs)


def _drop_widget_state(app, doctree):
    """Leave out the widgets' saved state (myst-nb embeds it for ipywidgets' JavaScript, which
    this book does not load): up to 110 kB of unused JSON per page (chapter 7)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    NbMetadataCollector.get_js_files(app.env, app.env.docname).pop("ipywidgets_state", None)


def setup(app):
    app.connect("doctree-read", _drop_widget_state)
    app.connect("html-page-context", _add_twin)
