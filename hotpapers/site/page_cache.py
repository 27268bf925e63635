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
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from hotpapers import __version__
from hotpapers.store import write_atomic

log = logging.getLogger(__name__)
FORMAT = 1
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

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def get(self, name: str, key: str) -> Any | None:
        if not self.load:
            return None
        try:
            entry = json.loads(self._path(name).read_bytes())
        except (OSError, ValueError):
            return None  # missing or damaged: rebuilt
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        return entry.get("value")

    def put(self, name: str, key: str, value: Any) -> None:
        content = json.dumps({"key": key, "value": value}, ensure_ascii=False).encode("utf-8")
        try:
            write_atomic(self._path(name), content, durable=False)
        except OSError as error:  # a cache that cannot be written costs speed, not the build
            log.warning("hotpapers: cannot write the page cache in %s: %s", self.directory, error)

    def prune(self, keep: Iterable[str]) -> None:
        """Remove the entries not named in `keep` (days deleted or no longer selected)."""
        wanted = {f"{name}.json" for name in keep}
        try:
            if not self.directory.is_dir():
                return
            for path in self.directory.iterdir():
                if path.name not in wanted:
                    path.unlink(missing_ok=True)
        except OSError as error:
            log.warning("hotpapers: cannot clean the page cache in %s: %s", self.directory, error)
