"""The exercise table: every graded exercise of the course, keyed by id, in course order.

Each chapter's entries live in the module named for it; add a chapter by importing its
module here.
"""

from nnscratch.exercises import inference

EXERCISES = {ex.id: ex for module in (inference,) for ex in module.EXERCISES}
