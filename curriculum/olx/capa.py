"""A quiz as one standard capa <problem>, for an LMS without the curriculum_quiz XBlock.

single, true-false → multiplechoiceresponse with choicehint; multiple → choiceresponse with
partial credit (EDC: every choice decided right earns its share); numeric → numericalresponse with
an absolute tolerance; text → stringresponse, case-insensitive, with additional_answer; ordering
and matching → optionresponse with one dropdown per item; hints → demandhint; explanations →
solution.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping

from curriculum_quiz import model as quizmodel

TRUE_FALSE = {"en": ("True", "False"), "zh-TW": ("正確", "錯誤")}
POSITION = {"en": "Position of", "zh-TW": "排序位置："}
EXPLANATION = {"en": "Explanation", "zh-TW": "解說"}

Inline = Callable[[str], str]  # author Markdown → plain text for labels and choices


def problem_element(quiz: Mapping, url_name: str, language: str, text: Inline, weight: float | None) -> ET.Element:
    attrs = {"url_name": url_name, "display_name": quiz.get("title") or quiz["id"], "markdown": "null"}
    settings = quizmodel.settings(quiz)
    if settings["attempts"]:
        attrs["max_attempts"] = str(settings["attempts"])
    attrs["showanswer"] = {"finished": "finished", "attempted": "attempted", "always": "always",
                           "never": "never"}[settings["show_answer"]]
    if weight is not None:
        attrs["weight"] = repr(float(weight))
    problem = ET.Element("problem", attrs)
    hints: list[str] = []
    explanations: list[tuple[str, str]] = []
    for number, question in enumerate(quizmodel.questions(quiz), 1):
        RESPONSES[question["type"]](problem, question, language, text)
        if question.get("hint"):
            hints.append(f"{number}. {text(question['hint'])}")
        if question.get("explanation"):
            explanations.append((f"{number}. {text(question['prompt'])}", text(question["explanation"])))
    if explanations:
        solution = ET.SubElement(problem, "solution")
        div = ET.SubElement(solution, "div", {"class": "detailed-solution"})
        ET.SubElement(div, "p").text = EXPLANATION.get(language, EXPLANATION["en"])
        for prompt, explanation in explanations:
            para = ET.SubElement(div, "p")
            ET.SubElement(para, "strong").text = prompt
            ET.SubElement(para, "br").tail = explanation
    if hints:
        demand = ET.SubElement(problem, "demandhint")
        for hint in hints:
            ET.SubElement(demand, "hint").text = hint
    return problem


def _choice_response(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    single = q["type"] == "single"
    response = ET.SubElement(problem, "multiplechoiceresponse" if single else "choiceresponse",
                             {} if single else {"partial_credit": "EDC"})
    ET.SubElement(response, "label").text = text(q["prompt"])
    group = ET.SubElement(response, "choicegroup" if single else "checkboxgroup",
                          {"type": "MultipleChoice"} if single else {})
    for choice in q["choices"]:
        element = ET.SubElement(group, "choice", {"correct": "true" if choice.get("correct") is True else "false"})
        element.text = text(choice["text"])
        if choice.get("feedback"):
            hint_attrs = {} if single else {"selected": "true"}
            ET.SubElement(element, "choicehint", hint_attrs).text = text(choice["feedback"])


def _true_false(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    response = ET.SubElement(problem, "multiplechoiceresponse")
    ET.SubElement(response, "label").text = text(q["prompt"])
    group = ET.SubElement(response, "choicegroup", {"type": "MultipleChoice"})
    feedback = q.get("feedback") or {}
    for value, label in zip((True, False), TRUE_FALSE.get(language, TRUE_FALSE["en"])):
        right = value is q["answer"]
        element = ET.SubElement(group, "choice", {"correct": "true" if right else "false"})
        element.text = label
        hint = feedback.get("correct" if right else "incorrect")
        if hint:
            ET.SubElement(element, "choicehint").text = text(hint)


def _numeric(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    response = ET.SubElement(problem, "numericalresponse", {"answer": repr(q["answer"])})
    ET.SubElement(response, "label").text = text(q["prompt"])
    ET.SubElement(response, "responseparam", {"type": "tolerance", "default": repr(q.get("tolerance", 0))})
    ET.SubElement(response, "formulaequationinput")
    _correct_hint(response, q, text)


def _text(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    first, *others = q["answers"]
    response = ET.SubElement(problem, "stringresponse", {"answer": first, "type": "ci"})
    ET.SubElement(response, "label").text = text(q["prompt"])
    for other in others:
        ET.SubElement(response, "additional_answer", {"answer": other})
    ET.SubElement(response, "textline", {"size": "40"})
    _correct_hint(response, q, text)


def _correct_hint(response: ET.Element, q: Mapping, text: Inline) -> None:
    feedback = q.get("feedback") or {}
    if feedback.get("correct"):
        ET.SubElement(response, "correcthint").text = text(feedback["correct"])


def _dropdowns(problem: ET.Element, prompt: str, rows: list[tuple[str, list[str], str]]) -> None:
    """One optionresponse with one dropdown per row: (label, options, correct option)."""
    response = ET.SubElement(problem, "optionresponse")
    ET.SubElement(response, "p").text = prompt
    for label, options, correct in rows:
        select = ET.SubElement(response, "optioninput", {"label": label})
        for option in options:
            ET.SubElement(select, "option", {"correct": "True" if option == correct else "False"}).text = option


def _ordering(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    positions = [str(n) for n in range(1, len(q["items"]) + 1)]
    prefix = POSITION.get(language, POSITION["en"])
    # Listed alphabetically, so the list itself does not give the order away.
    rows = sorted(((f"{prefix} {text(item)}", positions, str(n)) for n, item in enumerate(q["items"], 1)),
                  key=lambda row: row[0].casefold())
    _dropdowns(problem, text(q["prompt"]), rows)


def _matching(problem: ET.Element, q: Mapping, language: str, text: Inline) -> None:
    rights = sorted((text(right) for _, right in q["pairs"]), key=str.casefold)
    _dropdowns(problem, text(q["prompt"]), [(text(left), rights, text(right)) for left, right in q["pairs"]])


RESPONSES: dict[str, Callable[[ET.Element, Mapping, str, Inline], None]] = {
    "single": _choice_response,
    "multiple": _choice_response,
    "true-false": _true_false,
    "numeric": _numeric,
    "text": _text,
    "ordering": _ordering,
    "matching": _matching,
}
