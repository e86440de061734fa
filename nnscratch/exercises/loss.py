"""Exercises with ids under `loss.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
