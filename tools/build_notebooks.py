"""Generate every notebook from its one source in source/.

    python tools/build_notebooks.py           # write solutions/ and chapters/ (or labs/)
    python tools/build_notebooks.py --check   # exit 1 if any generated notebook is stale

A source is a Python file in the "percent" format (`# %%` starts a code cell, `# %% [markdown]`
a markdown cell), read with jupytext, so an editor with jupytext opens it as a notebook. Inside
a function or class body, the lines between `### BEGIN SOLUTION` and `### END SOLUTION` are kept
in the solved notebook and replaced by `raise NotImplementedError` in the student's copy. At the
top level of a code cell such a region holds a prediction (`answer = 2.0`), which the student's
copy turns into `answer = ...`; in a markdown cell it holds a model answer, left out of the
student's copy. These filters are the only hand-written part: jupytext reads the format.

Every notebook is made for one version of the course's package, VERSION (read from
nnscratch/__init__.py, its one home). It gets one set-up cell before its first code cell (SETUP
below): where the package is missing or older (Colab, a JupyterHub) it installs that version
from the release tag in REPOSITORY, and on Colab it turns on the widget manager; locally and on
Binder it does nothing. The notebook's first own code cell starts with VERSION_CHECK, which
stops with "this notebook needs nnscratch X; run the first cell" when an older package is found.

    python tools/build_notebooks.py --links   # print the README's Binder and Colab badges
    python tools/build_notebooks.py --links --hub https://hub.example.edu   # and an nbgitpuller link

Editions in other languages come from the same sources. A translation, e.g.
source/zh/chapters/01_inference.md, holds one block per markdown cell of the English source,
each headed `<!-- en:1a2b3c4d5e6f -->`: the fingerprint (hash) of the English text it
translates. The Chinese notebooks (zh/chapters/, zh/labs/, zh/solutions/) are the English ones
with each markdown cell replaced by its translation; every code cell is the same, so the
checks are too, and the first code cell switches the feedback's language. A markdown cell whose
English changed after it was translated no longer finds its block: it stays English in the
notebook, and `--translations` (a test runs it) names it.

    python tools/build_notebooks.py --translations      # exit 1 if a translation is missing or stale
    python tools/build_notebooks.py --skeleton zh       # add a TODO block, in English, for each
                                                        # cell that needs (re)translating
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
STUDENT_DIRS = {"chapters": ROOT / "chapters", "labs": ROOT / "labs"}
SOLUTIONS = ROOT / "solutions"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"

# The course's public repository, the one place that names it: the notebooks' set-up cell
# installs the package from it, and README.md and docs/ link to it (tests/test_delivery.py
# checks that they agree). DEFAULT ADDRESS: replace it with the real one when the repository
# is published, then run this script and `python tools/build_notebooks.py --links`.
REPOSITORY = "https://github.com/nnscratch/nn-from-scratch"
BRANCH = "main"  # what the README's badges open: the course as it is now


def package_version() -> str:
    """nnscratch.__version__, read from the source tree (not from whatever is installed)."""
    tree = ast.parse((ROOT / "nnscratch" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__version__"]:
            return node.value.value
    raise LookupError("nnscratch/__init__.py sets no __version__")


VERSION = package_version()  # each release is tagged v<VERSION> (.github/workflows/release.yml)

SETUP = f"""\
# Set-up: run this cell first. This notebook is made for nnscratch {VERSION}, the course's
# package. Where it is missing or older (Colab, a JupyterHub), this cell installs that version
# from the course's repository, and on Colab it switches on interactive widgets. Where the
# package is installed (your computer, Binder), it does nothing.
import importlib
import importlib.metadata
import re
import subprocess
import sys

NNSCRATCH = "{VERSION}"


def installed_nnscratch():
    \"\"\"The installed nnscratch's version as [major, minor, patch]; [] where it is missing.\"\"\"
    try:
        return [int(n) for n in re.findall(r"\\d+", importlib.metadata.version("nnscratch"))[:3]]
    except importlib.metadata.PackageNotFoundError:
        return []


