"""The snapshot store: one JSON file per day, ``<data>/YYYY-MM-DD.json``.

Reads report every problem as one line naming the file; writes are atomic
(temporary file in the same directory, then rename), so an interrupted write
never leaves a damaged or half-written day file behind.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hotpapers.errors import DataError
from hotpapers.model import NOT_TEXT, Day, is_date
from hotpapers.snapshot import day_from_json, day_to_json

DAY_FILE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.json")  # ASCII digits only
# A day file is tens of kilobytes; a larger file is not read (it could be anything).
MAX_DAY_FILE_BYTES = 32 * 1024 * 1024


def day_path(data_dir: Path, date: str) -> Path:
    return data_dir / f"{date}.json"


def day_files(data_dir: Path) -> Iterator[tuple[str, Path]]:
    """Yield (date, path) of the day files in `data_dir`, oldest first.

    A day file is a regular file (or a link to one) named `YYYY-MM-DD.json` after a
    real date; anything else is passed over (`stray_files` says why).
    """
    for path in sorted(data_dir.glob("*.json")):
        if _stray_reason(path) is None:
            yield path.name[:10], path


def stray_files(data_dir: Path) -> list[tuple[Path, str]]:
    """(path, reason) for every `*.json` entry of `data_dir` that is not a day file."""
    strays = ((path, _stray_reason(path)) for path in sorted(data_dir.glob("*.json")))
    return [(path, reason) for path, reason in strays if reason is not None]


def _stray_reason(path: Path) -> str | None:
    match = DAY_FILE.fullmatch(path.name)
    if match is None:
        return "not a day file name (expected YYYY-MM-DD.json)"
    if not is_date(match[1]):
        return f"not a day file name: {match[1]} is not a date"
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot read: {error.strerror}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


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
    except RecursionError:
        raise DataError([f"{where}: invalid JSON: nested too deep"]) from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise DataError([f"{where}: invalid JSON: {str(error).splitlines()[0]}"]) from None
    if _suspect(text):  # rare: only then walk the whole record
        _reject_bad_characters(raw, where)
    return day_from_json(raw, where, expected_date)


def read_day_bytes(path: Path) -> bytes:
    """The bytes of a day file, or one error line naming it.

    Only a regular file is opened (a FIFO would block), and at most
    `MAX_DAY_FILE_BYTES` of it are read.
    """
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                raise DataError([f"{path}: not a regular file"])
            content = stream.read(MAX_DAY_FILE_BYTES + 1)
    except OSError as error:
        raise DataError([f"{path}: cannot read: {error.strerror}"]) from None
    if len(content) > MAX_DAY_FILE_BYTES:
        raise DataError([f"{path}: larger than {MAX_DAY_FILE_BYTES // 2**20} MiB, not a day file"])
    return content


def read_day(path: Path) -> Day:
    """Read and validate one day file; the file name must match its `date`."""
    match = DAY_FILE.fullmatch(path.name)
    return decode_day(read_day_bytes(path), str(path), match[1] if match else None)


def encode_day(day: Day) -> bytes:
    text = json.dumps(day_to_json(day), ensure_ascii=False, indent=2)
    # A lone surrogate is kept as invalid UTF-8, which the check before writing rejects.
    return (text + "\n").encode("utf-8", "surrogatepass")


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
    """Write a day file, after checking it as `hotpapers check` would (`DataError`)."""
    path = day_path(data_dir, day.date)
    content = encode_day(day)
    decode_day(content, str(path), day.date if is_date(day.date) else None)
    write_atomic(path, content)
    return path


# JSON may spell any code point as an escape. A lone UTF-16 surrogate decodes to a
# string no file or page can be written in (UnicodeEncodeError at write time); a
# control character (other than tab and line breaks), U+FFFE or U+FFFF is not
# allowed in HTML or XML feeds. All are rare, so only a file that spells one (as an
# escape, or raw where JSON allows it) is walked field by field, keys included.
_SUSPECT = re.compile(r"\\u(?:[dD][89a-fA-F]|00[01]|007[fF]|[fF]{3}[eEfF])|[\x7f\ufffe\uffff]")
_SUSPECT_MARKS = ("\\u", "\x7f", "\ufffe", "\uffff")  # every match holds one


def _suspect(text: str) -> bool:
    """Whether the JSON text may hold a character no day file may have. Searching for
    the marks first is much faster than the pattern, which most files never need."""
    return any(mark in text for mark in _SUSPECT_MARKS) and _SUSPECT.search(text) is not None


_BAD_CHARACTER_KIND = {True: "a lone UTF-16 surrogate, not text", False: "a control character"}


def _reject_bad_characters(raw: Any, where: str) -> None:
    """One line per field holding a lone surrogate or a control character."""
    if not isinstance(raw, dict):
        return
    problems = [f"field '{path}'{kind}" for path, kind in _bad_paths(raw, skip="papers")]
    papers = raw.get("papers")
    for index, paper in enumerate(papers if isinstance(papers, list) else [], start=1):
        label = (
            f"paper {index} ({_printable(paper.get('id'))}), " if isinstance(paper, dict) else ""
        )
        problems.extend(f"{label}field '{path}'{kind}" for path, kind in _bad_paths(paper))
    if problems:
        raise DataError([f"{where}: {problem}" for problem in problems])


def _bad_paths(value: Any, skip: str | None = None) -> Iterator[tuple[str, str]]:
    """(field path, ": contains ...") for every string holding a bad character."""
    pending: deque[tuple[Any, str]] = deque([(value, "")])
    while pending:
        item, path = pending.popleft()
        if isinstance(item, str):
            match = NOT_TEXT.search(item)
            if match:
                kind = _BAD_CHARACTER_KIND["\ud800" <= match[0] <= "\udfff"]
                yield path or "(value)", f": contains {kind}"
        elif isinstance(item, dict):
            for key, child in item.items():
                where = f"{path}.{key}" if path else str(key)
                if NOT_TEXT.search(key):
                    yield _printable(where), ": its name holds a character no text may hold"
                elif key != skip:
                    pending.append((child, where))
        elif isinstance(item, list):
            pending.extend((child, f"{path}[{index}]") for index, child in enumerate(item))


def _printable(value: Any) -> str:
    """Text any terminal or log can take: what no text may hold becomes an escape."""
    return NOT_TEXT.sub(lambda match: match[0].encode("unicode_escape").decode(), str(value))
