"""The book's Trainer: same steps as fit, a loss list per evaluation interval, a loss plot."""

import matplotlib
import numpy as np

matplotlib.use("Agg")

from matplotlib.figure import Figure

from nnscratch.data import spiral
from nnscratch.network import TwoLayerNet
from nnscratch.optim import SGD
from nnscratch.trainer import Trainer, fit


def test_trainer_takes_the_same_steps_as_fit():
    x, t = spiral()
    history = fit(TwoLayerNet(2, 10, 3, rng=0), x, t, SGD(lr=1.0), epochs=20, batch_size=30, rng=0)
    trainer = Trainer(TwoLayerNet(2, 10, 3, rng=0), SGD(lr=1.0))
    trainer.fit(x, t, max_epoch=20, batch_size=30, eval_interval=10, rng=0, verbose=False)
    assert np.allclose(trainer.loss_list, history["epoch_loss"])  # 10 iterations = one epoch
    assert trainer.current_epoch == 20


def test_eval_interval_counts_iterations_and_fit_continues(capsys):
    x, t = spiral()
    trainer = Trainer(TwoLayerNet(2, 10, 3, rng=0), SGD(lr=1.0))
    trainer.fit(x, t, max_epoch=2, batch_size=30, eval_interval=5, rng=0)
    printed = capsys.readouterr().out.splitlines()
    assert len(trainer.loss_list) == 4 and len(printed) == 4  # 2 epochs x 10 iterations / 5
    assert printed[0].startswith("| epoch 1 | iter 5 / 10 |") and "loss" in printed[0]
    trainer.fit(x, t, max_epoch=1, batch_size=30, eval_interval=5, rng=1, verbose=False)
    assert len(trainer.loss_list) == 6 and trainer.current_epoch == 3


def test_trainer_plot_returns_a_figure_of_its_loss_list():
    x, t = spiral()
    trainer = Trainer(TwoLayerNet(2, 10, 3, rng=0), SGD(lr=1.0))
    trainer.fit(x, t, max_epoch=3, batch_size=30, eval_interval=10, rng=0, verbose=False)
    fig = trainer.plot(n_classes=3)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "iterations (× 10)"
    assert np.allclose(ax.get_lines()[0].get_ydata(), trainer.loss_list)
