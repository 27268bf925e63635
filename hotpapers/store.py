"""The snapshot store: one JSON file per day, ``<data>/YYYY-MM-DD.json``.

Reads report every problem as one line naming the file; writes are atomic
(temporary file in the same directory, then rename), so an interrupted write
never leaves a damaged or half-written day file behind.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import Day, day_from_json, day_to_json

DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.json$")


def day_path(data_dir: Path, date: str) -> Path:
    return data_dir / f"{date}.json"


def day_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """Yield (date, path) of the day files in `data_dir`, oldest first."""
    for path in sorted(data_dir.glob("*.json")):
        match = DAY_FILE.match(path.name)
        if match:
            yield match[1], path


def stray_files(data_dir: Path) -> list[Path]:
    """JSON files in `data_dir` whose names are not a day (YYYY-MM-DD.json)."""
    return [p for p in sorted(data_dir.glob("*.json")) if not DAY_FILE.match(p.name)]


def decode_day(content: bytes, where: str, expected_date: str | None = None) -> Day:
    """Decode and validate the bytes of a day file."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = content[error.start]
        raise DataError(
            [f"{where}: not valid UTF-8 (byte 0x{bad:02x} at offset {error.start})"]
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(
            [f"{where}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    if _SURROGATE_ESCAPE.search(text):  # rare: only then walk the whole record
        _reject_lone_surrogates(raw, where)
    return day_from_json(raw, where, expected_date)


def read_day_bytes(path: Path) -> bytes:
    """The bytes of a day file, or one error line naming it."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError([f"{path}: cannot read: {error.strerror}"]) from None


def read_day(path: Path) -> Day:
    """Read and validate one day file; the file name must match its `date`."""
    match = DAY_FILE.match(path.name)
    return decode_day(read_day_bytes(path), str(path), match[1] if match else None)


def encode_day(day: Day) -> bytes:
    text = json.dumps(day_to_json(day), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def write_atomic(path: Path, content: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `content` so readers see the old file or the new one, never a mix.

    `durable=False` skips the fsync (caches: losing an entry in a crash costs nothing).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_day(data_dir: Path, day: Day) -> Path:
    path = day_path(data_dir, day.date)
    write_atomic(path, encode_day(day))
    return path


# JSON may spell a UTF-16 surrogate as an escape; a lone one decodes to a string no
# file or page can be written in (UnicodeEncodeError at write time).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_lone_surrogates(raw: Any, where: str) -> None:
    """One line per field holding a lone surrogate, in the form of every other problem."""
    if not isinstance(raw, dict):
        return
    problems = [f"field '{path}'" for path in _surrogate_paths(raw, skip="papers")]
    papers = raw.get("papers")
    for index, paper in enumerate(papers if isinstance(papers, list) else [], start=1):
        label = f"paper {index} ({paper.get('id')}), " if isinstance(paper, dict) else ""
        problems.extend(f"{label}field '{path}'" for path in _surrogate_paths(paper))
    if problems:
        raise DataError(
            [
                f"{where}: {problem}: contains a lone UTF-16 surrogate, not text"
                for problem in problems
            ]
        )


def _surrogate_paths(value: Any, path: str = "", skip: str | None = None) -> Iterator[str]:
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            yield path or "(value)"
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != skip:
                yield from _surrogate_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _surrogate_paths(item, f"{path}[{index}]")
