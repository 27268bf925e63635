"""Paper metadata from the arXiv API through the `arxiv` package.

`id_list` batches of at most 100 ids, the 3-second pause between requests that
arXiv asks for (skipped when an answer came from the cache), retries through
the shared session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import arxiv
import requests

from hotpapers import ids
from hotpapers.collect.http import describe_failure, well_formed
from hotpapers.collect.sources import Context, SourceOption, text
from hotpapers.errors import ArxivUnreachable

PATH = "/api/query"
DEFAULT_BASE_URL = "https://export.arxiv.org"
OPTIONS = {
    "batch_size": SourceOption(int, 100, least=1, most=100),
    "delay_seconds": SourceOption((int, float), 3.0, least=0, most=3600),
}


@dataclass(frozen=True)
class Metadata:
    id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    pdf: bool


def _one_line(value: str) -> str:
    return " ".join((text(value) or "").split())


def _metadata(result: arxiv.Result) -> Metadata | None:
    arxiv_id = ids.normalize(result.get_short_id())
    if arxiv_id is None:
        return None
    categories = [result.primary_category] + [
        c for c in result.categories if c != result.primary_category
    ]
    return Metadata(
        id=arxiv_id,
        title=_one_line(result.title),
        authors=tuple(_one_line(a.name) for a in result.authors),
        abstract=_one_line(result.summary),
        categories=tuple(c for c in map(_one_line, categories) if c),
        pdf=result.pdf_url is not None,
    )


def fetch_metadata(
    context: Context,
    arxiv_ids: Iterable[str],
    *,
    sleep: Callable[[float], None] = time.sleep,
    on_batch: Callable[[Mapping[str, Metadata]], None] = lambda found: None,
) -> dict[str, Metadata]:
    """Metadata of the papers arXiv knows, by id; raise `ArxivUnreachable` on failure.
    `on_batch` sees what is known after each batch (before the pause to the next)."""
    wanted = list(dict.fromkeys(arxiv_ids))
    batch_size = context.option("batch_size")
    delay = context.option("delay_seconds")
    base_url = context.base_url(DEFAULT_BASE_URL)
    network_used: list[bool] = []
    malformed: list[bool] = []

    asking = threading.get_ident()

    def remember(response: requests.Response, *args: object, **kwargs: object) -> None:
        if threading.get_ident() != asking:
            return  # another thread's answer (oEmbed, meanwhile) on the shared session
        network_used.append(not getattr(response, "from_cache", False))
        malformed.append(response.status_code == 200 and not well_formed(response))

    found: dict[str, Metadata] = {}
    last_network_request = 0.0
    context.session.hooks["response"].append(remember)
    try:
        for start in range(0, len(wanted), batch_size):
            batch = wanted[start : start + batch_size]
            wait = last_network_request + delay - time.monotonic()
            if last_network_request and wait > 0:
                sleep(wait)
            network_used.clear()
            malformed.clear()
            client = arxiv.Client(page_size=batch_size, delay_seconds=0, num_retries=0)
            client.query_url_format = base_url + PATH + "?{}"
            client._session = context.session  # the shared cached, retrying session
            try:
                results = list(client.results(arxiv.Search(id_list=batch, max_results=len(batch))))
            except (arxiv.ArxivError, requests.RequestException) as error:
                raise ArxivUnreachable(
                    f"arXiv: the API at {base_url}{PATH} could not be used: {_reason(error)}"
                ) from None
            if any(network_used):
                last_network_request = time.monotonic()
            if any(malformed):
                raise ArxivUnreachable(f"arXiv: the API at {base_url}{PATH} answered malformed XML")
            for result in results:
                metadata = _metadata(result)
                if metadata is not None:
                    found[metadata.id] = metadata
            context.progress(min(start + batch_size, len(wanted)))
            on_batch(found)
    finally:
        context.session.hooks["response"].remove(remember)
    return found


def _reason(error: Exception) -> str:
    if isinstance(error, arxiv.HTTPError):
        return f"HTTP {error.status}"
    if isinstance(error, requests.RequestException):
        return describe_failure(error)
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__
