"""The site plan: every page a site gets from the day files, for any host.

`SitePlan` selects the days (`since`, `until`, `last_days`), loads each one
(a bad file is one message and is skipped), renders its page with its trend
marks, renders the page of each week, month or year as it ends, collects the
category index, and then renders the pages built from all days: one page per
arXiv category, the overview of categories, the lists of windows and, for hosts
without an index of their own, the index of days. A host supplies only a `SiteLinks` (where each
page lives and how one page links to another) and turns the planned pages into
its own files, articles or pages.

Days are planned a week at a time, so a build never holds every parsed day. A host
that caches its content between builds passes a `DayMemo`: a day whose file,
marks, options and host settings are unchanged is then not rendered or converted
again, nor parsed (its file is read and hashed; its entry keeps the ranks and scores
the marks of later days need). A window reads its days only when its page must be
rendered again.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from hotpapers.config import Options
from hotpapers.days import select_dates
from hotpapers.errors import HotpapersError
from hotpapers.model import Day, is_moment
from hotpapers.rank import RankedPaper, rank_day
from hotpapers.site import stash
from hotpapers.site.day_cache import DayCache
from hotpapers.site.page_cache import PageCache, entry_key
from hotpapers.site.pages import (
    CategoryEntry,
    IndexEntry,
    MarkdownPage,
    SitePage,
    category_slug,
    day_index_entries,
    is_category,
    paper_anchor,
    render_category_overview,
    render_category_page,
    render_category_years,
    render_index,
    render_site_page,
    render_window_list,
    render_window_page,
    sorted_index,
    summary,
)
from hotpapers.site.trends import CURVE_DAYS, DayScore, Trend
from hotpapers.site.windows import ClosedWindow, Window, WindowIndex, window_of
from hotpapers.store import day_files, decode_day, read_day, read_day_bytes


class SiteLinks(Protocol):
    """Where the host puts each page, and how a page links to another."""

    def day(self, date: str, slug: str) -> str:
        """The location of a day's page (e.g. `hot-papers/2021-06-29.md`)."""

    def page(self, section: str, name: str) -> str:
        """The location of a page the plan makes from all days: `name` in `section`
        (`categories`/`index` is the overview, `categories/cs-lg` a category). A new
        kind of page is a new section: hosts place it with no change."""

    def index(self) -> str | None:
        """The location of the index of days; None when the host has its own (a blog)."""

    def href(self, target: str, source: str) -> str:
        """A link, written on the page at `source`, to the page at `target`."""


@dataclass(frozen=True)
class SourceLinks:
    """Pages at fixed source paths, linked by `prefix` + the target's path: Pelican's
    `{filename}/` syntax, which Pelican resolves to the target's URL when it writes."""

    prefix: str
    folder: str = "hotpapers"

    def day(self, date: str, slug: str) -> str:
        return f"{self.folder}/{slug}.md"

    def page(self, section: str, name: str) -> str:
        return f"{self.folder}/{section}/{name}.md"

    def index(self) -> None:
        return None  # the host's index and archives list the days

    def href(self, target: str, source: str) -> str:
        return self.prefix + target


@dataclass(frozen=True)
class PlannedDay:
    """A dated page: a day's, or a window's (`kind` week, month or year; `date` is then
    the window's key). `content` is the host's HTML when the host converts pages itself
    (see `SitePlan.days`); then `page` holds the metadata only."""

    date: str
    location: str
    page: SitePage
    content: str | None = None
    kind: str = "day"


@dataclass(frozen=True)
class PlannedPage:
    """A page built from all days: a category page, the overview or the index."""

    kind: str  # "category", "categories", "windows" (the list of a kind) or "index"
    location: str
    page: MarkdownPage
    listed: bool  # shown in lists and navigation (the overview, the index), or hidden


@dataclass(frozen=True)
class DayMemo:
    """A host's cache of converted days: the entries and what every key includes."""

    cache: PageCache
    key_parts: tuple[str, ...]


Report = Callable[[str], None]
T = TypeVar("T")


