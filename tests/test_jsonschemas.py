"""The committed JSON Schemas are the generated ones, and they accept the curriculum's documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import yaml

from curriculum import jsonschemas

REPO = Path(__file__).parent.parent
MINI = Path(__file__).parent / "fixtures" / "minimal"


def plain(value):
    """YAML dates as the strings JSON Schema's "format: date" expects."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def test_committed_schemas_are_current():
    for name, document in jsonschemas.schemas().items():
        committed = (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert committed == jsonschemas.render(name, document), f"run `curriculum schema` to refresh {name}"


def test_schemas_accept_the_fixture_and_reject_a_typo():
    schemas = jsonschemas.schemas()
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(plain(yaml.safe_load((MINI / "programme.yml").read_text())), schemas["programme"])
    jsonschema.validate(plain(yaml.safe_load((MINI / "glossary.yml").read_text())), schemas["glossary"])
    for domain in (MINI / "domains").glob("*.yml"):
        jsonschema.validate(plain(yaml.safe_load(domain.read_text())), schemas["domain"])
    text = (MINI / "lectures/ai/ai-models.md").read_text()
    front = plain(yaml.safe_load(text.split("---\n")[1]))
    jsonschema.validate(front, schemas["lecture"])
    quiz = yaml.safe_load(re.search(r"```quiz\n(.*?)```", text, re.S).group(1))
    jsonschema.validate(quiz, schemas["quiz"])
    front["titel"] = front.pop("title")
    assert not jsonschema.Draft202012Validator(schemas["lecture"]).is_valid(front)


def test_schema_command_writes_files(tmp_path: Path):
    from curriculum.cli import main

    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "quiz.schema.json").read_text())["title"] == "Quiz fence"
