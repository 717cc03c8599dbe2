"""Exam integrity, item writing, references and zh-TW terminology: each rule fails on a bad
example at its exact line and column and stays quiet on the good one."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from curriculum import checks, terminology
from curriculum.cli import main
from curriculum.diagnostics import Diagnostic, Report
from curriculum.rules import RULES

TODAY = dt.date(2026, 11, 26)
REPO = Path(__file__).parent.parent
NEW_RULES = ("exam-leak", "exam-unpublished", "item-true-false-balance", "item-longest-correct",
             "item-all-none-above", "item-absolute-distractor", "item-repeated-choice", "item-negative-stem",
             "reference-host", "reference-year", "term-rejected", "term-simplified")


def check(root: Path) -> list[Diagnostic]:
    report = Report()
    checks.check(root, report, today=TODAY)
    assert all(d.rule in RULES for d in report.items)
    return report.sorted()


def found(root: Path, rule: str) -> list[tuple[str, int, int, str]]:
    return [(d.path, d.line, d.col, d.severity) for d in check(root) if d.rule == rule]


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_lecture(root: Path, lecture_id: str, text: str, zh: str | None = None) -> None:
    """Add a lecture (and its translation) at the end of the AI domain's module."""
    edit(root, "domains/ai.yml", "[ai-models, ai-later]", f"[ai-models, ai-later, {lecture_id}]")
    (root / f"lectures/ai/{lecture_id}.md").write_text(text, encoding="utf-8")
    if zh is not None:
        (root / f"lectures/ai/{lecture_id}.zh-TW.md").write_text(zh, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Exam integrity

BODY = "Sepsis alerts that fire too often teach clinicians to ignore every warning they see [1].\n"
ZH_BODY = "敗血症警示過於頻繁會讓臨床人員忽略每一個警告 [1]。\n"


def exam_lecture(prompt: str, mode: str = "summative", body: str = BODY) -> str:
    return f"""---
id: ai-exam
title: Alert fatigue
version: 1.0.0
status: published
duration: 30
authors: [Faculty]
objectives:
  ai-exam-a: Explain alert fatigue.
references:
  - "Author C. Alerts. Journal. 2020."
---
{body}
```quiz
id: ai-exam-final
mode: {mode}
questions:
  - id: q-fatigue
    type: true-false
    assesses: ai-exam-a
    prompt: "{prompt}"
    answer: true
```
"""


def exam_translation(prompt: str, body: str = ZH_BODY) -> str:
    return f"""---
source_version: 1.0.0
title: 警示疲勞
objectives:
  ai-exam-a: 說明警示疲勞。
---
{body}
```quiz
id: ai-exam-final
questions:
  - id: q-fatigue
    prompt: "{prompt}"
```
"""


def test_eight_shared_words_leak_and_the_message_names_the_public_text(mini: Path):
    add_lecture(mini, "ai-exam", exam_lecture("Why do sepsis alerts that fire too often teach clinicians harm?"))
    leaks = [d for d in check(mini) if d.rule == "exam-leak"]
    assert [(d.path, d.line, d.col, d.severity) for d in leaks] == [("lectures/ai/ai-exam.md", 22, 13, "error")]
    assert "8 consecutive words" in leaks[0].message
    assert "“sepsis alerts that fire too often teach clinicians”" in leaks[0].message
    assert "lecture body at lectures/ai/ai-exam.md:13" in leaks[0].message


def test_checks_in_one_process_follow_each_change(mini: Path):
    """The live preview checks again in the same process on every save: what one check kept of
    the summative and the public texts never hides a leak nor reports one that is gone."""
    leaking = "Why do sepsis alerts that fire too often teach clinicians harm?"
    add_lecture(mini, "ai-exam", exam_lecture(leaking, body="Alerts need tuning [1].\n"),
                exam_translation("為何敗血症警示過於頻繁會讓臨時？", body="警示需要調整 [1]。\n"))
    assert found(mini, "exam-leak") == []
    edit(mini, "lectures/ai/ai-exam.md", "Alerts need tuning [1].", BODY.strip())  # the body now holds the prompt
    assert found(mini, "exam-leak") == [("lectures/ai/ai-exam.md", 22, 13, "error")]
    edit(mini, "lectures/ai/ai-exam.zh-TW.md", "警示需要調整 [1]。", ZH_BODY.strip())
    assert [(p, line) for p, line, _c, _s in found(mini, "exam-leak")] == \
        [("lectures/ai/ai-exam.md", 22), ("lectures/ai/ai-exam.zh-TW.md", 13)]
    edit(mini, "lectures/ai/ai-exam.md", leaking, "Why are frequent alerts ignored?")  # the question reworded
    assert [(p, line) for p, line, _c, _s in found(mini, "exam-leak")] == [("lectures/ai/ai-exam.zh-TW.md", 13)]
    edit(mini, "lectures/ai/ai-exam.zh-TW.md", ZH_BODY.strip(), "警示需要調整 [1]。")
    assert found(mini, "exam-leak") == []


def test_seven_shared_words_do_not_leak(mini: Path):
    add_lecture(mini, "ai-exam", exam_lecture("Why do alerts that fire too often teach clinicians harm?"))
    assert found(mini, "exam-leak") == []


def test_citations_links_case_and_punctuation_do_not_hide_a_leak(mini: Path):
    body = "SEPSIS alerts, that [fire](../informatics/inf-intro.md) too often [1], teach clinicians.\n"
    add_lecture(mini, "ai-exam", exam_lecture("Why do sepsis alerts that fire too often teach clinicians harm?", body=body))
    assert found(mini, "exam-leak") == [("lectures/ai/ai-exam.md", 22, 13, "error")]


def test_twelve_shared_han_characters_leak_in_the_translation(mini: Path):
    add_lecture(mini, "ai-exam", exam_lecture("Is alert fatigue real?"), exam_translation("為何敗血症警示過於頻繁會讓臨時？"))
    leaks = [d for d in check(mini) if d.rule == "exam-leak"]
    assert [(d.path, d.line, d.col) for d in leaks] == [("lectures/ai/ai-exam.zh-TW.md", 13, 13)]
    assert "12 consecutive Han characters" in leaks[0].message
    assert "“敗血症警示過於頻繁會讓臨”" in leaks[0].message
    assert "lectures/ai/ai-exam.zh-TW.md:7" in leaks[0].message


def test_eleven_shared_han_characters_do_not_leak(mini: Path):
    add_lecture(mini, "ai-exam", exam_lecture("Is alert fatigue real?"), exam_translation("為何血症警示過於頻繁會讓臨時？"))
    assert found(mini, "exam-leak") == []


def test_han_runs_are_compared_without_punctuation_and_spaces(mini: Path):
    body = "敗血症警示，過於頻繁， 會讓「臨床人員」忽略每一個警告 [1]。\n"
    add_lecture(mini, "ai-exam", exam_lecture("Is alert fatigue real?"),
                exam_translation("為何敗血症警示過於頻繁會讓臨時？", body=body))
    assert found(mini, "exam-leak") == [("lectures/ai/ai-exam.zh-TW.md", 13, 13, "error")]


def test_languages_are_compared_only_with_their_own(mini: Path):
    # The English body does not count against the Chinese summative text, nor the reverse.
    add_lecture(mini, "ai-exam", exam_lecture("Why do sepsis alerts that fire too often teach clinicians harm?",
                                              body="敗血症警示過於頻繁會讓臨床人員忽略每一個警告 [1]。\n"),
                exam_translation("為何敗血症警示過於頻繁會讓臨時？", body=BODY))
    assert found(mini, "exam-leak") == []


def test_a_leak_from_the_glossary_names_its_line(mini: Path):
    edit(mini, "glossary.yml", "source: MOHW press usage",
         "source: MOHW press usage\n- term: {en: Alert fatigue, zh-TW: 警示疲勞}\n"
         "  definition: {en: Clinicians ignore alerts because far too many of them fire., zh-TW: 警示太多而被忽略。}")
    add_lecture(mini, "ai-exam", exam_lecture("True or false: clinicians ignore alerts because far too many of them fire."))
    leaks = [d for d in check(mini) if d.rule == "exam-leak"]
    assert [(d.path, d.line, d.col) for d in leaks] == [("lectures/ai/ai-exam.md", 22, 13)]
    assert "glossary at glossary.yml:5" in leaks[0].message


def test_a_formative_question_is_never_flagged_as_a_leak(mini: Path):
    prompt = "Why do sepsis alerts that fire too often teach clinicians to ignore every warning?"
    add_lecture(mini, "ai-exam", exam_lecture(prompt, mode="formative"),
                exam_translation("敗血症警示過於頻繁會讓臨床人員忽略每一個警告"))
    assert found(mini, "exam-leak") == []


def test_a_summative_question_on_an_unpublished_lecture(mini: Path):
    edit(mini, "lectures/ai/ai-models.md", "    assesses: ai-models-b\n    prompt: SECRET-EXAM-TF",
         "    assesses: ai-later-a\n    prompt: SECRET-EXAM-TF")
    diagnostics = [d for d in check(mini) if d.rule == "exam-unpublished"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [("lectures/ai/ai-models.md", 84, 15, "error")]
    assert "'ai-later'" in diagnostics[0].message and "outline" in diagnostics[0].message


def test_a_summative_question_on_published_lectures_passes(mini: Path):
    assert found(mini, "exam-unpublished") == []


def test_a_formative_question_may_assess_a_draft_lecture(mini: Path):
    add_lecture(mini, "ai-exam", exam_lecture("Is alert fatigue real?", mode="formative").replace("published", "draft"))
    assert found(mini, "exam-unpublished") == []


# ---------------------------------------------------------------------------------------------
# Item writing

ITEMS_HEAD = """---
id: ai-items
title: Item writing
version: 1.0.0
status: published
duration: 30
authors: [Faculty]
objectives:
  ai-items-a: Explain item writing.
---
Good items test knowledge, not test-wiseness.

```quiz
id: ai-items-check
questions:
"""
ZH_HEAD = """---
source_version: 1.0.0
title: 命題
---
好的題目測驗知識。

```quiz
id: ai-items-check
questions:
"""


def single(qid: str, prompt: str, correct: str, *others: str) -> str:
    choices = f"      - {{text: \"{correct}\", correct: true}}\n" + "".join(f"      - {{text: \"{o}\"}}\n" for o in others)
    return f"  - id: {qid}\n    type: single\n    assesses: ai-items-a\n    prompt: \"{prompt}\"\n    choices:\n{choices}"


def true_false(qid: str, answer: bool) -> str:
    return (f"  - id: {qid}\n    type: true-false\n    assesses: ai-items-a\n    prompt: Claim {qid}.\n"
            f"    answer: {str(answer).lower()}\n")


def zh_single(qid: str, prompt: str, *choices: str) -> str:
    return f"  - id: {qid}\n    prompt: \"{prompt}\"\n    choices:\n" + "".join(f"      - {{text: \"{c}\"}}\n" for c in choices)


def add_items(root: Path, questions: str, zh_questions: str | None = None) -> None:
    add_lecture(root, "ai-items", ITEMS_HEAD + questions + "```\n",
                None if zh_questions is None else ZH_HEAD + zh_questions + "```\n")


ITEMS = "lectures/ai/ai-items.md"
ITEMS_ZH = "lectures/ai/ai-items.zh-TW.md"


def test_true_false_answers_mostly_the_same_in_a_domain(mini: Path):
    # The AI domain already has one summative true/false question (true); 4 more true and 1 false make 5 of 6.
    add_items(mini, "".join(true_false(f"q{i}", i != 5) for i in range(1, 6)))
    diagnostics = [d for d in check(mini) if d.rule == "item-true-false-balance"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [("lectures/ai/ai-models.md", 82, 5, "warning")]
    assert "5 of 6 true/false questions in domain 'ai' (83%) have the answer true" in diagnostics[0].message


def test_true_false_answers_balanced_enough(mini: Path):
    add_items(mini, "".join(true_false(f"q{i}", i <= 3) for i in range(1, 6)))  # 4 true of 6
    assert found(mini, "item-true-false-balance") == []


def test_true_false_balance_needs_six_questions(mini: Path):
    add_items(mini, "".join(true_false(f"q{i}", True) for i in range(1, 5)))  # 5 of 5 true
    assert found(mini, "item-true-false-balance") == []


def test_correct_choice_longest_in_most_single_questions(mini: Path):
    # Both single-answer questions of ai-models have the longest choice correct; 2 more of 4 make 4 of 6.
    questions = (single("q1", "Pick one", "The longest answer here", "Short", "Brief") +
                 single("q2", "Pick one", "The longest answer here", "Short") +
                 single("q3", "Pick one", "Short", "The longest answer here") +
                 single("q4", "Pick one", "Equal", "Same!"))  # a tie is not strictly longest
    add_items(mini, questions)
    diagnostics = [d for d in check(mini) if d.rule == "item-longest-correct"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [("lectures/ai/ai-models.md", 26, 5, "warning")]
    assert "longest in 4 of 6 single-answer questions in domain 'ai' (67%)" in diagnostics[0].message


def test_correct_choice_longest_in_half_passes(mini: Path):
    questions = (single("q1", "Pick one", "The longest answer here", "Short") +
                 single("q2", "Pick one", "Short", "The longest answer here") +
                 single("q3", "Pick one", "Short", "The longest answer here") +
                 single("q4", "Pick one", "Equal", "Same!"))  # 3 of 6
    add_items(mini, questions)
    assert found(mini, "item-longest-correct") == []


def test_all_of_the_above_in_both_languages(mini: Path):
    add_items(mini, single("q1", "Which helps?", "Training", "Paging", "All of the above"),
              zh_single("q1", "哪一個有幫助？", "訓練", "呼叫", "以上皆是"))
    assert found(mini, "item-all-none-above") == [(ITEMS, 23, 16, "warning"), (ITEMS_ZH, 15, 16, "warning")]


def test_real_options_pass(mini: Path):
    add_items(mini, single("q1", "Which helps?", "Training", "Paging", "Above-average staffing"),
              zh_single("q1", "哪一個有幫助？", "訓練", "呼叫", "以上的人員配置"))
    assert found(mini, "item-all-none-above") == []


def test_absolute_words_only_in_distractors(mini: Path):
    add_items(mini, single("q1", "What does a CDS alert do?", "It usually prompts review", "It always stops the order",
                           "It prompts review"),
              zh_single("q1", "警示的作用？", "通常促使檢查", "一定阻止醫囑", "促使檢查"))
    diagnostics = [d for d in check(mini) if d.rule == "item-absolute-distractor"]
    assert [(d.path, d.line, d.col) for d in diagnostics] == [(ITEMS, 22, 16), (ITEMS_ZH, 14, 16)]
    assert "“always”" in diagnostics[0].message and "“一定”" in diagnostics[1].message


def test_absolute_words_in_the_correct_choice_too_pass(mini: Path):
    add_items(mini, single("q1", "Which is true of HIPAA?", "It applies only to covered entities and associates",
                           "It applies only to hospitals"),
              zh_single("q1", "何者正確？", "所有受規範實體都適用", "所有醫院都適用"))
    assert found(mini, "item-absolute-distractor") == []


def test_a_choice_repeated_word_for_word(mini: Path):
    add_items(mini, single("q1", "Which falls with prevalence?", "PPV", "Sensitivity", "sensitivity "),
              zh_single("q1", "何者隨盛行率下降？", "陽性預測值", "敏感度", "敏感度"))
    assert found(mini, "item-repeated-choice") == [(ITEMS, 23, 16, "warning"), (ITEMS_ZH, 15, 16, "warning")]


def test_distinct_choices_pass(mini: Path):
    add_items(mini, single("q1", "Which falls with prevalence?", "PPV", "Sensitivity", "Specificity"),
              zh_single("q1", "何者隨盛行率下降？", "陽性預測值", "敏感度", "特異度"))
    assert found(mini, "item-repeated-choice") == []


def test_a_negative_stem_without_emphasis(mini: Path):
    add_items(mini, single("q1", "The alert fired. Which is not a vital sign?", "Pain score", "Pulse"),
              zh_single("q1", "下列何者不是生命徵象？", "疼痛分數", "脈搏"))
    assert found(mini, "item-negative-stem") == [(ITEMS, 19, 13, "warning"), (ITEMS_ZH, 11, 13, "warning")]


@pytest.mark.parametrize("prompt, zh_prompt", [
    ("Which is NOT a vital sign?", "下列何者**不是**生命徵象？"),
    ("Which is **not** a vital sign?", "下列何者**不是**生命徵象？"),
    ("Which is *not* a vital sign?", "下列何者**不是**生命徵象？"),
    ("The patient is not febrile. Which test comes next?", "病人沒有發燒。下一步做哪一項檢查？"),
])
def test_an_emphasised_or_early_negative_passes(mini: Path, prompt: str, zh_prompt: str):
    add_items(mini, single("q1", prompt, "Pain score", "Pulse"), zh_single("q1", zh_prompt, "疼痛分數", "脈搏"))
    assert found(mini, "item-negative-stem") == []


def test_strict_makes_item_writing_warnings_errors(mini: Path):
    add_items(mini, single("q1", "Which helps?", "Training", "Paging", "None of the above"))
    command = [sys.executable, "-m", "curriculum", "check", str(mini)]
    plain = subprocess.run(command, capture_output=True, text=True)
    assert plain.returncode == 0, plain.stdout
    assert "lectures/ai/ai-items.md:23:16: warning [item-all-none-above]" in plain.stdout
    strict = subprocess.run(command + ["--strict"], capture_output=True, text=True)
    assert strict.returncode == 1
    assert "lectures/ai/ai-items.md:23:16: error [item-all-none-above]" in strict.stdout


# ---------------------------------------------------------------------------------------------
# References

INTRO = "lectures/informatics/inf-intro.md"
KANNRY = '  - "Kannry J, et al. The Chief Clinical Informatics Officer. Appl Clin Inform. 2016;7(1):143-176."\n'


def add_reference(root: Path, entry: str, hosts: str = "[scribd.com, studylib.net]") -> None:
    edit(root, "programme.yml", "retired: []", f"retired: []\nreference_hosts_disallowed: {hosts}")
    edit(root, INTRO, KANNRY, KANNRY + f'  - "{entry}"\n')
    edit(root, INTRO, "IT teams [1].", "IT teams [1][2].")


def test_a_reference_on_a_disallowed_host_or_its_subdomain(mini: Path):
    add_reference(mini, "ABPM. Study guide. 2015. https://www.scribd.com/doc/8186177")
    diagnostics = [d for d in check(mini) if d.rule == "reference-host"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [(INTRO, 14, 5, "error")]
    assert "www.scribd.com" in diagnostics[0].message and "(scribd.com)" in diagnostics[0].message


def test_a_reference_on_a_host_that_only_ends_alike_passes(mini: Path):
    add_reference(mini, "ABPM. Study guide. 2015. https://notscribd.com/doc/8186177")
    assert found(mini, "reference-host") == []
    assert check(mini) == []


def test_a_reference_without_a_year(mini: Path):
    add_reference(mini, "ABPM. Study guide. https://www.abpm.org/guide")
    assert found(mini, "reference-year") == [(INTRO, 14, 5, "error")]


def test_a_reference_with_a_year_passes(mini: Path):
    add_reference(mini, "ABPM. Study guide. 2099. https://www.abpm.org/guide")
    assert found(mini, "reference-year") == []


def test_disallowed_hosts_must_be_host_names(mini: Path):
    edit(mini, "programme.yml", "retired: []", "retired: []\nreference_hosts_disallowed: [Scribd.com/doc]")
    assert [(d.path, d.line, d.col, d.rule) for d in check(mini)] == [("programme.yml", 16, 30, "schema-type")]


# ---------------------------------------------------------------------------------------------
# zh-TW terminology

ZH = "lectures/ai/ai-models.zh-TW.md"


def test_rejected_variants_in_a_translation(mini: Path):
    edit(mini, ZH, "預測模型輸出分數 [1]", "大語言模型與預測模型輸出數據 [1]")
    diagnostics = [d for d in check(mini) if d.rule == "term-rejected"]
    assert [(d.path, d.line, d.col, d.severity) for d in diagnostics] == [(ZH, 8, 1, "error"), (ZH, 8, 13, "error")]
    assert "write 大型語言模型" in diagnostics[0].message


def test_agreed_terms_and_official_names_pass(mini: Path):
    edit(mini, ZH, "預測模型輸出分數 [1]", "大型語言模型、真實世界數據與醫療大數據，資料在地化即數據在地 [1]")
    assert found(mini, "term-rejected") == []


def test_simplified_characters_in_a_translation(mini: Path):
    edit(mini, ZH, "title: 自我評量", "title: 自我评量与数据库")
    diagnostics = [d for d in check(mini) if d.rule == "term-simplified"]
    assert [(d.path, d.line, d.col) for d in diagnostics] == [(ZH, 12, 10), (ZH, 12, 12)]
    assert "“与数据库”" in diagnostics[1].message and "“與數據庫”" in diagnostics[1].message


def test_cited_titles_in_the_reference_list_are_quoted_as_published(mini: Path):
    edit(mini, ZH, "title: 臨床AI模型在做什麼",
         "title: 臨床AI模型在做什麼\nreferences:\n  - 作者甲。大语言模型数据。期刊。2021。\n  - 作者乙。標題。期刊。2022。")
    assert [d for d in check(mini) if d.rule.startswith("term-")] == []


def test_glossary_zh_tw_texts_are_checked(mini: Path):
    edit(mini, "glossary.yml", "zh-TW: 系統交換並使用資料的能力。", "zh-TW: 資料落地的系统能力。")
    assert [(d.path, d.line, d.col, d.rule) for d in check(mini)] == [
        ("glossary.yml", 2, 77, "term-rejected"), ("glossary.yml", 2, 77, "term-simplified")]


def test_the_terminology_doc_shows_the_rules_table_exactly():
    doc = (REPO / terminology.DOC).read_text(encoding="utf-8")
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in doc.splitlines() if line.startswith("|") and not re.match(r"\|\s*-", line)]
    data = terminology.terminology()
    expected_terms = [["English", "zh-TW", "rejected variants", "note"]] + [
        [t["en"], t["zh-TW"], "、".join(t["rejected"]) or "—", t["note"]] for t in data.terms]
    expected_names = [["official name", "note"]] + [[n["name"], n["note"]] for n in data.official_names]
    assert [r for r in rows if len(r) == 4] == expected_terms
    assert [r for r in rows if len(r) == 2] == expected_names


def test_the_simplified_table_is_well_formed():
    table = terminology.simplified()
    assert len(table) >= 300
    assert all(len(s) == 1 and len(t) == 1 and s != t for s, t in table.items())
    assert set("数据库据们这来时发国学医疗术网络认证风险") <= set(table)
    assert not set("臺台後里面只系干為資料醫療") & set(table)  # valid in Taiwan's standard


def test_the_terminology_data_is_valid_yaml_with_every_field():
    data = yaml.safe_load((REPO / "curriculum/data/terminology.yml").read_text(encoding="utf-8"))
    assert all(set(t) == {"en", "zh-TW", "rejected", "note"} for t in data["terms"])


# ---------------------------------------------------------------------------------------------

def test_curriculum_rules_lists_every_new_rule(capsys):
    assert main(["rules"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()}
    assert set(NEW_RULES) <= listed


def test_the_fixture_passes_every_new_rule(mini: Path):
    assert [d for d in check(mini) if d.rule in NEW_RULES] == []
