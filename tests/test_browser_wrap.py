"""Long runs wrap at phone width in themes that do not break words themselves.

A day whose abstract holds a long URL and whose posts hold long unbroken runs of
links and text is built with a bare MkDocs theme and Pelican's default theme,
then opened in headless Chromium at a phone's width: nothing of ours sticks out. The
MkDocs site uses a bare theme without any style sheet, which wraps nothing itself.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sites import make_mkdocs_site, run_mkdocs
from .test_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    PHONE,
    Visit,
    _playwright,
    _QuietHandler,
    _unavailable,
    run_pelican,
)

pytestmark = pytest.mark.browser

DATE = "2021-07-03"
URL = "https://github.com/" + "a-very-long-organisation-name/" * 6 + "code"
LINKS = "".join(f'<a href="https://x.com/i/{i}">pic.x.com/abcdefghij{i}</a>' for i in range(12))


def write_long_day(data: Path) -> None:
    base = {"reposts": 40, "likes": 40, "created_at": "2021-07-03"}
    mentions = [
        {
            **base,
            "source": "x",
            "id": "1",
            "url": "https://x.com/a/status/1",
            "embed_html": f'<blockquote class="twitter-tweet"><p>{LINKS}</p></blockquote>',
        },
        {
            **base,
            "source": "hackernews",
            "id": "2",
            "url": "https://news.ycombinator.com/item?id=2",
            "text": "x" * 300,
        },
    ]
    paper = {
        "id": "2107.00001",
        "title": "A paper whose code is at " + URL,
        "authors": ["Ada Lovelace"],
        "abstract": f"The code is at {URL} for everyone.",
        "categories": ["cs.LG"],
        "counted_at": "2021-07-04T00:00:00Z",
        "totals": {"reposts": 100, "likes": 0},
        "mentions": mentions,
    }
    day = {"schema": "hotpapers/1", "date": DATE, "collected_at": "2021-07-04T00:00:00Z"}
    (data / f"{DATE}.json").write_text(json.dumps({**day, "papers": [paper]}), encoding="utf-8")


# A theme with no style sheet at all: the browser's defaults never break a long word.
BARE_THEME = (
    '<!doctype html><html><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    "<body>{{ page.content }}</body></html>"
)


def _build_mkdocs(out: Path) -> tuple[Path, str]:
    root = out / "mkdocs-src"
    make_mkdocs_site(root, theme="mkdocs", blog=False, tags=False, plugin="embeds: static")
    (root / "bare").mkdir()
    (root / "bare" / "main.html").write_text(BARE_THEME, encoding="utf-8")
    config = root / "mkdocs.yml"
    bare = "theme:\n  name: null\n  custom_dir: bare"
    config.write_text(config.read_text("utf-8").replace("theme:\n  name: mkdocs", bare))
    for old in (root / "data").iterdir():
        old.unlink()
    write_long_day(root / "data")
    completed = run_mkdocs(root / "mkdocs.yml", out / "mkdocs")
    assert completed.returncode == 0, completed.stderr
    return out / "mkdocs", f"hot-papers/{DATE}/"


def _build_pelican(out: Path) -> tuple[Path, str]:
    data = out / "pelican-data"
    data.mkdir()
    write_long_day(data)
    content = out / "pelican-content"
    content.mkdir()
    hotpapers = {"data": str(data), "embeds": "static"}
    run_pelican(content, out / "pelican", hotpapers, 'TIMEZONE="UTC"')
    return out / "pelican", f"hot-papers-{DATE}.html"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    _playwright()
    out = tmp_path_factory.mktemp("wrap-sites")
    servers, urls = [], {}
    for name, (root, page) in {
        "mkdocs": _build_mkdocs(out),
        "pelican": _build_pelican(out),
    }.items():
        handler = functools.partial(_QuietHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[name] = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    yield urls
    for server in servers:
        server.shutdown()


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
def test_long_runs_wrap_at_phone_width(pages: dict[str, str], host: str) -> None:
    with _playwright().sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        visit = Visit(browser, pages[host], PHONE)
        try:
            assert visit.page.locator(".hotpapers-card, .hotpapers-embed").count() == 2
            # A box keeps the page's width; a word too long for it sticks out of it.
            overflow = visit.page.evaluate(
                """() => [...document.querySelectorAll(
                       'h2, p, li, blockquote, .hotpapers-embed, .hotpapers-card')]
                     .filter(e => e.offsetParent !== null)
                     .filter(e => e.scrollWidth > e.clientWidth + 1
                                  || e.getBoundingClientRect().right > window.innerWidth + 1)
                     .map(e => e.tagName + ': ' + e.innerText.slice(0, 40))"""
            )
            visit.screenshot(f"wrap-{host}-phone")
            assert overflow == []
        finally:
            visit.close()
            browser.close()
