"""Feedback in the learner's language: the catalogues are complete and compiled, and check(),
progress() and the grading CLI's feedback files speak Chinese in a Chinese notebook and the
same English as ever in an English one."""

from __future__ import annotations

import io
import json
import re
import runpy
import string
import subprocess
import sys

import numpy as np
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import nnscratch
from nnscratch import i18n, scoreboard, tracking
from nnscratch.classroom import notebooks, wire
from nnscratch.exercises import CHAPTERS, EXERCISES
from nnscratch.grader import check
from nnscratch.grader.core import _run, case_rng
from nnscratch.i18n import Phrase, speaking
from tests.notebook_tools import ROOT

CATALOGUES = runpy.run_path(str(ROOT / "tools" / "catalogues.py"))
PO = CATALOGUES["po_path"]("zh")
CJK = re.compile(r"[\u4e00-\u9fff]")


def precedence(x):
    return 1 / 1 + np.exp(-x)  # the classic slip: 1 / (1 + e^-x) without its parentheses


def unsolved(x):
    raise NotImplementedError


@pytest.fixture(scope="module")
def chinese_catalogue():
    with open(PO, "rb") as f:
        return read_po(f, locale="zh", domain="nnscratch")


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv(tracking.ENV, str(tmp_path / "progress.json"))


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


# --- the catalogues ---------------------------------------------------------------------------


def test_every_message_in_the_code_has_a_chinese_translation(chinese_catalogue):
    extracted = {m.id for m in CATALOGUES["extract"]() if m.id}
    assert len(extracted) > 500  # the grader's, the CLI's, progress()'s and the tables' texts
    translated = {m.id for m in chinese_catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted - translated)
    assert not missing, f"{len(missing)} untranslated (python tools/catalogues.py): {missing[:5]}"


def test_the_committed_catalogues_are_those_the_tool_makes():
    """The .pot is the code's messages, the .po has them all, the .mo is compiled from the .po."""
    assert CATALOGUES["main"](["--check"]) == 0, "run: python tools/catalogues.py"
    with open(PO, "rb") as f:
        compiled = io.BytesIO()
        write_mo(compiled, read_po(f, locale="zh"), use_fuzzy=False)
    assert PO.with_suffix(".mo").read_bytes() == compiled.getvalue()


def test_each_translation_keeps_the_placeholders_of_its_message(chinese_catalogue):
    differ = [
        (m.id, m.string)
        for m in chinese_catalogue
        if m.id and m.string and _fields(m.id) != _fields(m.string)
    ]
    assert differ == []


def test_everything_the_tables_show_is_in_the_catalogue(chinese_catalogue):
    """Case names, hints, explanations and what an exercise receives are shown to the learner:
    each must be a marked message (or a Phrase made of marked messages)."""
    ids = {m.id for m in chinese_catalogue if m.id}

    def unknown(text) -> list[str]:
        if isinstance(text, Phrase):
            return [text.template] * (text.template not in ids) + [
                t for v in text.params.values() if isinstance(v, Phrase) for t in unknown(v)
            ]
        return [text] * (text not in ids)

    shown = [chapter.title for chapter in CHAPTERS]
    for ex in EXERCISES.values():
        shown.append(ex.receives)
        shown += [m.hint for m in ex.mistakes] + [h.hint for h in ex.error_hints]
        for case in ex.cases:
            shown += [case.name, *case.explain.values()]
    assert [t for text in shown for t in unknown(text)] == []


def test_output_names_that_read_as_words_are_in_the_catalogue(chinese_catalogue):
    """An output named in a sentence ("the grads are left as they were") is shown translated;
    one named in code ("sigmoid(x)", "dW1 (layers[0].grads[0])") is shown as it is."""
    ids = {m.id for m in chinese_catalogue if m.id}
    words = re.compile(r"[a-z]{2,} [a-z]{2,}")
    unmarked = set()
    for ex in EXERCISES.values():
        for index, case in enumerate(ex.cases):
            outputs = _run(ex, index, ex.reference, case.inputs(case_rng(0, index)), 60.0)
            for name in outputs:
                template = name.template if isinstance(name, Phrase) else name
                if words.search(name) and template not in ids:
                    unmarked.add(name)
    assert sorted(unmarked) == []


