"""`curriculum serve`: a live preview of the course site for faculty.

The curriculum is checked and built (both languages, as `curriculum build site` builds them,
plus a small script that reloads the page) into a temporary folder, served on 127.0.0.1 by
Python's http.server. A watcher polls lectures/, domains/, programme.yml, glossary.yml and
mkdocs.yml; after a change settles it checks again (reusing the parse of unchanged files) and
brings each language's build up to date (see site.incremental: a body edit renders only the
changed page), and open pages, which wait on the server for the next build, reload. While the
sources have errors the last good build stays up and the errors show in a banner (and in the
terminal).

A reload must be quick and never stale: the server keeps connections open (HTTP/1.1) and tags
every file with a hash of its bytes (ETag, "no-cache"), so the browser asks again each time and
gets a 304 for an unchanged asset, a 200 with the new bytes for a changed one.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import hashlib
import http.server
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from .. import checks
from ..diagnostics import Report, render
from ..errors import SiteBuildError
from ..load import SourceCache
from .build import jieba_dictionary
from .config import read_settings
from .gitdates import last_changes
from .incremental import LiveLanguage

WATCHED_FILES = ("mkdocs.yml", "programme.yml", "glossary.yml")
WATCHED_FOLDERS = ("lectures", "domains")
STATE_PATH = "/.cmio-preview.json"
LONG_POLL = 20.0  # seconds a page's request for the next build waits before it is answered anyway
# A changed file is read once it has stayed unchanged this long (an editor writing it in several
# steps is done); the watcher polls every `interval`, so an edit is seen after about both.
SETTLE = 0.05


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(modification time, size) of every watched file (os.scandir: polled many times a second)."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED_FILES:
        with contextlib.suppress(OSError):
            stat = os.stat(root / name)
            found[name] = (stat.st_mtime_ns, stat.st_size)
    folders = list(WATCHED_FOLDERS)
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            rel = f"{folder}/{entry.name}"
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    folders.append(rel)
                    continue
                stat = entry.stat()
                found[rel] = (stat.st_mtime_ns, stat.st_size)
    return found


def _age(files: dict[str, tuple[int, int]], changed: list[str]) -> float:
    """Seconds since the newest of the `changed` files was last written (0 when none is left)."""
    newest = max((files[rel][0] for rel in changed if rel in files), default=None)
    return 0.0 if newest is None else (time.time_ns() - newest) / 1e9


class Preview:
    """Builds, serves and rebuilds; `start()` returns once the first build is done."""

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 8000, interval: float = 0.05,
                 log: Callable[[str], None] | None = None, settle: float = SETTLE) -> None:
        self.root = Path(root).resolve()
        self.host, self.port = host, port
        self.interval, self.settle = interval, settle
        self.log = log or (lambda text: print(text, file=sys.stderr, flush=True))
        self.work = Path(tempfile.mkdtemp(prefix="curriculum-preview-"))
        self.current: dict[str, Path] | None = None  # language -> its served folder
        self.source_language = ""
        self.build_number = 0
        self.errors = ""
        self.last_update = ""  # what the last rebuild did, per language
        self._live: dict[str, LiveLanguage] = {}
        self._sources = SourceCache()  # a save parses only the files it changed
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    # -- building ----------------------------------------------------------------------------

    def rebuild(self) -> bool:
        """Check and bring the build up to date; on success the new build is served. False when
        the sources have errors."""
        started = time.monotonic()
        report = Report()
        # The pages' dates come from `git log`, another process: it runs while the check does.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            dates = pool.submit(last_changes, self.root)
            try:
                curriculum = checks.check(self.root, report, cache=self._sources)
                if curriculum is None or report.errors:
                    raise SiteBuildError("the curriculum has errors",
                                         details=render([d for d in report.sorted() if d.severity == "error"], "text")
                                         .splitlines())
                folders, done = self._update(curriculum, dates.result())
            except SiteBuildError as exc:
                self._failed(exc.text())
                return False
            except Exception as exc:  # keep serving the last good build
                self._failed(f"{type(exc).__name__}: {exc}")
                return False
        with self._changed:
            previous = self.current
            self.current = folders
            self.source_language = curriculum.programme.source_language
            self.build_number += 1
            self.errors = ""
            self.last_update = done
            self._changed.notify_all()
        for folder in (previous or {}).values():
            if folder not in folders.values():  # a page may still be reading it
                threading.Timer(5.0, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}).start()
        self.log(f"preview built in {time.monotonic() - started:.2f} s ({done})")
        return True

    def _update(self, curriculum, dates: dict) -> tuple[dict[str, Path], str]:
        settings = read_settings(curriculum.root)
        languages = curriculum.programme.languages
        if set(self._live) != set(languages):
            self._close_live()
            jieba_dict = jieba_dictionary(curriculum, self.work)
            self._live = {lang: LiveLanguage(curriculum, settings, lang, self.work, jieba_dict=jieba_dict)
                          for lang in languages}
        done = []
        try:
            for language in languages:
                update = self._live[language].update(curriculum, settings, dates)
                done.append(f"{language}: {update.kind}, {len(update.pages)} page(s)")
        except BaseException:
            self._close_live()  # a language left half-way: start afresh next time
            raise
        return {lang: live.site_dir for lang, live in self._live.items()}, "; ".join(done)

    def _close_live(self) -> None:
        for live in self._live.values():
            live.close()
        self._live = {}

    def _failed(self, text: str) -> None:
        with self._changed:
            self.errors = text
            self._changed.notify_all()
        self.log(f"preview not rebuilt: {text}")

    def wait_state(self, since: int, errors: str, timeout: float = LONG_POLL) -> dict:
        """The state once it differs from (`since`, `errors`), or after `timeout` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self.build_number != since or self.errors != errors or self._stop.is_set(),
                                   timeout=timeout)
            return {"build": self.build_number, "errors": self.errors}

    def folder_for(self, path: str) -> tuple[Path | None, str]:
        """The served folder of the language whose site holds URL `path`, and the path within it."""
        with self._lock:
            current = self.current
            source = self.source_language
        if current is None:
            return None, path
        for language, folder in current.items():
            prefix = f"/{language}"
            if language != source and (path == prefix or path.startswith(prefix + "/") or
                                       path.startswith(prefix + "?")):
                return folder, path[len(prefix):] or "/"
        return current.get(source), path

    def state(self) -> dict:
        with self._lock:
            return {"build": self.build_number, "errors": self.errors}

    # -- serving and watching ----------------------------------------------------------------

    def start(self) -> None:
        handler = functools.partial(_Handler, preview=self)
        self._server = _Server((self.host, self.port), handler)  # OSError: port taken
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._spawn(self._server.serve_forever)
        self.log(f"building the preview of {self.root} ...")
        seen = snapshot(self.root)  # before the build reads them: a save during the build is a change
        self.rebuild()
        self._spawn(functools.partial(self._watch, seen))

    def _spawn(self, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self, seen: dict[str, tuple[int, int]]) -> None:
        while not self._stop.wait(self.interval):
            now = snapshot(self.root)
            if now == seen:
                continue
            # Wait until editors have finished writing: the changed files untouched for `settle`
            # seconds (by their own times: often already so when the poll sees them), and a
            # second snapshot equal to the first.
            while True:
                changed = [k for k in set(now) | set(seen) if now.get(k) != seen.get(k)]
                if self._stop.wait(min(self.settle, max(self.settle - _age(now, changed), 0.005))):
                    return
                settled = snapshot(self.root)
                if settled == now:
                    break
                now = settled
            changed = sorted(k for k in set(now) | set(seen) if now.get(k) != seen.get(k))
            seen = now
            self.log(f"changed: {', '.join(changed[:5])}{' ...' if len(changed) > 5 else ''}")
            self.rebuild()

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=10)
        self._close_live()
        shutil.rmtree(self.work, ignore_errors=True)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that reloads or leaves while a page is being sent closes the connection: not
        # an error of the preview, and no traceback in the author's terminal.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class _Handler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive: a reload's dozen requests reuse a few connections (every answer has a length).
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds an idle kept-alive connection (and its thread) is kept
    _caching = "no-store"  # the next answer's Cache-Control; files say "no-cache" (see send_head)

    def __init__(self, *args, preview: Preview, **kwargs) -> None:
        self.preview = preview
        super().__init__(*args, directory=str(preview.work), **kwargs)

    def do_GET(self) -> None:  # noqa: N802
        path, _, query = self.path.partition("?")
        if path == STATE_PATH:
            params = urllib.parse.parse_qs(query)
            if "since" in params:  # a page waiting for the next build (or a change of errors)
                try:
                    since = int(params["since"][0])
                except ValueError:
                    since = -1
                state = self.preview.wait_state(since, params.get("errors", [""])[0])
            else:
                state = self.preview.state()
            self._send(200, "application/json", json.dumps(state).encode())
            return
        original = path
        folder, self.path = self.preview.folder_for(self.path)
        if folder is None:
            errors = self.preview.state()["errors"] or "building..."
            page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" "
                    "content=\"2\"><title>Preview not built</title></head><body><h1>The preview could not be built"
                    f"</h1><pre>{_escape(errors)}</pre></body></html>")
            self._send(503, "text/html; charset=utf-8", page.encode())
            return
        self.directory = str(folder)
        if not original.endswith("/") and os.path.isdir(self.translate_path(self.path)):
            # A folder: redirected to its URL with a slash (as http.server does, but in the language's site).
            self.send_response(301)
            self.send_header("Location", original + "/" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def send_head(self) -> io.BytesIO | None:
        """A file of the site with an ETag made from its bytes; a 304 when the browser has them."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if path.endswith("/") or not os.path.isfile(path):
            return super().send_head()  # its 404, or a folder's listing
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            self.send_error(404, "File not found")
            return None
        # The bytes, not the file's time and size: a page written again within the file system's
        # time resolution, with as many bytes, is still a new page.
        tag = f'"{hashlib.blake2b(data, digest_size=16).hexdigest()}"'
        self._caching = "no-cache"  # the browser may keep it, but asks each time
        if tag in {value.strip() for value in self.headers.get("If-None-Match", "").split(",")}:
            self.send_response(304)
            self.send_header("ETag", tag)
            self.end_headers()
            return None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", tag)
        self.end_headers()
        return io.BytesIO(data)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self._caching)
        self._caching = "no-store"  # the state, errors and redirects are never kept
        super().end_headers()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(ConnectionError):  # a page that reloaded while it waited
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
