"""Fixtures of the security tests: Debian's Chromium driven by Playwright, and a static server.

Without /usr/bin/chromium (or $CMIO_CHROMIUM) the browser tests fail; they never skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`folder` served by http.server on 127.0.0.1 (as any static web server would); yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")  # one Playwright at a time: other modules start their own
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM} "
                    "(apt-get install chromium, or set CMIO_CHROMIUM)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
        yield browser
        browser.close()
