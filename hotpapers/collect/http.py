"""One HTTP session for all collection: a private persistent cache, retries, polite waits, limits.

* requests-cache on SQLite (with its write-ahead log: storing an answer does
  not wait for the disk), outside the data directory. arXiv metadata and
  oEmbed answers are kept for a long time (they do not change), social searches
  briefly, so an interrupted run resumes without repeating requests while a
  later run refreshes counts. Threads may share the session (oEmbed requests
  run a few at a time): the cache is used by one of them at a time. The cache
  is for its user alone: its folder is
  0700 and its files 0600 (an existing cache with looser modes is tightened,
  with one info line). Nothing secret is stored in it: cached requests keep no
  Authorization or other credential header, no cookies and no body, in redirect
  history too, and credentials are never part of a cache key.
* Credentials go only to the host they are configured for. A request that carries
  them (an Authorization header or a body) follows redirects itself, and only to
  the same scheme, host and port; a login (Bluesky createSession, refreshSession)
  follows none. Any other redirect fails the source with one line.
* 429 honours Retry-After; 5xx and timeouts retry with exponential backoff
  (urllib3's Retry, mounted on the session). Limits (see `transport`): no wait
  longer than `max_wait`, no request longer than `request_deadline` (retries,
  waits and redirects included, also against a server that trickles), no answer
  larger than `max_answer_bytes` once decompressed, no JSON nested deeper than
  100 levels. Each failure is one line naming the service and the URL.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import xml.etree.ElementTree as ElementTree
from datetime import timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
import requests_cache
from requests.structures import CaseInsensitiveDict
from requests_cache.backends.sqlite import SQLiteCache
from requests_cache.models.response import CachedResponse
from requests_cache.serializers import SerializerPipeline, Stage, pickle_serializer
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from hotpapers import __version__
from hotpapers.collect.transport import (
    LimitedAdapter,
    LimitedRetry,
    LimitExceeded,
    Limits,
    one_deadline,
)
from hotpapers.errors import ConfigError, SourceError

log = logging.getLogger("hotpapers.collect.http")

USER_AGENT = f"hotpapers/{__version__} (+https://pypi.org/project/hotpapers/)"
SEARCH_TTL = timedelta(hours=1)
LONG_TTL = timedelta(days=30)


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hotpapers" / "http-cache.sqlite"


class CollectionSession(requests_cache.CachedSession):
    """The cached session whose every request (redirects included) has one deadline."""

    def __init__(self, *args: Any, limits: Limits, **kwargs: Any) -> None:
        self.limits = limits
        super().__init__(*args, **kwargs)

    def request(self, *args: Any, **kwargs: Any) -> Any:
        with one_deadline(self):
            return super().request(*args, **kwargs)


class SerialSQLiteCache(SQLiteCache):
    """requests-cache's SQLite cache, used by one thread at a time.

    Its tables share one connection among threads and lock only writes; reads
    beside writes have crashed (requests-cache issue #1008). What the session
    does with its cache goes through these four methods, each short next to a
    request.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._serial = threading.RLock()

    def get_response(self, key: str, default: Any = None) -> CachedResponse | None:
        with self._serial:
            return super().get_response(key, default)

    def save_response(self, *args: Any, **kwargs: Any) -> None:
        with self._serial:
            super().save_response(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> None:
        with self._serial:
            super().delete(*args, **kwargs)

    def close(self) -> None:
        with self._serial:
            super().close()  # type: ignore[no-untyped-call]


def make_session(
    cache_path: Path,
    long_lived_prefixes: list[str],
    *,
    retries: int = 3,
    backoff: float = 1.0,
    limits: Limits | None = None,
) -> requests_cache.CachedSession:
    """A cached session: URLs under `long_lived_prefixes` are kept 30 days, others 1 hour."""
    limits = limits or Limits()
    private_cache(cache_path)
    session = CollectionSession(
        limits=limits,
        backend=SerialSQLiteCache(str(cache_path), serializer=_SCRUBBING_PICKLE, wal=True),
        expire_after=SEARCH_TTL,
        urls_expire_after={f"{_pattern(prefix)}*": LONG_TTL for prefix in long_lived_prefixes},
        allowable_methods=("GET",),
        allowable_codes=(200,),
        stale_if_error=False,
        filter_fn=well_formed,
    )
    retry = LimitedRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=None,  # also retry POST (Bluesky sessions): they are idempotent here
        respect_retry_after_header=True,
        raise_on_status=False,
        max_wait=limits.max_wait,
    )
    adapter = LimitedAdapter(limits, retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


_CACHE_SIDE_FILES = ("-journal", "-wal", "-shm")


def private_cache(path: Path) -> None:
    """Create the cache folder 0700 and database 0600; tighten an existing cache that is looser.

    SQLite gives its -journal, -wal and -shm files the database file's mode. The
    folder is changed only when it holds nothing but the cache (never, say, /tmp).
    """
    files = [path, *(path.with_name(path.name + suffix) for suffix in _CACHE_SIDE_FILES)]
    if path.exists() and not path.is_file():  # never change the modes of a folder we were given
        raise ConfigError(f"option 'cache': {path} is not a file; name the cache file itself")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        loose = [p for p in files if p.exists() and p.stat().st_mode & 0o077]
        names = {p.name for p in files}
        if path.parent.stat().st_mode & 0o077 and {p.name for p in path.parent.iterdir()} <= names:
            loose.append(path.parent)
        for place in loose:
            place.chmod(0o700 if place.is_dir() else 0o600)
    except OSError as error:
        raise ConfigError(f"option 'cache': {path}: {error.strerror or error}") from None
    if loose:
        log.info("cache %s: was readable by other users, now by you alone (0700/0600)", path)


# Request headers a cached answer keeps (requests-cache compares them for Vary).
_KEPT_REQUEST_HEADERS = ("Accept", "Accept-Encoding", "Accept-Language", "User-Agent")


def _scrubbed(response: CachedResponse) -> CachedResponse:
    """What the cache may store of a response: no request credentials, in any redirect either."""
    for each in (response, *response.history):
        request = each.request
        request.headers = CaseInsensitiveDict(
            {k: v for k, v in request.headers.items() if k.title() in _KEPT_REQUEST_HEADERS}
        )
        request.body = None  # type: ignore[assignment]  # typed bytes; None is "no body"
        request.cookies = requests.cookies.RequestsCookieJar()
        each._next = None
    return response


_SCRUBBING_PICKLE = SerializerPipeline(
    [Stage(dumps=_scrubbed, loads=lambda response: response), *pickle_serializer.stages],
    name="pickle",
    is_binary=True,
)

MAX_JSON_DEPTH = 100
_JSON_STRING = re.compile(r'"(?:[^"\\]+|\\.?)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeep(ValueError):
    """JSON nested deeper than `MAX_JSON_DEPTH` (json.loads would recurse, maybe too far)."""


def decode_json(raw: bytes) -> Any:
    """JSON as json.loads reads it, after refusing nesting deeper than `MAX_JSON_DEPTH`."""
    text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    if any(depth > MAX_JSON_DEPTH for depth in accumulate(map(_NESTING.__getitem__, brackets))):
        raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(text)


def well_formed(response: requests.Response) -> bool:
    """Only answers that parse are cached, so a rerun never replays a broken one."""
    kind = response.headers.get("Content-Type", "")
    try:
        if "xml" in kind:
            ElementTree.fromstring(response.content)
        else:
            decode_json(response.content)
    except (ValueError, ElementTree.ParseError):
        return False
    return True


def _pattern(prefix: str) -> str:
    return prefix.split("://", 1)[-1].rstrip("/")


MAX_REDIRECTS = 5
_ODD_LOCATION = re.compile(r"[\\\x00-\x20\x7f]")
_KEEPS_METHOD = (307, 308)
_DEFAULT_PORTS = {"http": 80, "https": 443}


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
    form: dict[str, str] | None = None,
    login: bool = False,
) -> Any:
    """GET (or POST) and decode JSON; every failure becomes one `SourceError` line.

    A request that carries credentials (an Authorization header or a body) follows
    redirects only to the scheme, host and port of `url`, and a `login` follows
    none, so credentials never reach another host. Other requests follow redirects.
    """
    return get_json_and_headers(
        session,
        service,
        url,
        params=params,
        headers=headers,
        timeout=timeout,
        method=method,
        json_body=json_body,
        form=form,
        login=login,
    )[0]


def get_json_and_headers(
    session: requests.Session,
    service: str,
    url: str,
    *,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
    method: str = "GET",
    json_body: Any = None,
    form: dict[str, str] | None = None,
    login: bool = False,
) -> tuple[Any, CaseInsensitiveDict[str]]:
    """`get_json`, with the answer's headers (rate-limit headers, say); none for an answer
    from the cache."""
    has_body = json_body is not None or form is not None
    guarded = login or has_body or _has_authorization(headers)
    request: dict[str, Any] = {
        "method": method,
        "url": url,
        "params": params,
        "headers": headers,
        "json": json_body,
        "data": form,
        "timeout": timeout,
        "allow_redirects": not guarded,
    }
    try:
        with one_deadline(session):  # the redirects followed here share it
            response = _send(session, service, url, request)
            hops = 0
            while guarded and response.is_redirect:
                hops += 1
                target = urljoin(response.url, session.get_redirect_target(response) or "")
                _check_redirect(service, url, target, login, hops)
                if response.status_code not in _KEEPS_METHOD:
                    request.update(method="GET", json=None, data=None)
                request.update(url=target, params=None)
                response.close()
                response = _send(session, service, url, request)
    except LimitExceeded as error:
        raise SourceError(f"{service}: {url}: {error}", service=service, url=url) from None
    # The headers of an answer from the cache describe the past (a rate limit since reset).
    fresh = not getattr(response, "from_cache", False)
    return _decoded(service, url, response), response.headers if fresh else CaseInsensitiveDict()


def _has_authorization(headers: dict[str, str] | None) -> bool:
    return any(name.lower() == "authorization" for name in headers or {})


def _send(
    session: requests.Session, service: str, url: str, request: dict[str, Any]
) -> requests.Response:
    try:
        return session.request(**request)
    except LimitExceeded as error:
        raise SourceError(f"{service}: {url}: {error}", service=service, url=url) from None
    except requests.Timeout:
        timeout = request["timeout"]
        raise SourceError(
            f"{service}: no answer from {url} within {timeout:g} s", service=service, url=url
        ) from None
    except requests.RequestException as error:
        raise SourceError(
            f"{service}: cannot reach {url}: {describe_failure(error)}", service=service, url=url
        ) from None


def _check_redirect(service: str, url: str, target: str, login: bool, hops: int) -> None:
    where, home = _origin(target), _origin(url)
    if _ODD_LOCATION.search(target):  # URL parsers disagree on such addresses
        where, why = repr(target[:80]), "a backslash, space or control character in it"
    elif login:
        why = "a login follows no redirect"
    elif where != home:
        why = f"credentials go to {home} only"
    elif hops > MAX_REDIRECTS:
        raise SourceError(
            f"{service}: {url}: more than {MAX_REDIRECTS} redirects", service=service, url=url
        )
    else:
        return
    raise SourceError(
        f"{service}: {url}: the redirect to {where} was not followed ({why})",
        service=service,
        url=url,
    )


def _origin(url: str) -> str:
    """scheme://host[:port] as the connection will see it (a default port left out).

    The URL is prepared and parsed as requests and urllib3 do when they connect, so
    a Location that other parsers read differently (``http://a\\@b/``) names the
    host that would really be asked.
    """
    try:
        parts = parse_url(requests.Request("GET", url).prepare().url or "")
    except (requests.RequestException, LocationParseError, ValueError):
        return f"an unusable address {url[:80]!r}"
    scheme, host, port = (parts.scheme or "").lower(), (parts.host or "").lower(), parts.port
    default = port in (None, _DEFAULT_PORTS.get(scheme))
    return f"{scheme}://{host}" if default else f"{scheme}://{host}:{port}"


def _decoded(service: str, url: str, response: requests.Response) -> Any:
    if response.status_code != 200:
        status = response.status_code
        raise SourceError(
            f"{service}: {url} answered HTTP {status}", service=service, url=url, status=status
        )
    try:
        return decode_json(response.content)
    except TooDeep as error:
        raise SourceError(f"{service}: {url} answered {error}", service=service, url=url) from None
    except ValueError:
        raise SourceError(
            f"{service}: {url} answered malformed JSON", service=service, url=url
        ) from None


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
    if isinstance(error, requests.exceptions.InvalidHeader):
        return "a header value is not valid"  # requests' message quotes the value: a token
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]
