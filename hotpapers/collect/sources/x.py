"""X API v2 recent search: posts with `url:arxiv.org` in the day's window.

X bills every post it returns, so the query excludes reposts, and reading
stops at a per-day budget (`max_posts`); the run reports posts read and the
estimated cost (`cost_per_post`, in USD). Recent search covers the last 7 days:
an older day is not asked for (one line says so; the day keeps what it had).

Links are read from every form X gives them: `unwound_url` (the final address
when `expanded_url` is itself a shortener), `expanded_url`, and the URLs of a
long post's `note_tweet`, whose text replaces the truncated `text`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from hotpapers import ids
from hotpapers.collect.http import get_json
from hotpapers.collect.sources import (
    Context,
    Found,
    SourceOption,
    count,
    found,
    rfc3339,
    text,
    unseen,
)
from hotpapers.errors import NotCovered

TOKEN = "HOTPAPERS_X_BEARER_TOKEN"
PATH = "/2/tweets/search/recent"
QUERY = "url:arxiv.org -is:retweet"
PAGE = 100
# Recent search answers for the last 7 days, and end_time must be 10 s in the past.
COVERED = timedelta(days=7)
MARGIN = timedelta(minutes=1)


class XSource:
    name = "x"
    default_base_url = "https://api.x.com"
    options: ClassVar[Mapping[str, SourceOption]] = {
        "max_posts": SourceOption(int, 500, least=10, most=1_000_000),
        "cost_per_post": SourceOption((int, float), 0.005, least=0),
    }

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        return None if env.get(TOKEN) else TOKEN

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        url = context.base_url(self.default_base_url) + PATH
        budget = context.option("max_posts")
        price = context.option("cost_per_post")
        headers = {"Authorization": f"Bearer {context.env[TOKEN]}"}
        oldest, latest = context.now - COVERED + MARGIN, context.now - MARGIN
        if end <= oldest:
            raise NotCovered(f"recent search covers only the last 7 days, {start.date()} is older")
        if start < oldest:
            context.notes.append(
                f"x: {start.date()}: only posts since {rfc3339(oldest)} "
                "(recent search covers the last 7 days)"
            )
        params: dict[str, Any] = {
            "query": QUERY,
            "start_time": rfc3339(max(start, oldest)),
            "end_time": rfc3339(min(end, latest)),
            "tweet.fields": "created_at,public_metrics,entities,author_id,note_tweet",
            "expansions": "author_id",
            "user.fields": "name,username",
        }
        read, seen = 0, set[str]()
        try:
            while read < budget:
                params["max_results"] = max(10, min(PAGE, budget - read))
                page = get_json(
                    context.session,
                    "x",
                    url,
                    params=params,
                    headers=headers,
                    timeout=context.timeout,
                )
                posts = page.get("data") or []
                users = {u["id"]: u for u in (page.get("includes") or {}).get("users", [])}
                fresh = unseen(posts, seen, lambda post: str(post.get("id")))
                for post in fresh[: budget - read]:
                    read += 1
                    found = _found(post, users)
                    if found is not None:
                        yield found
                context.progress(read)
                token = (page.get("meta") or {}).get("next_token")
                if not token or not fresh:  # a page that repeats itself ends the search
                    break
                params["pagination_token"] = token
        finally:
            stop = " (budget reached)" if read >= budget else ""
            context.notes.append(f"x: {read} posts read{stop}, estimated cost ${read * price:.2f}")


def _links(post: Mapping[str, Any]) -> Iterator[str]:
    note = post.get("note_tweet") or {}
    for entities in (post.get("entities") or {}, note.get("entities") or {}):
        for url in entities.get("urls") or []:
            for key in ("unwound_url", "expanded_url", "url"):
                if isinstance(url.get(key), str):
                    yield url[key]


def _found(post: Mapping[str, Any], users: Mapping[str, Any]) -> Found | None:
    arxiv_ids = tuple(dict.fromkeys(i for link in _links(post) for i in ids.ids_in(link)))
    if not arxiv_ids:
        return None
    metrics = post.get("public_metrics") or {}
    reposts = metrics.get("retweet_count", metrics.get("repost_count"))
    user = users.get(str(post.get("author_id")), {})
    handle = text(user.get("username"))
    post_id = str(post["id"])
    note = post.get("note_tweet") or {}
    return found(
        source="x",
        id=post_id,
        url=f"https://x.com/{handle or 'i/web'}/status/{post_id}",
        arxiv_ids=arxiv_ids,
        account=post.get("author_id"),
        reposts=count(reposts),
        likes=count(metrics.get("like_count")),
        quotes=count(metrics.get("quote_count")),
        author=user.get("name"),
        handle=handle,
        created_at=post.get("created_at"),
        text=note.get("text") or post.get("text"),
    )
