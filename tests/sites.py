"""Real sites in temporary directories: a MkDocs site (`mkdocs build --strict` in a
subprocess) and a Pelican site (built in-process), shared by the host test modules.

Neither host is imported here at module level, so each test module can skip
itself when its host is not installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from .helpers import ROOT

EXAMPLE_DATA = ROOT / "example_site" / "data"
DAYS = ["2020-06-29", "2020-12-07", "2021-03-24", "2021-06-29"]

# --- MkDocs ----------------------------------------------------------------

MKDOCS_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}


@dataclass
class Built:
    code: int
    log: str
    site: Path
    docs: Path

    def html(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.site / path).read_text(encoding="utf-8"), "html.parser")

    def warnings(self) -> list[str]:
        return [line for line in self.log.splitlines() if re.match(r"^(WARNING|ERROR)", line)]


def make_mkdocs_site(
    root: Path,
    *,
    theme: str = "material",
    blog: bool = True,
    tags: bool = True,
    directory_urls: bool = True,
    plugin: str = "",
    nav: bool = False,
    extra: str = "",
) -> Path:
    """A site in `root` with the example days in `root/data`; `extra` is appended to mkdocs.yml."""
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    shutil.copytree(EXAMPLE_DATA, root / "data")
    (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    plugins = ["search"]
    if blog:
        plugins.append("blog")
        (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
        (docs / "blog" / "posts" / "hello.md").write_text(
            "---\ndate: 2021-03-01\ncategories: [News]\ntags: [Lab]\n---\n\n"
            "# Hello from the lab\n\nHand-written.\n",
            encoding="utf-8",
        )
    if tags:
        plugins.append("tags")
        (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    config = [
        "site_name: Test site",
        "site_url: https://example.org/",
        f"use_directory_urls: {str(directory_urls).lower()}",
        f"theme:\n  name: {theme}",
        "plugins:",
        *[f"  - {name}" for name in plugins],
        "  - hotpapers:" + ("" if plugin else " {}"),
        *[f"      {line}" for line in plugin.splitlines()],
    ]
    if nav:
        config.append("nav:\n  - Home: index.md")
    if extra:
        config.append(extra)
    (root / "mkdocs.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    return docs


def run_mkdocs(
    config: Path, site: Path, *, strict: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build` of `config` into `site`, as a user runs it (`env` adds variables)."""
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    if strict:
        command.append("--strict")
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**MKDOCS_ENV, **(env or {})},
        check=False,
        timeout=900,  # a build that waits for ever (e.g. on a FIFO) fails instead of hanging CI
    )


def build_mkdocs(root: Path, site: Path | None = None, env: dict[str, str] | None = None) -> Built:
    site = site or root / "site"
    completed = run_mkdocs(root / "mkdocs.yml", site, env=env)
    return Built(completed.returncode, completed.stdout + completed.stderr, site, root / "docs")


# --- Pelican ---------------------------------------------------------------

WELCOME = """Title: Welcome to the lab
Date: 2021-03-01 10:00
Category: News
Tags: Lab{extra_tags}
Summary: Hand-written.

A hand-written article.
"""
FEEDS = {
    "FEED_DOMAIN": "https://example.org",
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml",
    "CATEGORY_FEED_RSS": "feeds/{slug}.rss.xml",
    "TAG_FEED_ATOM": "feeds/tag/{slug}.atom.xml",
    "TAG_FEED_RSS": "feeds/tag/{slug}.rss.xml",
}


