"""One HTTP session for all collection: a persistent cache, retries, and polite waits.

* requests-cache on SQLite, outside the data directory. arXiv metadata and
  oEmbed answers are kept for a long time (they do not change), social searches
  briefly, so an interrupted run resumes without repeating requests while a
  later run refreshes counts. Credentials are never part of a cache key nor
  stored (requests-cache drops the Authorization header from cached requests).
* 429 honours Retry-After; 5xx and timeouts retry with exponential backoff
  (urllib3's Retry, mounted on the session).
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import requests_cache
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from . import __version__
from .errors import HotpapersError

USER_AGENT = f"hotpapers/{__version__} (+https://pypi.org/project/hotpapers/)"
SEARCH_TTL = timedelta(hours=1)
LONG_TTL = timedelta(days=30)


class SourceError(HotpapersError):
    """A service did not answer usably; the message names it and never holds credentials."""


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hotpapers" / "http-cache.sqlite"


def make_session(
    cache_path: Path,
    long_lived_prefixes: list[str],
    *,
    retries: int = 3,
    backoff: float = 1.0,
) -> requests_cache.CachedSession:
    """A cached session: URLs under `long_lived_prefixes` are kept 30 days, others 1 hour."""
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    session = requests_cache.CachedSession(
        str(cache_path),
        backend="sqlite",
        expire_after=SEARCH_TTL,
        urls_expire_after={f"{_pattern(prefix)}*": LONG_TTL for prefix in long_lived_prefixes},
        allowable_methods=("GET",),
        allowable_codes=(200,),
        stale_if_error=False,
        filter_fn=well_formed,
    )
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=None,  # also retry POST (Bluesky sessions): they are idempotent here
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def well_formed(response: requests.Response) -> bool:
    """Only answers that parse are cached, so a rerun never replays a broken one."""
    kind = response.headers.get("Content-Type", "")
    try:
        if "xml" in kind:
            ElementTree.fromstring(response.content)
        else:
            json.loads(response.content)
    except (ValueError, ElementTree.ParseError):
        return False
    return True


def _pattern(prefix: str) -> str:
    return prefix.split("://", 1)[-1].rstrip("/")


def get_json(
    session: requests.Session,
    service: str,
    url: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    method: str = "GET",
    json_body: Any = None,
) -> Any:
    """GET (or POST) and decode JSON; every failure becomes one `SourceError` line."""
    try:
        response = session.request(
            method, url, params=params, headers=headers, json=json_body, timeout=timeout
        )
    except requests.Timeout:
        raise SourceError(f"{service}: no answer from {url} within {timeout:g} s") from None
    except requests.RequestException as error:
        raise SourceError(f"{service}: cannot reach {url}: {describe_failure(error)}") from None
    if response.status_code != 200:
        raise SourceError(f"{service}: {url} answered HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        raise SourceError(f"{service}: {url} answered malformed JSON") from None


_CAUSES = {
    "NameResolutionError": "the host name does not resolve",
    "NewConnectionError": "the connection was refused",
    "ConnectTimeoutError": "connecting timed out",
    "ReadTimeoutError": "no answer in time",
    "ProtocolError": "the connection broke",
    "SSLError": "TLS failed",
}


def describe_failure(error: requests.RequestException) -> str:
    """A short cause without urllib3's nested reprs (which can be very long)."""
    cause = error.args[0] if error.args else None
    reason = getattr(cause, "reason", cause)
    name = type(reason).__name__
    if name in _CAUSES:
        return f"{_CAUSES[name]} (after retries)"
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
