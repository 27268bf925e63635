"""Week, month and year pages and trend marks in real MkDocs builds: Material's blog with
RSS (windows are posts), and the built-in theme (windows are pages in the section)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("mkdocs")
pytest.importorskip("material")

from .sites import Built, build_mkdocs, make_mkdocs_site, resolve, write_trend_days

pytestmark = pytest.mark.mkdocs

RSS = (
    "  - rss:\n      match_path: 'blog/posts/.*'\n      use_git: false\n"
    "      date_from_meta:\n        as_creation: date\n        as_update: date\n"
)


def _site(root: Path, plugins_before: str = "", **kwargs: object) -> Built:
    """A site of the trend days; `plugins_before`: YAML plugin items before hotpapers."""
    make_mkdocs_site(root, **kwargs)  # type: ignore[arg-type]
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("  - hotpapers", plugins_before + "  - hotpapers"), "utf-8")
    shutil.rmtree(root / "data")
    write_trend_days(root / "data")
    built = build_mkdocs(root)
    assert built.code == 0, built.log
    return built


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _site(tmp_path_factory.mktemp("blog"), plugins_before=RSS)


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _site(
        tmp_path_factory.mktemp("plain"),
        theme="mkdocs",
        blog=False,
        tags=False,
        plugin="windows: [week, month, year]",
    )


def _post(built: Built, slug: str) -> Path:
    (path,) = built.site.glob(f"blog/20*/*/*/{slug}/index.html")
    return path


def _page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _headings(path: Path) -> list[str]:
    return [" ".join(h.get_text().split()) for h in _page(path).select("h2") if h.span]


def _items(path: Path, label: str) -> list[str]:
    return [
        " ".join(li.get_text().split())
        for li in _page(path).select("li")
        if li.get_text().strip().startswith(f"{label}:")
    ]


A, B, C = "Attention that lasts", "One loud day <b>& a tag</b>", "Back a week later"


def test_window_posts_rank_papers_by_their_summed_attention(blog: Built) -> None:
    assert _headings(_post(blog, "hot-papers-2021-w26")) == [f"1. {A}", f"2. {B}", f"3. {C}"]
    assert _headings(_post(blog, "hot-papers-2021-w27")) == [f"1. {C}"]
    assert _headings(_post(blog, "hot-papers-2021-06")) == [f"1. {B}", f"2. {A}", f"3. {C}"]
    assert _headings(_post(blog, "hot-papers-2021-07")) == [f"1. {C}", f"2. {A}"]
    week = _post(blog, "hot-papers-2021-w26")
    assert _items(week, "attention")[0].startswith("attention: X 300 reposts, 300 likes; score 600")
    # In the window's own blog category, dated at its end or, as here, at the latest
    # collection of its days if that is earlier (never after what it shows was collected).
    assert week.relative_to(blog.site).parts[1:4] == ("2021", "07", "02")
    weekly = _page(blog.site / "blog/category/weekly/index.html").get_text()
    assert "Hot Papers 2021-W26" in weekly and "Hot Papers 2021-W27" in weekly
    # Windows not over yet (the newest day is 2022-01-03) get no page: none is dated ahead.
    assert not list(blog.site.glob("blog/20*/*/*/hot-papers-2022-*[!3]/"))
    assert list(blog.site.glob("blog/20*/*/*/hot-papers-2022-01-03/"))
    assert "Hot Papers 2021-06" in _page(blog.site / "blog/category/monthly/index.html").get_text()


def test_the_feed_carries_the_window_posts(blog: Built) -> None:
    feed = ET.parse(blog.site / "feed_rss_created.xml").getroot()
    titles = [item.findtext("title") for item in feed.iter("item")]
    for title in ("Hot Papers 2021-W26", "Hot Papers 2021-06", "Hot Papers 2021-06-30"):
        assert title in titles


def test_day_posts_mark_new_papers_their_days_and_their_week(blog: Built) -> None:
    first, second = _post(blog, "hot-papers-2021-06-28"), _post(blog, "hot-papers-2021-06-30")
    # The site's first day: nothing to compare with, so no "new".
    assert _items(first, "trend") == [
        "trend: #2 of week 2021-W26",  # the loudest paper of the day
        "trend: top of week 2021-W26",
    ]
    assert _items(second, "trend") == [
        "trend: day 2 · top of week 2021-W26",
        "trend: new · #3 of week 2021-W26",
    ]
    assert _items(_post(blog, "hot-papers-2021-07-06"), "trend") == [
        "trend: day 2 · top of week 2021-W27"
    ]
    category = _page(blog.site / "hot-papers/categories/cs-lg-2021/index.html").get_text(" ")
    assert f"{C} (#2, score 80, new · #3 of week 2021-W26)" in " ".join(category.split())
    # One page per category and year; the category's own page lists its years.
    years = _page(blog.site / "hot-papers/categories/cs-lg/index.html").select("article li")
    assert [" ".join(li.get_text().split()) for li in years] == [
        "2022: 1 paper",
        "2021: 3 papers",  # distinct papers, not listings
    ]
    later = _page(blog.site / "hot-papers/categories/cs-lg-2022/index.html").get_text(" ")
    assert f"{B} (#1, score 60, day 2)" in " ".join(later.split())


def test_links_between_days_and_windows_lead_to_the_papers(blog: Built) -> None:
    checked = 0
    for slug in ("hot-papers-2021-06-30", "hot-papers-2021-w26", "hot-papers-2021-06"):
        page = _post(blog, slug)
        for li in _page(page).select("li"):
            if not li.get_text().strip().startswith(("trend:", "hot on:")):
                continue
            for link in li.select("a"):
                target, anchor = resolve(blog.site, page, link["href"])
                assert target.is_file(), (page, link["href"])
                assert _page(target).find(id=anchor) is not None, (page, link["href"])
                checked += 1
    assert checked == 2 + 5 + 4  # 2 week links; days: 3 + 1 + 1 in the week, 2 + 1 + 1 in June


def test_attention_curves_for_papers_hot_on_several_days(blog: Built) -> None:
    day = _page(_post(blog, "hot-papers-2021-07-02"))
    (svg,) = day.select("svg.hotpapers-curve")
    tree = ET.fromstring(str(svg))  # well-formed
    namespace = "{http://www.w3.org/2000/svg}"
    assert tree.get("role") == "img"
    assert tree.findtext(f"{namespace}title") == "Attention score by day"
    assert tree.findtext(f"{namespace}desc") == "2021-06-28: 300, 2021-06-30: 200, 2021-07-02: 100"
    assert not [
        e
        for e in tree.iter()
        if e.tag.endswith("script") or any(name.startswith("on") for name in e.attrib)
    ]
    assert not _page(_post(blog, "hot-papers-2021-06-28")).select("svg.hotpapers-curve")
    assert len(_page(_post(blog, "hot-papers-2021-w26")).select("svg.hotpapers-curve")) == 1


def test_without_a_blog_the_section_lists_each_kind_of_window(plain: Built) -> None:
    home = _page(plain.site / "index.html")
    nav = [" ".join(a.get_text().split()) for a in home.select(".navbar a, nav a")]
    for title in ("Hot Papers by week", "Hot Papers by month", "Hot Papers by year"):
        assert title in nav
    weeks = plain.site / "hot-papers/week/index.html"
    links = [a["href"] for a in _page(weeks).select("[role=main] li a")]
    assert [resolve(plain.site, weeks, href)[0].parent.name for href in links] == [
        "2021-W27",
        "2021-W26",
    ]
    year = plain.site / "hot-papers/2021/index.html"
    assert _headings(year) == [f"1. {A}", f"2. {B}", f"3. {C}"]
    assert "score 480" in _items(year, "attention")[2]


def test_rebuilds_are_byte_identical(plain: Built, tmp_path: Path) -> None:
    again = build_mkdocs(plain.site.parent, site=tmp_path / "again")
    assert again.code == 0, again.log

    def files(site: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(site)): p.read_bytes()
            for p in site.rglob("*")
            if p.is_file() and not p.name.startswith("sitemap")  # dated by the build
        }

    def undated(page: bytes) -> bytes:  # MkDocs' theme prints the build date on the home page
        return re.sub(rb"Build Date UTC : [^\n]*", b"", page)

    assert undated(files(again.site).pop("index.html")) == undated(files(plain.site)["index.html"])

    assert files(again.site).keys() == files(plain.site).keys()
    assert {k: v for k, v in files(again.site).items() if k != "index.html"} == {
        k: v for k, v in files(plain.site).items() if k != "index.html"
    }


def test_the_example_week_builds_with_its_week_and_month(tmp_path: Path) -> None:
    from .helpers import ROOT
    from .sites import run_mkdocs

    example = ROOT / "example_site" / "week"
    completed = run_mkdocs(example / "mkdocs.yml", tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    site = tmp_path / "site" / "hot-papers"
    assert {p.name for p in site.iterdir() if p.name.startswith("2021-")} == {
        *(f"2021-06-{day}" for day in (29, 30)),
        *(f"2021-07-0{day}" for day in range(1, 6)),
        "2021-W26",
        "2021-06",  # 2021-W27 and 2021-07 are not over on 07-05: no pages yet
    }
    day = _page(site / "2021-07-02" / "index.html")
    assert _items(site / "2021-07-02" / "index.html", "trend")[0] == (
        "trend: day 3 · #2 of week 2021-W26"
    )
    assert day.select("svg.hotpapers-curve")
