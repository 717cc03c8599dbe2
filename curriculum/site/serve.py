"""`curriculum serve`: a live preview of the course site for faculty.

The curriculum is checked and built (both languages, exactly as `curriculum build site` does,
plus a small script that reloads the page) into a temporary folder, served on 127.0.0.1 by
Python's http.server. A watcher polls lectures/, domains/, programme.yml, glossary.yml and
mkdocs.yml; after a change settles it checks and rebuilds, and open pages reload. While the
sources have errors the last good build stays up and the errors show in a banner (and in the
terminal).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import checks
from ..diagnostics import Report, render
from ..errors import SiteBuildError
from .build import build_site

WATCHED_FILES = ("mkdocs.yml", "programme.yml", "glossary.yml")
WATCHED_FOLDERS = ("lectures", "domains")
STATE_PATH = "/.cmio-preview.json"


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every watched file."""
    found: dict[str, tuple[int, int]] = {}
    paths = [root / name for name in WATCHED_FILES]
    for folder in WATCHED_FOLDERS:
        for dirpath, _dirs, files in os.walk(root / folder):
            paths += [Path(dirpath) / name for name in files]
    for path in paths:
        with contextlib.suppress(OSError):
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


class Preview:
    """Builds, serves and rebuilds; `start()` returns once the first build is done."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.5,
                 log: Callable[[str], None] | None = None) -> None:
        self.root = Path(root).resolve()
        self.host, self.port = host, port
        self.interval = interval
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.work = Path(tempfile.mkdtemp(prefix="curriculum-preview-"))
        self.current: Path | None = None
        self.build_number = 0
        self.errors = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    # -- building ----------------------------------------------------------------------------

    def rebuild(self) -> bool:
        """Check and build; on success the new build is served. False when the sources have errors."""
        started = time.monotonic()
        report = Report()
        try:
            curriculum = checks.check(self.root, report)
            if curriculum is None or report.errors:
                raise SiteBuildError("the curriculum has errors",
                                     details=render([d for d in report.sorted() if d.severity == "error"], "text")
                                     .splitlines())
            target = self.work / f"build-{self.build_number + 1}"
            build_site(curriculum, target, preview=True, drafts=True)
        except SiteBuildError as exc:
            with self._lock:
                self.errors = exc.text()
            self.log(f"preview not rebuilt: {exc.text()}")
            return False
        except Exception as exc:  # keep serving the last good build
            with self._lock:
                self.errors = f"{type(exc).__name__}: {exc}"
            self.log(f"preview not rebuilt: {self.errors}")
            return False
        with self._lock:
            previous = self.current
            self.current = target
            self.build_number += 1
            self.errors = ""
        if previous is not None:
            threading.Timer(5.0, shutil.rmtree, args=(previous,), kwargs={"ignore_errors": True}).start()
        self.log(f"preview built in {time.monotonic() - started:.1f} s")
        return True

    def state(self) -> dict:
        with self._lock:
            return {"build": self.build_number, "errors": self.errors}

    # -- serving and watching ----------------------------------------------------------------

    def start(self) -> None:
        handler = functools.partial(_Handler, preview=self)
        self._server = http.server.ThreadingHTTPServer((self.host, self.port), handler)  # OSError: port taken
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._spawn(self._server.serve_forever)
        self.log(f"building the preview of {self.root} ...")
        self.rebuild()
        self._spawn(self._watch)

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        seen = snapshot(self.root)
        while not self._stop.wait(self.interval):
            now = snapshot(self.root)
            if now == seen:
                continue
            # Wait until editors have finished writing (two equal snapshots in a row).
            while not self._stop.wait(self.interval):
                settled = snapshot(self.root)
                if settled == now:
                    break
                now = settled
            if self._stop.is_set():
                return
            changed = sorted(k for k in set(now) | set(seen) if now.get(k) != seen.get(k))
            seen = now
            self.log(f"changed: {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}")
            self.rebuild()

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        shutil.rmtree(self.work, ignore_errors=True)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, preview: Preview, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.current or preview.work), **kwargs)

    def do_GET(self) -> None:  # noqa: N802
        if self.path.split("?", 1)[0] == STATE_PATH:
            self._send(200, "application/json", json.dumps(self.preview.state()).encode())
            return
        if self.preview.current is None:
            errors = self.preview.state()["errors"] or "building..."
            page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
                    "content=\"2\"><title>Preview not built</title></head><body><h1>The preview could not be built"
                    f"</h1><pre>{_escape(errors)}</pre></body></html>")
            self._send(503, "text/html; charset=utf-8", page.encode())
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the preview until interrupted (Ctrl-C); the command's exit code."""
    preview = Preview(root, host, port)
    try:
        preview.start()
    except OSError as exc:
        preview.stop()
        print(f"curriculum: cannot serve on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Serving the preview at {preview.url} (rebuilt when lectures, domains, programme.yml, "
          "glossary.yml or mkdocs.yml change); press Ctrl-C to stop.", file=sys.stderr, flush=True)
    previous = signal.signal(signal.SIGTERM, _interrupt) if threading.current_thread() is threading.main_thread() else None
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
