"""A notebook open in a browser tab: run it, read its outputs, move a live figure's control.

The page is JupyterLab or Notebook 7. Both expose the running application as
`window.jupyterapp` (the server is started with expose_app_in_browser): the test opens
notebooks and runs them with the front end's own commands, reads the notebook's model, and
uses the page's elements only for what a learner sees and touches.
"""

from __future__ import annotations

import json
import re
import time

PANEL = "window.__panel"  # the notebook panel under test, set when it is opened

# What counts as a control of a LiveFigure, in the order a learner would meet them.
CONTROLS = (
    ".widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-radio, "
    ".widget-checkbox, .widget-select"
)

# A short fingerprint of an <img>'s current picture: its bytes, not only its address.
IMAGE_DIGEST = """async img => {
    if (!img.src) return "";
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    let hash = 0;
    for (const b of bytes) hash = (Math.imul(hash, 31) + b) >>> 0;
    return `${bytes.length}:${hash}`;
}"""


# Timestamps taken by the page itself (performance.now(), ms) of each new value the first
# control of a live figure shows and of each new picture: what the learner sees, without the
# test's own round trips to the browser (a Playwright call costs tens of ms, and a drag is
# a dozen of them).
FELT_WATCH = """([control, img]) => {
    const felt = {moves: [], pictures: []};
    window.__felt = felt;
    const moved = () => felt.moves.push(performance.now());
    const handle = control.querySelector(".noUi-handle");
    if (handle) {
        new MutationObserver(moved)
            .observe(handle, {attributes: true, attributeFilter: ["aria-valuenow"]});
    } else {
        control.addEventListener("change", moved, true);
        control.addEventListener("click", moved, true);
    }
    new MutationObserver(() => felt.pictures.push(performance.now()))
        .observe(img, {attributes: true, attributeFilter: ["src"]});
}"""


