"""Every extension of Python-Markdown's standard set and of pymdown-extensions at once:
titles, authors, abstracts and categories come out exactly as their data (TeX as TeX),
and hotpapers' own words (rank numbers, counts, labels) are not rewritten either.
"""

from __future__ import annotations

import json
import re

import markdown
import pytest
from bs4 import BeautifulSoup

from hotpapers.config import Options
from hotpapers.model import Day
from hotpapers.site import stash
from hotpapers.site.pages import (
    category_index,
    render_category_page,
    render_site_page,
)
from hotpapers.store import decode_day

from .compat import EVERY_EXTENSION, MATH, TRICKY, tricky_paper
from .safety import visible
from .sites import EXAMPLE_DATA

pytest.importorskip("pymdownx")


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(EVERY_EXTENSION), extension_configs=EVERY_EXTENSION)


def tricky_day() -> Day:
    papers = [
        tricky_paper(i, t, t + "\n\n" + MATH, [t[:20], "Ada"]) for i, t in enumerate(TRICKY, 1)
    ]
    raw = {"schema": "hotpapers/1", "date": "2021-01-01", "collected_at": "2021-01-02T00:00:00Z"}
    return decode_day(json.dumps({**raw, "papers": papers}).encode(), "t", "2021-01-01")


def _html(body: str, blocks: tuple[str, ...] = ()) -> BeautifulSoup:
    converter = _converter()
    html = stash.restore(converter.convert(body), blocks)
    assert html is not None
    return BeautifulSoup(html, "html.parser")


def _text(element: object) -> str:
    """What a reader sees: whitespace folded, math delimiters unified (see safety.visible)."""
    return visible(element.get_text() if hasattr(element, "get_text") else str(element))


def _math(tex: str) -> list[str]:
    return [
        "\\(" + m[1:-1] + "\\)" if not m.startswith("$$") else "\\[" + m[2:-2] + "\\]"
        for m in re.findall(r"\$\$.+?\$\$|\$[^$]+\$", tex)
    ] + re.findall(r"\\\(.+?\\\)", tex)


@pytest.mark.parametrize("day", [tricky_day(), *[None]], ids=["tricky", "example"])
def test_every_extension_at_once_leaves_the_data_as_it_is(day: Day | None) -> None:
    if day is None:
        path = EXAMPLE_DATA / "2021-06-29.json"
        day = decode_day(path.read_bytes(), str(path), "2021-06-29")
    options = Options(min_score=0)
    page = render_site_page(day, options)
    soup = _html(page.stashed_body, page.blocks)
    headings = [_text(h) for h in soup.find_all("h2")]
    text = _text(soup)
    for rank, paper in enumerate(sorted(day.papers, key=lambda p: -p.totals.score), 1):
        assert f"{rank}. {_text(paper.title)}" in headings
        assert _text(", ".join(paper.authors)) in text
        for paragraph in re.split(r"\n\s*\n", paper.abstract):
            assert _text(paragraph) in text, paragraph
        for category in paper.categories:
            assert category in text
    spans = [span.get_text() for span in soup.select("span.arithmatex")]
    for paper in day.papers:
        for tex in _math(paper.abstract):
            assert tex in spans
    # hotpapers' own words: ranks, counts, labels
    assert re.search(r"attention: [0-9]+ reposts?, [0-9]+ likes?; score [0-9]+", text)
    assert not soup.select("sup, sub, mark, ins, del, kbd, abbr, .critic, .emoji, .magiclink")


def test_our_own_words_on_category_pages_are_not_rewritten() -> None:
    day = tricky_day()
    index = category_index([day], Options(min_score=0))
    page = render_category_page("cs.LG", index["cs.LG"], lambda date: f"../{date}.md")
    soup = _html(page.body)
    items = [_text(li) for li in soup.find_all("li")]
    assert items[0].endswith("(#1, score 1000)")
    assert not soup.select("a.magiclink, .magiclink")
    assert [_text(a) for a in soup.select("li > a")][: len(TRICKY)] == [_text(t) for t in TRICKY]
