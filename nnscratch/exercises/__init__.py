"""The exercise table: every graded exercise of the course, keyed by id, in course order.

Each chapter's (or lab's) entries live in the module named for its id prefix; add a new one
by importing its module here.
"""

from nnscratch.exercises import (layer_backprop, chain_rule, gradients, computation_graph, inference, lab1, lab2, lab3,
                                 loss, training)

CHAPTERS = (inference, loss, gradients, chain_rule, computation_graph, layer_backprop, training, lab1, lab2, lab3)

EXERCISES = {ex.id: ex for module in CHAPTERS for ex in module.EXERCISES}
