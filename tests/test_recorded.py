"""`hotpapers fetch` against real answers recorded by other clients' test suites.

Each test names the recording it replays (origins, commits and the links changed
to arXiv ones: tests/fixtures/recorded/README.md). Only dates are moved.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug import Request, Response

from hotpapers.collect.sources import utc_moment

from . import recorded
from .fake_services import DAY, FakeServices, body, status
from .helpers import day_file, fetch, run_cli

EVERYTHING = "collect_min_score = 0\nembed_min_score = 0\n"


def _mentions(tmp_path: Any, source: str) -> dict[str, dict[str, Any]]:
    """Mentions of `source` by post id, each with the ids of the papers it was stored under."""
    found: dict[str, dict[str, Any]] = {}
    for paper in day_file(tmp_path)["papers"]:
        for mention in paper["mentions"]:
            if mention["source"] == source:
                entry = found.setdefault(mention["id"], {**mention, "papers": []})
                entry["papers"].append(paper["id"])
    return found


def test_x_a_link_only_in_unwound_url_is_found(tmp_path, services: FakeServices) -> None:
    """DocNow/twarc-csv test-data/noflat.jsonl: a recent-search page whose data[2] links a
    shortener (yhoo.it) in expanded_url and the paper only in unwound_url."""
    for arxiv_id in ("2106.14108", "1706.03762", "2005.14165"):
        services.paper(arxiv_id)
    services.failures["x"] = [recorded.replay("x_search_unwound", DAY)]
    result = fetch(tmp_path, services, extra_config=EVERYTHING)
    assert result.code == 0, result.stderr
    posts = _mentions(tmp_path, "x")
    unwound = posts["1380242515543126027"]
    assert unwound["papers"] == ["2106.14108"]
    assert unwound["created_at"] == f"{DAY}T19:33:54Z"  # was 2021-04-08T19:33:54.000Z
    assert (unwound["reposts"], unwound["likes"], unwound["quotes"]) == (0, 0, 0)
    assert unwound["account"] == "30701862"
    assert unwound["url"] == f"https://x.com/{unwound['handle']}/status/1380242515543126027"
    assert posts["1380242597881409537"]["papers"] == ["1706.03762"]
    # A quote post links the quoted post, not the paper: it is not a mention of it.
    assert set(posts) == {"1380242515543126027", "1380242597881409537"}


def test_x_oembed_as_recorded_and_a_deleted_post(tmp_path, services: FakeServices) -> None:
    """ruby-oembed spec/cassettes/OEmbed_Providers_Twitter.yml: publish.twitter.com's
    answer is stored as it came; a post gone since (404) keeps its mention, no HTML."""
    services.paper("2611.00001")
    kept = services.x_post("https://arxiv.org/abs/2611.00001", 40, 100)
    gone = services.x_post("https://arxiv.org/abs/2611.00001", 30, 60)
    answer, gone_answer = recorded.replay("x_oembed", DAY), status(404)

    def by_post(request: Request) -> Response:  # the posts are asked for at once
        return (gone_answer if request.args["url"].endswith(f"/{gone}") else answer)(request)

    services.failures["x_oembed"] = [by_post, by_post]
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    posts = _mentions(tmp_path, "x")
    answer = recorded.load("x_oembed", DAY)
    assert posts[kept]["embed_html"] == answer["html"]
    assert posts[gone]["embed_html"] is None
    assert f"x oEmbed: https://x.com/person2/status/{gone}: deleted, withheld or protected" in (
        result.stderr
    )


def test_bluesky_search_as_recorded(tmp_path, services: FakeServices) -> None:
    """christopherkenny/bskyr tests/testthat/_vcr/f_search.yml (2025): links in facets and
    link cards, quoteCount apart from repostCount, times with 6-digit fractions."""
    for arxiv_id in ("2106.14108", "2305.10601"):
        services.paper(arxiv_id)
    services.failures["bsky_search"] = [recorded.replay("bsky_search", DAY)]
    result = fetch(tmp_path, services, extra_config=EVERYTHING)
    assert result.code == 0, result.stderr
    posts = {m["id"].rsplit("/", 1)[-1]: m for m in _mentions(tmp_path, "bluesky").values()}
    assert posts["3lpk2u6qo222m"]["papers"] == ["2106.14108"]  # facet only
    assert posts["3lpk2u6qo222m"]["created_at"] == f"{DAY}T17:10:09Z"
    assert posts["3lpk2r5h5ec2j"]["papers"] == ["2106.14108"]  # card, facet and view
    cited = posts["3lpjneeyp6c2w"]
    assert cited["papers"] == ["2305.10601"]
    assert (cited["reposts"], cited["likes"], cited["quotes"]) == (5, 20, 1)
    assert cited["account"].startswith("did:plc:")
    assert cited["url"] == "https://bsky.app/profile/brendannyhan.bsky.social/post/3lpjneeyp6c2w"
    # The recording's reply is dated with an offset: stored in the one UTC form.
    offset = recorded.load("bsky_search", DAY)["posts"][4]["record"]["createdAt"]
    assert offset.endswith("+00:00")
    assert utc_moment(offset) == f"{DAY}T02:03:20Z"


def test_bluesky_a_quote_posts_media_card(tmp_path, services: FakeServices) -> None:
    """bskyr tests/testthat/_vcr/f_getquotes.yml: posts[1] is a quote post whose link card
    is in record.embed.media (app.bsky.embed.recordWithMedia)."""
    services.paper("2310.06825")
    services.failures["bsky_search"] = [recorded.replay("bsky_record_with_media", DAY)]
    result = fetch(tmp_path, services, extra_config=EVERYTHING)
    assert result.code == 0, result.stderr
    (post,) = _mentions(tmp_path, "bluesky").values()
    assert post["id"].endswith("/3lc5d6zspys2c") and post["papers"] == ["2310.06825"]
    assert (post["reposts"], post["likes"], post["quotes"]) == (3, 12, 2)


def test_bluesky_an_older_answer_without_quote_counts(tmp_path, services: FakeServices) -> None:
    """bskyr's 2023 httptest2 mock of searchPosts: no quoteCount at all (unknown, not 0)."""
    for arxiv_id in ("2106.14108", "2305.10601"):
        services.paper(arxiv_id)
    services.failures["bsky_search"] = [recorded.replay("bsky_search_2023", DAY)]
    result = fetch(tmp_path, services, extra_config=EVERYTHING)
    assert result.code == 0, result.stderr
    posts = {m["id"].rsplit("/", 1)[-1]: m for m in _mentions(tmp_path, "bluesky").values()}
    assert set(posts) == {"3kgho46gd7q2h", "3kggmkh6lrr2k"}
    assert "quotes" not in posts["3kggmkh6lrr2k"]
    assert (posts["3kggmkh6lrr2k"]["reposts"], posts["3kggmkh6lrr2k"]["likes"]) == (15, 54)
    paper = next(p for p in day_file(tmp_path)["papers"] if p["id"] == "2305.10601")
    assert paper["sources"]["bluesky"] == {"reposts": 15, "likes": 54}


