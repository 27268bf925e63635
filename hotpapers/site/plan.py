"""The site plan: every page a site gets from the day files, for any host.

`SitePlan` selects the days (`since`, `until`, `last_days`), loads each one
(a bad file is one message and is skipped), renders its page, collects the
category index, and then renders the pages built from all days: one page per
arXiv category, the overview of categories and, for hosts without an index of
their own, the index of days. A host supplies only a `SiteLinks` (where each
page lives and how one page links to another) and turns the planned pages into
its own files, articles or pages.

Days are planned one at a time, so a build never holds every parsed day. A host
that caches its content between builds passes a `DayMemo`: a day whose file,
options and host settings are unchanged is then not loaded or rendered again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from hotpapers.config import Options
from hotpapers.days import select_dates
from hotpapers.errors import HotpapersError
from hotpapers.model import Day
from hotpapers.rank import rank_day
from hotpapers.site.day_cache import DayCache
from hotpapers.site.page_cache import PageCache, entry_key
from hotpapers.site.pages import (
    CategoryEntry,
    IndexEntry,
    MarkdownPage,
    SitePage,
    category_slug,
    day_index_entries,
    render_category_overview,
    render_category_page,
    render_index,
    render_site_page,
    render_window_page,
    sorted_index,
    summary,
)
from hotpapers.site.windows import Window, WindowIndex
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
    """A day's page. `content` is the host's HTML when the host converts pages itself
    (see `SitePlan.days`); then `page` holds the metadata only."""

    date: str
    location: str
    page: SitePage
    content: str | None = None


@dataclass(frozen=True)
class PlannedPage:
    """A page built from all days: a category page, the overview or the index."""

    kind: str  # "category", "categories" or "index"
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
    ) -> None:
        """`report` gets one line per day file skipped; `parsed` keeps parsed days across
        rebuilds of a serving host (None: each day is parsed once and let go)."""
        self.options = options
        self.links = links
        self.title = title
        self._report = report
        self._parsed = parsed
        stored = dict(day_files(data_dir))
        self._stored = stored
        self.dates = select_dates(list(stored), options)
        self._index: dict[str, list[CategoryEntry]] = {}
        self._listed: list[IndexEntry] = []
        self._planned: dict[str, str] = {}  # date -> location of the days planned

    # --- days ----------------------------------------------------------------

    def days(
        self, convert: Callable[[SitePage], str] | None = None, memo: DayMemo | None = None
    ) -> Iterator[PlannedDay]:
        """Each selected day that loads, oldest first.

        With `convert`, the host's HTML of the page is made here (and kept in `memo`);
        the page then carries its metadata only.
        """
        for date in self.dates:
            result = _or_report(self._report, self._day, date, convert, memo)
            if result is None:
                continue
            planned, entries, index_entry = result
            for category, entry in entries:
                self._index.setdefault(category, []).append(entry)
            self._listed.append(index_entry)
            self._planned[date] = planned.location
            yield planned
        if memo is not None:
            memo.cache.prune(self.dates)

    def _day(
        self, date: str, convert: Callable[[SitePage], str] | None, memo: DayMemo | None
    ) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry]:
        path = self._stored[date]
        if memo is None:
            return self._render(self._load(path), convert)
        content = read_day_bytes(path)
        key = entry_key(content, *memo.key_parts)
        value = memo.cache.get(date, key)
        if value is not None:
            try:
                return _from_json(value)
            except (KeyError, TypeError, ValueError):
                pass  # an entry of another shape: rebuilt below
        result = self._render(decode_day(content, str(path), date), convert)
        memo.cache.put(date, key, _to_json(result))
        return result

    def _load(self, path: Path) -> Day:
        return self._parsed.load(path) if self._parsed is not None else read_day(path)

    def _render(
        self, day: Day, convert: Callable[[SitePage], str] | None
    ) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry]:
        options = self.options
        location = self.links.day(day.date, options.page_slug(day.date))
        indexing = options.category_index

        def local(category: str) -> str | None:
            # Every category of a listed paper gets its page.
            return (
                self.links.href(category_location(self.links, category), location)
                if indexing
                else None
            )

        page = render_site_page(day, options, local)
        content = None
        if convert is not None:
            content = convert(page)
            page = replace(page, stashed_body="", blocks=())
        entries = tuple(day_index_entries(day, options)) if indexing else ()
        index_entry = IndexEntry(
            date=day.date,
            link=location,
            title=options.page_title(day.date),
            summary=summary(day, rank_day(day, options)),
        )
        return PlannedDay(day.date, location, page, content), entries, index_entry

    # --- pages built from all days ------------------------------------------------

    def pages(self) -> list[PlannedPage]:
        """The category pages, the overview and (when the host has none) the index."""
        planned: list[PlannedPage] = []
        index = sorted_index(self._index)
        links = self.links
        if index:
            overview_at = links.page(CATEGORIES, "index")
            for category, entries in index.items():
                location = category_location(links, category)

                def day_href(date: str, at: str = location) -> str:
                    return links.href(self._planned[date], at)

                page = render_category_page(
                    category, entries, day_href, overview_href=links.href(overview_at, location)
                )
                planned.append(PlannedPage("category", location, page, listed=False))
            overview = render_category_overview(
                f"{self.title} by category",
                index,
                lambda category: links.href(category_location(links, category), overview_at),
            )
            planned.append(PlannedPage("categories", overview_at, overview, listed=True))
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


CATEGORIES = "categories"  # the section of the category pages and their overview


def category_location(links: SiteLinks, category: str) -> str:
    """Where a category's page goes."""
    return links.page(CATEGORIES, category_slug(category))


# --- memo entries -------------------------------------------------------------------

_PAGE_FIELDS = tuple(f.name for f in fields(SitePage) if f.name not in ("stashed_body", "blocks"))


def _to_json(
    result: tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry],
) -> dict[str, Any]:
    planned, entries, index_entry = result
    return {
        "date": planned.date,
        "location": planned.location,
        "page": {name: getattr(planned.page, name) for name in _PAGE_FIELDS},
        "content": planned.content,
        "entries": [[category, asdict(entry)] for category, entry in entries],
        "index": asdict(index_entry),
    }


def _from_json(
    value: dict[str, Any],
) -> tuple[PlannedDay, tuple[tuple[str, CategoryEntry], ...], IndexEntry]:
    page = dict(value["page"])
    page["tags"] = tuple(page["tags"])
    content = value["content"]
    planned = PlannedDay(
        str(value["date"]),
        str(value["location"]),
        SitePage(**page, stashed_body="", blocks=()),
        None if content is None else str(content),
    )
    entries = tuple((str(category), CategoryEntry(**entry)) for category, entry in value["entries"])
    return planned, entries, IndexEntry(**value["index"])


def window_page(
    data_dir: Path, window: Window, options: Options, report: Report = lambda message: None
) -> SitePage:
    """The page of one window from the day files it holds (a bad one is reported and
    skipped, as on sites); day pages are linked as sibling files (`<slug>.md`)."""
    index = WindowIndex([window.kind], options)
    for date, path in day_files(data_dir):
        if not window.holds(date):
            continue
        day = _or_report(lambda problem: report(f"{problem} (day skipped)"), read_day, path)
        if day is not None:
            index.add(day)
    return render_window_page(
        window, index.ranked(window), options, lambda date: f"{options.page_slug(date)}.md"
    )