def _or_report(report: Report, load: Callable[..., T], *args: Any) -> T | None:
    """What `load(*args)` gives, or None after reporting the first line of its error
    (outside `except`: a host that raises from its logger shows no chained traceback)."""
    problem = ""
    try:
        return load(*args)
    except HotpapersError as error:
        problem = str(error).splitlines()[0]
    report(problem)
    return None


class _Source:
    """A day's papers and ranked list, parsed on first use: a day whose page a memo kept,
    in windows whose pages it kept, is never parsed."""

    def __init__(self, parse: Callable[[], Day], options: Options) -> None:
        self._parse: Callable[[], Day] | None = parse
        self._options = options
        self._value: tuple[Day, list[RankedPaper]] | None = None

    @classmethod
    def parsed(cls, day: Day, ranked: list[RankedPaper], options: Options) -> _Source:
        source = cls(lambda: day, options)
        source._value = (day, ranked)
        return source

    def get(self) -> tuple[Day, list[RankedPaper]]:
        if self._value is None:
            assert self._parse is not None
            day = self._parse()
            self._value = (day, rank_day(day, self._options))
            self._parse = None
        return self._value


# What the marks of days and windows need of a day: each listed paper's id, rank and score.
Listing = tuple[tuple[str, int, float], ...]


@dataclass
class _Listed:
    """A day waiting for its week to end (the week's ranks go on its page)."""

    date: str
    source: _Source
    collected: str  # when the day was collected
    listing: Listing
    earlier: dict[str, tuple[int, tuple[DayScore, ...]]]  # per paper: days before, the last
    history: bool  # the site has earlier days
    file: str | None = None  # with a memo: the digest of the day's file
    key: str = ""  # with a memo: the key of the day's entry (the file and what shapes it)
    stored: Any = None  # with a memo: the entry's value, if it has one


