"""Parsed day files kept across rebuilds (e.g. `mkdocs serve`), refreshed when a file changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hotpapers.model import Day
from hotpapers.store import decode_day, read_day


class DayCache:
    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], Day]] = {}
        self._decoded: dict[Path, tuple[bytes, Day]] = {}

    def decode(self, path: Path, content: bytes, date: str) -> Day:
        """The day of these bytes (read by the caller), parsed once while they stay."""
        digest = hashlib.sha256(content).digest()
        cached = self._decoded.get(path)
        if cached is not None and cached[0] == digest:
            return cached[1]
        day = decode_day(content, str(path), date)
        self._decoded[path] = (digest, day)
        return day

    def load(self, path: Path) -> Day:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._entries.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        day = read_day(path)
        self._entries[path] = (key, day)
        return day
