"""oEmbed requests a few at a time per host: the same day file as one at a time, a
bound that holds, and a host's request to wait that holds all of them.

The stand-ins are threaded here (requests sent at once are answered at once) and
count what they are sent; no test measures how long anything took.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from hotpapers.collect.sources.oembed import WORKERS_PER_HOST

from .fake_services import FakeServices, recent_day, status
from .helpers import CREDENTIALS, day_file, fetch, fetch_env, interrupted, start_fetch, wait_until

DAY = recent_day()
OEMBED = ("x_oembed", "bsky_oembed")


class Varied(FakeServices):
    """oEmbed answers that depend on the post alone (never on the order of arrival):
    some posts are gone, some fail, and answers take 0 to 30 ms, so they come back
    out of order."""

    def _x_oembed(self, request: Request) -> Response:
        return self._varied(request, super()._x_oembed)

    def _bsky_oembed(self, request: Request) -> Response:
        return self._varied(request, super()._bsky_oembed)

    @staticmethod
    def _varied(request: Request, answer: object) -> Response:
        import time

        mark = zlib.crc32(request.args["url"].encode())
        time.sleep(mark % 4 * 0.01)
        if mark % 6 == 0:
            return Response("gone", status=404)
        if mark % 6 == 1:
            return Response("busy", status=500)
        return answer(request)  # type: ignore[operator]


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def services(server: HTTPServer) -> Varied:
    return Varied(server, day=DAY)


def _shown_posts(
    services: FakeServices, papers: int, per_paper: int, *, bsky: bool = False, cross: bool = False
) -> None:
    """`papers` papers each with `per_paper` posts a page shows (score >= 25): every
    other one on Bluesky when `bsky`; with `cross`, each paper's first post (on X) also
    links the next paper (one post under two papers: asked for once)."""
    ids = [f"2611.{n:05d}" for n in range(1, papers + 1)]
    for arxiv_id in ids:
        services.paper(arxiv_id)
    for index, arxiv_id in enumerate(ids):
        url = f"https://arxiv.org/abs/{arxiv_id}"
        for n in range(per_paper):
            if bsky and n % 2:
                services.bsky_post(url, 10 + n, 40 + n)
                continue
            services.x_post(url, 10 + n, 40 + n)
            if cross and n == 0 and index + 1 < papers:
                following = f"https://arxiv.org/abs/{ids[index + 1]}"
                link = {"url": "https://t.co/next", "expanded_url": following}
                services.x_posts[-1]["entities"]["urls"].append(link)


def _collect(tmp_path: Path, services: FakeServices, workers: int) -> tuple[bytes, list[str]]:
    """One day collected in this process, with `workers` oEmbed requests per host."""
    from hotpapers.collect.collector import Collector, long_lived_prefixes
    from hotpapers.collect.http import make_session
    from hotpapers.collect.transport import Limits
    from hotpapers.config import load_config
    from hotpapers.store import encode_day

    config = services.config(tmp_path / f"hotpapers-{workers}.toml")
    options = load_config(config)
    session = make_session(
        tmp_path / f"cache-{workers}" / "http.sqlite",
        long_lived_prefixes(options),
        retries=options.retries,
        backoff=options.backoff,
        limits=Limits(options.max_wait, options.request_deadline, options.max_answer_bytes),
    )
    collector = Collector(options, session, CREDENTIALS, embed_workers=workers)
    now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
    try:
        day = collector.collect(date.fromisoformat(DAY), now)
    finally:
        session.close()  # type: ignore[no-untyped-call]
    return encode_day(day), collector.notes


def test_embeds_asked_for_at_once_make_the_same_day_file_as_one_at_a_time(
    tmp_path: Path, services: Varied
) -> None:
    _shown_posts(services, papers=6, per_paper=8, bsky=True, cross=True)
    one_at_a_time, notes_one = _collect(tmp_path, services, workers=1)
    asked = Counter(r.args["url"] for name in OEMBED for r in services.requests(name))
    assert set(asked.values()) == {1, 3}  # each post once; a failing one 3 times (retries = 2)
    at_once, notes_many = _collect(tmp_path, services, workers=WORKERS_PER_HOST)
    assert at_once == one_at_a_time
    assert notes_many == notes_one  # in the posts' order, whatever order answers came in
    assert any("deleted, withheld or protected" in note for note in notes_many)
    assert any("answered HTTP 500" in note for note in notes_many)
    assert b'"embed_html": "<blockquote' in at_once
    again = Counter(r.args["url"] for name in OEMBED for r in services.requests(name))
    assert again == asked + asked  # the same requests (each run has its own cache)
    day = json.loads(at_once)
    twice = Counter(m["id"] for paper in day["papers"] for m in paper["mentions"])
    assert max(twice.values()) == 2  # a post of two papers, asked for once


def test_at_most_four_requests_in_flight_per_oembed_host(tmp_path: Path, services: Varied) -> None:
    services.latency = 0.05
    _shown_posts(services, papers=4, per_paper=10)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert len(services.requests("x_oembed")) >= 4 * 10  # each post (and retries)
    assert 2 <= services.most_in_flight["x_oembed"] <= WORKERS_PER_HOST


def _told_to_wait(server: HTTPServer, retry_after: str) -> FakeServices:
    """Three papers with ten shown posts each (on X); X's oEmbed host answers the first
    request it gets with a 429 and this `Retry-After`."""
    services = FakeServices(server, day=DAY)
    _shown_posts(services, papers=3, per_paper=10)
    services.failures["x_oembed"] = [status(429, {"Retry-After": retry_after})]
    return services


def test_a_retry_after_holds_the_hosts_other_requests(tmp_path: Path, server: HTTPServer) -> None:
    services = _told_to_wait(server, "2")
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    told, *later = services.times["x_oembed"]  # the 429 went to the first to arrive
    # Requests already on their way when it was answered (one per other thread, and
    # one each that may have started as it came); then none until the 2 s are over.
    early = [t for t in later if t - told <= 0.5]
    late = [t for t in later if t - told >= 1.9]
    assert len(early) + len(late) == len(later)
    assert len(early) <= 2 * (WORKERS_PER_HOST - 1)
    assert len(later) == 3 * 10  # every post once, the one told to wait twice
    shown = [m for p in day_file(tmp_path)["papers"] for m in p["mentions"] if m["embed_html"]]
    assert len(shown) == 3 * 10


def test_a_retry_after_longer_than_max_wait_stops_the_host(
    tmp_path: Path, server: HTTPServer
) -> None:
    services = _told_to_wait(server, "999")
    result = fetch(tmp_path, services, extra_config="max_wait = 2")
    assert result.code == 0, result.stderr
    # Only the requests on their way before the answer came were sent.
    assert len(services.requests("x_oembed")) <= 2 * WORKERS_PER_HOST - 1
    waits = [line for line in result.stderr.splitlines() if "more than max_wait 2 s" in line]
    assert len(waits) >= 3 * 10 - 2 * WORKERS_PER_HOST + 1
    assert all("x oEmbed: " in line and "(Retry-After)" in line for line in waits)


def test_an_interrupt_while_embeds_are_asked_for_sends_no_more(
    tmp_path: Path, server: HTTPServer
) -> None:
    services = FakeServices(server, day=DAY, latency=0.2)
    _shown_posts(services, papers=3, per_paper=10)
    data = tmp_path / "data"
    config = services.config(tmp_path / "hotpapers.toml")
    command = [sys.executable, "-m", "hotpapers", "fetch", "--date", DAY]
    command += ["--data", str(data), "--config", str(config)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=fetch_env(tmp_path, True),
    )
    for _ in range(600):  # until the first oEmbed request came (60 s at most)
        if services.times.get("x_oembed") or process.poll() is not None:
            break
        threading.Event().wait(0.1)
    process.send_signal(signal.SIGINT)
    sent = len(services.times.get("x_oembed", []))
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert 1 <= sent < 3 * 10
    # What was on its way ended; nothing waiting was sent.
    assert len(services.times["x_oembed"]) <= sent + WORKERS_PER_HOST
    assert not data.exists() or list(data.iterdir()) == []


def test_an_interrupt_while_a_host_holds_its_threads_sends_no_more(
    tmp_path: Path, server: HTTPServer
) -> None:
    """Threads waiting out a host's Retry-After end their wait at Ctrl-C, unsent."""
    services = _told_to_wait(server, "40")
    process = start_fetch(tmp_path, services, "max_wait = 60\nrequest_deadline = 60")
    wait_until(process, lambda: bool(services.times.get("x_oembed")))
    threading.Event().wait(0.5)  # the 429 came back: every thread waits at the gate
    sent = len(services.times["x_oembed"])
    interrupted(process)
    # Requests on their way when the gate closed may still arrive; none after the wait.
    assert len(services.times["x_oembed"]) - sent < WORKERS_PER_HOST
    assert len(services.times["x_oembed"]) < 3 * 10