class SitePlan:
    """The pages of one build. Iterate `days()` first, then ask for `pages()`."""

    def __init__(
        self,
        data_dir: Path,
        options: Options,
        links: SiteLinks,
        *,
        title: str = "Hot Papers",
        report: Report = lambda message: None,
        parsed: DayCache | None = None,
        window_lists: bool | None = None,
        open_windows: bool = False,
    ) -> None:
        """`report` gets one line per day file skipped; `parsed` keeps parsed days across
        rebuilds of a serving host (None: each day is parsed once and let go).
        `window_lists`: make a page listing the windows of each kind (default: when the
        host has no index of its own, i.e. no blog to list them). A window gets its page
        once it is over (the newest day is its last day or later: so no page is dated in
        the future or changes its date), unless `open_windows`."""
        self.options = options
        self.links = links
        self.title = title
        self._report = report
        self._parsed = parsed
        self._window_lists = links.index() is not None if window_lists is None else window_lists
        stored = dict(day_files(data_dir))
        self._stored = stored
        self.dates = select_dates(list(stored), options)
        self._newest = ""  # the newest day loaded: windows up to it are over
        self._open_windows = open_windows
        self._index: dict[str, list[CategoryEntry]] = {}
        self._listed: list[IndexEntry] = []
        self._planned: dict[str, str] = {}  # date -> location of the days planned
        # paper id -> how many days listed it, and the last of them (for the curve)
        self._history: dict[str, tuple[int, tuple[DayScore, ...]]] = {}
        self._windows: dict[str, list[IndexEntry]] = {kind: [] for kind in options.windows}
        self._distrusted: set[str] = set()  # days whose memo entry listed a bad file

    # --- days and windows ---------------------------------------------------------

    def days(
        self, convert: Callable[[SitePage], str] | None = None, memo: DayMemo | None = None
    ) -> Iterator[PlannedDay]:
        """Each selected day that loads, oldest first, and the page of each window (week,
        month, year) after its last day.

        With `convert`, the host's HTML of the page is made here (and kept in `memo`);
        the page then carries its metadata only. Days wait for the end of their week
        (its ranks are marked on them); the windows still open keep their days (parsed,
        or with a memo the bytes of a day not parsed) until they end: a build holds at
        most a month of days with the default windows, a year with `year` pages.
        """
        windows = WindowIndex(self.options.windows, self.options)
        waiting: list[_Listed] = []
        kept: list[str] = []
        for date in self.dates:
            listed = _or_report(self._report, self._list, date, memo)
            if listed is None:
                continue
            if waiting and _week(date) != _week(waiting[0].date):
                yield from self._flush(windows, date, waiting, convert, memo, kept)
                waiting = []
            waiting.append(listed)
            # A memo keys each window's entry by its days' files.
            windows.add_later(
                date, listed.collected, bool(listed.listing), listed.source.get, listed.file
            )
        yield from self._flush(windows, None, waiting, convert, memo, kept)
        if memo is not None:
            memo.cache.prune([*self.dates, *kept])

    def _list(self, date: str, memo: DayMemo | None) -> _Listed:
        """The day of `date`. With a memo whose entry for the file's bytes lists its papers,
        the file is read and not parsed (unless its page or a window must be rendered)."""
        path = self._stored[date]
        file, key, stored, known = None, "", None, None
        if memo is None:
            day = self._load(path)
            source = _Source.parsed(day, rank_day(day, self.options), self.options)
        else:
            content = read_day_bytes(path)
            file = hashlib.sha256(content).hexdigest()
            key = entry_key(file.encode(), *memo.key_parts)
            stored = memo.cache.get(date, key)
            known = _listing_from_json(stored)

            def parse() -> Day:
                if self._parsed is not None:
                    return self._parsed.decode(path, content, date)
                return decode_day(content, str(path), date)

            if known is None:
                source = _Source(parse, self.options)
                source.get()  # a bad file is reported and skipped here
            else:
                source = _Source(self._trusted(parse, date, known[0]), self.options)
        if known is None:
            day, ranked = source.get()
            known = day.collected_at, tuple((i.paper.id, i.rank, i.score) for i in ranked)
        collected, listing = known
        earlier: dict[str, tuple[int, tuple[DayScore, ...]]] = {}
        history = bool(self._newest)  # an earlier day was loaded
        self._newest = date
        if self.options.trend_marks:
            for paper_id, rank, score in listing:
                count, last = self._history.get(paper_id, (0, ()))
                earlier[paper_id] = (count, last)
                recent = (*last, (date, rank, score))[-(CURVE_DAYS - 1) :]
                self._history[paper_id] = (count + 1, recent)
        return _Listed(date, source, collected, listing, earlier, history, file, key, stored)

    def _trusted(self, parse: Callable[[], Day], date: str, collected: str) -> Callable[[], Day]:
        """`parse`, for a file a memo entry lists as good: should it fail (the entry was
        planted), the problem is reported and the day shows no papers."""

        def checked() -> Day:
            try:
                return parse()
            except HotpapersError as error:
                self._distrusted.add(date)
                problem = str(error).splitlines()[0]
                self._report(f"{problem} (a page cache entry listed it: the entry is dropped)")
                return Day(date, collected)

        return checked

    def _load(self, path: Path) -> Day:
        return self._parsed.load(path) if self._parsed is not None else read_day(path)

    def _flush(
        self,
        windows: WindowIndex,
        before: str | None,
        waiting: list[_Listed],
        convert: Callable[[SitePage], str] | None,
        memo: DayMemo | None,
        kept: list[str],
    ) -> Iterator[PlannedDay]:
        """The pages of the windows ended before `before` (all with None), then the
        waiting days, which those windows' weeks mark."""
        week_ranks: dict[str, dict[str, int]] = {}
        for closed in windows.close(before):
            window = closed.window
            if not closed.listed or (window.last > self._newest and not self._open_windows):
                continue  # nothing to show, or the window is not over: no page yet
            planned, ranks = self._window(closed, convert, memo)
            kept.append(window.key)
            if window.kind == "week":
                week_ranks[window.key] = ranks
            yield planned
        for listed in waiting:
            yield self._day(listed, week_ranks, convert, memo)

    def _day(
        self,
        listed: _Listed,
        week_ranks: dict[str, dict[str, int]],
        convert: Callable[[SitePage], str] | None,
        memo: DayMemo | None,
    ) -> PlannedDay:
        location = self.links.day(listed.date, self.options.page_slug(listed.date))
        trends = self._trends(listed, location, week_ranks)
        marks = ""
        cached = None
        if memo is not None:
            # The page is kept for its marks too (dataclasses: a stable, cheap repr).
            marks = hashlib.sha256(repr(tuple(trends.values())).encode()).hexdigest()
            cached = _from_json(listed.stored, listed.date, marks)
        if cached is not None and cached[0].page.slug != self.options.page_slug(listed.date):
            cached = None  # where a post goes (Material's blog: its slug) is never the cache's
        if cached is not None:
            planned, entries, index_entry = cached
            cached = (
                replace(planned, location=location),
                entries,
                replace(index_entry, link=location),
            )
        result = cached or self._render(listed, location, trends, convert)
        if memo is not None and cached is None:
            # A planted listing of a bad file is not kept: the next build reads the file.
            distrusted = listed.date in self._distrusted
            value = {} if distrusted else _to_json(result, listed, marks)
            memo.cache.put(listed.date, listed.key, value)
        planned, entries, index_entry = result
        for category, entry in entries:
            self._index.setdefault(category, []).append(entry)
        self._listed.append(index_entry)
        self._planned[listed.date] = planned.location
        return planned

    def _trends(
        self, listed: _Listed, location: str, week_ranks: dict[str, dict[str, int]]
    ) -> dict[str, Trend]:
        if not self.options.trend_marks:
            return {}
        week = window_of(listed.date, "week")
        ranks = week_ranks.get(week.key, {})
        week_at = self._window_location(week)
        trends = {}
        for paper_id, rank, score in listed.listing:
            week_rank = ranks.get(paper_id, 0)
            days_before, last = listed.earlier.get(paper_id, (0, ()))
            trend = Trend(
                listed.date,
                rank,
                score,
                last,
                days_before,
                listed.history,
                week.key if week_rank else None,
                week_rank,
                f"{self.links.href(week_at, location)}#{paper_anchor(paper_id)}"
                if week_rank
                else "",
            )
            if trend.markdown() or trend.earlier:
                trends[paper_id] = trend
        return trends

    def _category_href(self, location: str, year: str | None) -> Callable[[str], str | None]:
        """Links to a category's page of `year` (a day's: its entry is there), or with None
        to the category's list of years (a window's, which may span two years)."""

        def local(category: str) -> str | None:
            # Every category of a listed paper gets its pages.
            if not self.options.category_index:
                return None
            return self.links.href(category_location(self.links, category, year), location)

        return local

    def _render(
        self,
        listed: _Listed,
        location: str,
        trends: dict[str, Trend],
        convert: Callable[[SitePage], str] | None,
    ) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry]:
        options = self.options
        day, ranked = listed.source.get()
        page = render_site_page(
            day, options, self._category_href(location, day.date[:4]), trends, ranked
        )
        content = None
        if convert is not None:
            content = convert(page)
            page = replace(page, stashed_body="", blocks=())
        entries = (
            tuple(day_index_entries(day, options, ranked, trends)) if options.category_index else ()
        )
        index_entry = IndexEntry(
            date=day.date,
            link=location,
            title=options.page_title(day.date),
            summary=summary(day, ranked),
        )
        return PlannedDay(day.date, location, page, content), entries, index_entry

    def _window_location(self, window: Window) -> str:
        return self.links.day(window.key, self.options.page_slug(window.key.lower()))

    def _window(
        self,
        closed: ClosedWindow,
        convert: Callable[[SitePage], str] | None,
        memo: DayMemo | None,
    ) -> tuple[PlannedDay, dict[str, int]]:
        """The window's page and the rank of each of its papers."""
        options, links, window = self.options, self.links, closed.window
        location = self._window_location(window)
        # A window's page follows from its days' files (and what every key holds).
        key = entry_key(" ".join(closed.files).encode(), *memo.key_parts) if memo else ""
        cached = _window_from_json(memo.cache.get(window.key, key)) if memo else None
        if cached is not None and cached[0].slug != options.page_slug(window.key.lower()):
            cached = None  # where a post goes (Material's blog: its slug) is never the cache's
        if cached is not None:
            page, content, ranks = cached
        else:
            items = closed.items()
            ranks = {i.ranked.paper.id: i.ranked.rank for i in items}

            def day_href(date: str) -> str:
                return links.href(links.day(date, options.page_slug(date)), location)

            category_href = self._category_href(location, None)
            page = render_window_page(
                window, items, options, day_href, category_href, closed.collected
            )
            content = None
            if convert is not None:
                content = convert(page)
                page = replace(page, stashed_body="", blocks=())
            if memo is not None:
                value = {"page": _page_json(page, content), "content": content, "ranks": ranks}
                memo.cache.put(window.key, key, value)
        self._windows[window.kind].append(
            IndexEntry(window.key, location, page.title, page.summary)
        )
        return PlannedDay(window.key, location, page, content, kind=window.kind), ranks

    # --- pages built from all days ------------------------------------------------

    def pages(self, memo: DayMemo | None = None) -> list[PlannedPage]:
        """The category pages, the overview, the lists of windows and (when the host has
        none) the index. With `memo`, a category's page of a year is rendered only when
        its entries changed (they are most of the work: thousands of lines each)."""
        planned: list[PlannedPage] = []
        index = sorted_index(self._index)
        links = self.links
        kept: list[str] = []
        if index:
            overview_at = links.page(CATEGORIES, "index")
            for category, entries in index.items():
                planned.extend(self._category_pages(category, entries, overview_at, memo, kept))
            if memo is not None:
                memo.cache.prune(kept)

            def category_href(category: str, year: str | None = None) -> str:
                return links.href(category_location(links, category, year), overview_at)

            overview = render_category_overview(f"{self.title} by category", index, category_href)
            planned.append(PlannedPage("categories", overview_at, overview, listed=True))
        if self._window_lists:
            for kind, windows in self._windows.items():
                if not windows:
                    continue
                at = links.page(kind, "index")
                listed = [
                    replace(window, link=links.href(window.link, at))
                    for window in reversed(windows)
                ]
                page = render_window_list(f"{self.title} by {kind}", kind, listed)
                planned.append(PlannedPage("windows", at, page, listed=True))
        index_at = links.index()
        if index_at is not None:
            days = [
                replace(entry, link=links.href(entry.link, index_at))
                for entry in reversed(self._listed)
            ]
            planned.append(
                PlannedPage("index", index_at, render_index(self.title, days), listed=True)
            )
        return planned

    def _category_pages(
        self,
        category: str,
        entries: list[CategoryEntry],
        overview_at: str,
        memo: DayMemo | None,
        kept: list[str],
    ) -> Iterator[PlannedPage]:
        """A category's page of each year, then its list of years: no page grows without
        bound as days are added."""
        links = self.links
        hub_at = category_location(links, category)
        years = _by_year(entries)
        for year, listed in years.items():
            location = category_location(links, category, year)

            def day_href(date: str, at: str = location) -> str:
                return links.href(self._planned[date], at)

            def render(
                listed: list[CategoryEntry] = listed, at: str = location, year: str = year
            ) -> MarkdownPage:
                return render_category_page(
                    category,
                    listed,
                    day_href,
                    overview_href=links.href(overview_at, at),
                    year=year,
                    years_href=links.href(hub_at, at),
                )

            if memo is None:
                page = render()
            else:
                name = f"{category_slug(category)}-{year}"
                kept.append(name)
                days = sorted({entry.date for entry in listed})
                inputs = repr((category, year, location, listed, [self._planned[d] for d in days]))
                page = _cached_list(memo, name, inputs, render)
            yield PlannedPage("category", location, page, listed=False)
        counts = {
            year: (
                len({e.anchor for e in listed}),
                links.href(category_location(links, category, year), hub_at),
            )
            for year, listed in years.items()
        }
        total = len({entry.anchor for entry in entries})
        hub = render_category_years(category, counts, total, links.href(overview_at, hub_at))
        yield PlannedPage("category", hub_at, hub, listed=False)


