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

from hotpapers import stash
from hotpapers.config import Options
from hotpapers.model import Day
from hotpapers.render import (
    category_index,
    render_category_page,
    render_site_page,
)
from hotpapers.store import decode_day

from .safety import visible
from .sites import EXAMPLE_DATA

pytest.importorskip("pymdownx")

# Extensions that rewrite text, and the rest of both sets, configured as sites do.
EVERY_EXTENSION: dict[str, dict] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "meta": {},
    "nl2br": {},
    "sane_lists": {},
    "smarty": {"smart_angled_quotes": True},
    "tables": {},
    "toc": {"permalink": True},
    "wikilinks": {},
    "legacy_attrs": {},
    "pymdownx.arithmatex": {"generic": True},
    "pymdownx.betterem": {},
    "pymdownx.caret": {},
    "pymdownx.critic": {},
    "pymdownx.details": {},
    "pymdownx.emoji": {},
    "pymdownx.escapeall": {"hardbreak": True, "nbsp": True},
    "pymdownx.fancylists": {},
    "pymdownx.highlight": {},
    "pymdownx.inlinehilite": {},
    "pymdownx.keys": {},
    "pymdownx.magiclink": {
        "repo_url_shorthand": True,
        "social_url_shorthand": True,
        "provider": "github",
        "user": "squidfunk",
        "repo": "mkdocs-material",
    },
    "pymdownx.mark": {},
    "pymdownx.progressbar": {},
    "pymdownx.quotes": {},
    "pymdownx.saneheaders": {},
    "pymdownx.smartsymbols": {},
    "pymdownx.snippets": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.tilde": {},
}

# Text every one of those extensions would rewrite if it reached them as Markdown.
TRICKY = [
    "GPT-2/3 (c) Foo (tm) (r) c/o 1st 22nd 3rd 11th +/- =/= --> <-- 1/2 3/4",
    "See #1, !2, ?3, @user, squidfunk/mkdocs-material#12 and " + "a1b2c3d4" * 5,
    ":fire: :smile: www.example.com https://example.com user@example.com",
    "*em* _em_ **strong** ^^ins^^ ^sup^ ==mark== ~~del~~ ~sub~ ++ctrl+alt++",
    "{++add++} {--del--} {~~a~>b~~} {==mark==} {>>note<<} [[Wiki]] [^1] [x](y)",
    "'quotes' \"double\" <<angled>> -- --- ... [ ] [x] H~2~O x^2^",
    "--8<-- 'snippet.md' !!! note ??? tip === Tab [=50% progress]",
    "Line\nbreak and two  spaces  \nand a \\ backslash \\* and &amp; &copy;",
]
MATH = r"Math $N^{1/2}$, $a_1 (c) b$, $$x--y$$ and \(2nd\) stays TeX."


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(EVERY_EXTENSION), extension_configs=EVERY_EXTENSION)


def _paper(index: int, title: str, abstract: str, authors: list[str]) -> dict:
    return {
        "id": f"2101.{index:05d}",
        "title": title,
        "authors": authors,
        "abstract": abstract,
        "categories": ["cs.LG", "stat.ML"],
        "counted_at": "2021-01-02T00:00:00Z",
        "totals": {"reposts": 1000 - index, "likes": 1},
        "mentions": [],
    }


def tricky_day() -> Day:
    papers = [_paper(i, t, t + "\n\n" + MATH, [t[:20], "Ada"]) for i, t in enumerate(TRICKY, 1)]
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
    assert re.search(r"attention: [0-9]+ reposts, [0-9]+ likes; score [0-9]+", text)
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
