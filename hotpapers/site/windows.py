"""Time windows: the papers that stayed hot over an ISO week, a calendar month or a year.

A window's ranking sums, for each paper, its score on every day of the window whose
page listed it (a paper counts once per day it appears): attention that lasts
outweighs one loud day. Counts per source are summed the same way; the posts shown
are the best across the window (each post once, with its highest counts).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import timedelta

from hotpapers.accounts import Explanation, combined
from hotpapers.config import WINDOW_KINDS, Options
from hotpapers.model import Counts, Day, Mention, Paper, add_counts
from hotpapers.rank import RankedPaper, rank_day, select_embeds

KINDS = WINDOW_KINDS
_KEY = {
    "week": re.compile(r"(\d{4})-W(\d{2})", re.ASCII),
    "month": re.compile(r"(\d{4})-(\d{2})", re.ASCII),
    "year": re.compile(r"(\d{4})", re.ASCII),
}


@dataclass(frozen=True, order=True)
class Window:
    """A span of days: `2021-W26` (ISO week), `2021-06` or `2021`."""

    first: str  # YYYY-MM-DD, first: windows sort by time
    last: str
    kind: str
    key: str

    def holds(self, day: str) -> bool:
        return self.first <= day <= self.last


def window_of(day: str, kind: str) -> Window:
    """The window of `kind` a day (YYYY-MM-DD) belongs to (one that would end after
    9999-12-31 ends there)."""
    moment = Date.fromisoformat(day)
    if kind == "week":
        year, week, weekday = moment.isocalendar()
        first = moment - timedelta(days=weekday - 1)
        return Window(first.isoformat(), _days_after(first, 6), kind, f"{year:04d}-W{week:02d}")
    if kind == "month":
        first = moment.replace(day=1)
        last = moment.replace(day=calendar.monthrange(moment.year, moment.month)[1])
        return Window(
            first.isoformat(), last.isoformat(), kind, f"{moment.year:04d}-{moment.month:02d}"
        )
    if kind == "year":
        key = f"{moment.year:04d}"
        return Window(f"{key}-01-01", f"{key}-12-31", kind, key)
    raise ValueError(f"unknown window kind {kind!r}; choose one of {', '.join(KINDS)}")


def _days_after(first: Date, days: int) -> str:
    return (
        (first + timedelta(days=days)).isoformat() if first < _LAST_WEEK else Date.max.isoformat()
    )


_LAST_WEEK = Date.max - timedelta(days=6)


def parse_window(text: str) -> Window:
    """`2021-W26`, `2021-06` or `2021`; ValueError naming the forms otherwise."""
    for kind, pattern in _KEY.items():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        try:
            if kind == "week":
                first = Date.fromisocalendar(int(match[1]), int(match[2]), 1)
            elif kind == "month":
                first = Date(int(match[1]), int(match[2]), 1)
            else:
                first = Date(int(match[1]), 1, 1)
        except (ValueError, OverflowError):
            break
        return window_of(first.isoformat(), kind)
    raise ValueError(f"not a week, month or year like 2021-W26, 2021-06 or 2021: {text!r}")


@dataclass
class _Entry:
    """One paper's attention over a window, built day by day."""

    paper: Paper  # as of its latest day in the window
    days: list[tuple[str, int, float]] = field(default_factory=list)  # date, rank, score
    sources: dict[str, Counts] = field(default_factory=dict)
    broken_down: bool = True  # every day had a per-source breakdown (else totals only)
    totals: Counts = field(default_factory=Counts)
    posts: dict[tuple[str, str], Mention] = field(default_factory=dict)
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(score for _, _, score in self.days)


@dataclass(frozen=True)
class WindowItem:
    """A ranked paper of a window: the page's item and the days it appeared on."""

    ranked: RankedPaper
    days: tuple[tuple[str, int, float], ...]  # (date, rank and score that day), oldest first


# A day's papers and its ranked list, read when a window of the day is ranked.
DayLoad = Callable[[], tuple[Day, list[RankedPaper]]]


@dataclass
class _Open:
    """What a window knows of its days until it is closed."""

    days: list[DayLoad] = field(default_factory=list)  # in date order
    listed: bool = False  # a day of it listed a paper
    collected: str = ""  # the latest collection time of its days
    files: list[str] = field(default_factory=list)  # digests of its days' files, if given


