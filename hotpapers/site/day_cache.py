"""Parsed day files kept across rebuilds (e.g. `mkdocs serve`), refreshed when a file changes."""

from __future__ import annotations

from pathlib import Path

from hotpapers.model import Day
from hotpapers.store import read_day


class DayCache:
    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], Day]] = {}

    def load(self, path: Path) -> Day:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._entries.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        day = read_day(path)
        self._entries[path] = (key, day)
        return day