def _cached_list(
    memo: DayMemo, name: str, inputs: str, render: Callable[[], MarkdownPage]
) -> MarkdownPage:
    """A generated list page from the memo while what it is made of is unchanged."""
    key = entry_key(inputs.encode("utf-8"), *memo.key_parts)
    value: Any = memo.cache.get(name, key)
    try:
        return MarkdownPage(_text(value["title"]), _text(value["slug"]), _text(value["body"]))
    except (KeyError, TypeError, ValueError):
        page = render()
        memo.cache.put(name, key, {"title": page.title, "slug": page.slug, "body": page.body})
        return page


def _by_year(entries: list[CategoryEntry]) -> dict[str, list[CategoryEntry]]:
    """Entries (newest first) by year, newest first."""
    years: dict[str, list[CategoryEntry]] = {}
    for entry in entries:
        years.setdefault(entry.date[:4], []).append(entry)
    return years


def _week(date: str) -> str:
    return window_of(date, "week").key


CATEGORIES = "categories"  # the section of the category pages and their overview


def category_location(links: SiteLinks, category: str, year: str | None = None) -> str:
    """Where a category's page of a year goes (`cs-lg-2021`), or with None its list of
    years (`cs-lg`)."""
    slug = category_slug(category)
    return links.page(CATEGORIES, slug if year is None else f"{slug}-{year}")


