"""The quiz as YAML in the ```quiz fence syntax, for editing in Studio.

Loading is safe and strict: duplicate keys and aliases are errors, and the input size is
bounded, so no input can exhaust the server. Dumping writes the fence style authors use
(block mappings, short lists of scalars inline).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

MAX_YAML_BYTES = 256 * 1024
_FLOW_LIST_WIDTH = 72


class YamlError(ValueError):
    """YAML that cannot be read, with the line and column (1-based) when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"


class _StrictLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError("aliases (*name) are not allowed", event.start_mark.line + 1, event.start_mark.column + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise YamlError("mapping keys must be text or numbers", key_node.start_mark.line + 1,
                                key_node.start_mark.column + 1) from None
            if duplicate:
                mark = key_node.start_mark
                raise YamlError(f"duplicate key {key!r} (first on line {seen[key].line + 1})", mark.line + 1,
                                mark.column + 1)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_mapping)


def load_quiz_yaml(text: str) -> Any:
    """Parse quiz YAML; raises :class:`YamlError` with a position for anything malformed."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlError(f"the quiz is larger than {MAX_YAML_BYTES // 1024} KB")
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlError:
        raise
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = " ".join(str(part) for part in (err.context, err.problem) if part)
        if mark is None:
            raise YamlError(message) from None
        raise YamlError(message, mark.line + 1, mark.column + 1) from None
    except (yaml.YAMLError, RecursionError) as err:
        raise YamlError(f"the YAML cannot be read: {err.__class__.__name__}") from None


class _FenceDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
    scalars = all(isinstance(v, (str, int, float, bool)) and not (isinstance(v, str) and "\n" in v) for v in value)
    flow = bool(value) and scalars and sum(len(str(v)) + 2 for v in value) <= _FLOW_LIST_WIDTH
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, value: Mapping) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=False)


_FenceDumper.add_representer(str, _represent_str)
_FenceDumper.add_representer(list, _represent_list)
_FenceDumper.add_representer(dict, _represent_dict)


def dump_quiz_yaml(quiz: Mapping[str, Any]) -> str:
    """The quiz as YAML in fence style; :func:`load_quiz_yaml` reads it back to an equal mapping."""
    return yaml.dump(dict(quiz), Dumper=_FenceDumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
