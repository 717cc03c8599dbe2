"""`curriculum serve`: the live preview rebuilds when sources change and keeps serving the last
good build while the sources have errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sitehelpers import site_copy

from curriculum.site.serve import Preview


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0, what: str = "the preview") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_preview_rebuilds_on_change_and_survives_errors(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    messages: list[str] = []
    preview = Preview(root, port=0, interval=0.1, log=messages.append)
    preview.start()
    try:
        state = json.loads(get(preview.url + ".cmio-preview.json"))
        assert state == {"build": 1, "errors": ""}
        page = get(preview.url + "lectures/ai/ai-models/")
        assert "What clinical AI models do" in page and "assets/preview.js" in page
        assert "臨床AI模型在做什麼" in get(preview.url + "zh-TW/lectures/ai/ai-models/")

        lecture = root / "lectures" / "ai" / "ai-models.md"
        lecture.write_text(lecture.read_text(encoding="utf-8").replace(
            "title: What clinical AI models do", "title: What clinical AI models really do"), encoding="utf-8")
        wait_for(lambda: preview.state()["build"] == 2)
        assert "What clinical AI models really do" in get(preview.url + "lectures/ai/ai-models/")

        # a mistake: the last good build stays up, the errors are reported
        lecture.write_text(lecture.read_text(encoding="utf-8").replace("duration: 45", "duration: forty"),
                           encoding="utf-8")
        wait_for(lambda: preview.state()["errors"] != "")
        assert "lectures/ai/ai-models.md" in preview.state()["errors"]
        assert preview.state()["build"] == 2
        assert "What clinical AI models really do" in get(preview.url + "lectures/ai/ai-models/")

        # mkdocs.yml is watched too
        lecture.write_text(lecture.read_text(encoding="utf-8").replace("duration: forty", "duration: 45"),
                           encoding="utf-8")
        wait_for(lambda: preview.state() == {"build": 3, "errors": ""})
        settings = root / "mkdocs.yml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("primary: indigo", "primary: blue grey"),
                            encoding="utf-8")
        wait_for(lambda: preview.state()["build"] == 4)
        assert any("changed: mkdocs.yml" in m for m in messages)
    finally:
        preview.stop()
    assert not preview.work.exists()
    try:
        get(preview.url)
        raise AssertionError("the server still answers after stop()")
    except (urllib.error.URLError, ConnectionError):
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_curriculum_serve_command(tmp_path: Path) -> None:
    root = site_copy(tmp_path / "curriculum")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "curriculum", "serve", "--root", str(root), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stderr.readline()
            lines.append(line)
            if "Serving the preview at" in line or not line:
                break
        assert any(f"http://127.0.0.1:{port}/" in line for line in lines), lines
        assert "Mini CMIO Programme" in get(f"http://127.0.0.1:{port}/")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


def test_serve_reports_a_port_in_use(tmp_path: Path, capsys) -> None:
    from curriculum.cli import main

    root = site_copy(tmp_path / "curriculum")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert main(["serve", "--root", str(root), "--port", str(port)]) == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_browser_that_leaves_mid_page_prints_no_traceback(capsys) -> None:
    import http.server

    from curriculum.site.serve import _Server

    server = _Server(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "Connection reset by peer")):
            try:
                raise gone
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == "", "a reload or a closed tab is not an error"
        try:
            raise ValueError("a real failure")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: a real failure" in capsys.readouterr().err, "other errors are still shown"
    finally:
        server.server_close()
