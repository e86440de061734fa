"""Exercises with ids under `lab2.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
