"""Links between lectures in the course export: a %-escaped link to another lecture's Markdown
must jump to that lecture's unit, never copy the Markdown source (with its correct answers)
into static/."""

from __future__ import annotations

import re

import pytest

from .helpers import build_olx_unchecked, edit, site_copy, tar_members

INTRO = "lectures/informatics/inf-intro.md"
INTRO_ZH = "lectures/informatics/inf-intro.zh-TW.md"
LINKS = {
    "escaped hyphen": "../ai/ai%2Dmodels.md",
    "escaped hyphen with an anchor": "../ai/ai%2Dmodels.md#domain-assessment",
    "escaped dots": "%2E%2E/ai/ai-models.md",
    "escaped slashes": "..%2Fai%2Fai-models.md",
    "escaped extension": "../ai/ai-models%2Emd",
    "plain": "../ai/ai-models.md",
}
JUMP = "/jump_to_id/lecture_ai-models"


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = site_copy(tmp_path_factory.mktemp("olx-links") / "curriculum")
    links = " ".join(f"[{name}]({url})" for name, url in LINKS.items())
    edit(root, INTRO, "A CMIO is not the CIO [2].", f"A CMIO is not the CIO [2]. {links}")
    edit(root, INTRO_ZH, "醫療資訊長不是資訊長 [2]。", f"醫療資訊長不是資訊長 [2]。 {links}")
    return tar_members(build_olx_unchecked(root, root / "build" / "olx"))


@pytest.mark.parametrize("name", list(LINKS))
def test_the_link_jumps_to_the_lectures_unit(name: str, members: dict[str, bytes]) -> None:
    pages = [data.decode() for member, data in members.items() if member.endswith("html/text_inf-intro.html")]
    assert len(pages) == 2  # one course per language
    for page in pages:
        hrefs = re.findall(rf'<a href="([^"]*)">{re.escape(name)}</a>', page)
        assert hrefs and all(href.split("#")[0] == JUMP for href in hrefs), hrefs


def test_no_markdown_source_is_in_the_course(members: dict[str, bytes]) -> None:
    assert [member for member in members if member.lower().endswith(".md") or "%" in member] == []
    assert [member for member, data in members.items() if member.split(":")[1].startswith("course/static/")
            and data.lstrip().startswith(b"---")] == []


def test_no_correct_answer_is_anywhere_in_the_course(members: dict[str, bytes]) -> None:
    assert [member for member, data in members.items() if b"correct: true" in data] == []
