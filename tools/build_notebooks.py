"""Generate every notebook from its one source in source/.

    python tools/build_notebooks.py           # write solutions/ and chapters/ (or labs/)
    python tools/build_notebooks.py --check   # exit 1 if any generated notebook is stale

A source is a Python file in the "percent" format: `# %%` starts a code cell and
`# %% [markdown]` a markdown cell whose lines start with "# ". Inside a function or
class body, the lines between `### BEGIN SOLUTION` and `### END SOLUTION` are kept in the
solved notebook and replaced by `raise NotImplementedError` in the student's copy. At the top
level of a code cell such a region holds a prediction (`answer = 2.0`), which the student's copy
turns into `answer = ...`; in a markdown cell it holds a model answer, left out of the student's
copy.

Every notebook also gets one set-up cell before its first code cell (SETUP below): where the
course's package is missing (Colab, a JupyterHub) it installs it from REPOSITORY, and on Colab
it turns on the widget manager; locally and on Binder it does nothing.

    python tools/build_notebooks.py --links   # print the README's Binder and Colab badges
    python tools/build_notebooks.py --links --hub https://hub.example.edu   # and an nbgitpuller link
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
STUDENT_DIRS = {"chapters": ROOT / "chapters", "labs": ROOT / "labs"}
SOLUTIONS = ROOT / "solutions"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")

# The course's public repository, the one place that names it: the notebooks' set-up cell
# installs the package from it, and README.md and docs/ link to it (tests/test_delivery.py
# checks that they agree). DEFAULT ADDRESS: replace it with the real one when the repository
# is published, then run this script and `python tools/build_notebooks.py --links`.
REPOSITORY = "https://github.com/nnscratch/nn-from-scratch"
BRANCH = "main"

SETUP = f"""\
# Set-up: on Colab or a JupyterHub without the course's package, install it from the course's
# repository, and on Colab switch on interactive widgets. Here, with the package installed,
# this cell does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnscratch") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "nnscratch @ git+{REPOSITORY}@{BRANCH}"], check=True)
    importlib.invalidate_caches()
    print("Installed nnscratch. If the next cell cannot import it, restart the kernel and run again.")
