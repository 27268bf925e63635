"""Ranking and selection: DESIGN.md defaults, every threshold an option, stable ties."""

from __future__ import annotations

from hotpapers.config import Options
from hotpapers.model import Counts, Day, Mention, Paper
from hotpapers.rank import rank_day, select_embeds


def _paper(
    arxiv_id: str,
    reposts: int,
    likes: int,
    *,
    pdf: bool = True,
    mentions: tuple[Mention, ...] = (),
    sources: dict[str, Counts] | None = None,
) -> Paper:
    return Paper(
        arxiv_id,
        f"Paper {arxiv_id}",
        ("A",),
        "",
        ("cs.LG",),
        "2021-01-02T00:00:00Z",
        Counts(reposts, likes),
        mentions,
        pdf,
        sources or {},
    )


def _day(*papers: Paper) -> Day:
    return Day("2021-01-01", "2021-01-02T00:00:00Z", papers)


def _mention(mention_id: str, reposts: int | None, likes: int | None, source: str = "x") -> Mention:
    return Mention(source, mention_id, f"https://example.org/{mention_id}", reposts, likes)


def test_default_threshold_and_order_with_stable_ties() -> None:
    day = _day(
        _paper("2101.00001", 10, 39),  # 49: below the threshold
        _paper("2101.00002", 20, 38),  # 58
        _paper("2101.00003", 50, 0),  # 50: exactly the threshold
        _paper("2101.00004", 36, 22),  # 58: tie, stored later
        _paper("2101.00005", 600, 6),
        _paper("2101.00006", 900, 0, pdf=False),  # no PDF: not listed
    )
    ranked = rank_day(day, Options())
    assert [r.paper.id[-1] for r in ranked] == ["5", "2", "4", "3"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]
    assert [r.score for r in ranked] == [606, 58, 58, 50]


def test_thresholds_and_limits_are_options() -> None:
    day = _day(
        _paper("2101.00001", 5, 5),
        _paper("2101.00002", 1, 1, pdf=False),
        _paper("2101.00003", 100, 0),
    )
    assert len(rank_day(day, Options(min_score=0))) == 2
    assert len(rank_day(day, Options(min_score=0, require_pdf=False))) == 3
    assert [r.paper.id for r in rank_day(day, Options(min_score=0, max_papers=1))] == ["2101.00003"]


def test_embeds_best_first_threshold_and_cap() -> None:
    mentions = (
        _mention("low", 10, 14),  # 24: below 25
        _mention("mid", 20, 10),
        _mention("unknown-1", None, None),
        _mention("top", 100, 1),
        _mention("edge", 25, 0),
        _mention("unknown-2", None, None),
    )
    paper = _paper("2101.00001", 100, 0, mentions=mentions)
    chosen = [m.id for m in select_embeds(paper, Options())]
    assert chosen == ["top", "mid", "edge", "unknown-1", "unknown-2"]
    assert [m.id for m in select_embeds(paper, Options(max_embeds=2))] == ["top", "mid"]
    assert [m.id for m in select_embeds(paper, Options(embed_min_score=0))][:4] == [
        "top",
        "mid",
        "edge",
        "low",
    ]


def test_unknown_counts_keep_stored_order_and_are_capped_at_ten() -> None:
    mentions = tuple(_mention(str(i), None, None) for i in range(12))
    paper = _paper("2101.00001", 100, 0, mentions=mentions)
    assert [m.id for m in select_embeds(paper, Options())] == [str(i) for i in range(10)]


def test_source_weights() -> None:
    hn = _paper("2101.00001", 0, 40, sources={"hackernews": Counts(0, 40)})
    x = _paper("2101.00002", 30, 25, sources={"x": Counts(30, 25)})
    ranked = rank_day(_day(x, hn), Options(weights={"hackernews": 2.0}))
    assert [(r.paper.id, r.score) for r in ranked] == [("2101.00001", 80.0), ("2101.00002", 55.0)]
    posts = _paper(
        "2101.00003",
        100,
        0,
        mentions=(_mention("a", 0, 20, "hackernews"), _mention("b", 0, 30, "x")),
    )
    assert [m.id for m in select_embeds(posts, Options(weights={"hackernews": 2}))] == ["a", "b"]
