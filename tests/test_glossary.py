"""Each chapter's own glossary and chapters/glossary.md say the same."""

import re

import pytest

from tests.notebook_tools import ROOT

CHAPTERS = sorted((ROOT / "source" / "chapters").glob("0*.py"))


def table_rows(text: str) -> dict[str, str]:
    """English term -> Chinese term, from a markdown table's body rows."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            line.lstrip().startswith("|")
            and cells[0] not in ("English", "")
            and "---" not in cells[0]
        ):
            rows[cells[0]] = cells[1]
    return rows


def glossary_file() -> dict[int, dict[str, str]]:
    text = (ROOT / "chapters" / "glossary.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {
        int(m.group(1)): table_rows(s) for s in sections if (m := re.match(r"Chapter (\d+)", s))
    }


def notebook_glossary(source: str) -> dict[str, str]:
    after = source.split("# ## Glossary", 1)[1].split("# %%", 1)[0]
    return table_rows("\n".join(line[2:] for line in after.splitlines() if line.startswith("# ")))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_glossary_agrees_with_the_course_glossary(path):
    in_file = glossary_file()
    chapter = int(path.name[:2])
    own = notebook_glossary(path.read_text(encoding="utf-8"))
    missing = sorted(set(in_file[chapter]) - set(own))
    assert not missing, (
        f"glossary.md lists these for chapter {chapter}, the notebook does not: {missing}"
    )
    anywhere = {term: zh for section in in_file.values() for term, zh in section.items()}
    unknown = sorted(set(own) - set(anywhere))
    assert not unknown, f"{path.name}'s glossary has terms glossary.md lacks: {unknown}"
    for term, zh in own.items():
        expected = in_file[chapter].get(term, anywhere[term])
        assert zh == expected, f"{term}: {path.name} says {zh}, glossary.md {expected}"
