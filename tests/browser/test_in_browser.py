"""Every chapter, run in JupyterLab in a real (headless) Chromium, as a learner would.

For each chapter: Run All Cells, wait for the kernel to go idle, then fail on any cell error,
any browser console error, a widget that does not render (or renders as its still PNG
fallback), or grader feedback that does not show. Then move the first control of the first
live figure and check that its picture changes within a second of the control's new value,
by the page's own clock (the times, with the kernel's share, are printed). A screenshot per chapter goes to
artifacts/browser/ (or $NNSCRATCH_SCREENSHOTS): look at them.

One chapter is also run in Notebook 7, where a wrong answer is typed into an exercise cell
to see the grader's hint appear; that screenshot, and chapter 1's live figure, are the
pictures in the README (docs/images/).
"""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from nnscratch.grader import check
from tests.browser.conftest import REPO
from tests.browser.notebook_page import NotebookPage

CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
# Mime types JupyterLab prefers to a PNG: an output holding one of them is not shown as an image.
RICHER_THAN_PNG = {
    WIDGET,
    "text/html",
    "image/svg+xml",
    "text/markdown",
    "text/latex",
    "application/javascript",
}


def outputs(notebook: dict):
    for number, cell in enumerate(notebook["cells"], 1):
        for output in cell.get("outputs", []):
            yield number, output


def error_outputs(notebook: dict) -> list[str]:
    return [
        f"cell {number}: {o['ename']}: {o['evalue']}"
        for number, o in outputs(notebook)
        if o["output_type"] == "error"
    ]


def check_ran_cleanly(tab: NotebookPage) -> dict:
    """Every code cell ran, none raised; return the notebook (with outputs)."""
    notebook = tab.notebook()
    assert not error_outputs(notebook), "cells failed:\n" + "\n".join(error_outputs(notebook))
    unrun = [
        n
        for n, c in enumerate(notebook["cells"], 1)
        if c["cell_type"] == "code" and c["execution_count"] is None
    ]
    assert not unrun, f"cells that did not run: {unrun}"
    return notebook


def count_settles_at(page, selector: str, expected: int, timeout: float = 30) -> int:
    """How many elements match once the page has rendered the outputs it holds (the front
    end renders some outputs a little after the kernel goes idle): expected, or the last
    count seen when the time is up."""
    try:
        page.wait_for_function(
            "([s, n]) => document.querySelectorAll(s).length === n",
            arg=[selector, expected],
            timeout=timeout * 1000,
            polling=250,
        )
    except Exception:  # noqa: BLE001 - the caller's assertion reports the count
        pass
    return page.locator(selector).count()


def check_widgets_render(tab: NotebookPage, notebook: dict) -> None:
    """Each widget output shows as a live widget: no error, and no still PNG in its place."""
    page = tab.page
    data = [o.get("data", {}) for _, o in outputs(notebook)]
    widgets = sum(WIDGET in d for d in data)
    assert widgets, "this chapter displays no widget"
    rendered = count_settles_at(page, ".jp-OutputArea-output > .jupyter-widgets", widgets)
    assert rendered == widgets, f"{widgets} widget outputs, {rendered} rendered as widgets"
    assert page.get_by_text("Error displaying widget").count() == 0
    pictures = sum("image/png" in d and not RICHER_THAN_PNG & d.keys() for d in data)
    shown = count_settles_at(page, ".jp-OutputArea-output.jp-RenderedImage", pictures)
    assert shown == pictures, (
        f"{pictures} figures, {shown} pictures on the page: a live figure "
        "is shown as its PNG fallback (or a figure is missing)"
    )
    assert page.locator(".nnscratch-live").count(), "no live figure (LiveFigure) in this chapter"


def check_feedback_renders(tab: NotebookPage, notebook: dict) -> None:
    shown = sum(
        "nnscratch-check" in "".join(o.get("data", {}).get("text/html", ""))
        for _, o in outputs(notebook)
    )
    assert shown, "no grader feedback in this chapter"
    rendered = count_settles_at(tab.page, ".jp-OutputArea-output .nnscratch-check", shown)
    assert rendered == shown, f"{shown} checks gave feedback, {rendered} rendered as HTML"
    feedback = tab.page.locator(".jp-OutputArea-output .nnscratch-check")
    feedback.first.scroll_into_view_if_needed()
    assert feedback.first.is_visible()


LOADED = "img => img.complete && img.naturalWidth > 0"
# Seconds from a new value of the slider to the new picture on the page, by the page's own
# clock (FELT_WATCH in notebook_page.py); also from the drag's last value to its picture.
# Issue 15 asks for 1 s. Measured on the shared 2-core machine, chapter 1's playground: first
# picture 223-276 ms after the first new value at load 3.4-3.9 (165 ms of it in the kernel,
# from the value's arrival to the PNG sent), 347-467 ms at load 8-9 (265-285 ms in the
# kernel); the last value's picture 171-535 ms after it. Chapter 4's chain explorer: 616-923
# ms at load 9 (547-884 ms in the kernel: one redraw, 120 ms of CPU, waits for a core).
# The 1.5-2.0 s measured before were the test's clock, started before it drove the drag:
# Playwright's dozen round trips to the browser (bounding boxes, attributes, ten mouse steps)
# took 1.0-2.2 s of them, and still do (printed as "by the test's clock").
FELT_LIMIT = 1.0
# Chapter 7's training playground once retrained on every move and was held to 2 s (1.50 s
# measured); it now answers with a run's first slice (about 60 ms of CPU), like Lab 3's.


