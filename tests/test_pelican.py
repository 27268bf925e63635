"""Real Pelican builds in temporary directories, asserting on the HTML and feeds."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pelican.settings")
pytest.importorskip("markdown")
from pelican import signals

from .helpers import ROOT, record_calls
from .safety import PLACEHOLDER
from .sites import DAYS, EXAMPLE_DATA, WELCOME, check_attention_day_page, soup, write_attention_day
from .sites import build_pelican as build

pytestmark = pytest.mark.pelican


def _titles_in(path: Path) -> list[str]:
    return re.findall(r"Hot Papers \d{4}-\d{2}-\d{2}|Welcome to the lab", path.read_text("utf-8"))


def test_days_appear_everywhere_a_written_article_does(tmp_path: Path) -> None:
    output = build(tmp_path, hotpapers={"data": str(tmp_path / "data"), "category_tags": True})
    index_titles = _titles_in(output / "index.html")
    expected = [
        "Hot Papers 2021-06-29",
        "Hot Papers 2021-03-24",
        "Welcome to the lab",
        "Hot Papers 2020-12-07",
        "Hot Papers 2020-06-29",
    ]
    assert list(dict.fromkeys(index_titles)) == expected  # newest first, hand-written in place
    assert list(dict.fromkeys(_titles_in(output / "archives.html"))) == expected
    category = output / "category" / "arxiv.html"
    assert set(_titles_in(category)) == {f"Hot Papers {d}" for d in DAYS}
    for tag in ("arxiv", "machine-learning", "twitter", "computer-science"):
        assert set(_titles_in(output / "tag" / f"{tag}.html")) == {f"Hot Papers {d}" for d in DAYS}
    assert set(_titles_in(output / "tag" / "cs-ce.html")) == {"Hot Papers 2021-06-29"}
    assert "Hot Papers 2021-06-29" in (output / "tag" / "cs-lg.html").read_text("utf-8")
    assert (output / "tag" / "lab.html").is_file()
    feeds = [
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "feeds/arxiv.atom.xml",
        "feeds/arxiv.rss.xml",
        "feeds/tag/arxiv.atom.xml",
        "feeds/tag/cs-lg.rss.xml",
    ]
    for feed in feeds:
        text = (output / feed).read_text(encoding="utf-8")
        assert "Hot Papers 2021-06-29" in text, feed
    atom = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "2021-06-30T13:48:45+00:00" in atom
    assert "20 arXiv papers with the most attention on 2021-06-29" in atom

    page = soup(output / "hot-papers-2021-06-29.html")
    body = page.select_one("article") or page
    headings = [h.get_text() for h in body.find_all("h2") if re.match(r"\d+\. ", h.get_text())]
    assert len(headings) == 20 and headings[0].startswith("1. Inferring a Continuous")
    assert len(body.select("blockquote.twitter-tweet")) == 22
    assert len(page.select('script[src="https://platform.twitter.com/widgets.js"]')) == 1
    assert page.select_one('a[href="https://arxiv.org/abs/2106.14108"]')
    math = page.select_one("span.arithmatex")  # $...$ as arithmatex writes it, for MathJax
    assert math is not None and "\\(C^\\infty\\)-ring" in page.get_text()


def test_custom_article_urls_are_honoured(tmp_path: Path) -> None:
    output = build(
        tmp_path,
        ARTICLE_URL="posts/{date:%Y}/{slug}/",
        ARTICLE_SAVE_AS="posts/{date:%Y}/{slug}/index.html",
    )
    assert (output / "posts/2021/hot-papers-2021-06-29/index.html").is_file()
    assert (output / "posts/2021/welcome-to-the-lab/index.html").is_file()
    links = [a["href"] for a in soup(output / "index.html").find_all("a", href=True)]
    assert (
        "/posts/2021/hot-papers-2021-06-29/" in links
        or "./posts/2021/hot-papers-2021-06-29/" in links
    )


def test_article_order_by_is_respected(tmp_path: Path) -> None:
    output = build(tmp_path, ARTICLE_ORDER_BY="title")
    titles = list(dict.fromkeys(_titles_in(output / "index.html")))
    assert titles == sorted(titles)


def test_namespace_discovery_when_plugins_is_unset(tmp_path: Path) -> None:
    from pelican.plugins._utils import get_namespace_plugins

    assert "pelican.plugins.hotpapers" in get_namespace_plugins(), (
        "install the package without -e: Pelican only discovers namespace plugins "
        "inside site-packages/pelican/plugins"
    )
    output = build(tmp_path, PLUGINS=None)
    assert (output / "hot-papers-2021-06-29.html").is_file()


def test_drafts_and_hidden_articles_are_routed_by_status(tmp_path: Path) -> None:
    output = build(tmp_path, hotpapers={"data": str(tmp_path / "data"), "status": "draft"})
    assert (output / "drafts" / "hot-papers-2021-06-29.html").is_file()
    assert "Hot Papers 20" not in (output / "index.html").read_text("utf-8")
    shutil.rmtree(output)
    output = build(tmp_path, hotpapers={"data": str(tmp_path / "data"), "status": "hidden"})
    assert (output / "hot-papers-2021-06-29.html").is_file()
    assert "Hot Papers 20" not in (output / "index.html").read_text("utf-8")
    assert "Hot Papers 20" not in (output / "feeds/all.atom.xml").read_text("utf-8")


def test_tag_slugs_are_stable_and_collision_free(tmp_path: Path) -> None:
    # A hand-written tag "cs-lg" already owns the slug cs-lg; the arXiv category
    # tag cs.LG must get its own page, and an existing "cs.CV" tag is shared.
    output = build(
        tmp_path,
        extra_tags=", cs-lg, cs.CV",
        hotpapers={"data": str(tmp_path / "data"), "category_tags": True},
    )
    assert set(_titles_in(output / "tag" / "cs-lg.html")) == {"Welcome to the lab"}
    assert "Hot Papers 2021-06-29" in (output / "tag" / "cs-lg-2.html").read_text("utf-8")
    shared = _titles_in(output / "tag" / "cscv.html")
    assert "Welcome to the lab" in shared and "Hot Papers 2021-06-29" in shared


def test_article_generator_context_is_sent_for_injected_articles(tmp_path: Path) -> None:
    seen: list[str] = []

    def receiver(sender: object, metadata: dict[str, Any]) -> None:
        seen.append(str(metadata.get("title")))
        if str(metadata.get("title", "")).startswith("Hot Papers"):
            metadata["category"] = metadata["category"].__class__("Research", sender.settings)

    signals.article_generator_context.connect(receiver)
    try:
        output = build(tmp_path)
    finally:
        signals.article_generator_context.disconnect(receiver)
    assert {f"Hot Papers {d}" for d in DAYS} <= set(seen)
    assert set(_titles_in(output / "category" / "research.html")) == {
        f"Hot Papers {d}" for d in DAYS
    }


@pytest.mark.parametrize(
    ("hotpapers", "message"),
    [
        ("data", "HOTPAPERS: must be a dict of options, got str"),
        ({"min_scor": 1}, "HOTPAPERS: unknown option 'min_scor'"),
        ({"min_score": "high"}, "HOTPAPERS: option 'min_score': must be a non-negative number"),
        ({"status": "secret"}, "HOTPAPERS: option 'status': must be one of published, hidden"),
        ({"data": "/nowhere/at/all"}, "HOTPAPERS: option 'data': directory /nowhere/at/all"),
        ({"slug": "../../x-{date}"}, "HOTPAPERS: option 'slug': must give 1 to 100 letters"),
        ({"title": "{date.__class__}"}, "HOTPAPERS: option 'title': only the placeholder {date}"),
        ({"slug": "y" * 300 + "{date}"}, "HOTPAPERS: option 'slug': must give 1 to 100 letters"),
        ({"category": "a\x00b"}, "HOTPAPERS: option 'category': must be a string without"),
    ],
)
def test_bad_setting_is_one_clear_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, hotpapers: Any, message: str
) -> None:
    with caplog.at_level(logging.WARNING):
        output = build(tmp_path, hotpapers=hotpapers)
    errors = [r for r in caplog.records if r.name.startswith("pelican_hotpapers")]
    assert len(errors) == 1 and errors[0].levelno == logging.ERROR
    assert message in errors[0].getMessage()
    assert errors[0].exc_info is None
    assert (output / "welcome-to-the-lab.html").is_file()


def test_bad_day_file_is_one_clear_error_and_others_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    bad = data / "2021-03-24.json"
    bad.write_text(bad.read_text("utf-8").replace('"likes": 370', '"likes": "many"'), "utf-8")
    with caplog.at_level(logging.WARNING):
        output = build(tmp_path)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [
        f"{bad}: paper 1 (2103.12352), field 'totals.likes': must be a "
        "non-negative integer, got str 'many' (day skipped)"
    ]
    assert not (output / "hot-papers-2021-03-24.html").exists()
    assert (output / "hot-papers-2021-06-29.html").is_file()


def _pelican_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "400"}  # no wrapped log lines
    return subprocess.run(
        [sys.executable, "-m", "pelican", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_fatal_errors_fails_the_build_without_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    (data / "2021-03-24.json").write_text("{", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "welcome.md").write_text(WELCOME.format(extra_tags=""), encoding="utf-8")
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        f'PATH = "content"\nPLUGINS = ["pelican_hotpapers"]\n'
        f'HOTPAPERS = {{"data": {str(data)!r}}}\nTIMEZONE = "UTC"\n'
        "FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n",
        "utf-8",
    )
    result = _pelican_cli(
        content, "-s", conf, "-o", tmp_path / "out", "--fatal", "errors", cwd=tmp_path
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "2021-03-24.json: invalid JSON" in output
    # Pelican reports its own fatal RuntimeError with a traceback; ours is never in it.
    assert "DataError" not in output and "During handling" not in output
    # Its traceback passes through the plugin's frame that logs, never the core's.
    assert "hotpapers/" not in re.sub(r"pelican_hotpapers/\w+\.py", "", output)


def test_a_site_that_does_not_use_hotpapers_is_left_alone(tmp_path: Path) -> None:
    # Installed, the plugin is discovered by every site whose PLUGINS is unset.
    content = tmp_path / "content"
    content.mkdir()
    (content / "welcome.md").write_text(WELCOME.format(extra_tags=""), encoding="utf-8")
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        'PATH = "content"\nTIMEZONE = "UTC"\n'
        "FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None\n"
        "AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n",
        "utf-8",
    )
    result = _pelican_cli(
        content, "-s", conf, "-o", tmp_path / "out", "--fatal", "warnings", cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HOTPAPERS" not in result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == [
        "archives.html",
        "authors.html",
        "categories.html",
        "index.html",
        "tags.html",
        "welcome-to-the-lab.html",
    ]


def test_example_site_builds_without_warnings(tmp_path: Path) -> None:
    example = ROOT / "example_site" / "pelican"
    result = _pelican_cli(
        example / "content", "-s", example / "pelicanconf.py", "-o", tmp_path / "out", cwd=ROOT
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "ERROR" not in output, output
    # A welcome article, 4 days, 2 weeks and 2 months (see WINDOWS).
    assert "Processed 9 articles" in " ".join(output.split())
    assert (tmp_path / "out" / "hot-papers-2021-06-29.html").is_file()


def test_category_index_and_attention_breakdown(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE_DATA, tmp_path / "data")
    write_attention_day(tmp_path / "data")
    output = build(tmp_path)
    page = soup(output / "hot-papers-2026-11-20.html")
    local = check_attention_day_page(page)
    assert local["href"] == "/pages/hot-papers-cs-lg-2026.html"  # the day's year
    category = soup(output / "pages" / "hot-papers-cs-lg-2026.html")
    links = [a for a in category.select("a") if "#paper-" in a.get("href", "")]
    assert links[0].get_text() == "A multi-source paper"  # newest day first
    assert links[0]["href"] == "/hot-papers-2026-11-20.html#paper-2611-00001"
    earlier = soup(output / "pages" / "hot-papers-cs-lg-2021.html").select("a")
    assert "Multimodal Few-Shot Learning with Frozen Language Models" in [
        a.get_text() for a in earlier if "#paper-" in a.get("href", "")
    ]
    overview = soup(output / "pages" / "hot-papers-categories.html")
    assert overview.find("a", string="stat.ML")["href"] == "/pages/hot-papers-stat-ml.html"
    assert overview.find("a", string="2026")["href"] == "/pages/hot-papers-cs-lg-2026.html"
    menu = soup(output / "index.html").select_one("nav")
    assert menu is not None
    assert menu.find("a", href="/pages/hot-papers-categories.html") is not None
    assert menu.find("a", href="/pages/hot-papers-cs-lg.html") is None  # hidden pages


def test_category_index_can_be_turned_off(tmp_path: Path) -> None:
    output = build(tmp_path, hotpapers={"data": str(tmp_path / "data"), "category_index": False})
    assert not (output / "pages").exists()
    page = soup(output / "hot-papers-2021-06-29.html")
    assert page.find("a", string="cs.CV")["href"] == "https://arxiv.org/list/cs.CV/recent"


# The windows with papers that are over by the newest day (2021-W26 and 2021-06 are not).
WINDOWS = ("2020-W27", "2021-W12", "2020-06", "2021-03")


def _entry_content(output: Path, day: str) -> str:
    entry = soup(output / f"hot-papers-{day.lower()}.html").select_one(".entry-content")
    assert entry is not None
    for footer in entry.select("footer"):  # date, category and tags: the body is compared
        footer.decompose()
    return re.sub(r">\s+<", "><", str(entry))


def test_day_articles_equal_the_same_pages_committed_as_markdown(tmp_path: Path) -> None:
    """The plugin hands Markdown placeholders for the HTML blocks (hotpapers.site.stash);
    the articles come out as the same pages written as Markdown files would."""
    from hotpapers.config import Options
    from hotpapers.site.plan import SitePlan, SourceLinks

    data = str(tmp_path / "plugin" / "data")
    shutil.copytree(EXAMPLE_DATA, data)
    with_plugin = build(tmp_path / "plugin", hotpapers={"data": data, "category_index": False})
    content = tmp_path / "plain" / "content"
    plan = SitePlan(EXAMPLE_DATA, Options(category_index=False), SourceLinks("{filename}/"))
    for planned in plan.days():
        page = planned.page
        header = f"Title: {page.title}\nDate: {page.date}\nSlug: {page.slug}\n\n"
        (content / planned.location).parent.mkdir(parents=True, exist_ok=True)
        (content / planned.location).write_text(header + page.body, encoding="utf-8")
    (tmp_path / "plain" / "no-days").mkdir()
    plain = build(tmp_path / "plain", hotpapers={"data": str(tmp_path / "plain" / "no-days")})
    for name in (*DAYS, *WINDOWS):
        assert _entry_content(with_plugin, name) == _entry_content(plain, name), name
    assert _entry_content(with_plugin, "2021-06-29").count('class="hotpapers-embed') == 22


def test_articles_stay_whole_when_an_extension_rewrites_paragraphs(tmp_path: Path) -> None:
    from .markdown_paragraph_class import ParagraphClassExtension

    markdown = {
        "extensions": [ParagraphClassExtension()],
        "extension_configs": {"markdown.extensions.extra": {}},
        "output_format": "html5",
    }
    output = build(tmp_path, MARKDOWN=markdown)
    page = (output / "hot-papers-2021-06-29.html").read_text(encoding="utf-8")
    assert '<p class="rewritten">' in page  # the extension ran
    assert not PLACEHOLDER.search(page)
    assert page.count('class="hotpapers-embed') == 22


def _output_files(output: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def _count_parsed_days(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The dates whose pages the plugin renders and converts (with the content cache on;
    every day file is still read: its papers feed the windows and later days' marks)."""
    import hotpapers.site.plan as site

    return record_calls(monkeypatch, site, "render_site_page", lambda day: day.date)


