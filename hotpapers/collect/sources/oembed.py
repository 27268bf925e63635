"""oEmbed HTML for the posts a page will show: X (`omit_script`) and Bluesky.

The HTML is stored as the service returns it; pages sanitise it when rendered.
"""

from __future__ import annotations

from hotpapers.collect.http import get_json
from hotpapers.collect.sources import Context, text
from hotpapers.errors import SourceError
from hotpapers.model import embed_html_fits

PATH = "/oembed"
DEFAULT_BASE_URLS = {"x": "https://publish.x.com", "bluesky": "https://embed.bsky.app"}
# What oEmbed answers for a post that is gone or not public: the mention stays.
GONE = (403, 404, 410)
EXTRA_PARAMS = {"x": {"omit_script": "1", "dnt": "true"}, "bluesky": {"format": "json"}}


def embed_html(context: Context, source: str, post_url: str) -> str | None:
    """The service's HTML for one post, or None (with a note) when it cannot be had."""
    if source not in DEFAULT_BASE_URLS:
        return None
    url = context.base_url(DEFAULT_BASE_URLS[source]) + PATH
    try:
        answer = get_json(
            context.session,
            f"{source} oEmbed",
            url,
            params={"url": post_url, **EXTRA_PARAMS[source]},
            timeout=context.timeout,
        )
    except SourceError as error:
        if error.status in GONE:
            context.notes.append(
                f"{source} oEmbed: {post_url}: deleted, withheld or protected "
                f"(HTTP {error.status}); the page shows a card from the stored post"
            )
        else:
            context.notes.append(str(error))
        return None
    html = text(answer.get("html")) if isinstance(answer, dict) else None
    if not embed_html_fits(html):
        context.notes.append(f"{source} oEmbed: {url}: HTML too large for a post, not kept")
        return None
    return html if html and html.strip() else None