# --- memo entries -------------------------------------------------------------------

_PAGE_FIELDS = tuple(f.name for f in fields(SitePage) if f.name not in ("stashed_body", "blocks"))


def _page_json(page: SitePage, content: str | None) -> dict[str, Any]:
    """A page's metadata; with no host HTML (`content`), its Markdown and blocks too."""
    value = {name: getattr(page, name) for name in _PAGE_FIELDS}
    if content is None:
        value.update(segments=stash.split(page.stashed_body), blocks=list(page.blocks))
    return value


def _page_from_json(value: dict[str, Any]) -> SitePage:
    """A cached page, checked field by field (ValueError for anything else): an entry
    whose key matches is still only what a file says."""
    fields_ = {name: _text(value[name]) for name in _PAGE_FIELDS if name != "tags"}
    tags = tuple(_text(tag) for tag in _list(value["tags"]))
    blocks = tuple(_text(block) for block in _list(value.get("blocks", [])))
    segments = [_text(segment) for segment in _list(value.get("segments", [""]))]
    body = stash.joined(segments, len(blocks))
    return SitePage(**fields_, tags=tags, stashed_body=body, blocks=blocks)


def _text(value: Any) -> str:
    """A string of a memo entry: `PageCache.get` refuses entries that could hold a lone
    surrogate, so its type is all there is to check."""
    if type(value) is not str:
        raise ValueError(f"not a string: {type(value).__name__}")
    return value


