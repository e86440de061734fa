"""Is the course's helper package as fast as plain NumPy? Measure it, side by side.

    python bench/run_benchmarks.py              # everything (a minute or two on 2 cores)
    python bench/run_benchmarks.py --quick      # fewer repeats, no notebook runs
    python bench/run_benchmarks.py --classes    # only each learner-facing class vs inline NumPy
    python bench/run_benchmarks.py --live       # only the live figures' redraw and first-draw times

Every comparison runs both contenders in this one process, alternating them repeat after
repeat so that a busy machine slows both alike; the table gives each side's median time and
the median of the repeat-by-repeat ratios (`import` is timed in fresh processes).
The "plain NumPy" contenders are bare array expressions written out below, the code a
reader would type without the package. Both sides start from the same weights and data,
and the script checks they compute the same numbers before it believes any timing: the
training loops the same loss every epoch; the single passes the same loss, gradients and
dL/dx. (The plain training loop skips dL/dx, which training never uses; the package's
backward computes it anyway, as the layer contract says, and pays for it in that ratio.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from nnscratch.activation_layers import ReLU, Softmax, Tanh
from nnscratch.data import spiral
from nnscratch.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnscratch.network import TwoLayerNet
from nnscratch.nodes import MatMul, Repeat, Sum
from nnscratch.optim import SGD
from nnscratch.trainer import fit

ROOT = Path(__file__).resolve().parent.parent
EPOCHS, BATCH, HIDDEN, LR = 300, 30, 10, 1.0  # the book's spiral settings
CLASS_TARGET = 1.35  # each learner-facing class against the same computation inline


# --- the plain NumPy contenders ---------------------------------------------------------------


def plain_training(x, t, W1, b1, W2, b2, seed):
    """The spiral training loop as bare array expressions; returns the mean loss per epoch."""
    rng = np.random.default_rng(seed)
    N = len(x)
    epoch_loss = []
    for _epoch in range(EPOCHS):
        order = rng.permutation(N)
        x_epoch, t_epoch = x[order], t[order]
        total = 0.0
        for i in range(N // BATCH):
            xb, tb = x_epoch[i * BATCH : (i + 1) * BATCH], t_epoch[i * BATCH : (i + 1) * BATCH]
            h = xb @ W1 + b1
            a = 1 / (1 + np.exp(-h))
            s = a @ W2 + b2
            e = np.exp(s - s.max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
            total += -np.sum(tb * np.log(y + 1e-7)) / BATCH
            ds = (y - tb) / BATCH
            dW2, db2 = a.T @ ds, ds.sum(axis=0)
            dh = (ds @ W2.T) * a * (1 - a)
            dW1, db1 = xb.T @ dh, dh.sum(axis=0)
            W1 -= LR * dW1
            b1 -= LR * db1
            W2 -= LR * dW2
            b2 -= LR * db2
        epoch_loss.append(total / (N // BATCH))
    return epoch_loss


def plain_step(x, t, W1, b1, W2, b2):
    """One forward and backward pass as bare array expressions: the loss, the four gradients,
    and dL/dx, which the backward pass of the first Affine layer returns (as the package's does)."""
    N = len(x)
    h = x @ W1 + b1
    a = 1 / (1 + np.exp(-h))
    s = a @ W2 + b2
    e = np.exp(s - s.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    loss = -np.sum(t * np.log(y + 1e-7)) / N
    ds = (y - t) / N
    dW2, db2 = a.T @ ds, ds.sum(axis=0)
    dh = (ds @ W2.T) * a * (1 - a)
    dW1, db1 = x.T @ dh, dh.sum(axis=0)
    dx = dh @ W1.T
    return loss, [dW1, db1, dW2, db2], dx


def package_step(net, x, t):
    loss = net.forward(x, t)
    dx = net.backward()
    return loss, net.grads, dx


# --- each learner-facing class against the same computation inline ----------------------------

CLASS_SIZES = ((30, 10), (256, 256))  # x (N, D): the book's spiral batch; one where arrays dominate


def class_pairs(N, D):
    """(name, ours, theirs) per class: its forward then backward, and the same NumPy inline.

    Both sides get the same arrays, and the script checks they return the same dx (for SGD,
    the same updated weights) before it believes any timing. The inline side computes every
    gradient the class computes (dW and db too), so the ratio is the class's own overhead.
    """
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((N, D)), rng.standard_normal((N, D))
    W, b = rng.standard_normal((D, D)), rng.standard_normal(D)
    labels = rng.integers(0, D, size=N)
    row = rng.standard_normal((1, D))
    W_ours, W_inline = W.copy(), W.copy()

    def run(node, *inputs, dout=dout):
        def ours():  # a layer is made once and run on batch after batch
            node.forward(*inputs)
            return node.backward(dout)

        return ours

    def sigmoid_inline():
        y = 1 / (1 + np.exp(-x))
        return dout * (1.0 - y) * y

    def affine_inline():
        x @ W + b
        x.T @ dout, np.sum(dout, axis=0)  # dW, db
        return dout @ W.T

    def softmax_with_loss_inline():
        e = np.exp(x - x.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
        -np.sum(np.log(y[np.arange(N), labels] + 1e-7)) / N
        dx = y.copy()
        dx[np.arange(N), labels] -= 1
        return dx / N

    def relu_inline():
        mask = x > 0
        np.where(mask, x, 0.0)
        return np.where(mask, dout, 0.0)

    def tanh_inline():
        y = np.tanh(x)
        return dout * (1.0 - y**2)

    def softmax_inline():
        e = np.exp(x - x.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
        return y * (dout - np.sum(dout * y, axis=1, keepdims=True))

    def matmul_inline():
        x @ W
        x.T @ dout  # dW
        return dout @ W.T

    repeat, total = Repeat(N), Sum()

    def repeat_sum_ours():
        total.forward(repeat.forward(row))
        return repeat.backward(total.backward(row))

    def repeat_sum_inline():
        np.sum(np.repeat(row, N, axis=0), axis=0, keepdims=True)
        return np.sum(np.repeat(row, N, axis=0), axis=0, keepdims=True)

    sgd = SGD(1e-9)

    def sgd_ours():
        sgd.update([W_ours, b], [W, np.zeros_like(b)])
        return W_ours

    def sgd_inline():
        for param, grad in zip([W_inline, b], [W, np.zeros_like(b)]):
            param -= 1e-9 * grad
        return W_inline

    pairs = [
        ("Sigmoid", run(Sigmoid(), x), sigmoid_inline),
        ("Affine", run(Affine(W, b), x), affine_inline),
        ("SoftmaxWithLoss", run(SoftmaxWithLoss(), x, labels, dout=1), softmax_with_loss_inline),
        ("ReLU", run(ReLU(), x), relu_inline),
        ("Tanh", run(Tanh(), x), tanh_inline),
        ("Softmax", run(Softmax(), x), softmax_inline),
        ("MatMul", run(MatMul(W), x), matmul_inline),
        ("Repeat+Sum", repeat_sum_ours, repeat_sum_inline),
        ("SGD", sgd_ours, sgd_inline),
    ]
    for name, ours, theirs in pairs:
        assert np.allclose(ours(), theirs()), f"{name}: the two sides disagree"
    return pairs


def best_of(ours, theirs, repeats, number):
    """Each side's fastest repeat in CPU time, and their ratio. CPU time, because on a shared
    machine wall time mostly measures the other programs; the fastest, as timeit advises,
    because interference only ever adds time."""
    ours(), theirs()
    a, b = [], []
    for _ in range(repeats):
        a.append(timed(ours, number, clock=time.process_time))
        b.append(timed(theirs, number, clock=time.process_time))
    return min(a), min(b), min(a) / min(b)


# --- measuring ----------------------------------------------------------------------------------


def timed(fn, number, clock=time.perf_counter):
    start = clock()
    for _ in range(number):
        fn()
    return (clock() - start) / number


def side_by_side(ours, theirs, repeats, number=1):
    """Median seconds per call of each, and the median of their ratios, repeat by repeat.

    The two are timed alternately (after one warm-up call each), and each ratio compares two
    neighbouring measurements, so a machine that gets busier or quieter as the script runs
    slows both sides of a ratio alike.
    """
    ours(), theirs()
    a, b = [], []
    for _ in range(repeats):
        a.append(timed(ours, number))
        b.append(timed(theirs, number))
    return (
        statistics.median(a),
        statistics.median(b),
        statistics.median(x / y for x, y in zip(a, b)),
    )


def bench_spiral(repeats):
    x, t = spiral()
    start = TwoLayerNet(2, HIDDEN, 3, rng=0).params

    def ours():
        net = TwoLayerNet(2, HIDDEN, 3, rng=0)
        return fit(net, x, t, SGD(LR), epochs=EPOCHS, batch_size=BATCH, rng=1)["epoch_loss"]

    def theirs():
        return plain_training(x, t, *[p.copy() for p in start], seed=1)

    assert np.allclose(ours(), theirs(), rtol=1e-6), "the two training loops disagree"
    return side_by_side(ours, theirs, repeats)


def bench_step(N, H, repeats, number):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, 2))
    t = np.eye(3)[rng.integers(0, 3, size=N)]
    net = TwoLayerNet(2, H, 3, weight_std=1.0, rng=0)
    weights = [p.copy() for p in net.params]
    loss_a, grads_a, dx_a = package_step(net, x, t)
    loss_b, grads_b, dx_b = plain_step(x, t, *weights)
    assert np.isclose(loss_a, loss_b) and np.allclose(dx_a, dx_b), "the two passes disagree"
    assert all(np.allclose(g, h) for g, h in zip(grads_a, grads_b)), "the two passes disagree"
    return side_by_side(
        lambda: package_step(net, x, t), lambda: plain_step(x, t, *weights), repeats, number
    )


IMPORT_PROBE = (
    "import sys, time; start = time.perf_counter(); import {name}; "
    "print(time.perf_counter() - start, 'matplotlib.pyplot' in sys.modules)"
)


def import_seconds(name):
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE.format(name=name)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if out[1] == "True":
        raise AssertionError(f"`import {name}` loads matplotlib.pyplot")
    return float(out[0])


def bench_import(repeats):
    a, b = [], []
    for _ in range(repeats):
        a.append(import_seconds("nnscratch"))
        b.append(import_seconds("numpy"))
    return (
        statistics.median(a),
        statistics.median(b),
        statistics.median(x / y for x, y in zip(a, b)),
    )


def notebook_seconds(*extra):
    """Wall time of one pytest run that executes every notebook (student and solved copies)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *extra, "tests/test_notebooks.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    summary = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    return seconds, summary, done.returncode


def has_xdist():
    try:
        import xdist  # noqa: F401
    except ImportError:
        return False
    return True


# --- the table ----------------------------------------------------------------------------------


def fmt(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats; skip the notebook runs"
    )
    parser.add_argument(
        "--classes", action="store_true", help="only each learner-facing class against inline NumPy"
    )
    parser.add_argument(
        "--live", action="store_true", help="only the live figures' redraw and first-draw times"
    )
    args = parser.parse_args(argv)
    if args.live:
        return live_figures_section()
    r = 3 if args.quick else 1

    rows = []  # (what, nnscratch's median, plain's median, median ratio, target, met)

    def ratio_row(what, measured, target):
        ours, theirs, ratio = measured
        rows.append(
            (what, fmt(ours), fmt(theirs), f"{ratio:.2f}x", f"<= {target:.2f}x", ratio <= target)
        )
        print(f"  done: {what}", file=sys.stderr)

    notes = []
    if not args.classes:
        ratio_row(f"spiral, {EPOCHS} epochs (fit vs loop)", bench_spiral(21 // r), 1.15)
        ratio_row(
            "TwoLayerNet forward+backward, batch 30, hidden 10",
            bench_step(30, 10, 21 // r, 2000 // r),
            1.15,
        )
        ratio_row(
            "TwoLayerNet forward+backward, batch 1024, hidden 1024",
            bench_step(1024, 1024, 21 // r, 3),
            1.05,
        )
        ratio_row("import nnscratch vs import numpy", bench_import(11 // r), 2.0)
    for N, D in CLASS_SIZES:
        for name, ours, theirs in class_pairs(N, D):
            what = f"class {name}, forward+backward, x ({N}, {D})"
            number = max(1, 200_000 // (N * D) // r)
            ratio_row(what, best_of(ours, theirs, 21 // r, number), CLASS_TARGET)
    notes.append(
        "class rows: CPU time, each side's fastest repeat, the class against the same "
        "lines written inline (class_pairs in this file)"
    )
    if not args.quick and not args.classes:
        runs = [("all notebooks, one pytest run", (), 60)]
        if has_xdist():
            runs.append(("same, -n 2 --dist loadfile", ("-n", "2", "--dist", "loadfile"), 45))
        else:
            notes.append("-n 2 --dist loadfile: skipped, pytest-xdist is not installed")
        for what, extra, target in runs:
            seconds, summary, code = notebook_seconds(*extra)
            rows.append(
                (what, fmt(seconds), "-", "-", f"< {target} s", seconds < target and code == 0)
            )
            notes.append(f"{what}: pytest says {summary!r}")
            print(f"  done: {what}", file=sys.stderr)

    header = ("measurement", "nnscratch", "plain NumPy", "ratio", "target", "met")
    table = [header] + [(*row[:5], {True: "yes", False: "NO", None: "-"}[row[5]]) for row in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for i, row in enumerate(table):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for note in notes:
        print(note)
    live_failed = 0 if args.classes else live_figures_section()
    return 0 if all(row[5] is not False for row in rows) and not live_failed else 1


# --- the live figures' redraw times (measured in bench/live_redraw.py) --------------------------


def live_figures_section():
    """Print each live figure's redraw time, and its first draw in fresh processes, against
    their budgets; 1 if one misses it."""
    # bench/ is this script's folder
    from live_redraw import first_rows, print_first_table, print_redraw_table, redraw_rows

    rows = redraw_rows()
    print_redraw_table(rows)
    firsts = first_rows()
    print_first_table(firsts)
    met = all(row[7] for row in rows) and all(row[5] for row in firsts)  # their "met" columns
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