def test_translatable_output_names_cross_the_grading_wire_as_their_english_text():
    """The kernel sends outputs to the grader as plain data: a Phrase name arrives as a str."""
    for ex in EXERCISES.values():
        for index, case in enumerate(ex.cases):
            outputs = _run(ex, index, ex.reference, case.inputs(case_rng(0, index)), 60.0)
            sent = wire.from_plain(json.loads(wire.encode(outputs)))
            assert [type(k) for k in sent] == [str] * len(sent)
            assert list(sent) == [str(name) for name in outputs], (ex.id, case.name)


# --- check() and progress() --------------------------------------------------------------------


def test_a_wrong_answer_gets_chinese_feedback_in_a_chinese_notebook(progress_file):
    with speaking("zh"):
        result = check("inference.sigmoid", precedence)
    text, page = str(result), result._repr_html_()
    assert "inference.sigmoid：0/5 项测试通过" in text
    assert "✘ 几个数：`sigmoid(x)` 全部 5 处都不对（相对误差 0.97）" in text
    assert "提示：运算符优先级：`1 / 1 + np.exp(-x)` 的意思是 (1 / 1) + e^(-x)。" in text
    assert "提示：运算符优先级" in page and "Hint" not in page
    assert result.language == "zh" and str(result) == text  # it stays Chinese when shown later


def test_an_english_notebook_gets_the_same_english_as_ever(progress_file):
    with speaking("en"):
        text = str(check("inference.sigmoid", precedence))
    assert text.splitlines()[:3] == [
        "✘ inference.sigmoid: 0/5 tests passed",
        "  ✘ a few numbers: `sigmoid(x)` is wrong in all 5 places (relative error 0.97); "
        "at index 0: expected 0.119203, got 8.38906",
        "    Hint: operator precedence: `1 / 1 + np.exp(-x)` means (1 / 1) + e^(-x). Put the "
        "whole denominator in parentheses: `1 / (1 + np.exp(-x))`.",
    ]
    assert not CJK.search(text)


def test_the_not_attempted_note_and_a_wrong_object_speak_chinese(progress_file):
    with speaking("zh"):
        note = str(check("inference.sigmoid", unsolved))
        wrong_kind = str(check("inference.sigmoid", 3))
    assert "inference.sigmoid：尚未作答" in note
    assert "把 `raise NotImplementedError` 替换成你的代码" in note
    assert "inference.sigmoid 需要的是函数 sigmoid(x)，但收到的是一个 int" in wrong_kind


def test_use_language_switches_the_whole_notebook_and_rejects_unknown_codes(monkeypatch):
    monkeypatch.setitem(i18n._current, "language", "")  # put back whatever the test changes
    nnscratch.use_language("zh")
    assert i18n.current_language() == "zh" and i18n._("not run") == "未运行"
    with speaking("en"):  # one piece of work in another language, then back
        assert i18n._("not run") == "not run"
    assert i18n.current_language() == "zh"
    with pytest.raises(ValueError, match="'en', 'zh'"):
        nnscratch.use_language("fr")


def test_progress_speaks_chinese(progress_file):
    check("inference.sigmoid", lambda x: 1 / (1 + np.exp(-x)))
    with speaking("zh"):
        table = nnscratch.progress()
        text, page = str(table), table._repr_html_()
    lines = text.splitlines()
    assert lines[0].split() == ["章节", "已通过", "最近一次尝试", "尚待完成"]
    assert lines[1].startswith("第 1 章 · 推理") and " 1 / 8 " in lines[1]
    # Columns line up although a Chinese character takes two: "已通过" sits over the counts.
    header_column = scoreboard._width(lines[0][: lines[0].index("已通过")])
    assert scoreboard._width(lines[1][: lines[1].index(" 1 / 8")]) == header_column
    assert "（仅在这台计算机上）" in text
    assert "你的进度" in page and "<th" in page and "已通过" in page and "Passed" not in page


