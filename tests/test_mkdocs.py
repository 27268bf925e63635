"""Real `mkdocs build --strict` runs in temporary directories, asserting on the HTML."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("material")
from bs4 import BeautifulSoup

from .helpers import ROOT, run_cli
from .safety import PLACEHOLDER
from .sites import DAYS, EXAMPLE_DATA, check_attention_day_page, run_mkdocs, write_attention_day
from .sites import MKDOCS_ENV as ENV
from .sites import build_mkdocs as build
from .sites import make_mkdocs_site as make_site

pytestmark = pytest.mark.mkdocs


def _page(directory_urls: bool, path: str) -> str:
    return f"{path}/index.html" if directory_urls else f"{path}.html"


def _titles(soup: BeautifulSoup) -> list[str]:
    return [
        h.get_text().strip() for h in soup.select("article h2") if re.match(r"\d+\. ", h.get_text())
    ]


def _expected_titles(day: str) -> list[str]:
    import json

    papers = json.loads((EXAMPLE_DATA / f"{day}.json").read_text(encoding="utf-8"))["papers"]
    return [f"{i}. {' '.join(p['title'].split())}" for i, p in enumerate(papers, start=1)]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_material_blog_and_tags(tmp_path: Path, directory_urls: bool) -> None:
    make_site(tmp_path, directory_urls=directory_urls, plugin="category_tags: true")
    built = build(tmp_path)
    assert built.code == 0, built.log
    assert built.warnings() == []
    posts = {
        "2020-06-29": "blog/2020/06/30/hot-papers-2020-06-29",
        "2020-12-07": "blog/2020/12/08/hot-papers-2020-12-07",
        "2021-03-24": "blog/2021/03/25/hot-papers-2021-03-24",
        "2021-06-29": "blog/2021/06/30/hot-papers-2021-06-29",
    }
    for day, path in posts.items():
        soup = built.html(_page(directory_urls, path))
        assert soup.title and f"Hot Papers {day}" in soup.title.get_text()
        assert _titles(soup) == _expected_titles(day)
    page = built.html(_page(directory_urls, posts["2021-06-29"]))
    article = page.select_one("article")
    assert article is not None
    assert len(article.select("blockquote.twitter-tweet")) == 22
    assert article.select_one('a[href="https://arxiv.org/abs/2106.14108"]')
    assert len(page.select('script[src="https://platform.twitter.com/widgets.js"]')) == 1
    # With the blog, days are posts: only the category index lives under hot-papers/.
    assert [p.name for p in (tmp_path / "site" / "hot-papers").iterdir()] == ["categories"]

    def links(path: str) -> str:
        return str(built.html(path))

    blog_index = links("blog/index.html")
    archive = links(_page(directory_urls, "blog/archive/2021"))
    category = links(_page(directory_urls, "blog/category/arxiv"))
    tags = links(_page(directory_urls, "tags"))
    for day in ("2021-03-24", "2021-06-29"):
        assert f"hot-papers-{day}" in blog_index
        assert f"hot-papers-{day}" in archive
        assert f"hot-papers-{day}" in category
        assert f"Hot Papers {day}" in tags
    assert "hot-papers-2020-06-29" in links(_page(directory_urls, "blog/archive/2020"))
    assert "Hello from the lab" in blog_index  # the hand-written post keeps its place
    tags_soup = built.html(_page(directory_urls, "tags"))
    assert tags_soup.find(id="tag:cs.ce") or "cs.CE" in tags_soup.get_text()


@pytest.mark.parametrize(
    ("theme", "directory_urls"), [("material", True), ("mkdocs", True), ("mkdocs", False)]
)
def test_without_blog_a_nav_section(tmp_path: Path, theme: str, directory_urls: bool) -> None:
    make_site(tmp_path, theme=theme, blog=False, tags=False, directory_urls=directory_urls)
    built = build(tmp_path)
    assert built.code == 0, built.log
    assert built.warnings() == []
    index = built.html("hot-papers/index.html")
    day_links = [
        a["href"]
        for a in index.select("article a, div[role=main] a, .md-content a")
        if "Hot Papers 20" in a.get_text()
    ]
    expected_order = sorted(DAYS, reverse=True)
    assert [re.search(r"\d{4}-\d{2}-\d{2}", h)[0] for h in day_links] == expected_order
    for day in DAYS:
        soup = built.html(_page(directory_urls, f"hot-papers/{day}"))
        assert [t.removeprefix("¶").strip() for t in _all_h2(soup)] == _expected_titles(day)
    home = built.html("index.html")
    nav_text = home.get_text()
    assert "Hot Papers" in nav_text
    nav_days = re.findall(r"Hot Papers (\d{4}-\d{2}-\d{2})", str(home))
    assert nav_days[: len(DAYS)] == expected_order


def _all_h2(soup: BeautifulSoup) -> list[str]:
    return [
        h.get_text().replace("¶", "").strip()
        for h in soup.find_all("h2")
        if re.match(r"\d+\. ", h.get_text())
    ]


def test_explicit_nav_gets_the_section(tmp_path: Path) -> None:
    make_site(tmp_path, theme="mkdocs", blog=False, tags=False, nav=True)
    built = build(tmp_path)
    assert built.code == 0, built.log
    home = str(built.html("index.html"))
    assert "hot-papers/2021-06-29/" in home and "hot-papers/" in home


def _tree(directory: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(directory)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(directory.rglob("*"))
    }


def test_build_writes_nothing_into_docs_dir(tmp_path: Path) -> None:
    docs = make_site(tmp_path)
    before = _tree(docs)
    built = build(tmp_path)
    assert built.code == 0, built.log
    assert _tree(docs) == before


def test_serve_rebuilds_on_data_change_and_writes_nothing_into_docs(tmp_path: Path) -> None:
    docs = make_site(tmp_path)
    before = _tree(docs)
    log_path = tmp_path / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(tmp_path / "mkdocs.yml")]
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{_free_port()}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
    try:
        _wait_for(log_path, "Serving on", 60)
        match = re.search(r"Serving on (http://127\.0\.0\.1:\d+/)", log_path.read_text())
        assert match, log_path.read_text()
        page = match[1] + "blog/2021/06/30/hot-papers-2021-06-29/"
        gone = match[1] + "blog/2021/03/25/hot-papers-2021-03-24/"
        assert _status(gone) == 200
        day_file = tmp_path / "data" / "2021-06-29.json"
        day_file.write_text(
            day_file.read_text(encoding="utf-8").replace(
                "Inferring a Continuous", "Edited: Inferring a Continuous"
            ),
            encoding="utf-8",
        )
        (tmp_path / "data" / "2021-03-24.json").unlink()
        _wait_for(log_path, "Reloading browsers", 60, after="Detected file changes")
        time.sleep(3)  # a rebuild loop would show up as more rebuilds
        with urllib.request.urlopen(page, timeout=10) as response:
            html = response.read().decode("utf-8")
        assert "Edited: Inferring a Continuous" in html
        assert _status(gone) == 404  # no state carried over from the first build
        # wsgiref logs a request after answering it: wait for the line before stopping.
        _wait_for(log_path, "code 404", 10)
    finally:
        server.terminate()
        server.wait(30)
    text = log_path.read_text()
    assert text.count("Detected file changes") == 1, text
    warnings = [line for line in text.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and 'hot-papers-2021-03-24/ HTTP/1.1" code 404' in warnings[0]
    assert _tree(docs) == before
    assert not re.findall(r"mkdocs-hotpapers-\w+", text)  # the temporary directory stays private


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_for(path: Path, marker: str, seconds: float, after: str | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = path.read_text()
        if after is not None:
            text = text.partition(after)[2]
        if marker in text:
            return
        time.sleep(0.2)
    raise AssertionError(f"{marker!r} not seen in time:\n{path.read_text()}")


def test_bad_day_file_fails_strict_build_with_a_clear_error(tmp_path: Path) -> None:
    make_site(tmp_path)
    bad = tmp_path / "data" / "2021-03-24.json"
    bad.write_text(
        bad.read_text(encoding="utf-8").replace('"reposts": 6090', '"reposts": -1'),
        encoding="utf-8",
    )
    built = build(tmp_path)
    assert built.code == 1
    assert "Traceback" not in built.log
    assert f"hotpapers: {bad}: paper 1 (2103.12352), field 'totals.reposts'" in built.log


def test_bad_day_file_is_skipped_with_one_warning_without_strict(tmp_path: Path) -> None:
    make_site(tmp_path)
    bad = tmp_path / "data" / "2021-03-24.json"
    bad.write_text("{", encoding="utf-8")
    completed = run_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site", strict=False)
    assert completed.returncode == 0
    warnings = [line for line in completed.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1
    assert f"{bad}: invalid JSON" in warnings[0] and "day skipped" in warnings[0]
    assert (tmp_path / "site" / "blog/2021/06/30/hot-papers-2021-06-29/index.html").is_file()
    assert not (tmp_path / "site" / "blog/2021/03/25/hot-papers-2021-03-24").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("min_score: lots", "plugins.hotpapers"),
        ("embeds: iframe", "option 'embeds': must be one of script, static, none"),
        ("data: nowhere", "data directory"),
        ("pages_dir: ../..", "option 'pages_dir': must be a relative folder of plain names"),
        ("pages_dir: a/../../b", "option 'pages_dir': must be a relative folder"),
        ("slug: ../../x-{date}", "option 'slug': must give 1 to 100 letters, digits"),
        ('title: "{date.foo}"', "option 'title': only the placeholder {date} is allowed"),
        ("slug: " + "x" * 300 + "-{date}", "option 'slug': must give 1 to 100 letters"),
    ],
)
def test_bad_options_are_one_clear_error(tmp_path: Path, option: str, message: str) -> None:
    make_site(tmp_path, plugin=option)
    before = sorted(tmp_path.parent.iterdir())
    built = build(tmp_path)
    assert built.code == 1
    assert message in built.log
    assert "Traceback" not in built.log
    assert [line for line in built.log.splitlines() if message in line] == [
        next(line for line in built.log.splitlines() if message in line)
    ]
    assert sorted(tmp_path.parent.iterdir()) == before  # nothing written outside the site


def test_day_selection_and_disabling(tmp_path: Path) -> None:
    make_site(tmp_path, plugin="last_days: 100")
    built = build(tmp_path)
    assert built.code == 0, built.log
    posts = sorted(p.parent.name for p in (tmp_path / "site" / "blog").glob("20*/*/*/*/index.html"))
    assert posts == [
        "hello-from-the-lab",
        *("hot-papers-2021-03", "hot-papers-2021-03-24", "hot-papers-2021-06-29"),
        "hot-papers-2021-w12",
    ]
    shutil.rmtree(tmp_path / "site")
    (tmp_path / "mkdocs.yml").write_text(
        (tmp_path / "mkdocs.yml").read_text().replace("last_days: 100", "enabled: false")
    )
    built = build(tmp_path)
    assert built.code == 0, built.log
    assert not list((tmp_path / "site" / "blog").glob("20*/*/*/hot-papers-*"))


def _article(built: Any, day: str) -> str:
    """A day post's article, whitespace between tags collapsed."""
    return _post(built.site / "blog" / _post_path(day) / "index.html")


