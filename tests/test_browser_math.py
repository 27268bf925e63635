"""Hostile TeX cannot turn MathJax against a reader: both example sites in headless Chromium.

TeX such as ``\\mmlToken{mi}[href="javascript:…",style="position:fixed;…"]{x}`` or
``\\style{position:fixed;…}{\\href{javascript:…}{x}}`` makes MathJax 3 draw an
invisible full-page ``javascript:`` link. Two lines of defence stop it: hotpapers
shows TeX that uses such commands as text (hotpapers/text.py), and the documented
MathJax set-up loads MathJax's safe extension (``ui/safe``).

Each example site (MkDocs with Material and its blog; Pelican with the example's
base.html), with its own MathJax settings, is built from a day file whose title
and abstract hold both payloads beside ordinary math (the title also lands on the
category page), plus a hand-written page with the payloads as raw math spans: TeX
as it would reach MathJax if the first line failed, so the second line is tested
on its own. The pages are served on 127.0.0.1; MathJax's URL (the example sites
name a CDN) is answered from the local npm package in HOTPAPERS_MATHJAX_DIR
(``.ci/run`` installs it), so nothing leaves this machine. Once MathJax has
typeset (ordinary math must be its output), the test clicks the middle of the
viewport and every formula, and checks that no dialog opened, the page did not
move, and nothing in the DOM links to ``javascript:`` or covers the page. It also
checks that the math in embedded posts is never typeset.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import ROOT
from .sites import run_mkdocs
from .test_browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    DESKTOP,
    SCREENSHOTS,
    _playwright,
    _unavailable,
    require_pelican,
    run_pelican,
)
from .test_browser import serve as serve_site

pytestmark = pytest.mark.browser

# The npm package `mathjax` (3.2.x): the folder holding es5/tex-mml-chtml.js.
MATHJAX_DIR = Path(
    os.environ.get(
        "HOTPAPERS_MATHJAX_DIR", ROOT / ".cache" / "mathjax" / "node_modules" / "mathjax"
    )
)
# The MathJax URL both example sites use; the test answers it from MATHJAX_DIR.
MATHJAX_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@3/es5/([^?#]+)")

ALERT = "alert(1)"
OVERLAY = "position:fixed;top:0;left:0;width:100%;height:100%"
PAYLOADS = [
    rf'\mmlToken{{mi}}[href="javascript:{ALERT}",style="{OVERLAY}"]{{x}}',
    rf"\style{{{OVERLAY};display:block}}{{\href{{javascript:{ALERT}}}{{x}}}}",
]
ORDINARY = r"\alpha^2"  # must come out as MathJax output: proof that MathJax ran
DATE = "2021-07-05"
CATEGORY = "cs.LG"

# Math in posts, one formula in a span that borrows the page's math class: neither
# may be typeset.
POST_MATH = r"\(\gamma^3\)"
TWEET = (
    f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Tweet {POST_MATH} and '
    f'<span class="arithmatex">{POST_MATH}</span></p>&mdash; Ada (@ada) '
    '<a href="https://twitter.com/ada/status/1">July 5, 2021</a></blockquote>'
)


def _hostile_day() -> dict[str, object]:
    math = " and ".join(f"${tex}$" for tex in PAYLOADS)
    mention = {"reposts": 3, "likes": 40, "created_at": "2021-07-05"}
    paper = {
        "id": "2107.00001",
        "title": f"Hostile ${ORDINARY}$ title {math}",
        "authors": ["Ada Lovelace"],
        "abstract": (
            f"Ordinary math ${ORDINARY}$ and $\\beta_1$ beside {math}.\n\n"
            f"A second paragraph: {math} and ${ORDINARY}$ again."
        ),
        "categories": [CATEGORY],
        "counted_at": "2021-07-06T06:00:00Z",
        "totals": {"reposts": 100, "likes": 100},
        "mentions": [
            {
                **mention,
                "source": "x",
                "id": "1",
                "url": "https://twitter.com/ada/status/1",
                "author": "Ada",
                "handle": "ada",
                "text": f"Tweet {POST_MATH}",
                "embed_html": TWEET,
            },
            {  # no stored HTML for Hacker News: a static card
                **mention,
                "source": "hackernews",
                "id": "2",
                "url": "https://news.ycombinator.com/item?id=2",
                "author": "bob",
                "text": f"Card {POST_MATH}",
            },
        ],
    }
    return {
        "schema": "hotpapers/1",
        "date": DATE,
        "collected_at": "2021-07-06T06:00:00Z",
        "papers": [paper],
    }


def _raw_math() -> str:
    """The payloads as math spans, as they would reach MathJax if hotpapers let them through."""
    spans = [rf"\({tex}\)" for tex in (ORDINARY, *PAYLOADS)]
    body = " and ".join(f'<span class="arithmatex">{span}</span>' for span in spans)
    return f"<p>Raw math: {body}.</p>\n"


def _write_data(out: Path) -> Path:
    data = out / "data"
    data.mkdir()
    (data / f"{DATE}.json").write_text(json.dumps(_hostile_day(), indent=1), encoding="utf-8")
    return data


def _build_mkdocs(out: Path, data: Path) -> dict[str, str]:
    source = out / "mkdocs-src"
    shutil.copytree(ROOT / "example_site" / "mkdocs", source, ignore=shutil.ignore_patterns("site"))
    config = source / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "      data: ../data\n" in text
    text = text.replace("      data: ../data\n", f"      data: {data}\n      embeds: static\n")
    config.write_text(text, encoding="utf-8")
    (source / "docs" / "raw-math.md").write_text("# Raw math\n\n" + _raw_math(), encoding="utf-8")
    site = out / "mkdocs"
    result = run_mkdocs(config, site)
    assert result.returncode == 0, result.stderr
    (day,) = site.glob(f"blog/**/hot-papers-{DATE}/index.html")
    return {
        "day": day.parent.relative_to(site).as_posix() + "/",
        "category": "hot-papers/categories/cs-lg-2021/",
        "raw": "raw-math/",
    }


def _build_pelican(out: Path, data: Path) -> dict[str, str]:
    require_pelican()
    source = out / "pelican-src"
    shutil.copytree(
        ROOT / "example_site" / "pelican", source, ignore=shutil.ignore_patterns("output")
    )
    pages = source / "content" / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "raw-math.html").write_text(
        f"<html><head><title>Raw math</title></head><body>\n{_raw_math()}</body></html>\n",
        encoding="utf-8",
    )
    hotpapers = {"data": str(data), "embeds": "static", "category_tags": True}
    run_pelican(
        source / "content", out / "pelican", hotpapers, "-s", str(source / "pelicanconf.py")
    )
    return {
        "day": f"hot-papers-{DATE}.html",
        "category": "pages/hot-papers-cs-lg-2021.html",
        "raw": "pages/raw-math.html",
    }


BUILDERS: dict[str, Callable[[Path, Path], dict[str, str]]] = {
    "mkdocs": _build_mkdocs,
    "pelican": _build_pelican,
}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    if not (MATHJAX_DIR / "es5" / "tex-mml-chtml.js").is_file():
        _unavailable(f"no MathJax at {MATHJAX_DIR} (HOTPAPERS_MATHJAX_DIR; .ci/run installs it)")
    with _playwright().sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(
    browser: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str, str], str]]:
    """`site(host, page)`: the URL of a page; each host is built and served once."""
    out = tmp_path_factory.mktemp("browser-math")
    data = _write_data(out)
    servers: list[http.server.ThreadingHTTPServer] = []

    @functools.cache
    def serve(host: str) -> tuple[str, dict[str, str]]:
        pages = BUILDERS[host](out, data)
        url, server = serve_site(out / host)
        servers.append(server)
        return url, pages

    yield lambda host, page: serve(host)[0] + serve(host)[1][page]
    for server in servers:
        server.shutdown()


def _serve_mathjax(route: object) -> None:
    match = MATHJAX_CDN.match(route.request.url)
    es5 = (MATHJAX_DIR / "es5").resolve()
    path = (es5 / match[1]).resolve()
    if not path.is_file() or not path.is_relative_to(es5):
        route.fulfill(status=404)
        return
    # Fonts come from another origin than the page: they need CORS, as the CDN sends.
    route.fulfill(path=str(path), headers={"Access-Control-Allow-Origin": "*"})


SPANS_SCRIPT = """
document.addEventListener('readystatechange', () => {
  if (document.readyState === 'interactive')
    window.hotpapersMath = [...document.querySelectorAll('.arithmatex')]
      .map(span => [span, span.textContent]);
});
"""


class MathVisit:
    """A page opened in a fresh context, with MathJax from MATHJAX_DIR and dialogs recorded."""

    def __init__(self, browser: object, url: str) -> None:
        self.url = url
        self.context = browser.new_context(viewport=DESKTOP)
        # Routes match in reverse order of registration: MathJax first, then nothing else.
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda r: r.abort())
        self.context.route(MATHJAX_CDN, _serve_mathjax)
        # Each math span's TeX, read when the page is parsed, before any script runs
        # (MathJax replaces it with its output).
        self.context.add_init_script(SPANS_SCRIPT)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.navigations: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("popup", lambda popup: self.navigations.append(f"popup {popup.url}"))
        self.page.goto(url, wait_until="load")
        self.page.on("framenavigated", lambda frame: self.navigations.append(frame.url))

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def typeset(self) -> list[dict[str, object]]:
        """Wait for MathJax's first typesetting; each math span's TeX, and whether it is shown.

        Shown: the span holds MathJax's output (an mjx-container), without an error.
        """
        self.page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=15_000
        )
        return self.page.evaluate(
            """() => MathJax.startup.promise.then(() => window.hotpapersMath.map(([span, tex]) => ({
                 tex,
                 shown: span.isConnected && span.querySelector(':scope > mjx-container') !== null
                   && span.querySelector('mjx-merror') === null,
               })))"""
        )

    def _click(self, x: float, y: float) -> bool:
        """Click at (x, y) unless a link of the page is there (following it is no attack)."""
        on_page_link = self.page.evaluate(
            """([x, y]) => {
                 const link = document.elementFromPoint(x, y)?.closest('a[href]');
                 return !!link && link.closest('mjx-container') === null;
               }""",
            [x, y],
        )
        if not on_page_link:
            self.page.mouse.click(x, y)
        return not on_page_link

    def click_everywhere(self) -> int:
        """Click the middle of the viewport, then every formula, as a reader might.

        Returns the number of clicks made.
        """
        self.page.evaluate(
            """() => [...document.querySelectorAll('.arithmatex')]
                 .find(e => e.closest('a[href]') === null)
                 ?.scrollIntoView({block: 'center'})"""
        )
        clicks = int(self._click(DESKTOP["width"] / 2, DESKTOP["height"] / 2))
        formulas = self.page.locator("mjx-container")
        for index in range(formulas.count()):
            formula = formulas.nth(index)
            formula.evaluate("e => e.scrollIntoView({block: 'center'})")
            box = formula.bounding_box()
            if box and box["width"] and box["height"]:
                clicks += self._click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.page.wait_for_timeout(300)  # a javascript: link would have run by now
        return clicks

    def javascript_links(self) -> list[str]:
        return self.page.evaluate(
            """() => [...document.querySelectorAll('*')].flatMap(e =>
                 [...e.attributes]
                   .filter(a => /^[\\s\\u0000-\\u0020]*javascript:/i.test(a.value))
                   .map(a => `<${e.tagName.toLowerCase()} ${a.name}="${a.value}">`))"""
        )

    def math_overlays(self) -> list[str]:
        """Parts of MathJax's output positioned fixed or sticky, or covering much of the page."""
        return self.page.evaluate(
            """() => {
                 const width = window.innerWidth, height = window.innerHeight;
                 return [...document.querySelectorAll('mjx-container, mjx-container *')]
                   .filter(e => e.closest('mjx-assistive-mml') === null)
                   .filter(e => {
                     const style = getComputedStyle(e), box = e.getBoundingClientRect();
                     return ['fixed', 'sticky'].includes(style.position)
                       || (box.width > width / 2 && box.height > height / 3);
                   })
                   .map(e => `<${e.tagName.toLowerCase()} style="${e.getAttribute('style')}">`);
               }"""
        )

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
@pytest.mark.parametrize("which", ["day", "category", "raw"])
def test_hostile_tex_cannot_hijack_clicks(
    browser: object, site: Callable[[str, str], str], host: str, which: str
) -> None:
    visit = MathVisit(browser, site(host, which))
    try:
        formulas = visit.typeset()
        # MathJax really ran: the ordinary math is MathJax's output, in its span.
        ordinary = [f for f in formulas if f["tex"] == rf"\({ORDINARY}\)"]
        assert ordinary, formulas
        assert all(f["shown"] for f in ordinary), formulas
        visit.screenshot(f"math-{host}-{which}")
        clicks = visit.click_everywhere()
        assert clicks >= 1
        found = {
            "dialogs": visit.dialogs,
            "navigations": visit.navigations,
            "javascript: links": visit.javascript_links(),
            "overlays": visit.math_overlays(),
            "errors": visit.errors,
        }
        assert found == {key: [] for key in found}, f"after {clicks} clicks"
        assert visit.page.url == visit.url
    finally:
        visit.close()


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
def test_posts_are_not_typeset(browser: object, site: Callable[[str, str], str], host: str) -> None:
    # MathJax looks only inside .arithmatex, which no post can carry (the sanitiser keeps
    # only the providers' classes): the TeX in posts stays text.
    visit = MathVisit(browser, site(host, "day"))
    try:
        assert any(f["shown"] for f in visit.typeset())
        posts = visit.page.locator(".hotpapers-embed, .hotpapers-card")
        assert posts.count() == 2
        for index in range(posts.count()):
            assert POST_MATH in posts.nth(index).inner_text()
        typeset = visit.page.locator(":is(.hotpapers-embed, .hotpapers-card) mjx-container")
        assert typeset.count() == 0
    finally:
        visit.close()


@pytest.mark.parametrize("host", ["mkdocs", "pelican"])
def test_example_mathjax_loads_the_safe_extension(
    browser: object, site: Callable[[str, str], str], host: str
) -> None:
    visit = MathVisit(browser, site(host, "raw"))
    try:
        visit.typeset()
        assert visit.page.evaluate("() => MathJax.config.loader.load") == ["ui/safe"]
        assert visit.page.evaluate("() => typeof MathJax._.ui.safe") == "object"
    finally:
        visit.close()
