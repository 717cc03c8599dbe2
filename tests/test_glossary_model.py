"""The glossary's model: synonyms and plurals load into GlossaryTerm, and a name shared by two
entries is reported at its line in glossary.yml (through the real `curriculum check`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from curriculum import checks
from curriculum.cli import main
from curriculum.diagnostics import Report
from curriculum.rules import RULES

TODAY = dt.date(2026, 11, 26)

GLOSSARY = """\
- term: {en: Interoperability, zh-TW: 互通性}
  definition: {en: The ability of systems to exchange and use data., zh-TW: 系統交換並使用資料的能力。}
  synonyms:
    en: [data exchange]
    zh-TW: [互操作性]
  source: MOHW press usage
- term: {en: Large language model, zh-TW: 大型語言模型}
  abbr: LLM
  plural: large language models
  synonyms:
    en: [generative AI, GenAI]
    zh-TW: [生成式AI]
  definition: {en: A model that generates text., zh-TW: 生成文字的模型。}
"""


def write_glossary(root: Path, text: str) -> None:
    (root / "glossary.yml").write_text(text, encoding="utf-8")


def check(root: Path) -> tuple[object, Report]:
    report = Report()
    curriculum = checks.check(root, report, today=TODAY)
    return curriculum, report


def test_synonyms_and_plural_are_names_of_their_entry(mini: Path) -> None:
    write_glossary(mini, GLOSSARY)
    curriculum, report = check(mini)
    assert report.sorted() == []
    interop, llm = curriculum.glossary
    assert interop.synonyms == {"en": ["data exchange"], "zh-TW": ["互操作性"]} and interop.plural is None
    assert llm.names("en") == ["Large language model", "LLM", "generative AI", "GenAI", "large language models"]
    # the plural is English; the abbreviation stands in every language
    assert llm.names("zh-TW") == ["大型語言模型", "LLM", "生成式AI"]


def test_a_synonym_of_two_entries_is_an_error_at_its_line(mini: Path, capsys) -> None:
    write_glossary(mini, GLOSSARY.replace("[generative AI, GenAI]", "[generative AI, Data Exchange]"))
    _, report = check(mini)
    found = [(d.path, d.line, d.col, d.rule, d.severity) for d in report.sorted()]
    assert found == [("glossary.yml", 11, 25, "glossary-name-duplicate", "error")]
    message = report.sorted()[0].message
    assert "'Data Exchange'" in message and "'Interoperability' (line 4)" in message
    assert "glossary-name-duplicate" in RULES
    # the command line: the finding as PATH:LINE:COL and a non-zero exit
    assert main(["check", str(mini)]) == 1
    assert "glossary.yml:11:25: error [glossary-name-duplicate]" in capsys.readouterr().out


def test_a_chinese_synonym_that_is_another_entrys_term_is_an_error(mini: Path) -> None:
    write_glossary(mini, GLOSSARY.replace("[生成式AI]", "[生成式AI, 互通性]"))
    _, report = check(mini)
    assert [(d.line, d.rule) for d in report.errors] == [(12, "glossary-name-duplicate")]
    assert "'互通性'" in report.errors[0].message


def test_an_abbreviation_or_plural_shared_with_another_entry_is_an_error(mini: Path) -> None:
    write_glossary(mini, GLOSSARY.replace("plural: large language models", "plural: interoperability"))
    _, report = check(mini)
    assert [(d.line, d.col, d.rule) for d in report.errors] == [(9, 11, "glossary-name-duplicate")]


def test_synonyms_must_be_lists_of_text_per_language(mini: Path) -> None:
    for bad, rule, line in (("synonyms:\n    en: data exchange", "schema-type", 4),
                            ("synonyms:\n    fr: [échange]", "schema-unknown", 4),
                            ("synonyms:\n    en: [\"\"]", "schema-type", 4)):
        write_glossary(mini, GLOSSARY.replace("synonyms:\n    en: [data exchange]", bad))
        _, report = check(mini)
        assert [(d.path, d.line, d.rule) for d in report.errors] == [("glossary.yml", line, rule)], (bad, report.errors)
