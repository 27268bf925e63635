"""What a reader sees: both example sites in headless Chromium (Debian's), served locally.

Builds the example MkDocs and Pelican sites with `embeds: static`, serves them
on 127.0.0.1 and checks a day page, the index and a category/tag page at a
desktop and a phone-sized viewport. Screenshots go to test-artifacts/screenshots/.
Any request that would leave this machine is aborted.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import ROOT
from .sites import run_mkdocs

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("HOTPAPERS_CHROMIUM", "/usr/bin/chromium")
# CI sets this: there a missing browser or Pelican is a failure, not a skip.
REQUIRED = os.environ.get("HOTPAPERS_REQUIRE_BROWSER") == "1"
# The interpreter of an environment with Pelican (.ci/run sets it to .venv-pelican).
PELICAN_PYTHON = os.environ.get("HOTPAPERS_PELICAN_PYTHON", sys.executable)
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DAY = "2021-06-29"


def _titles(day: str) -> list[str]:
    day_file = ROOT / "example_site" / "data" / f"{day}.json"
    papers = json.loads(day_file.read_text(encoding="utf-8"))["papers"]
    return [f"{i}. {' '.join(p['title'].split())}" for i, p in enumerate(papers, start=1)]


def _has_category(day: str, category: str) -> bool:
    day_file = ROOT / "example_site" / "data" / f"{day}.json"
    papers = json.loads(day_file.read_text(encoding="utf-8"))["papers"]
    return any(category in p["categories"] for p in papers)


def _build_mkdocs(out: Path) -> Path:
    site = out / "mkdocs-src"
    shutil.copytree(ROOT / "example_site" / "mkdocs", site, ignore=shutil.ignore_patterns("site"))
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "      data: ../data\n",
        f"      data: {ROOT / 'example_site' / 'data'}\n      embeds: static\n",
    )
    config.write_text(text, encoding="utf-8")
    result = run_mkdocs(config, out / "mkdocs")
    assert result.returncode == 0, result.stderr
    return out / "mkdocs"


def _build_pelican(out: Path) -> Path:
    example = ROOT / "example_site" / "pelican"
    hotpapers = {"data": str(ROOT / "example_site" / "data"), "embeds": "static"}
    run_pelican(
        example / "content",
        out / "pelican",
        {**hotpapers, "category_tags": True},
        "-s",
        str(example / "pelicanconf.py"),
    )
    return out / "pelican"


def run_pelican(content: Path, output: Path, hotpapers: dict[str, object], *args: str) -> None:
    """`pelican CONTENT -o OUTPUT` with the interpreter that has Pelican and HOTPAPERS set."""
    require_pelican()
    result = subprocess.run(
        [
            *(PELICAN_PYTHON, "-m", "pelican", str(content), "-o", str(output)),
            *("-e", f"HOTPAPERS={json.dumps(hotpapers)}", *args),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def require_pelican() -> None:
    """The interpreter named by HOTPAPERS_PELICAN_PYTHON has Pelican and the plugin."""
    probe = subprocess.run(
        [PELICAN_PYTHON, "-c", "import pelican_hotpapers, pelican.settings"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        _unavailable(f"no Pelican with hotpapers at {PELICAN_PYTHON} (HOTPAPERS_PELICAN_PYTHON)")


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


@functools.cache
def _playwright():
    return pytest.importorskip("playwright.sync_api")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """A built site served on 127.0.0.1 (the caller shuts the server down): its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    _playwright()
    out = tmp_path_factory.mktemp("browser-sites")
    roots = {"mkdocs": _build_mkdocs(out), "pelican": _build_pelican(out)}
    servers = []
    urls = {}
    for name, root in roots.items():
        urls[name], server = serve(root)
        servers.append(server)
    yield urls
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def browser(sites: dict[str, str]) -> Iterator[object]:
    with _playwright().sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in a fresh context, recording console errors of this site's own files."""

    def __init__(self, browser: object, url: str, viewport: dict[str, int]) -> None:
        self.origin = re.match(r"https?://[^/]+", url)[0]
        self.context = browser.new_context(viewport=viewport)
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda r: r.abort())
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.goto(url, wait_until="load")

    def _console(self, message: object) -> None:
        source = (message.location or {}).get("url", "")
        # Third-party resources are blocked here on purpose; their failures are not ours.
        if message.type == "error" and source.startswith(self.origin):
            self.errors.append(f"{source}: {message.text}")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


