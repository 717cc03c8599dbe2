"""Safe YAML loading that remembers where every value came from.

PyYAML's C parser composes the node graph; we construct plain values from it ourselves, because
we need what SafeLoader does not give: the line and column of every key and value, duplicate
keys as errors, and a hard bound on how much an alias may expand (a "billion laughs" document
composes in microseconds but would construct forever).

Mappings become `YMap` and sequences `YList`: ordinary dict/list subclasses that also carry
positions, so the rest of the pipeline can treat them as plain data and still point at a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Pos

try:  # the C parser is much faster; fall back quietly where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)


class YAMLProblem(Exception):
    def __init__(self, rule: str, message: str, pos: Pos) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.pos = pos


def _packed(mark) -> int:
    """A YAML mark's line and column in one int: a mark object would keep far more memory alive
    (a curriculum holds hundreds of thousands of positions)."""
    return mark.line << 32 | mark.column


class _Positions:
    """Positions of a container's keys, values or items, kept packed (see _packed) until asked for.

    Converting lazily keeps loading fast: most positions are never looked at.
    """

    __slots__ = ("marks", "line_offset", "col_offset")

    def __init__(self, marks, line_offset: int, col_offset: int) -> None:
        self.marks = marks
        self.line_offset = line_offset
        self.col_offset = col_offset

    def __getitem__(self, key) -> Pos:
        packed = self.marks[key]
        return Pos((packed >> 32) + 1 + self.line_offset, (packed & 0xFFFFFFFF) + 1 + self.col_offset)

    def __contains__(self, key) -> bool:
        return key in self.marks

    def __len__(self) -> int:
        return len(self.marks)

    def __iter__(self):
        return (self[k] for k in (range(len(self.marks)) if isinstance(self.marks, list) else self.marks))


class YMap(dict):
    """A mapping with the position of the mapping, of each key and of each value."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos, key_pos: _Positions, value_pos: _Positions) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos = key_pos
        self.value_pos = value_pos


