"""Live figures: redraws that keep up with a slider (only the newest values drawn, one redraw
per action, blitting that paints what a full drawing paints), a state line, ipywidgets 7."""

from __future__ import annotations

import base64
import threading
import time

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


def pixels(png: bytes) -> np.ndarray:
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def share_differing(a: bytes, b: bytes) -> float:
    """The share of pixels that clearly differ between two pictures of one size (antialiased
    edges drawn in another order differ a little, a wrong bar or number a lot)."""
    return float((np.abs(pixels(a) - pixels(b)).max(axis=2) > 40).mean())


def test_a_busy_worker_runs_only_the_newest_request():
    from nnscratch.widgets.latest import LatestOnly

    started, release, ran = threading.Event(), threading.Event(), []

    def job(request):
        ran.append(request)
        started.set()
        release.wait(5)

    worker = LatestOnly(job)
    worker.submit(1)
    assert started.wait(5)
    for request in (2, 3, 4):  # arrive while 1 is drawn: 2 and 3 are superseded
        worker.submit(request)
    release.set()
    assert worker.wait(5)
    assert ran == [1, 4] and worker.dropped == 2


def test_a_failing_redraw_is_reported_and_the_worker_goes_on():
    from nnscratch.widgets.latest import LatestOnly

    errors, ran = [], []

    def job(request):
        if request == "bad":
            raise ValueError("no")
        ran.append(request)

    worker = LatestOnly(job, on_error=errors.append)
    worker.submit("bad")
    worker.wait(5)
    worker.submit("good")
    worker.wait(5)
    assert [str(e) for e in errors] == ["no"] and ran == ["good"]


def test_in_the_background_a_fast_drag_ends_on_the_picture_of_its_last_value():
    from nnscratch.widgets.loss import softmax_overflow

    live = softmax_overflow()
    live.use_worker()
    for push in range(0, 1000, 50):
        live.controls["push"].value = push
    assert live.wait(30)
    still = softmax_overflow()  # the same figure moved straight to the last value
    still.controls["push"].value = 950
    assert share_differing(live.image.value, still.image.value) < 0.002
    assert live._latest.dropped > 0  # the drag outran the drawing, and nothing queued


def test_blitted_redraws_paint_what_a_fresh_figure_paints():
    from nnscratch import data
    from nnscratch.widgets.chain_rule import chain_explorer
    from nnscratch.widgets.computation_graph import graph_stepper, sigmoid_explorer
    from nnscratch.widgets.gradients import tangent_explorer
    from nnscratch.widgets.inference import network_playground
    from nnscratch.widgets.labs import activation_explorer, network_probe, ring_trainer
    from nnscratch.widgets.loss import one_sample_loss
    from nnscratch.widgets.training import training_playground

    probe = {"W1": np.array([[2.0, -1.0], [1.0, 2.0]]), "b1": np.zeros(2), "W2": np.eye(2) * 3}
    probe["b2"] = np.array([0.0, -1.0])
    rings = data.rings(n_per_class=20, rng=0)
    for make, name, value in (
        (network_playground, "v0", -4.2),
        (one_sample_loss, "s1", -3.0),
        (chain_explorer, "x", 2.4),
        (tangent_explorer, "position", 0.9),
        (graph_stepper, "step", 6),
        (sigmoid_explorer, "x", -2.3),
        (lambda: network_probe(probe), "x1", -2.6),
        (lambda: activation_explorer("ReLU"), "point", 3.1),
        (lambda: training_playground(epochs=20).live, "lr", 3.0),
        (lambda: ring_trainer(*rings, *rings), "hidden_size", 5),
    ):
        moved = make()
        moved.controls[name].value = value  # redrawn in place
        fresh = make()
        with fresh.hold():
            fresh.controls[name].value = value
        # `fresh` was drawn in place as well; compare both with a figure drawn in one go
        whole = make()
        whole.renderer = type(whole.renderer)(whole.dpi)
        values = whole.values() | {name: value}
        fig = whole.draw(**values)
        # no blitting: everything drawn by one full draw
        for artist in [*fig.live_artists, *getattr(fig, "live_overlay", ())]:
            artist.set_animated(False)
        fig.live_artists = fig.live_overlay = []
        full = whole.renderer.png(fig)
        for live in (moved, fresh):
            share = share_differing(live.image.value, full)
            assert share < 0.002, f"{name} of {make}: {share:.2%} of pixels differ"


