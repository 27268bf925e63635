"""The `accounts` ranking in the core: one voice per account, authors and bulk posters
down-weighted, ignore and trust lists, the explanation, and the old rule kept."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hotpapers.config import Options, options_from_mapping
from hotpapers.errors import ConfigError, DataError
from hotpapers.model import Counts, Day, Mention, Paper, Repeats
from hotpapers.rank import rank_day
from hotpapers.site.pages import attention
from hotpapers.snapshot import day_from_json, day_to_json
from hotpapers.store import read_day

from .fake_services import FakeServices
from .helpers import day_file, fetch
from .sites import EXAMPLE_DATA


def _post(account: str | None, likes: int | None, post: str, **fields: object) -> Mention:
    return Mention(
        "x", post, f"https://x.com/i/status/{post}", None, likes, account=account, **fields
    )  # type: ignore[arg-type]


def _paper(
    arxiv_id: str,
    mentions: list[Mention],
    likes: int | None = None,
    authors: tuple[str, ...] = ("Alan Turing",),
    breakdown: bool = True,
) -> Paper:
    total = sum(m.score for m in mentions) if likes is None else likes
    return Paper(
        arxiv_id,
        f"Paper {arxiv_id}",
        authors,
        "",
        ("cs.LG",),
        "2021-01-02T00:00:00Z",
        Counts(0, total),
        tuple(mentions),
        sources={"x": Counts(None, total)} if breakdown else {},
    )


def _day(*papers: Paper) -> Day:
    return Day("2021-01-01", "2021-01-02T00:00:00Z", papers)


def _ranked(day: Day, **options: object) -> dict[str, tuple[float, str]]:
    chosen = options_from_mapping({"min_score": 0, **options}, "test")
    return {item.paper.id: (item.score, attention(item)) for item in rank_day(day, chosen)}


def test_the_old_blogs_days_rank_exactly_as_under_the_old_rule() -> None:
    """No account ids, no per-post counts: the default changes nothing on them."""
    for path in sorted(EXAMPLE_DATA.glob("*.json")):
        day = read_day(path)
        new = rank_day(day, Options())
        old = rank_day(day, Options(ranking="legacy"))
        assert [(r.paper.id, r.score, r.embeds) for r in new] == [
            (r.paper.id, r.score, r.embeds) for r in old
        ], path.name
        assert [attention(r) for r in new] == [attention(r) for r in old]


def test_an_account_counts_its_best_post_once() -> None:
    paper = _paper("2101.00001", [_post("a", 10, "1"), _post("a", 30, "2"), _post("b", 5, "3")])
    score, line = _ranked(_day(paper))["2101.00001"]
    assert score == 35
    assert line == "X 45 likes from 2 accounts; 1 repeat post not counted; score 35"
    (item,) = rank_day(_day(paper), Options(min_score=0, embed_min_score=0))
    assert [m.id for m in item.embeds] == ["2", "3"]  # one post per account, the counted one


def test_posts_without_account_ids_are_each_their_own_voice() -> None:
    paper = _paper("2101.00001", [_post(None, 10, "1"), _post(None, 30, "2")])
    assert _ranked(_day(paper))["2101.00001"] == (40, "X 40 likes; score 40")


def test_an_authors_post_weighs_author_weight_and_is_still_shown() -> None:
    own = _post("a", 100, "1", author="Dr. Alan M. Turing")
    paper = _paper("2101.00001", [own, _post("b", 20, "2")])
    assert _ranked(_day(paper))["2101.00001"][0] == 70
    assert _ranked(_day(paper), author_weight=0)["2101.00001"][0] == 20
    assert _ranked(_day(paper), author_weight=1)["2101.00001"] == (
        120,
        "X 120 likes from 2 accounts; score 120",
    )
    (item,) = rank_day(_day(paper), Options(min_score=0))
    assert own in item.embeds


def _bulk_day(papers: int) -> Day:
    """Account `bot` links `papers` papers; the first also has a reader's post."""
    first = _paper("2101.00000", [_post("bot", 80, "b0"), _post("r", 20, "r")])
    rest = [_paper(f"2101.{n:05d}", [_post("bot", 1, f"b{n}")]) for n in range(1, papers)]
    return _day(first, *rest)