def test_content_cache_reuses_what_did_not_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "uncached").mkdir()
    uncached = _output_files(build(tmp_path / "uncached"))
    parsed = _count_parsed_days(monkeypatch)
    cache = tmp_path / "cache"
    entries = cache / "hotpapers" / "days"
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(cache)}
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    settings = {"data": str(data)}

    def build_cached(**options: Any) -> dict[str, bytes]:
        parsed.clear()
        return _output_files(build(tmp_path, hotpapers={**settings, **options}, **cached))

    assert build_cached() == uncached  # same data + same config: the same site
    assert sorted(parsed) == DAYS
    assert sorted(p.name for p in entries.iterdir()) == sorted(
        f"{name}.json" for name in (*DAYS, *WINDOWS)
    )
    lists = {p.name for p in (cache / "hotpapers" / "lists").iterdir()}
    assert "cs-lg-2021.json" in lists  # a category's page of a year, rendered once
    pages = cache / "hotpapers" / "pages"
    assert "hot-papers-categories.json" in {p.name for p in pages.iterdir()}
    for entry in pages.iterdir():  # a cached category page is what the next build shows
        entry.write_text(
            entry.read_text("utf-8").replace("Multimodal Few-Shot", "From the cache"), "utf-8"
        )
    second = build_cached()
    assert parsed == []  # every day came from the cache
    differ = {name for name in uncached if second[name] != uncached[name]}
    assert "pages/hot-papers-cs-lg-2021.html" in differ
    assert all(b"From the cache" in second[name] for name in differ)
    assert second.keys() == uncached.keys()
    shutil.rmtree(pages)

    day = json.loads((data / "2021-03-24.json").read_text(encoding="utf-8"))
    day["papers"][0]["title"] = "A title changed after the first build"
    (data / "2021-03-24.json").write_text(json.dumps(day), encoding="utf-8")
    changed = build_cached()
    assert parsed == ["2021-03-24"]
    assert b"A title changed after the first build" in changed["hot-papers-2021-03-24.html"]

    build_cached(max_papers=3)  # other options: every page again
    assert sorted(parsed) == DAYS
    (entries / "2020-06-29.json").write_text("{", encoding="utf-8")  # a damaged entry
    build_cached(max_papers=3)
    assert parsed == ["2020-06-29"]

    (data / "2020-12-07.json").unlink()  # a deleted day leaves no entry behind
    build_cached(max_papers=3)
    assert parsed == [] and not (entries / "2020-12-07.json").exists()

    cached["LOAD_CONTENT_CACHE"] = False  # Pelican's switch to rebuild from scratch
    build_cached(max_papers=3)
    assert sorted(parsed) == ["2020-06-29", "2021-03-24", "2021-06-29"]