def test_a_button_that_sets_six_sliders_redraws_once():
    from nnscratch.widgets.inference import network_playground

    live = network_playground()
    drawn = []
    draw = live.draw
    live.draw = lambda **values: drawn.append(values) or draw(**values)
    before = live.image.value
    shuffle = next(
        b
        for row in live.widget.children[:-1]
        for b in row.children
        if getattr(b, "description", "") == "random weights"
    )
    shuffle.click()
    assert len(drawn) == 1 and live.image.value != before


def test_sliders_follow_the_hand_except_where_a_move_retrains():
    from nnscratch.widgets.inference import network_playground
    from nnscratch.widgets.training import training_playground

    assert all(c.continuous_update for c in network_playground().controls.values())
    training = training_playground(epochs=20)
    follows = {name: c.continuous_update for name, c in training.live.controls.items()}
    assert follows == {"lr": False, "hidden": False, "epochs": True}  # epochs: scrubs a run


def test_a_run_trained_in_slices_is_the_run_trained_in_one_go():
    from nnscratch.data import spiral
    from nnscratch.network import TwoLayerNet
    from nnscratch.optim import SGD
    from nnscratch.trainer import fit
    from nnscratch.widgets.runs import Run

    x, t = spiral()
    run = Run(
        lambda: TwoLayerNet(2, 5, 3, rng=0), x, t, SGD(1.0), epochs_max=30, batch_size=30, seed=0
    )
    run.train(30, steps=40)
    assert run.trained == 4  # 40 steps, 10 a epoch
    while run.trained < 30:
        run.train(30, steps=70)
    run.train(40)  # past epochs_max: nothing more
    assert run.trained == 30 and run.ended
    for epochs in (7, 30):
        net = TwoLayerNet(2, 5, 3, rng=0)
        history = fit(net, x, t, SGD(1.0), epochs=epochs, batch_size=30, rng=0)
        shown, shown_history = run.at(epochs)
        for mine, theirs in zip(shown.params, net.params):
            np.testing.assert_array_equal(mine, theirs)
        assert shown_history == history


def test_a_request_past_the_runs_last_epoch_ends_instead_of_asking_for_slices_forever():
    from nnscratch.data import spiral
    from nnscratch.network import TwoLayerNet
    from nnscratch.optim import SGD
    from nnscratch.widgets.runs import Run, Runs

    x, t = spiral()

    def new_run(lr):
        net = lambda: TwoLayerNet(2, 5, 3, rng=0)  # noqa: E731
        return Run(net, x, t, SGD(lr), epochs_max=20, batch_size=30, seed=0)

    runs = Runs(new_run)
    for _ in range(10):
        run, epoch, done = runs.step((1.0,), 50)
        if done:
            break
    assert done and epoch == 20 and not runs.going_on()


def test_a_new_setting_answers_with_its_first_slice_and_the_epochs_slider_never_retrains():
    from nnscratch.widgets import runs
    from nnscratch.widgets.training import training_playground

    playground = training_playground(epochs=200)
    live = playground.live
    first = playground.picture.title.get_text()  # the first picture: the first slice
    assert "training…" in first and "epoch 5/200" in first, first
    live.wait()
    assert "epoch 200/200" in playground.picture.title.get_text()
    live.controls["lr"].value = 2.0  # without a worker: returns with the first slice
    first = playground.picture.title.get_text()
    assert "training…" in first and "epoch 5/200" in first, first
    live.wait()  # the other slices
    assert "epoch 200/200" in playground.picture.title.get_text()
    assert "training…" not in playground.picture.title.get_text()
    trained = []
    train = runs.Run.train
    runs.Run.train = lambda self, *a, **k: trained.append(a) or train(self, *a, **k)
    try:
        for epochs in (100, 20, 150, 200):
            live.controls["epochs"].value = epochs
            assert f"epoch {epochs}/{epochs}" in playground.picture.title.get_text()
        live.controls["lr"].value = 1.0  # a setting seen before
        assert "training…" not in playground.picture.title.get_text()
    finally:
        runs.Run.train = train
    assert trained == []


