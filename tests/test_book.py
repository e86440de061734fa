"""The course's book: `python tools/build_book.py` builds it, then it is read as a reader would.

The site, in English and in Chinese, is built once (into a temporary folder, with a JupyterHub
address so that every launch button appears), then checked on disk (every page there, every
internal link and anchor resolving, launch buttons agreeing with tools/build_notebooks.py,
widgets shown as still pictures, exercises unsolved beside their worked solutions, a language
switch on every page leading to the same page in the other language) and in a real headless
Chromium (every picture loaded, every formula typeset by MathJax, the Chinese pages in Chinese,
the switch followed there and back, no error in the browser's console). Screenshots go to
artifacts/book/ (or $NNSCRATCH_SCREENSHOTS): look at them.

Needs requirements-book.txt (requirements-test.txt includes it) and, for the browser part,
Chromium, found as the browser tests find it; both skip when missing, except in CI.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import runpy
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.browser.conftest import _unavailable
from tests.browser.server import find_chromium, launch_chromium
from tests.notebook_tools import ROOT

BUILD = runpy.run_path(str(ROOT / "tools" / "build_notebooks.py"))
HUB = "https://hub.example.edu"


def notebooks(*folders: str) -> list[str]:
    """The notebooks in these folders of the repository, as paths in it."""
    return sorted(
        p.relative_to(ROOT).as_posix() for d in folders for p in (ROOT / d).glob("*.ipynb")
    )


STUDENT = notebooks("chapters", "labs")
SOLVED = notebooks("solutions")
GUIDES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("**/*.md"))
PAGES = STUDENT + SOLVED + ["chapters/glossary.md"] + GUIDES
# The Chinese edition: the same pages but the guides, from zh/ (paths in the repository).
ZH_STUDENT = notebooks("zh/chapters", "zh/labs")
ZH_SOLVED = notebooks("zh/solutions")
ZH_PAGES = ZH_STUDENT + ZH_SOLVED + ["zh/chapters/glossary.md"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CJK = re.compile(r"[\u4e00-\u9fff]")


def html_page(path: str) -> str:
    """A page's place in the site, from its path in the repository:
    'chapters/01_inference.ipynb' -> 'en/chapters/01_inference.html',
    'zh/chapters/01_inference.ipynb' -> 'zh/chapters/01_inference.html'."""
    edition = "zh/" if path.startswith("zh/") else "en/"
    return edition + path.removeprefix("zh/").rsplit(".", 1)[0] + ".html"


@pytest.fixture(scope="module")
def site(tmp_path_factory, notebook_run) -> Path:
    try:
        import myst_nb  # noqa: F401
        import sphinx_book_theme  # noqa: F401
    except ImportError:
        _unavailable("the book needs Sphinx and myst-nb: pip install -r requirements-book.txt")
    started = time.monotonic()
    share_the_notebooks_runs(notebook_run)
    print(f"notebooks run (or already run) in {time.monotonic() - started:.0f} s")
    out = tmp_path_factory.mktemp("book") / "html"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_book.py"), "--out", str(out), "--hub", HUB],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, (
        f"the book did not build:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}"
    )
    print(f"book built in {time.monotonic() - started:.0f} s")
    return out


def share_the_notebooks_runs(notebook_run) -> None:
    """Put the test run's execution of each notebook (tests/notebook_runs.py) into the book's
    execution cache, so that the build shows those outputs instead of running every notebook a
    second time. A notebook that stopped is left out: the build runs it and fails on it."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    conf = runpy.run_path(str(ROOT / "book" / "conf.py"))
    cache = get_cache(conf["nb_execution_cache_path"])
    for path in STUDENT + SOLVED + ZH_STUDENT + ZH_SOLVED:
        done = notebook_run(ROOT / path)
        if done.error is None:
            bundle = CacheBundleIn(done.book_copy(), path, data={"shared_from": "the test run"})
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


# -- On disk ------------------------------------------------------------------------------------


class Links(HTMLParser):
    """The addresses an HTML page refers to (href, src) and the anchors (id, name) it has."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "img", "link", "script", "iframe", "source"):
                self.targets.append(attrs[name])
        for name in ("id", "name"):
            if attrs.get(name) and (name == "id" or tag == "a"):
                self.anchors.add(attrs[name])


def read_links(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal address in the site's pages whose file, or anchor in it, does not exist.
    (HTML files under _static/ are the theme's template fragments, not pages.)"""
    pages = {p: read_links(p) for p in site.rglob("*.html") if "_static" not in p.parts}
    broken = []
    for page, links in pages.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:")):
                continue  # outside the site: Binder, Colab, GitHub, ...
            file = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if file.is_dir():
                file = file / "index.html"
            where = f"{page.relative_to(site)}: {target}"
            if not file.is_relative_to(site.resolve()) or not file.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and file.suffix == ".html":
                anchors = pages[file].anchors if file in pages else read_links(file).anchors
                if unquote(parts.fragment) not in anchors:
                    broken.append(f"{where} (no such anchor)")
    return broken


