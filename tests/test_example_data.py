"""The committed example data is what importing the legacy pages gives, and it is valid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .helpers import LEGACY, ROOT, run_cli

EXAMPLE_DATA = ROOT / "example_site" / "data"


def test_example_data_is_the_imported_legacy_pages(tmp_path: Path) -> None:
    assert run_cli("import-legacy", LEGACY, "--data", tmp_path).code == 0
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.json")}
    committed = {p.name: p.read_bytes() for p in EXAMPLE_DATA.glob("*.json")}
    assert fresh == committed


def test_example_data_passes_check() -> None:
    result = run_cli("check", "--data", EXAMPLE_DATA)
    assert result.code == 0, result.stderr
    assert "checked 4 day files: all valid" in result.stdout


def test_the_demo_week_is_what_its_script_makes_and_is_valid(tmp_path: Path) -> None:
    week = ROOT / "example_site" / "week"
    completed = subprocess.run(
        [sys.executable, str(week / "make_days.py"), str(tmp_path)], check=False
    )
    assert completed.returncode == 0
    fresh = {p.name: p.read_bytes() for p in tmp_path.glob("*.json")}
    assert fresh == {p.name: p.read_bytes() for p in (week / "data").glob("*.json")}
    assert len(fresh) == 7
    result = run_cli("check", "--data", week / "data")
    assert result.code == 0, result.stderr