class Display:
    """IPython's display, recording what a live figure displays and each update of it."""

    def __init__(self):
        self.shown, self.updates = [], []

    def __call__(self, bundle, raw=False, metadata=None, display_id=None):
        assert raw and display_id
        self.shown.append(bundle)
        return self

    def update(self, bundle, raw=False, metadata=None):
        self.updates.append(bundle)


def test_the_still_picture_is_replaced_by_the_final_one_when_the_slices_are_done(monkeypatch):
    """In a kernel the first picture comes at once, with the first slice of a run; the still
    picture displayed with it (exports, front ends without widgets) is then updated to the
    final picture, once."""
    import IPython.display

    from nnscratch.widgets.training import training_playground

    display = Display()
    monkeypatch.setattr(IPython.display, "display", display)
    playground = training_playground(epochs=200, background=True)
    live = playground.live
    playground._ipython_display_()
    assert live.wait(60)
    assert "epoch 200/200" in playground.picture.title.get_text()
    (shown,) = display.shown
    (final,) = display.updates
    assert shown["image/png"] != final["image/png"]
    assert base64.b64decode(final["image/png"]) == live.image.value
    live.controls["epochs"].value = 100  # later pictures: the widget's, not the still's
    assert live.wait(60) and len(display.updates) == 1


def test_without_a_worker_the_still_picture_is_final_at_once(monkeypatch):
    import IPython.display

    from nnscratch.widgets.training import training_playground

    display = Display()
    monkeypatch.setattr(IPython.display, "display", display)
    playground = training_playground(epochs=50)
    playground._ipython_display_()
    assert "epoch 50/50" in playground.picture.title.get_text() and not display.updates
    assert base64.b64decode(display.shown[0]["image/png"]) == playground.live.image.value


def test_run_waits_for_a_new_runs_slices_in_its_own_thread_not_the_kernels():
    """▶ run must not block the kernel (which reads the controls' messages) while the slices
    of a new run are trained."""
    from nnscratch.widgets.training import training_playground

    playground = training_playground(epochs=60, background=True)
    live = playground.live
    waited_in = []
    wait = live.wait
    live.wait = lambda timeout=30: waited_in.append(threading.current_thread()) or wait(timeout)
    live.controls["lr"].value = 2.0  # a new run, trained in slices by the worker
    playground.start()
    playground._worker.join(60)
    assert waited_in and threading.main_thread() not in waited_in
    assert "epoch 60/60" in playground.picture.title.get_text()
    assert not playground.run_button.disabled


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # wanted
def test_a_worker_whose_error_report_fails_lets_the_next_request_run():
    from nnscratch.widgets.latest import LatestOnly

    ran = []

    def job(request):
        if request == "bad":
            raise ValueError("no")
        ran.append(request)

    def report(error):
        raise RuntimeError("the report failed too")

    worker = LatestOnly(job, on_error=report)
    worker.submit("bad")
    assert worker.wait(5)
    for thread in threading.enumerate():  # its exception reported within this test
        if thread.name.endswith("(_work)"):
            thread.join(5)
    worker.submit("good")
    assert worker.wait(5) and ran == ["good"]


def test_in_the_background_a_new_value_takes_the_place_of_a_runs_next_slices():
    from nnscratch.widgets.training import training_playground
    from nnscratch.widgets.ui import TIMELINE

    playground = training_playground(epochs=300)
    live = playground.live
    live.wait()  # the first run's slices
    live.use_worker()
    TIMELINE.clear()
    live.controls["lr"].value = 3.0
    live.controls["lr"].value = 0.5
    assert live.wait(60)
    assert "learning rate 0.5" in playground.picture.title.get_text()
    assert "epoch 300/300" in playground.picture.title.get_text()
    kinds = [e[0] for e in TIMELINE]
    assert kinds.count("slice") >= 3  # 0.5's run came in slices
    lr3 = playground.runs.get(3.0, 10)
    assert lr3.trained < 300  # superseded: left where it was, to resume if asked again


