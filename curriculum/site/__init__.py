"""The trainees' course site: MkDocs + Material, one site per language, built from the model.

`build_site` writes build/site/ (the source language at the root, each translation language
under /<language>/); `serve.serve` is the live preview of `curriculum serve`.
"""

from __future__ import annotations

from ..errors import SiteBuildError
from .build import build_site

__all__ = ["SiteBuildError", "build_site"]