needed = [int(n) for n in NNSCRATCH.split(".")]
if installed_nnscratch() < needed:
    pip = [sys.executable, "-m", "pip", "install", "--quiet",
           f"nnscratch @ git+{REPOSITORY}@v{{NNSCRATCH}}"]
    if "google.colab" in sys.modules:
        # Colab has numpy, matplotlib and ipywidgets, and imported ipywidgets before this cell:
        # installing another ipywidgets now would leave the old one in memory and the figures
        # broken. So the package comes alone and uses Colab's libraries.
        pip.append("--no-deps")
    print(f"Installing nnscratch {{NNSCRATCH}} ...")
    failed = subprocess.run(pip).returncode != 0
    importlib.invalidate_caches()  # so that Python sees the new package without a restart
    if failed:
        print(f"Could not install nnscratch {{NNSCRATCH}} (pip says why above). Check the "
              "internet connection, then run this cell again.")
    elif "nnscratch" in sys.modules or installed_nnscratch() < needed:
        print("Installed. Now restart the kernel (Kernel > Restart, on Colab Runtime > Restart "
              "session) and run the notebook again from the top.")
    else:
        print(f"Installed nnscratch {{NNSCRATCH}}.")
if "google.colab" in sys.modules:
    from google.colab import output

    output.enable_custom_widget_manager()"""

# The set-up cell's words in another language (its code is the same): (English, translation).
SETUP_WORDS = {
    "zh": [
        (
            f"""\
# Set-up: run this cell first. This notebook is made for nnscratch {VERSION}, the course's
# package. Where it is missing or older (Colab, a JupyterHub), this cell installs that version
# from the course's repository, and on Colab it switches on interactive widgets. Where the
# package is installed (your computer, Binder), it does nothing.""",
            f"""\
# 准备：请先运行这个单元格。本 notebook 配合课程的 nnscratch {VERSION} 包使用。在没有安装
# 这个包或版本较旧的地方（Colab、JupyterHub），它会从课程的代码仓库安装这个版本，并在 Colab
# 上打开交互式控件；在已经装好的地方（你自己的电脑、Binder），它什么也不做。""",
        ),
        ('"Installing nnscratch {NNSCRATCH} ..."', '"正在安装 nnscratch {NNSCRATCH} ……"'),
        (
            'Could not install nnscratch {NNSCRATCH} (pip says why above). Check the "',
            '无法安装 nnscratch {NNSCRATCH}（原因见上方 pip 的输出）。请检查网络连接，"',
        ),
        ('"internet connection, then run this cell again."', '"然后再运行一次这个单元格。"'),
        (
            '"Installed. Now restart the kernel (Kernel > Restart, on Colab Runtime > Restart "',
            '"安装完成。请重启内核（Kernel > Restart；在 Colab 上是 Runtime > Restart "',
        ),
        (
            '"session) and run the notebook again from the top."',
            '"session），然后从头再运行本 notebook。"',
        ),
        ('f"Installed nnscratch {NNSCRATCH}."', 'f"已安装 nnscratch {NNSCRATCH}。"'),
    ]
}


def setup_cell(language: str = "en") -> str:
    """The set-up cell, its comments and messages in `language`."""
    text = SETUP
    for english, translated in SETUP_WORDS.get(language, []):
        if english not in text:
            raise SourceError(f"SETUP_WORDS[{language!r}] no longer matches SETUP: {english!r}")
        text = text.replace(english, translated)
    return text


VERSION_CHECK = f"""\
# This notebook needs nnscratch {VERSION} or newer: the first cell installs it where it is missing.
import nnscratch

if [int(n) for n in nnscratch.__version__.split(".")[:3]] < {[int(n) for n in VERSION.split(".")]}:
    raise ImportError(f"this notebook needs nnscratch {VERSION} and found "
                      f"{{nnscratch.__version__}}; run the first cell")
"""

# language -> the folder of its edition (with chapters/, labs/, solutions/ inside); the
# translations of source/<group>/<name>.py are in source/<language>/<group>/<name>.md.
EDITIONS = {"zh": ROOT / "zh"}
LANGUAGE_LINE = {
    "zh": 'nnscratch.use_language("zh")  # check() 的反馈、提示和 progress() 都用中文\n'
}
BLOCK = re.compile(r"^<!-- en:(?P<hash>[0-9a-f]{12})(?P<todo> TODO)? -->[ \t]*$", re.MULTILINE)
ORPHAN = "<!-- orphan: the translation of an English text that has since changed; reuse it "

METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


class SourceError(ValueError):
    pass


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


def read_source(path: Path) -> nbformat.NotebookNode:
    """A percent-format source, read by jupytext, its empty cells dropped."""
    nb = jupytext.read(path, fmt="py:percent")
    nb.cells = [cell for cell in nb.cells if cell.source.strip()]
    return nb


