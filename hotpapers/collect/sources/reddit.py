"""Reddit submissions linking arxiv.org, through Reddit's OAuth API with app-only access.

* Credentials: an app's client id and secret from the environment; a token is
  asked for once per run (`client_credentials` grant; the login follows no
  redirect) and asked for again once if Reddit answers 401 (it lasts a day).
* Reddit asks every client for a descriptive User-Agent naming the app and a
  contact: ``python:hotpapers:<version> (by <contact>)``, `contact` an option.
* Search: `site:arxiv.org`, link posts, newest first, 100 a page, following
  `after` until the posts are older than the day (or `max_posts`). When
  `X-Ratelimit-Remaining` runs out, the next page waits `X-Ratelimit-Reset`
  seconds; all such waits of a run together stay within `max_wait` (else the
  source fails in one line); a 429 is retried by the session (Retry-After).
  Headers of an answer from the cache are not read. A page that brings no new
  post ends the search.
* Counts: the submission's score is its likes (never below 0), crossposts are its
  reposts. The page shows a static card: no Reddit script.
"""

from __future__ import annotations

import base64
import math
import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar

from hotpapers import __version__, ids
from hotpapers.collect import transport
from hotpapers.collect.http import get_json, get_json_and_headers
from hotpapers.collect.sources import (
    MAX_POSTS,
    Context,
    Found,
    SourceOption,
    count,
    found,
    text,
    unseen,
)
from hotpapers.errors import SourceError

CLIENT_ID = "HOTPAPERS_REDDIT_CLIENT_ID"
CLIENT_SECRET = "HOTPAPERS_REDDIT_CLIENT_SECRET"
TOKEN_PATH = "/api/v1/access_token"
SEARCH_PATH = "/search"
PAGE = 100


class RedditSource:
    name = "reddit"
    default_base_url = "https://oauth.reddit.com"
    default_auth_url = "https://www.reddit.com"
    options: ClassVar[Mapping[str, SourceOption]] = {
        "max_posts": MAX_POSTS,
        "auth_url": SourceOption(str, "https://www.reddit.com"),
        "contact": SourceOption(
            str, "", pattern=(r"[\x20-\x7e]{0,200}", "printable ASCII (it goes into a header)")
        ),
    }

    def missing_credentials(self, env: Mapping[str, str]) -> str | None:
        for variable in (CLIENT_ID, CLIENT_SECRET):
            if not env.get(variable):
                return variable
        return None

    def search(self, context: Context, start: datetime, end: datetime) -> Iterator[Found]:
        client = _Client(context, self.default_auth_url)
        url = context.base_url(self.default_base_url) + SEARCH_PATH
        budget = context.option("max_posts")
        params: dict[str, Any] = {
            "q": "site:arxiv.org",
            "type": "link",
            "sort": "new",
            "t": "all",
            "limit": PAGE,
            "raw_json": 1,  # titles as written, not HTML-escaped
        }
        read, seen = 0, set[str]()
        while read < budget:
            listing = client.get(url, params)
            data = listing.get("data") or {}
            posts = [child.get("data") or {} for child in data.get("children") or []]
            new = unseen(posts, seen, lambda post: str(post.get("name")))
            older = False
            for post in new[: budget - read]:
                read += 1
                created = post.get("created_utc")
                if not isinstance(created, (int, float)) or isinstance(created, bool):
                    continue
                if created < start.timestamp():
                    older = True
                elif created < end.timestamp():
                    result = _found(post)
                    if result is not None:
                        yield result
            context.progress(read)
            after = data.get("after")
            if older:
                break
            if not new or not isinstance(after, str) or not after:
                if read:  # Reddit serves about 1,000 results a search, newest first
                    context.notes.append(
                        f"reddit: {start.date()}: the search ended before the day's start"
                    )
                break
            params["after"], params["count"] = after, read
        if read >= budget:
            context.notes.append(f"reddit: stopped at max_posts ({budget})")


