"""Pages from day files through Jinja2 templates.

Formats: ``markdown`` (the site page, front matter + body, used by both
plugins) and ``gatsby`` (the old system's files, reproduced exactly).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

import jinja2

from . import ids
from .config import Options
from .embeds import WIDGETS, embed_block, uses_oembed
from .model import Day, Mention
from .rank import RankedPaper, rank_day
from .text import html_text, markdown_block, markdown_inline

FORMATS = ("markdown", "gatsby")
_CATEGORY = re.compile(r"[A-Za-z][A-Za-z-]*(?:\.[A-Za-z][A-Za-z-]*)?")


def _us_time(timestamp: str) -> str:
    """2021-06-30T13:48:45Z -> 06/30/2021 13:48:45, as the old pages wrote it."""
    day, clock = timestamp[:-1].split("T")
    year, month, mday = day.split("-")
    return f"{month}/{mday}/{year} {clock}"


def _utc_time(timestamp: str) -> str:
    return timestamp[:-1].replace("T", " ") + " UTC"


def _score(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _link(url: str, text: str) -> str:
    """An inline HTML link to another site (Markdown links cannot carry `rel`)."""
    return f'<a href="{html_text(url)}" rel="noopener">{text}</a>'


def _category_link(category: str) -> str:
    """A link to the category's listing; anything that is not a category name stays text."""
    if not _CATEGORY.fullmatch(category):
        return markdown_inline(category)
    return _link(ids.category_url(category), category)


def _legacy_embed(mention: Mention) -> str:
    """The old pages embedded the stored blockquote as it was; build one when missing."""
    if mention.embed_html:
        return mention.embed_html
    who = html_text(mention.author or mention.handle or "")
    return (
        f'<blockquote class="twitter-tweet"><p>{html_text(mention.text or "")}</p>&mdash; '
        f'{who} <a href="{html_text(quote(mention.url, safe=":/?=&%#@"))}">'
        f"{html_text(mention.created_at or '')}</a></blockquote>"
    )


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hotpapers", "templates"),
        autoescape=False,  # Markdown output: every untrusted value goes through a filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        us_time=_us_time,
        utc_time=_utc_time,
        score=_score,
        abs_url=ids.abs_url,
        pdf_url=ids.pdf_url,
        category_url=ids.category_url,
        category_link=_category_link,
        link=_link,
        md_inline=markdown_inline,
        md_block=markdown_block,
        yaml=lambda value: json.dumps(value, ensure_ascii=False),
        legacy_embed=_legacy_embed,
        site_embed=embed_block,
    )
    return env


def page_tags(day: Day, ranked: list[RankedPaper], options: Options) -> list[str]:
    """The configured tags, then (with `category_tags`) the papers' arXiv categories.

    Only well-formed category names become tags: a tag name is shown unescaped
    by some themes (Pelican's own), and it comes from the data.
    """
    tags = list(options.tags)
    if options.category_tags:
        for item in ranked:
            for category in item.paper.categories:
                if _CATEGORY.fullmatch(category) and category not in tags:
                    tags.append(category)
    return tags


def widget_scripts(ranked: list[RankedPaper]) -> list[str]:
    """One script per platform whose embeds appear on the page, in a fixed order."""
    present = {m.source for item in ranked for m in item.embeds if uses_oembed(m)}
    return [widget.script for source, widget in WIDGETS.items() if source in present]


def summary(day: Day, ranked: list[RankedPaper], *, top: bool = True) -> str:
    """One plain-text sentence about the day (excerpts, feeds, index pages).

    With `top`, it ends with the title of the day's top paper (untrusted text).
    """
    if not ranked:
        return f"No arXiv paper reached the attention threshold on {day.date}."
    count = len(ranked)
    papers = "paper" if count == 1 else "papers"
    sentence = f"{count} arXiv {papers} with the most attention on {day.date}."
    if not top:
        return sentence
    return f"{sentence} Top: {' '.join(ranked[0].paper.title.split())}."


@dataclass(frozen=True)
class IndexEntry:
    """One day on an index page; `link` is whatever the host resolves (e.g. a .md path)."""

    date: str
    link: str
    title: str
    summary: str


def render_index(title: str, entries: list[IndexEntry]) -> str:
    """A Markdown page listing days, in the order given (hosts pass newest first)."""
    template = _environment().get_template("index.md.j2")
    return template.render(title=title, entries=entries)


@dataclass(frozen=True)
class SitePage:
    """A day as the site hosts need it: metadata plus a Markdown body (no front matter)."""

    date: str  # collected_at, the page's publication time
    title: str
    slug: str
    description: str
    category: str
    tags: tuple[str, ...]
    summary: str  # plain text, ends with the top paper's title
    headline: str  # plain text from our own words only (the summary without the title)
    body: str  # Markdown, every untrusted value escaped or sanitised


def render_site_page(day: Day, options: Options) -> SitePage:
    ranked = rank_day(day, options)
    day_summary = summary(day, ranked)
    body = (
        _environment()
        .get_template("day_body.md.j2")
        .render(
            summary=day_summary,
            papers=ranked,
            embed_mode=options.embed_mode,
            widget_scripts=widget_scripts(ranked),
        )
    )
    return SitePage(
        date=day.collected_at,
        title=options.page_title(day.date),
        slug=options.page_slug(day.date),
        description=options.page_description(day.date),
        category=options.category,
        tags=tuple(page_tags(day, ranked, options)),
        summary=day_summary,
        headline=summary(day, ranked, top=False),
        body=body,
    )


def render_day(day: Day, options: Options, fmt: str = "markdown") -> str:
    """The whole file of one day in `fmt`: front matter and body."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "markdown":
        page = render_site_page(day, options)
        return _environment().get_template("markdown.md.j2").render(page=page)
    ranked = rank_day(day, options)
    return (
        _environment()
        .get_template("gatsby.md.j2")
        .render(
            title=options.page_title(day.date),
            slug=options.page_slug(day.date),
            description=options.page_description(day.date),
            category=options.category,
            tags=options.tags,
            collected_at=day.collected_at,
            papers=ranked,
        )
    )