def test_no_page_cache_without_content_caching(tmp_path: Path) -> None:
    build(tmp_path, CACHE_PATH=str(tmp_path / "cache"))
    assert not (tmp_path / "cache" / "hotpapers").exists()


def test_content_cache_hits_with_extension_objects_in_markdown_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from markdown.extensions.toc import TocExtension

    parsed = _count_parsed_days(monkeypatch)
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    settings = {
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
        "HOTPAPERS": {"data": str(data), "category_index": False},
    }
    for expected in (DAYS, []):
        parsed.clear()
        markdown = {
            "extensions": [TocExtension(permalink=True)],  # a new object each build
            "extension_configs": {"markdown.extensions.extra": {}},
            "output_format": "html5",
        }
        build(tmp_path, MARKDOWN=markdown, **settings)
        assert sorted(parsed) == expected
    # Without a category index, no page entries are left behind.
    assert not list((tmp_path / "cache" / "hotpapers" / "pages").glob("*.json"))


def test_category_pages_link_back_to_the_overview(tmp_path: Path) -> None:
    output = build(tmp_path)
    page = soup(output / "pages" / "hot-papers-cs-lg-2021.html")
    back = page.find("a", string="All categories")
    assert back is not None
    assert back["href"].endswith("pages/hot-papers-categories.html")
    years = page.find("a", string="All years")
    assert years is not None and years["href"].endswith("pages/hot-papers-cs-lg.html")
    assert [h.get_text() for h in page("h2")][:1] == ["2021-06-29"]


def test_posts_by_the_papers_authors_are_marked(tmp_path: Path) -> None:
    output = build(tmp_path)
    entry = _entry_content(output, "2021-06-29")
    mark = "<p><em>By an author of the paper:</em></p>"
    assert entry.count(mark) == 8  # the authors' own posts shown that day
    after = entry.split(mark)[1]
    assert after.startswith('<div class="hotpapers-embed')
    assert "(@ORonneberger)" in after.split("</blockquote>")[0]