class _Client:
    """App-only OAuth: one token per run, a descriptive User-Agent, Reddit's rate limit."""

    def __init__(self, context: Context, default_auth_url: str) -> None:
        self._context = context
        contact = context.option("contact")
        about = f"by {contact}" if contact else "static-site collector"
        self._agent = f"python:hotpapers:{__version__} ({about})"
        auth_url = str(context.option("auth_url")).rstrip("/")
        self._token_url = auth_url + TOKEN_PATH
        self._token = self._new_token()
        self._wait_until = 0.0
        self._waited = 0.0

    def _new_token(self) -> str:
        pair = f"{self._context.env[CLIENT_ID]}:{self._context.env[CLIENT_SECRET]}"
        answer = get_json(
            self._context.session,
            "reddit",
            self._token_url,
            method="POST",
            form={"grant_type": "client_credentials"},
            headers={
                "Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii"),
                "User-Agent": self._agent,
            },
            timeout=self._context.timeout,
            login=True,
        )
        token = answer.get("access_token") if isinstance(answer, Mapping) else None
        if not isinstance(token, str) or not token.isprintable() or " " in token:
            raise SourceError("reddit: the token answer has no usable access_token")
        return token

    def get(self, url: str, params: dict[str, Any]) -> Mapping[str, Any]:
        self._pause()
        try:
            return self._get(url, params)
        except SourceError as error:
            if error.status != 401:
                raise
        self._token = self._new_token()
        return self._get(url, params)

    def _get(self, url: str, params: dict[str, Any]) -> Mapping[str, Any]:
        answer, headers = get_json_and_headers(
            self._context.session,
            "reddit",
            url,
            params=params,
            headers={"Authorization": f"Bearer {self._token}", "User-Agent": self._agent},
            timeout=self._context.timeout,
        )
        remaining = _number(headers.get("X-Ratelimit-Remaining"))
        reset = _number(headers.get("X-Ratelimit-Reset"))
        if remaining is not None and remaining < 1:
            wait = max(reset, 0.0) if reset is not None else self._context.max_wait
            # Every wait of the run counts: a rate limit that never lifts ends the source.
            limit = self._context.max_wait
            if self._waited + wait > limit:
                waited = f" after {self._waited:g} s of waits" if self._waited else ""
                raise SourceError(
                    f"reddit: rate limit used up for {wait:g} s{waited}, "
                    f"more than max_wait {limit:g} s"
                )
            self._waited += wait
            self._wait_until = time.monotonic() + wait
        if not isinstance(answer, Mapping):
            raise SourceError(f"reddit: {url} answered data of an unexpected shape")
        return answer

    def _pause(self) -> None:
        wait = self._wait_until - time.monotonic()
        if wait > 0:
            transport.wait(wait)


def _number(value: str | None) -> float | None:
    """A rate-limit header's number; None when absent or not a finite number."""
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _found(post: Mapping[str, Any]) -> Found | None:
    links = [post.get(key) for key in ("url_overridden_by_dest", "url")]
    arxiv_ids = tuple(
        dict.fromkeys(i for link in links if isinstance(link, str) for i in ids.ids_in(link))
    )
    permalink = text(post.get("permalink"))
    name = text(post.get("name"))
    if not arxiv_ids or not permalink or not permalink.startswith("/r/") or not name:
        return None
    author = text(post.get("author"))
    if author in ("[deleted]", "[removed]"):
        author = None
    score = post.get("score")
    return found(
        source="reddit",
        id=name,
        url="https://www.reddit.com" + permalink,
        arxiv_ids=arxiv_ids,
        account=post.get("author_fullname"),
        reposts=count(post.get("num_crossposts")),
        likes=count(max(score, 0)) if isinstance(score, int) else None,
        author=None,
        handle=author,
        created_at=post.get("created_utc"),
        text=post.get("title"),
    )
