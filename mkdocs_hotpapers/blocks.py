"""The generated pages' HTML blocks (embedded posts), kept in one file between MkDocs'
`on_files` and `on_page_content` rather than in memory: a thousand days' posts are
hundreds of megabytes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO


class BlocksFile:
    """Each page's blocks, written one page after another as UTF-8 bytes; a page's
    offset and block lengths are kept in memory. `write` starts a build's file."""

    def __init__(self, path: Path, *, track_changes: bool = True) -> None:
        """`track_changes`: `put` tells whether a page's blocks changed since the previous
        build (a digest of each page's blocks is kept; a single build needs none)."""
        self.path = path
        self._track_changes = track_changes
        self._where: dict[str, tuple[int, tuple[int, ...]]] = {}
        self._digests: dict[str, bytes] = {}  # of the last build: what changed
        self._writer: BinaryIO | None = None
        self._reader: BinaryIO | None = None

    def start(self) -> None:
        self.close()
        self._where = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = self.path.open("wb")

    def put(self, uri: str, blocks: tuple[str, ...]) -> bool:
        """Keep a page's blocks; whether they differ from the previous build's."""
        assert self._writer is not None, "start() first"
        encoded = [block.encode("utf-8") for block in blocks]
        lengths = tuple(len(data) for data in encoded)
        self._where[uri] = (self._writer.tell(), lengths)
        self._writer.writelines(encoded)
        if not self._track_changes:
            return False
        digest = hashlib.blake2b(repr(lengths).encode() + b"".join(encoded)).digest()
        before = self._digests.get(uri)
        self._digests[uri] = digest
        return before is not None and before != digest

    def finish(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def get(self, uri: str) -> list[str] | None:
        """A page's blocks; None for a page that has none here."""
        where = self._where.get(uri)
        if where is None:
            return None
        offset, lengths = where
        if self._reader is None:
            self._reader = self.path.open("rb")
        self._reader.seek(offset)
        data = self._reader.read(sum(lengths))
        blocks, start = [], 0
        for length in lengths:
            blocks.append(data[start : start + length].decode("utf-8"))
            start += length
        return blocks

    def close(self) -> None:
        self.finish()
        if self._reader is not None:
            self._reader.close()
            self._reader = None
