"""Exercises with ids under `gradients.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