def test_hacker_news_as_recorded(tmp_path, services: FakeServices) -> None:
    """SiukAlator/HackersNews search_by_date.json: stories and comments (points null),
    hitsPerPage 20 with 50 pages claimed; the next page repeats nothing new and stops."""
    for arxiv_id in ("2106.14108", "2305.10601"):
        services.paper(arxiv_id)
    services.failures["hackernews"] = [recorded.replay("hn_search", DAY)]
    result = fetch(tmp_path, services, extra_config="collect_min_score = 0\n")
    assert result.code == 0, result.stderr
    stories = _mentions(tmp_path, "hackernews")
    assert set(stories) == {"15353234", "15348473"}
    story = stories["15353234"]
    assert (story["reposts"], story["likes"]) == (None, 2)
    assert story["created_at"] == f"{DAY}T23:17:07Z"
    assert story["url"] == "https://news.ycombinator.com/item?id=15353234"
    assert len(services.requests("hackernews")) == 2
    # hits[4] has 1 point: the page says so in the singular.
    (tmp_path / "site.toml").write_text("min_score = 0\n", encoding="utf-8")
    page = run_cli(
        "render", DAY, "--data", tmp_path / "data", "--config", tmp_path / "site.toml"
    ).stdout
    assert "attention: Hacker News 1 point from 1 account; score 1" in page


