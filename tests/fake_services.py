"""Local stand-ins for arXiv, X, Bluesky, Hacker News, Hugging Face and the oEmbed services.

They run on 127.0.0.1 (pytest-httpserver) and answer in each API's documented
shape, including paging, so `hotpapers fetch` can run end to end offline.
"""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

X_TOKEN = "x-secret-token-5e1f"
BSKY_HANDLE = "lab.example.social"
BSKY_PASSWORD = "bsky-secret-password-77aa"
REDDIT_ID = "reddit-app-id-31c9"
REDDIT_SECRET = "reddit-app-secret-9d02"
REDDIT_TOKEN_PREFIX = "reddit-access-"
SECRETS = (X_TOKEN, BSKY_PASSWORD, REDDIT_SECRET, REDDIT_TOKEN_PREFIX)


def recent_day(offset: int = 0) -> str:
    """A day X's recent search covers (it answers for the last 7 days only): three
    days ago, plus `offset` days."""
    today = datetime.now(timezone.utc).date()
    return (today - timedelta(days=3 - offset)).isoformat()


DAY = recent_day()

PATHS = {
    "arxiv": "/api/query",
    "x": "/2/tweets/search/recent",
    "bsky_session": "/xrpc/com.atproto.server.createSession",
    "bsky_refresh": "/xrpc/com.atproto.server.refreshSession",
    "bsky_search": "/xrpc/app.bsky.feed.searchPosts",
    "hackernews": "/api/v1/search_by_date",
    "huggingface": "/api/daily_papers",
    "x_oembed": "/x-oembed/oembed",
    "bsky_oembed": "/bsky-oembed/oembed",
    "reddit_token": "/reddit-auth/api/v1/access_token",
    "reddit_search": "/search",
}


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")


