"""Graded work that makes the learner think (issue 13): the student's copy never shows a graded
cell's solution outside a folded hint, every graded cell has its hints, every chapter has
predict-then-run questions, every chapter from 3 and every lab a derivation of its own, and
every written question a model answer in the solved twin."""

from __future__ import annotations

import ast
import json
import re

import pytest

from tests.notebook_tools import ROOT

SOURCES = sorted((ROOT / "source" / "chapters").glob("*.py")) + sorted(
    (ROOT / "source" / "labs").glob("*.py")
)
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL)
MIN_LENGTH = 12  # shorter normalised lines (`return x`, `W, b = self.params`) say nothing alone
# The attributes a class must have are its contract, which the prompt states on purpose.
CONTRACT = re.compile(
    r"^self\.(params|grads|layers|loss_layer)(,self\.(params|grads))?=(?!.*@)|^self\.\w+=None$"
)

# One hand derivation per chapter from 3 and per lab that the text has not done.
DERIVATIONS = {
    "03_gradients": "gradients.quadratic_grad",
    "04_chain_rule": "chain_rule.softplus_grad",
    "05_computation_graph": "graph.Divide",
    "06_layer_backprop": "backprop.MeanSquaredLoss",
    "07_training": "training.DecayAffine",
    "lab1_inference": "lab1.logsumexp_grad",
    "lab2_new_layers": "lab2.ELU",
    "lab3_train_and_explain": "lab3.SigmoidWithLoss",
}


def student_copy(source):
    folder = "chapters" if source.parent.name == "chapters" else "labs"
    return ROOT / folder / f"{source.stem}.ipynb"


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def normalise(line: str) -> str:
    """A code line without its comment and without any whitespace."""
    return re.sub(r"\s+", "", line.split("  #")[0].split(" # ")[0])


def solution_lines(source) -> set[str]:
    """The normalised lines of every solution region inside a function or class (the code a
    learner writes), long enough to say something on their own."""
    lines, inside = set(), False
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.strip() == BEGIN:
            inside = line.startswith(" ")
        elif line.strip() == END:
            inside = False
        elif inside and not line.lstrip().startswith("#"):
            text = normalise(line)
            if len(text) >= MIN_LENGTH and not CONTRACT.match(text):
                lines.add(text)
    return lines


def visible_text(path) -> str:
    """Everything the learner sees without opening a hint, normalised, one cell after another."""
    out = []
    for cell in cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            text = DETAILS.sub("", text)
        out.append("\n".join(normalise(line) for line in text.splitlines()))
    return "\n".join(out)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_solution_code_is_shown_outside_a_folded_hint(source):
    shown = visible_text(student_copy(source))
    leaked = sorted(line for line in solution_lines(source) if line in shown)
    assert not leaked, f"{source.stem}: solution lines visible to the learner: {leaked}"


def graded_cells(path):
    """(markdown cell before, code cell) for every check of code the learner writes."""
    nb = cells(path)
    for index, cell in enumerate(nb):
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and "raise NotImplementedError" in text and "check(" in text:
            before = next(c for c in reversed(nb[:index]) if c["cell_type"] == "markdown")
            yield "".join(before["source"]), text


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_graded_cell_has_folded_hints_a_nudge_then_the_formula(source):
    graded = list(graded_cells(student_copy(source)))
    assert graded
    for prompt, code in graded:
        ids = re.findall(r'check\("([\w.]+)"', code)
        assert "<details><summary>Hint 1" in prompt, f"{ids}: no folded first hint"
        assert "<details><summary>Hint 2" in prompt, f"{ids}: no folded second hint"
        assert prompt.index("Hint 1") < prompt.index("Hint 2")


def checked_ids(path) -> list[str]:
    return [
        exercise_id
        for cell in cells(path)
        if cell["cell_type"] == "code"
        for exercise_id in re.findall(r'check\("([\w.]+)"', "".join(cell["source"]))
    ]


@pytest.mark.parametrize("stem", sorted(DERIVATIONS))
def test_every_chapter_from_3_and_every_lab_has_a_derivation_of_its_own(stem):
    source = next(s for s in SOURCES if s.stem == stem)
    assert DERIVATIONS[stem] in checked_ids(student_copy(source))


@pytest.mark.parametrize(
    "source", [s for s in SOURCES if s.parent.name == "chapters"], ids=lambda p: p.stem
)
def test_every_chapter_has_predict_then_run_questions_before_their_answer(source):
    nb = cells(student_copy(source))
    code = [(i, "".join(c["source"])) for i, c in enumerate(nb) if c["cell_type"] == "code"]
    predictions = [(i, text) for i, text in code if re.search(r'check\("\w+\.predict_', text)]
    assert 2 <= len(predictions) <= 3, f"{source.stem}: {len(predictions)} predictions"
    for index, text in predictions:
        assert "answer = ...  # your prediction" in text
        # the cell that shows the answer comes after the question, before the exercises
        later = [i for i, _ in code if i > index]
        assert later, f"{source.stem}: nothing runs after the prediction"


def written_question_cells(path):
    return [
        "".join(c["source"])
        for c in cells(path)
        if c["cell_type"] == "markdown" and "*Your answer" in "".join(c["source"])
    ]


LABS = [s for s in SOURCES if s.parent.name == "labs"]


@pytest.mark.parametrize("source", LABS, ids=lambda p: p.stem)
def test_every_written_question_has_a_model_answer_in_the_solved_twin_only(source):
    student = written_question_cells(student_copy(source))
    solved = written_question_cells(ROOT / "solutions" / f"{source.stem}.ipynb")
    assert student and len(student) == len(solved)
    for mine, model in zip(student, solved):
        assert "Model answer" not in mine
        assert model.count("Model answer") >= 1, model[:200]


@pytest.mark.parametrize("lab", ["lab1", "lab2", "lab3"])
def test_every_lab_has_a_rubric_for_each_written_question(lab):
    rubric = (ROOT / "docs" / "rubrics" / f"{lab}.md").read_text(encoding="utf-8")
    source = next(s for s in LABS if s.stem.startswith(lab))
    questions = re.findall(r"\*\*(Q\d)\.\*\*", source.read_text(encoding="utf-8"))
    assert questions
    for q in dict.fromkeys(questions):
        section = rubric.split(f"## {q}")[1].split("\n## ")[0] if f"## {q}" in rubric else ""
        assert section, f"{lab}: no rubric for {q}"
        for level in ("Full credit", "Partial credit", "No credit"):
            assert level in section, f"{lab} {q}: no '{level}'"


def imported_names(path) -> set[str]:
    """The names the notebook's imports bind (from its import cells)."""
    names = set()
    for cell in cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] != "code" or "import" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def test_chapter_7s_exercises_do_not_shadow_the_imports_earlier_sections_use():
    """Re-running an earlier section after the exercises must still use the package's classes."""
    path = ROOT / "chapters" / "07_training.ipynb"
    defined = set()
    for cell in cells(path):
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and "check(" in text:
            tree = ast.parse(text)
            defined |= {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    assert defined and not defined & imported_names(path), defined & imported_names(path)
