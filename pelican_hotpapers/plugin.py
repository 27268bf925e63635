"""The Pelican side: translate the HOTPAPERS setting, hand articles to the generator.

Articles are added on `article_generator_pretaxonomy`, the only signal early
enough for categories, tags, dates, archives and feeds to include them.
Ranking and rendering live in the `hotpapers` core.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import escape
from pelican import signals
from pelican.contents import Article, Page
from pelican.readers import BaseReader, default_metadata
from pelican.urlwrappers import Tag
from pelican.utils import order_content, process_translations

from hotpapers.config import Options, options_from_mapping
from hotpapers.errors import HotpapersError
from hotpapers.site.day_cache import DayCache
from hotpapers.site.pages import MarkdownPage, SitePage
from hotpapers.site.plan import DayMemo, PlannedDay, SitePlan, SourceLinks
from hotpapers.site.text import unsafe_tex
from pelican_hotpapers.conversion import MarkdownConverter, content_cache, converted

log = logging.getLogger(__name__)

SETTING = "HOTPAPERS"
STATUSES = ("published", "hidden", "draft")
WINDOWS_AS = ("articles", "pages")


@dataclass(frozen=True)
class PluginSettings:
    options: Options
    data_dir: Path
    status: str
    windows_as: str = "articles"  # window pages as articles (own categories, feeds) or pages


PLAN = "hotpapers_plan"  # context key: the articles generator's plan -> pages generator
# Virtual source paths of the articles and pages, linked in Pelican's `{filename}` syntax.
LINKS = SourceLinks("{filename}/")


class HotPapersPelican:
    """The plugin's state across the signals of a build (and autoreload rebuilds)."""

    def __init__(self) -> None:
        # Parsed day files, reused across `pelican --autoreload` rebuilds. A plugin cannot
        # tell autoreload from a single build, so they are kept from the second build in
        # a process on; a single build parses each day once and holds none (peak memory).
        self._parsed = DayCache()
        self._builds = 0

    def register(self) -> None:
        signals.article_generator_pretaxonomy.connect(self.add_articles)
        signals.page_generator_finalized.connect(self.add_category_pages)

    def add_articles(self, generator: Any) -> None:
        plugin = read_settings(generator.settings)
        if plugin is None:
            return
        self._builds += 1
        converter = MarkdownConverter(generator.settings)
        reader = BaseReader(generator.settings)
        tags = _TagSlugs(_existing_tags(generator), generator.settings)
        added: dict[str, list[Article]] = {status: [] for status in STATUSES}
        cache = content_cache(generator.settings, plugin.options, plugin.status, converter)
        skipped: list[str] = []
        as_pages = plugin.windows_as == "pages"
        plan = SitePlan(
            plugin.data_dir,
            plugin.options,
            LINKS,
            report=skipped.append,
            parsed=self._parsed if self._builds > 1 else None,
            window_lists=as_pages,
        )
        memo = DayMemo(cache.days, cache.key_parts) if cache is not None else None
        window_pages: list[PlannedDay] = []
        for day in plan.days(converter.convert_page, memo):
            if as_pages and day.kind != "day":
                window_pages.append(day)
                continue
            article = _article(generator, day, reader, tags, plugin.status)
            if article is not None:
                generator.add_source_path(article)
                added[article.status].append(article)
        _merge(generator, added)
        generator.context[PLAN] = (plan, converter, cache, window_pages, plugin.status)
        for problem in skipped:
            # Logged here, not in the core: with --fatal errors Pelican raises from the
            # logger, and its traceback should pass through this frame only.
            log.error("%s (day skipped)", problem)

    def add_category_pages(self, generator: Any) -> None:
        """Hidden category pages and a listed overview; with `windows_as = "pages"`, a
        hidden page per window and a listed list of each kind. All follow `status`."""
        planned = generator.context.pop(PLAN, None)
        if planned is None:
            return
        # Every page made from the days follows their status: drafts stay drafts, and
        # hidden days get no listed page (no menu entry leads to them).
        plan, converter, cache, window_pages, days_status = planned
        for window in window_pages:
            page = MarkdownPage(window.page.title, window.page.slug, "")
            status = "hidden" if days_status == "published" else days_status
            content = window.content or ""
            _add_page(generator, _page(generator, page, content, window.location, status))
        lists = DayMemo(cache.lists, cache.key_parts) if cache is not None else None
        extras = plan.pages(lists)
        for extra in extras:
            content = converted(converter, cache, extra.page.slug, extra.page.body)
            status = "published" if extra.listed else "hidden"
            if days_status != "published":
                status = days_status
            _add_page(generator, _page(generator, extra.page, content, extra.location, status))
        if cache is not None:
            cache.pages.prune(extra.page.slug for extra in extras)


_plugin = HotPapersPelican()


def register() -> None:
    _plugin.register()


