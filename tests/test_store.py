"""Day files are written atomically: a failed write leaves the old file as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hotpapers import store
from hotpapers.model import Counts, Day, Paper


def _day(title: str) -> Day:
    paper = Paper(
        "2101.00001", title, ("Ada",), "", ("cs.LG",), "2021-01-02T00:00:00Z", Counts(60, 0)
    )
    return Day("2021-01-01", "2021-01-02T00:00:00Z", (paper,))


def test_round_trip(tmp_path: Path) -> None:
    path = store.write_day(tmp_path, _day("Ünïcode ✓"))
    assert path == tmp_path / "2021-01-01.json"
    assert store.read_day(path) == _day("Ünïcode ✓")
    assert "Ünïcode ✓" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_interrupted_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = store.write_day(tmp_path, _day("old"))
    before = path.read_bytes()

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.os, failing, interrupt)
    with pytest.raises(KeyboardInterrupt):
        store.write_day(tmp_path, _day("new"))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2021-01-01.json"]


def test_encoding_is_stable(tmp_path: Path) -> None:
    assert store.encode_day(_day("x")) == store.encode_day(_day("x"))
    assert store.encode_day(_day("x")).endswith(b"}\n")
