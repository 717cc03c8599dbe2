"""`curriculum schema`: JSON Schemas of every authoring document, generated from the specs
that the checker itself uses, so editors and `curriculum check` never disagree."""

from __future__ import annotations

import json
from pathlib import Path

from curriculum_quiz import model as quizmodel

from . import schema

DOCUMENTS = {
    "programme": (schema.PROGRAMME, "programme.yml"),
    "domain": (schema.DOMAIN, "domains/<domain>.yml"),
    "lecture": (schema.LECTURE, "lecture front matter (lectures/<domain>/<id>.md)"),
    "translation": (schema.TRANSLATION, "translation front matter (lectures/<domain>/<id>.<lang>.md)"),
    "glossary": (schema.GLOSSARY, "glossary.yml"),
}


def schemas() -> dict[str, dict]:
    out = {}
    for name, (spec, title) in DOCUMENTS.items():
        out[name] = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **spec.json_schema()}
    out["quiz"] = quizmodel.json_schema()
    return out


def render(name: str, document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, document in schemas().items():
        path = dest / f"{name}.schema.json"
        path.write_text(render(name, document), encoding="utf-8")
        written.append(path)
    return written