def test_the_cache_keeps_a_write_ahead_log_as_private_as_itself(tmp_path: Path) -> None:
    """Storing an answer does not wait for the disk (each one did, 17 ms on the
    benchmark's machine, one thread at a time); the log's files are 0600 too."""
    from hotpapers.collect.http import make_session

    path = tmp_path / "cache" / "http.sqlite"
    session = make_session(path, [])
    try:
        session.cache.redirects["a"] = "b"  # a write: the log's files now exist
        with session.cache.redirects.connection() as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        files = sorted(p.name for p in path.parent.iterdir())
        assert files == ["http.sqlite", "http.sqlite-shm", "http.sqlite-wal"]
        assert {p.stat().st_mode & 0o777 for p in path.parent.iterdir()} == {0o600}
    finally:
        session.close()  # type: ignore[no-untyped-call]


def test_posts_of_papers_sure_to_be_shown_are_embedded_while_arxiv_is_asked(
    tmp_path: Path, server: HTTPServer
) -> None:
    """150 papers: two arXiv batches, 1 s apart. The posts of the first batch's papers
    are asked for during the pause; a post of a paper its page will not show never is."""
    services = FakeServices(server, day=DAY)
    _shown_posts(services, papers=150, per_paper=2)  # each paper scores over 100: shown
    services.paper("2611.09999")
    services.x_post("https://arxiv.org/abs/2611.09999", 10, 20)  # 30: a post a page would
    # show (>= embed_min_score 25) of a paper it does not (< min_score 50)
    quiet = f"/status/{services.x_posts[-1]['id']}"
    result = fetch(tmp_path, services, arxiv_delay_seconds=1)
    assert result.code == 0, result.stderr
    arxiv_times = services.times["arxiv"]
    assert len(arxiv_times) == 2
    oembed_times = sorted(services.times["x_oembed"])
    assert oembed_times[0] < arxiv_times[-1]  # started while arXiv was still asked
    asked = Counter(r.args["url"] for r in services.requests("x_oembed"))
    assert len(asked) == 300 and set(asked.values()) == {1}
    assert not any(url.endswith(quiet) for url in asked)
    day = day_file(tmp_path)
    shown = {p["id"] for p in day["papers"] if all(m["embed_html"] for m in p["mentions"])}
    assert len(shown) == 150 and "2611.09999" not in shown


