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
from hotpapers.render import (
    CategoryEntry,
    MarkdownPage,
    SitePage,
    category_slug,
    render_category_overview,
    render_category_page,
    sorted_index,
)
from hotpapers.text import unsafe_tex

from .rendered import MarkdownConverter, content_cache, converted, rendered_days

log = logging.getLogger(__name__)

SETTING = "HOTPAPERS"
STATUSES = ("published", "hidden", "draft")


@dataclass(frozen=True)
class PluginSettings:
    options: Options
    data_dir: Path
    status: str


CATEGORY_INDEX = "hotpapers_category_index"  # context key: articles -> pages generator
CATEGORIES_DIR = "hotpapers/categories"  # virtual source folder of the category pages
OVERVIEW_SOURCE = f"{CATEGORIES_DIR}/index.md"


def register() -> None:
    signals.article_generator_pretaxonomy.connect(add_articles)
    signals.page_generator_finalized.connect(add_category_pages)


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
    if not isinstance(data, (str, os.PathLike)):
        log.error("%s: option 'data': must be a path, got %r", SETTING, data)
        return None
    if status not in STATUSES:
        log.error(
            "%s: option 'status': must be one of %s, got %r", SETTING, ", ".join(STATUSES), status
        )
        return None
    try:
        options = options_from_mapping(values, SETTING)
    except HotpapersError as error:
        problem = str(error)
    else:
        problem = None
    if problem is not None:
        log.error("%s", problem)  # outside `except`, as in add_articles
        return None
    data_dir = Path(data).resolve()
    if not data_dir.is_dir():
        log.error("%s: option 'data': directory %s does not exist", SETTING, data_dir)
        return None
    return PluginSettings(options, data_dir, status)


def add_articles(generator: Any) -> None:
    plugin = read_settings(generator.settings)
    if plugin is None:
        return
    converter = MarkdownConverter(generator.settings)
    reader = BaseReader(generator.settings)
    tags = _TagSlugs(_existing_tags(generator), generator.settings)
    added: dict[str, list[Article]] = {status: [] for status in STATUSES}
    indexing = plugin.options.category_index
    index: dict[str, list[CategoryEntry]] = {}
    day_sources: dict[str, str] = {}

    def local(category: str) -> str | None:
        # Every category of a listed paper gets its index page.
        return _filename_link(_category_source(category)) if indexing else None

    cache = content_cache(generator.settings, plugin.options, plugin.status, converter)
    days = rendered_days(plugin.data_dir, plugin.options, converter, local, cache)
    for day in days:
        for category, entry in day.entries:
            index.setdefault(category, []).append(entry)
        day_sources[day.date] = _day_source(day.page.slug)
        article = _article(generator, day.page, day.content, reader, tags, plugin.status)
        if article is not None:
            generator.add_source_path(article)
            added[article.status].append(article)
    _merge(generator, added)
    generator.context[CATEGORY_INDEX] = (sorted_index(index), day_sources, converter, cache)


def add_category_pages(generator: Any) -> None:
    """One hidden page per arXiv category, and a listed overview page."""
    index, day_sources, converter, cache = generator.context.pop(
        CATEGORY_INDEX, ({}, {}, None, None)
    )
    if not index:
        if cache is not None:
            cache.pages.prune([])
        return
    pages = []
    for category, entries in index.items():
        page = render_category_page(
            category,
            entries,
            lambda date: _filename_link(day_sources[date]),
            overview_href=_filename_link(OVERVIEW_SOURCE),
        )
        pages.append((page, _category_source(category), "hidden"))
    overview = render_category_overview(
        "Hot papers by category",
        index,
        lambda category: _filename_link(_category_source(category)),
    )
    pages.append((overview, OVERVIEW_SOURCE, "published"))
    for page, source, status in pages:
        content = converted(converter, cache, page.slug, page.body)
        result = _page(generator, page, content, source, status)
        (generator.pages if status == "published" else generator.hidden_pages).append(result)
    if cache is not None:
        cache.pages.prune(page.slug for page, _, _ in pages)


def _day_source(slug: str) -> str:
    return f"hotpapers/{slug}.md"


def _category_source(category: str) -> str:
    return f"{CATEGORIES_DIR}/{category_slug(category)}.md"


def _filename_link(source: str) -> str:
    """Pelican's own link syntax, resolved to the target's URL at write time."""
    return "{filename}/" + source


def _page(generator: Any, page: MarkdownPage, content: str, source: str, status: str) -> Page:
    metadata = {"title": str(escape(page.title)), "slug": page.slug, "status": status}
    result = Page(
        content=content,
        metadata=metadata,
        settings=generator.settings,
        source_path=os.path.join(generator.path, source),
        context=generator.context,
    )
    generator.add_source_path(result)
    return result


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
    generator: Any,
    page: SitePage,
    content: str,
    reader: BaseReader,
    tags: _TagSlugs,
    status: str,
) -> Article | None:
    settings = generator.settings
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
    source_path = os.path.join(generator.path, _day_source(page.slug))
    article = Article(
        content=content,
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
