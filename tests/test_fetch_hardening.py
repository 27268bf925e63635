"""`hotpapers fetch` against services that redirect, stall, trickle or flood (security review).

Each run is the real command in a subprocess, with every credential set, against
stand-ins on this machine: the services (threaded, so a stalled answer holds up
no other), "elsewhere" (another port of the same host name: another host), and
raw TCP servers that misbehave below HTTP. Limits are small so the tests are fast.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from urllib3.exceptions import ReadTimeoutError

from .fake_services import (
    BSKY_HANDLE,
    BSKY_PASSWORD,
    HF_TOKEN,
    REDDIT_ID,
    REDDIT_SECRET,
    REDDIT_TOKEN_PREFIX,
    X_TOKEN,
    FakeServices,
    RawServer,
    gzip_bomb,
    huge,
    nested,
    recent_day,
    redirect,
    stall,
    status,
    trickle_body,
    trickle_headers,
)
from .helpers import Result

DAY, NEXT_DAY = recent_day(), recent_day(1)
CREDENTIALS = {
    "HOTPAPERS_X_BEARER_TOKEN": X_TOKEN,
    "HOTPAPERS_BLUESKY_HANDLE": BSKY_HANDLE,
    "HOTPAPERS_BLUESKY_APP_PASSWORD": BSKY_PASSWORD,
    "HOTPAPERS_HF_TOKEN": HF_TOKEN,
    "HOTPAPERS_REDDIT_CLIENT_ID": REDDIT_ID,
    "HOTPAPERS_REDDIT_CLIENT_SECRET": REDDIT_SECRET,
}
ACCESS_MARK, REFRESH_MARK = "eyJ-access-7c41", "eyJ-refresh-d08e"
SECRETS = (
    X_TOKEN,
    BSKY_PASSWORD,
    HF_TOKEN,
    ACCESS_MARK,
    REFRESH_MARK,
    REDDIT_SECRET,
    REDDIT_TOKEN_PREFIX,
)
SOURCES = ("x", "bluesky", "hackernews", "huggingface", "reddit", "arxiv")
RUN_TIMEOUT = 60  # a fetch that hangs fails its test rather than hanging the suite
MIB = 1 << 20


class Services(FakeServices):
    """The stand-ins, issuing Bluesky session tokens that are unmistakable in any file."""

    def _new_tokens(self) -> dict[str, str]:
        tokens = super()._new_tokens()
        access = f"{ACCESS_MARK}-{tokens['accessJwt']}"
        self._tokens[access] = self._tokens.pop(tokens["accessJwt"])
        return {
            **tokens,
            "accessJwt": access,
            "refreshJwt": f"{tokens['refreshJwt']}-{REFRESH_MARK}",
        }


def _threaded_server() -> HTTPServer:
    server = HTTPServer(threaded=True)
    server.start()
    return server


@pytest.fixture
def services() -> Iterator[Services]:
    server = _threaded_server()
    yield Services(server, day=DAY)
    server.clear()
    server.stop()


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """Another host (same name, another port), answering anything it is sent."""
    server = _threaded_server()
    server.expect_request(re.compile(".*")).respond_with_json(
        {"accessJwt": "a", "refreshJwt": "r", "data": [], "hits": []}
    )
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def raw() -> Iterator[Callable[[Callable[[Any], None]], RawServer]]:
    started: list[RawServer] = []

    def start(behaviour: Callable[[Any], None]) -> RawServer:
        started.append(RawServer(behaviour))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def _scenario(services: Services) -> None:
    """Two papers; one X post scores enough for an embed (one oEmbed request)."""
    services.paper("2611.00001")
    services.paper("2611.00002")
    services.x_post("https://arxiv.org/abs/2611.00001", 40, 100)
    services.x_post("https://arxiv.org/abs/2611.00002", 2, 4)
    services.bsky_post("https://arxiv.org/abs/2611.00002", 1, 10)
    services.hn_story("https://arxiv.org/abs/2611.00002", 12)
    services.reddit_post("https://arxiv.org/abs/2611.00002", 7, 1)
    services.hf_paper("2611.00002", 15)


def _fetch(
    tmp_path: Path,
    services: Services,
    *args: str,
    bases: dict[str, str] | None = None,
    **options: Any,
) -> Result:
    """`hotpapers fetch` with every credential set; `bases` points sources elsewhere."""
    base = services.base_url
    urls = dict.fromkeys(SOURCES, base)
    urls.update(
        {
            "x_oembed": f"{base}/x-oembed",
            "bsky_oembed": f"{base}/bsky-oembed",
            "reddit_auth": f"{base}/reddit-auth",
        }
    )
    urls.update(bases or {})
    settings = {
        "cache": str(tmp_path / "cache" / "http.sqlite"),
        "retries": 2,
        "backoff": 0,
        "timeout": 30,  # only the deadline can stop a trickle in time
        "request_deadline": 3,
        "max_wait": 2,
        "max_answer_bytes": MIB,
        **options,
    }
    lines = [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    for name in SOURCES:
        lines += [f"[sources.{name}]", f"base_url = {json.dumps(urls[name])}"]
        if name == "reddit":
            lines += [f"auth_url = {json.dumps(urls['reddit_auth'])}"]
    lines += ["delay_seconds = 0"]  # in [sources.arxiv], the last table above
    lines += ["[embeds.x]", f"base_url = {json.dumps(urls['x_oembed'])}"]
    lines += ["[embeds.bluesky]", f"base_url = {json.dumps(urls['bsky_oembed'])}"]
    config = tmp_path / "hotpapers.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTPAPERS_")}
    env.update(CREDENTIALS, XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), COLUMNS="200")
    data = str(tmp_path / "data")
    command = ["fetch", "--date", DAY, *args, "--data", data, "--config", str(config)]
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", *command],
        capture_output=True,
        env=env,
        check=False,
        timeout=RUN_TIMEOUT,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())


def _sources(tmp_path: Path) -> dict[str, str]:
    day = json.loads((tmp_path / "data" / f"{DAY}.json").read_text(encoding="utf-8"))
    return {name: state.split(":", 1)[0] for name, state in day["sources"].items()}


def _line(result: Result, start: str) -> str:
    """The one stderr line that starts with `start`."""
    (line,) = [line for line in result.stderr.splitlines() if line.startswith(start)]
    return line


def _leaks(tmp_path: Path, result: Result) -> list[str]:
    """Each secret found in any file the run left, or in its output."""
    places = {str(p): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    places["output"] = (result.stdout + result.stderr).encode()
    return [
        f"{s} in {place}" for place, data in places.items() for s in SECRETS if s.encode() in data
    ]


def _secrets_received(server: HTTPServer) -> list[str]:
    sent = [repr(dict(r.headers)) + r.url + r.get_data(as_text=True) for r, _ in server.log]
    return [secret for secret in SECRETS for request in sent if secret in request]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- finding 1: no secret in a world-readable cache --------------------------


def test_no_credential_is_stored_after_same_host_redirects(
    tmp_path: Path, services: Services
) -> None:
    _scenario(services)
    services.failures["x"] = [redirect()]  # relative Location
    services.failures["bsky_search"] = [redirect(services.base_url, 302)]
    services.failures["huggingface"] = [redirect(code=308)]
    services.failures["reddit_search"] = [redirect()]
    result = _fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert set(_sources(tmp_path).values()) == {"ok"}
    assert len(services.requests("reddit_search")) == 2
    # Followed, with the credentials, to the same host.
    assert [r.headers["Authorization"] for r in services.requests("x")] == [f"Bearer {X_TOKEN}"] * 2
    assert [r.headers["Authorization"] for r in services.requests("huggingface")] == [
        f"Bearer {HF_TOKEN}"
    ] * 2
    searches = services.requests("bsky_search")
    assert len(searches) == 2 and all(ACCESS_MARK in r.headers["Authorization"] for r in searches)
    assert _leaks(tmp_path, result) == []


def test_the_cache_is_private_to_its_user(tmp_path: Path, services: Services) -> None:
    _scenario(services)
    result = _fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    cache = tmp_path / "cache"
    assert _mode(cache) == 0o700
    assert {p.name: _mode(p) for p in cache.iterdir()} == {"http.sqlite": 0o600}
    assert "readable by other users" not in result.stderr


def test_a_loose_cache_is_tightened_with_one_info_line(tmp_path: Path, services: Services) -> None:
    _scenario(services)
    assert _fetch(tmp_path, services).code == 0
    cache = tmp_path / "cache"
    database, journal = cache / "http.sqlite", cache / "http.sqlite-journal"
    journal.write_bytes(b"")  # an empty leftover journal, which SQLite ignores
    for path, mode in ((cache, 0o755), (database, 0o644), (journal, 0o644)):
        path.chmod(mode)
    result = _fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert (_mode(cache), _mode(database), _mode(journal)) == (0o700, 0o600, 0o600)
    assert str(database) in _line(result, "cache ")
    assert result.stderr.count("readable by other users") == 1


# --- finding 2: credentials never follow a redirect to another host ----------


def test_credentials_never_go_to_another_host(
    tmp_path: Path, services: Services, elsewhere: HTTPServer
) -> None:
    _scenario(services)
    away = elsewhere.url_for("").rstrip("/")
    services.failures["bsky_session"] = [redirect(away)]  # a 307 would resend the password
    services.failures["x"] = [redirect(away)]
    services.failures["huggingface"] = [redirect(away, 302)]
    services.failures["reddit_token"] = [redirect(away)]
    result = _fetch(tmp_path, services)
    assert _secrets_received(elsewhere) == []
    assert elsewhere.log == []
    assert result.code == 4, result.stderr
    assert _sources(tmp_path) == {
        "x": "failed",
        "bluesky": "failed",
        "hackernews": "ok",
        "huggingface": "failed",
        "reddit": "failed",
    }
    for service in ("x", "bluesky", "huggingface"):
        line = _line(result, f"{service}: {services.base_url}")
        assert f"the redirect to {away} was not followed" in line
    assert "Traceback" not in result.stderr
    assert _leaks(tmp_path, result) == []


def test_a_location_that_url_parsers_read_differently_is_not_followed(
    tmp_path: Path, services: Services, elsewhere: HTTPServer, raw: Callable[..., RawServer]
) -> None:
    # urlsplit reads the host after the '@'; requests and urllib3 connect to the one
    # before the backslash. The X and Hugging Face tokens must not go there.
    _scenario(services)
    away = elsewhere.url_for("").rstrip("/")
    ports: list[str] = []

    def answer(connection: Any) -> None:
        location = f"{away}\\@127.0.0.1:{ports[0]}/2/tweets/search/recent"
        connection.sendall(
            f"HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\n"
            "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
        )

    home = raw(answer)
    ports.append(home.base_url.rsplit(":", 1)[1])
    result = _fetch(tmp_path, services, bases={"x": home.base_url, "huggingface": home.base_url})
    assert elsewhere.log == [] and _secrets_received(elsewhere) == []
    assert result.code == 4, result.stderr
    for service in ("x", "huggingface"):
        line = _line(result, f"{service}: {home.base_url}")
        assert "was not followed (a backslash, space or control character in it)" in line
    assert _leaks(tmp_path, result) == []


def test_a_login_follows_no_redirect_not_even_to_its_own_host(
    tmp_path: Path, services: Services
) -> None:
    _scenario(services)
    services.failures["bsky_session"] = [redirect()]
    result = _fetch(tmp_path, services)
    assert result.code == 4, result.stderr
    assert len(services.requests("bsky_session")) == 1  # the password was sent once
    line = _line(result, "bluesky: ")
    assert f"the redirect to {services.base_url} was not followed" in line
    assert "a login follows no redirect" in line
    assert _sources(tmp_path)["bluesky"] == "failed"


# --- finding 3: bounded waits, time and memory -------------------------------


def test_a_retry_after_longer_than_max_wait_fails_at_once(
    tmp_path: Path, services: Services
) -> None:
    _scenario(services)
    services.failures["hackernews"] = [status(429, {"Retry-After": "999999"})]
    result = _fetch(tmp_path, services, max_wait=5)
    assert result.code == 4, result.stderr
    assert _line(result, "hackernews: ").startswith(
        f"hackernews: {services.base_url}/api/v1/search_by_date: asked to wait 999999 s "
        "(Retry-After), more than max_wait 5 s"
    )
    assert len(services.requests("hackernews")) == 1
    assert _sources(tmp_path)["hackernews"] == "failed"


def test_a_trickling_server_is_cut_off_at_the_deadline(
    tmp_path: Path, services: Services, raw: Callable[..., RawServer]
) -> None:
    _scenario(services)
    heads, bodies = raw(trickle_headers(every=2)), raw(trickle_body(every=2))
    result = _fetch(
        tmp_path,
        services,
        bases={"hackernews": heads.base_url, "huggingface": bodies.base_url},
        request_deadline=3,
    )
    assert result.code == 4, result.stderr
    for service, server in (("hackernews", heads), ("huggingface", bodies)):
        assert _line(result, f"{service}: {server.base_url}").endswith(
            "no complete answer within request_deadline 3 s (retries and waits included)"
            " (the day is written from the other sources)"
        )
        assert len(server.received) == 1  # no retry after the deadline
    assert _sources(tmp_path) == {
        "x": "ok",
        "bluesky": "ok",
        "hackernews": "failed",
        "huggingface": "failed",
        "reddit": "ok",
    }


def test_a_huge_or_compressed_answer_stops_at_max_answer_bytes(
    tmp_path: Path, services: Services
) -> None:
    _scenario(services)
    sent = [0]
    services.failures["huggingface"] = [huge(sent)]  # about 1 GiB, made while streaming
    services.failures["hackernews"] = [gzip_bomb()]  # kilobytes that decompress to 64 MiB
    result = _fetch(tmp_path, services, max_answer_bytes=MIB)
    assert result.code == 4, result.stderr
    for service in ("hackernews", "huggingface"):
        assert _line(result, f"{service}: ").endswith(
            f"answered more than {MIB} bytes (max_answer_bytes)"
            " (the day is written from the other sources)"
        )
    assert sent[0] < 64 * MIB  # the client stopped early


def test_deeply_nested_json_fails_its_source_in_one_line(
    tmp_path: Path, services: Services
) -> None:
    _scenario(services)
    services.failures["hackernews"] = [nested(100_000)]
    result = _fetch(tmp_path, services)
    assert result.code == 4, result.stderr
    assert _line(result, "hackernews: ").startswith(
        f"hackernews: {services.base_url}/api/v1/search_by_date answered JSON nested deeper "
        "than 100 levels"
    )
    assert "RecursionError" not in result.stderr and "Traceback" not in result.stderr


def test_the_limits_hold_for_the_arxiv_package_too(tmp_path: Path, services: Services) -> None:
    _scenario(services)
    services.failures["arxiv"] = [status(429, {"Retry-After": "999999"}), huge([0])]
    result = _fetch(tmp_path, services, "--until", NEXT_DAY)
    assert result.code == 3, result.stderr
    api = f"arXiv: the API at {services.base_url}/api/query could not be used"
    assert _line(result, f"{DAY}: not written: ").endswith(
        f"{api}: asked to wait 999999 s (Retry-After), more than max_wait 2 s"
    )
    assert _line(result, f"{NEXT_DAY}: not written: ").endswith(
        f"{api}: answered more than {MIB} bytes (max_answer_bytes)"
    )


def test_a_hostile_network_cannot_leak_hang_or_exhaust_a_fetch(
    tmp_path: Path, services: Services, elsewhere: HTTPServer, raw: Callable[..., RawServer]
) -> None:
    """Redirects to the same and another host, a stall, a trickle and 1 GiB, in one run."""
    _scenario(services)
    away = elsewhere.url_for("").rstrip("/")
    sent = [0]
    services.failures["x"] = [redirect()]  # same host: followed with the token
    services.failures["bsky_session"] = [redirect(away)]  # another host: not followed
    services.failures["huggingface"] = [redirect(), huge(sent)]
    trickling, stalling = raw(trickle_headers(every=2)), raw(stall)
    result = _fetch(
        tmp_path,
        services,
        bases={"hackernews": trickling.base_url, "x_oembed": stalling.base_url},
        request_deadline=3,
    )
    assert result.code == 4, result.stderr
    assert _sources(tmp_path) == {
        "x": "ok",
        "bluesky": "failed",
        "hackernews": "failed",
        "huggingface": "failed",
        "reddit": "ok",
    }
    assert "the redirect to" in _line(result, "bluesky: ")
    assert "request_deadline 3 s" in _line(result, "hackernews: ")
    assert "max_answer_bytes" in _line(result, "huggingface: ")
    assert "request_deadline 3 s" in _line(result, "x oEmbed: ")
    assert len(stalling.received) == 1
    assert sent[0] < 64 * MIB
    assert elsewhere.log == []
    assert _leaks(tmp_path, result) == []
    assert "Traceback" not in result.stderr


# --- the pieces, in process (imported here: the end-to-end tests above must run,
# and fail, on code from before the hardening too) --------------------------------


def test_retry_after_is_read_uncapped_in_both_forms() -> None:
    from hotpapers.collect.transport import retry_after

    assert retry_after("999999") == 999999
    assert retry_after(" 7 ") == 7
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert retry_after("Fri, 01 Jan 9999 00:00:00 GMT") > 10**10
    assert retry_after("soon") is None and retry_after(None) is None
    assert retry_after("9" * 5000) == float("inf")


def test_backoff_is_capped_at_max_wait_and_max_wait_survives_new() -> None:
    from hotpapers.collect.transport import LimitedRetry

    retry = LimitedRetry(total=10, backoff_factor=1000, max_wait=2)
    for _ in range(3):
        retry = retry.increment("GET", "/", error=ReadTimeoutError(None, "/", "slow"))
    assert retry.max_wait == 2
    assert retry.get_backoff_time() == 2


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    from hotpapers.collect.http import MAX_JSON_DEPTH, TooDeep, decode_json

    assert decode_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    with pytest.raises(TooDeep):
        decode_json(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    with pytest.raises(TooDeep):
        decode_json(b'{"a": ' * 5000)  # malformed as well: refused before parsing
    text = '["' + "[{" * 500 + '\\"' + "{" * 500 + '"]'
    assert decode_json(text.encode()) == ["[{" * 500 + '"' + "{" * 500]
    assert decode_json('{"ü": "\\u00fc"}'.encode("utf-16")) == {"ü": "ü"}


def test_a_credentialed_redirect_loop_ends_in_one_line(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    from hotpapers.collect.http import MAX_REDIRECTS, get_json, make_session
    from hotpapers.errors import SourceError

    httpserver.expect_request("/loop").respond_with_handler(redirect(code=302))
    url = httpserver.url_for("/loop")
    session = make_session(tmp_path / "cache" / "http.sqlite", [])
    with session, pytest.raises(SourceError) as raised:
        get_json(session, "x", url, headers={"Authorization": f"Bearer {X_TOKEN}"})
    assert str(raised.value) == f"x: {url}: more than {MAX_REDIRECTS} redirects"
    assert len(httpserver.log) == MAX_REDIRECTS + 1
