"""Collection sources: one small module per service, all HTTP through one session.

Each social source asks for the posts that link to arxiv.org in a day's UTC
window and yields them as `Found` records; `collect` aggregates them per paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import requests

from ..errors import ConfigError
from ..model import MAX_COUNT, MENTION_TEXTS, NOT_TEXT, Mention


@dataclass(frozen=True)
class Found:
    """One post (or story, or upvoted paper page) and the arXiv papers it links to."""

    mention: Mention
    arxiv_ids: tuple[str, ...]


def found(arxiv_ids: tuple[str, ...], **mention: Any) -> Found:
    """A `Found` from the mention's fields (source, id, url, counts, author, ...).

    A service's answer is data from outside: a field of the wrong type is unknown
    (None), text loses what a day file may not hold, so the day file written is
    one `hotpapers check` accepts.
    """
    for key in ("id", "url"):
        value = text(mention.get(key))
        if not value:  # the collector's caller fails the source in one line
            raise ValueError(f"a post without a usable {key}")
        mention[key] = value
    for key in MENTION_TEXTS:
        mention[key] = text(mention.get(key))
    for key in ("reposts", "likes"):
        mention[key] = count(mention.get(key))
    return Found(Mention(**mention), arxiv_ids)


@dataclass
class Context:
    """What a source needs to run: the shared session and its own settings."""

    session: requests.Session
    settings: Mapping[str, Any]
    where: str  # e.g. "hotpapers.toml: [sources.x]", for error messages
    timeout: float = 30
    env: Mapping[str, str] = field(default_factory=dict)
    progress: Callable[[int], None] = lambda count: None
    notes: list[str] = field(default_factory=list)  # lines for the end-of-run report

    def option(self, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
        value = self.settings.get(key, default)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ConfigError(f"{self.where}: option '{key}': must be {_kind(kind)}, got {value!r}")
        return value

    def base_url(self, default: str) -> str:
        return str(self.option("base_url", str, default)).rstrip("/")


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


class Source(Protocol):
    name: str
    default_base_url: str

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        """The name of a missing environment variable, or None when the source can run."""

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        """Posts created in [start, end) that link to arxiv.org."""


def count(value: Any) -> int | None:
    """A service's count if it is an integer a day file can hold, else None (unknown)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    return None


def text(value: Any) -> str | None:
    """A service's text, without control characters or lone surrogates; None if not text."""
    if not isinstance(value, str):
        return None
    return NOT_TEXT.sub("\ufffd", value) if NOT_TEXT.search(value) else value


def rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
