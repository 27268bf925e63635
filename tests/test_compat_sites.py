"""The compatibility matrix in real builds: a Material blog with every extension of
Python-Markdown's standard set and of pymdown-extensions enabled at once, and Pelican
with the Markdown settings sites commonly use. Every title, author, abstract and
category comes out exactly as its data (TeX as TeX), and hotpapers' own words are
not rewritten (tests/test_markdown_compat.py does the same without a host).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .compat import EVERY_EXTENSION, MATH, PELICAN_MARKDOWN, TRICKY, tricky_paper
from .safety import visible

DATE = "2021-01-01"


def write_tricky_day(data: Path) -> list[dict]:
    papers = [
        tricky_paper(i, t, t + "\n\n" + MATH, [t[:20], "Ada"]) for i, t in enumerate(TRICKY, 1)
    ]
    day = {"schema": "hotpapers/1", "date": DATE, "collected_at": "2021-01-02T00:00:00Z"}
    (data / f"{DATE}.json").write_text(json.dumps({**day, "papers": papers}), encoding="utf-8")
    return papers


def data_problems(page: BeautifulSoup, papers: list[dict]) -> list[str]:
    text = visible(page.get_text())
    headings = {visible(h.get_text()) for h in page.find_all("h2")}
    problems = []
    for rank, paper in enumerate(papers, start=1):
        if f"{rank}. {visible(paper['title'])}" not in headings:
            problems.append(f"heading {rank} {paper['title'][:40]!r}")
        for piece in [", ".join(paper["authors"]), *paper["abstract"].split("\n\n")]:
            if visible(piece) not in text:
                problems.append(f"paper {rank}: {piece[:40]!r} not verbatim")
    spans = [s.get_text() for s in page.select("span.arithmatex")]
    for tex in (r"\(N^{1/2}\)", r"\(a_1 (c) b\)", r"\[x--y\]", r"\(2nd\)"):
        if spans.count(tex) != len(papers):
            problems.append(f"TeX {tex} found {spans.count(tex)} times")
    if not re.search(r"attention: [0-9]+ reposts?, [0-9]+ likes?; score [0-9]+", text):
        problems.append("attention line rewritten")
    rewritten = page.select(
        "article sup, article sub, article mark, article ins, article del, article kbd, "
        "article .critic, article .emoji, article a.magiclink, article abbr"
    )
    dates = {"published", "updated"}  # Pelican's themes date articles with <abbr>
    problems.extend(
        f"rewritten: {element}"[:80]
        for element in rewritten
        if not dates & set(element.get("class") or [])
    )
    return problems


def _yaml(extensions: dict[str, dict]) -> str:
    lines = ["markdown_extensions:"]
    for name, config in extensions.items():
        if not config:
            lines.append(f"  - {name}")
            continue
        lines.append(f"  - {name}:")
        lines.extend(f"      {key}: {json.dumps(value)}" for key, value in config.items())
    return "\n".join(lines)


@pytest.mark.mkdocs
def test_a_material_blog_with_every_extension_shows_the_data_as_it_is(tmp_path: Path) -> None:
    pytest.importorskip("material")
    from .sites import build_mkdocs, make_mkdocs_site

    make_mkdocs_site(tmp_path, plugin="min_score: 0", extra=_yaml(EVERY_EXTENSION))
    papers = write_tricky_day(tmp_path / "data")
    built = build_mkdocs(tmp_path)
    assert built.code == 0, built.log
    (post,) = (tmp_path / "site" / "blog").glob(f"2021/01/02/hot-papers-{DATE}/index.html")
    page = BeautifulSoup(post.read_text("utf-8"), "html.parser")
    assert data_problems(page, sorted(papers, key=lambda p: -p["totals"]["reposts"])) == []
    category = built.html("hot-papers/categories/cs-lg-2021/index.html")
    items = [visible(li.get_text()) for li in category.select("article li")]
    assert any(i.endswith("(#1, score 1000, new · top of week 2020-W53)") for i in items), items


@pytest.mark.pelican
def test_pelican_with_common_markdown_settings_shows_the_data_as_it_is(tmp_path: Path) -> None:
    pytest.importorskip("pelican.settings")
    from .sites import build_pelican, soup

    data = tmp_path / "data"
    data.mkdir()
    papers = write_tricky_day(data)
    output = build_pelican(
        tmp_path, hotpapers={"data": str(data), "min_score": 0}, MARKDOWN=PELICAN_MARKDOWN
    )
    page = soup(output / f"hot-papers-{DATE}.html")
    assert data_problems(page, sorted(papers, key=lambda p: -p["totals"]["reposts"])) == []
