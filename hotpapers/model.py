"""The records of the snapshot format ``hotpapers/1`` (a day, its papers, their mentions)
and the limits their fields keep. Reading and writing them: `hotpapers.snapshot`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", re.ASCII)
DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# What a text field may not hold: lone UTF-16 surrogates (no file or page can be written
# with one) and control characters other than tab and line breaks (not allowed in HTML
# or XML feeds; nor are U+FFFE and U+FFFF in XML).
NOT_TEXT = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A source's name (a key of `sources`, a CSS class on pages): a plain word.
SOURCE_NAME = re.compile(r"[a-z][a-z0-9-]{0,30}")
# Counts are integers from 0 to MAX_COUNT: every sum of them stays exact as a float.
MAX_COUNT = 10**15
# A post's oEmbed HTML is a few hundred bytes; sanitising deeply nested HTML takes
# time that grows with the square of its depth.
MAX_EMBED_CHARS = 20_000
MAX_EMBED_TAGS = 1_000
# Fields this version does not know may hold JSON of at most this depth.
MAX_EXTRA_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Counts:
    """Sums of a paper's counts. In the per-source breakdown a count is None when the
    service has no such count or sent none (Hacker News has no reposts); `totals` hold
    integers, the sums of what is known. Quotes are kept apart: not in the score."""

    reposts: int | None = 0
    likes: int | None = 0
    quotes: int | None = None

    @property
    def score(self) -> int:
        return (self.reposts or 0) + (self.likes or 0)


@dataclass(frozen=True, slots=True)
class Mention:
    source: str
    id: str
    url: str
    reposts: int | None = None
    likes: int | None = None
    author: str | None = None
    handle: str | None = None
    created_at: str | None = None
    text: str | None = None
    embed_html: str | None = None
    account: str | None = None  # the service's stable account id (e.g. X user id, DID)
    quotes: int | None = None  # quote posts, apart from `reposts` (not in the score)
    # How many distinct arXiv papers the account linked on this service in the day's
    # collection (all posts found, not only the stored ones): finds bulk posters.
    account_papers: int | None = None

    @property
    def score(self) -> int:
        """reposts + likes, unknown counting as 0 (see rank.mention_score for weights)."""
        return (self.reposts or 0) + (self.likes or 0)

    @property
    def counts_known(self) -> bool:
        return self.reposts is not None or self.likes is not None


@dataclass(frozen=True, slots=True)
class Repeats:
    """Posts of a paper on one service that collection found but did not store, whose
    account has a better post of the paper there: their number and counts (the
    `accounts` ranking counts an account once)."""

    posts: int
    reposts: int = 0
    likes: int = 0

    @property
    def score(self) -> int:
        return self.reposts + self.likes


@dataclass(frozen=True, slots=True)
class Paper:
    id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    counted_at: str
    totals: Counts
    mentions: tuple[Mention, ...] = ()
    pdf: bool = True
    # Optional per-source breakdown of `totals` (source name -> counts).
    sources: dict[str, Counts] = field(default_factory=dict)
    # Optional, per source: repeat posts of an account beyond the stored ones.
    repeats: dict[str, Repeats] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Day:
    date: str
    collected_at: str
    papers: tuple[Paper, ...] = ()
    # Optional: how each source fared when the day was collected ("ok", "skipped: ...").
    sources: dict[str, str] = field(default_factory=dict)


def parses(text: str) -> bool:
    """Whether a date or time of the checked shape exists (fromisoformat: strptime is slow)."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


# The optional text fields of a mention, in the order `Mention` takes them.
def embed_html_fits(html: str | None) -> bool:
    return html is None or (len(html) <= MAX_EMBED_CHARS and html.count("<") <= MAX_EMBED_TAGS)


def is_date(text: str) -> bool:
    """A real date written YYYY-MM-DD in ASCII digits."""
    return bool(DAY.fullmatch(text)) and parses(text)


def is_moment(text: str) -> bool:
    """A stored time: a real UTC `YYYY-MM-DDTHH:MM:SSZ`, or a real date `YYYY-MM-DD`."""
    if TIMESTAMP.fullmatch(text):
        return parses(text[:-1])
    return is_date(text)


# The optional text fields of a mention, in the order `Mention` takes them.
MENTION_TEXTS = ("author", "handle", "created_at", "text", "embed_html", "account")


def known_sum(values: Iterable[int | None]) -> int | None:
    """The sum of the known values, at most MAX_COUNT (what a day file holds); None when
    none is known (unknown is not zero)."""
    known = [value for value in values if value is not None]
    return min(sum(known), MAX_COUNT) if known else None


def add_counts(*counts: Counts) -> Counts:
    """Counts summed field by field, unknown staying unknown (see `known_sum`)."""
    return Counts(
        known_sum(c.reposts for c in counts),
        known_sum(c.likes for c in counts),
        known_sum(c.quotes for c in counts),
    )


def parse_date(text: str) -> Date:
    """Parse YYYY-MM-DD strictly (used for command-line and config dates)."""
    if not is_date(text):
        raise ValueError(f"not a date like 2021-06-29: {text!r}")
    return Date.fromisoformat(text)