def _post(path: Path) -> str:
    """A post's article, whitespace between tags collapsed."""
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one("article")
    assert article is not None
    return re.sub(r">\s+<", "><", str(article))


def _post_path(day: str) -> str:
    collected = {"2020-06-29": "2020/06/30", "2020-12-07": "2020/12/08"}
    collected |= {"2021-03-24": "2021/03/25", "2021-06-29": "2021/06/30"}
    return f"{collected[day]}/hot-papers-{day}"


def test_day_posts_equal_the_same_pages_committed_as_markdown(tmp_path: Path) -> None:
    """The plugin hands Markdown placeholders for the HTML blocks (hotpapers.site.stash);
    the posts come out as the pages `hotpapers render` writes would."""
    make_site(tmp_path / "plugin", plugin="category_index: false")
    docs = make_site(tmp_path / "plain", plugin="enabled: false")
    # The windows with papers that are over by the newest day (2021-W26 and 2021-06 are not).
    for name in (*DAYS, "2020-W27", "2021-W12", "2020-06", "2021-03"):
        which = [name] if name in DAYS else ["--window", name]
        rendered = run_cli("render", *which, "--data", EXAMPLE_DATA)
        assert rendered.code == 0, rendered.stderr
        (docs / "blog" / "posts" / f"hot-papers-{name.lower()}.md").write_text(
            rendered.stdout, "utf-8"
        )
    with_plugin, plain = build(tmp_path / "plugin"), build(tmp_path / "plain")
    assert with_plugin.code == 0 and plain.code == 0, with_plugin.log + plain.log
    posts = sorted(p.relative_to(plain.site) for p in plain.site.glob("blog/20*/*/*/*/index.html"))
    assert len(posts) == 1 + 8
    assert posts == sorted(
        p.relative_to(with_plugin.site) for p in with_plugin.site.glob("blog/20*/*/*/*/index.html")
    )
    for post in posts:
        assert _post(with_plugin.site / post) == _post(plain.site / post), post
    assert _article(with_plugin, "2021-06-29").count('class="hotpapers-embed') == 22


