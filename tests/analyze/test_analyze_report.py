"""The committee report (--out): index.html opened in headless Chromium, summary.md, determinism."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cohort import EXAM_ITEMS, FIXTURE, rows_for, simulate, write_report
from playwright.sync_api import sync_playwright

from curriculum.cli import main

CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))
CHOICE_QUESTIONS = [item.id for item in EXAM_ITEMS if item.kind in ("single", "multiple")]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    responses = write_report(folder / "responses.csv", rows_for(simulate(120), EXAM_ITEMS))
    out = folder / "out"
    assert main(["analyze", str(responses), "--root", str(FIXTURE), "--out", str(out)]) == 0
    return out


def test_report_in_chromium_makes_no_outside_request(built: Path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (or set CMIO_CHROMIUM)", pytrace=False)
    page_url = (built / "index.html").as_uri()
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_url)
            page.wait_for_load_state("networkidle")
            charts = page.locator("figure.chart")
            assert charts.count() == len(CHOICE_QUESTIONS)
            assert [charts.nth(i).get_attribute("data-question") for i in range(charts.count())] == CHOICE_QUESTIONS
            for i in range(charts.count()):
                svg = charts.nth(i).locator("svg")
                assert svg.get_attribute("role") == "img"
                box = svg.bounding_box()
                assert box and box["width"] > 200 and box["height"] > 100  # drawn, not an empty element
                assert svg.locator("path, rect, use").count() > 10  # bars, axes and ticks
            assert "q-easy" in page.locator("table.questions").inner_text()
            assert "item-too-easy" in page.locator("table.questions").inner_text()
            assert page.locator("ul.findings li").count() >= 3
            assert page.locator("script").count() == 0
        finally:
            browser.close()
    assert requests == [page_url]  # the page itself and nothing else: no fonts, scripts or images


def test_summary_markdown(built: Path):
    summary = (built / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## Item analysis\n")
    assert "| question | line | n | difficulty | discrimination | upper–lower | choices (✓ key) | flags |" in summary
    assert "`item-too-easy`" in summary


def test_report_is_deterministic(built: Path, tmp_path: Path):
    responses = write_report(tmp_path / "responses.csv", rows_for(simulate(120), EXAM_ITEMS))
    again = tmp_path / "again"
    assert main(["analyze", str(responses), "--root", str(FIXTURE), "--out", str(again)]) == 0
    for name in ("index.html", "summary.md"):
        assert (again / name).read_bytes() == (built / name).read_bytes(), name
    html = (built / "index.html").read_text(encoding="utf-8")
    assert "<metadata" not in html and "<?xml" not in html  # inline SVG without dates or tool stamps


def test_rerun_replaces_the_report(built: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier run", encoding="utf-8")
    responses = write_report(tmp_path / "responses.csv", rows_for(simulate(30), EXAM_ITEMS))
    assert main(["analyze", str(responses), "--root", str(FIXTURE), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "summary.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "responses.csv"]  # no temporary folders left
