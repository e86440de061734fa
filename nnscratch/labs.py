"""Labs: points per exercise, and your score so far from the checks run in this session.

    from nnscratch.labs import score
    score("lab1")        # a table: each exercise's tests passed and points earned

The name the labs import it by. The table itself is the course's one scoreboard
(nnscratch.scoreboard); each lab's points live once, in its record in nnscratch.exercises.
"""

from nnscratch.scoreboard import points, score

__all__ = ["points", "score"]
