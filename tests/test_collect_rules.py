"""Collection rules beyond the recordings: long X posts, vanished Bluesky handles,
unknown counts, X's 7-day window, Reddit's login and rate limit, and re-collecting a
day without losing what a silent source found before."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .fake_services import (
    DAY,
    REDDIT_ID,
    REDDIT_SECRET,
    FakeServices,
    recent_day,
    status,
)
from .helpers import day_file, fetch


def _render(tmp_path: Path, day: str = DAY) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", "render", day, "--data", str(tmp_path / "data")],
        capture_output=True,
        check=True,
        text=True,
    )
    return completed.stdout


# --- shapes the recordings lacked ----------------------------------------------


def test_a_long_x_post_is_read_from_its_note_tweet(tmp_path, services: FakeServices) -> None:
    services.paper("2611.00001")
    long_text = "A thread-length summary of our paper. " * 12
    post = services.x_post("https://arxiv.org/abs/2611.00001", 40, 100, long_text=long_text)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    (mention,) = day_file(tmp_path)["papers"][0]["mentions"]
    assert mention["id"] == post
    assert mention["text"] == f"{long_text} https://t.co/{post}"
    assert "note_tweet" in services.requests("x")[0].args["tweet.fields"]


def test_a_bluesky_handle_that_no_longer_resolves_is_not_shown(
    tmp_path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    services.bsky_post("https://arxiv.org/abs/2611.00001", 30, 40, handle="handle.invalid")
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    (mention,) = day_file(tmp_path)["papers"][0]["mentions"]
    did = mention["account"]
    assert did.startswith("did:plc:") and mention["handle"] is None
    assert mention["url"] == f"https://bsky.app/profile/{did}/post/{mention['id'][-3:]}"
    assert "handle.invalid" not in _render(tmp_path)


def test_unknown_counts_stay_unknown_and_counts_read_in_the_singular(
    tmp_path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    services.x_post("https://arxiv.org/abs/2611.00001", 1, 60)
    services.hn_story("https://arxiv.org/abs/2611.00001", None)
    services.hn_story("https://arxiv.org/abs/2611.00001", None)
    services.reddit_post("https://arxiv.org/abs/2611.00001", 1, crossposts=1)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    (paper,) = day_file(tmp_path)["papers"]
    stories = [m for m in paper["mentions"] if m["source"] == "hackernews"]
    assert [(m["reposts"], m["likes"]) for m in stories] == [(None, None)] * 2
    assert paper["sources"]["hackernews"] == {"reposts": None, "likes": None}
    page = _render(tmp_path)
    assert (
        "Hacker News counts unknown (2 accounts) · Reddit 1 crosspost, 1 point from 1 account"
        " · X 1 repost, 60 likes from 1 account; score 63"
    ) in page
    assert "0 points" not in page


def test_x_is_not_asked_for_a_day_older_than_its_7_day_window(
    tmp_path, services: FakeServices
) -> None:
    old = recent_day(-6)  # nine days ago
    services.day = old
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    result = fetch(tmp_path, services, "--date", old)
    assert result.code == 0, result.stderr
    assert services.requests("x") == []
    lines = [line for line in result.stderr.splitlines() if line.startswith("x: ")]
    assert lines == [f"x: recent search covers only the last 7 days, {old} is older"]
    assert day_file(tmp_path, old)["sources"]["x"] == (
        f"skipped: recent search covers only the last 7 days, {old} is older"
    )


def test_x_is_asked_only_for_the_part_of_a_day_it_covers(tmp_path, services: FakeServices) -> None:
    edge = recent_day(-4)  # seven days ago: X covers its last hours only
    services.day = edge
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    result = fetch(tmp_path, services, "--date", edge)
    assert result.code == 0, result.stderr
    (asked,) = services.requests("x")
    start = datetime.fromisoformat(asked.args["start_time"].replace("Z", "+00:00"))
    assert start.date().isoformat() == edge and start.hour > 0
    assert f"x: {edge}: only posts since {asked.args['start_time']}" in result.stderr


# --- Reddit ----------------------------------------------------------------------


def test_reddit_logs_in_as_an_app_and_says_who_it_is(tmp_path, services: FakeServices) -> None:
    services.paper("2611.00001")
    services.reddit_post("https://arxiv.org/abs/2611.00001", 80, crossposts=3)
    result = fetch(tmp_path, services, extra_config="")
    assert result.code == 0, result.stderr
    (login,) = services.requests("reddit_token")
    assert login.method == "POST" and login.form["grant_type"] == "client_credentials"
    assert (login.authorization.username, login.authorization.password) == (
        REDDIT_ID,
        REDDIT_SECRET,
    )
    (search,) = services.requests("reddit_search")
    assert search.args["q"] == "site:arxiv.org" and search.args["sort"] == "new"
    assert search.args["raw_json"] == "1"
    agent = search.headers["User-Agent"]
    assert agent.startswith("python:hotpapers:") and "(static-site collector)" in agent
    (mention,) = day_file(tmp_path)["papers"][0]["mentions"]
    assert (mention["reposts"], mention["likes"]) == (3, 80)
    # The title is stored as written (raw_json) and shown escaped, in a static card.
    assert mention["text"].startswith("[R] Paper <") and "&amp;" not in mention["text"]
    page = _render(tmp_path)
    assert "&mdash; u/redditor1 in r/MachineLearning" in page
    assert "(3 crossposts, 80 points)" in page
    assert "<script" not in page.split("---", 2)[2].replace("<script async src=", "")


def test_reddit_contact_option_goes_into_the_user_agent(tmp_path, services: FakeServices) -> None:
    services.paper("2611.00001")
    services.reddit_post("https://arxiv.org/abs/2611.00001", 80)
    config = services.config(tmp_path / "hotpapers.toml").read_text(encoding="utf-8")
    (tmp_path / "extra.toml").write_text(
        config.replace("[sources.reddit]", '[sources.reddit]\ncontact = "/u/labbot"'),
        encoding="utf-8",
    )
    result = _fetch_with_config(tmp_path, tmp_path / "extra.toml")
    assert result.returncode == 0, result.stderr
    (search,) = services.requests("reddit_search")
    assert search.headers["User-Agent"].endswith("(by /u/labbot)")


def _fetch_with_config(tmp_path: Path, config: Path) -> subprocess.CompletedProcess[str]:
    from .helpers import fetch_env

    command = ["fetch", "--date", DAY, "--data", str(tmp_path / "data"), "--config", str(config)]
    return subprocess.run(
        [sys.executable, "-m", "hotpapers", *command],
        capture_output=True,
        text=True,
        env=fetch_env(tmp_path, True),
        check=False,
        timeout=120,
    )


def test_reddit_pages_wait_out_its_rate_limit(tmp_path, services: FakeServices) -> None:
    services.paper("2611.00001")
    for hour in range(150):
        services.reddit_post("https://arxiv.org/abs/2611.00001", 1, hour=hour % 24)
    services.reddit_remaining, services.reddit_reset = 0, 1
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    first, second = services.times["reddit_search"]
    assert second - first >= 0.9, second - first  # X-Ratelimit-Reset: 1 (seconds)
    assert services.requests("reddit_search")[1].args["count"] == "100"


def test_reddit_stops_when_its_rate_limit_resets_past_max_wait(
    tmp_path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    for hour in range(150):
        services.reddit_post("https://arxiv.org/abs/2611.00001", 1, hour=hour % 24)
    services.reddit_remaining, services.reddit_reset = 0, 600
    result = fetch(tmp_path, services, extra_config="max_wait = 5\n")
    assert result.code == 4, result.stderr
    assert (
        "reddit: rate limit used up for 600 s, more than max_wait 5 s "
        "(the day is written from the other sources)"
    ) in result.stderr.splitlines()
    assert len(services.requests("reddit_search")) == 1


def test_reddit_renews_an_expired_token_once(tmp_path, services: FakeServices) -> None:
    services.paper("2611.00001")
    services.reddit_post("https://arxiv.org/abs/2611.00001", 80)
    services.failures["reddit_search"] = [status(401)]
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert len(services.requests("reddit_token")) == 2
    assert day_file(tmp_path)["sources"]["reddit"] == "ok"


def test_reddit_without_credentials_is_skipped_in_one_line(
    tmp_path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    result = fetch(tmp_path, services, credentials=False)
    assert result.code == 0, result.stderr
    assert "reddit: skipped, HOTPAPERS_REDDIT_CLIENT_ID is not set" in result.stderr.splitlines()
    assert services.requests("reddit_token") == []


# --- re-collecting a day -----------------------------------------------------------


def _scenario(services: FakeServices) -> None:
    for arxiv_id in ("2611.00001", "2611.00002", "2611.00003"):
        services.paper(arxiv_id)
    services.x_post("https://arxiv.org/abs/2611.00001", 40, 100)
    services.x_post("https://arxiv.org/abs/2611.00003", 20, 70)  # only X finds 00003
    services.bsky_post("https://arxiv.org/abs/2611.00001", 10, 30)
    services.bsky_post("https://arxiv.org/abs/2611.00002", 30, 50)
    services.hn_story("https://arxiv.org/abs/2611.00002", 90)


def _papers(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in day_file(tmp_path)["papers"]}


def _of(paper: dict[str, Any], source: str) -> list[dict[str, Any]]:
    return [m for m in paper["mentions"] if m["source"] == source]


def test_a_failing_source_keeps_its_earlier_data_byte_for_byte(
    tmp_path, services: FakeServices
) -> None:
    _scenario(services)
    assert fetch(tmp_path, services).code == 0
    before = _papers(tmp_path)
    oembeds = len(services.requests("x_oembed"))
    services.x_posts.clear()  # and X fails: nothing fresh from it
    services.failures["x"] = [status(503)] * 10
    services.hn_hits[0]["points"] = 120  # fresh answers do change counts
    shutil.rmtree(tmp_path / "cache")  # searches are cached for an hour
    result = fetch(tmp_path, services)
    assert result.code == 4, result.stderr
    day = day_file(tmp_path)
    assert day["sources"]["x"].startswith("failed: x: ")
    assert day["sources"]["x"].endswith(" (earlier data kept)")
    after = _papers(tmp_path)
    assert after["2611.00003"] == before["2611.00003"]  # only X had it: kept whole
    for arxiv_id in ("2611.00001", "2611.00002"):
        assert _of(after[arxiv_id], "x") == _of(before[arxiv_id], "x")
        assert after[arxiv_id]["sources"].get("x") == before[arxiv_id]["sources"].get("x")
    assert after["2611.00002"]["sources"]["hackernews"] == {"reposts": None, "likes": 120}
    assert after["2611.00002"]["totals"]["likes"] == 50 + 120
    assert len(services.requests("x_oembed")) == oembeds  # stored HTML is reused


def test_a_skipped_source_keeps_its_earlier_data(tmp_path, services: FakeServices) -> None:
    _scenario(services)
    assert fetch(tmp_path, services).code == 0
    before = day_file(tmp_path)
    services.hn_hits[0]["points"] = 95
    shutil.rmtree(tmp_path / "cache")  # searches are cached for an hour
    result = fetch(tmp_path, services, credentials=False)  # X, Bluesky and Reddit skipped
    assert result.code == 0, result.stderr
    after = day_file(tmp_path)
    assert after["sources"]["bluesky"] == (
        "skipped: HOTPAPERS_BLUESKY_HANDLE not set (earlier data kept)"
    )
    assert after["sources"]["reddit"] == "skipped: HOTPAPERS_REDDIT_CLIENT_ID not set"
    papers = {p["id"]: p for p in before["papers"]}, {p["id"]: p for p in after["papers"]}
    # 00001 and 00003 only silent sources found: kept whole.
    assert papers[1]["2611.00001"] == papers[0]["2611.00001"]
    assert papers[1]["2611.00003"] == papers[0]["2611.00003"]
    old, new = papers[0]["2611.00002"], papers[1]["2611.00002"]
    assert _of(new, "bluesky") == _of(old, "bluesky")
    assert new["sources"]["bluesky"] == old["sources"]["bluesky"]
    assert new["sources"]["hackernews"] == {"reposts": None, "likes": 95}  # fresh


def test_the_same_answers_again_change_only_the_collection_times(
    tmp_path, services: FakeServices
) -> None:
    _scenario(services)
    assert fetch(tmp_path, services).code == 0
    first = (tmp_path / "data" / f"{DAY}.json").read_text(encoding="utf-8")
    assert fetch(tmp_path, services).code == 0
    second = (tmp_path / "data" / f"{DAY}.json").read_text(encoding="utf-8")

    def timeless(text: str) -> Any:
        day = json.loads(text)
        day.pop("collected_at")
        for paper in day["papers"]:
            paper.pop("counted_at")
        return day

    assert timeless(first) == timeless(second)