def build_pelican(
    tmp_path: Path, *, hotpapers: Any = None, extra_tags: str = "", **overrides: Any
) -> Path:
    """Build a Pelican site (the example days in `tmp_path/data` unless already there)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "welcome.md").write_text(WELCOME.format(extra_tags=extra_tags), encoding="utf-8")
    data = tmp_path / "data"
    if not data.exists():
        shutil.copytree(EXAMPLE_DATA, data)
    output = tmp_path / "output"
    settings = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "SITEURL": "",
        "TIMEZONE": "UTC",
        "DEFAULT_PAGINATION": False,
        "LOAD_CONTENT_CACHE": False,
        "CACHE_CONTENT": False,
        "PLUGINS": ["pelican_hotpapers"],
        "HOTPAPERS": {"data": str(data)} if hotpapers is None else hotpapers,
        **FEEDS,
        **overrides,
    }
    if settings["PLUGINS"] is None:
        del settings["PLUGINS"]
    Pelican(read_settings(None, override=settings)).run()
    return output


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# A day collected from every source, to check the per-source attention line.
ATTENTION_DAY = {
    "schema": "hotpapers/1",
    "date": "2026-11-20",
    "collected_at": "2026-11-21T06:30:00Z",
    "papers": [
        {
            "id": "2611.00001",
            "title": "A multi-source paper",
            "authors": ["Ada Lovelace"],
            "abstract": "Text.",
            "categories": ["cs.LG", "stat.ML"],
            "counted_at": "2026-11-21T06:30:00Z",
            "totals": {"reposts": 47, "likes": 263},
            "sources": {
                "x": {"reposts": 45, "likes": 120},
                "bluesky": {"reposts": 2, "likes": 8},
                "hackernews": {"reposts": 0, "likes": 120},
                "huggingface": {"reposts": 0, "likes": 15},
            },
            "mentions": [],
        }
    ],
}
ATTENTION_LINE = (
    "attention: Bluesky 2 reposts, 8 likes · Hacker News 120 points · "
    "Hugging Face 15 upvotes · X 45 reposts, 120 likes; score 310 "
    "(counted 2026-11-21 06:30:00 UTC)"
)


def write_attention_day(data: Path) -> None:
    (data / "2026-11-20.json").write_text(json.dumps(ATTENTION_DAY), encoding="utf-8")


def check_attention_day_page(page: BeautifulSoup) -> Any:
    """The attention line, the anchor and the table of contents of ATTENTION_DAY's page.

    Returns the paper's local link to the cs.LG category index.
    """
    item = next(li for li in page.select("li") if li.get_text().startswith("attention:"))
    assert " ".join(item.get_text().split()) == ATTENTION_LINE
    assert page.find(id="paper-2611-00001") is not None
    toc = page.select_one('a[href="#paper-2611-00001"]')
    assert toc is not None and "1. A multi-source paper" in toc.get_text()
    assert page.select_one('a[href="https://arxiv.org/list/cs.LG/recent"]') is not None
    local = page.find("a", string="cs.LG")
    assert local is not None
    return local


# --- days that make windows and trend marks ---------------------------------

TREND_TITLES = {
    "2106.00001": "Attention that lasts",
    "2106.00002": "One loud day <b>& a tag</b>",
    "2106.00003": "Back a week later",
}
# date -> [(paper, score)]: 2021-06-28..07-02 are ISO week 2021-W26, 07-06 is 2021-W27;
# the day of 2022 ends 2021's windows (2022-W01, 2022-01 and 2022 are not over: no pages).
TREND_SCORES = {
    "2021-06-28": [("2106.00002", 550), ("2106.00001", 300)],
    "2021-06-30": [("2106.00001", 200), ("2106.00003", 80)],
    "2021-07-02": [("2106.00001", 100)],
    "2021-07-06": [("2106.00003", 400)],
    "2022-01-03": [("2106.00002", 60)],
}


def write_trend_days(data: Path) -> None:
    """Four days whose papers come back: windows and marks with known order (see
    test_windows_mkdocs/test_windows_pelican for what they must give)."""
    data.mkdir(parents=True, exist_ok=True)
    for date, scores in TREND_SCORES.items():
        papers = [
            {
                "id": arxiv_id,
                "title": TREND_TITLES[arxiv_id],
                "authors": ["Ada Lovelace"],
                "abstract": "Text.",
                "categories": ["cs.LG"],
                "counted_at": f"{date}T23:00:00Z",
                "totals": {"reposts": score // 2, "likes": score - score // 2},
                "sources": {"x": {"reposts": score // 2, "likes": score - score // 2}},
                "mentions": [],
            }
            for arxiv_id, score in scores
        ]
        day = {
            "schema": "hotpapers/1",
            "date": date,
            "collected_at": f"{date}T23:30:00Z",
            "papers": papers,
        }
        (data / f"{date}.json").write_text(json.dumps(day), encoding="utf-8")


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The built file a relative link on `page` leads to, and its fragment."""
    target, _, fragment = href.partition("#")
    base = site if target.startswith("/") else page.parent  # Pelican with SITEURL ""
    path = (base / target.lstrip("/")).resolve() if target else page
    if path.is_dir():
        path = path / "index.html"
    assert site.resolve() in path.parents, (page, href)
    return path, fragment


# --- a day made to test the `accounts` ranking ------------------------------