class NotebookPage:
    """known_errors: regular expressions for errors of the front end itself (message and stack)
    that are known upstream bugs; every other console error is the test's business."""

    def __init__(self, page, known_errors: tuple[str, ...] = ()):
        self.page = page
        self.known_errors = [re.compile(k) for k in known_errors]
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    @classmethod
    def app(cls, page, url: str, known_errors: tuple[str, ...] = ()) -> NotebookPage:
        """Load the front end at url and wait until it has started."""
        tab = cls(page, known_errors)
        page.goto(url)
        page.wait_for_function("() => window.jupyterapp", timeout=90_000)
        page.evaluate("async () => { await window.jupyterapp.restored; }")
        return tab

    @classmethod
    def notebook_url(cls, page, url: str, known_errors: tuple[str, ...] = ()) -> NotebookPage:
        """Load a URL that opens one notebook (Notebook 7's /notebooks/...)."""
        tab = cls.app(page, url, known_errors)
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget?.sessionContext", timeout=90_000
        )
        page.evaluate(f"() => {{ {PANEL} = window.jupyterapp.shell.currentWidget; }}")
        tab._wait_until_ready()
        return tab

    def open(self, path: str) -> None:
        """Open a notebook (path from the server's root) the way the file browser does."""
        self.page.evaluate(
            f"""async path => {{
            {PANEL} = await window.jupyterapp.commands.execute(
                'docmanager:open', {{path, factory: 'Notebook'}});
        }}""",
            path,
        )
        self._wait_until_ready()

    def close(self) -> None:
        """Close the notebook without saving (the copies on the server stay unchanged)."""
        self.page.evaluate(f"""async () => {{
            const panel = {PANEL};
            if (!panel || panel.isDisposed) return;
            await panel.sessionContext.shutdown();
            panel.dispose();
        }}""")

    def _wait_until_ready(self) -> None:
        self.page.evaluate(f"""async () => {{
            await {PANEL}.context.ready;
            await {PANEL}.sessionContext.ready;
        }}""")
        self.wait_until_idle(90)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self._record(f"{message.text} (at {message.location.get('url', '?')})")

    def _on_page_error(self, error) -> None:
        self._record(f"uncaught: {error.message}", f"{error.message}\n{error.stack}")

    def _record(self, text: str, details: str = "") -> None:
        if not any(k.search(details or text) for k in self.known_errors):
            self.console_errors.append(text)

    def kernel_status(self) -> str:
        return self.page.evaluate(f"() => {PANEL}.sessionContext.session?.kernel?.status ?? 'none'")

    def wait_until_idle(self, timeout: float) -> None:
        """Kernel idle and no cell waiting to run ([*])."""
        self.page.wait_for_function(
            f"""() => {PANEL}.sessionContext.session?.kernel?.status === 'idle'
                 && ![...{PANEL}.content.widgets].some(c => c.model.type === 'code'
                                                       && c.model.executionState === 'running')""",
            timeout=timeout * 1000,
            polling=250,
        )

    def run_all(self, timeout: float = 300) -> float:
        """Run every cell with the front end's own "Run All Cells"; return the seconds it took."""
        start = time.monotonic()
        self.page.evaluate("""() => {
            window.__runAll = 'running';
            window.jupyterapp.commands.execute('notebook:run-all-cells')
                .then(() => window.__runAll = 'done', e => window.__runAll = 'failed: ' + e);
        }""")
        self.page.wait_for_function(
            "() => window.__runAll !== 'running'", timeout=timeout * 1000, polling=500
        )
        status = self.page.evaluate("() => window.__runAll")
        assert status == "done", f"Run All Cells: {status}"
        self.wait_until_idle(timeout)
        return time.monotonic() - start

    def notebook(self) -> dict:
        """The notebook as the front end holds it now, outputs included (nbformat JSON)."""
        return self.page.evaluate(f"() => {PANEL}.context.model.toJSON()")

    def code_cell_count(self) -> int:
        return sum(c["cell_type"] == "code" for c in self.notebook()["cells"])

    def run_cell_with(self, needle: str, new_source: str) -> None:
        """Type new_source into the code cell whose text contains needle, as a learner would,
        and run it with Shift+Enter."""
        editor = self.page.locator(".jp-CodeCell .jp-Editor", has_text=needle).first
        editor.scroll_into_view_if_needed()
        editor.locator(".cm-content").click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.insert_text(new_source)  # no auto-indent: the text arrives as typed
        self.page.keyboard.press("Shift+Enter")
        self.page.wait_for_timeout(300)
        self.wait_until_idle(60)

    def image_digest(self, image) -> str:
        return image.evaluate(IMAGE_DIGEST)

    def move_first_control(self, live) -> str:
        """Move the first control of a LiveFigure (Locator) to another value; describe the move."""
        control = live.locator(CONTROLS).first
        assert control.count(), "this live figure has no slider, dropdown or button group"
        control.scroll_into_view_if_needed()
        kind = control.get_attribute("class") or ""
        if "widget-slider" in kind:
            return self._drag_slider(control)
        if "widget-dropdown" in kind or "widget-select" in kind:
            select = control.locator("select")
            options = select.locator("option").all_inner_texts()
            assert len(options) > 1, "the dropdown offers only one option"
            current = select.evaluate("s => s.selectedIndex")
            other = 1 if current == 0 else 0
            select.select_option(index=other)
            return f"dropdown: {options[current]!r} -> {options[other]!r}"
        if "widget-toggle-buttons" in kind:
            buttons = control.locator("button")
            target = next(
                i
                for i in range(buttons.count())
                if "mod-active" not in (buttons.nth(i).get_attribute("class") or "")
            )
            buttons.nth(target).click()
            return f"toggle button {buttons.nth(target).inner_text()!r} pressed"
        if "widget-radio" in kind:
            radios = control.locator("input[type=radio]")
            target = next(i for i in range(radios.count()) if not radios.nth(i).is_checked())
            radios.nth(target).check()
            return f"radio button {target} chosen"
        control.locator("input").click()
        return "checkbox toggled"

    def _drag_slider(self, control) -> str:
        handle = control.locator(".noUi-handle")
        track = control.locator(".noUi-base").bounding_box()
        box = handle.bounding_box()
        before = float(handle.get_attribute("aria-valuenow"))
        low = float(handle.get_attribute("aria-valuemin"))
        high = float(handle.get_attribute("aria-valuemax"))
        direction = -1 if before > (low + high) / 2 else 1
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        mouse = self.page.mouse
        mouse.move(x, y)
        mouse.down()
        mouse.move(x + direction * track["width"] / 3, y, steps=10)
        mouse.up()
        after = float(handle.get_attribute("aria-valuenow"))
        assert after != before, f"dragging the slider did not change its value ({before})"
        label = control.locator(".widget-label").inner_text()
        return f"slider {label!r}: {before:g} -> {after:g}"

    def watch_felt(self, live, image) -> None:
        """Start the page's own clock on the first control of live and on its picture."""
        control = live.locator(CONTROLS).first
        self.page.evaluate(FELT_WATCH, [control.element_handle(), image.element_handle()])

    def felt_seconds(self) -> tuple[float, float]:
        """(first, last): from the first new value to the first picture after it, and from the
        last new value to the latest position's picture, by the page's clock. (A figure that
        draws in slices answers with its first slice; the later ones are not waited for.)"""
        felt = self.page.evaluate("() => window.__felt")
        moves, pictures = felt["moves"], felt["pictures"]
        assert moves, "the page saw no new value of the control"
        first = next((t for t in pictures if t >= moves[0]), None)
        assert first is not None, "the page saw no new picture after the move"
        return (first - moves[0]) / 1000, (pictures[self.last_answer()] - moves[-1]) / 1000

    def last_answer(self) -> int:
        """The index, among the pictures sent, of the last one drawn for a new value (the
        kernel's TIMELINE calls a draw's later slices "slice")."""
        sent = [e[0] for e in self.kernel_timeline() if e[0] in ("picture", "slice")]
        return max(i for i, kind in enumerate(sent) if kind == "picture")

    def run_quietly(self, code: str) -> str:
        """Run code in the notebook's kernel without a cell (nor history); return its stdout."""
        return self.page.evaluate(
            f"""async code => {{
            const kernel = {PANEL}.sessionContext.session.kernel;
            const future = kernel.requestExecute({{code, store_history: false}});
            let out = "";
            future.onIOPub = msg => {{
                if (msg.header.msg_type === "stream") out += msg.content.text;
            }};
            await future.done;
            return out;
        }}""",
            code,
        )

    def kernel_timeline(self) -> list:
        code = "import json as _j\nfrom nnscratch.widgets.ui import TIMELINE as _t\n"
        return json.loads(self.run_quietly(code + "print(_j.dumps(list(_t)))"))

    def wait_for_last_picture(self, timeout: float = 60) -> None:
        """Wait until the kernel has drawn the control's last value and the page shows it.
        (The redraws run in a worker thread, so the kernel reports idle while one runs.)"""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            timeline = self.kernel_timeline()
            values = [e[1] for e in timeline if e[0] == "value"]
            pictures = [e for e in timeline if e[0] == "picture"]
            if values and pictures and pictures[-1][1] >= values[-1]:
                self.page.wait_for_function(
                    "n => window.__felt.pictures.length >= n",
                    arg=self.last_answer() + 1,
                    timeout=timeout * 1000,
                    polling=10,
                )
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the kernel drew no picture of the last value within {timeout} s")

    def kernel_seconds(self) -> tuple[float, float]:
        """(first, busy) by the kernel's clock, since TIMELINE was last cleared: from the first
        new value to the end of the first redraw after it, and the time spent redrawing."""
        timeline = self.kernel_timeline()
        values = [e[1] for e in timeline if e[0] == "value"]
        pictures = [e[1:] for e in timeline if e[0] == "picture"]
        assert values and pictures, f"the kernel recorded no move and redraw: {timeline}"
        first = next(end for start, end in pictures if start >= values[0])
        return first - values[0], sum(end - start for start, end in pictures)

    def seconds_until_new_source(
        self, image, old_source: str, since: float, timeout: float = 60
    ) -> float:
        """Seconds from `since` (time.monotonic()) until the <img> shows another picture: the
        image widget gives each new PNG a new address. The page checks every 10 ms."""
        self.page.wait_for_function(
            "([img, old]) => img.src && img.src !== old",
            arg=[image.element_handle(), old_source],
            timeout=timeout * 1000,
            polling=10,
        )
        return time.monotonic() - since

    def wait_for_new_image(self, image, old_digest: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            digest = self.image_digest(image)
            if digest and digest != old_digest:
                return digest
            self.page.wait_for_timeout(200)
        raise AssertionError(
            f"the figure did not change within {timeout:.0f} s of moving its control"
        )
