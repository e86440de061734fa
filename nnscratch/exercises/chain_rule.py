"""Exercises with ids under `chain_rule.` (filled in by the chapter that introduces them)."""

EXERCISES = ()
