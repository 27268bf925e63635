"""The old Gatsby blog's post format, reproduced exactly (`hotpapers render --format gatsby`).

It writes titles, categories and stored post HTML raw, as the old blog did: for data
you trust only (the old blog's own posts), never for collected data on a public site.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from urllib.parse import quote

import jinja2

from hotpapers import ids
from hotpapers.config import Options
from hotpapers.model import Day, Mention
from hotpapers.rank import rank_day
from hotpapers.site.text import html_text


def render_gatsby(day: Day, options: Options) -> str:
    """One day as the old blog's Markdown file, front matter included."""
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
            # The old blog's rule, whatever the site's: its files come out byte for byte.
            papers=rank_day(day, replace(options, ranking="legacy", ignore_accounts={})),
        )
    )


def _us_time(timestamp: str) -> str:
    """2021-06-30T13:48:45Z -> 06/30/2021 13:48:45, as the old pages wrote it."""
    day, clock = timestamp[:-1].split("T")
    year, month, mday = day.split("-")
    return f"{month}/{mday}/{year} {clock}"


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
        loader=jinja2.PackageLoader("hotpapers.legacy", "templates"),
        autoescape=False,  # the old files held raw HTML and text
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        us_time=_us_time,
        abs_url=ids.abs_url,
        pdf_url=ids.pdf_url,
        category_url=ids.category_url,
        legacy_embed=_legacy_embed,
    )
    return env
