"""`curriculum build xblocks`: the XBlock distribution's wheel in build/dist/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .output import atomic_dir


def xblocks_project(root: Path) -> Path:
    """The XBlock distribution beside the curriculum, else the one this pipeline was installed from."""
    for candidate in (root / "xblocks", Path(__file__).resolve().parent.parent / "xblocks"):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    raise FileNotFoundError("no xblocks/pyproject.toml beside the curriculum or the pipeline")


def build_wheel(project: Path, dest: Path) -> list[Path]:
    """Build the wheel of the distribution in `project` into `dest` (replacing its content)."""
    if not (project / "pyproject.toml").is_file():
        raise FileNotFoundError(f"{project}/pyproject.toml not found")
    with atomic_dir(dest) as work:
        # The build backend (hatchling) is a dependency of the pipeline, so no isolated
        # environment has to be downloaded: builds work offline.
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
             "--wheel-dir", str(work), str(project)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"building the wheel failed: {result.stderr.strip().splitlines()[-1:]}")
        wheels = sorted(work.glob("*.whl"))
        if not wheels:
            raise RuntimeError("building the wheel produced no .whl file")
    return [dest / w.name for w in wheels]
