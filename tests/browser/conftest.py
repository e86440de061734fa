"""Fixtures for the browser tests: one JupyterLab server and one Chromium for all of them,
stopped when the last browser test is done (not at the end of the whole test session).

Where Chromium or Playwright is missing the tests skip with a message saying how to get them,
except in CI (the CI environment variable is set), where a missing browser is a failure:
CI installs Debian's chromium (.ci/run) and must really run these tests.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.notebook_page import NotebookPage
from tests.browser.server import JupyterServer, find_chromium, launch_chromium

REPO = Path(__file__).resolve().parents[2]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable(
            "the browser tests need the playwright package: pip install -r requirements-test.txt"
        )
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        chosen = os.environ.get("NNSCRATCH_CHROMIUM")
        where = f"NNSCRATCH_CHROMIUM={chosen!r} is not an executable" if chosen else "no `chromium`"
        _unavailable(
            f"the browser tests need Chromium ({where}): install it with your system's "
            "packages (Debian/Ubuntu: `sudo apt-get install chromium`) or set "
            "NNSCRATCH_CHROMIUM to a Chromium or Chrome executable"
        )
    return path


@pytest.fixture(scope="package")
def browser(playwright, chromium_path, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = launch_chromium(playwright, chromium_path, profile)
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture(scope="package")
def jupyter(chromium_path, tmp_path_factory):
    """JupyterLab, shared by all tests. (It depends on chromium_path so that a machine without
    a browser skips before starting a server.)"""
    server = JupyterServer(REPO, tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def notebook7(chromium_path, tmp_path_factory):
    """Notebook 7 (`jupyter notebook`), for the one test that uses it."""
    server = JupyterServer(REPO, tmp_path_factory.mktemp("notebook7"), app="notebook")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the screenshots go: $NNSCRATCH_SCREENSHOTS, else artifacts/browser (git-ignored)."""
    folder = Path(os.environ.get("NNSCRATCH_SCREENSHOTS") or REPO / "artifacts" / "browser")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="package")
def lab(browser, jupyter):
    """One JupyterLab page for all chapters: each test opens its notebook in it."""
    page = browser.new_page()
    yield NotebookPage.app(page, jupyter.url("lab/workspaces/browser-tests"))
    page.close()


@pytest.fixture
def lab_tab(lab, jupyter):
    """The JupyterLab page with no notebook open and no console errors counted yet;
    afterwards the test's notebook is closed and its kernel shut down (two cores only)."""
    lab.console_errors.clear()
    yield lab
    lab.close()
    jupyter.shut_down_kernels()


@pytest.fixture
def notebook7_tab(browser, notebook7):
    page = browser.new_page()
    yield page
    page.close()