def notebook(
    source: nbformat.NotebookNode,
    solved: bool,
    name: str,
    language: str = "en",
    translation: dict[str, str] | None = None,
) -> nbformat.NotebookNode:
    """The solved or the student notebook of one source: set-up cell, version check, cells.

    In another language, each markdown cell is its translation where one is up to date."""
    cells = [nbformat.v4.new_code_cell(setup_cell(language), id="setup")]
    translation = translation or {}
    first_code = True
    for index, cell in enumerate(source.cells, 1):
        tags = cell.metadata.get("tags", [])
        # Cell ids count the source's cells, so that they stay put when another cell changes.
        cell_id = f"cell-{index:03d}"
        if cell.cell_type == "markdown":
            original = translation.get(fingerprint(cell.source), cell.source)
            text = "\n".join(render_markdown(original.splitlines(), solved, f"{name} cell {index}"))
            new = nbformat.v4.new_markdown_cell(text, id=cell_id)
        else:
            text = "\n".join(render(cell.source.splitlines(), solved, f"{name} cell {index}"))
            if first_code:
                prefix = VERSION_CHECK + LANGUAGE_LINE.get(language, "")
                text, first_code = prefix + "\n" + text, False
            new = nbformat.v4.new_code_cell(text, id=cell_id)
        if tags:
            new.metadata["tags"] = tags
        cells.append(new)
    if first_code:
        raise SourceError(f"{name}: no code cell")
    # The set-up cell goes just before the first code cell, after the title's markdown.
    first = next(i for i, c in enumerate(cells[1:], 1) if c.cell_type == "code")
    cells.insert(first - 1, cells.pop(0))
    metadata = dict(METADATA)
    if language != "en":  # the grading CLI writes a submission's feedback in its language
        metadata["nnscratch"] = {"language": language}
    nb = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    nbformat.validate(nb)
    return nb


def fingerprint(text: str) -> str:
    """The short hash that ties a translation to the English text it translates."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:12]


def translation_path(src: Path, language: str) -> Path:
    """source/chapters/01_x.py -> source/<language>/chapters/01_x.md"""
    return SOURCE / language / src.parent.name / f"{src.stem}.md"


def read_translation(path: Path) -> dict[str, tuple[str, bool]]:
    """fingerprint -> (translated text, still marked TODO) for each block of a translation."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    heads = list(BLOCK.finditer(text))
    blocks = {}
    for head, after in zip(heads, heads[1:] + [None]):
        body = text[head.end() : after.start() if after else len(text)]
        body = re.sub(r"<!-- orphan:.*?-->", "", body, flags=re.DOTALL).strip("\n")
        blocks[head["hash"]] = (body.rstrip(), bool(head["todo"]))
    return blocks


def markers(text: str) -> list[str]:
    """The solution markers of a markdown cell, in order."""
    return [line.strip() for line in text.splitlines() if line.strip() in (BEGIN, END)]


def sources() -> list[Path]:
    return [src for group in STUDENT_DIRS for src in sorted((SOURCE / group).glob("*.py"))]


def translation_problems(language: str) -> list[str]:
    """What keeps the `language` edition from matching the English one, cell by cell."""
    problems = []
    for src in sources():
        path = translation_path(src, language)
        where = path.relative_to(ROOT)
        if not path.exists():
            problems.append(f"{where}: missing (the translation of {src.relative_to(ROOT)})")
            continue
        blocks = read_translation(path)
        wanted = set()
        for index, cell in enumerate(read_source(src).cells, 1):
            if cell.cell_type != "markdown":
                continue
            key = fingerprint(cell.source)
            wanted.add(key)
            first = cell.source.strip().splitlines()[0][:60]
            if key not in blocks:
                problems.append(
                    f"{where}: cell {index} of {src.relative_to(ROOT)} ({first!r}) has no "
                    "translation of its current English text: it is new, or changed after it "
                    "was translated"
                )
                continue
            if blocks[key][1]:
                problems.append(f"{where}: cell {index} ({first!r}) is still marked TODO")
            if markers(blocks[key][0]) != markers(cell.source):
                problems.append(
                    f"{where}: cell {index} ({first!r}): the translation must keep the English "
                    f"cell's {BEGIN} / {END} lines, so that the student's copy leaves out "
                    "the model answer"
                )
        for key in blocks.keys() - wanted:
            problems.append(
                f"{where}: the block en:{key} translates an English text that is no longer in "
                f"{src.relative_to(ROOT)} (changed or removed): update or delete it"
            )
    return problems


