"""Command line of the course's package.

python -m nnscratch grade SUBMISSION.ipynb [...] --csv grades.csv [--feedback DIR] [--jobs N]
python -m nnscratch progress [--reset]
"""

from __future__ import annotations

import sys

COMMANDS = {
    "grade": "grade students' notebooks into a CSV gradebook (instructors)",
    "progress": "show (or --reset) the exercises you have passed, per chapter",
}


def _help() -> str:
    lines = [__doc__.strip(), "", "Commands:"]
    lines += [f"  {name:<9} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(_help())
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "grade":
        from nnscratch.classroom.cli import main as grade

        return grade(rest)
    if command == "progress":
        from nnscratch.scoreboard import main as progress

        return progress(rest)
    print(f"unknown command {command!r}\n\n{_help()}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