def test_the_state_line_says_what_the_figure_shows_now():
    from nnscratch.widgets.inference import TEACHER_W1, TEACHER_b1, network_playground
    from nnscratch.widgets.loss import softmax_overflow

    live = network_playground()
    text = live._repr_mimebundle_()["text/plain"]
    assert "of 30 target points are in their class region" in text and "goal" not in text
    with live.hold():
        for control, v in zip(live.controls.values(), [*TEACHER_W1.ravel(), *TEACHER_b1]):
            control.value = float(v)
    assert "30 of 30" in live.state.value and "goal reached" in live.state.value
    overflow = softmax_overflow(start=1000)
    assert "broken (nan) with naive" in overflow._repr_mimebundle_()["text/plain"]
    assert "run this notebook" not in overflow._repr_mimebundle_()["text/plain"]


def test_the_playground_goal_is_reachable_and_not_reached_at_the_start():
    from nnscratch.widgets.inference import TEACHER_W1, TEACHER_b1, network_playground

    live = network_playground()
    assert "goal reached" not in live.state.value
    with live.hold():
        for control, v in zip(live.controls.values(), [*TEACHER_W1.ravel(), *TEACHER_b1]):
            control.value = float(v)
    assert "goal reached" in live.state.value


def test_with_ipywidgets_7_the_bundle_still_holds_the_widget_view_and_the_picture():
    """ipywidgets 7 (imported first on Google Colab) has no _repr_mimebundle_ on widgets."""
    from nnscratch.widgets.loss import one_sample_loss
    from nnscratch.widgets.ui import WIDGET_VIEW

    live = one_sample_loss()

    class OldBox:  # what a 7.x VBox offers for display: a model id, no _repr_mimebundle_
        model_id = "abc123"

    live.widget = OldBox()
    bundle = live._repr_mimebundle_()
    assert bundle[WIDGET_VIEW] == {"version_major": 2, "version_minor": 0, "model_id": "abc123"}
    assert bundle["image/png"] and "loss" in bundle["text/plain"]


def test_the_redraw_benchmark_times_a_real_redraw():
    import runpy
    from pathlib import Path

    bench = runpy.run_path(str(Path(__file__).resolve().parents[1] / "bench" / "live_redraw.py"))
    drag, time_redraws = bench["drag"], bench["time_redraws"]
    from nnscratch.widgets.loss import one_sample_loss

    live = one_sample_loss()
    values = drag(live.controls["s0"], 6)
    assert len(set(values)) > 3 and min(values) >= -6 and max(values) <= 6
    start = time.perf_counter()
    wall, _, whole = time_redraws(live, 6)
    assert len(wall) >= 5 and sum(wall) <= sum(whole) <= time.perf_counter() - start


def test_the_kernel_timeline_records_each_value_and_each_redraw():
    from nnscratch.widgets.loss import one_sample_loss
    from nnscratch.widgets.ui import TIMELINE

    live = one_sample_loss()
    TIMELINE.clear()
    live.controls["s0"].value = -2.0
    (kind, arrived), (picture, start, end) = TIMELINE
    assert (kind, picture) == ("value", "picture") and arrived <= start < end


def figures_shown(live) -> list:
    """The Figures a live figure shows: for its values, and for each option of its dropdowns
    (a widget may keep one figure per option)."""
    from nnscratch.widgets.ui import w

    figures = [live.draw(**live.values())]
    for name, control in live.controls.items():
        if isinstance(control, w.Dropdown):
            options = control.options  # a dict, or labels, or (label, value) pairs
            if isinstance(options, dict):
                options = options.values()
            for option in options:
                value = option[1] if isinstance(option, tuple) else option
                figures.append(live.draw(**(live.values() | {name: value})))
    return list({id(fig): fig for fig in figures}.values())


