"""`hotpapers fetch` end to end against local stand-ins for every service."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from .fake_services import (
    SECRETS,
    X_TOKEN,
    FakeServices,
    body,
    recent_day,
    slow,
    status,
)
from .helpers import (
    day_file,
    fetch,
    fetch_env,
    interrupted,
    popular_scenario,
    start_fetch,
    wait_until,
)

DAY, NEXT_DAY, THIRD_DAY = recent_day(), recent_day(1), recent_day(2)


def test_collects_a_day_from_every_source(tmp_path: Path, services: FakeServices) -> None:
    popular_scenario(services)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert f"{DAY}: 3 papers -> " in result.stdout
    day = day_file(tmp_path)
    assert day["sources"] == dict.fromkeys(
        ("bluesky", "hackernews", "huggingface", "reddit", "x"), "ok"
    )
    papers = {p["id"]: p for p in day["papers"]}
    assert list(papers) == ["2611.00001", "2611.00002", "hep-th/9901001"]  # rank order
    first = papers["2611.00001"]
    assert first["totals"] == {"reposts": 49, "likes": 173, "quotes": 3}
    assert first["sources"] == {
        "bluesky": {"reposts": 2, "likes": 8, "quotes": 0},
        "huggingface": {"reposts": None, "likes": 15},
        "reddit": {"reposts": 2, "likes": 30},
        "x": {"reposts": 45, "likes": 120, "quotes": 3},
    }
    assert first["title"] == "Paper 2611.00001 with a wrapped title"
    assert first["abstract"] == "Abstract of 2611.00001 over two lines, with $\\alpha_1 < \\beta$."
    assert first["categories"] == ["cs.LG", "stat.ML"]
    assert [m["source"] for m in first["mentions"]] == [
        "x",
        "reddit",
        "x",
        "huggingface",
        "bluesky",
    ]
    assert papers["2611.00002"]["totals"] == {"reposts": 10, "likes": 150, "quotes": 0}
    assert "2611.99999" not in papers
    assert "arXiv does not know 2611.99999: dropped" in result.stderr
    # oEmbed only for posts a page shows (score >= 25): two X posts and none below.
    shown = [m for p in day["papers"] for m in p["mentions"] if m["embed_html"]]
    assert {m["source"] for m in shown} == {"x", "bluesky"}
    assert all(m["reposts"] + m["likes"] >= 25 for m in shown)
    assert len(services.requests("x_oembed")) == 3
    assert len(services.requests("bsky_oembed")) == 1
    x_request = services.requests("x")[0]
    assert x_request.args["query"] == "url:arxiv.org -is:retweet"
    assert (x_request.args["start_time"], x_request.args["end_time"]) == (
        f"{DAY}T00:00:00Z",
        f"{NEXT_DAY}T00:00:00Z",
    )
    bsky_request = services.requests("bsky_search")[0]
    assert bsky_request.args["q"] == "domain:arxiv.org"
    assert bsky_request.args["since"] == f"{DAY}T00:00:00Z"
    assert services.requests("huggingface")[0].args["date"] == DAY
    assert "created_at_i>=" in services.requests("hackernews")[0].args["numericFilters"]
    render = subprocess.run(
        [sys.executable, "-m", "hotpapers", "check", "--data", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert render.returncode == 0, render.stderr


def test_every_source_pages(tmp_path: Path, services: FakeServices) -> None:
    services.paper("2611.00001")
    for _ in range(150):
        services.x_post("https://arxiv.org/abs/2611.00001", 1, 1)
        services.bsky_post("https://arxiv.org/abs/2611.00001", 1, 1)
        services.hn_story("https://arxiv.org/abs/2611.00001", 1)
        services.hf_paper("2611.00001", 1)
        services.reddit_post(
            "https://arxiv.org/abs/2611.00001", 1, hour=12 + len(services.reddit_posts) % 10
        )
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    for name in ("x", "bsky_search", "hackernews", "huggingface", "reddit_search"):
        assert len(services.requests(name)) == 2, name
    newest_first = sorted(services.reddit_posts, key=lambda p: -p["data"]["created_utc"])
    assert [r.args.get("after") for r in services.requests("reddit_search")] == [
        None,
        newest_first[99]["data"]["name"],
    ]
    assert [r.args.get("pagination_token") for r in services.requests("x")] == [None, "100"]
    assert [r.args.get("cursor") for r in services.requests("bsky_search")] == [None, "100"]
    assert [r.args["page"] for r in services.requests("hackernews")] == ["0", "1"]
    assert [r.args["p"] for r in services.requests("huggingface")] == ["0", "1"]
    (paper,) = day_file(tmp_path)["papers"]
    # One Hugging Face entry per paper page repeated: the same (source, id) counts once.
    assert paper["totals"] == {"reposts": 300, "likes": 301 + 150 + 150, "quotes": 0}
    assert len(paper["mentions"]) == 20  # keep_mentions; totals count them all


def test_arxiv_batches_of_100_and_a_rerun_served_from_the_cache(
    tmp_path: Path, services: FakeServices
) -> None:
    for number in range(250):
        arxiv_id = f"2611.{number:05d}"
        services.paper(arxiv_id)
        services.hn_story(f"https://arxiv.org/abs/{arxiv_id}", 10)
    services.x_post("https://arxiv.org/abs/2611.00007", 100, 100)
    first = fetch(tmp_path, services)
    assert first.code == 0, first.stderr
    batches = [r.args["id_list"].split(",") for r in services.requests("arxiv")]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert len(day_file(tmp_path)["papers"]) == 250
    assert len(services.requests("x_oembed")) == 1
    before = len(services.server.log)
    second = fetch(tmp_path, services)
    assert second.code == 0, second.stderr
    later = [r.path for r, _ in services.server.log[before:]]
    assert later.count("/api/query") == 0
    assert later.count("/x-oembed/oembed") == 0


def test_429_honours_retry_after(tmp_path: Path, services: FakeServices) -> None:
    popular_scenario(services)
    services.failures["hackernews"] = [status(429, {"Retry-After": "1"})]
    started = time.monotonic()
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert len(services.requests("hackernews")) == 2
    assert time.monotonic() - started >= 1  # it waited as asked
    assert day_file(tmp_path)["sources"]["hackernews"] == "ok"


def test_503_and_timeouts_are_retried(tmp_path: Path, services: FakeServices) -> None:
    popular_scenario(services)
    services.failures["huggingface"] = [status(503)]
    services.failures["x"] = [slow(3, status(200))]
    result = fetch(tmp_path, services, timeout=1)
    assert result.code == 0, result.stderr
    assert len(services.requests("huggingface")) == 2
    # Counted as they arrive: the slow first answer may still be on its way (the server
    # is threaded, and the log lists requests once they are answered).
    assert len(services.times["x"]) >= 2
    assert day_file(tmp_path)["sources"] == {
        "bluesky": "ok",
        "hackernews": "ok",
        "huggingface": "ok",
        "reddit": "ok",
        "x": "ok",
    }


def test_a_source_that_keeps_failing_is_reported_and_the_day_written(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    services.failures["hackernews"] = [status(503)] * 10
    services.failures["huggingface"] = [body("{not json", "application/json")] * 10
    result = fetch(tmp_path, services)
    assert result.code == 4
    assert "hackernews: " in result.stderr and "answered HTTP 503" in result.stderr
    assert "huggingface: " in result.stderr and "malformed JSON" in result.stderr
    assert "Traceback" not in result.stderr
    day = day_file(tmp_path)
    assert day["sources"]["hackernews"].startswith("failed: hackernews:")
    assert day["sources"]["x"] == "ok"
    assert [p["id"] for p in day["papers"]] == ["2611.00001", "hep-th/9901001", "2611.00002"]
    assert "(failed: hackernews, huggingface)" in result.stdout
    # Broken answers are never cached: a later run asks again and gets good ones.
    services.failures.clear()
    retry = fetch(tmp_path, services)
    assert retry.code == 0, retry.stderr


def test_arxiv_unreachable_writes_nothing(tmp_path: Path, services: FakeServices) -> None:
    popular_scenario(services)
    data = tmp_path / "data"
    data.mkdir()
    existing = data / f"{DAY}.json"
    existing.write_bytes(_empty_day())
    services.failures["arxiv"] = [status(503)] * 10
    result = fetch(tmp_path, services)
    assert result.code == 3
    assert f"{DAY}: not written: arXiv: the API at" in result.stderr
    assert "HTTP 503" in result.stderr and "Traceback" not in result.stderr
    assert existing.read_bytes() == _empty_day()
    assert sorted(p.name for p in data.iterdir()) == [f"{DAY}.json"]


def _empty_day(note: str = "kept byte for byte") -> bytes:
    day = {"schema": "hotpapers/1", "date": DAY, "collected_at": f"{DAY}T23:00:00Z"}
    return json.dumps({**day, "papers": [], "note": note}).encode()


def test_an_invalid_earlier_file_is_kept_not_replaced(
    tmp_path: Path, services: FakeServices
) -> None:
    """Its data could not be carried over, so the run does not overwrite it."""
    popular_scenario(services)
    data = tmp_path / "data"
    data.mkdir()
    existing = data / f"{DAY}.json"
    existing.write_bytes(b"previous day file, kept byte for byte\n")
    result = fetch(tmp_path, services)
    assert result.code == 3
    (line,) = result.stderr.splitlines()
    assert line == (
        f"{DAY}: not written: {existing}: invalid JSON at line 1, column 1: Expecting value "
        "(the file is kept: fix or remove it to collect the day again)"
    )
    assert existing.read_bytes() == b"previous day file, kept byte for byte\n"


def test_arxiv_answering_malformed_xml_writes_nothing(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    services.failures["arxiv"] = [body("<feed><entry>", "application/atom+xml")] * 5
    result = fetch(tmp_path, services)
    assert result.code == 3
    assert "malformed XML" in result.stderr
    assert not (tmp_path / "data" / f"{DAY}.json").exists()


def test_interrupted_fetch_leaves_the_old_file_and_no_temporary_files(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    data = tmp_path / "data"
    data.mkdir()
    existing = data / f"{DAY}.json"
    existing.write_bytes(_empty_day("old"))
    services.arxiv_delay = 2
    config = services.config(tmp_path / "hotpapers.toml")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hotpapers",
            "fetch",
            "--date",
            DAY,
            "--data",
            str(data),
            "--config",
            str(config),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=fetch_env(tmp_path, True),
    )
    assert services.arxiv_asked.wait(60)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert b"interrupted" in stderr and b"Traceback" not in stderr
    assert existing.read_bytes() == _empty_day("old")
    assert sorted(p.name for p in data.iterdir()) == [f"{DAY}.json"]


def test_an_interrupt_while_sources_are_searched_asks_for_no_more_pages(
    tmp_path: Path, services: FakeServices
) -> None:
    """Ctrl-C ends every source's search at its next page, not after all of them."""
    services.latency = 1.0  # each page a second
    services.paper("2611.00001")
    for n in range(800):  # eight pages of Bluesky's search
        services.bsky_post("https://arxiv.org/abs/2611.00001", 0, n)
    process = start_fetch(tmp_path, services)
    wait_until(process, lambda: bool(services.times.get("bsky_search")))
    sent = len(services.times["bsky_search"])
    interrupted(process)
    assert len(services.times["bsky_search"]) - sent <= 1
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").iterdir())


