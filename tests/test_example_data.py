"""The committed example data is what importing the legacy pages gives, and it is valid."""

from __future__ import annotations

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