ACCOUNT_DAY = "2021-07-04"  # the last day of 2021-W26: its week page is published too
REPEATED, SELF, BULK, INDEPENDENT, SPAMMED = (
    "Repeated poster",
    "Self-promoted by Ada Lovelace",
    "Posted by a bulk poster",
    "Independent readers",
    "Spammed",
)
# Expected order and attention lines (see test_ranking_mkdocs/test_ranking_pelican).
ACCOUNT_ORDER = {
    "accounts": [SPAMMED, INDEPENDENT, SELF, REPEATED, BULK],
    "legacy": [SPAMMED, REPEATED, SELF, BULK, INDEPENDENT],
    "lists": [BULK, INDEPENDENT, SELF, REPEATED, SPAMMED],  # spammer ignored, bot trusted
}
ACCOUNT_LINES = {
    REPEATED: "X 230 likes from 2 accounts; 4 repeat posts not counted; score 70",
    SELF: "X 220 likes from 2 accounts; 1 post by an author down-weighted; score 120",
    BULK: "X 170 likes from 2 accounts; 1 post by a bulk poster down-weighted; score 50",
    INDEPENDENT: "X 130 likes from 10+ accounts; score 130",
    SPAMMED: "X 360 likes from 2 accounts; score 360",
}
ACCOUNT_LISTS_LINES = {
    BULK: "X 170 likes from 2 accounts; score 170",
    SPAMMED: "X 360 likes from 1 account; 1 post of an ignored account not counted; score 60",
}
ACCOUNT_LISTS = {"ignore_accounts": {"x": ["@Spammer"]}, "trust_accounts": {"x": ["3001"]}}


def _post(account: str, serial: int, likes: int, **fields: Any) -> dict[str, Any]:
    handle = fields.pop("handle", f"reader{account}")
    return {
        "source": "x",
        "id": f"{account}{serial:03d}",
        "url": f"https://x.com/{handle}/status/{account}{serial:03d}",
        "account": account,
        "author": fields.pop("author", f"Reader {account}"),
        "handle": handle,
        "created_at": f"{ACCOUNT_DAY}T10:{serial:02d}:00Z",
        "reposts": None,
        "likes": likes,
        "text": f"Post {serial} of account {account}",
        "embed_html": None,
        **fields,
    }


def write_account_day(data: Path) -> None:
    """One day whose ranking differs under each rule (ACCOUNT_ORDER)."""
    posts = {
        REPEATED: [_post("1001", n, 40, handle="loud") for n in range(5)] + [_post("1002", 0, 30)],
        SELF: [
            _post("2001", 0, 200, author="Ada Lovelace", handle="adalovelace"),
            _post("2002", 0, 20),
        ],
        BULK: [
            _post("3001", 0, 160, author="arXiv bot", handle="arxivbot", account_papers=40),
            _post("3002", 0, 10),
        ],
        # 30 likes come from posts not stored (beyond `keep_mentions`)
        INDEPENDENT: [_post(f"40{n:02d}", 0, 10) for n in range(10)],
        SPAMMED: [_post("5001", 0, 300, handle="spammer"), _post("5002", 0, 60)],
    }
    likes = {REPEATED: 230, SELF: 220, BULK: 170, INDEPENDENT: 130, SPAMMED: 360}
    papers = [
        {
            "id": f"2107.{index:05d}",
            "title": title,
            "authors": ["Ada Lovelace", "Charles Babbage"] if title == SELF else ["Alan Turing"],
            "abstract": "Text.",
            "categories": ["cs.LG"],
            "counted_at": f"{ACCOUNT_DAY}T23:00:00Z",
            "totals": {"reposts": 0, "likes": likes[title]},
            "sources": {"x": {"reposts": None, "likes": likes[title]}},
            "mentions": posts[title],
        }
        for index, title in enumerate(posts, start=101)
    ]
    day = {
        "schema": "hotpapers/1",
        "date": ACCOUNT_DAY,
        "collected_at": f"{ACCOUNT_DAY}T23:30:00Z",
        "papers": papers,
    }
    data.mkdir(parents=True, exist_ok=True)
    (data / f"{ACCOUNT_DAY}.json").write_text(json.dumps(day, indent=1), encoding="utf-8")


def attention_lines(page: BeautifulSoup) -> dict[str, str]:
    """A built day or window page: each paper's title -> its attention line, in order."""
    result = {}
    for heading in page.select("h2"):
        if heading.span is None:
            continue
        title = " ".join(heading.get_text().split()).split(". ", 1)[1]
        line = " ".join(heading.find_next("ul").select("li")[0].get_text().split())
        result[title] = line.removeprefix("attention: ").split(" (counted")[0]
    return result
