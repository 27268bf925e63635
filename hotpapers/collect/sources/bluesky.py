"""Bluesky `app.bsky.feed.searchPosts` for `domain:arxiv.org`, with an app-password session.

The session is created once (`createSession`) and renewed with
`refreshSession` when the access token expires; never a login per request.
Links are read from facets, link cards (also a quote post's media card,
`recordWithMedia`) and the text. `reposts` is `repostCount` alone; quote posts
are kept apart in `quotes`. A handle that no longer resolves (`handle.invalid`)
is not shown: the post's address uses the account's DID instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
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
from hotpapers.errors import SourceError

HANDLE = "HOTPAPERS_BLUESKY_HANDLE"
PASSWORD = "HOTPAPERS_BLUESKY_APP_PASSWORD"
PAGE = 100
INVALID_HANDLE = "handle.invalid"


class BlueskySource:
    name = "bluesky"
    default_base_url = "https://bsky.social"
    options: ClassVar[Mapping[str, SourceOption]] = {
        "max_posts": SourceOption(int, 5000, least=1, most=1_000_000)
    }

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        for variable in (HANDLE, PASSWORD):
            if not env.get(variable):
                return variable
        return None

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        session = _Session(context, context.base_url(self.default_base_url))
        budget = context.option("max_posts")
        params: dict[str, Any] = {
            "q": "domain:arxiv.org",
            "since": rfc3339(start),
            "until": rfc3339(end),
            "limit": PAGE,
            "sort": "latest",
        }
        read, seen = 0, set[str]()
        while read < budget:
            page = session.get("app.bsky.feed.searchPosts", params)
            posts = page.get("posts") or []
            fresh = unseen(posts, seen, lambda post: str(post.get("uri")))
            for post in fresh:
                read += 1
                found = _found(post)
                if found is not None:
                    yield found
            context.progress(read)
            cursor = page.get("cursor")
            if not cursor or not fresh:  # a page that repeats itself ends the search
                break
            params["cursor"] = cursor
        context.notes.append(f"bluesky: {read} posts read")


class _Session:
    """An authenticated XRPC client: createSession once, refreshSession on expiry."""

    def __init__(self, context: Context, base_url: str) -> None:
        self._context = context
        self._xrpc = f"{base_url}/xrpc/"
        answer = self._call(
            "com.atproto.server.createSession",
            method="POST",
            json_body={"identifier": context.env[HANDLE], "password": context.env[PASSWORD]},
            login=True,
        )
        self._store(answer)

    def _store(self, answer: Any) -> None:
        try:
            self._access, self._refresh = answer["accessJwt"], answer["refreshJwt"]
        except (TypeError, KeyError):
            raise SourceError("bluesky: the session answer has no tokens") from None

    def _call(
        self,
        method_id: str,
        *,
        method: str = "GET",
        token: str | None = None,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        login: bool = False,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return get_json(
            self._context.session,
            "bluesky",
            self._xrpc + method_id,
            params=params,
            headers=headers,
            timeout=self._context.timeout,
            method=method,
            json_body=json_body,
            login=login,  # a login follows no redirect, not even to the same host
        )

    def get(self, method_id: str, params: dict[str, Any]) -> Any:
        try:
            return self._call(method_id, token=self._access, params=params)
        except SourceError as error:
            if not _expired(error):
                raise
        self._store(
            self._call(
                "com.atproto.server.refreshSession",
                method="POST",
                token=self._refresh,
                login=True,
            )
        )
        return self._call(method_id, token=self._access, params=params)


def _expired(error: SourceError) -> bool:
    """XRPC answers 400 {"error": "ExpiredToken"} (or 401) when the access token is stale."""
    return error.status in (400, 401)


def _cards(embed: Any) -> Iterator[str]:
    """Link-card URIs of a record's embed or its view: `external`, or the media of
    a quote post (`recordWithMedia`)."""
    for holder in (embed, (embed or {}).get("media")):
        external = (holder or {}).get("external") or {}
        if isinstance(external.get("uri"), str):
            yield external["uri"]


def _found(post: Mapping[str, Any]) -> Found | None:
    record = post.get("record") or {}
    links = [
        feature.get("uri", "")
        for facet in record.get("facets") or []
        for feature in facet.get("features") or []
        if str(feature.get("$type", "")).endswith("#link")
    ]
    links.extend(_cards(record.get("embed")))
    links.extend(_cards(post.get("embed")))
    links.append(record.get("text", ""))
    arxiv_ids = tuple(dict.fromkeys(i for link in links for i in ids.ids_in(str(link))))
    uri = str(post.get("uri", ""))
    if not arxiv_ids or not uri:
        return None
    author = post.get("author") or {}
    handle = text(author.get("handle"))
    if handle == INVALID_HANDLE:  # the account's handle no longer resolves
        handle = None
    did = text(author.get("did"))
    rkey = uri.rsplit("/", 1)[-1]
    return found(
        source="bluesky",
        id=uri,
        url=f"https://bsky.app/profile/{handle or did or ''}/post/{rkey}",
        arxiv_ids=arxiv_ids,
        account=did,
        reposts=count(post.get("repostCount")),
        likes=count(post.get("likeCount")),
        quotes=count(post.get("quoteCount")),
        author=author.get("displayName") or handle,
        handle=handle,
        created_at=record.get("createdAt") or post.get("indexedAt"),
        text=record.get("text"),
    )
