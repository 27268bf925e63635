"""Rendered day pages kept on disk between builds, used only while nothing that made them changed.

A host that caches its content between builds (Pelican with `CACHE_CONTENT`)
reads committed pages back from its cache; without this, every day would be
parsed, ranked, rendered and converted again on every build. An entry is used
only when its key matches: the day file's bytes, the options and host settings
that shape the page, and the code of hotpapers and of the plugin. A missing,
stale or damaged entry is rebuilt; the cache can always be deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import stat
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from hotpapers import __version__
from hotpapers.store import write_atomic

log = logging.getLogger(__name__)
FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024
_ENTRY_START = b'{"key": "'
_SURROGATE_DIGITS = {bytes([digit]) for digit in b"89abcdefABCDEF"}
_BACKSLASH = ord("\\")


def _holds_surrogate_escape(content: bytes) -> bool:
    """Whether JSON text holds the escape of a UTF-16 surrogate (`\\ud800`). `put` writes
    text as UTF-8, never so: an entry holding one was not written here, and its strings
    could hold lone surrogates, which no page may carry. Refusing such entries spares
    their readers a check of every string. (A plain search: a regular expression would
    scan each entry's hundreds of kilobytes slowly.)"""
    at = content.find(b"\\u")  # rare in our entries: only control characters are escaped
    while at != -1:
        first = at  # of the backslashes before the "u": an odd number makes an escape
        while first and content[first - 1] == _BACKSLASH:
            first -= 1
        digits = content[at + 2 : at + 4]
        if (at - first) % 2 == 0 and digits[:1] in (b"d", b"D") and digits[1:] in _SURROGATE_DIGITS:
            return True
        at = content.find(b"\\u", at + 2)
    return False


_CORE = Path(__file__).resolve().parent.parent  # the hotpapers package, every module of it


@cache
def code_digest(*packages: Path) -> str:
    """A digest of the Python files and templates of `packages` (and of hotpapers)."""
    digest = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
    for package in sorted({_CORE, *packages}):
        for path in sorted(package.rglob("*")):
            if path.suffix in (".py", ".j2") and path.is_file():
                digest.update(str(path.relative_to(package)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


# Libraries whose output is part of every cached page: a new release (a sanitiser fix
# in nh3, say) must render the pages again. Hosts add their own.
CORE_LIBRARIES = ("nh3", "jinja2", "markupsafe", "ftfy")


@cache
def library_versions(*names: str) -> str:
    """`nh3==0.2.18;jinja2==3.1.6;…` for a cache key (`absent` for one not installed)."""
    versions = []
    for name in names:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return ";".join(versions)


def entry_key(content: bytes, *parts: str) -> str:
    """The key of a day's entry: its file's bytes and everything else that shapes the page."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    digest.update(content)
    return digest.hexdigest()


class PageCache:
    """One JSON file per entry (a day, a page) in `directory`; `load=False` never reads them."""

    def __init__(self, directory: Path, *, load: bool = True) -> None:
        self.directory = directory
        self.load = load
        self._warned = False  # one warning per build when the cache cannot be written

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def get(self, name: str, key: str) -> Any | None:
        if not self.load:
            return None
        path = self._path(name)
        try:
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
                return None  # a FIFO, a link or a giant: not an entry of ours
            content = path.read_bytes()
            if _holds_surrogate_escape(content):
                return None
            # Strict UTF-8: json.loads of bytes would take UTF-16 and surrogate bytes too.
            entry = json.loads(content.decode("utf-8"))
        except (OSError, ValueError, RecursionError):
            return None  # missing or damaged: rebuilt
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("value")

    def put(self, name: str, key: str, value: Any) -> None:
        content = json.dumps({"key": key, "value": value}, ensure_ascii=False).encode("utf-8")
        try:
            write_atomic(self._path(name), content, durable=False)
        except OSError as error:  # a cache that cannot be written costs speed, not the build
            if not self._warned:
                self._warned = True
                log.warning(
                    "hotpapers: cannot write the page cache in %s: %s", self.directory, error
                )

    def prune(self, keep: Iterable[str]) -> None:
        """Remove the entries not named in `keep` (days deleted or no longer selected):
        only files that are entries of this cache, whatever else the folder holds."""
        wanted = {f"{name}.json" for name in keep}
        try:
            if not self.directory.is_dir() or self.directory.is_symlink():
                return
            for path in self.directory.iterdir():
                if path.name not in wanted and _is_entry(path):
                    path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("hotpapers: cannot clean the page cache in %s: %s", self.directory, error)


def _is_entry(path: Path) -> bool:
    """A regular `.json` file that starts as every entry does."""
    if path.suffix != ".json" or path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open("rb") as stream:
            return stream.read(len(_ENTRY_START)) == _ENTRY_START
    except OSError:
        return False
