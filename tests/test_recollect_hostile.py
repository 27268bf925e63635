"""Re-collection and Reddit against a hostile tester's findings: each case once lost data,
blocked a day or hung a fetch (large counts, imported days, keep_mentions, odd source names,
rate limits replayed from the cache, endless identical pages)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from werkzeug import Response

from .fake_services import DAY, status
from .helpers import day_file, fetch, run_cli

LEGACY = Path(__file__).parent / "fixtures" / "legacy" / "2021-06-29---Hot-Papers.md"


def _earlier(tmp_path, papers):
    (tmp_path / "data").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / f"{DAY}.json").write_text(
        json.dumps(
            {
                "schema": "hotpapers/1",
                "date": DAY,
                "collected_at": f"{DAY}T23:00:00Z",
                "papers": papers,
            }
        )
    )


def _paper(pid, mentions, totals):
    return {
        "id": pid,
        "title": "T",
        "authors": ["A"],
        "abstract": "Ab",
        "categories": ["cs.LG"],
        "counted_at": f"{DAY}T23:00:00Z",
        "totals": totals,
        "mentions": mentions,
    }


def _m(source, mid, reposts, likes):
    return {
        "source": source,
        "id": mid,
        "url": f"https://example.org/{mid}",
        "reposts": reposts,
        "likes": likes,
    }


def test_counts_summing_past_the_cap_still_write_the_day(tmp_path, services):
    services.paper("2611.00001")
    services.x_post("https://arxiv.org/abs/2611.00001", 1, 10**15)
    services.x_post("https://arxiv.org/abs/2611.00001", 1, 10**15)
    r = fetch(tmp_path, services)
    assert r.code in (0, 4), r.stderr


def test_an_imported_paper_without_posts_is_kept(tmp_path, services):
    old = "2021-06-29"
    services.day = old
    assert run_cli("import-legacy", str(LEGACY), "--data", str(tmp_path / "data")).code == 0
    before = {
        p["id"] for p in json.loads((tmp_path / "data" / f"{old}.json").read_text())["papers"]
    }
    services.paper("2106.00001")
    services.hn_story("https://arxiv.org/abs/2106.00001", 80)
    assert fetch(tmp_path, services, "--date", old).code == 0
    after = {p["id"] for p in day_file(tmp_path, old)["papers"]}
    assert before <= after, before - after


def test_a_paper_without_a_breakdown_keeps_the_silent_sources_counts(tmp_path, services):
    _earlier(
        tmp_path,
        [
            _paper(
                "2611.00001",
                [_m("x", "1", 50, 100), _m("hackernews", "40000001", None, 30)],
                {"reposts": 50, "likes": 130},
            )
        ],
    )
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 30)
    assert fetch(tmp_path, services, credentials=False).code == 0
    assert day_file(tmp_path)["papers"][0]["totals"]["likes"] == 130


def test_carried_posts_survive_keep_mentions(tmp_path, services):
    services.paper("2611.00001")
    for _ in range(3):
        services.x_post("https://arxiv.org/abs/2611.00001", 1, 5)
    assert fetch(tmp_path, services, extra_config="keep_mentions = 3\n").code == 0
    before = [m for m in day_file(tmp_path)["papers"][0]["mentions"] if m["source"] == "x"]
    services.x_posts.clear()
    services.failures["x"] = [status(503)] * 10
    for _ in range(3):
        services.bsky_post("https://arxiv.org/abs/2611.00001", 10, 50)
    shutil.rmtree(tmp_path / "cache")
    assert fetch(tmp_path, services, extra_config="keep_mentions = 3\n").code == 4
    after = [m for m in day_file(tmp_path)["papers"][0]["mentions"] if m["source"] == "x"]
    assert after == before


def test_an_odd_source_name_in_an_earlier_file_does_not_block_the_day(tmp_path, services):
    _earlier(
        tmp_path,
        [_paper("2611.00009", [_m("Mastodon", "1", 50, 100)], {"reposts": 50, "likes": 100})],
    )
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    r = fetch(tmp_path, services, credentials=False)  # `hotpapers check` accepts the earlier file
    assert r.code == 0, r.stderr


def test_a_rate_limit_is_not_replayed_from_the_cache(tmp_path, services):
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    for hour in range(150):
        services.reddit_post("https://arxiv.org/abs/2611.00001", 1, hour=hour % 24)
    services.reddit_remaining, services.reddit_reset = 0, 600
    assert fetch(tmp_path, services, extra_config="max_wait = 5\n").code == 4
    services.reddit_remaining = None  # the limit has reset; Reddit sends no limit headers now
    fetch(tmp_path, services, extra_config="max_wait = 5\n")
    assert len(services.requests("reddit_search")) == 2, "Reddit not asked again"
    assert day_file(tmp_path)["sources"]["reddit"] == "ok"


def test_reddit_stops_on_a_page_that_repeats_itself(tmp_path, services):
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    services.reddit_post("https://arxiv.org/abs/2611.00001", 10)
    page = services.reddit_posts[:1]
    services.failures["reddit_search"] = [
        lambda r: Response(
            json.dumps({"data": {"children": page, "after": "t3_same"}}),
            content_type="application/json",
            headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "1"},
        )
    ] * 2000
    fetch(tmp_path, services, extra_config="max_wait = 1\n")
    assert len(services.requests("reddit_search")) <= 3


def test_carried_data_is_not_dropped_by_the_collection_floor(tmp_path, services) -> None:
    services.paper("2611.00001")
    services.x_post("https://arxiv.org/abs/2611.00001", 1, 2)
    services.hn_story("https://arxiv.org/abs/2611.00001", 30)
    assert fetch(tmp_path, services).code == 0
    services.x_posts.clear()
    services.hn_hits.clear()  # the story is gone; X fails: X's 3 must stay
    services.failures["x"] = [status(503)] * 10
    shutil.rmtree(tmp_path / "cache")
    assert fetch(tmp_path, services).code == 4
    (paper,) = day_file(tmp_path)["papers"]
    assert paper["sources"] == {"x": {"reposts": 1, "likes": 2, "quotes": 0}}


def test_a_paper_arxiv_leaves_out_keeps_its_earlier_metadata(tmp_path, services) -> None:
    services.paper("2611.00001", title="Known before")
    services.x_post("https://arxiv.org/abs/2611.00001", 40, 100)
    assert fetch(tmp_path, services).code == 0
    services.arxiv.clear()  # arXiv's answer leaves it out this time
    shutil.rmtree(tmp_path / "cache")
    assert fetch(tmp_path, services).code == 0
    (paper,) = day_file(tmp_path)["papers"]
    assert paper["title"] == "Known before"


@pytest.mark.parametrize("contact", ["中文", "a\u2028b"])
def test_a_contact_that_cannot_be_a_header_is_a_config_error(
    tmp_path, services, contact: str
) -> None:
    config = services.config(tmp_path / "hotpapers.toml").read_text(encoding="utf-8")
    config = config.replace("[sources.reddit]\n", f'[sources.reddit]\ncontact = "{contact}"\n')
    (tmp_path / "hotpapers.toml").write_text(config, encoding="utf-8")
    result = fetch(tmp_path, services, keep_config=True)
    assert result.code == 1
    assert "[sources.reddit]: option 'contact': must be printable ASCII" in result.stderr


@pytest.mark.parametrize("reset", ["1e12", "-5"])
def test_a_used_up_rate_limit_with_an_odd_reset_is_not_ignored(
    tmp_path, services, reset: str
) -> None:
    services.paper("2611.00001")
    services.hn_story("https://arxiv.org/abs/2611.00001", 80)
    services.reddit_post("https://arxiv.org/abs/2611.00001", 10)
    page = {"data": {"children": services.reddit_posts, "after": "t3_next"}}
    services.failures["reddit_search"] = [
        lambda request: Response(
            json.dumps(page),
            content_type="application/json",
            headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": reset},
        )
    ] * 3
    result = fetch(tmp_path, services, extra_config="max_wait = 2\n")
    assert len(services.requests("reddit_search")) <= 2
    if reset == "1e12":
        assert "reddit: rate limit used up for 1e+12 s, more than max_wait 2 s" in result.stderr