# Larger numbers are no score of ours (and float() of a huge int overflows).
_MAX_SCORE = 10**15


def _score(value: Any) -> float:
    if type(value) is int and abs(value) <= _MAX_SCORE:
        return value
    if type(value) is float and math.isfinite(value):
        return value
    raise ValueError("a score of another type or size")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError(f"not a list: {type(value).__name__}")
    return value


_ANCHOR = re.compile(r"paper-[a-z0-9-]+", re.ASCII)


def _papers_json(entries: tuple[tuple[str, CategoryEntry], ...]) -> list[list[Any]]:
    """A day's category entries, one item per paper (its entry and categories, as
    `day_index_entries` gives them: a paper's in a row); their date is the day's."""
    papers: list[list[Any]] = []
    last: CategoryEntry | None = None
    for category, entry in entries:
        if entry is not last:
            last = entry
            papers.append([entry.rank, entry.title, entry.anchor, entry.score, entry.trend, []])
        papers[-1][-1].append(category)
    return papers


def _category_entries(value: Any, date: str) -> tuple[tuple[str, CategoryEntry], ...]:
    """`_papers_json`'s items back as (category, entry) pairs, checked."""
    pairs: list[tuple[str, CategoryEntry]] = []
    for rank, title, anchor, score, trend, categories in _list(value):
        if type(rank) is not int or type(anchor) is not str or not _ANCHOR.fullmatch(anchor):
            raise ValueError("a rank or anchor of another shape")
        entry = CategoryEntry(date, rank, _text(title), anchor, _score(score), _text(trend))
        for category in _list(categories):
            if type(category) is not str or not is_category(category):
                raise ValueError("not an arXiv category")  # it names a page
            pairs.append((category, entry))
    return tuple(pairs)


