"""Exercises with ids under `backprop.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