def test_the_link_check_finds_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">b</a> <a href="c.html">c</a><a href="#top" id="top">top</a>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<p id="there">b</p>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a.html: b.html#here (no such anchor)",
        "a.html: c.html (no such file)",
    ]


def test_every_chapter_lab_solution_and_guide_has_a_page(site):
    missing = [path for path in PAGES + ZH_PAGES if not (site / html_page(path)).is_file()]
    assert not missing, f"pages missing from the book: {missing}"
    assert len(ZH_STUDENT) == len(STUDENT) and len(ZH_SOLVED) == len(SOLVED)
    for front in ("index.html", "en/index.html", "zh/index.html"):
        assert (site / front).is_file()
    assert not list(site.rglob(".doctrees")), "Sphinx's pickled doctrees published"


class Switch(HTMLParser):
    """The language switch's links in a page (a.language-switch): [(href, hreflang, title)]."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str | None, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "language-switch" in (attrs.get("class") or "").split():
            self.links.append((attrs["href"], attrs.get("hreflang"), attrs.get("title")))


def switch_links(page: Path) -> list[tuple[str, str | None, str | None]]:
    switch = Switch()
    switch.feed(page.read_text(encoding="utf-8"))
    return switch.links


@pytest.mark.parametrize("edition, other", [("en", "zh"), ("zh", "en")])
def test_every_page_switches_to_the_same_page_in_the_other_language(site, edition, other):
    """One switch on each page: to the same page in the other edition where it has one, else
    to that edition's front page, saying so in a tooltip; only the guides (English only) lack
    a Chinese page."""
    lang = {"en": "en", "zh": "zh-CN"}[other]
    pages = [p for p in (site / edition).rglob("*.html") if "_static" not in p.parts]
    wrong, untranslated = [], []
    for page in pages:
        name = page.relative_to(site / edition)
        same = site / other / name
        links = switch_links(page)
        if len(links) != 1:
            wrong.append(f"{edition}/{name}: {len(links)} switches")
            continue
        href, hreflang, title = links[0]
        target = (page.parent / href).resolve()
        if same.is_file():
            right = target == same.resolve() and title is None
        else:
            untranslated.append(name.with_suffix("").as_posix())
            right = target == (site / other / "index.html").resolve() and bool(title)
        if not right or hreflang != lang:
            wrong.append(f"{edition}/{name}: {links[0]}")
    assert not wrong, f"{len(wrong)} pages without a right switch:\n" + "\n".join(wrong[:20])
    guides = [path.removesuffix(".md") for path in GUIDES] if edition == "en" else []
    assert sorted(untranslated) == guides, "pages of one edition only"


def test_no_broken_links_inside_the_site(site):
    broken = broken_links(site)
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


@pytest.mark.parametrize("path", STUDENT + ZH_STUDENT)
def test_launch_buttons_open_the_notebook_as_the_readme_does(site, path):
    targets = read_links(site / html_page(path)).targets
    assert BUILD["binder_url"](path) in targets, "no Binder button for this notebook"
    assert BUILD["colab_url"](path) in targets, "no Colab button for this notebook"
    # The theme encodes the nbgitpuller link a little differently: compare what it says.
    want = urlsplit(BUILD["nbgitpuller_url"](HUB, path))
    hub_links = [urlsplit(t) for t in targets if t.startswith(HUB)]
    assert [(u.path, parse_qs(u.query)) for u in hub_links] == [(want.path, parse_qs(want.query))]


@pytest.mark.parametrize("path", STUDENT + ZH_STUDENT)
def test_exercises_are_unsolved_and_their_solutions_a_page_away(site, path):
    student = (site / html_page(path)).read_text(encoding="utf-8")
    solved_path = re.sub(r"(chapters|labs)/", "solutions/", path)
    solved = (site / html_page(solved_path)).read_text(encoding="utf-8")
    # The student copy's stub, as tools/build_notebooks.py writes it in place of a solution.
    stub = "# your code here"
    assert stub in student and stub not in solved
    # The links between them, within the edition: '../solutions/01_inference.html'.
    in_edition = {p: html_page(p).split("/", 1)[1] for p in (path, solved_path)}
    assert f'href="../{in_edition[solved_path]}"' in student
    assert f'href="../{in_edition[path]}"' in solved


@pytest.mark.parametrize("path", STUDENT + SOLVED + ZH_STUDENT + ZH_SOLVED)
def test_outputs_are_there_and_widgets_are_still_pictures(site, path):
    page = (site / html_page(path)).read_text(encoding="utf-8")
    assert 'class="cell_output' in page, "no outputs: the notebook did not run"
    assert "_images/" in page, "no figure in the page"
    assert WIDGET_VIEW not in page, "a widget view instead of its still picture"


# -- In the browser -----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        # The browser asks every server for /favicon.ico; the book has none. Any other missing
        # file shows as an error in the console.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
        else:
            super().do_GET()


@pytest.fixture(scope="module")
def served(site):
    """The site on a loopback port, as GitHub Pages would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    chromium = find_chromium()
    if chromium is None:
        _unavailable(
            "the book's browser test needs Chromium (Debian/Ubuntu: "
            "`sudo apt-get install chromium`, or set NNSCRATCH_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "the book's browser test needs playwright: pip install -r requirements-test.txt"
        )
    with sync_playwright() as pw:
        context = launch_chromium(pw, chromium, tmp_path_factory.mktemp("chromium-profile"))
        context.set_default_timeout(60_000)
        tab = context.pages[0] if context.pages else context.new_page()
        tab.errors = []
        tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.on("requestfailed", lambda r: tab.errors.append(f"{r.url}: {r.failure}"))
        yield tab
        context.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    folder = Path(os.environ.get("NNSCRATCH_SCREENSHOTS") or ROOT / "artifacts" / "book")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Every formula typeset (each myst math element holds a MathJax container, none an error), and
