"""Classroom grading: `python -m nnscratch grade SUBMISSION.ipynb [...] --csv grades.csv`.

Each submission runs in its own fresh kernel with time, memory and output limits; only the
learner's own objects run there, on inputs drawn from a seed chosen for this grading run, and
their outputs come back as plain data. The verdicts are computed in the grading process.

Modules: notebooks (find and read submissions), kernel (one kernel, driven request by
request), inkernel (what runs inside the kernel), wire (plain data across the boundary),
judge (verdicts), submission (one submission, start to end), pool (parallel workers that
survive anything a submission does), gradebook (CSV, JSON and feedback files), cli.
"""