def test_hacker_news_points_null_stay_unknown(tmp_path, services: FakeServices) -> None:
    """The same recording, whose hits[0] has `points: null` (and `num_comments: null`);
    only its link is changed, to an arXiv one: the count stays null, never 0."""
    services.paper("2401.00001")
    answer = recorded.load("hn_search", DAY)
    assert answer["hits"][0]["points"] is None
    answer["hits"][0]["url"] = "https://arxiv.org/abs/2401.00001"
    services.failures["hackernews"] = [body(json.dumps(answer), "application/json")]
    result = fetch(tmp_path, services, extra_config="collect_min_score = 0\n")
    assert result.code == 0, result.stderr
    story = _mentions(tmp_path, "hackernews")[answer["hits"][0]["objectID"]]
    assert (story["reposts"], story["likes"]) == (None, None)
    paper = next(p for p in day_file(tmp_path)["papers"] if p["id"] == "2401.00001")
    assert paper["sources"]["hackernews"] == {"reposts": None, "likes": None}


def test_hugging_face_as_recorded(tmp_path, services: FakeServices) -> None:
    """deep-diver/paper-reviewer daily_papers.json: upvotes as likes, dated when each
    paper joined the day's list (publishedAt)."""
    for arxiv_id in ("2410.17243", "2410.16251", "2410.18533"):
        services.paper(arxiv_id)
    services.failures["huggingface"] = [recorded.replay("hf_daily_papers", DAY)]
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    pages = _mentions(tmp_path, "huggingface")
    assert pages["2410.17243"]["likes"] == 64
    assert pages["2410.17243"]["reposts"] is None
    assert pages["2410.17243"]["created_at"] == f"{DAY}T00:57:09Z"
    assert pages["2410.17243"]["handle"] == "ClownRat"
    assert pages["2410.16251"]["text"].startswith("Can Knowledge Editing Really Correct Hal")


def test_reddit_as_recorded(tmp_path, services: FakeServices) -> None:
    """praw-dev/asyncpraw's access_token cassette and praw's /r/popular/hot listing (with
    its X-Ratelimit-* headers): score as likes, crossposts as reposts, the permalink."""
    for arxiv_id in ("2106.14108", "2305.10601"):
        services.paper(arxiv_id)
    services.failures["reddit_token"] = [recorded.replay("reddit_token", DAY)]
    services.failures["reddit_search"] = [recorded.replay("reddit_search", DAY, with_headers=True)]
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    posts = _mentions(tmp_path, "reddit")
    assert set(posts) == {"t3_1sk858w", "t3_1sk3dzx"}
    post = posts["t3_1sk858w"]
    assert post["papers"] == ["2106.14108"]
    assert (post["reposts"], post["likes"]) == (0, 3277)
    assert post["handle"] == "ForgingIron" and post["author"] is None
    assert post["account"].startswith("t2_")
    assert post["url"].startswith("https://www.reddit.com/r/todayilearned/comments/1sk858w/")
    assert post["created_at"] == utc_moment(
        recorded.load("reddit_search", DAY)["data"]["children"][3]["data"]["created_utc"]
    )
    searches = services.requests("reddit_search")
    assert searches[0].headers["Authorization"] == "Bearer <ACCESS_TOKEN>"
    assert searches[1].args["after"] == "t3_1skbyfv"  # the recorded `after`


def test_arxiv_metadata_as_recorded(tmp_path, services: FakeServices) -> None:
    """lukasschwab/arxiv.py tests/fixtures/id_1605.08386_*.json: the answer to an id_list
    query, read by the arxiv package as it is."""
    services.x_post("https://arxiv.org/abs/1605.08386", 40, 100)
    answer = (recorded.RECORDED / "arxiv_query.xml").read_text(encoding="utf-8")
    services.failures["arxiv"] = [body(answer, "application/atom+xml")]
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    (paper,) = day_file(tmp_path)["papers"]
    assert paper["id"] == "1605.08386"
    assert paper["title"] == "Heat-bath random walks with Markov bases"
    assert paper["categories"][0] == "math.CO"
