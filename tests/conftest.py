from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path(os.environ.get("CMIO_CHROMIUM", "/usr/bin/chromium"))
REPO = Path(__file__).parent.parent


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small valid curriculum, for tests that break or build it."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "minimal", root)
    return root


@pytest.fixture(scope="module")  # one Playwright at a time: other modules (and the XBlock's tests) start their own
def chromium():
    """Debian's Chromium driven by Playwright. Without it the browser tests fail; they never skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is required for the browser tests and was not found at {CHROMIUM} "
                    "(apt-get install chromium, or set CMIO_CHROMIUM)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless=new"])
        yield browser
        browser.close()
