"""oEmbed HTML for the posts a page will show: X (`omit_script`) and Bluesky.

The HTML is stored as the service returns it; pages sanitise it when rendered.
A few requests are in flight at once per oEmbed host (`WORKERS_PER_HOST`); a
request to wait that the host answers any of them holds them all (`HostGate`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from hotpapers.collect.http import get_json
from hotpapers.collect.sources import Context, text
from hotpapers.collect.transport import HostGate, gate_scope, start_requests, stop_requests
from hotpapers.errors import SourceError
from hotpapers.model import embed_html_fits

PATH = "/oembed"
DEFAULT_BASE_URLS = {"x": "https://publish.x.com", "bluesky": "https://embed.bsky.app"}
# What oEmbed answers for a post that is gone or not public: the mention stays.
GONE = (403, 404, 410)
EXTRA_PARAMS = {"x": {"omit_script": "1", "dnt": "true"}, "bluesky": {"format": "json"}}
# Requests in flight at once per oEmbed host. Neither service publishes a limit for
# its oEmbed endpoint; 4 is fewer connections than a browser opens to one host (6),
# and already makes the wait for a day's few hundred posts a quarter of what it was.
WORKERS_PER_HOST = 4


def embed_all(
    contexts: Mapping[str, Context],
    posts: Sequence[tuple[str, str]],
    *,
    workers: int = WORKERS_PER_HOST,
    progress: Callable[[int], None] = lambda done: None,
) -> list[str | None]:
    """`embed_html` of each (source, post URL), in order, at most `workers` requests in
    flight per oEmbed host; each post's notes are added in the order of `posts`.

    `progress` is called in this thread, with the number of posts done so far.
    """
    with Embedder(contexts, workers) as embedder:
        return embedder.results(posts, progress)


Post = tuple[str, str]  # (source, post URL)


class Embedder:
    """oEmbed requests a few at a time per host. Posts may be started early (while arXiv
    is still asked, for papers sure to be shown) and their answers taken later; a post
    started but never asked for leaves no note. Leaving the `with` block cancels what has
    not started and waits for what has."""

    def __init__(self, contexts: Mapping[str, Context], workers: int = WORKERS_PER_HOST) -> None:
        self._contexts = contexts
        self._workers = workers
        self._hosts: dict[str, _Host] = {}
        self._started: dict[Post, tuple[Future[str | None], list[str]]] = {}

    def __enter__(self) -> Embedder:
        start_requests()
        return self

    def __exit__(self, error_type: type[BaseException] | None, *rest: object) -> None:
        if error_type is not None:  # Ctrl-C or an error: requests not yet sent stop
            stop_requests()
        for host in self._hosts.values():
            host.pool.shutdown(wait=True, cancel_futures=True)

    def start(self, posts: Iterable[Post]) -> None:
        for post in posts:
            if post in self._started:
                continue
            source, url = post
            context = self._contexts[source]
            host = self._hosts.setdefault(_host(context, source), _Host(self._workers))
            notes: list[str] = []
            one = replace(context, notes=notes)
            self._started[post] = (host.pool.submit(_gated, host.gate, one, source, url), notes)

    def results(
        self, posts: Sequence[Post], progress: Callable[[int], None] = lambda done: None
    ) -> list[str | None]:
        """The HTML of each of `posts` (distinct), in order; their notes, in order."""
        self.start(posts)
        futures = {self._started[post][0]: index for index, post in enumerate(posts)}
        results: list[str | None] = [None] * len(posts)
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            progress(done)
        for post in posts:
            self._contexts[post[0]].notes.extend(self._started[post][1])
        return results


@dataclass
class _Host:
    """One oEmbed host's threads and the gate they share."""

    workers: int
    pool: ThreadPoolExecutor = field(init=False)
    gate: HostGate = field(default_factory=HostGate)

    def __post_init__(self) -> None:
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="oembed")


def _host(context: Context, source: str) -> str:
    parts = urlsplit(context.base_url(DEFAULT_BASE_URLS[source]))
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _gated(gate: HostGate, context: Context, source: str, post_url: str) -> str | None:
    with gate_scope(gate):
        return embed_html(context, source, post_url)


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
