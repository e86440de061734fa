"""Exercises with ids under `graph.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
