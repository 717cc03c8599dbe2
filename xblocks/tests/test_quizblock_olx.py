"""OLX: parse_xml / add_xml_to_node round-trip losslessly; the pure serializer gives the same form."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from lxml import etree
from quiz_testing import Course, render, snapshot

from curriculum_quiz import olx, scenarios
from curriculum_quiz.block import CurriculumQuizBlock


def awkward_quiz() -> dict:
    quiz = copy.deepcopy(scenarios.MIXED)
    quiz["title"] = 'Check <your> "understanding" & more'
    quiz["show_answer"] = "attempted"
    quiz["attempts"] = 3
    quiz["questions"][0]["prompt"] = "Line one\n\nLine two with ]]> and <tags> & entities &amp; — 臺灣\ttab"
    quiz["questions"][3]["answer"] = 0.1 + 0.2
    quiz["questions"][3]["tolerance"] = 0
    quiz["questions"][4]["answers"] = ["FHIR", "HL7 FHIR", "ｆｈｉｒ"]
    quiz["questions"][0]["assesses"] = ["ai-a", "ai-b"]
    return quiz


FIELDS = {"display_name": 'Quiz "one" <&>\tnew\nline', "lecture_id": "ai-what-models-do", "lecture_version": "1.2.0",
          "language": "zh-TW", "weight": 2.5}


def export(block) -> str:
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")


def test_round_trip_is_lossless(course: Course):
    quiz = awkward_quiz()
    block = course.add(quiz, **FIELDS)
    xml = export(block)

    runtime = course.runtime("learner-1")
    usage_id = runtime.parse_xml_string(xml)
    parsed = runtime.get_block(usage_id)
    assert parsed.quiz == quiz
    assert list(parsed.quiz) == list(quiz)  # key order kept
    for name, value in FIELDS.items():
        assert getattr(parsed, name) == value
    assert export(parsed) == xml


def test_unset_fields_stay_unset(course: Course):
    block = course.add(scenarios.MIXED)
    xml = export(block)
    assert xml.startswith('<curriculum_quiz xblock-family="xblock.v1">')
    runtime = course.runtime("learner-1")
    parsed = runtime.get_block(runtime.parse_xml_string(xml))
    for name in FIELDS:
        assert not parsed.fields[name].is_set_on(parsed)
    assert parsed.quiz == scenarios.MIXED


def test_the_pure_serializer_writes_exactly_what_the_block_exports(course: Course):
    quiz = awkward_quiz()
    block = course.add(quiz, **FIELDS)
    assert olx.quiz_xml(quiz, **FIELDS) == export(block)
    assert olx.quiz_xml(quiz, url_name="ai-models-check", **FIELDS).startswith(
        '<curriculum_quiz url_name="ai-models-check" xblock-family="xblock.v1" display_name="Quiz &quot;one&quot; '
        '&lt;&amp;&gt;&#9;new&#10;line" lecture_id="ai-what-models-do" lecture_version="1.2.0" language="zh-TW" '
        'weight="2.5">{')
    # A url_name the exporting runtime put on the node is kept, first.
    node = etree.Element("unknown", url_name="u1")
    block.add_xml_to_node(node)
    assert etree.tostring(node, encoding="unicode") == olx.quiz_xml(quiz, url_name="u1", **FIELDS)


def test_serializer_output_parses_with_the_standard_library():
    quiz = awkward_quiz()
    element = ET.fromstring(olx.quiz_xml(quiz, **FIELDS))
    values = olx.read_quiz_element(element)
    assert values == {"quiz": quiz, **FIELDS}


def test_xml_invalid_characters_are_escaped_in_the_json():
    quiz = {"id": "q", "questions": [], "title": "odd \ufffe char"}
    xml = olx.quiz_xml(quiz)
    assert "\ufffe" not in xml and "\\ufffe" in xml
    assert olx.read_quiz_element(etree.fromstring(xml))["quiz"] == quiz


def test_the_olx_module_does_not_import_xblock():
    code = ("import sys, curriculum_quiz.olx, curriculum_quiz.model; "
            "assert not [m for m in sys.modules if m.split('.')[0] in ('xblock', 'web_fragments', 'webob')], "
            "sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("xml, message", [
    ("<curriculum_quiz>not json</curriculum_quiz>", "must hold the quiz as JSON"),
    ("<curriculum_quiz>[1, 2]</curriculum_quiz>", "must hold a JSON object"),
    ('<curriculum_quiz weight="heavy">{}</curriculum_quiz>', "weight must be a number"),
])
def test_unreadable_elements_are_reported(xml, message):
    with pytest.raises(olx.OlxError, match=message):
        olx.read_quiz_element(etree.fromstring(xml))


def test_generic_json_attribute_form_is_read(course: Course):
    runtime = course.runtime("learner-1")
    quiz = {"id": "x", "questions": [{"id": "q", "type": "true-false", "prompt": "P", "answer": True}]}
    xml = f"<curriculum_quiz quiz='{json.dumps(quiz)}' display_name=\"X\"/>"
    block = runtime.get_block(runtime.parse_xml_string(xml))
    assert block.quiz == quiz and block.display_name == "X"


@pytest.mark.parametrize("xml, message", [
    ('<curriculum_quiz url_name="ai-check" display_name="X"/>',
     '<curriculum_quiz url_name="ai-check">: the element holds no quiz'),
    ('<curriculum_quiz url_name="ai-check">{"id": "x", "questions": []}</curriculum_quiz>',
     '<curriculum_quiz url_name="ai-check">: the quiz is invalid: questions: a quiz needs at least one question '
     '[quiz-empty]'),
    ('<curriculum_quiz url_name="ai-check">{"id": "x", "questions": [{"id": "q", "type": "numeric", "prompt": "P", '
     '"answer": 1' + "0" * 400 + '}]}</curriculum_quiz>',
     "question 1 › answer: a numeric answer must be a finite number within the float range, not an integer of "
     "about 400 digits"),
    ('<curriculum_quiz url_name="ai-check">[1, 2]</curriculum_quiz>',
     '<curriculum_quiz url_name="ai-check">: the <curriculum_quiz> element must hold a JSON object'),
])
def test_importing_an_element_without_a_valid_quiz_is_an_error_naming_it(course: Course, xml, message):
    runtime = course.runtime("learner-1")
    before = snapshot(course)
    with pytest.raises(olx.OlxError) as raised:
        runtime.parse_xml_string(xml)
    assert message in str(raised.value)
    assert snapshot(course) == before  # no empty block was made


def test_every_workbench_scenario_parses_and_renders(course: Course):
    scenarios_list = CurriculumQuizBlock.workbench_scenarios()
    types = set()
    runtime = course.runtime("learner-1")
    for title, xml in scenarios_list:
        block = runtime.get_block(runtime.parse_xml_string(xml))
        html = render(block).content
        assert "<fieldset" in html, title
        types |= {q["type"] for q in block.quiz["questions"]}
    assert types == {"single", "multiple", "true-false", "numeric", "text", "ordering", "matching"}
    assert len(scenarios_list) >= 7
