"""Hostile data through real MkDocs builds (Material + blog + tags, and the mkdocs theme).

Every page of the built site is parsed and checked for anything that can run
script or load a third-party resource (see tests/safety.py); the papers must
still be readable and their TeX intact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("pymdownx")

from bs4 import BeautifulSoup

from .helpers import ROOT
from .safety import (
    HOSTILE_DATE,
    MATH_EXPECTED,
    PAYLOADS,
    math_texts,
    readability_problems,
    site_problems,
    visible,
    write_hostile_day,
)
from .sites import EXAMPLE_DATA, build_mkdocs, make_mkdocs_site

pytestmark = pytest.mark.mkdocs

# Extensions sites commonly enable: none of them may give meaning to data text.
EXTENSIONS = """markdown_extensions:
  - abbr
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.betterem
  - pymdownx.caret
  - pymdownx.mark
  - pymdownx.tilde
  - pymdownx.emoji
  - pymdownx.magiclink
  - pymdownx.smartsymbols
  - pymdownx.superfences
  - pymdownx.inlinehilite"""
HOSTILE_POST = f"blog/2021/07/02/hot-papers-{HOSTILE_DATE}/index.html"
MATH_POST = "blog/2021/06/30/hot-papers-2021-06-29/index.html"


def _site(root: Path, *, mode: str, theme: str = "material", blog: bool = True) -> list[dict]:
    make_mkdocs_site(
        root,
        theme=theme,
        blog=blog,
        tags=blog,
        plugin=f"embeds: {mode}\ncategory_tags: true",
        extra=EXTENSIONS,
    )
    config = root / "mkdocs.yml"
    # Material loads Google Fonts unless told not to: the theme's request, not ours.
    # The mkdocs theme loads highlight.js from a CDN unless told not to.
    text = (
        config.read_text(encoding="utf-8")
        .replace("theme:\n  name: material", "theme:\n  name: material\n  font: false")
        .replace("theme:\n  name: mkdocs", "theme:\n  name: mkdocs\n  highlightjs: false")
    )
    config.write_text(text, encoding="utf-8")
    return write_hostile_day(root / "data")


@pytest.mark.parametrize("mode", ["script", "static", "none"])
def test_hostile_data_cannot_run_script_in_a_material_blog(tmp_path: Path, mode: str) -> None:
    papers = _site(tmp_path, mode=mode)
    built = build_mkdocs(tmp_path)
    assert built.code == 0, built.log
    assert built.warnings() == []
    assert site_problems(built.site, mode) == {}
    page = built.html(HOSTILE_POST)
    assert readability_problems(page, papers, mode) == []
    if mode == "none":
        assert not page.select("blockquote")
    else:
        assert len(page.select("div.hotpapers-x blockquote.twitter-tweet")) == len(PAYLOADS)
        assert len(page.select("div.hotpapers-bluesky blockquote.bluesky-embed")) == len(PAYLOADS)
        cards = page.select("blockquote.hotpapers-card")
        assert {c["class"][1] for c in cards} == {
            "hotpapers-x",
            "hotpapers-hackernews",
            "hotpapers-huggingface",
        }
        for anchor in page.select("blockquote a[href]"):
            assert "noopener" in anchor["rel"], anchor
    # The blog index shows the excerpt: the summary line, cut at our separator only.
    index = built.html("blog/index.html")
    assert "Top: Paper 1 <script>" in index.get_text()
    assert "Abstract 1" not in index.get_text()


def test_hostile_data_in_the_mkdocs_theme_without_blog(tmp_path: Path) -> None:
    papers = _site(tmp_path, mode="static", theme="mkdocs", blog=False)
    built = build_mkdocs(tmp_path)
    assert built.code == 0, built.log
    assert site_problems(built.site, "static") == {}
    page = built.html(f"hot-papers/{HOSTILE_DATE}/index.html")
    assert readability_problems(page, papers, "static") == []
    assert "Top: Paper 1 <script>" in built.html("hot-papers/index.html").get_text()


def test_tex_reaches_mathjax_unchanged(tmp_path: Path) -> None:
    _site(tmp_path, mode="script")
    built = build_mkdocs(tmp_path)
    assert built.code == 0, built.log
    page = built.html(HOSTILE_POST)
    assert set(MATH_EXPECTED) <= set(math_texts(page))
    assert r"\(\alpha_1 < \beta\)" in math_texts(page)  # in the heading too
    assert "It costs $5 and $10." in page.get_text()  # dollars that are not math stay text
    # The example data: the abstract with $C^\infty$, character for character.
    example = json.loads((EXAMPLE_DATA / "2021-06-29.json").read_text(encoding="utf-8"))
    abstract = next(p["abstract"] for p in example["papers"] if p["id"] == "2106.14153")
    page = built.html(MATH_POST)
    assert math_texts(page).count(r"\(C^\infty\)") == abstract.count("$C^\\infty$") == 4
    assert visible(abstract) in visible(page.get_text())


def test_example_site_renders_math(tmp_path: Path) -> None:
    built = build_mkdocs(ROOT / "example_site" / "mkdocs", tmp_path / "site")
    assert built.code == 0, built.log
    page = BeautifulSoup((tmp_path / "site" / MATH_POST).read_text("utf-8"), "html.parser")
    assert math_texts(page).count(r"\(C^\infty\)") == 4
    sources = [str(s.get("src")) for s in page.find_all("script")]
    assert any(s.endswith("javascripts/mathjax.js") for s in sources)
    assert any("mathjax@3" in s for s in sources)
