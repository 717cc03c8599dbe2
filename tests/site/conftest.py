"""Fixtures of the course-site tests: the small site curriculum, built once per session and per
engine with the real `curriculum build site --engine mkdocs|zensical` (real MkDocs, real
Zensical), served from 127.0.0.1, and Debian's Chromium.

A test module that sets `SITE_ENGINES = ENGINES` runs each of its tests that uses the built site
once per engine (the `engine` fixture); the others use the MkDocs build (the default engine).
A feature one engine lacks is marked with `lacking(...)` (an expected failure that must keep
failing, listed in docs/engines.md).

Without /usr/bin/chromium (or $CMIO_CHROMIUM) the browser tests fail; they never skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sitehelpers import site_copy
from staticserver import serve


@pytest.fixture(scope="session")
def build_with(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """`build_with(engine)`: the fixture curriculum (a git repository) after `curriculum build site
    --engine ENGINE`, built once per session; returns its root."""
    from curriculum.cli import main

    roots: dict[str, Path] = {}

    def build(engine: str) -> Path:
        if engine not in roots:
            root = site_copy(tmp_path_factory.mktemp(f"site-{engine}") / "curriculum", git=True)
            assert main(["build", "site", "--root", str(root), "--engine", engine]) == 0
            roots[engine] = root
        return roots[engine]

    return build


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    engines = getattr(metafunc.module, "SITE_ENGINES", None)
    if engines and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", engines, indirect=True, scope="session")


@pytest.fixture(scope="session")
def engine(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "mkdocs")


@pytest.fixture(scope="session")
def built(engine: str, build_with: Callable[[str], Path]) -> Path:
    """The fixture curriculum built by `engine`; returns its root."""
    return build_with(engine)


def lacking(request: pytest.FixtureRequest, engine: str, lacks: str, reason: str) -> None:
    """Mark the running test as an expected failure on the engine `lacks` (docs/engines.md lists
    each); strict, so the day the engine gains the feature the test says so."""
    if engine == lacks:
        request.applymarker(pytest.mark.xfail(reason=f"{lacks}: {reason}", strict=True))


@pytest.fixture(scope="session")
def site_dir(built: Path) -> Path:
    return built / "build" / "site"


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """build/site served by http.server on 127.0.0.1 (as any static web server would)."""
    with serve(site_dir) as url:
        yield url


@dataclass
class Web:
    """A fresh browser context and page that records every request it makes."""

    page: object
    context: object
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests that left 127.0.0.1 (blob: and data: URLs stay in the page)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("blob", "data", "about"):
                continue
            if parts.hostname != "127.0.0.1":
                out.append(url)
        return out


@pytest.fixture()
def web(chromium, site_url: str) -> Iterator[Web]:
    context = chromium.new_context(accept_downloads=True, locale="en-US")
    page = context.new_page()
    web = Web(page, context)
    context.on("request", lambda request: web.requests.append(request.url))
    page.on("pageerror", lambda error: web.errors.append(str(error)))
    page.on("console", lambda message: web.errors.append(message.text) if message.type == "error" else None)
    yield web
    context.close()
    assert web.foreign() == [], f"requests left the site's origin: {web.foreign()}"
    assert web.errors == [], f"JavaScript errors: {web.errors}"
