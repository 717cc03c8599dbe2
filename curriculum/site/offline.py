"""What one language's built site needs to work opened from disk (file://), besides assets/offline.js.

A browser reads no JSON and starts no worker from a file:// page, but it runs scripts. Material
reads its search index from search/search_index.js (``var __index = …``) when the page is a file;
offline.js starts the search worker from the source that search/search_worker.js holds. Both are
written next to the search plugin's search_index.json, after MkDocs' build of the language.
(Material's own `offline` plugin would also write the index, but it loads a worker shim from a
public CDN and turns directory URLs off, changing every served URL.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..errors import SiteBuildError

INDEX = Path("search") / "search_index.json"
INDEX_SCRIPT = Path("search") / "search_index.js"
WORKER_SCRIPT = Path("search") / "search_worker.js"
WORKERS = Path("assets") / "javascripts" / "workers"


def write_offline_search(site_dir: Path) -> None:
    """search/search_index.js and search/search_worker.js of the site built in `site_dir` (nothing
    when the site has no search)."""
    index = site_dir / INDEX
    if not index.is_file():
        return
    workers = sorted((site_dir / WORKERS).glob("search.*.js"))
    if len(workers) != 1:
        raise SiteBuildError(f"the theme's search worker was not found in {WORKERS.as_posix()} "
                             "(the site could not be searched when opened from disk)")
    with (site_dir / INDEX_SCRIPT).open("wb") as script, index.open("rb") as data:  # streamed: it can be large
        script.write(b"var __index = ")
        shutil.copyfileobj(data, script)
        script.write(b";\n")
    source = workers[0].read_text(encoding="utf-8")
    (site_dir / WORKER_SCRIPT).write_text(f"var __cmioSearchWorker = {json.dumps(source)};\n", encoding="utf-8")
