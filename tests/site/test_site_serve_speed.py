"""`curriculum serve` answers a reload quickly and never stale: every file carries an ETag of its
bytes, so an unchanged asset is revalidated (304) and a changed page comes back new (200); a
half-written save shows an error and keeps the last good build until the file is whole again.
Real preview server, real MkDocs updates, real Chromium."""

from __future__ import annotations

import http.client
import os
import time
from pathlib import Path

import pytest
from sitehelpers import site_copy

from curriculum.site.serve import Preview

LECTURE = "lectures/ai/ai-models.md"
PAGE = "/lectures/ai/ai-models/"
ASSET = "/assets/quiz.css"


def wait_for(predicate, timeout: float = 60.0, what: str = "the preview") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def preview(tmp_path: Path):
    preview = Preview(site_copy(tmp_path / "curriculum"), port=0, log=lambda text: None)
    preview.start()
    yield preview
    preview.stop()


def request(connection: http.client.HTTPConnection, path: str, tag: str | None = None) -> http.client.HTTPResponse:
    connection.request("GET", path, headers={"If-None-Match": tag} if tag else {})
    response = connection.getresponse()
    response.body = response.read()
    return response


def test_unchanged_files_revalidate_and_changed_ones_come_back_new(preview: Preview) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        page, asset = request(connection, PAGE), request(connection, ASSET)
        for response in (page, asset):
            assert response.status == 200 and response.getheader("Cache-Control") == "no-cache"
            assert response.getheader("ETag", "").startswith('"')
        assert b"Prediction models output scores" in page.body
        # the browser has them: 304s, no body, on the same (kept-alive) connection
        for path, response in ((PAGE, page), (ASSET, asset)):
            again = request(connection, path, response.getheader("ETag"))
            assert (again.status, again.body) == (304, b""), path
            assert again.getheader("ETag") == response.getheader("ETag")
        state = request(connection, "/.cmio-preview.json")
        assert state.getheader("Cache-Control") == "no-store" and state.getheader("ETag") is None

        lecture = preview.root / LECTURE
        lecture.write_text(lecture.read_text(encoding="utf-8").replace(
            "Prediction models output scores", "Prediction models (edited) output scores"), encoding="utf-8")
        wait_for(lambda: preview.state()["build"] == 2)
        changed = request(connection, PAGE, page.getheader("ETag"))
        assert changed.status == 200 and b"Prediction models (edited) output scores" in changed.body
        assert changed.getheader("ETag") != page.getheader("ETag")
        assert request(connection, ASSET, asset.getheader("ETag")).status == 304
        # a tag that never was, or a list of tags with the right one among them
        assert request(connection, ASSET, '"0000"').status == 200
        assert request(connection, ASSET, f'"0000", {asset.getheader("ETag")}').status == 304
    finally:
        connection.close()


def test_a_page_with_the_same_length_and_time_is_still_new(preview: Preview) -> None:
    """The tag is the bytes' hash: a file rewritten with as many bytes and its old time is new."""
    served = preview.current["en"] / PAGE.strip("/") / "index.html"
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        tag = request(connection, PAGE).getheader("ETag")
        stat = served.stat()
        data = served.read_bytes()
        served.write_bytes(data.replace(b"Prediction models output scores", b"Prediction models output SCORES"))
        os.utime(served, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert served.stat().st_size == stat.st_size and served.stat().st_mtime_ns == stat.st_mtime_ns
        response = request(connection, PAGE, tag)
        assert response.status == 200 and b"output SCORES" in response.body
    finally:
        connection.close()


def test_a_half_written_save_shows_an_error_and_keeps_the_last_good_build(preview: Preview) -> None:
    lecture = preview.root / LECTURE
    whole = lecture.read_text(encoding="utf-8").replace("Prediction models output scores",
                                                        "Prediction models (saved) output scores")
    # an editor that stopped half-way through the front matter (longer than the watcher waits)
    lecture.write_text(whole[:whole.index("duration:") + len("duration:")], encoding="utf-8")
    wait_for(lambda: preview.state()["errors"] != "", what="the error of the half-written file")
    assert LECTURE in preview.state()["errors"] and preview.state()["build"] == 1
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        assert b"Prediction models output scores" in request(connection, PAGE).body
        lecture.write_text(whole, encoding="utf-8")
        wait_for(lambda: preview.state() == {"build": 2, "errors": ""}, what="the whole file's build")
        assert b"Prediction models (saved) output scores" in request(connection, PAGE).body
    finally:
        connection.close()


def test_an_open_page_reloads_with_the_edit_and_revalidates_its_assets(preview: Preview, chromium) -> None:
    page = chromium.new_page()
    try:
        statuses: dict[str, int] = {}
        page.goto(preview.url + PAGE.lstrip("/"))
        page.wait_for_function("() => document.querySelector('script[src$=\"preview.js\"]') !== null")
        page.wait_for_timeout(300)  # its script waits on the server for the next build
        page.on("response", lambda response: statuses.setdefault(response.url.removeprefix(preview.url), response.status))
        lecture = preview.root / LECTURE
        with page.expect_event("load", timeout=60_000):
            lecture.write_text(lecture.read_text(encoding="utf-8").replace(
                "Prediction models output scores", "Prediction models (reloaded) output scores"), encoding="utf-8")
        assert "Prediction models (reloaded) output scores" in page.content()
        assert statuses[PAGE.lstrip("/")] == 200, statuses
        assert statuses[ASSET.lstrip("/")] == 304, statuses
        assert statuses["assets/preview.js"] == 304, statuses
    finally:
        page.close()
