"""Exercises with ids under `training.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
