"""Collection sources: one small module per service, all HTTP through one session.

Each social source asks for the posts that link to arxiv.org in a day's UTC
window and yields them as `Found` records; `collect` aggregates them per paper.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Protocol

import requests

from hotpapers.errors import ConfigError
from hotpapers.model import MAX_COUNT, MENTION_TEXTS, NOT_TEXT, Mention


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
    created_at = utc_moment(mention.get("created_at"))
    for key in MENTION_TEXTS:
        mention[key] = text(mention.get(key))
    mention["created_at"] = created_at
    for key in ("reposts", "likes", "quotes"):
        mention[key] = count(mention.get(key))
    return Found(Mention(**mention), arxiv_ids)


@dataclass(frozen=True)
class SourceOption:
    """One option of a source's `[sources.NAME]` table: its type, default and limits."""

    kind: type | tuple[type, ...]
    default: Any
    least: float | None = None
    most: float | None = None
    # What a text must match, and how to say so (e.g. printable ASCII for a header).
    pattern: tuple[str, str] | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not usable, or None."""
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            return f"must be {_kind(self.kind)}, got {value!r}"[:120]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                return f"must be a finite number, got {value!r}"
            if self.least is not None and value < self.least:
                return f"must be at least {self.least:g}, got {value!r}"
            if self.most is not None and value > self.most:
                return f"must be at most {self.most:g}, got {value!r}"
        if isinstance(value, str) and NOT_TEXT.search(value):
            return "must be text without control characters"
        if isinstance(value, str) and self.pattern and not re.fullmatch(self.pattern[0], value):
            return f"must be {self.pattern[1]}, got {value[:60]!r}"
        return None


# What every source table takes besides its own options.
COMMON_OPTIONS = {"base_url": SourceOption(str, None), "enabled": SourceOption(bool, True)}
MAX_POSTS = SourceOption(int, 1000, least=1, most=1_000_000)


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
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    max_wait: float = 120  # the longest wait a source may ask for (option `max_wait`)

    declared: Mapping[str, SourceOption] = field(default_factory=dict)

    def option(self, key: str) -> Any:
        """A declared option's value (checked by `check_options` before any request)."""
        return self.settings.get(key, self.declared[key].default)

    def base_url(self, default: str) -> str:
        return str(self.settings.get("base_url", default)).rstrip("/")


def check_options(
    settings: Mapping[str, Any], declared: Mapping[str, SourceOption], where: str
) -> None:
    """A table's options, each `declared` and usable, or one ConfigError line."""
    for key, value in settings.items():
        option = declared.get(key)
        if option is None:
            raise ConfigError(
                f"{where}: unknown option '{key}' (known: {', '.join(sorted(declared))})"
            )
        problem = option.problem(value)
        if problem is not None:
            raise ConfigError(f"{where}: option '{key}': {problem}")


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


class Source(Protocol):
    name: str
    default_base_url: str
    options: ClassVar[Mapping[str, SourceOption]]  # its own, besides base_url and enabled

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        """The name of a missing environment variable, or None when the source can run."""

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        """Posts created in [start, end) that link to arxiv.org."""


def unseen(items: list[Any], seen: set[str], key: Callable[[Any], str]) -> list[Any]:
    """The items of a page not seen on an earlier page (they are then seen): a service
    that repeats a page brings nothing new, which ends the paging."""
    fresh = [item for item in items if key(item) not in seen]
    seen.update(key(item) for item in fresh)
    return fresh


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
    """UTC `YYYY-MM-DDTHH:MM:SSZ` (isoformat: strftime does not pad years before 1000)."""
    utc = moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    return utc.isoformat() + "Z"


# ISO 8601 / RFC 3339 as services send it: `2021-06-29T22:58:21.000Z`,
# `...T17:10:09.561858Z`, `...+00:00`, `...+0530`, or a bare date.
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?",
    re.ASCII,
)


def utc_moment(value: Any) -> str | None:
    """A service's time as stored: UTC `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DD` when it
    sent only a date; None when it is not a time (unknown, not an error).

    Takes ISO 8601 text (fractions dropped, offsets applied; no offset means UTC)
    and Unix seconds (Reddit's `created_utc`).
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(value, timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
        return rfc3339(moment) if moment.year >= 1970 else None
    if not isinstance(value, str):
        return None
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), tzinfo=timezone.utc)
        if hour is None:
            return moment.date().isoformat()
        moment = moment.replace(hour=int(hour), minute=int(minute), second=int(second or 0))
    except ValueError:  # 2021-02-30, 25:00
        return None
    if offset and offset not in "Zz":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        try:
            moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        except OverflowError:  # 0001-01-01T00:10+01:00
            return None
    return rfc3339(moment)