# every picture loaded and decoded (naturalWidth > 0), after MathJax has finished.
READ_PAGE = """async () => {
    if (window.MathJax?.startup?.promise) await MathJax.startup.promise;
    await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
    const maths = [...document.querySelectorAll('.math')];
    return {
        maths: maths.length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 60)),
        mathErrors: document.querySelectorAll('mjx-merror').length,
        images: document.images.length,
        outputImages: document.querySelectorAll('.cell_output img').length,
        unloaded: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
        lang: document.documentElement.lang,
        article: document.querySelector('.bd-article')?.innerText || '',
    };
}"""

# A few pages whose screenshot is worth a look: figures, formulas, feedback, the guides.
SCREENSHOT = {
    "chapters/01_inference.ipynb",
    "solutions/02_loss.ipynb",
    "chapters/05_computation_graph.ipynb",
    "labs/lab3_train_and_explain.ipynb",
    "docs/instructors.md",
    "zh/chapters/01_inference.ipynb",
}


def test_the_front_page_leads_to_the_book(served, page):
    page.goto(served + "/")
    page.wait_for_url("**/en/index.html")
    assert "Neural networks from scratch" in page.title()
    chapters = page.locator(".bd-sidebar-primary a.reference.internal")
    assert chapters.count() >= len(PAGES), "the table of contents misses pages"


def test_a_chinese_browser_is_led_to_the_chinese_edition(served, page):
    tab = page.context.new_page()
    try:
        tab.add_init_script("Object.defineProperty(navigator, 'languages', {get: () => ['zh-CN']})")
        tab.goto(served + "/")
        tab.wait_for_url("**/zh/index.html")
        assert "从零实现神经网络" in tab.title()
        chapters = tab.locator(".bd-sidebar-primary a.reference.internal")
        assert chapters.count() >= len(ZH_PAGES), "the table of contents misses pages"
    finally:
        tab.close()


def test_the_switch_leads_to_the_same_page_in_chinese_and_back(served, page):
    page.goto(f"{served}/en/chapters/02_loss.html")
    page.locator("a.language-switch").click()
    page.wait_for_url("**/zh/chapters/02_loss.html")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator("a.language-switch", has_text="English").click()
    page.wait_for_url("**/en/chapters/02_loss.html")
    assert page.locator("a.language-switch").inner_text() == "中文"


@pytest.mark.parametrize("path", PAGES + ZH_PAGES)
def test_page_in_the_browser(served, page, screenshots, path):
    page.errors.clear()
    page.goto(f"{served}/{html_page(path)}")
    seen = page.evaluate(READ_PAGE)
    assert not seen["unloaded"], f"pictures that did not load: {seen['unloaded']}"
    assert not seen["untypeset"], f"formulas MathJax did not typeset: {seen['untypeset']}"
    assert seen["mathErrors"] == 0, "MathJax reported errors in formulas"
    if path.endswith(".ipynb"):
        assert seen["maths"] > 0 and seen["outputImages"] > 0, seen
    if path.startswith("zh/"):
        assert seen["lang"] == "zh-CN", "the theme's own labels are not in Chinese"
        assert CJK.search(seen["article"]), "no Chinese in the page's text"
    assert not page.errors, f"errors in the browser's console: {page.errors}"
    if path in SCREENSHOT:
        page.screenshot(
            path=screenshots / (path.replace("/", "_").rsplit(".", 1)[0] + ".png"), full_page=False
        )
