"""Shared fixtures. The network is blocked for every test (pytest-socket, see pyproject)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEGACY = FIXTURES / "legacy"
# The steering repository's copy, present beside a checkout (and in CI).
SHARED_LEGACY = ROOT.parent / "shared" / "examples" / "legacy"
CLEAN_OF_SEED = {"seed-2021-06-29-mojibake.md": "2021-06-29---Hot-Papers.md"}


def legacy_posts() -> list[Path]:
    """Every legacy post: the committed fixtures and, when present, the shared originals."""
    posts = sorted(LEGACY.glob("*.md"))
    if SHARED_LEGACY.is_dir():
        posts += sorted(SHARED_LEGACY.glob("*.md"))
    return posts


def normalize_blank_lines(text: str) -> str:
    """Collapse runs of blank lines and drop trailing spaces (the round-trip comparison)."""
    text = re.sub(r"[ \t]+$", "", text, flags=re.MULTILINE)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run the real `hotpapers` command in a subprocess (what users and CI run)."""
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


@pytest.fixture
def cli():
    return run_cli
