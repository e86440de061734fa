"""The exercise table: every graded exercise of the course, keyed by id, in course order.

One record per chapter or lab says what it is called, where its notebook is, which
exercises it grades and what each is worth. Each chapter's exercises live in the module
named for its id prefix; add a new chapter by adding its record here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nnscratch.exercises import (
    chain_rule,
    computation_graph,
    gradients,
    inference,
    lab1,
    lab2,
    lab3,
    layer_backprop,
    loss,
    training,
)
from nnscratch.i18n import N_
from nnscratch.spec import Exercise


@dataclass(frozen=True)
class Chapter:
    """A chapter or lab that has graded exercises."""

    prefix: str  # the id prefix of its exercises: "inference" for "inference.sigmoid"
    title: str  # as the README and the progress table name it (in English; _() shows it)
    notebook: str  # the student notebook, from the repository's root
    exercises: tuple[Exercise, ...]
    points: dict[str, int] = field(default_factory=dict)  # id -> points; unlisted ids are worth 1

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(ex.id for ex in self.exercises)

    def worth(self, exercise_id: str) -> int:
        return self.points.get(exercise_id, 1)


def earned(worth: float, tests_passed: int, tests: int) -> float:
    """The course's one scoring rule: an exercise earns its points in proportion to the tests
    it passes, to one decimal (3 points, 4 of 5 tests: 2.4). The labs' score(), their points
    tables and the grading CLI's points column all use it."""
    return round(worth * tests_passed / tests, 1) if tests else 0.0


CHAPTERS = (
    Chapter("inference", N_("Chapter 1 · Inference"), "chapters/01_inference.ipynb",
            inference.EXERCISES),
    Chapter("loss", N_("Chapter 2 · Loss"), "chapters/02_loss.ipynb", loss.EXERCISES),
    Chapter("gradients", N_("Chapter 3 · Gradients"), "chapters/03_gradients.ipynb",
            gradients.EXERCISES),
    Chapter("chain_rule", N_("Chapter 4 · Chain rule"), "chapters/04_chain_rule.ipynb",
            chain_rule.EXERCISES),
    Chapter("graph", N_("Chapter 5 · Computation graphs"), "chapters/05_computation_graph.ipynb",
            computation_graph.EXERCISES),
    Chapter("backprop", N_("Chapter 6 · Layer backprop"), "chapters/06_layer_backprop.ipynb",
            layer_backprop.EXERCISES),
    Chapter("training", N_("Chapter 7 · Training"), "chapters/07_training.ipynb", training.EXERCISES),
    Chapter("lab1", N_("Lab 1 · Inference end to end"), "labs/lab1_inference.ipynb", lab1.EXERCISES,
            lab1.POINTS),
    Chapter("lab2", N_("Lab 2 · New layers"), "labs/lab2_new_layers.ipynb", lab2.EXERCISES,
            lab2.POINTS),
    Chapter("lab3", N_("Lab 3 · Train and explain"), "labs/lab3_train_and_explain.ipynb",
            lab3.EXERCISES, lab3.POINTS),
)  # fmt: skip

EXERCISES = {ex.id: ex for chapter in CHAPTERS for ex in chapter.exercises}
BY_PREFIX = {chapter.prefix: chapter for chapter in CHAPTERS}


def chapter_of(exercise_id: str) -> Chapter:
    """The chapter or lab whose exercise this is."""
    return BY_PREFIX[exercise_id.split(".", 1)[0]]
