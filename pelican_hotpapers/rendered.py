"""Each selected day as an article needs it: page metadata, HTML and category entries.

Days are handled one at a time (a build never holds all parsed days). With
Pelican's `CACHE_CONTENT`, what a day became is kept in `CACHE_PATH/hotpapers`
and reused while the day file, the options, the Markdown settings and the code
are unchanged, as Pelican reuses what it read from committed files
(`LOAD_CONTENT_CACHE = False` rebuilds every entry).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields, replace
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import markdown
import markdown.extensions
from pelican.readers import MarkdownReader

from hotpapers import stash
from hotpapers.cache import DayCache
from hotpapers.config import Options
from hotpapers.days import select_dates
from hotpapers.errors import HotpapersError
from hotpapers.model import Day
from hotpapers.page_cache import PageCache, code_digest, entry_key
from hotpapers.render import (
    CategoryEntry,
    CategoryHref,
    SitePage,
    day_index_entries,
    render_site_page,
)
from hotpapers.store import day_files, decode_day, read_day, read_day_bytes

log = logging.getLogger(__name__)

# Parsed day files, reused across `pelican --autoreload` rebuilds. A plugin cannot
# tell autoreload from a single build, so the cache is kept from the second build
# in a process on; a single build parses each day once and holds none of them (peak memory).
_parsed = DayCache()
_builds = [0]


class MarkdownConverter:
    """The site's own Markdown settings, set up once per build (not once per page)."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        MarkdownReader(settings)  # normalises settings["MARKDOWN"] as Pelican's reader does
        self.settings = settings["MARKDOWN"]
        self._markdown = markdown.Markdown(**self.settings)

    def convert(self, text: str) -> str:
        self._markdown.reset()
        return self._markdown.convert(text)

    def convert_page(self, page: SitePage) -> str:
        """The HTML blocks skip Markdown (see hotpapers.stash); the same page either way."""
        html = stash.restore(self.convert(page.stashed_body), page.blocks)
        return html if html is not None else self.convert(page.body)


@dataclass(frozen=True)
class RenderedDay:
    date: str
    page: SitePage  # metadata; its Markdown is left out (the article needs `content`)
    content: str
    entries: tuple[tuple[str, CategoryEntry], ...]  # (category, entry), when indexing


@dataclass(frozen=True)
class ContentCache:
    """Entries for days and for extra pages, and what every key includes."""

    days: PageCache
    pages: PageCache
    key_parts: tuple[str, ...]


def content_cache(
    settings: Mapping[str, Any], options: Options, status: str, converter: MarkdownConverter
) -> ContentCache | None:
    """The cache under `CACHE_PATH/hotpapers` when Pelican caches content, else None."""
    if not settings.get("CACHE_CONTENT"):
        return None
    directory = Path(settings["CACHE_PATH"]) / "hotpapers"
    load = bool(settings.get("LOAD_CONTENT_CACHE", False))  # Pelican's default
    key_parts = (
        code_digest(Path(__file__).parent),
        repr(options),
        status,
        json.dumps(converter.settings, sort_keys=True, default=_stable),
        _library_versions(),
    )
    return ContentCache(
        PageCache(directory / "days", load=load),
        PageCache(directory / "pages", load=load),
        key_parts,
    )


# Libraries whose output is part of a cached page: a new release (a sanitiser fix in
# nh3, say) must rebuild the pages.
_LIBRARIES = ("pelican", "markdown", "nh3", "jinja2", "markupsafe", "pymdown-extensions")


@cache
def _library_versions() -> str:
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    return ";".join(versions)


def _stable(value: object) -> object:
    """A JSON stand-in for objects in MARKDOWN settings (extension instances, functions)
    that is the same in every run: their repr holds a memory address."""
    kind = type(value)
    if isinstance(value, markdown.extensions.Extension):
        return {f"{kind.__module__}.{kind.__qualname__}": value.getConfigs()}
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', kind.__name__)}"
    return repr(value)


def converted(
    converter: MarkdownConverter, cache: ContentCache | None, name: str, text: str
) -> str:
    """An extra page's Markdown as HTML, from the cache while the Markdown is unchanged."""
    if cache is None:
        return converter.convert(text)
    key = entry_key(text.encode("utf-8"), *cache.key_parts)
    html = cache.pages.get(name, key)
    if not isinstance(html, str):
        html = converter.convert(text)
        cache.pages.put(name, key, html)
    return html


def rendered_days(
    data_dir: Path,
    options: Options,
    converter: MarkdownConverter,
    category_href: CategoryHref,
    cache: ContentCache | None,
) -> Iterator[RenderedDay]:
    """The selected days, oldest first; a bad day file is one error line and is skipped."""
    _builds[0] += 1
    stored = dict(day_files(data_dir))
    dates = select_dates(list(stored), options)
    for date in dates:
        try:
            if cache is None:
                # A single build parses each day once and lets it go; autoreload keeps them.
                day = _parsed.load(stored[date]) if _builds[0] > 1 else read_day(stored[date])
                rendered = _render(day, options, converter, category_href)
            else:
                rendered = _cached(cache, stored[date], date, options, converter, category_href)
        except HotpapersError as error:
            problem = str(error).splitlines()[0]
        else:
            problem = None
        if problem is not None:
            # Logged outside `except`: with --fatal errors Pelican raises from the
            # logger, and our exception must not be chained into its traceback.
            log.error("%s (day skipped)", problem)
            continue
        yield rendered
    if cache is not None:
        cache.days.prune(dates)


def _render(
    day: Day, options: Options, converter: MarkdownConverter, category_href: CategoryHref
) -> RenderedDay:
    page = render_site_page(day, options, category_href)
    entries = tuple(day_index_entries(day, options)) if options.category_index else ()
    content = converter.convert_page(page)
    return RenderedDay(day.date, replace(page, stashed_body="", blocks=()), content, entries)


def _cached(
    cache: ContentCache,
    path: Path,
    date: str,
    options: Options,
    converter: MarkdownConverter,
    category_href: CategoryHref,
) -> RenderedDay:
    content = read_day_bytes(path)
    key = entry_key(content, *cache.key_parts)
    value = cache.days.get(date, key)
    if value is not None:
        try:
            return _from_json(date, value)
        except (KeyError, TypeError, ValueError):
            pass  # an entry of another shape: rebuilt below
    rendered = _render(decode_day(content, str(path), date), options, converter, category_href)
    cache.days.put(date, key, _to_json(rendered))
    return rendered


_PAGE_FIELDS = tuple(f.name for f in fields(SitePage) if f.name not in ("stashed_body", "blocks"))


def _to_json(rendered: RenderedDay) -> dict[str, Any]:
    return {
        "page": {name: getattr(rendered.page, name) for name in _PAGE_FIELDS},
        "content": rendered.content,
        "entries": [[category, asdict(entry)] for category, entry in rendered.entries],
    }


def _from_json(date: str, value: dict[str, Any]) -> RenderedDay:
    page = dict(value["page"])
    page["tags"] = tuple(page["tags"])
    return RenderedDay(
        date,
        SitePage(**page, stashed_body="", blocks=()),
        str(value["content"]),
        tuple((str(category), CategoryEntry(**entry)) for category, entry in value["entries"]),
    )
