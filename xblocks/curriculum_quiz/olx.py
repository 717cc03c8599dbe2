"""The OLX form of a curriculum quiz: one ``<curriculum_quiz>`` element.

The XBlock's ``add_xml_to_node`` / ``parse_xml`` and the curriculum pipeline's course exporter
both use this module, so an exported course and a block exported from Studio have exactly the
same form. Pure Python (xml.etree from the standard library); imports nothing from XBlock and
works on lxml elements too.

The element::

    <curriculum_quiz xblock-family="xblock.v1" display_name="Check your understanding"
                     lecture_id="ai-what-models-do" lecture_version="1.0.0" language="en"
                     weight="1.0">{"id": "ai-what-models-do-check", ...}</curriculum_quiz>

* attributes in the fixed order of :data:`ATTRIBUTE_ORDER`, each written only when it has a
  value (``url_name`` first, when the exporter gives one);
* the text is the quiz mapping, exactly as its ```quiz fence defines it, as JSON
  (:func:`quiz_text`: two-space indent, keys in their source order, non-ASCII kept as is),
  which round-trips every value a quiz can hold.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

TAG = "curriculum_quiz"
XBLOCK_FAMILY = "xblock.v1"
# Block fields stored as attributes, in the order they are written.
FIELD_ATTRIBUTES = ("display_name", "lecture_id", "lecture_version", "language", "weight")
ATTRIBUTE_ORDER = ("url_name", "xblock-family") + FIELD_ATTRIBUTES

# Characters JSON may leave unescaped that XML 1.0 does not allow in text.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


class OlxError(ValueError):
    """A <curriculum_quiz> element that cannot be read."""


def quiz_text(quiz: Mapping[str, Any]) -> str:
    """The element text for ``quiz``: deterministic JSON that XML can carry."""
    text = json.dumps(quiz, ensure_ascii=False, indent=2)
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def quiz_element_attributes(*, url_name: str | None = None, display_name: str | None = None,
                            lecture_id: str | None = None, lecture_version: str | None = None,
                            language: str | None = None, weight: float | None = None) -> dict[str, str]:
    """The attributes of the element, in writing order; unset (None or empty) values are left out.

    ``xblock-family`` is always present. ``weight`` is written with ``repr`` of the float.
    """
    values: dict[str, Any] = {
        "url_name": url_name, "xblock-family": XBLOCK_FAMILY, "display_name": display_name,
        "lecture_id": lecture_id, "lecture_version": lecture_version, "language": language,
        "weight": None if weight is None else repr(float(weight)),
    }
    return {name: str(values[name]) for name in ATTRIBUTE_ORDER if values[name] not in (None, "")}


def fill_quiz_element(node: Any, quiz: Mapping[str, Any], **attributes: Any) -> Any:
    """Make ``node`` (an xml.etree or lxml element) the ``<curriculum_quiz>`` element of ``quiz``.

    Keyword arguments are those of :func:`quiz_element_attributes`. The node's ``url_name``
    is kept unless one is given; other attributes it has that are not among
    :data:`ATTRIBUTE_ORDER` are kept after ours. Children are removed. Returns ``node``.
    """
    if attributes.get("url_name") is None and node.get("url_name"):
        attributes["url_name"] = node.get("url_name")
    others = [(k, v) for k, v in node.items() if k not in ATTRIBUTE_ORDER]
    node.attrib.clear()
    node.tag = TAG
    for name, value in quiz_element_attributes(**attributes).items():
        node.set(name, value)
    for name, value in others:
        node.set(name, value)
    for child in list(node):
        node.remove(child)
    node.text = quiz_text(quiz)
    return node


def quiz_element(quiz: Mapping[str, Any], **attributes: Any) -> ET.Element:
    """A new xml.etree ``<curriculum_quiz>`` element (see :func:`fill_quiz_element`)."""
    return fill_quiz_element(ET.Element(TAG), quiz, **attributes)


def quiz_xml(quiz: Mapping[str, Any], *, url_name: str | None = None, display_name: str | None = None,
             lecture_id: str | None = None, lecture_version: str | None = None, language: str | None = None,
             weight: float | None = None) -> str:
    """The ``<curriculum_quiz>`` element of ``quiz`` serialised as text (no XML declaration).

    This is the exact form a course export should contain, e.g. in
    ``curriculum_quiz/<url_name>.xml`` (write it UTF-8 encoded). Example::

        quiz_xml(quiz, url_name="ai-models-check", display_name=quiz["title"],
                 lecture_id="ai-what-models-do", lecture_version="1.0.0", language="en")
    """
    element = quiz_element(quiz, url_name=url_name, display_name=display_name, lecture_id=lecture_id,
                           lecture_version=lecture_version, language=language, weight=weight)
    # xml.etree writes a tab in an attribute as &#09;, lxml (which exports blocks) as &#9;.
    return ET.tostring(element, encoding="unicode").replace("&#09;", "&#9;")


def read_quiz_element(node: Any) -> dict[str, Any]:
    """Field values from a ``<curriculum_quiz>`` element: ``quiz`` and the attributes that are set.

    ``weight`` comes back as a float. The quiz may also be given as a JSON ``quiz`` attribute
    (XBlock's generic export form). Raises :class:`OlxError` if the quiz is not a JSON object.
    """
    values: dict[str, Any] = {}
    for name in FIELD_ATTRIBUTES:
        raw = node.get(name)
        if raw is None:
            continue
        if name == "weight":
            try:
                values[name] = float(raw)
            except ValueError:
                raise OlxError(f"weight must be a number, not {raw!r}") from None
        else:
            values[name] = raw
    source = (node.text or "").strip() or (node.get("quiz") or "").strip()
    if source:
        try:
            quiz = json.loads(source)
        except ValueError as err:
            raise OlxError(f"the <{TAG}> element must hold the quiz as JSON: {err}") from None
        if not isinstance(quiz, dict):
            raise OlxError(f"the <{TAG}> element must hold a JSON object, not {type(quiz).__name__}")
        values["quiz"] = quiz
    return values