@dataclass
class FakeServices:
    server: HTTPServer
    day: str = DAY
    x_posts: list[dict[str, Any]] = field(default_factory=list)
    bsky_posts: list[dict[str, Any]] = field(default_factory=list)
    hn_hits: list[dict[str, Any]] = field(default_factory=list)
    hf_entries: list[dict[str, Any]] = field(default_factory=list)
    reddit_posts: list[dict[str, Any]] = field(default_factory=list)
    reddit_remaining: float | None = None  # X-Ratelimit-Remaining before each search
    reddit_reset: int = 1
    arxiv: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Answers given before the normal ones, per path (consumed in order).
    failures: dict[str, list[Callable[[Request], Response]]] = field(default_factory=dict)
    bsky_expire_after: int | None = None  # searches per access token before it expires
    arxiv_delay: float = 0.0
    arxiv_asked: threading.Event = field(default_factory=threading.Event)
    # Seconds every answer waits, as a remote service's round trip would (the bench).
    latency: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)  # when each request came
    # Requests being answered now, and the most at once, per path (a threaded server).
    in_flight: dict[str, int] = field(default_factory=dict)
    most_in_flight: dict[str, int] = field(default_factory=dict)
    _tokens: dict[str, int] = field(default_factory=dict)
    _serial: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        handlers = {
            "arxiv": self._arxiv,
            "x": self._x,
            "bsky_session": self._bsky_session,
            "bsky_refresh": self._bsky_refresh,
            "bsky_search": self._bsky_search,
            "hackernews": self._hackernews,
            "huggingface": self._huggingface,
            "x_oembed": self._x_oembed,
            "bsky_oembed": self._bsky_oembed,
            "reddit_token": self._reddit_token,
            "reddit_search": self._reddit_search,
        }
        for name, handler in handlers.items():
            self.server.expect_request(PATHS[name]).respond_with_handler(self._wrap(name, handler))

    # --- bookkeeping -------------------------------------------------------

    def _wrap(self, name: str, handler: Callable[[Request], Response]) -> Callable:
        def respond(request: Request) -> Response:
            with self._lock:
                self.times.setdefault(name, []).append(time.monotonic())
                now = self.in_flight[name] = self.in_flight.get(name, 0) + 1
                self.most_in_flight[name] = max(self.most_in_flight.get(name, 0), now)
                pending = self.failures.get(name)
                answer = pending.pop(0) if pending else handler
            try:
                if self.latency:
                    time.sleep(self.latency)
                return answer(request)
            finally:
                with self._lock:
                    self.in_flight[name] -= 1

        return respond

    def requests(self, name: str) -> list[Request]:
        return [request for request, _ in self.server.log if request.path == PATHS[name]]

    @property
    def base_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def config(
        self,
        path: Path,
        extra: str = "",
        *,
        timeout: float = 5,
        x_options: str = "",
        arxiv_delay_seconds: float = 0,
    ) -> Path:
        """A hotpapers.toml that points every service here; arXiv's pause between its
        requests is off unless `arxiv_delay_seconds` (the real one is 3 s)."""
        base = self.base_url
        path.write_text(
            f"""
cache = {json.dumps(str(path.parent / "cache" / "http.sqlite"))}
retries = 2
backoff = 0
timeout = {timeout}
{extra}
[sources.arxiv]
base_url = "{base}"
delay_seconds = {arxiv_delay_seconds}
[sources.x]
base_url = "{base}"
{x_options}
[sources.bluesky]
base_url = "{base}"
[sources.hackernews]
base_url = "{base}"
[sources.huggingface]
base_url = "{base}"
[sources.reddit]
base_url = "{base}"
auth_url = "{base}/reddit-auth"
[embeds.x]
base_url = "{base}/x-oembed"
[embeds.bluesky]
base_url = "{base}/bsky-oembed"
""",
            encoding="utf-8",
        )
        return path

    # --- scenario builders -------------------------------------------------

    def paper(self, arxiv_id: str, title: str | None = None, **extra: Any) -> None:
        self.arxiv[arxiv_id] = {
            "title": title or f"Paper {arxiv_id}\n  with a wrapped title",
            "authors": ["Ada Lovelace", "Alan Turing"],
            "abstract": f"  Abstract of {arxiv_id}\n  over two lines, with $\\alpha_1 < \\beta$.\n",
            "categories": ["cs.LG", "stat.ML"],
            **extra,
        }

    def x_post(
        self,
        url: str,
        reposts: int,
        likes: int,
        *,
        new_names: bool = False,
        quotes: int = 0,
        long_text: str | None = None,
        account: str | None = None,
    ) -> str:
        """A post; with `long_text`, a long post whose link is only in its `note_tweet`
        (X truncates `text` and gives the full text and its entities there); `account`:
        the poster's user id (default: one of its own)."""
        self._serial += 1
        post_id = str(1_000_000 + self._serial)
        user, name = (account, account) if account else (f"u{self._serial}", str(self._serial))
        metrics = {"like_count": likes, "reply_count": 0, "quote_count": quotes}
        metrics["repost_count" if new_names else "retweet_count"] = reposts
        self.x_posts.append(
            {
                "id": post_id,
                "text": f"Read this https://t.co/{post_id}",
                "author_id": user,
                "created_at": f"{self.day}T10:00:00.000Z",
                "public_metrics": metrics,
                "entities": {"urls": [{"url": f"https://t.co/{post_id}", "expanded_url": url}]},
                **(self._note(post_id, url, long_text) if long_text else {}),
                "_user": {"id": user, "name": f"Person {name}", "username": f"person{name}"},
            }
        )
        return post_id

    @staticmethod
    def _note(post_id: str, url: str, long_text: str) -> dict[str, Any]:
        """X API v2 docs, "note_tweet": the first 280 characters in `text`, whose entities
        then hold no link; the whole text and its entities in `note_tweet`."""
        full = f"{long_text} https://t.co/{post_id}"
        start = len(long_text) + 1
        link = {"start": start, "end": len(full), "url": f"https://t.co/{post_id}"}
        return {
            "text": full[:277] + "…",
            "entities": {},
            "note_tweet": {
                "text": full,
                "entities": {"urls": [{**link, "expanded_url": url, "display_url": url[8:]}]},
            },
        }

    def bsky_post(
        self,
        url: str,
        reposts: int,
        likes: int,
        *,
        in_embed: bool = False,
        handle: str | None = None,
    ) -> str:
        self._serial += 1
        uri = f"at://did:plc:abc{self._serial}/app.bsky.feed.post/3k{self._serial}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": "new paper!",
            "createdAt": f"{self.day}T11:00:00.000Z",
        }
        if in_embed:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {"uri": url, "title": "t", "description": ""},
            }
        else:
            record["facets"] = [
                {
                    "index": {"byteStart": 0, "byteEnd": 3},
                    "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
                }
            ]
        self.bsky_posts.append(
            {
                "uri": uri,
                "cid": f"cid{self._serial}",
                "author": {
                    "did": f"did:plc:abc{self._serial}",
                    "handle": handle or f"p{self._serial}.bsky.social",
                    "displayName": f"Poster {self._serial}",
                },
                "record": record,
                "replyCount": 0,
                "repostCount": reposts,
                "likeCount": likes,
                "quoteCount": 0,
                "indexedAt": f"{self.day}T11:00:01.000Z",
            }
        )
        return uri

    def hn_story(self, url: str, points: int | None) -> str:
        self._serial += 1
        self.hn_hits.append(
            {
                "objectID": str(40_000_000 + self._serial),
                "title": f"Story {self._serial}",
                "url": url,
                "author": f"hn{self._serial}",
                "points": points,
                "num_comments": 3,
                "created_at": f"{self.day}T12:00:00.000Z",
                "created_at_i": 0,
                "_tags": ["story"],
            }
        )
        return str(40_000_000 + self._serial)

    def hf_paper(self, arxiv_id: str, upvotes: int) -> None:
        self.hf_entries.append(
            {
                "paper": {
                    "id": arxiv_id,
                    "title": f"HF {arxiv_id}",
                    "upvotes": upvotes,
                    "authors": [{"name": "Ada Lovelace"}],
                    "summary": "...",
                },
                "title": f"HF {arxiv_id}",
                "publishedAt": f"{self.day}T00:00:00.000Z",
                "submittedBy": {"name": "curator", "fullname": "A Curator"},
                "numComments": 1,
            }
        )

    def reddit_post(
        self, url: str, score: int, crossposts: int = 0, *, hour: int = 9, day: str | None = None
    ) -> str:
        """A link submission, in the shape of Reddit's `t3` listing children."""
        self._serial += 1
        base36 = f"1x{self._serial:03d}"
        moment = datetime.fromisoformat(f"{day or self.day}T{hour:02d}:15:00+00:00")
        self.reddit_posts.append(
            {
                "kind": "t3",
                "data": {
                    "subreddit": "MachineLearning",
                    "selftext": "",
                    "author_fullname": f"t2_user{self._serial}",
                    "title": f"[R] Paper <{self._serial}> & friends",
                    "subreddit_name_prefixed": "r/MachineLearning",
                    "name": f"t3_{base36}",
                    "score": score,
                    "ups": max(score, 0),
                    "upvote_ratio": 0.97,
                    "domain": "arxiv.org",
                    "is_self": False,
                    "created_utc": moment.timestamp(),
                    "id": base36,
                    "author": f"redditor{self._serial}",
                    "num_comments": 12,
                    "num_crossposts": crossposts,
                    "permalink": f"/r/MachineLearning/comments/{base36}/r_paper_{self._serial}/",
                    "url": url,
                    "url_overridden_by_dest": url,
                    "over_18": False,
                },
            }
        )
        return f"t3_{base36}"

    # --- handlers: each in its API's documented shape ----------------------

    def _reddit_token(self, request: Request) -> Response:
        auth = request.authorization
        if (
            request.method != "POST"
            or auth is None
            or (auth.username, auth.password) != (REDDIT_ID, REDDIT_SECRET)
            or request.form.get("grant_type") != "client_credentials"
        ):
            return _json({"message": "Unauthorized", "error": 401}, 401)
        self._serial += 1
        token = f"{REDDIT_TOKEN_PREFIX}{self._serial}"
        self._tokens[token] = 0
        return _json(
            {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
        )

    def _reddit_search(self, request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens or not token.startswith(REDDIT_TOKEN_PREFIX):
            return _json({"message": "Unauthorized", "error": 401}, 401)
        size = int(request.args["limit"])
        posts = sorted(self.reddit_posts, key=lambda p: -p["data"]["created_utc"])
        after = request.args.get("after")
        names = [p["data"]["name"] for p in posts]
        start = names.index(after) + 1 if after in names else 0
        page = posts[start : start + size]
        more = start + size < len(posts)
        headers = {}
        if self.reddit_remaining is not None:
            headers = {
                "X-Ratelimit-Used": "600",
                "X-Ratelimit-Remaining": f"{self.reddit_remaining:.1f}",
                "X-Ratelimit-Reset": str(self.reddit_reset),
            }
        listing = {
            "kind": "Listing",
            "data": {
                "after": page[-1]["data"]["name"] if more and page else None,
                "dist": len(page),
                "modhash": "",
                "geo_filter": "",
                "children": page,
                "before": None,
            },
        }
        return Response(
            json.dumps(listing), content_type="application/json; charset=UTF-8", headers=headers
        )

    def _x(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {X_TOKEN}":
            return _json({"title": "Unauthorized", "status": 401}, 401)
        size = int(request.args["max_results"])
        token = request.args.get("pagination_token", "0")  # a recorded page's: past the end
        start = int(token) if token.isdigit() else len(self.x_posts)
        posts = self.x_posts[start : start + size]
        users = list({p["_user"]["id"]: p["_user"] for p in posts}.values())  # each user once
        meta: dict[str, Any] = {"result_count": len(posts)}
        if start + size < len(self.x_posts):
            meta["next_token"] = str(start + size)
        data = [{k: v for k, v in p.items() if k != "_user"} for p in posts]
        return _json({"data": data, "includes": {"users": users}, "meta": meta})

    def _bsky_session(self, request: Request) -> Response:
        body = request.get_json()
        if body != {"identifier": BSKY_HANDLE, "password": BSKY_PASSWORD}:
            return _json({"error": "AuthenticationRequired", "message": "Invalid"}, 401)
        return _json(self._new_tokens())

    def _new_tokens(self) -> dict[str, str]:
        self._serial += 1
        access, refresh = f"access-{self._serial}", f"refresh-{self._serial}"
        self._tokens[access] = 0
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "handle": BSKY_HANDLE,
            "did": "did:plc:lab",
        }

    def _bsky_refresh(self, request: Request) -> Response:
        if not request.headers.get("Authorization", "").startswith("Bearer refresh-"):
            return _json({"error": "InvalidToken"}, 400)
        return _json(self._new_tokens())

    def _bsky_search(self, request: Request) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return _json({"error": "AuthenticationRequired"}, 401)
        self._tokens[token] += 1
        if self.bsky_expire_after is not None and self._tokens[token] > self.bsky_expire_after:
            return _json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        size = int(request.args["limit"])
        start = int(request.args.get("cursor", "0"))
        posts = self.bsky_posts[start : start + size]
        answer: dict[str, Any] = {"posts": posts, "hitsTotal": len(self.bsky_posts)}
        if start + size < len(self.bsky_posts):
            answer["cursor"] = str(start + size)
        return _json(answer)

    def _hackernews(self, request: Request) -> Response:
        size = int(request.args["hitsPerPage"])
        page = int(request.args["page"])
        hits = self.hn_hits[page * size : (page + 1) * size]
        pages = max(1, -(-len(self.hn_hits) // size))
        return _json(
            {
                "hits": hits,
                "nbHits": len(self.hn_hits),
                "page": page,
                "nbPages": pages,
                "hitsPerPage": size,
            }
        )

    def _huggingface(self, request: Request) -> Response:
        size = int(request.args["limit"])
        page = int(request.args["p"])
        return _json(self.hf_entries[page * size : (page + 1) * size])

    def _x_oembed(self, request: Request) -> Response:
        url = request.args["url"]
        html = (
            f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">A post</p>&mdash; '
            f'Someone (@someone) <a href="{url}">November 20, 2026</a></blockquote>\n'
        )
        return _json(
            {
                "url": url,
                "author_name": "Someone",
                "html": html,
                "type": "rich",
                "version": "1.0",
                "provider_name": "Twitter",
            }
        )

    def _bsky_oembed(self, request: Request) -> Response:
        url = request.args["url"]
        html = (
            f'<blockquote class="bluesky-embed" data-bluesky-uri="at://x" '
            f'data-bluesky-cid="c"><p lang="en">A skeet</p>&mdash; Poster '
            f'<a href="{url}">2026-11-20</a></blockquote><script async '
            f'src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>'
        )
        return _json({"type": "rich", "version": "1.0", "html": html, "provider_name": "Bluesky"})

    def _arxiv(self, request: Request) -> Response:
        self.arxiv_asked.set()
        if self.arxiv_delay:
            time.sleep(self.arxiv_delay)
        wanted = [i for i in request.args.get("id_list", "").split(",") if i]
        entries = "".join(self._entry(i) for i in wanted if i in self.arxiv)
        count = sum(1 for i in wanted if i in self.arxiv)
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">'
            f"<id>https://arxiv.org/api/test</id><title>arXiv Query</title>"
            f"<updated>{self.day}T00:00:00-05:00</updated>"
            f"<opensearch:totalResults>{count}</opensearch:totalResults>"
            f"<opensearch:startIndex>{request.args.get('start', '0')}</opensearch:startIndex>"
            f"<opensearch:itemsPerPage>{request.args.get('max_results', '10')}"
            f"</opensearch:itemsPerPage>{entries}</feed>"
        )
        return Response(feed, content_type="application/atom+xml; charset=utf-8")

    def _entry(self, arxiv_id: str) -> str:
        paper = self.arxiv[arxiv_id]
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
        categories = "".join(
            f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
            for c in paper["categories"]
        )
        pdf = (
            ""
            if paper.get("no_pdf")
            else f'<link title="pdf" href="http://arxiv.org/pdf/{arxiv_id}v2" rel="related" '
            'type="application/pdf"/>'
        )
        return (
            f"<entry><id>http://arxiv.org/abs/{arxiv_id}v2</id>"
            f"<updated>{self.day}T17:59:46Z</updated><published>{self.day}T17:59:46Z</published>"
            f"<title>{escape(paper['title'])}</title><summary>{escape(paper['abstract'])}</summary>"
            f"{authors}"
            f'<link href="http://arxiv.org/abs/{arxiv_id}v2" rel="alternate" type="text/html"/>'
            f"{pdf}"
            f'<arxiv:primary_category term="{paper["categories"][0]}" '
            'scheme="http://arxiv.org/schemas/atom"/>'
            f"{categories}</entry>"
        )


def status(code: int, headers: dict[str, str] | None = None) -> Callable[[Request], Response]:
    return lambda request: Response("busy", status=code, headers=headers or {})


def slow(seconds: float, then: Callable[[Request], Response]) -> Callable[[Request], Response]:
    def respond(request: Request) -> Response:
        time.sleep(seconds)
        return then(request)

    return respond


def body(text: str, content_type: str) -> Callable[[Request], Response]:
    return lambda request: Response(text, content_type=content_type)


# --- misbehaving services (tests/test_fetch_hardening.py) -------------------

HF_TOKEN = "hf-secret-token-0b2e"


def redirect(to: str = "", code: int = 307) -> Callable[[Request], Response]:
    """A redirect to the same path and query, on this server or on the server at `to`."""
    return lambda request: Response("", status=code, headers={"Location": to + request.full_path})


def huge(sent: list[int], total: int = 1 << 30) -> Callable[[Request], Response]:
    """About `total` bytes of one JSON string, made while streaming; `sent[0]` counts them."""

    def chunks() -> Iterator[bytes]:
        piece = b"a" * (1 << 16)
        yield b'{"hits": [], "pad": "'
        while sent[0] < total:
            sent[0] += len(piece)
            yield piece
        yield b'"}'

    return lambda request: Response(chunks(), content_type="application/json")


def gzip_bomb(size: int = 64 << 20) -> Callable[[Request], Response]:
    """A gzip body of some kilobytes that decompresses to `size` bytes of valid JSON."""
    packed = gzip.compress(b'{"hits": [], "pad": "' + b"a" * size + b'"}', compresslevel=9)
    headers = {"Content-Encoding": "gzip"}
    return lambda request: Response(packed, content_type="application/json", headers=headers)


def nested(depth: int) -> Callable[[Request], Response]:
    """JSON arrays nested `depth` deep."""
    return body("[" * depth + "]" * depth, "application/json")


class RawServer:
    """A TCP server on 127.0.0.1 that misbehaves below HTTP, one `behaviour` per connection.

    It reads each request's head (kept in `received`) and hands the socket over.
    """

    def __init__(self, behaviour: Callable[[socket.socket], None]) -> None:
        self.received: list[bytes] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer.received.append(_read_head(self.request))
                with suppress(OSError):  # the client gave up
                    behaviour(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _read_head(connection: socket.socket) -> bytes:
    connection.settimeout(10)
    head = b""
    while b"\r\n\r\n" not in head:
        data = connection.recv(4096)
        if not data:
            break
        head += data
    return head


def trickle(head: bytes, *, every: float = 2.0, most: int = 60) -> Callable[[socket.socket], None]:
    """Send `head` then padding one byte every `every` seconds, `most` bytes at most."""

    def behaviour(connection: socket.socket) -> None:
        for byte in (head + b" " * most)[:most]:
            connection.sendall(bytes([byte]))
            time.sleep(every)

    return behaviour


TRICKLED_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
TRICKLED_BODY = TRICKLED_HEADERS + b"Content-Length: 100\r\n\r\n" + b'{"hits": ['


def trickle_headers(every: float = 2.0) -> Callable[[socket.socket], None]:
    """A status line and headers that never end, a byte at a time."""
    return trickle(TRICKLED_HEADERS, every=every)


def trickle_body(every: float = 2.0) -> Callable[[socket.socket], None]:
    """Complete headers at once, then a body that never ends, a byte at a time."""

    def behaviour(connection: socket.socket) -> None:
        connection.sendall(TRICKLED_BODY)
        trickle(b"", every=every)(connection)

    return behaviour


def stall(connection: socket.socket) -> None:
    """Read the request, never answer; stop when the client hangs up (or after a minute)."""
    connection.settimeout(60)
    connection.recv(1)