def test_fixed_margins_place_the_axes_where_constrained_layout_would():
    """A live figure skips constrained layout on its first picture (figures.canvas.fixed_layout):
    its margins must still be the layout's, so it looks as laid out (within 1.5 pixels)."""
    import runpy
    from pathlib import Path

    from nnscratch.figures.canvas import constrained_margins

    bench = runpy.run_path(str(Path(__file__).resolve().parents[1] / "bench" / "live_redraw.py"))
    fixed = 0
    for name, make, _control in bench["live_figures"]():
        live = make()
        for fig in figures_shown(live):
            if getattr(fig, "nnscratch_replaced_layout", None) is None:
                continue
            fixed += 1
            live.renderer.png(fig)  # at the live figure's dpi, live artists set apart
            width, height = fig.canvas.get_width_height()
            boxes = [ax.get_position(original=True) for ax in fig.axes]
            titled = fig._suptitle and fig._suptitle.get_text()  # get_suptitle(): matplotlib 3.8
            suptitle = fig._suptitle.get_position()[1] if titled else None
            measured = constrained_margins(fig)  # lays fig out with constrained layout
            for ax, box in zip(fig.axes, boxes):
                laid = ax.get_position(original=True)
                error = np.abs(np.subtract(laid.extents, box.extents)) * ([width, height] * 2)
                assert error.max() <= 1.5, (
                    f"{name}: an axes is {error.max():.1f} px from where constrained layout "
                    f"puts it; its margins now: {measured}"
                )
            if suptitle is not None:
                error = abs(fig._suptitle.get_position()[1] - suptitle) * height
                assert error <= 1.5, f"{name}: the suptitle moved {error:.1f} px"
    assert fixed >= 8


def test_a_pasted_title_looks_like_the_text_it_replaces():
    """PastedText pastes a title's runs of text side by side (from its second picture: the
    first is the Text's own): its ink must cover what the Text's does, within a pixel or two,
    and a run seen before must not be drawn again."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nnscratch.figures.live_text import PastedText

    title = "hidden 15, lr 0.3, W std 1, 200 epochs: accuracy 0.97 training, -0.5 · training…"

    def ink(paste: bool):
        fig = Figure(figsize=(9, 1), dpi=90)
        FigureCanvasAgg(fig)
        text = fig.suptitle(title)
        pasted = PastedText(text) if paste else None
        fig.canvas.draw()
        if paste:
            assert not pasted._pictures._kept  # the first picture is the Text's own
            fig.canvas.draw()
        dark = np.asarray(fig.canvas.buffer_rgba())[..., :3].min(axis=2) < 128
        rows, columns = np.nonzero(dark.any(axis=1))[0], np.nonzero(dark.any(axis=0))[0]
        return (rows[0], rows[-1], columns[0], columns[-1]), dark.sum(), pasted

    text_box, text_ink, _ = ink(False)
    pasted_box, pasted_ink, pasted = ink(True)
    assert np.abs(np.subtract(text_box, pasted_box)).max() <= 2, (text_box, pasted_box)
    assert abs(pasted_ink - text_ink) <= 0.05 * text_ink
    kept = len(pasted._pictures._kept)
    pasted.set_text(title.replace("0.97", "0.98"))
    pasted.get_figure().canvas.draw()
    assert len(pasted._pictures._kept) == kept + 1  # only the new number was rasterised


def test_while_graded_a_training_widget_trains_no_slice_nobody_sees(monkeypatch):
    from nnscratch.figures import canvas
    from nnscratch.widgets.training import training_playground

    monkeypatch.setenv(canvas.GRADING, "1")
    playground = training_playground(epochs=200)
    playground.live.wait()
    assert playground.runs.get(1.0, 10).trained == 5  # the first slice only


def test_a_new_loss_scale_redraws_the_loss_axes_only_and_paints_what_a_full_drawing_paints():
    from nnscratch.widgets.training import training_playground

    playground = training_playground()
    live = playground.live
    live.wait()
    scale = live.draw(**live.values()).live_key
    redrawn = []
    redraw = live.renderer._redraw_axes
    live.renderer._redraw_axes = lambda *a: redrawn.append(a) or redraw(*a)
    live.controls["lr"].value = 2.6  # a run whose loss leaves the first scale
    live.wait()
    fig = live.draw(**live.values())
    assert fig.live_key != scale and redrawn, "this run no longer changes the loss scale"
    for artist in [*fig.live_artists, *fig.live_overlay]:
        artist.set_animated(False)
    fig.canvas.draw()
    full = __import__("nnscratch.widgets.render", fromlist=["encode"]).encode(fig.canvas)
    share = share_differing(live.image.value, full)
    assert share < 0.002, f"{share:.2%} of pixels differ"


def test_a_figure_that_cannot_be_drawn_says_so_in_the_notebooks_language():
    from nnscratch.i18n import speaking
    from nnscratch.widgets.loss import softmax_overflow

    live = softmax_overflow()
    live._show_error(ValueError("no"))
    assert "This figure could not be drawn: ValueError: no" in live.state.value
    with speaking("zh"):
        live._show_error(ValueError("no"))
    assert "这张图无法绘制：ValueError: no" in live.state.value


def test_a_math_word_drawn_as_plain_text_looks_as_mathtext_draws_it():
    """figures.canvas.math_word: labels "$x$", "$dy/dx$" (math_label) and a live label's head
    "$dy/dx$ = " (NumberText) drawn without mathtext must ink what mathtext inks, within two
    pixels (each run of text is placed to a whole pixel)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nnscratch.figures.canvas import math_label
    from nnscratch.figures.live_text import NumberText

    def ink(draw):
        fig = Figure(figsize=(2.4, 0.6), dpi=90)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        draw(ax)
        fig.canvas.draw()
        dark = np.asarray(fig.canvas.buffer_rgba())[..., :3].min(axis=2) < 128
        rows, columns = np.nonzero(dark.any(axis=1))[0], np.nonzero(dark.any(axis=0))[0]
        return (rows[0], rows[-1], columns[0], columns[-1]), dark.sum()

    def text(ax, label, **style):
        return ax.text(0.5, 0.5, label, ha="center", va="top", fontsize=9.5, **style)

    def plain(label):
        word, style = math_label(label)
        assert word != label  # drawn without mathtext
        return lambda ax: text(ax, word, **style)

    def number(ax):
        NumberText(text(ax, "$dy/dx$ = ")).set("0.235")

    for label, drawn in (("$x$", plain("$x$")), ("$dy/dx$", plain("$dy/dx$")),
                         ("$dy/dx$ = 0.235", number)):  # fmt: skip
        (math_box, math_ink), (box, dark) = ink(lambda ax, s=label: text(ax, s)), ink(drawn)
        assert np.abs(np.subtract(box, math_box)).max() <= 2, (label, box, math_box)
        assert abs(dark - math_ink) <= max(4, 0.15 * math_ink), (label, dark, math_ink)


