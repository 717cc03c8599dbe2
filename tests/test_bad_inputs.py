"""The bad-input corpus: each case breaks the small valid curriculum in one way and names the
rule, file, line and column `curriculum check` must report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from curriculum import checks
from curriculum.diagnostics import Report
from curriculum.rules import RULES

TODAY = dt.date(2026, 11, 26)
INTRO = "lectures/informatics/inf-intro.md"
MODELS = "lectures/ai/ai-models.md"
MODELS_ZH = "lectures/ai/ai-models.zh-TW.md"


@dataclass
class Case:
    name: str
    edits: dict  # path -> (old, new) replacement, str (whole new text), bytes, or None (delete)
    path: str
    line: int
    col: int
    rule: str
    severity: str = "error"


def replace(old: str, new: str) -> tuple[str, str]:
    return (old, new)


CASES = [
    Case("duplicate key", {"programme.yml": replace("course: MINI101\n", "course: MINI101\norg: OTHER\n")},
         "programme.yml", 7, 1, "yaml-duplicate-key"),
    Case("tab indentation", {"domains/ai.yml": replace("  - id: ai-fundamentals", "\t- id: ai-fundamentals")},
         "domains/ai.yml", 5, 1, "yaml-tab"),
    Case("YAML syntax in front matter", {INTRO: replace("competencies: [CC1]", "competencies: [CC1")},
         INTRO, 10, 11, "yaml-syntax"),
    Case("invalid UTF-8", {INTRO: replace("bridges", "bridges \udcff")}, INTRO, 15, 18, "file-encoding"),
    Case("empty file", {"glossary.yml": ""}, "glossary.yml", 1, 1, "file-empty"),
    Case("file over 1 MB", {INTRO: replace("The CMIO bridges", "x" * 1_000_001 + "The CMIO bridges")},
         INTRO, 1, 1, "file-too-large"),
    Case("alias bomb", {"glossary.yml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"},
         "glossary.yml", 1, 4, "yaml-alias"),
    Case("document not a mapping", {"programme.yml": "- just\n- a list\n"}, "programme.yml", 1, 1, "yaml-document"),
    Case("custom YAML tag", {"domains/ai.yml": replace("id: ai\n", "id: !!python/object:os.system ai\n")},
         "domains/ai.yml", 1, 5, "yaml-syntax"),
    Case("no front matter", {INTRO: replace("---\nid: inf-intro", "id: inf-intro")}, INTRO, 1, 1, "front-matter"),
    Case("front matter never closed", {INTRO: replace("  - \"Kannry J, et al. The Chief Clinical Informatics Officer. "
                                                      "Appl Clin Inform. 2016;7(1):143-176.\"\n---",
                                                      "  - \"Kannry J\"")},
         INTRO, 1, 1, "front-matter"),
    Case("unterminated quiz fence", {INTRO: replace("    answer: false\n```", "    answer: false\n")},
         INTRO, 17, 1, "fence-unterminated"),
    Case("missing required field", {INTRO: replace("title: What a CMIO is for\n", "")}, INTRO, 2, 1, "schema-required"),
    Case("unknown field (typo)", {INTRO: replace("title: What", "titel: What")}, INTRO, 3, 1, "schema-unknown"),
    Case("wrong type", {INTRO: replace("duration: 30", "duration: thirty")}, INTRO, 6, 11, "schema-type"),
    Case("bad id format", {INTRO: replace("  inf-intro-a: Differentiate", "  Inf_Intro_A: Differentiate")},
         INTRO, 11, 3, "id-format"),
    Case("objective id reused in another lecture",
         {MODELS: replace("  ai-models-b: Evaluate", "  inf-intro-a: Evaluate")}, MODELS, 11, 3, "id-duplicate"),
    Case("quiz id reused", {INTRO: replace("id: inf-intro-check", "id: ai-models-check")},
         MODELS, 20, 5, "id-duplicate"),
    Case("question id repeated in a quiz", {MODELS: replace("  - id: q-ppv", "  - id: q-generative")},
         MODELS, 38, 9, "id-duplicate"),
    Case("domain without a file", {"domains/ai.yml": None}, "programme.yml", 10, 24, "ref-domain-missing"),
    Case("domain file not in programme", {"domains/extra.yml": "id: extra\ntitle: {en: Extra}\nmodules:\n"
                                          "  - {id: extra-m, title: {en: M}, lectures: []}\n"},
         "domains/extra.yml", 1, 5, "ref-domain-unlisted"),
    Case("listed lecture without a file", {"lectures/ai/ai-later.md": None}, "domains/ai.yml", 7, 27, "ref-lecture-missing"),
    Case("lecture file not listed", {"domains/ai.yml": replace("[ai-models, ai-later]", "[ai-models]")},
         "lectures/ai/ai-later.md", 2, 5, "ref-lecture-unlisted"),
    Case("lecture listed twice", {"domains/informatics.yml": replace("      - inf-intro", "      - inf-intro\n      - ai-later")},
         "domains/ai.yml", 7, 27, "ref-lecture-listed-twice"),
    Case("lecture id differs from its file name", {INTRO: replace("id: inf-intro\n", "id: inf-introduction\n")},
         INTRO, 2, 5, "ref-lecture-file"),
    Case("assesses an unknown objective", {INTRO: replace("assesses: inf-intro-a", "assesses: inf-intro-z")},
         INTRO, 22, 15, "ref-assesses"),
    Case("unknown competency", {INTRO: replace("competencies: [CC1]", "competencies: [CC9]")}, INTRO, 9, 16, "ref-competency"),
    Case("version not semver", {INTRO: replace("version: 1.0.0", "version: '1.0'")}, INTRO, 4, 10, "semver"),
    Case("single with two correct choices", {MODELS: replace("      - text: A sepsis score\n",
                                                             "      - text: A sepsis score\n        correct: true\n")},
         MODELS, 31, 7, "quiz-correct-count"),
    Case("multiple with every choice correct", {MODELS: replace("      - {text: Logistic regression}",
                                                                "      - {text: Logistic regression, correct: true}")},
         MODELS, 60, 7, "quiz-correct-count"),
    Case("a single choice only", {MODELS: replace("      - text: A sepsis score\n        feedback: It outputs a probability.\n",
                                                  "")},
         MODELS, 31, 7, "quiz-choices"),
    Case("negative tolerance", {MODELS: replace("tolerance: 0.01", "tolerance: -0.01")}, MODELS, 43, 16, "quiz-tolerance"),
    Case("ordering with one item", {MODELS: replace("[Silent evaluation, Pilot, Deployment]", "[Silent evaluation]")},
         MODELS, 47, 12, "quiz-items"),
    Case("matching with a repeated right side", {MODELS: replace("[PDPA, Taiwan]", "[PDPA, United States]")},
         MODELS, 51, 44, "quiz-pairs"),
    Case("text question without answers", {MODELS: replace("answers: [FHIR, HL7 FHIR]", "answers: []")},
         MODELS, 55, 14, "quiz-answers"),
    Case("quiz without questions", {INTRO: replace(
        "questions:\n  - id: q-role\n    type: true-false\n    assesses: inf-intro-a\n"
        "    prompt: The CMIO runs the data centre.\n    answer: false\n", "questions: []\n")},
         INTRO, 19, 12, "quiz-empty"),
    Case("missing image", {INTRO: replace("The CMIO bridges", "![Org chart](img/org.png) The CMIO bridges")},
         INTRO, 15, 14, "md-image-missing"),
    Case("image without alt text", {INTRO: replace("The CMIO bridges", "![](../../programme.yml) The CMIO bridges")},
         INTRO, 15, 1, "md-image-alt"),
    Case("broken relative link", {MODELS: replace("../informatics/inf-intro.md", "../informatics/inf-outro.md")},
         MODELS, 17, 24, "md-link-broken"),
    Case("raw script", {INTRO: replace("The CMIO bridges", "<script>alert(1)</script> The CMIO bridges")},
         INTRO, 15, 1, "html-removed"),
    Case("event handler attribute", {INTRO: replace("The CMIO bridges", '<span onclick="x()">CMIO</span> bridges')},
         INTRO, 15, 7, "html-removed"),
    Case("javascript: URL", {INTRO: replace("The CMIO bridges", "[click](javascript:alert(1)) The CMIO bridges")},
         INTRO, 15, 9, "html-removed"),
    Case("path leaving the repository", {INTRO: replace("The CMIO bridges", "[secrets](../../../../etc/passwd) bridges")},
         INTRO, 15, 11, "md-path-escape"),
    Case("image from another host", {INTRO: replace("The CMIO bridges", "![Logo](https://cdn.example.org/l.png) bridges")},
         INTRO, 15, 9, "md-external-resource"),
    Case("citation beyond the references", {INTRO: replace("IT teams [1].", "IT teams [1][4].")},
         INTRO, 15, 43, "ref-citation"),
    Case("image on the author's computer", {INTRO: replace("The CMIO bridges", r"![Org chart](C:\Users\me\org.png) bridges")},
         INTRO, 15, 14, "md-local-path"),
    Case("image name with a space", {INTRO: replace("The CMIO bridges", "![Org chart](img/org%20chart.png) bridges")},
         INTRO, 15, 14, "md-file-name"),
    Case("raw HTML image name with a space", {INTRO: replace("The CMIO bridges", '<img alt="Org" src="img/org chart.png">')},
         INTRO, 15, 21, "md-file-name"),
    Case("citation list", {MODELS: replace("output content [2].", "output content [1,2].")}, MODELS, 16, 71,
         "ref-citation-form"),
    Case("citation in a quiz hint beyond the references", {MODELS: replace("hint: Look at the output.",
                                                                            "hint: Look at the output [3].")},
         MODELS, 36, 30, "ref-citation"),
    Case("skeleton text in a published lecture", {INTRO: replace("The CMIO bridges clinical and IT teams [1].",
                                                                 "Describe a realistic decision a CMIO faces. [1]")},
         INTRO, 15, 1, "lecture-placeholder"),
    Case("published translation with text left to translate",
         {MODELS_ZH: replace("title: 臨床AI模型在做什麼", "title: 〔待翻譯〕What clinical AI models do")},
         MODELS_ZH, 3, 8, "translation-unfinished"),
    Case("published lecture without a body", {INTRO: replace(
        "The CMIO bridges clinical and IT teams [1].\n\n```quiz\nid: inf-intro-check\nquestions:\n  - id: q-role\n"
        "    type: true-false\n    assesses: inf-intro-a\n    prompt: The CMIO runs the data centre.\n"
        "    answer: false\n```\n", "")},
         INTRO, 5, 9, "lecture-status"),
    Case("translation without a source", {"lectures/ai/ai-gone.zh-TW.md": "---\nsource_version: 1.0.0\ntitle: 消失\n---\n正文\n"},
         "lectures/ai/ai-gone.zh-TW.md", 1, 1, "translation-orphan"),
    Case("translation reorders questions",
         {MODELS_ZH: replace("  - id: q-ppv\n    prompt: 盛行率10%、敏感度90%、特異度80%：陽性預測值？\n", "")},
         MODELS_ZH, 14, 3, "translation-structure"),
    Case("translation states another correct answer", {MODELS_ZH: replace("      - text: 敗血症分數\n",
                                                                          "      - text: 敗血症分數\n        correct: true\n")},
         MODELS_ZH, 18, 18, "translation-answer"),
    Case("translation changes a numeric answer", {MODELS_ZH: replace("陽性預測值？\n", "陽性預測值？\n    answer: 0.5\n")},
         MODELS_ZH, 23, 13, "translation-answer"),
    Case("translation in an unknown language", {"lectures/ai/ai-models.fr.md": "---\nsource_version: 1.1.0\ntitle: x\n---\n"},
         "lectures/ai/ai-models.fr.md", 1, 1, "translation-language"),
    Case("outdated translation", {MODELS_ZH: replace("source_version: 1.1.0", "source_version: 1.0.0")},
         MODELS_ZH, 2, 17, "translation-outdated", "warning"),
    Case("review date passed", {INTRO: replace("review_by: 2099-01-01", "review_by: 2026-01-31")},
         INTRO, 8, 12, "review-overdue", "warning"),
    Case("objective never assessed", {INTRO: replace("    assesses: inf-intro-a\n", "")},
         INTRO, 11, 3, "alignment-unassessed", "warning"),
]


def apply(root: Path, edits: dict) -> None:
    for rel, edit in edits.items():
        path = root / rel
        if edit is None:
            path.unlink()
        elif isinstance(edit, tuple):
            old, new = edit
            text = path.read_text(encoding="utf-8")
            assert old in text, f"{rel} has no {old!r}"
            text = text.replace(old, new, 1)
            data = text.encode("utf-8", "surrogateescape")
            path.write_bytes(data)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(edit, encoding="utf-8")


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


def test_the_fixture_is_clean(mini: Path):
    report = Report()
    assert checks.check(mini, report, today=TODAY) is not None
    assert report.sorted() == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, mini: Path):
    apply(mini, case.edits)
    report = Report()
    checks.check(mini, report, today=TODAY)
    found = [(d.path, d.line, d.col, d.rule, d.severity) for d in report.sorted()]
    expected = (case.path, case.line, case.col, case.rule, case.severity)
    assert expected in found, "\n".join(d.text() for d in report.sorted())
    assert all(d.rule in RULES for d in report.items), "every reported rule is listed by `curriculum rules`"


def test_checks_in_one_process_follow_each_change(mini: Path):
    """The live preview checks again in the same process on every save: what one check kept of a
    text's rendering neither hides a removal nor reports one that is gone."""
    def html_removed() -> list[tuple[str, int, int]]:
        report = Report()
        checks.check(mini, report, today=TODAY)
        return [(d.path, d.line, d.col) for d in report.sorted() if d.rule == "html-removed"]

    assert html_removed() == []
    apply(mini, {INTRO: replace("The CMIO bridges", "<script>alert(1)</script> The CMIO bridges")})
    assert html_removed() == [(INTRO, 15, 1)]
    apply(mini, {INTRO: replace("<script>alert(1)</script> The CMIO bridges", "The CMIO <b>bridges</b>")})
    assert html_removed() == []
    apply(mini, {INTRO: replace("The CMIO <b>bridges</b>", 'The CMIO <b onclick="x()">bridges</b>')})
    assert html_removed() == [(INTRO, 15, 13)]