def test_pages_stay_whole_when_an_extension_rewrites_paragraphs(tmp_path: Path) -> None:
    make_site(tmp_path, extra="markdown_extensions:\n  - tests.markdown_paragraph_class")
    built = build(tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert built.code == 0, built.log
    page = (built.site / "blog" / _post_path("2021-06-29") / "index.html").read_text("utf-8")
    assert '<p class="rewritten">' in page  # the extension ran
    assert not PLACEHOLDER.search(page)
    assert page.count('class="hotpapers-embed') == 22
    assert page.count("platform.twitter.com/widgets.js") == 1


def test_blog_excerpts_end_at_the_blogs_own_separator(tmp_path: Path) -> None:
    make_site(tmp_path)
    config = tmp_path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    separator = "  - blog:\n      post_excerpt_separator: <!-- excerpt -->\n"
    config.write_text(text.replace("  - blog\n", separator), encoding="utf-8")
    built = build(tmp_path)
    assert built.code == 0, built.log
    index = (built.site / "blog" / "index.html").read_text(encoding="utf-8")
    assert "20 arXiv papers with the most attention on 2021-06-29" in index
    assert "hotpapersblock" not in index and "hotpapers-embed" not in index
    assert "Object-Centric Learning with Slot Attention</h2>" not in index  # excerpt only
    post = (built.site / "blog" / _post_path("2021-06-29") / "index.html").read_text("utf-8")
    assert post.count('class="hotpapers-embed') == 22


def _full_content_feed(match_path: str) -> str:
    """mkdocs-rss-plugin's configuration for feeds with every post's whole content."""
    return (
        f"  - rss:\n      match_path: '{match_path}'\n      use_git: false\n"
        "      abstract_chars_count: -1\n"
        "      date_from_meta:\n        as_creation: date\n        as_update: date\n"
    )


def _add_plugins(root: Path, plugins: str) -> None:
    """Plugins (YAML list items) before hotpapers in the site's mkdocs.yml."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  - hotpapers", plugins + "  - hotpapers"))


def test_full_content_feeds_carry_the_posts(tmp_path: Path) -> None:
    """mkdocs-rss-plugin reads page.content (not the HTML it is handed) for full content."""
    make_site(tmp_path)
    _add_plugins(tmp_path, _full_content_feed("blog/posts/.*"))
    built = build(tmp_path)
    assert built.code == 0, built.log
    feed = (built.site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert "hotpapersblock" not in feed
    assert feed.count("hotpapers-embed") >= 22


def test_a_changed_post_alone_marks_its_page_changed_for_dirty_rebuilds(tmp_path: Path) -> None:
    """`mkdocs serve --dirty` rebuilds pages by their file's time; a post lives beside it."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    make_site(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["hotpapers"]
    config.plugins._current_plugin = "hotpapers"
    plugin.on_startup(command="serve", dirty=True)
    try:

        def page_file() -> Path:
            plugin.on_config(config)
            files = plugin.on_files(Files([]), config=config)
            uri = "blog/posts/hot-papers-2021-06-29.md"
            return Path(files.get_file_from_path(uri).abs_src_path)

        path = page_file()
        before, text = path.stat().st_mtime_ns, path.read_text(encoding="utf-8")
        assert page_file().stat().st_mtime_ns == before  # nothing changed: untouched
        day_file = tmp_path / "data" / "2021-06-29.json"
        day = day_file.read_text(encoding="utf-8")
        changed = day.replace("Proteins are not static", "Proteins move", 1)
        day_file.write_text(changed, encoding="utf-8")
        time.sleep(0.01)
        path = page_file()
        assert path.read_text(encoding="utf-8") == text  # only a post's HTML changed
        assert path.stat().st_mtime_ns > before
    finally:
        plugin.on_shutdown()


def test_example_site_builds_strict_without_warnings(tmp_path: Path) -> None:
    completed = run_mkdocs(ROOT / "example_site" / "mkdocs" / "mkdocs.yml", tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert "WARNING" not in completed.stderr
    assert (tmp_path / "site" / "blog/2021/06/30/hot-papers-2021-06-29/index.html").is_file()


@pytest.mark.parametrize("blog", [True, False])
def test_category_index_and_attention_breakdown(tmp_path: Path, blog: bool) -> None:
    make_site(tmp_path, blog=blog, tags=blog)
    write_attention_day(tmp_path / "data")
    built = build(tmp_path)
    assert built.code == 0, built.log
    assert built.warnings() == []
    day = "blog/2026/11/21/hot-papers-2026-11-20" if blog else "hot-papers/2026-11-20"
    page = built.html(f"{day}/index.html")
    local = check_attention_day_page(page)
    assert local["href"].endswith("categories/cs-lg-2026/")  # the day's year
    category = built.html("hot-papers/categories/cs-lg-2026/index.html")
    links = [a for a in category.select("a") if "#paper-" in a.get("href", "")]
    texts = [a.get_text() for a in links]
    assert texts[0] == "A multi-source paper"  # newest day first
    assert links[0]["href"].endswith(f"{day.split('/')[-1]}/#paper-2611-00001")
    earlier = built.html("hot-papers/categories/cs-lg-2021/index.html")
    texts = [a.get_text() for a in earlier.select("a") if "#paper-" in a.get("href", "")]
    assert "Multimodal Few-Shot Learning with Frozen Language Models" in texts  # 2021-06-29
    overview = built.html("hot-papers/categories/index.html")
    assert overview.find("a", string="stat.ML") is not None
    if not blog:
        home = str(built.html("index.html"))
        assert "hot-papers/categories/" in home  # the overview is in the section
        assert "hot-papers/categories/cs-lg/" not in home  # single categories are not


def test_a_blog_at_the_docs_root_gets_whole_posts(tmp_path: Path) -> None:
    """The PyPI blog's set-up: `blog_dir: .`, posts/{file} URLs, required excerpts, full feeds."""
    docs = make_site(tmp_path, blog=False, tags=False)
    (docs / "posts").mkdir()
    (docs / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "posts" / "hello.md").write_text(
        "---\ndate: 2021-03-01\n---\n\n# Hello\n\nHand-written.\n\n<!-- more -->\n\nMore.\n",
        encoding="utf-8",
    )
    blog = (
        "  - blog:\n      blog_dir: .\n      post_url_format: 'posts/{file}'\n"
        "      post_excerpt: required\n"
    )
    _add_plugins(tmp_path, blog + _full_content_feed("posts/.*"))
    built = build(tmp_path)
    assert built.code == 0, built.log
    post = built.site / "posts" / "hot-papers-2021-06-29" / "index.html"
    assert post.read_text("utf-8").count('class="hotpapers-embed') == 22
    for path in built.site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            assert "hotpapersblock" not in path.read_text("utf-8", errors="replace"), path
    feed = (built.site / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert feed.count("hotpapers-embed") >= 22


def test_a_placeholder_left_in_any_output_file_fails_the_build(tmp_path: Path) -> None:
    make_site(tmp_path)
    hook = tmp_path / "leak.py"
    hook.write_text(
        "from pathlib import Path\n\nfrom hotpapers.site import stash\n\n\n"
        "def on_post_build(config):\n"
        "    feed = Path(config.site_dir) / 'feed.xml'\n"
        "    leaked = stash.placeholder(3).replace('&', '&amp;')\n"
        "    feed.write_text(f'<rss><item>{leaked}</item></rss>')\n",
        encoding="utf-8",
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "hooks:\n  - leak.py\n", encoding="utf-8")
    completed = run_mkdocs(config, tmp_path / "site", strict=False)
    assert completed.returncode == 1
    log = completed.stdout + completed.stderr
    assert "hotpapers: embedded posts were not put back into feed.xml" in log
    assert "Traceback" not in log


def test_a_blog_that_allows_only_some_categories_is_told_up_front(tmp_path: Path) -> None:
    make_site(tmp_path)
    config = tmp_path / "mkdocs.yml"
    allowed = "  - blog:\n      categories_allowed: [News, Research]\n"
    config.write_text(config.read_text("utf-8").replace("  - blog\n", allowed), encoding="utf-8")
    built = build(tmp_path)
    assert built.code == 1
    lines = [line for line in built.log.splitlines() if "categories_allowed" in line]
    assert lines == [
        "ERROR   -  hotpapers: the blog's categories_allowed (News, Research) does not hold "
        "hotpapers' 'arXiv', 'Weekly', 'Monthly': add them there, or change hotpapers' options "
        "'category' and 'windows'"
    ]
    assert "mkdocs-hotpapers-" not in built.log  # no private temporary path
    text = config.read_text("utf-8").replace(
        "  - hotpapers: {}", "  - hotpapers: {category: News, windows: [week]}"
    )
    config.write_text(text.replace("[News, Research]", "[News, Weekly]"), encoding="utf-8")
    rebuilt = build(tmp_path)
    assert rebuilt.code == 0, rebuilt.log
    assert (rebuilt.site / "blog/category/weekly/index.html").is_file()


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs", "material"])
def test_every_generated_page_has_one_title_heading(tmp_path: Path, theme: str) -> None:
    # MkDocs' own themes print no title of their own; Material prints one unless the page has.
    make_site(tmp_path, theme=theme, blog=False, tags=False)
    built = build(tmp_path)
    assert built.code == 0, built.log
    pages = {
        "hot-papers/2021-06-29/index.html": "Hot Papers 2021-06-29",
        "hot-papers/index.html": "Hot Papers",
        "hot-papers/categories/index.html": "Hot Papers by category",
        "hot-papers/categories/cs-lg/index.html": "Hot papers in cs.LG",
        "hot-papers/categories/cs-lg-2021/index.html": "Hot papers in cs.LG, 2021",
    }
    for path, title in pages.items():
        headings = [" ".join(h.get_text().replace("¶", "").split()) for h in built.html(path)("h1")]
        assert headings == [title], (path, headings)
    category = built.html("hot-papers/categories/cs-lg-2021/index.html")
    dates = [h.get_text().replace("¶", "").strip() for h in category("h2")]
    assert dates[:2] == ["2021-06-29", "2021-03-24"]  # the contents box has entries
    back = category.find("a", string="All categories")
    assert back is not None and back["href"] in ("../", "../index.html")
    years = category.find("a", string="All years")
    assert years is not None and years["href"] in ("../cs-lg/", "../cs-lg/index.html")


def test_category_pages_of_a_blog_link_back_to_the_overview(tmp_path: Path) -> None:
    make_site(tmp_path)
    built = build(tmp_path)
    assert built.code == 0, built.log
    for page in (built.html(f"hot-papers/categories/cs-lg{y}/index.html") for y in ("", "-2021")):
        back = page.find("a", string="All categories")
        assert back is not None and back["href"] == "../"
    assert built.html("hot-papers/categories/index.html").find("a", string="cs.LG") is not None


def test_without_a_blog_the_navigation_lists_only_the_newest_days(tmp_path: Path) -> None:
    make_site(tmp_path, theme="mkdocs", blog=False, tags=False, nav=True, plugin="nav_days: 2")
    completed = run_mkdocs(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert 'not included in the "nav"' not in completed.stderr
    home = BeautifulSoup((tmp_path / "site" / "index.html").read_text("utf-8"), "html.parser")
    nav_days = {
        a.get_text().strip() for a in home.select(".navbar a") if "Hot Papers 20" in a.get_text()
    }
    assert nav_days == {"Hot Papers 2021-06-29", "Hot Papers 2021-03-24"}
    index = BeautifulSoup(
        (tmp_path / "site" / "hot-papers" / "index.html").read_text("utf-8"), "html.parser"
    )
    assert [h.get_text().replace("¶", "").strip() for h in index("h2")] == [
        "2021-06",
        "2021-03",
        "2020-12",
        "2020-06",
    ]
    assert (tmp_path / "site" / "hot-papers" / "2020-06-29" / "index.html").is_file()
    assert index.find("a", string="Hot Papers 2020-06-29") is not None


def test_a_nav_that_names_the_index_gets_the_section_there(tmp_path: Path) -> None:
    make_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    config = tmp_path / "mkdocs.yml"
    nav = "nav:\n  - Home: index.md\n  - Research:\n      - hot-papers/index.md\n"
    config.write_text(config.read_text("utf-8") + nav, encoding="utf-8")
    built = build(tmp_path)
    assert built.code == 0, built.log
    home = built.html("index.html")
    research = next(li for li in home.select(".navbar li.dropdown") if "Research" in li.text)
    assert "Hot Papers 2021-06-29" in research.get_text()


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_contents_and_search_show_paper_titles_as_text(tmp_path: Path, theme: str) -> None:
    make_site(tmp_path, theme=theme, blog=False, tags=False)
    day = json.loads((tmp_path / "data" / "2021-06-29.json").read_text("utf-8"))
    day["papers"][0]["title"] = "S$^2$-MLPv2: Won't <Stop>"
    (tmp_path / "data" / "2021-06-29.json").write_text(json.dumps(day), encoding="utf-8")
    built = build(tmp_path)
    assert built.code == 0, built.log
    page = built.html("hot-papers/2021-06-29/index.html")
    heading = page.find(id="paper-2106-14108").parent
    link = f'a[href="#{heading["id"]}"]'
    entry = page.select_one(f".md-nav--secondary {link}, .bs-sidebar {link}")
    assert entry is not None
    assert " ".join(entry.get_text().split()) == "1. S^2-MLPv2: Won't <Stop>"
    if theme == "mkdocs":  # MkDocs' search takes the contents' entries (Material's, the HTML)
        index = json.loads((built.site / "search" / "search_index.json").read_text("utf-8"))
        titles = [
            d["title"]
            for d in index["docs"]
            if d["location"] == f"hot-papers/2021-06-29/#{heading['id']}"
        ]
        assert titles == ["1. S^2-MLPv2: Won't &lt;Stop&gt;"]
    # The heading itself keeps its math for MathJax.
    assert heading.select_one("span.arithmatex").get_text() == r"\(^2\)"


def test_properdocs_builds_a_site_with_the_plugin_through_its_own_entry_point(
    tmp_path: Path,
) -> None:
    """ProperDocs, MkDocs' maintained fork, finds the plugin in `properdocs.plugins`."""
    # Not skipped when missing: .ci/run installs ProperDocs beside MkDocs.
    make_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    (tmp_path / "mkdocs.yml").rename(tmp_path / "properdocs.yml")
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "properdocs", "build", "--strict"),
            *("-f", "properdocs.yml", "-d", str(tmp_path / "site")),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    page = BeautifulSoup(
        (tmp_path / "site" / "hot-papers" / "2021-06-29" / "index.html").read_text("utf-8"),
        "html.parser",
    )
    assert len([h for h in page("h2") if re.match(r"\d+\. ", h.get_text())]) == 20
    assert len(page.select("div.hotpapers-embed")) == 22
    assert not PLACEHOLDER.search(str(page))


def test_posts_by_the_papers_authors_are_marked(tmp_path: Path) -> None:
    make_site(tmp_path)
    built = build(tmp_path)
    assert built.code == 0, built.log
    article = _article(built, "2021-06-29")
    mark = "<p><em>By an author of the paper:</em></p>"
    assert article.count(mark) == 8  # the authors' own posts shown that day
    after = article.split(mark)[1]
    assert after.startswith('<div class="hotpapers-embed')
    assert "(@ORonneberger)" in after.split("</blockquote>")[0]  # Olaf Ronneberger's post
