"""A layer that keeps what its first forward stored: `if self.x is None: self.x = x`, or a
cache filled once. A case that runs forward twice then tells it apart from the right layer:
backward gives what the first forward's input gives.

The rule needs no table: the exercise's own reference class, changed to keep the state its
first forward stored, is run on the learner's case, and the hint is said only when its outputs
are the learner's (core._diagnose, where a listed mistake gives no match).
"""

from __future__ import annotations

import copy

import numpy as np

from nnscratch.i18n import N_

FIRST_FORWARD_KEPT = N_(
    "after a second forward, your layer still uses what its first forward stored, as if that "
    "forward's input had come again: store what backward needs on every forward (is it stored "
    "only once, e.g. under `if self.x is None`?)."
)

# What a layer holds that is not a forward's cache: its parameters and gradients, changed in
# place by backward and an optimizer, never set again by forward.
_NOT_CACHE = ("params", "grads")


def _cache(value) -> bool:
    """What a forward stores for backward: arrays and numbers (x, out, mask, y, t); not the
    layers of a network, whose params must stay the ones the optimizer changes."""
    return isinstance(value, (np.ndarray, int, float, np.number)) and not isinstance(value, bool)


def keeps_first_forward(reference):
    """The reference class, changed so that every forward after the first leaves in place the
    attributes the first one set; None when the reference is no class with a forward."""
    if not isinstance(reference, type) or not callable(getattr(reference, "forward", None)):
        return None

    class KeepsFirstForward(reference):
        def forward(self, *args, **kwargs):
            out = super().forward(*args, **kwargs)
            kept = self.__dict__.get("_first_forward_state")
            if kept is None:
                self.__dict__["_first_forward_state"] = {
                    name: copy.deepcopy(value)
                    for name, value in vars(self).items()
                    if name not in _NOT_CACHE and _cache(value)
                }
            else:
                for name, value in kept.items():
                    setattr(self, name, copy.deepcopy(value))
            return out

    KeepsFirstForward.__name__ = reference.__name__
    KeepsFirstForward.__qualname__ = reference.__qualname__
    return KeepsFirstForward
