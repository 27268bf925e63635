"""Pages to HTML with the site's own Markdown settings, and Pelican's content cache.

With Pelican's `CACHE_CONTENT`, what a day became (the core's site plan keeps it
through a `DayMemo`) and each extra page's HTML are kept in
`CACHE_PATH/hotpapers` and reused while the day file, the options, the Markdown
settings and the code are unchanged, as Pelican reuses what it read from
committed files (`LOAD_CONTENT_CACHE = False` rebuilds every entry).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import markdown.extensions
from pelican.readers import MarkdownReader

from hotpapers.config import Options
from hotpapers.site import stash
from hotpapers.site.page_cache import (
    CORE_LIBRARIES,
    PageCache,
    code_digest,
    entry_key,
    library_versions,
)
from hotpapers.site.pages import SitePage


class MarkdownConverter:
    """The site's own Markdown settings, set up once per build (not once per page)."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        MarkdownReader(settings)  # normalises settings["MARKDOWN"] as Pelican's reader does
        self.settings = settings["MARKDOWN"]
        self._markdown = markdown.Markdown(**self.settings)

    def convert(self, text: str) -> str:
        self._markdown.reset()
        html: str = self._markdown.convert(text)
        return html

    def convert_page(self, page: SitePage) -> str:
        """The HTML blocks skip Markdown (see hotpapers.site.stash); the same page either way."""
        html = stash.restore(self.convert(page.stashed_body), page.blocks)
        return html if html is not None else self.convert(page.body)


@dataclass(frozen=True)
class ContentCache:
    """Entries for days and for extra pages, and what every key includes."""

    days: PageCache
    pages: PageCache
    lists: PageCache  # the category pages' Markdown
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
        library_versions(*_LIBRARIES),
    )
    return ContentCache(
        PageCache(directory / "days", load=load),
        PageCache(directory / "pages", load=load),
        PageCache(directory / "lists", load=load),
        key_parts,
    )


# Pelican's Markdown and its extensions make the cached HTML too.
_LIBRARIES = (*CORE_LIBRARIES, "pelican", "markdown", "pymdown-extensions")


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