PAGES = {
    "mkdocs": {
        "day": "blog/2021/06/30/hot-papers-2021-06-29/",
        "index": "blog/",
        "taxonomy": "blog/category/arxiv/",
        "category": "hot-papers/categories/cs-lg-2021/",
    },
    "pelican": {
        "day": "hot-papers-2021-06-29.html",
        "index": "index.html",
        "taxonomy": "tag/cs-lg.html",
        "category": "pages/hot-papers-cs-lg-2021.html",
    },
}


def _heading_titles(visit: Visit) -> list[str]:
    texts = visit.page.locator("h2").evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.innerText)"
    )
    titles = [" ".join(t.replace("¶", "").split()) for t in texts]
    return [t for t in titles if re.match(r"\d+\. ", t)]


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_day_page(browser: object, sites: dict[str, str], host: str, viewport: str) -> None:
    size = DESKTOP if viewport == "desktop" else PHONE
    visit = Visit(browser, sites[host] + PAGES[host]["day"], size)
    try:
        assert _heading_titles(visit) == _titles(DAY)
        quotes = visit.page.locator("blockquote.twitter-tweet")
        assert quotes.count() == 22
        assert quotes.first.is_visible()
        assert visit.page.locator("script[src*='platform.twitter.com']").count() == 0
        visit.screenshot(f"{host}-day-{viewport}")
        # The table of contents jumps to the right paper.
        link = visit.page.locator("a[href='#paper-2106-14881']").first
        link.click()
        visit.page.wait_for_function("location.hash === '#paper-2106-14881'")
        visit.page.wait_for_timeout(300)
        top = visit.page.evaluate(
            "document.getElementById('paper-2106-14881').closest('h2').getBoundingClientRect().top"
        )
        assert -5 <= top <= 150, top
        heading = visit.page.locator("h2:has(#paper-2106-14881)")
        assert (
            heading.inner_text()
            .replace("¶", "")
            .strip()
            .startswith("6. Early Convolutions Help Transformers See Better")
        )
        visit.screenshot(f"{host}-day-{viewport}-anchor")
        # Usable on a phone: our content never needs horizontal scrolling.
        overflow = visit.page.evaluate(
            """() => [...document.querySelectorAll(
                   'h2, blockquote, .hotpapers-embed, li, p')]
                 .filter(e => e.offsetParent !== null)
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .map(e => e.tagName + ': ' + e.innerText.slice(0, 60))"""
        )
        assert overflow == []
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
@pytest.mark.parametrize("which", ["index", "taxonomy", "category"])
def test_listing_pages(browser: object, sites: dict[str, str], host: str, which: str) -> None:
    visit = Visit(browser, sites[host] + PAGES[host][which], DESKTOP)
    try:
        text = visit.page.inner_text("body")
        if which == "category":
            assert "Multimodal Few-Shot Learning with Frozen Language Models" in text
            link = visit.page.locator("a[href*='#paper-2106-13884']").first
            link.click()
            visit.page.wait_for_function("location.hash === '#paper-2106-13884'")
            assert "hot-papers-2021-06-29" in visit.page.url
        else:
            days = re.findall(r"Hot Papers (\d{4}-\d{2}-\d{2})", text)
            expected = ["2021-06-29", "2021-03-24", "2020-12-07", "2020-06-29"]
            if PAGES[host][which].startswith("tag/cs-lg"):
                expected = [day for day in expected if _has_category(day, "cs.LG")]
            assert list(dict.fromkeys(days)) == expected
        visit.screenshot(f"{host}-{which}")
        assert visit.errors == []
    finally:
        visit.close()