@dataclass(frozen=True)
class ClosedWindow:
    """A window whose days are all in: the latest collection time of its days, the
    digests of its days' files (when `add` was given them), whether a day listed a paper
    (else it has no page) and, from `items()`, its ranked papers."""

    window: Window
    collected: str
    files: tuple[str, ...]
    listed: bool
    days: tuple[DayLoad, ...] = field(repr=False)
    options: Options = field(repr=False)

    def items(self) -> list[WindowItem]:
        """Reads the window's days: a host that kept the window's page need not."""
        return _ranked(self.days, self.options)


class WindowIndex:
    """Collects each day into its windows (days in date order). A window's papers are
    summed only when it is ranked, so a host that kept its page reads none of its days."""

    def __init__(self, kinds: Iterable[str], options: Options) -> None:
        self.kinds = tuple(kinds)
        self.options = options
        self._open: dict[Window, _Open] = {}

    def add(
        self, day: Day, ranked: list[RankedPaper] | None = None, file: str | None = None
    ) -> None:
        """`file`: a digest of the day's file, kept with each of its windows."""
        listed = rank_day(day, self.options) if ranked is None else ranked
        self.add_later(day.date, day.collected_at, bool(listed), lambda: (day, listed), file)

    def add_later(
        self, date: str, collected_at: str, listed: bool, load: DayLoad, file: str | None = None
    ) -> None:
        """A day known by its date, collection time and whether it lists a paper; `load`
        gives its papers if one of its windows is ranked."""
        for kind in self.kinds:
            window = self._open.setdefault(window_of(date, kind), _Open())
            window.collected = max(window.collected, collected_at)
            window.listed = window.listed or listed
            window.days.append(load)
            if file is not None:
                window.files.append(file)

    def windows(self) -> list[Window]:
        """The windows that have days, oldest first (weeks before the month they start)."""
        return sorted(self._open)

    def close(self, before: str | None = None) -> list[ClosedWindow]:
        """The windows that end before the day `before` (all with None), oldest first;
        they are let go, so a build holds only the windows still open."""
        closed = [w for w in self.windows() if before is None or w.last < before]
        result = []
        for window in closed:
            known = self._open[window]
            result.append(
                ClosedWindow(
                    window,
                    known.collected,
                    tuple(known.files),
                    known.listed,
                    tuple(known.days),
                    self.options,
                )
            )
        for window in closed:
            del self._open[window]
        return result

    def ranked(self, window: Window) -> list[WindowItem]:
        """The window's papers, best summed score first (stable: the earliest first day
        and then the paper id break ties), at most `window_max_papers`."""
        return _ranked(self._open.get(window, _Open()).days, self.options)


def _ranked(days: Iterable[DayLoad], options: Options) -> list[WindowItem]:
    summed: dict[str, _Entry] = {}
    for load in days:
        day, listed = load()
        for item in listed:
            _add(summed, day.date, item)
    entries = sorted(summed.values(), key=lambda e: (-e.score, e.days[0][0], e.paper.id))[
        : options.window_max_papers
    ]
    # A window's page shows fewer posts per paper than a day's: it lists papers of many
    # days, and each day's page has them all.
    embeds = replace(options, max_embeds=options.window_max_embeds)
    items = []
    for rank, entry in enumerate(entries, start=1):
        paper = replace(
            entry.paper,
            totals=entry.totals,
            sources=dict(sorted(entry.sources.items())) if entry.broken_down else {},
            mentions=tuple(entry.posts.values()),
        )
        explained = combined(entry.explanations) if entry.explanations else None
        item = RankedPaper(rank, paper, entry.score, select_embeds(paper, embeds), explained)
        items.append(WindowItem(item, tuple(entry.days)))
    return items


def _add(entries: dict[str, _Entry], date: str, item: RankedPaper) -> None:
    paper = item.paper
    entry = entries.get(paper.id)
    if entry is None:
        entry = entries[paper.id] = _Entry(paper)
    else:
        entry.paper = paper
    entry.days.append((date, item.rank, item.score))
    if item.explanation is not None:
        entry.explanations.append(item.explanation)
    entry.broken_down = entry.broken_down and bool(paper.sources)
    for name, counts in paper.sources.items():
        known = entry.sources.get(name)
        entry.sources[name] = counts if known is None else add_counts(known, counts)
    entry.totals = add_counts(entry.totals, paper.totals)
    for mention in paper.mentions:
        key = (mention.source, mention.id)
        stored = entry.posts.get(key)
        if stored is None or mention.score > stored.score:
            entry.posts[key] = mention