def test_footnote_definitions_are_not_links(mini: Path):
    apply(mini, {INTRO: replace("IT teams [1].", "IT teams [1].[^note]\n\n[^note]: Seen at several medical centres.")})
    report = Report()
    checks.check(mini, report, today=TODAY)
    assert report.sorted() == []


def test_a_reference_style_link_definition_is_still_checked(mini: Path):
    apply(mini, {INTRO: replace("IT teams [1].", "IT teams [1] and [the act][act].\n\n[act]: ../missing.md")})
    report = Report()
    checks.check(mini, report, today=TODAY)
    assert [(d.line, d.col, d.rule) for d in report.sorted()] == [(17, 8, "md-link-broken")]


def test_a_patch_bump_of_the_source_never_makes_a_translation_outdated(mini: Path) -> None:
    """Fixing a typo in the English (1.1.0 → 1.1.1) does not send the translator back to work;
    a minor bump (1.2.0) does."""
    source = mini / MODELS
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("version: 1.1.0", "version: 1.1.1", 1), encoding="utf-8")
    report = Report()
    checks.check(mini, report)
    assert [d for d in report.sorted() if d.rule == "translation-outdated"] == []
    source.write_text(text.replace("version: 1.1.0", "version: 1.2.0", 1), encoding="utf-8")
    report = Report()
    checks.check(mini, report)
    assert [d.rule for d in report.sorted() if d.rule == "translation-outdated"] == ["translation-outdated"]
