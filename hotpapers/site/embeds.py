"""Embedded posts: allowlist sanitising of oEmbed HTML, static cards, widget scripts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

from hotpapers.model import SOURCE_NAME, Counts, Mention
from hotpapers.site.text import html_text
from hotpapers.site.wording import counts_phrase, handle_text, venue

ALLOWED_TAGS = {"blockquote", "p", "a", "br", "span", "em", "strong", "small", "cite"}
# Only the providers' own classes: a theme's classes (Material's `md-consent__overlay`,
# `md-button`), or `arithmatex` for MathJax, would let a post borrow the page's look.
ALLOWED_CLASSES = {"blockquote": {"twitter-tweet", "bluesky-embed"}}
_DATA_BLUESKY = {"data-bluesky-uri", "data-bluesky-cid", "data-bluesky-embed-color-mode"}
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href"},
    "blockquote": _DATA_BLUESKY,
}
# Tags whose content is dropped together with the tag (not kept as text).
_DROP_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}
# What each kept attribute may hold. Absolute web links only: a relative one such as
# `{filename}/x.md` or `|index|` is Pelican's link syntax, which Pelican would rewrite.
_ATTRIBUTE_VALUES = {
    "href": re.compile(r"https?://[^\s{}|]+", re.IGNORECASE),
    "data-bluesky-uri": re.compile(r"at://[\w.:%/-]+"),
    "data-bluesky-cid": re.compile(r"[A-Za-z0-9]+"),
    "data-bluesky-embed-color-mode": re.compile(r"[a-z]+"),
    "lang": re.compile(r"[A-Za-z0-9-]+"),
    "dir": re.compile(r"ltr|rtl|auto"),
}


def _attribute_value(tag: str, attribute: str, value: str) -> str | None:
    pattern = _ATTRIBUTE_VALUES.get(attribute)
    if pattern is None:  # class: nh3 checks it against ALLOWED_CLASSES
        return value
    return value if pattern.fullmatch(value.strip()) else None


@dataclass(frozen=True)
class Widget:
    """The script a platform's blockquotes need to become rich embeds."""

    script: str


WIDGETS = {
    "x": Widget(
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    ),
    "bluesky": Widget(
        '<script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
    ),
}


@lru_cache(maxsize=1)
def _cleaner() -> Callable[[str], str]:
    """One nh3.Cleaner, built once: half the time of nh3.clean per post."""
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        attribute_filter=_attribute_value,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer",
    ).clean


@lru_cache(maxsize=512)  # a page asks for each post more than once (widgets, then the block)
def sanitize(embed_html: str) -> str:
    """Keep only the elements and attributes embeds use; http(s) links only; one line."""
    return _one_line(_cleaner()(embed_html))


def _one_line(html: str) -> str:
    """No line breaks, so no Markdown engine ends the raw HTML block early."""
    html = html.strip()  # oEmbed HTML usually ends with a line break
    if "\n" not in html and "\r" not in html:
        return html
    return re.sub(r"\s*[\r\n]+\s*", " ", html).strip()


def is_web_url(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


def static_card(mention: Mention) -> str:
    """A blockquote built from the record, for posts without stored oEmbed HTML."""
    handle = handle_text(mention.source, mention.handle) if mention.handle else None
    who = mention.author or handle or mention.source
    if handle and mention.author and mention.author != mention.handle:
        who = f"{mention.author} ({handle})"
    where = venue(mention.source, mention.url)
    if where:
        who = f"{who} in {where}"
    lines = (html_text(line.strip()) for line in mention.text.splitlines()) if mention.text else ()
    text = "<br>".join(line for line in lines if line)
    text = f"<p>{text}</p>" if text else ""
    label = html_text(mention.created_at or mention.url)
    link = (
        f'<a href="{html_text(mention.url)}" rel="noopener noreferrer">{label}</a>'
        if is_web_url(mention.url)
        else label
    )
    counts = counts_phrase(mention.source, Counts(mention.reposts, mention.likes, mention.quotes))
    tail = f" ({counts})" if counts else ""
    return _one_line(
        f'<blockquote class="{source_classes("hotpapers-card", mention.source)}" {_WRAP}>'
        f"{text}&mdash; {html_text(who)} {link}{tail}</blockquote>"
    )


def source_classes(kind: str, source: str) -> str:
    """`kind` plus `hotpapers-<source>` when the source name is a plain word (it is data)."""
    return f"{kind} hotpapers-{source}" if SOURCE_NAME.fullmatch(source) else kind


# Posts hold long runs of links and text; in themes that do not break words, they would
# stick out of a phone's screen. (An attribute: the page needs no style sheet of ours.)
_WRAP = 'style="overflow-wrap:anywhere"'


def uses_oembed(mention: Mention) -> bool:
    """Whether the page shows the mention's stored oEmbed HTML (else a static card).

    Only platforms with an oEmbed service and a widget script (X, Bluesky) have
    their HTML shown; anything stored for other sources is ignored, as is HTML
    that sanitises to nothing.
    """
    return (
        mention.source in WIDGETS
        and mention.embed_html is not None
        and bool(sanitize(mention.embed_html))
    )


def embed_block(mention: Mention) -> str:
    """The HTML shown on a site page for one mention: always one raw HTML block.

    Sanitised oEmbed HTML is wrapped in a ``div`` so that whatever it holds
    (text outside the blockquote included) stays HTML and is never read as
    Markdown (where ``[x](javascript:...)`` would become a link).
    """
    if uses_oembed(mention):
        assert mention.embed_html is not None
        return (
            f'<div class="{source_classes("hotpapers-embed", mention.source)}" {_WRAP}>'
            f"{sanitize(mention.embed_html)}</div>"
        )
    return static_card(mention)
