from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A private copy of the small valid curriculum, for tests that break or build it."""
    root = tmp_path / "curriculum"
    shutil.copytree(FIXTURES / "minimal", root)
    return root
