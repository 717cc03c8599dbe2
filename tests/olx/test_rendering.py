"""Rendering for the export: parallel rendering gives exactly what one Markdown instance gives."""

from __future__ import annotations

from pathlib import Path

from curriculum.olx import content
from curriculum.olx.content import Renderer

REPO = Path(__file__).parent.parent.parent

TEXTS = [
    '=== "A"\n    one\n=== "B"\n    two\n\nText[^1] and *HTML* [1].\n\n[^1]: Note.\n\n*[HTML]: Hyper Text Markup\n\n'
    "## Heading\n\n## Heading\n\n- [x] done\n\n??? note \"More\"\n    x\n\n\\(a+b\\)\n\n```python\nx = 1\n```\n",
    "## 臨床決策支援\n\nOther[^1] [2].\n\n[^1]: Second note.\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
]


def test_parallel_rendering_equals_one_instance_in_any_order(monkeypatch):
    texts = [f"{text}\n\nParagraph {n}.\n" for n in range(12) for text in TEXTS]
    serial = Renderer(REPO)
    expected = [serial.render(text) for text in reversed(texts)][::-1]
    monkeypatch.setattr(content, "PARALLEL_MIN_TEXTS", 4)
    parallel = Renderer(REPO)
    parallel.prerender(texts)
    assert [parallel._memo[text] for text in texts] == expected
    assert 'id="__tabbed_1_1"' in expected[0] and 'href="#fn:1"' in expected[0]
