"""Exercises with ids under `lab3.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