class YList(list):
    """A sequence with its own position and that of each item."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos, item_pos: _Positions) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos = item_pos


def locate(root: Any, path: tuple, key: bool = False) -> Pos | None:
    """Position of the value at `path` (or of its key, with key=True).

    Where the path leaves the document (a missing required field), the deepest existing
    container's position is returned, which is where the author must add it.
    """
    node = root
    pos = getattr(root, "pos", None)
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, YMap) and step in node:
            pos = node.key_pos[step] if (last and key) else node.value_pos[step]
            node = node[step]
        elif isinstance(node, YList) and isinstance(step, int) and 0 <= step < len(node):
            pos = node.item_pos[step]
            node = node[step]
        else:
            break
    return pos


_SCALARS: dict[str, Callable[[Any, ScalarNode], Any]] = dict(yaml.constructor.SafeConstructor.yaml_constructors)
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}
_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp",
}


class _Builder:
    def __init__(self, line_offset: int, col_offset: int, budget: int) -> None:
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.budget = budget
        self.constructor = yaml.constructor.SafeConstructor()

    def pos(self, node: Node) -> Pos:
        mark = node.start_mark
        return Pos(mark.line + 1 + self.line_offset, mark.column + 1 + self.col_offset)

    def build(self, node: Node, depth: int = 0, in_list: bool = False) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YAMLProblem("yaml-alias", "aliases expand to more values than the document holds "
                              "(an alias bomb or a recursive alias); write the values out", self.pos(node))
        if depth > MAX_DEPTH:
            raise YAMLProblem("yaml-syntax", f"nesting deeper than {MAX_DEPTH} levels", self.pos(node))
        if isinstance(node, ScalarNode):
            return node.value if node.tag == _STR else self.scalar(node)
        if node.tag not in _COLLECTION_TAGS:
            raise YAMLProblem("yaml-syntax", f"YAML tags are not allowed here: {node.tag}", self.pos(node))
        if isinstance(node, SequenceNode):
            marks: list = []
            seq = YList(self.pos(node), _Positions(marks, self.line_offset, self.col_offset))
            for item in node.value:
                marks.append(_packed(item.start_mark))
                seq.append(self.build(item, depth + 1, in_list=True))
            return seq
        if isinstance(node, MappingNode):
            key_marks: dict = {}
            value_marks: dict = {}
            out = YMap(self.pos(node), _Positions(key_marks, self.line_offset, self.col_offset),
                       _Positions(value_marks, self.line_offset, self.col_offset))
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise YAMLProblem("yaml-syntax", "mapping keys must be plain values, not lists or mappings",
                                      self.pos(key_node))
                key = key_node.value if key_node.tag == _STR else self.scalar(key_node)
                if key in key_marks:
                    first = out.key_pos[key]
                    new_item = in_list and key == next(iter(key_marks))  # "id:" again: the next item's first key
                    fix = (f"if this line starts a new list item, put '- ' before {key!r}, like the item above"
                           if new_item else "keep one of the two (YAML would silently drop one)")
                    raise YAMLProblem("yaml-duplicate-key",
                                      f"duplicate key {key!r} (first defined at line {first.line}): {fix}",
                                      self.pos(key_node))
                key_marks[key] = _packed(key_node.start_mark)
                value_marks[key] = _packed(value_node.start_mark)
                out[key] = self.build(value_node, depth + 1)
            return out
        raise YAMLProblem("yaml-syntax", "unsupported YAML node", self.pos(node))  # pragma: no cover

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            if tag in _PLAIN_TAGS:
                return node.value  # merge keys ("<<") and "=" are plain text here
            raise YAMLProblem("yaml-syntax", f"YAML tags are not allowed here: {tag}", self.pos(node))
        try:
            return _SCALARS[tag](self.constructor, node)
        except (ValueError, yaml.YAMLError) as exc:
            raise YAMLProblem("yaml-syntax", f"invalid {tag.rsplit(':', 1)[-1]} value {node.value!r}: {exc}",
                              self.pos(node)) from None


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int, int]:
    """The parser's complaint as an author can act on it: (message, line, column), at the line
    where the mistake is. The parser's own words follow in brackets, for those who know YAML."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    raw = " ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    above = next((lines[i] for i in range(line - 2, -1, -1) if lines[i].strip() and
                  not lines[i].lstrip().startswith("#")), "")

    def indent(value: str) -> int:
        return len(value) - len(value.lstrip(" "))

    def content_indent(value: str) -> int:  # where a list item's keys start: after its "- "
        column, rest = indent(value), value.lstrip(" ")
        while rest.startswith("- "):
            column, rest = column + 2 + indent(rest[2:]), rest[2:].lstrip(" ")
        return column

    def new_item_hint() -> str:
        same = [v for v in lines[:line - 1] if v.strip() and indent(v) == indent(here)]
        if same and same[-1].lstrip().startswith("- ") and not here.lstrip().startswith("- "):
            return " (a new list item starts with '- ')"
        return ""

    def item_above() -> int | None:
        """The list item before an over-indented one: the item whose keys start where this dash does."""
        if not here.lstrip().startswith("- "):
            return None
        return next((i + 1 for i in range(line - 2, -1, -1) if lines[i].lstrip().startswith("- ")
                     and indent(lines[i]) < indent(here) == content_indent(lines[i])), None)

    problem = exc.problem or ""
    unclosed = _unclosed_quote(lines, line)
    sibling = item_above() if "did not find expected key" in problem else None
    if unclosed is not None:
        line, col = unclosed
        message = "this quote is never closed: close it at the end of the value, or remove it"
    elif sibling is not None:
        width = indent(lines[sibling - 1])
        above_item = lines[sibling - 1].strip()
        above_item = above_item if len(above_item) <= 40 else above_item[:37] + "…"
        message = f"this list item is indented {indent(here)} spaces but the item above it ('{above_item}') " \
                  f"{width} spaces: move this line and the rest of its item {indent(here) - width} spaces to the left"
        col = 1
    elif "mapping values are not allowed" in problem:
        value = here.lstrip(" -").partition(": ")[2]  # what follows the line's own key
        if ": " not in value and indent(here) > content_indent(above) and not above.rstrip().endswith(":"):
            message = f"this line is indented more than the line above it: indent it by {content_indent(above)} " \
                      "spaces, like the line above"
            col = 1
        else:
            message = "a colon followed by a space inside a value: put the whole value in quotes, " \
                      "e.g. title: \"Governance: who decides\""
    elif "expected <block end>" in problem:
        message = "this line's indentation does not match the lines above it: indent it like the other " \
                  "entries of the same list or mapping" + new_item_hint()
        col = 1
    elif "did not find expected '-' indicator" in problem and not here.lstrip().startswith("-"):
        message = "a new list item starts with '- ': add it at the start of this line, indented like " \
                  "the items above"
        col = 1
    elif "did not find expected '-' indicator" in problem or "did not find expected key" in problem:
        message = "this line's indentation does not match the lines above it: indent it like the line above" \
                  + new_item_hint()
        col = 1
    elif "did not find expected ',' or" in problem:
        message = "inside { } or [ ], a value with ': ' or ',' in it needs quotes, and every bracket needs its " \
                  "closing one: e.g. title: {en: \"Governance: who decides\", zh-TW: 治理}"
    elif "cannot start any token" in problem and here[col - 1:col] in ("`", "@"):
        message = "a value cannot start with ` or @: put the whole value in quotes"
    else:
        return raw, line, col
    return f"{message} [{raw}]", line, col