def skeleton(src: Path, language: str) -> str:
    """The translation of src with its blocks in the English order: each up-to-date block as
    it is, a TODO block holding the English text for each cell that needs translating, and
    the blocks no English cell needs any more at the end, marked as orphans."""
    blocks = read_translation(translation_path(src, language))
    parts, used = [], set()
    for cell in read_source(src).cells:
        if cell.cell_type != "markdown":
            continue
        key = fingerprint(cell.source)
        used.add(key)
        text, todo = blocks.get(key, (cell.source.strip("\n"), True))
        parts.append(f"<!-- en:{key}{' TODO' if todo else ''} -->\n{text}\n")
    for key, (text, _todo) in blocks.items():
        if key not in used:
            parts.append(f"<!-- en:{key} -->\n{ORPHAN}it, then delete this block -->\n{text}\n")
    return "\n".join(parts)


def targets() -> dict[Path, str]:
    """Every generated notebook path -> its JSON text: the English edition, then each
    translated one (for the sources that have a translation)."""
    out = {}
    for group, student_dir in STUDENT_DIRS.items():
        for src in sorted((SOURCE / group).glob("*.py")):
            source = read_source(src)
            editions = [("en", SOLUTIONS, student_dir, None)]
            for language, home in EDITIONS.items():
                path = translation_path(src, language)
                if path.exists():
                    table = {key: text for key, (text, _) in read_translation(path).items()}
                    editions.append((language, home / "solutions", home / group, table))
            for language, solutions, students, table in editions:
                for solved, folder in ((True, solutions), (False, students)):
                    nb = notebook(source, solved, src.name, language, table)
                    out[folder / f"{src.stem}.ipynb"] = jupytext.writes(nb, fmt="ipynb") + "\n"
    return out


def owner_and_name() -> str:
    """'nnscratch/nn-from-scratch' from REPOSITORY."""
    return REPOSITORY.removeprefix("https://github.com/").strip("/")


def colab_url(notebook_path: str) -> str:
    """'chapters/01_inference.ipynb' -> the address that opens it in Google Colab."""
    return (
        f"https://colab.research.google.com/github/{owner_and_name()}/blob/{BRANCH}/{notebook_path}"
    )


def binder_url(notebook_path: str) -> str:
    """The mybinder.org address that builds the repository and opens the notebook in JupyterLab."""
    return (
        f"https://mybinder.org/v2/gh/{owner_and_name()}/{BRANCH}?urlpath=lab/tree/{notebook_path}"
    )


def nbgitpuller_url(hub: str, notebook_path: str) -> str:
    """The link that clones (then updates) the repository on a JupyterHub and opens the notebook."""
    from urllib.parse import quote

    folder = owner_and_name().split("/")[1]
    return (
        f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(REPOSITORY, safe='')}"
        f"&branch={BRANCH}&urlpath={quote(f'lab/tree/{folder}/{notebook_path}', safe='')}"
    )


COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


FIRST_CHAPTER = "chapters/01_inference.ipynb"
README_NOTEBOOK = re.compile(r"\]\(((?:chapters|labs)/[\w.-]+\.ipynb)\)")


def linked_notebooks() -> list[str]:
    """Student notebooks the README links to, and those on disk, as 'chapters/01_x.ipynb'."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    on_disk = [
        p.relative_to(ROOT).as_posix()
        for d in STUDENT_DIRS.values()
        for p in sorted(d.glob("*.ipynb"))
    ]
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
    parser.add_argument(
        "--hub", metavar="URL", help="with --links: also the nbgitpuller link for this hub"
    )
    parser.add_argument(
        "--translations", action="store_true", help="only report missing or stale translations"
    )
    parser.add_argument(
        "--skeleton",
        metavar="LANGUAGE",
        choices=sorted(EDITIONS),
        help="add a TODO block (the English text) for each cell to translate",
    )
    args = parser.parse_args(argv)
    if args.links:
        print(links(args.hub))
        return 0
    if args.translations:
        problems = [p for language in EDITIONS for p in translation_problems(language)]
        print("\n".join(problems) or "every translation is up to date")
        return 1 if problems else 0
    if args.skeleton:
        for src in sources():
            path = translation_path(src, args.skeleton)
            text = skeleton(src, args.skeleton)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                print(f"wrote {path.relative_to(ROOT)}")
        return 0
    wanted = targets()
    stale = [
        p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]
    generated_dirs = [SOLUTIONS, *STUDENT_DIRS.values()]
    generated_dirs += [home / d for home in EDITIONS.values() for d in ("solutions", *STUDENT_DIRS)]
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
