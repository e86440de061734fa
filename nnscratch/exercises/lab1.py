"""Exercises with ids under `lab1.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