# A value that opens with a quote: after "key: " or "- " at the start of a line.
_QUOTED_VALUE = re.compile(r"^[ ]*(?:-[ ]+)*(?:[^\s#'\"-][^:#]*:[ ]+|-[ ]+)?(?P<q>[\"'])")


def _unclosed_quote(lines: list[str], upto: int) -> tuple[int, int] | None:
    """(line, column) of the first quoted value before line `upto` that its own line does not close.
    A quoted value may go on over several lines, which is legal and rare; where the parser has
    failed, the quote left open is the likely mistake."""
    for number in range(1, min(upto, len(lines)) + 1):
        text = lines[number - 1]
        match = _QUOTED_VALUE.match(text)
        if not match:
            continue
        quote = match["q"]
        if not _closes(text[match.end():], quote) and not any(_closes(lines[k], quote)
                                                              for k in range(number, upto - 1)):
            return number, match.start("q") + 1  # closed neither on its line nor before the failure
    return None


def _closes(text: str, quote: str) -> bool:
    if quote == '"':
        return re.search(r'(?<!\\)(?:\\\\)*"', text) is not None
    return re.search(r"'(?!')", text.replace("''", "")) is not None


def load(text: str, line_offset: int = 0, col_offset: int = 0) -> Any:
    """Parse one YAML document; raise YAMLProblem with a position on any problem.

    `line_offset`/`col_offset` shift positions so that YAML embedded in a Markdown file (front
    matter, quiz fences) reports lines of the Markdown file.
    """
    match = _TAB_INDENT.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        col = match.end() - match.start()
        raise YAMLProblem("yaml-tab", "a tab character in the indentation: YAML allows only spaces here; replace "
                          "the tab with spaces, as many as the lines around it use (most editors can be set to "
                          "insert spaces for the Tab key)", Pos(line + line_offset, col + col_offset))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        message, line, col = explain(exc, text)
        raise YAMLProblem("yaml-syntax", message, Pos(line + line_offset, col + col_offset)) from None
    except yaml.YAMLError as exc:
        raise YAMLProblem("yaml-syntax", str(exc).splitlines()[0], Pos(1 + line_offset, 1 + col_offset)) from None
    if node is None:
        return None
    # Without aliases a document has fewer nodes than characters; beyond that, aliases are
    # multiplying values.
    builder = _Builder(line_offset, col_offset, budget=len(text) + 100)
    try:
        return builder.build(node)
    except RecursionError:
        raise YAMLProblem("yaml-syntax", "the document nests too deeply", Pos(1 + line_offset, 1)) from None
