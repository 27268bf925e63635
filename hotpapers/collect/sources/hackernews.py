"""Hacker News through the Algolia API: stories whose url is on arxiv.org, in the window.

Points count as likes; Hacker News has no reposts (null). Points the answer does
not give stay null (unknown), never 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from hotpapers import ids
from hotpapers.collect.http import get_json
from hotpapers.collect.sources import MAX_POSTS, Context, Found, SourceOption, count, found, unseen

PATH = "/api/v1/search_by_date"
PAGE = 100


class HackerNewsSource:
    name = "hackernews"
    default_base_url = "https://hn.algolia.com"
    options: ClassVar[Mapping[str, SourceOption]] = {"max_posts": MAX_POSTS}

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        return None

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        url = context.base_url(self.default_base_url) + PATH
        params: dict[str, Any] = {
            "query": "arxiv.org",
            "restrictSearchableAttributes": "url",
            "tags": "story",
            "numericFilters": f"created_at_i>={int(start.timestamp())},"
            f"created_at_i<{int(end.timestamp())}",
            "hitsPerPage": PAGE,
            "page": 0,
        }
        # Algolia serves at most 1,000 hits a query; a server that claims more pages,
        # or repeats itself, must not keep a fetch going.
        budget = context.option("max_posts")
        read, seen = 0, set[str]()
        while read < budget:
            page = get_json(
                context.session, "hackernews", url, params=params, timeout=context.timeout
            )
            hits = page.get("hits") or []
            new = unseen(hits, seen, lambda hit: str(hit.get("objectID")))
            for hit in new[: budget - read]:
                read += 1
                found = _found(hit)
                if found is not None:
                    yield found
            context.progress(read)
            pages = page.get("nbPages")
            params["page"] += 1
            if not new or not isinstance(pages, int) or params["page"] >= pages:
                break
        if read >= budget:
            context.notes.append(f"hackernews: stopped at max_posts ({budget})")


def _found(hit: Mapping[str, Any]) -> Found | None:
    arxiv_ids = tuple(ids.ids_in(str(hit.get("url") or "")))
    story = str(hit.get("objectID") or "")
    if not arxiv_ids or not story:
        return None
    return found(
        source="hackernews",
        id=story,
        url=f"https://news.ycombinator.com/item?id={story}",
        arxiv_ids=arxiv_ids,
        account=hit.get("author"),
        reposts=None,
        likes=count(hit.get("points")),
        author=hit.get("author"),
        handle=hit.get("author"),
        created_at=hit.get("created_at") or hit.get("created_at_i"),
        text=hit.get("title"),
    )