def test_credentials_never_appear_in_data_logs_output_or_cache(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    services.failures["x"] = [status(503)] * 10
    failing = fetch(tmp_path, services, "--date", NEXT_DAY)
    places = {
        "day file": (tmp_path / "data" / f"{DAY}.json").read_bytes(),
        "output": (result.stdout + result.stderr + failing.stdout + failing.stderr).encode(),
        "cache": b"".join(p.read_bytes() for p in (tmp_path / "cache").rglob("*") if p.is_file()),
    }
    for secret in SECRETS:
        for place, content in places.items():
            assert secret.encode() not in content, place
    # The requests did carry them.
    assert services.requests("x")[0].headers["Authorization"] == f"Bearer {X_TOKEN}"


def test_without_credentials_the_free_sources_still_make_a_day(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    result = fetch(tmp_path, services, credentials=False)
    assert result.code == 0, result.stderr
    assert result.stderr.count("x: skipped, HOTPAPERS_X_BEARER_TOKEN is not set") == 1
    assert result.stderr.count("bluesky: skipped, HOTPAPERS_BLUESKY_HANDLE is not set") == 1
    assert not services.requests("x") and not services.requests("bsky_session")
    day = day_file(tmp_path)
    assert day["sources"]["x"] == "skipped: HOTPAPERS_X_BEARER_TOKEN not set"
    assert {p["id"] for p in day["papers"]} == {"2611.00001", "2611.00002"}
    quiet = fetch(tmp_path, services, "--quiet", credentials=False)
    assert quiet.code == 0 and quiet.stderr == ""


def test_x_budget_and_cost_report(tmp_path: Path, services: FakeServices) -> None:
    services.paper("2611.00001")
    for _ in range(300):
        services.x_post("https://arxiv.org/abs/2611.00001", 1, 0)
    result = fetch(tmp_path, services, x_options="max_posts = 150\ncost_per_post = 0.01")
    assert result.code == 0, result.stderr
    assert sum(int(r.args["max_results"]) for r in services.requests("x")) == 150
    assert "x: 150 posts read (budget reached), estimated cost $1.50" in result.stderr
    assert day_file(tmp_path)["papers"][0]["totals"] == {"reposts": 150, "likes": 0, "quotes": 0}


def test_bluesky_logs_in_once_and_refreshes_an_expired_session(
    tmp_path: Path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    for _ in range(250):
        services.bsky_post("https://arxiv.org/abs/2611.00001", 1, 0)
    services.bsky_expire_after = 1
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert len(services.requests("bsky_session")) == 1
    assert len(services.requests("bsky_refresh")) == 2
    assert day_file(tmp_path)["papers"][0]["sources"]["bluesky"] == {
        "reposts": 250,
        "likes": 0,
        "quotes": 0,
    }


def test_a_range_of_days(tmp_path: Path, services: FakeServices) -> None:
    popular_scenario(services)
    result = fetch(tmp_path, services, "--until", THIRD_DAY)
    assert result.code == 0, result.stderr
    days = [DAY, NEXT_DAY, THIRD_DAY]
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [f"{d}.json" for d in days]
    windows = [r.args["start_time"] for r in services.requests("x")]
    assert windows == [f"{d}T00:00:00Z" for d in days]


def test_bad_config_is_one_clear_line(tmp_path: Path, services: FakeServices) -> None:
    result = fetch(tmp_path, services, extra_config="[sources.mastodon]\nbase_url = 'x'\n")
    assert result.code == 1
    assert "unknown table [sources.mastodon]" in result.stderr
    assert "Traceback" not in result.stderr


def test_source_failures_are_logged_in_the_sources_order(
    tmp_path: Path, services: FakeServices
) -> None:
    """The sources are asked at once; what they say is logged in a fixed order, not in
    the order they end (a hostile review's case: cron mails that differ day to day)."""
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 100)
    services.failures["x"] = [slow(1.0, status(400))]  # X, first in order, fails slowly
    services.failures["reddit_search"] = [status(400)]  # Reddit, last, fails at once
    result = fetch(tmp_path, services)
    lines = [line for line in result.stderr.splitlines() if "from the other sources" in line]
    assert [line.split(":")[0] for line in lines] == ["x", "reddit"]