def test_an_account_linking_more_than_bulk_papers_papers_is_down_weighted() -> None:
    assert _ranked(_bulk_day(20))["2101.00000"][0] == 100  # 20 papers: not more than 20
    score, line = _ranked(_bulk_day(21))["2101.00000"]
    assert score == 20 + 80 * 0.25
    assert "1 post by a bulk poster down-weighted" in line
    assert _ranked(_bulk_day(3), bulk_papers=2)["2101.00000"][0] == 40


def test_the_count_recorded_at_collection_finds_bulk_posters_beyond_the_stored_posts() -> None:
    paper = _paper("2101.00001", [_post("bot", 80, "1", account_papers=21), _post("r", 20, "2")])
    assert _ranked(_day(paper))["2101.00001"][0] == 40


def test_an_author_who_is_a_bulk_poster_weighs_the_lower_weight_and_is_named_once() -> None:
    paper = _paper(
        "2101.00001", [_post("a", 100, "1", author="Alan Turing", account_papers=50)], likes=100
    )
    score, line = _ranked(_day(paper))["2101.00001"]
    assert score == 25
    assert "; 1 post by an author who posts in bulk down-weighted; score 25" in line


def test_ignored_accounts_neither_count_nor_show_and_match_ids_or_handles() -> None:
    spam = _post("123", 300, "1", handle="Spammer")
    paper = _paper("2101.00001", [spam, _post("b", 60, "2")])
    for entry in ("123", "@spammer", "@SPAMMER", " @Spammer"):
        (item,) = rank_day(
            _day(paper), options_from_mapping({"ignore_accounts": {"x": [entry]}}, "t")
        )
        assert item.score == 60
        assert spam not in item.embeds
        assert "1 post of an ignored account not counted" in attention(item)
    other_source = options_from_mapping({"ignore_accounts": {"bluesky": ["did:plc:123"]}}, "t")
    assert rank_day(_day(paper), other_source)[0].score == 360


def test_list_entries_are_ids_and_handles_are_written_with_an_at() -> None:
    """A handle may look like another account's id (Reddit's `t2_…`): kept apart."""
    impostor = Mention(
        "reddit", "1", "https://www.reddit.com/r/ml/comments/1/", 0, 100,
        handle="t2_curator", account="t2_impostor", account_papers=80,
    )  # fmt: skip
    paper = replace(_paper("2101.00001", [impostor], likes=100), sources={"reddit": Counts(0, 100)})
    lists = {"trust_accounts": {"reddit": ["t2_curator"]}}
    assert _ranked(_day(paper), **lists)["2101.00001"][0] == 25
    handle = {"trust_accounts": {"reddit": ["@t2_curator"]}}
    assert _ranked(_day(paper), **handle)["2101.00001"][0] == 100


