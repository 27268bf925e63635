"""Hostile data through real Pelican builds (the default theme, the site's Markdown).

Every page and feed of the built site is parsed and checked for anything that
can run script or load a third-party resource (see tests/safety.py); the papers
must still be readable and their TeX intact although no math extension runs.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pelican.settings")
pytest.importorskip("markdown")

from .compat import PELICAN_MARKDOWN
from .helpers import ROOT
from .safety import (
    HOSTILE_DATE,
    MATH_EXPECTED,
    PAYLOADS,
    feed_problems,
    math_texts,
    readability_problems,
    site_problems,
    visible,
    write_hostile_day,
)
from .sites import EXAMPLE_DATA, build_pelican, soup

pytestmark = pytest.mark.pelican


def _build(tmp_path: Path, mode: str) -> tuple[Path, list[dict]]:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    papers = write_hostile_day(data)
    output = build_pelican(
        tmp_path,
        hotpapers={"data": str(data), "embeds": mode, "category_tags": True},
        MARKDOWN=PELICAN_MARKDOWN,
    )
    return output, papers


@pytest.mark.parametrize("mode", ["script", "static", "none"])
def test_hostile_data_cannot_run_script_in_pelican(
    tmp_path: Path, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        output, papers = _build(tmp_path, mode)
    # Pelican's link syntax ({filename}, {index}, |filename|) in a post is never acted on:
    # a missing target would be a warning, and `pelican --fatal warnings` would fail.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert site_problems(output, mode) == {}
    for feed in sorted((output / "feeds").rglob("*.xml")):
        assert feed_problems(feed) == [], feed
    page = soup(output / f"hot-papers-{HOSTILE_DATE}.html")
    assert readability_problems(page, papers, mode) == []
    if mode != "none":
        assert len(page.select("div.hotpapers-x blockquote.twitter-tweet")) == len(PAYLOADS)
        for anchor in page.select("blockquote a[href]"):
            assert "noopener" in anchor["rel"], anchor
    # Data-made category tags: only real category names become tags (themes print them raw).
    assert not any("XSS" in p.name for p in (output / "tag").iterdir())
    # The summary and the meta description never carry the hostile top title as markup.
    head = page.find("meta", attrs={"name": "description"})
    assert head is not None and "<" not in head["content"]


def test_title_and_description_are_escaped_in_pelican(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write_hostile_day(data)
    # Themes print the title raw (`{{ article.title }}`): the plugin escapes it, so the
    # configured text shows as written. (`|striptags` in <title> decodes it again, but
    # <title> holds text only; the title comes from the site's own configuration.)
    title = "Q&A <b>bold</b> {date}"
    output = build_pelican(
        tmp_path,
        hotpapers={"data": str(data), "title": title, "description": '"><b>XSS_MARKER</b>'},
        THEME="simple",  # prints article.description into an attribute
    )
    assert site_problems(output, "script") == {}
    page = soup(output / f"hot-papers-{HOSTILE_DATE}.html")
    headings = [h.get_text(strip=True) for h in page.select("h1, h2")]
    assert title.format(date=HOSTILE_DATE) in headings
    assert not page.select("body b")
    description = page.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == '"><b>XSS_MARKER</b>'


def test_tex_survives_without_a_math_extension(tmp_path: Path) -> None:
    output, _ = _build(tmp_path, "script")
    page = soup(output / f"hot-papers-{HOSTILE_DATE}.html")
    assert set(MATH_EXPECTED) <= set(math_texts(page))
    assert "It costs $5 and $10." in page.get_text()
    example = json.loads((EXAMPLE_DATA / "2021-06-29.json").read_text(encoding="utf-8"))
    abstract = next(p["abstract"] for p in example["papers"] if p["id"] == "2106.14153")
    page = soup(output / "hot-papers-2021-06-29.html")
    assert math_texts(page).count(r"\(C^\infty\)") == abstract.count("$C^\\infty$") == 4
    assert visible(abstract) in visible(page.get_text())


def test_example_site_renders_math(tmp_path: Path) -> None:
    example = ROOT / "example_site" / "pelican"
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "pelican", str(example / "content")),
            *("-s", str(example / "pelicanconf.py"), "-o", str(tmp_path / "out")),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    page = soup(tmp_path / "out" / "hot-papers-2021-06-29.html")
    assert math_texts(page).count(r"\(C^\infty\)") == 4
    config, mathjax = page.find_all("script")[:2]
    assert 'processHtmlClass: "arithmatex"' in config.get_text()
    assert "mathjax@3" in mathjax["src"]


def test_a_top_title_with_unsafe_tex_stays_out_of_the_summary(tmp_path: Path) -> None:
    # A theme may typeset the whole page (index pages and feeds show the summary).
    data = tmp_path / "data"
    data.mkdir()
    title = r"Top $\href{javascript:alert(1)}{x}$ paper"
    paper = {
        "id": "2107.00001",
        "title": title,
        "authors": ["A"],
        "abstract": "Text.",
        "categories": ["cs.LG"],
        "counted_at": "2021-07-02T10:00:00Z",
        "totals": {"reposts": 100, "likes": 0},
        "mentions": [],
    }
    day = {"schema": "hotpapers/1", "date": HOSTILE_DATE, "collected_at": "2021-07-02T10:00:00Z"}
    (data / f"{HOSTILE_DATE}.json").write_text(json.dumps({**day, "papers": [paper]}))
    output = build_pelican(tmp_path, hotpapers={"data": str(data)})
    index = (output / "index.html").read_text(encoding="utf-8")
    feed = (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "1 arXiv paper with the most attention" in index
    assert "href{javascript" not in index and "href{javascript" not in feed
    article = soup(output / f"hot-papers-{HOSTILE_DATE}.html")
    assert visible(title) in visible(article.get_text())  # shown on the page, as text