def test_a_phrase_is_its_english_text_and_translates_whole():
    trouble = Phrase(i18n.N_("ran past {seconds} s and was stopped"), seconds="30")
    note = Phrase(i18n.N_("code cell {number} {trouble}"), number=3, trouble=trouble)
    assert note == "code cell 3 ran past 30 s and was stopped"
    assert i18n._(note, "zh") == "第 3 个代码单元格运行超过 30 秒，已被中止"
    assert json.loads(json.dumps([note])) == [str(note)]  # stored as the plain English text


# --- the grading CLI ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "metadata, language",
    [
        ({"nnscratch": {"language": "zh"}}, "zh"),
        ({}, "en"),
        ({"nnscratch": {"language": "fr"}}, "en"),
        ({"nnscratch": "zh"}, "en"),
        ({"nnscratch": {"language": ["zh"]}}, "en"),
        ("zh", "en"),
    ],
)
def test_a_notebook_s_language_is_its_metadata_s_and_english_otherwise(metadata, language):
    assert notebooks.language_of({"metadata": metadata}) == language


def test_the_chinese_edition_s_notebooks_are_read_as_chinese():
    assert notebooks.read_notebook(ROOT / "zh" / "chapters" / "01_inference.ipynb")[1] == "zh"
    assert notebooks.read_notebook(ROOT / "chapters" / "01_inference.ipynb")[1] == "en"


def _notebook(metadata: dict) -> str:
    cells = [
        "import numpy as np\nfrom nnscratch.grader import check",
        "def sigmoid(x):\n    return 1 / 1 + np.exp(-x)",
        'check("inference.sigmoid", sigmoid)',
        "def affine(x, W, b):\n    raise NotImplementedError",
        'check("inference.affine", affine)',
    ]
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": metadata,
            "cells": [
                {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "id": f"c{i}"}
                for i, c in enumerate(cells)
            ],
        }
    )


def test_the_cli_writes_each_submission_s_feedback_in_its_notebook_s_language(tmp_path):
    """One worker grades a Chinese notebook and then an English one: each gets its own."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a_zh.ipynb").write_text(_notebook({"nnscratch": {"language": "zh"}}))
    (folder / "b_en.ipynb").write_text(_notebook({}))
    done = subprocess.run(
        [sys.executable, "-m", "nnscratch", "grade", str(folder), "--csv", str(tmp_path / "g.csv")]
        + ["--feedback", str(tmp_path / "fb"), "--jobs", "1", "--sandbox", "none", "--quiet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    chinese = (tmp_path / "fb" / "class__a_zh.md").read_text(encoding="utf-8")
    english = (tmp_path / "fb" / "class__b_en.md").read_text(encoding="utf-8")
    assert chinese.startswith("# 对 class/a_zh.ipynb 的反馈")
    assert "**8 道练习中通过了 0 道。**" in chinese
    assert "## ✘ inference.sigmoid：0/5 项测试通过" in chinese
    assert "提示：运算符优先级" in chinese
    assert "## ✘ inference.affine：尚未作答" in chinese
    assert "尚未作答：单元格仍在抛出 `NotImplementedError`。" in chinese
    assert "## ✘ inference.classify：0/3 项测试通过\n\nNotebook 从未运行这个检查。" in chinese
    assert english.startswith("# Feedback on class/b_en.ipynb")
    assert "  - Hint: operator precedence" in english and not CJK.search(english)
    rows = (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("submission,inference.sigmoid") and not CJK.search("".join(rows))
