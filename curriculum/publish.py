"""Versioned sites with mike: `curriculum site-deploy` and `curriculum release --site`.

mike commits a built site into a folder per version on the local gh-pages branch, keeps
versions.json for Material's version selector, and copies the site under each alias (`latest`).
Pushing is a separate, explicit step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import gitrefs
from .model import Curriculum


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def deploy_site(curriculum: Curriculum, version: str, aliases: list[str], branch: str = "gh-pages",
                push: bool = False, remote: str = "origin") -> None:
    """Build the site for `version` and commit it with mike to `branch` (pushed only with push=True)."""
    from mike import commands
    from mike.commands import AliasType

    from .site import build_site

    root = curriculum.root
    gitrefs.resolve(root, "HEAD")  # a clear error outside a repository with commits
    with tempfile.TemporaryDirectory(prefix="curriculum-site-") as tmp, _cwd(root):
        site_dir = Path(tmp) / "site"
        cfg = {"site_dir": str(site_dir), "use_directory_urls": True}
        with commands.deploy(cfg, version, aliases=aliases, update_aliases=True, alias_type=AliasType.copy,
                             branch=branch, message=f"Deploy curriculum {version} (aliases: {', '.join(aliases)})"):
            build_site(curriculum, site_dir, versioned=True, engine="mkdocs")  # versions are mike's: MkDocs only
    if push:
        gitrefs.git(root, "push", remote, branch)