def test_a_carried_bulk_poster_does_not_make_a_paper_look_sure_to_be_shown(
    tmp_path: Path, server: HTTPServer
) -> None:
    """A hostile review's case: X is silent on the second run, so its posts are carried
    over with the `account_papers` they were stored with (a bulk poster's: weighted
    0.25). The early check must weigh them as the page's ranking does, or it asks
    oEmbed for posts of a paper no page shows."""
    from hotpapers.collect.collector import Collector, long_lived_prefixes
    from hotpapers.collect.http import make_session
    from hotpapers.config import load_config
    from hotpapers.rank import rank_day

    def collect(name: str, x_options: str, previous: Any = None) -> tuple[Any, Any]:
        config = services.config(tmp_path / f"{name}.toml", x_options=x_options)
        options = load_config(config)
        session = make_session(
            tmp_path / f"cache-{name}" / "http.sqlite", long_lived_prefixes(options)
        )
        now = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
        try:
            collector = Collector(options, session, CREDENTIALS)
            return collector.collect(date.fromisoformat(DAY), now, previous), options
        finally:
            session.close()  # type: ignore[no-untyped-call]

    services = FakeServices(server, day=DAY)
    paper = "2611.00001"
    services.paper(paper)
    services.x_post(f"https://arxiv.org/abs/{paper}", 0, 40, account="bulky")
    for n in range(2, 28):  # the account links 27 papers: a bulk poster
        services.paper(f"2611.{n:05d}")
        services.x_post(f"https://arxiv.org/abs/2611.{n:05d}", 0, 1, account="bulky")
    first, options = collect("one", "")
    assert rank_day(first, options) == []  # 40 x 0.25 = 10 < min_score 50
    services.x_posts.clear()
    services.bsky_post(f"https://arxiv.org/abs/{paper}", 0, 30)
    before = {name: len(services.requests(name)) for name in OEMBED}
    second, options = collect("two", "enabled = false", previous=first)
    assert rank_day(second, options) == []  # 10 + 30 = 40 < 50: no page shows it
    assert {name: len(services.requests(name)) - before[name] for name in OEMBED} == {
        "x_oembed": 0,
        "bsky_oembed": 0,
    }
