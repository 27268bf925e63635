"""Property tests: a day file `check` accepts builds in every host; one it rejects is
named and skipped. Hypothesis makes the day files (strings, numbers, categories,
posts, file names), derandomised and bounded so CI runs the same examples each time.
"""

from __future__ import annotations

import json
import os
import re
import string
from datetime import date as Date
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotpapers.config import Options
from hotpapers.errors import DataError
from hotpapers.site import stash
from hotpapers.site.pages import (
    category_index,
    render_category_overview,
    render_category_page,
    render_day,
    render_site_page,
    site_page_file,
)
from hotpapers.store import day_files, decode_day, stray_files

from .sites import make_mkdocs_site, run_mkdocs

# Always the same examples: CI must not turn red on a new random draw. Set
# HOTPAPERS_EXPLORE=1 locally to search with fresh random examples instead.
EXPLORE = bool(os.environ.get("HOTPAPERS_EXPLORE"))


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples * (10 if EXPLORE else 1),
        derandomize=not EXPLORE,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


ATTACKS = [
    r"$\href{javascript:alert(1)}{x}$",
    r"$\style{position:fixed}{x}$ \(\class{md-button}{y}\)",
    r"$\alpha^2$ and $$\sum_i x_i$$",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "&hotpapersblock0;",
    "<p>&hotpapersblock1;</p>",
    "{filename}/x.md |index| {index}",
    "<!-- more -->",
    "---",
    "# heading",
    "$5 and $10",
    "\\",
    "\u2028\u2029\ufeff\u200b",
]
# Text a day file may hold (no control characters, no lone surrogates), and a little of
# what it may not: most generated days are accepted, some are rejected.
CONTROLS = "".join(map(chr, [*range(9), 11, 12, *range(14, 32), 127]))
good_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters=CONTROLS), max_size=60),
    st.sampled_from(ATTACKS),
)
text = good_text
REAL_CATEGORIES = ["cs.LG", "cs.CV", "stat.ML", "math-ph", "hep-th", "physics.optics"]
TWINS = ["cs.lg", "cs.L-G", "cs-l.G", "index", "categories", "math.PH", "CS.LG", "cs.LG "]
category = st.one_of(st.sampled_from(REAL_CATEGORIES), st.sampled_from(TWINS), good_text)
good_count = st.integers(min_value=0, max_value=10**15)
count = good_count
post_html = st.one_of(
    st.none(),
    good_text,
    good_text.map(lambda t: f'<blockquote class="twitter-tweet md-button"><p>{t}</p></blockquote>'),
    good_text.map(
        lambda t: (
            f'<blockquote class="bluesky-embed" data-bluesky-uri="{t}"><p>{t}</p>'
            f'<a href="{t}">x</a></blockquote>'
        )
    ),
)
mention = st.fixed_dictionaries(
    {
        "source": st.one_of(
            st.sampled_from(["x", "bluesky", "hackernews", "huggingface", "reddit"]), good_text
        ),
        "id": text,
        "url": st.one_of(st.sampled_from(["https://x.com/a/status/1", "javascript:x"]), text),
        "reposts": st.one_of(st.none(), count),
        "likes": st.one_of(st.none(), count),
    },
    optional={
        "author": st.one_of(st.none(), text),
        "handle": st.one_of(st.none(), text),
        # Mostly the stored forms (a UTC time, a date), sometimes anything: check rejects it.
        "created_at": st.one_of(
            st.none(),
            st.sampled_from(["2021-06-29T22:58:21Z", "2021-06-29", "0999-12-31T23:59:59Z"]),
            text,
        ),
        "account": st.one_of(st.none(), text),
        "quotes": st.one_of(st.none(), count),
        "text": st.one_of(st.none(), text),
        "embed_html": post_html,
        "later": st.recursive(st.none(), lambda inner: st.lists(inner, max_size=2), max_leaves=6),
    },
)
paper = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"\A2[0-9]{3}\.[0-9]{5}\Z"),
        "title": text,
        "authors": st.lists(text, max_size=3),
        "abstract": text,
        "categories": st.lists(category, max_size=4),
        "counted_at": st.just("2021-06-30T13:48:45Z"),
        "totals": st.fixed_dictionaries({"reposts": count, "likes": count}),
        "mentions": st.lists(mention, max_size=3),
    },
    optional={
        "pdf": st.booleans(),
        "sources": st.dictionaries(
            st.sampled_from(["x", "bluesky", "hackernews", "reddit", "weird source"]),
            st.fixed_dictionaries(
                {"reposts": st.one_of(st.none(), count), "likes": st.one_of(st.none(), count)},
                optional={"quotes": st.one_of(st.none(), count)},
            ),
            max_size=2,
        ),
    },
)
# What `check` must reject, applied to one paper of some days.
CORRUPTIONS = [
    lambda p: p["totals"].update(reposts=10**400),
    lambda p: p["totals"].update(likes=-1),
    lambda p: p["totals"].update(likes=1.5),
    lambda p: p.update(title=None),
    lambda p: p.update(abstract="a\x00b"),
    lambda p: p.update(counted_at="2021-02-30T00:00:00Z"),
    lambda p: p.update(categories="cs.LG"),
    lambda p: p.update(later=json.loads("[" * 40 + "]" * 40)),
    lambda p: p.update(mentions=[{"source": "x"}]),
]


def _corrupt(papers: list[dict[str, Any]], corruption: Any) -> list[dict[str, Any]]:
    if papers and corruption is not None:
        corruption(papers[0])
    return papers


