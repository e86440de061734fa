"""How long does a learner wait for check() on a wrong answer? Measure it.

    python -m bench.check_bench              # from the repository's root: every wrong answer
    python -m bench.check_bench --limit 100  # of the hint tables once, or the first 100

The wrong answers are the hint tables' own (tests/test_hints_*.py, the rows the classroom's
parity test also grades): answers written as learners write them, each defined in a file, so
that grader.repairs can read its source as it reads a notebook cell's. Each check() runs in
this process, as a notebook runs it (`-m` from the root is what lets the tables import); the table gives the median, 90th percentile and largest
wall time per answer, and how many answers got a repair's hint (the search for one change that
makes every test pass, the costliest part of the feedback).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N wrong answers")
    args = parser.parse_args()
    from nnscratch.grader import check
    from tests.test_hints_slips import _all_rows

    rows = _all_rows()[: args.limit or None]
    seconds, repaired = [], 0
    warnings.simplefilter("ignore")
    for exercise_id, obj, _hint in rows:
        started = time.perf_counter()
        result = check(exercise_id, obj)
        seconds.append(time.perf_counter() - started)
        repaired += any("ne change makes every test pass" in o.hint for o in result.outcomes)
    seconds.sort()
    p90 = seconds[int(0.9 * (len(seconds) - 1))]
    print(f"{len(seconds)} wrong answers, check() each once")
    print(f"  median {statistics.median(seconds) * 1000:7.0f} ms")
    print(f"  p90    {p90 * 1000:7.0f} ms")
    print(f"  max    {seconds[-1] * 1000:7.0f} ms")
    print(f"  total  {sum(seconds):7.1f} s")
    print(f"  with a repair's hint: {repaired}")


if __name__ == "__main__":
    main()