def overloaded() -> bool:
    """More than two runnable processes per core: a time measured now says little."""
    return hasattr(os, "getloadavg") and os.getloadavg()[0] > 2 * (os.cpu_count() or 1)


def move_and_watch(tab: NotebookPage, limit: float = FELT_LIMIT) -> tuple[str, object]:
    """Move the first control of the first live figure; its picture must change, within
    limit (FELT_LIMIT) of its new value, and its last picture within limit of its last value."""
    live = tab.page.locator(".nnscratch-live").first
    live.scroll_into_view_if_needed()
    image = live.locator(".nnscratch-live-image").first
    assert image.evaluate(LOADED), "the live figure shows no picture"
    before = tab.image_digest(image)
    source = image.get_attribute("src")
    tab.run_quietly("from nnscratch.widgets.ui import TIMELINE as _t\n_t.clear()")
    tab.watch_felt(live, image)
    start = time.monotonic()
    move = tab.move_first_control(live)
    driven = tab.seconds_until_new_source(image, source, since=start)
    tab.wait_for_new_image(image, before)
    tab.wait_until_idle(60)
    tab.wait_for_last_picture()
    assert image.evaluate(LOADED), "the new picture is broken"
    seconds, settled = tab.felt_seconds()
    in_kernel, busy = tab.kernel_seconds()
    print(
        f"felt: first picture {1000 * seconds:.0f} ms after the first new value (kernel: "
        f"{1000 * in_kernel:.0f} ms from its arrival to the picture sent; redrawing "
        f"{1000 * busy:.0f} ms in all), last picture {1000 * settled:.0f} ms after the last "
        f"value; {1000 * driven:.0f} ms by the test's clock from before the drag began "
        f"(load {os.getloadavg()[0]:.1f})"
    )
    if max(seconds, settled) > limit and overloaded():
        pytest.xfail(
            f"{move}: the picture changed {seconds:.2f} s after the first new value, "
            f"{settled:.2f} s after the last; the machine is too busy to judge "
            f"(load {os.getloadavg()[0]:.1f})"
        )
    assert seconds <= limit, (
        f"{move}: the picture changed {seconds:.2f} s after the slider's first new value, "
        f"more than {limit} s"
    )
    assert settled <= limit, (
        f"{move}: the latest position's picture came {settled:.2f} s after the slider's "
        f"last new value, more than {limit} s"
    )
    return f"{move}, new picture after {1000 * seconds:.0f} ms", live


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_runs_in_jupyterlab(path, lab_tab, screenshots):
    nb = lab_tab
    nb.open(f"chapters/{path.name}")
    assert nb.page.locator(".jp-NotebookPanel").count() == 1, "another notebook is still open"
    seconds = nb.run_all()
    notebook = check_ran_cleanly(nb)
    check_widgets_render(nb, notebook)
    check_feedback_renders(nb, notebook)
    move, live = move_and_watch(nb)
    live.scroll_into_view_if_needed()
    nb.page.screenshot(path=screenshots / f"{path.stem}.png")
    live.screenshot(path=screenshots / f"{path.stem}-widget.png")
    assert not nb.console_errors, "browser console errors:\n" + "\n".join(nb.console_errors)
    print(f"{path.name}: ran in {seconds:.1f} s; {move}")


def wrong_sigmoid(x):
    return 1 / (1 + np.exp(x))  # the classic slip: sigmoid(-x)


WRONG_SIGMOID_CELL = """def sigmoid(x):
    return 1 / (1 + np.exp(x))


check("inference.sigmoid", sigmoid)"""


# Notebook 7.6 (with JupyterLab 4.6's keyboard-shortcuts plugin) throws this at every start:
# the plugin reacts to other plugins' settings before its own are loaded. Harmless (the
# shortcuts load right after and work, Shift+Enter included) and not ours to fix.
NOTEBOOK7_KNOWN_ERRORS = (
    r"^Cannot read properties of undefined \(reading 'schema'\)\n[\s\S]*notebook_core",
)


def test_chapter_runs_in_notebook_7_and_a_wrong_answer_gets_its_hint(
    notebook7_tab, notebook7, screenshots
):
    tab = notebook7_tab
    nb = NotebookPage.notebook_url(
        tab,
        notebook7.url("notebooks/chapters/01_inference.ipynb"),
        known_errors=NOTEBOOK7_KNOWN_ERRORS,
    )
    nb.run_all()
    notebook = check_ran_cleanly(nb)
    check_widgets_render(nb, notebook)
    check_feedback_renders(nb, notebook)
    move_and_watch(nb)
    tab.screenshot(path=screenshots / "notebook7-01_inference.png")

    nb.run_cell_with('check("inference.sigmoid"', WRONG_SIGMOID_CELL)
    cell = (
        tab.locator(".jp-CodeCell", has=tab.locator(".nnscratch-check"))
        .filter(has_text="inference.sigmoid")
        .first
    )
    feedback = cell.locator(".nnscratch-check")
    assert "nnscratch-failed" in feedback.get_attribute("class")
    expected = check("inference.sigmoid", wrong_sigmoid)  # the same verdict, computed here
    text = feedback.inner_text()
    assert expected.summary() in text
    hints = [o.hint for o in expected.outcomes if o.hint]
    assert hints and hints[0].split("`")[0] in text, "the mistake's hint is not shown"
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=screenshots / "feedback.png")
    assert not nb.console_errors, "browser console errors:\n" + "\n".join(nb.console_errors)