papers_of_a_day = st.builds(
    _corrupt,
    st.lists(paper, max_size=4, unique_by=lambda p: p["id"]),
    st.one_of(st.none(), st.none(), st.sampled_from(CORRUPTIONS)),
)


def day_content(date: str, papers: list[dict[str, Any]]) -> bytes:
    day = {
        "schema": "hotpapers/1",
        "date": date,
        "collected_at": "2021-06-30T13:48:45Z",
        "papers": papers,
    }
    return json.dumps(day, ensure_ascii=False).encode("utf-8", "surrogatepass")


OPTIONS = [
    Options(min_score=0, embed_min_score=0, category_tags=True),
    Options(min_score=0, embed_mode="static"),
    Options(),
]
MARKDOWN_EXTENSIONS = ["extra", "toc", "smarty", "sane_lists", "admonition"]
WIDGETS = {"https://platform.twitter.com/widgets.js", "https://embed.bsky.app/static/embed.js"}


def _page_problems(page_html: str) -> list[str]:
    soup = BeautifulSoup(page_html, "html.parser")
    found = [
        f"script {s.get('src')}" for s in soup.find_all("script") if s.get("src") not in WIDGETS
    ]
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.startswith("on") or any(
                re.sub(r"\s", "", str(v)).lower().startswith("javascript:") for v in values
            ):
                found.append(f"<{element.name} {name}={value!r}>")
    return found


@_settings(examples=150)
@given(papers=papers_of_a_day)
def test_an_accepted_day_renders_and_converts_safely(papers: list[dict[str, Any]]) -> None:
    content = day_content("2021-06-29", papers)
    try:
        day = decode_day(content, "2021-06-29.json", "2021-06-29")
    except DataError as error:
        assert error.problems and all(p.startswith("2021-06-29.json: ") for p in error.problems)
        assert all("\n" not in p for p in error.problems)
        return
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
    for options in OPTIONS:
        index = category_index([day], options)
        page = render_site_page(day, options, lambda c, i=index: f"c/{c}.md" if c in i else None)
        html = stash.restore(converter.reset().convert(page.stashed_body), page.blocks)
        if html is None:
            html = converter.reset().convert(page.body)
        assert _page_problems(html) == []
        site_page_file(page).encode("utf-8")  # writable as a file
        pages = [render_category_page(c, e, lambda d: f"{d}.md") for c, e in index.items()]
        pages.append(render_category_overview("By category", index, lambda c, y: f"{c}{y}.md"))
        assert len({p.slug for p in pages}) == len(pages)  # distinct files
        for extra in pages:
            assert _page_problems(converter.reset().convert(extra.body)) == []
        render_day(day, options, "gatsby").encode("utf-8")


# File names beside day files: real dates, impossible ones, other digits, anything.
real_date = st.dates(Date(2020, 1, 1), Date(2022, 12, 31)).map(Date.isoformat)
file_name = st.one_of(
    real_date,
    real_date,
    real_date,
    st.from_regex(r"\A20[0-9]{2}-[01][0-9]-[0-3][0-9]\Z"),
    st.from_regex("\\A[0-9\u0660-\u0669]{4}-[0-9\u0660-\u0669]{2}-[0-9\u0660-\u0669]{2}\\Z"),
    st.text(alphabet=string.ascii_letters + string.digits + "-_. é", min_size=1, max_size=12),
).filter(lambda name: name not in (".", ".."))
site_files = st.lists(st.tuples(file_name, papers_of_a_day), min_size=1, max_size=4)


def write_data(data: Path, files: list[tuple[str, list[dict[str, Any]]]]) -> dict[str, bool]:
    """Write the files; return which dates `check` accepts (by the store's own reading)."""
    for name, papers in files:
        (data / f"{name}.json").write_bytes(day_content(name, papers))
    accepted = {}
    for date, path in day_files(data):
        try:
            decode_day(path.read_bytes(), str(path), date)
        except DataError:
            accepted[date] = False
        else:
            accepted[date] = True
    assert all(path.parent == data for path, _ in stray_files(data))
    return accepted


@pytest.mark.mkdocs
@_settings(examples=4)
@given(files=site_files)
def test_accepted_days_build_in_a_material_blog(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, list[dict[str, Any]]]]
) -> None:
    pytest.importorskip("material")
    root = tmp_path_factory.mktemp("site")
    make_mkdocs_site(root, plugin="min_score: 0\nembed_min_score: 0\ncategory_tags: true")
    data = root / "data"
    for old in data.iterdir():
        old.unlink()
    accepted = write_data(data, files)
    completed = run_mkdocs(root / "mkdocs.yml", root / "site", strict=False)
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    assert "Traceback" not in log
    posts = [p.name for p in (root / "site" / "blog").rglob("hot-papers-*")]
    for date, ok in accepted.items():
        if not ok:
            assert f"{date}.json" in log  # named, and the day skipped
        assert ok == (f"hot-papers-{date}" in posts)


@pytest.mark.pelican
@_settings(examples=4)
@given(files=site_files)
def test_accepted_days_build_in_pelican(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, list[dict[str, Any]]]]
) -> None:
    pytest.importorskip("pelican.settings")
    from .sites import build_pelican

    root = tmp_path_factory.mktemp("site")
    data = root / "data"
    data.mkdir()
    accepted = write_data(data, files)
    output = build_pelican(root, hotpapers={"data": str(data), "min_score": 0})
    for date, ok in accepted.items():
        assert (output / f"hot-papers-{date}.html").is_file() == ok
