"""Week, month and year windows: which days they hold, how papers rank over them, and
`hotpapers render --window`."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from hotpapers.config import Options
from hotpapers.model import Counts, Day, Mention, Paper
from hotpapers.site.windows import WindowIndex, parse_window, window_of

from .helpers import record_calls, run_cli


@pytest.mark.parametrize(
    ("day", "kind", "key", "first", "last"),
    [
        ("2021-06-29", "week", "2021-W26", "2021-06-28", "2021-07-04"),
        ("2021-01-03", "week", "2020-W53", "2020-12-28", "2021-01-03"),  # ISO year differs
        ("2024-12-30", "week", "2025-W01", "2024-12-30", "2025-01-05"),
        ("2024-02-10", "month", "2024-02", "2024-02-01", "2024-02-29"),
        ("2021-12-31", "month", "2021-12", "2021-12-01", "2021-12-31"),
        ("2021-06-29", "year", "2021", "2021-01-01", "2021-12-31"),
    ],
)
def test_a_day_belongs_to_one_window_of_each_kind(
    day: str, kind: str, key: str, first: str, last: str
) -> None:
    window = window_of(day, kind)
    assert (window.key, window.first, window.last) == (key, first, last)
    assert parse_window(key) == window


@pytest.mark.parametrize("text", ["2021-W54", "2021-13", "21", "2021-W5", "2021-6", "week"])
def test_a_window_that_does_not_exist_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a week, month or year like 2021-W26"):
        parse_window(text)


def _paper(arxiv_id: str, x: int, hn: int | None, *, post: str = "p") -> Paper:
    mentions = (Mention("x", f"{arxiv_id}-{post}", f"https://x.com/a/status/{post}", 0, x),)
    sources = {"x": Counts(0, x), "hackernews": Counts(None, hn)}
    return Paper(
        arxiv_id,
        f"Title {arxiv_id}",
        ("A. Author",),
        "Abstract.",
        ("cs.LG",),
        "2021-06-30T00:00:00Z",
        Counts(0, x + (hn or 0)),
        mentions,
        sources=sources,
    )


def _day(date: str, *papers: Paper) -> Day:
    return Day(date, f"{date}T23:00:00Z", papers)


def test_attention_that_lasts_outranks_one_loud_day() -> None:
    index = WindowIndex(["week"], Options())
    index.add(_day("2021-06-28", _paper("2106.00001", 300, None), _paper("2106.00002", 100, 20)))
    index.add(_day("2021-06-29", _paper("2106.00002", 150, 30, post="q")))
    index.add(_day("2021-06-30", _paper("2106.00002", 90, None, post="r")))
    (window,) = index.windows()
    items = index.ranked(window)
    assert [(i.ranked.paper.id, i.ranked.score) for i in items] == [
        ("2106.00002", 120 + 180 + 90),
        ("2106.00001", 300),
    ]
    top = items[0]
    assert top.days == (("2021-06-28", 2, 120), ("2021-06-29", 1, 180), ("2021-06-30", 1, 90))
    assert top.ranked.paper.sources == {
        "hackernews": Counts(None, 50),
        "x": Counts(0, 340),
    }
    assert len(top.ranked.paper.mentions) == 3  # each day's post, once


def test_a_paper_below_the_threshold_on_a_day_does_not_count_that_day() -> None:
    index = WindowIndex(["month"], Options(min_score=50))
    index.add(_day("2021-06-01", _paper("2106.00001", 40, None)))  # not listed that day
    index.add(_day("2021-06-02", _paper("2106.00001", 60, None, post="q")))
    (item,) = index.ranked(index.windows()[0])
    assert item.days == (("2021-06-02", 1, 60),) and item.ranked.score == 60


def test_window_max_papers_and_ties() -> None:
    index = WindowIndex(["year"], Options(window_max_papers=2))
    index.add(_day("2021-03-01", _paper("2103.00002", 80, None), _paper("2103.00001", 80, None)))
    index.add(_day("2021-02-01", _paper("2102.00009", 80, None)))
    items = index.ranked(index.windows()[0])
    # Equal scores: the paper hot first comes first, then the id.
    assert [i.ranked.paper.id for i in items] == ["2102.00009", "2103.00001"]


def _write(data: Path, day: Day, papers: list[dict]) -> None:
    data.mkdir(exist_ok=True)
    content = {"schema": "hotpapers/1", "date": day.date, "collected_at": day.collected_at}
    (data / f"{day.date}.json").write_text(json.dumps({**content, "papers": papers}), "utf-8")


def test_render_window_from_the_example_data(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "example_site" / "data"
    first = run_cli("render", "--window", "2021-W26", "--data", example)
    again = run_cli("render", "--window", "2021-W26", "--data", example)
    assert first.code == 0, first.stderr
    assert first.stdout == again.stdout  # byte-identical
    page = first.stdout
    assert 'title: "Hot Papers 2021-W26"' in page and 'slug: "hot-papers-2021-w26"' in page
    assert '  - "Weekly"' in page
    assert "in week 2021-W26 (2021-06-28 to 2021-07-04)" in page
    assert "- hot on: [2021-06-29](hot-papers-2021-06-29.md#paper-2106-14108) (&#35;1)" in page
    empty = run_cli("render", "--window", "2019-05", "--data", example)
    assert (empty.code, empty.stderr) == (1, f"{example}: no day file in month 2019-05\n")


def test_a_bad_day_file_is_skipped_in_a_window_with_one_line(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "example_site" / "data"
    data = tmp_path / "data"
    data.mkdir()
    (data / "2021-06-29.json").write_bytes((example / "2021-06-29.json").read_bytes())
    (data / "2021-06-30.json").write_text("{", encoding="utf-8")
    result = run_cli("render", "--window", "2021-06", "--data", data)
    assert result.code == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.endswith(
        "2021-06-30.json: invalid JSON at line 1, column 2: Expecting "
        "property name enclosed in double quotes (day skipped)"
    )
    assert "Hot Papers 2021-06" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2021-06-29", "--window", "2021-W26"], "give a day (YYYY-MM-DD) or --window"),
        ([], "give a day (YYYY-MM-DD) or --window"),
        (["--window", "2021-W26", "--format", "gatsby"], "markdown format only"),
        (["--window", "2021-W60"], "not a week, month or year"),
    ],
)
def test_render_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("render", *args, "--data", tmp_path)
    assert result.code == 2 and message in result.stderr


def test_a_paper_hot_on_several_days_gets_its_attention_curve(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    from hotpapers.store import write_day

    data = tmp_path / "data"
    hostile = 'Title <script>alert("x")</script> & co'
    for date, likes in (("2021-06-28", 100), ("2021-06-29", 300), ("2021-06-30", 60)):
        paper = replace(_paper("2106.00002", likes, None, post=date), title=hostile)
        write_day(data, _day(date, paper))
    result = run_cli("render", "--window", "2021-W26", "--data", data)
    assert result.code == 0, result.stderr
    svgs = re.findall(r"<svg .*?</svg>", result.stdout)
    assert len(svgs) == 1
    svg = ElementTree.fromstring(svgs[0])  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.find(f"{ns}title").text == "Attention score by day"  # no text from the data
    assert "Title" not in svgs[0]
    assert svg.find(f"{ns}desc").text == "2021-06-28: 100, 2021-06-29: 300, 2021-06-30: 60"
    assert svg.find(f"{ns}polyline").get("stroke") == "currentColor"
    assert len(svg.findall(f"{ns}g/{ns}circle")) == 3
    assert "<script" not in svgs[0] and "style" not in svgs[0]
    # The highest day touches the top of the box, the others lie below it.
    ys = [float(c.get("cy")) for c in svg.findall(f"{ns}g/{ns}circle")]
    assert ys[1] == min(ys) and ys[0] < ys[2]


def test_a_paper_hot_on_one_day_has_no_curve() -> None:
    from hotpapers.site.curve import attention_curve

    assert attention_curve([("2021-06-28", 10)]) == ""


def test_a_bad_day_file_is_left_out_of_windows_and_marks_as_out_of_its_page(
    tmp_path: Path,
) -> None:
    from hotpapers.site.plan import SiblingLinks, SitePlan

    from .sites import write_trend_days

    write_trend_days(tmp_path)
    (tmp_path / "2021-06-30.json").write_text('{"schema": "hotpapers/1"', encoding="utf-8")
    reports: list[str] = []
    plan = SitePlan(tmp_path, Options(), SiblingLinks(), report=reports.append)
    pages = {p.date: p.page.body for p in plan.days()}
    (report,) = reports
    assert report.startswith(f"{tmp_path / '2021-06-30.json'}: invalid JSON")
    assert sorted(pages) == [
        *("2021-06", "2021-06-28", "2021-07", "2021-07-02", "2021-07-06"),
        *("2021-W26", "2021-W27", "2022-01-03"),
    ]
    week = pages["2021-W26"]
    assert "2021-06-30" not in week
    assert "- hot on: [2021-06-28](hot-papers-2021-06-28.md#paper-2106-00001) (&#35;2) · " in week
    # Paper 3 now first shows on 07-06: new there, not day 2.
    assert (
        "- trend: new · top of week [2021-W27](hot-papers-2021-w27.md#paper-2106-00003)"
        in (pages["2021-07-06"])
    )
    assert "- trend: day 2 · &#35;2 of week" in pages["2021-07-02"]  # B: 550, A: 300 + 100


def test_marks_follow_earlier_days_through_the_memo(tmp_path: Path) -> None:
    """A host's memo (Pelican's content cache) keys a day's entry by its marks too: an
    earlier day that changes changes the marks of the days after it."""
    from hotpapers.site.page_cache import PageCache
    from hotpapers.site.plan import DayMemo, SiblingLinks, SitePlan

    from .sites import write_trend_days

    data = tmp_path / "data"
    write_trend_days(data)
    memo = DayMemo(PageCache(tmp_path / "cache"), ("test",))

    def build() -> dict[str, str]:
        plan = SitePlan(data, Options(), SiblingLinks())
        return {p.date: p.content or "" for p in plan.days(lambda page: page.body, memo)}

    first = build()
    assert "- trend: new · &#35;3 of week" in first["2021-06-30"]
    assert build() == first  # from the memo
    day = json.loads((data / "2021-06-28.json").read_text("utf-8"))
    day["papers"].append({**day["papers"][0], "id": "2106.00003", "title": "Back a week later"})
    (data / "2021-06-28.json").write_text(json.dumps(day), "utf-8")
    second = build()
    assert "- trend: day 2 · " in second["2021-06-30"].split("Back a week later")[1]


def test_a_bad_newest_day_does_not_end_a_window(tmp_path: Path) -> None:
    """Only days that load count: a bad last file leaves its windows open (no pages)."""
    from hotpapers.site.plan import SiblingLinks, SitePlan

    from .sites import write_trend_days

    write_trend_days(tmp_path)
    (tmp_path / "2022-01-03.json").write_text("{", encoding="utf-8")
    reports: list[str] = []
    plan = SitePlan(tmp_path, Options(), SiblingLinks(), report=reports.append)
    dated = [planned.date for planned in plan.days()]
    assert len(reports) == 1
    # 07-06 is the newest day that loads: its week and its month are not over.
    assert "2021-W26" in dated and "2021-06" in dated
    assert "2021-W27" not in dated and "2021-07" not in dated


def test_a_window_is_never_dated_after_its_days_were_collected(tmp_path: Path) -> None:
    from hotpapers.site.plan import SiblingLinks, SitePlan

    from .sites import write_trend_days

    write_trend_days(tmp_path)
    pages = {p.date: p.page for p in SitePlan(tmp_path, Options(), SiblingLinks()).days()}
    assert pages["2021-W26"].date == "2021-07-02T23:30:00Z"  # its last day, collected then
    day = json.loads((tmp_path / "2021-07-02.json").read_text("utf-8"))
    day["collected_at"] = "2021-07-09T06:00:00Z"  # collected long after the week
    (tmp_path / "2021-07-02.json").write_text(json.dumps(day), "utf-8")
    pages = {p.date: p.page for p in SitePlan(tmp_path, Options(), SiblingLinks()).days()}
    assert pages["2021-W26"].date == "2021-07-04T23:59:59Z"  # the window's end


@pytest.mark.parametrize("slug", ["hot-papers-cs-{date}", "hot-papers-cs-lg-{date}"])
def test_a_slug_that_a_category_page_has_is_refused(slug: str) -> None:
    from hotpapers.config import options_from_mapping
    from hotpapers.errors import ConfigError

    with pytest.raises(ConfigError, match="a year's page would take the slug of a category"):
        options_from_mapping({"slug": slug}, "site")


def test_category_pages_count_papers_not_listings(tmp_path: Path) -> None:
    """A paper listed on several days is one paper (it is listed once per day)."""
    from hotpapers.site.plan import SiblingLinks, SitePlan

    from .sites import write_trend_days

    write_trend_days(tmp_path)
    plan = SitePlan(tmp_path, Options(), SiblingLinks())
    for _ in plan.days():
        pass
    bodies = {page.location: page.page.body for page in plan.pages()}
    assert bodies["categories-cs-lg-2021.md"].startswith("\n3 hot papers in cs.LG in 2021,")
    assert bodies["categories-cs-lg-2021.md"].count("](hot-papers-") == 6  # 6 listings
    assert bodies["categories-cs-lg.md"].startswith("\n3 hot papers in cs.LG,")  # B in both
    assert "- [2022](categories-cs-lg-2022.md): 1 paper\n" in bodies["categories-cs-lg.md"]
    assert "- [cs.LG](categories-cs-lg.md): 3 papers (" in bodies["categories-index.md"]


def test_window_pages_come_from_the_memo_while_their_days_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hotpapers.site.plan as plan_module
    from hotpapers.site.page_cache import PageCache
    from hotpapers.site.plan import DayMemo, SiblingLinks, SitePlan

    from .sites import write_trend_days

    data = tmp_path / "data"
    write_trend_days(data)
    memo = DayMemo(PageCache(tmp_path / "cache"), ("test",))
    rendered = record_calls(monkeypatch, plan_module, "render_window_page", lambda w: w.key)

    def build() -> dict[str, tuple[str, str]]:
        rendered.clear()
        plan = SitePlan(data, Options(), SiblingLinks())
        pages = plan.days(lambda page: page.body, memo)
        return {p.date: (p.content or "", p.page.date) for p in pages if p.kind != "day"}

    first = build()
    assert sorted(rendered) == ["2021-06", "2021-07", "2021-W26", "2021-W27"]
    assert build() == first and rendered == []  # every window from the memo
    day = json.loads((data / "2021-07-06.json").read_text("utf-8"))
    day["papers"][0]["title"] = "Back, renamed"
    (data / "2021-07-06.json").write_text(json.dumps(day), "utf-8")
    changed = build()
    assert sorted(rendered) == ["2021-07", "2021-W27"]  # the windows of that day only
    assert "Back, renamed" in changed["2021-W27"][0] and changed["2021-W26"] == first["2021-W26"]