if "google.colab" in sys.modules:
    from google.colab import output

    output.enable_custom_widget_manager()"""

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class SourceError(ValueError):
    pass


def parse(text: str) -> list[dict]:
    """Source text -> list of {"kind", "lines", "tags"}."""
    cells: list[dict] = []
    for line in text.splitlines():
        match = CELL.match(line)
        if match:
            kind = "markdown" if match["markdown"] else "code"
            cells.append({"kind": kind, "lines": [], "tags": json.loads(match["tags"] or "[]")})
        elif cells:
            cells[-1]["lines"].append(line)
        elif line.strip():
            raise SourceError(f"text before the first cell marker: {line!r}")
    for cell in cells:
        while cell["lines"] and not cell["lines"][-1].strip():
            cell["lines"].pop()
        while cell["lines"] and not cell["lines"][0].strip():
            cell["lines"].pop(0)
        if cell["kind"] == "markdown":
            cell["lines"] = [_unquote(line) for line in cell["lines"]]
    return [c for c in cells if c["lines"]]


def _unquote(line: str) -> str:
    if line == "#":
        return ""
    if not line.startswith("# "):
        raise SourceError(f"markdown line not starting with '# ': {line!r}")
    return line[2:]


def render(lines: list[str], solved: bool, where: str) -> list[str]:
    """Keep or blank out the solution regions of one code cell."""
    out, inside, indent = [], False, ""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise SourceError(f"{where}: nested {BEGIN} at cell line {number}")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
            if not solved and indent:
                out.append(f"{indent}raise NotImplementedError  # your code here")
        elif stripped == END:
            if not inside:
                raise SourceError(f"{where}: {END} without {BEGIN} at cell line {number}")
            inside = False
        elif solved or not inside:
            out.append(line)
        elif not indent:
            out.extend(blank_prediction(line, f"{where} line {number}"))
    if inside:
        raise SourceError(f"{where}: {BEGIN} never closed")
    return out


# Issue 13: model answers and predictions. Kept in these two functions so that a new builder
# (e.g. on jupytext) can take them over unchanged.
PREDICTION = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=")


def blank_prediction(line: str, where: str) -> list[str]:
    """A top-level solution region holds a prediction, `answer = (10, 4)`: the student's copy
    gets `answer = ...` (which the check reports as not attempted), so the cell still runs."""
    if not line.strip() or line.lstrip().startswith("#"):
        return []
    match = PREDICTION.match(line)
    if not match:
        raise SourceError(f"{where}: a top-level solution region may hold only assignments")
    return [f"{match['name']} = ...  # your prediction"]


def render_markdown(lines: list[str], solved: bool, where: str) -> list[str]:
    """A markdown cell's solution region (a model answer to a written question) appears in the
    solved copy only; the markers themselves never appear."""
    out, inside = [], False
    for line in lines:
        if line.strip() in (BEGIN, END):
            if (line.strip() == BEGIN) == inside:
                raise SourceError(f"{where}: unbalanced {line.strip()!r}")
            inside = line.strip() == BEGIN
        elif solved or not inside:
            out.append(line)
    if inside:
        raise SourceError(f"{where}: {BEGIN} never closed")
    while out and not out[-1].strip():
        out.pop()
    return out


def setup_cell() -> dict:
    source = [line + "\n" for line in SETUP.splitlines()]
    source[-1] = source[-1].rstrip("\n")
    return {"cell_type": "code", "execution_count": None, "id": "setup", "metadata": {},
            "outputs": [], "source": source}


def notebook(cells: list[dict], solved: bool, name: str) -> dict:
    nb_cells = []
    for index, cell in enumerate(cells):
        if cell["kind"] == "code" and not any(c["cell_type"] == "code" for c in nb_cells):
            nb_cells.append(setup_cell())
        lines = cell["lines"]
        if cell["kind"] == "code":
            lines = render(lines, solved, f"{name} cell {index + 1}")
        else:
            lines = render_markdown(lines, solved, f"{name} cell {index + 1}")
        source = [line + "\n" for line in lines]
        source[-1] = source[-1].rstrip("\n")
        entry = {"cell_type": cell["kind"], "id": f"cell-{index + 1:03d}", "metadata": {}, "source": source}
        if cell["tags"]:
            entry["metadata"]["tags"] = cell["tags"]
        if cell["kind"] == "code":
            entry.update(execution_count=None, outputs=[])
        nb_cells.append(entry)
    return {"cells": nb_cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}


def targets() -> dict[Path, str]:
    """Every generated notebook path -> its JSON text."""
    out = {}
    for group, student_dir in STUDENT_DIRS.items():
        for src in sorted((SOURCE / group).glob("*.py")):
            cells = parse(src.read_text(encoding="utf-8"))
            for solved, folder in ((True, SOLUTIONS), (False, student_dir)):
                nb = notebook(cells, solved, src.name)
                out[folder / f"{src.stem}.ipynb"] = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    return out


def owner_and_name() -> str:
    """'nnscratch/nn-from-scratch' from REPOSITORY."""
    return REPOSITORY.removeprefix("https://github.com/").strip("/")


def colab_url(notebook_path: str) -> str:
    """'chapters/01_inference.ipynb' -> the address that opens it in Google Colab."""
    return (f"https://colab.research.google.com/github/{owner_and_name()}"
            f"/blob/{BRANCH}/{notebook_path}")


def binder_url(notebook_path: str) -> str:
    """The mybinder.org address that builds the repository and opens the notebook in JupyterLab."""
    return (f"https://mybinder.org/v2/gh/{owner_and_name()}/{BRANCH}"
            f"?urlpath=lab/tree/{notebook_path}")


def nbgitpuller_url(hub: str, notebook_path: str) -> str:
    """The link that clones (then updates) the repository on a JupyterHub and opens the notebook."""
    from urllib.parse import quote

    folder = owner_and_name().split("/")[1]
    return (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(REPOSITORY, safe='')}"
            f"&branch={BRANCH}&urlpath={quote(f'lab/tree/{folder}/{notebook_path}', safe='')}")


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


FIRST_CHAPTER = "chapters/01_inference.ipynb"
README_NOTEBOOK = re.compile(r"\]\(((?:chapters|labs)/[\w.-]+\.ipynb)\)")


def linked_notebooks() -> list[str]:
    """Student notebooks the README links to, and those on disk, as 'chapters/01_x.ipynb'."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    on_disk = [p.relative_to(ROOT).as_posix()
               for d in STUDENT_DIRS.values() for p in sorted(d.glob("*.ipynb"))]
    return list(dict.fromkeys(README_NOTEBOOK.findall(readme) + on_disk))


def colab_badge(notebook_path: str) -> str:
    return f"[![Open In Colab]({COLAB_BADGE})]({colab_url(notebook_path)})"


def binder_badge() -> str:
    return f"[![Launch on Binder]({BINDER_BADGE})]({binder_url(FIRST_CHAPTER)})"


def links(hub: str | None = None) -> str:
    """The README's badges as Markdown (Binder on the first chapter, Colab for every notebook),
    and with a hub address, the nbgitpuller link to give a JupyterHub's users."""
    out = [f"Binder: {binder_badge()}"]
    out += [f"{path}: {colab_badge(path)}" for path in linked_notebooks()]
    if hub:
        out.append(f"JupyterHub: {nbgitpuller_url(hub, FIRST_CHAPTER)}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("--links", action="store_true", help="print the README's badges and exit")
    parser.add_argument("--hub", metavar="URL",
                        help="with --links: also the nbgitpuller link for this hub")
    args = parser.parse_args(argv)
    if args.links:
        print(links(args.hub))
        return 0
    wanted = targets()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    generated_dirs = [SOLUTIONS, *STUDENT_DIRS.values()]
    orphans = [p for d in generated_dirs for p in sorted(d.glob("*.ipynb")) if p not in wanted]
    if args.check:
        for p in stale:
            print(f"stale or hand-edited: {p.relative_to(ROOT)}")
        for p in orphans:
            print(f"no source for: {p.relative_to(ROOT)}")
        if stale or orphans:
            print("Run `python tools/build_notebooks.py` and commit the result.")
            return 1
        return 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(wanted[p], encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    for p in orphans:
        p.unlink()
        print(f"removed {p.relative_to(ROOT)} (its source is gone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