def read_settings(settings: Mapping[str, Any]) -> PluginSettings | None:
    """The HOTPAPERS setting, or None (with one error logged) when it is unusable.

    A site without the setting is left alone: installing hotpapers makes Pelican
    discover it in every site whose PLUGINS is unset.
    """
    if SETTING not in settings:
        if settings.get("PLUGINS") is not None:  # listed by hand: say what is missing
            log.info("%s is not set: no Hot Papers pages (see the plugin's README)", SETTING)
        return None
    raw = settings[SETTING]
    if not isinstance(raw, Mapping):
        log.error("%s: must be a dict of options, got %s", SETTING, type(raw).__name__)
        return None
    values = dict(raw)
    data = values.pop("data", "data")
    status = values.pop("status", "published")
    windows_as = values.pop("windows_as", "articles")
    if not isinstance(data, (str, os.PathLike)):
        log.error("%s: option 'data': must be a path, got %r", SETTING, data)
        return None
    for name, value, choices in (
        ("status", status, STATUSES),
        ("windows_as", windows_as, WINDOWS_AS),
    ):
        if value not in choices:
            log.error(
                "%s: option '%s': must be one of %s, got %r",
                SETTING,
                name,
                ", ".join(choices),
                value,
            )
            return None
    problem: str | None = None
    try:
        options = options_from_mapping(values, SETTING, site_only=True)
    except HotpapersError as error:
        problem = str(error)
    if problem is not None:
        log.error("%s", problem)  # outside `except`, as in add_articles
        return None
    data_dir = Path(data).resolve()
    if not data_dir.is_dir():
        log.error("%s: option 'data': directory %s does not exist", SETTING, data_dir)
        return None
    return PluginSettings(options, data_dir, status, windows_as)


def _page(generator: Any, page: MarkdownPage, content: str, source: str, status: str) -> Page:
    metadata = {"title": str(escape(page.title)), "slug": page.slug, "status": status}
    result = Page(
        content=content,
        metadata=metadata,
        settings=generator.settings,
        # Absolute: Pelican joins a relative source path to PATH once more.
        # Absolute: Pelican joins a relative source path to PATH once more.
        source_path=os.path.abspath(os.path.join(generator.path, source)),
        context=generator.context,
    )
    generator.add_source_path(result)
    return result


def _add_page(generator: Any, page: Page) -> None:
    """Where Pelican's pages generator keeps a page of its status."""
    lists = {"published": "pages", "hidden": "hidden_pages", "draft": "draft_pages"}
    getattr(generator, lists[page.status]).append(page)


class _TagSlugs:
    """Stable, collision-free slugs: an existing tag keeps its slug; `cs.LG` becomes `cs-lg`."""

    def __init__(self, existing: Iterable[Tag], settings: Mapping[str, Any]) -> None:
        self._settings = settings
        self._by_name = {tag.name: tag.slug for tag in existing}
        self._names_by_slug = {slug: name for name, slug in self._by_name.items()}

    def tag(self, name: str) -> Tag:
        tag = Tag(name, self._settings)
        slug = self._by_name.get(name)
        if slug is None:
            base = name.lower().replace(".", "-") if "." in name else tag.slug
            slug, number = base, 1
            while slug in self._names_by_slug:
                number += 1
                slug = f"{base}-{number}"
            self._by_name[name] = slug
            self._names_by_slug[slug] = name
        tag.slug = slug
        return tag


def _existing_tags(generator: Any) -> list[Tag]:
    lists = (
        "articles",
        "translations",
        "hidden_articles",
        "hidden_translations",
        "drafts",
        "drafts_translations",
    )
    return [
        tag
        for name in lists
        for article in getattr(generator, name)
        for tag in getattr(article, "tags", [])
    ]


def _article(
    generator: Any, day: PlannedDay, reader: BaseReader, tags: _TagSlugs, status: str
) -> Article | None:
    settings = generator.settings
    page = day.page
    metadata: dict[str, Any] = default_metadata(settings=settings, process=reader.process_metadata)
    # Pelican themes print title, description and summary unescaped (HTML), and
    # `article.summary|striptags|safe` in attributes, which undoes one level of escaping.
    metadata.update(
        title=str(escape(page.title)),
        date=reader.process_metadata("date", page.date),
        slug=page.slug,
        category=reader.process_metadata("category", page.category),
        tags=[tags.tag(name) for name in page.tags],
        summary=f"<p>{escape(_theme_safe_summary(page))}</p>",
        description=str(escape(page.description)),
        status=status,
        reader="hotpapers",
    )
    signals.article_generator_context.send(generator, metadata=metadata)
    source_path = os.path.abspath(os.path.join(generator.path, day.location))
    article = Article(
        content=day.content,
        metadata=metadata,
        settings=settings,
        source_path=source_path,
        context=generator.context,
    )
    return article if article.is_valid() else None


def _theme_safe_summary(page: SitePage) -> str:
    """The summary, or its first sentence when the top title holds HTML-special characters.

    Themes strip tags from the summary and print the result unescaped, e.g. into
    ``<meta name="description" content="...">``; a quote or angle bracket from
    the data would then be markup again.
    """
    if set('<>&"') & set(page.summary) or unsafe_tex(page.summary):
        return page.headline  # unsafe TeX: a theme's MathJax might typeset the summary
    return page.summary


def _merge(generator: Any, added: Mapping[str, list[Article]]) -> None:
    """Add articles where Pelican itself would have put them, in the site's order."""
    translation_id = generator.settings["ARTICLE_TRANSLATION_ID"]
    order_by = generator.settings["ARTICLE_ORDER_BY"]
    for status, originals, translations in (
        ("published", "articles", "translations"),
        ("hidden", "hidden_articles", "hidden_translations"),
        ("draft", "drafts", "drafts_translations"),
    ):
        if not added[status]:
            continue
        everything = getattr(generator, originals) + getattr(generator, translations)
        merged, merged_translations = process_translations(
            everything + added[status], translation_id=translation_id
        )
        setattr(generator, originals, order_content(merged, order_by))
        setattr(generator, translations, merged_translations)
