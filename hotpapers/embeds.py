"""Embedded posts: allowlist sanitising of oEmbed HTML, static cards, widget scripts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3

from .model import Mention
from .text import html_text

ALLOWED_TAGS = {"blockquote", "p", "a", "br", "span", "em", "strong", "small", "cite"}
_DATA_BLUESKY = {"data-bluesky-uri", "data-bluesky-cid", "data-bluesky-embed-color-mode"}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "dir"},
    "a": {"href"},
    "blockquote": _DATA_BLUESKY,
}
# Tags whose content is dropped together with the tag (not kept as text).
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


@dataclass(frozen=True)
class Widget:
    """The script a platform's blockquotes need to become rich embeds."""

    source: str
    script: str


WIDGETS = {
    "x": Widget(
        "x", '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    ),
    "bluesky": Widget(
        "bluesky",
        '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>',
    ),
}


def sanitize(embed_html: str) -> str:
    """Keep only the elements and attributes embeds use; http(s) links only; one line."""
    cleaned = nh3.clean(
        embed_html,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    )
    return re.sub(r"\s*\n\s*", " ", cleaned).strip()


def is_web_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def static_card(mention: Mention) -> str:
    """A blockquote built from the record, for posts without stored oEmbed HTML."""
    who = mention.author or mention.handle or mention.source
    if mention.handle and mention.author:
        who = f"{mention.author} (@{mention.handle})"
    text = f"<p>{html_text(mention.text)}</p>" if mention.text else ""
    label = html_text(mention.created_at or mention.url)
    link = (
        f'<a href="{html_text(mention.url)}" rel="noopener noreferrer">{label}</a>'
        if is_web_url(mention.url)
        else label
    )
    counts = [
        f"{name}: {value}"
        for name, value in (("reposts", mention.reposts), ("likes", mention.likes))
        if value is not None
    ]
    tail = f" ({', '.join(counts)})" if counts else ""
    return (
        f'<blockquote class="hotpapers-card hotpapers-{html_text(mention.source)}">'
        f"{text}&mdash; {html_text(who)} {link}{tail}</blockquote>"
    )


def embed_block(mention: Mention) -> str:
    """The HTML shown on a site page for one mention."""
    if mention.embed_html:
        return sanitize(mention.embed_html)
    return static_card(mention)