def _to_json(
    result: tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry],
    listed: _Listed,
    marks: str,
) -> dict[str, Any]:
    planned, entries, index_entry = result
    return {  # where the page goes and its date are the caller's (see `_entry_from_json`)
        "collected": listed.collected,
        "listing": [list(item) for item in listed.listing],
        "marks": marks,
        "page": _page_json(planned.page, planned.content),
        "content": planned.content,
        "papers": _papers_json(entries),
        "index": {"title": index_entry.title, "summary": index_entry.summary},
    }


def _window_from_json(value: Any) -> tuple[SitePage, str | None, dict[str, int]] | None:
    """A window's memo entry back (its page, the host's HTML if it made it, its papers'
    ranks), or None."""
    try:
        content = value["content"]
        ranks = value["ranks"]
        if not isinstance(ranks, dict) or not all(type(rank) is int for rank in ranks.values()):
            raise ValueError("ranks of another shape")
        page = _page_from_json(value["page"])
        return page, None if content is None else _text(content), ranks
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _listing_from_json(value: Any) -> tuple[str, Listing] | None:
    """When a day was collected and its listed papers (id, rank, score) from its memo
    entry, or None. Ranks run 1, 2, ... as `rank_day` gives them, each id once."""
    try:
        listing = []
        for rank, (paper_id, stored_rank, score) in enumerate(_list(value["listing"]), 1):
            if type(stored_rank) is not int or stored_rank != rank:
                raise ValueError("ranks out of order")
            # An int stays one: marks print scores as they are.
            listing.append((_text(paper_id), rank, _score(score)))
        collected = _text(value["collected"])
        if not is_moment(collected) or len({item[0] for item in listing}) != len(listing):
            raise ValueError("a collection time or ids of another shape")
        return collected, tuple(listing)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _from_json(
    value: Any, date: str, marks: str
) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry] | None:
    """A memo entry's page of the day `date` back if it has these marks, or None when
    there is none or it has another shape."""
    try:
        if value is None or value["marks"] != marks:
            return None
        return _entry_from_json(value, date)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _entry_from_json(
    value: dict[str, Any], date: str
) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry]:
    """Where the page goes is not read back: the caller has it."""
    content = value["content"]
    planned = PlannedDay(
        date,
        "",
        _page_from_json(value["page"]),
        None if content is None else _text(content),
    )
    entries = _category_entries(value["papers"], date)
    index = value["index"]
    return planned, entries, IndexEntry(date, "", _text(index["title"]), _text(index["summary"]))


@dataclass(frozen=True)
class SiblingLinks:
    """Every page a sibling file (`hot-papers-2021-06-29.md`): `hotpapers render`'s links."""

    def day(self, date: str, slug: str) -> str:
        return f"{slug}.md"

    def page(self, section: str, name: str) -> str:
        return f"{section}-{name}.md"

    def index(self) -> None:
        return None

    def href(self, target: str, source: str) -> str:
        return target


def planned_page(
    data_dir: Path,
    name: str,
    options: Options,
    report: Report = lambda message: None,
    *,
    open_windows: bool = False,
) -> SitePage | None:
    """The page of one day (`name` its date) or window (its key) as a site with these
    options has it, marks included, linking other pages as sibling files and arXiv's
    category listings; None when the site has no such page. A bad day file is reported
    and skipped, as on sites. `open_windows`: also windows that are not over."""
    plan = SitePlan(
        data_dir,
        replace(options, category_index=False),
        SiblingLinks(),
        report=report,
        open_windows=open_windows,
    )
    for planned in plan.days():
        if planned.date == name:
            return planned.page
    return None