def test_fixed_ticks_change_no_pixel(monkeypatch):
    """figures.canvas.fixed_ticks sets the ticks once instead of asking the locator at every
    draw: each live figure that uses it must paint the same picture as with its locators."""
    import runpy
    from pathlib import Path

    from nnscratch.figures import canvas
    from nnscratch.figures.canvas import to_png
    from nnscratch.widgets import chain_rule, inference, labs, loss

    asked = []  # the axes each widget gives fixed_ticks, left with their locators meanwhile
    for module in (chain_rule, inference, labs, loss):
        monkeypatch.setattr(module, "fixed_ticks", lambda *axes: asked.extend(axes))
    bench = runpy.run_path(str(Path(__file__).resolve().parents[1] / "bench" / "live_redraw.py"))
    compared = 0
    for _name, make, _control in bench["live_figures"]():
        asked.clear()
        live = make()
        for fig in figures_shown(live):
            axes = [ax for ax in asked if ax.figure is fig]
            if not axes:
                continue
            located = to_png(fig, dpi=90)
            canvas.fixed_ticks(*axes)
            assert (pixels(to_png(fig, dpi=90)) == pixels(located)).all()
            compared += 1
    assert compared >= 6


def test_the_collector_paused_for_a_first_picture_is_left_as_it_was():
    import gc

    from nnscratch.widgets.ui import collection_deferred

    assert gc.isenabled()
    with pytest.raises(ValueError), collection_deferred():
        assert not gc.isenabled()
        raise ValueError("a failing draw")
    assert gc.isenabled()
    gc.disable()  # a learner's own choice stays
    try:
        with collection_deferred():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
