"""Week and month pages and trend marks in real Pelican builds: articles in their own
categories with feeds, or pages (`windows_as = "pages"`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("pelican.settings")

from .sites import build_pelican, resolve, soup, write_trend_days

pytestmark = pytest.mark.pelican

A, B, C = "Attention that lasts", "One loud day <b>& a tag</b>", "Back a week later"


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("articles")
    write_trend_days(root / "data")
    return build_pelican(root)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    write_trend_days(root / "data")
    settings = {"data": str(root / "data"), "windows_as": "pages", "windows": ["week", "year"]}
    return build_pelican(root, hotpapers=settings)


def _headings(page: BeautifulSoup) -> list[str]:
    return [" ".join(h.get_text().split()) for h in page.select("h2") if h.span]


def _items(page: BeautifulSoup, label: str) -> list[str]:
    return [
        " ".join(li.get_text().split())
        for li in page.select("li")
        if li.get_text().strip().startswith(f"{label}:")
    ]


def test_window_articles_rank_papers_by_their_summed_attention(articles: Path) -> None:
    week = soup(articles / "hot-papers-2021-w26.html")
    assert _headings(week) == [f"1. {A}", f"2. {B}", f"3. {C}"]
    assert _headings(soup(articles / "hot-papers-2021-06.html")) == [
        f"1. {B}",
        f"2. {A}",
        f"3. {C}",
    ]
    assert _headings(soup(articles / "hot-papers-2021-07.html")) == [f"1. {C}", f"2. {A}"]
    weekly = soup(articles / "category" / "weekly.html").get_text()
    assert "Hot Papers 2021-W26" in weekly and "Hot Papers 2021-W27" in weekly


def test_window_articles_have_their_own_feeds(articles: Path) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(articles / "feeds" / "weekly.atom.xml").getroot()
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert titles == ["Hot Papers 2021-W27", "Hot Papers 2021-W26"]
    everything = (articles / "feeds" / "all.atom.xml").read_text("utf-8")
    assert "Hot Papers 2021-06" in everything and "Hot Papers 2021-06-30" in everything


def test_day_articles_are_marked_and_link_to_their_week(articles: Path) -> None:
    page_path = articles / "hot-papers-2021-06-30.html"
    page = soup(page_path)
    assert _items(page, "trend") == [
        "trend: day 2 · top of week 2021-W26",
        "trend: new · #3 of week 2021-W26",
    ]
    for li in page.select("li"):
        for link in li.select("a") if li.get_text().strip().startswith("trend:") else []:
            target, anchor = resolve(articles, page_path, link["href"])
            assert target == articles / "hot-papers-2021-w26.html"
            assert soup(target).find(id=anchor) is not None
    (svg,) = soup(articles / "hot-papers-2021-07-02.html").select("svg.hotpapers-curve")
    assert ET.fromstring(str(svg)).get("role") == "img"
    category = soup(articles / "pages" / "hot-papers-cs-lg-2021.html").get_text()
    category = " ".join(category.split())
    assert f"{C} (#2, score 80, new · #3 of week 2021-W26)" in category


def test_windows_as_pages_are_listed_by_kind(pages: Path) -> None:
    assert not (pages / "category" / "weekly.html").exists()
    year = soup(pages / "pages" / "hot-papers-2021.html")
    assert _headings(year) == [f"1. {A}", f"2. {B}", f"3. {C}"]
    weeks_path = pages / "pages" / "hot-papers-weeks.html"
    weeks = soup(weeks_path)
    hrefs = [a["href"] for a in weeks.select("li a") if "Hot Papers 2021-W" in a.get_text()]
    assert [Path(resolve(pages, weeks_path, href)[0]).name for href in hrefs] == [
        "hot-papers-2021-w27.html",
        "hot-papers-2021-w26.html",
    ]
    menu = " ".join(soup(pages / "index.html").get_text().split())
    assert "Hot Papers by week" in menu and "Hot Papers 2021-W26" not in menu
    # Window links on day pages lead to the pages.
    day_path = pages / "hot-papers-2021-06-30.html"
    links = [a["href"] for a in soup(day_path).select("li a") if a.get_text() == "2021-W26"]
    assert links and {resolve(pages, day_path, h)[0] for h in links} == {
        pages / "pages" / "hot-papers-2021-w26.html"
    }


@pytest.mark.parametrize("windows_as", ["articles", "pages"])
def test_draft_days_leave_nothing_published(tmp_path: Path, windows_as: str) -> None:
    """Nothing made from draft days (windows, category pages, their lists) is published
    or listed in the menu."""
    write_trend_days(tmp_path / "data")
    settings = {"data": str(tmp_path / "data"), "status": "draft", "windows_as": windows_as}
    output = build_pelican(tmp_path, hotpapers=settings)
    published = [
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if "drafts" not in p.parts and "hot-papers" in p.name
    ]
    assert published == []
    everything = " ".join(
        p.read_text("utf-8") for p in output.rglob("*.*ml") if "drafts" not in p.parts
    )
    assert "Attention that lasts" not in everything and "Hot Papers by" not in everything
    assert (output / "drafts" / "hot-papers-2021-06-30.html").is_file()


def test_a_relative_content_path_still_links_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_trend_days(tmp_path / "data")
    output = build_pelican(tmp_path, PATH="content")
    day = (output / "hot-papers-2021-06-30.html").read_text("utf-8")
    assert "{filename}" not in day and 'href="/hot-papers-2021-w26.html#paper-2106-00001"' in day
