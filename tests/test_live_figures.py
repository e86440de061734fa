"""Live figures: redraws that keep up with a slider (only the newest values drawn, one redraw
per action, blitting that paints what a full drawing paints), a state line, ipywidgets 7."""

from __future__ import annotations

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
    live._latest = __import__("nnscratch.widgets.latest", fromlist=["LatestOnly"]).LatestOnly(
        live.show, on_error=live._show_error
    )
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
        for artist in fig.live_artists:  # no blitting: everything drawn by one full draw
            artist.set_animated(False)
        fig.live_artists = []
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
    assert not any(c.continuous_update for c in training.live.controls.values())


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
    wall, _ = time_redraws(live, 6)
    assert len(wall) >= 5 and sum(wall) <= time.perf_counter() - start


def test_the_kernel_timeline_records_each_value_and_each_redraw():
    from nnscratch.widgets.loss import one_sample_loss
    from nnscratch.widgets.ui import TIMELINE

    live = one_sample_loss()
    TIMELINE.clear()
    live.controls["s0"].value = -2.0
    (kind, arrived), (picture, start, end) = TIMELINE
    assert (kind, picture) == ("value", "picture") and arrived <= start < end