@pytest.mark.parametrize(
    ("source", "entry", "shape"),
    [("x", "spammer", "X user id"), ("bluesky", "bot.bsky.social", "Bluesky DID")],
)
def test_a_handle_without_its_at_is_an_error(source: str, entry: str, shape: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_mapping({"ignore_accounts": {source: [entry]}}, "site.toml")
    assert str(error.value).startswith(
        f"site.toml: option 'ignore_accounts.{source}': {entry!r} is no {shape}"
    )
    assert str(error.value).endswith(f"write a handle with @ (@{entry})")


def test_ignored_accounts_are_left_out_under_the_old_rule_too() -> None:
    spam = _post("123", 300, "1", handle="spammer")
    paper = _paper("2101.00001", [spam, _post("b", 60, "2"), _post("b", 60, "3")])
    chosen = options_from_mapping({"ranking": "legacy", "ignore_accounts": {"x": ["123"]}}, "t")
    (item,) = rank_day(_day(paper), chosen)
    assert item.score == 120  # the old rule otherwise: b's two posts both count
    assert spam not in item.embeds
    assert attention(item) == "X 420 likes; 1 post of an ignored account not counted; score 120"


def test_repeat_posts_collection_did_not_store_are_not_counted() -> None:
    paper = replace(
        _paper("2101.00001", [_post("a", 25, "1"), _post("b", 60, "2")], likes=1085),
        repeats={"x": Repeats(40, 0, 1000)},
    )
    assert _ranked(_day(paper))["2101.00001"] == (
        85,
        "X 1085 likes from 2 accounts; 40 repeat posts not counted; score 85",
    )
    assert _ranked(_day(paper), ranking="legacy")["2101.00001"][0] == 1085


def test_posts_of_a_source_the_breakdown_lacks_are_not_explained_away() -> None:
    bluesky = [
        Mention("bluesky", str(n), f"https://bsky.app/{n}", 0, 10, account="did:plc:a")
        for n in range(3)
    ]
    paper = _paper("2101.00001", bluesky, likes=500)
    assert _ranked(_day(paper))["2101.00001"] == (500, "X 500 likes; score 500")


def test_trusted_accounts_count_in_full() -> None:
    paper = _paper("2101.00001", [_post("42", 100, "1", author="Alan Turing", account_papers=99)])
    assert _ranked(_day(paper), trust_accounts={"x": ["42"]})["2101.00001"] == (
        100,
        "X 100 likes from 1 account; score 100",
    )


def test_posts_found_beyond_the_stored_ones_count_as_they_are() -> None:
    paper = _paper("2101.00001", [_post("a", 10, "1"), _post("a", 10, "2")], likes=500)
    assert _ranked(_day(paper))["2101.00001"] == (
        490,
        "X 500 likes from 1+ accounts; 1 repeat post not counted; score 490",
    )


def test_source_weights_apply_to_what_counts() -> None:
    paper = _paper("2101.00001", [_post("a", 10, "1"), _post("a", 10, "2")], likes=100)
    assert _ranked(_day(paper), weights={"x": 2.0})["2101.00001"][0] == 180


def test_without_a_breakdown_the_totals_line_names_the_accounts() -> None:
    paper = _paper("2101.00001", [_post("a", 10, "1"), _post("b", 10, "2")], breakdown=False)
    assert _ranked(_day(paper))["2101.00001"] == (
        20,
        "0 reposts, 20 likes from 2 accounts; score 20",
    )


def test_stored_posts_above_their_totals_never_make_a_score_negative_or_higher() -> None:
    paper = _paper("2101.00001", [_post("a", 90, "1"), _post("a", 80, "2")], likes=10)
    assert _ranked(_day(paper))["2101.00001"][0] == 0
    assert _ranked(_day(paper), ranking="legacy")["2101.00001"][0] == 10


def test_the_old_rule_is_an_option() -> None:
    paper = _paper("2101.00001", [_post("a", 10, "1"), _post("a", 30, "2"), _post("b", 5, "3")])
    assert _ranked(_day(paper), ranking="legacy")["2101.00001"] == (45, "X 45 likes; score 45")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ranking": "altmetric"}, "option 'ranking': must be one of accounts, legacy"),
        ({"author_weight": 1.5}, "option 'author_weight': must be a number from 0 to 1"),
        ({"bulk_papers": 0}, "option 'bulk_papers': must be a positive integer"),
        ({"ignore_accounts": ["bot"]}, "option 'ignore_accounts': must be a table"),
        ({"trust_accounts": {"x": "ak"}}, "option 'trust_accounts.x': must be a list"),
        ({"trust_accounts": {"X!": ["ak"]}}, "option 'trust_accounts': must be a table keyed"),
        ({"trust_accounts": {"twitter": ["ak"]}}, "option 'trust_accounts': must be a table keyed"),
        ({"author_weight": -0.5}, "option 'author_weight': must be a number from 0 to 1"),
        ({"bulk_papers": 10**400}, "option 'bulk_papers': must be at most 1e+15"),
        ({"min_score": 10**400}, "option 'min_score': must be at most 1e+15"),
        ({"ignore_accounts": {"x": ["@"]}}, "option 'ignore_accounts.x': must be a list of non"),
    ],
)
def test_bad_ranking_options_are_one_line_errors(values: dict, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_mapping(values, "site.toml")
    assert str(error.value).startswith(f"site.toml: {message}")


def test_account_lists_are_kept_in_one_order_whatever_the_config_order() -> None:
    one = options_from_mapping(
        {"ignore_accounts": {"x": ["2", "1"], "bluesky": ["did:plc:C"]}}, "t"
    )
    two = options_from_mapping(
        {"ignore_accounts": {"bluesky": ["did:plc:c"], "x": ["1", "2"]}}, "t"
    )
    assert one.ignored == two.ignored
    assert repr(one) == repr(two)  # the options' repr keys Pelican's page cache


def test_account_papers_round_trip_and_bad_values_are_named() -> None:
    day = _day(_paper("2101.00001", [_post("a", 10, "1", account_papers=3)]))
    raw = day_to_json(day)
    assert raw["papers"][0]["mentions"][0]["account_papers"] == 3
    assert day_from_json(raw, "d.json") == day
    raw["papers"][0]["mentions"][0]["account_papers"] = -1
    with pytest.raises(DataError) as error:
        day_from_json(raw, "d.json")
    assert str(error.value) == (
        "d.json: paper 1 (2101.00001), field 'mentions[0].account_papers': "
        "must be a non-negative integer, got int -1"
    )


def test_collection_records_how_many_papers_each_account_linked(
    tmp_path, services: FakeServices
) -> None:
    for arxiv_id in ("2611.00001", "2611.00002", "2611.00003"):
        services.paper(arxiv_id)
        services.x_post(f"https://arxiv.org/abs/{arxiv_id}", 1, 60, account="777")
    services.x_post("https://arxiv.org/abs/2611.00001", 0, 40, account="777")
    services.x_post("https://arxiv.org/abs/2611.00001", 0, 30)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    papers = {p["id"]: p for p in day_file(tmp_path)["papers"]}
    posts = [m for p in papers.values() for m in p["mentions"] if m.get("account") == "777"]
    assert len(posts) == 4 and {m["account_papers"] for m in posts} == {3}
    stranger = [m for m in papers["2611.00001"]["mentions"] if m["account"] != "777"]
    assert stranger[0]["account_papers"] == 1
    day = day_from_json(day_file(tmp_path), "day.json")
    item = next(r for r in rank_day(day, Options()) if r.paper.id == "2611.00001")
    assert item.score == 131 - 40  # the account's second post is a repeat
    assert "1 repeat post not counted" in attention(item)


def test_an_account_posting_a_link_more_often_than_stored_still_counts_once(
    tmp_path, services: FakeServices
) -> None:
    """Both reviewers' attack: 30 posts by one account outrank 10 readers under raw sums."""
    services.paper("2611.00001")
    services.paper("2611.00002")
    for _ in range(30):
        services.x_post("https://arxiv.org/abs/2611.00001", 0, 25, account="spam1")
    for n in range(3):
        services.x_post("https://arxiv.org/abs/2611.00001", 0, 1, account=f"reader{n}")
    for n in range(10):
        services.x_post("https://arxiv.org/abs/2611.00002", 0, 60, account=f"fan{n}")
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    raw = {p["id"]: p for p in day_file(tmp_path)["papers"]}
    spammed = raw["2611.00001"]
    stored = [m["account"] for m in spammed["mentions"]]
    assert len(stored) == 20 and {"reader0", "reader1", "reader2"} <= set(stored)
    assert spammed["repeats"] == {"x": {"posts": 13, "reposts": 0, "likes": 325}}
    assert "repeats" not in raw["2611.00002"]
    day = day_from_json(day_file(tmp_path), "day.json")
    ranked = rank_day(day, Options(min_score=0))
    assert [item.paper.id for item in ranked] == ["2611.00002", "2611.00001"]
    assert attention(ranked[1]) == (
        "X 0 reposts, 753 likes from 4 accounts; 29 repeat posts not counted; score 28"
    )
    legacy = rank_day(day, Options(min_score=0, ranking="legacy"))
    assert [item.paper.id for item in legacy] == ["2611.00001", "2611.00002"]


@pytest.mark.parametrize(
    ("repeats", "message"),
    [
        ({"x": {"posts": 0, "reposts": 0, "likes": 50}}, "has counts but no posts"),
        (
            {"x": {"posts": 2, "reposts": 0, "likes": 10**9}},
            "with the stored posts, more than the source's counts (60)",
        ),
    ],
)
def test_repeats_that_do_not_add_up_are_named(repeats: dict, message: str) -> None:
    raw = day_to_json(_day(_paper("2101.00001", [_post("1", 10, "1")], likes=60)))
    raw["papers"][0]["repeats"] = repeats
    with pytest.raises(DataError) as error:
        day_from_json(raw, "d.json")
    assert str(error.value) == f"d.json: paper 1 (2101.00001), field 'repeats.x': {message}"
