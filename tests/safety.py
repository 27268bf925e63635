"""Hostile data and the checks every built page must pass (used by test_safety.py).

`hostile_day()` is a day file in which every text field a page shows (titles,
authors, abstracts, categories, mention author/handle/text/url and the stored
oEmbed HTML) carries XSS vectors. Each vector holds `MARKER`, so any leak of a
vector into markup (an attribute, a script, a comment) is found precisely, in
addition to the structural checks in `unsafe_markup()`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

MARKER = "XSS_MARKER"
HOSTILE_DATE = "2021-07-01"  # newer than the example days: first on index pages
WIDGET_SRCS = {
    "x": "https://platform.twitter.com/widgets.js",
    "bluesky": "https://embed.bsky.app/static/embed.js",
}
SITE_HOST = "example.org"

_A = f"alert('{MARKER}')"
PAYLOADS = [
    f"<script>{_A}</script>",
    f'<script src="https://evil.example/{MARKER}.js"></script>',
    f"<img src=x onerror={_A}>",
    f'<a href="javascript:{_A}">html link</a>',
    f"<a href='jav&#x61;script:{_A}'>entity link</a>",
    f"[md link](javascript:{_A})",
    f"[ref link][r]\n\n[r]: javascript:{_A}",
    f"![md image](javascript:{_A})",
    f'![x](https://evil.example/{MARKER}.png "t")',
    f"<https://evil.example/{MARKER}> <javascript:{_A}>",
    f'<iframe srcdoc="<script>{_A}</script>"></iframe>',
    f"<svg onload={_A}><script>{_A}</script></svg>",
    f'<svg><a xlink:href="javascript:{_A}"><text>svg link</text></a></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={_A}></style></mtext></math>",
    f'<math href="javascript:{_A}">math link</math>',
    f'Attribute list {{: onclick="{_A}" }}',
    f'Heading attrs {{#id .cls onmouseover="{_A}"}}',
    f"<!-- more --> <!-- {MARKER} comment -->",
    f"# leading hash {MARKER}",
    f"<scr<script>ipt>{_A}</script> <<script>script>{_A}<</script>/script>",
    f'<img src="x" alt="{MARKER}"/onerror={_A}//',
    f'"><script>{_A}</script><a title="',
    f"'><svg/onload={_A}>",
    f'<object data="javascript:{_A}"></object><embed src="javascript:{_A}">',
    f'<form><button formaction="javascript:{_A}">go</button></form>',
    f"<details open ontoggle={_A}>x</details>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{_A}">',
    f'<base href="javascript:{_A}//">',
    f"<style>@import 'https://evil.example/{MARKER}.css';</style>",
    f'<div markdown="1">[md in html](javascript:{_A})</div>',
    f"`<script>{_A}</script>` ``code {MARKER}``",
    f"$</span><script>{_A}</script>$ and \\(<img src=x onerror={_A}>\\)",
    f":fire: @someone https://evil.example/{MARKER} www.evil.example",
    f"*stars* _under_ __strong__ ~~del~~ ^^ins^^ ==mark== {MARKER}",
    f"1. numbered {MARKER}\n- bullet\n> quote\n    indented code",
    f"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== {MARKER}",
    f'<a href="data:text/html,<script>{_A}</script>">data link</a>',
    f"&lt;script&gt;{_A}&lt;/script&gt; &amp; &#60;b&#62; {MARKER}",
    f"<p style=\"background:url('https://evil.example/{MARKER}.png')\">styled</p>",
    f"\u2028line<br/>separator {MARKER}\r\n\r\n[after blank](javascript:{_A})",
    f"&hotpapersblock0;\n\n<p>&hotpapersblock1;</p> {MARKER}",  # the plugins' placeholders
    # TeX that MathJax would turn into a full-page javascript: link, a style or a class
    '$\\mmlToken{mi}[href="javascript:' + _A + '",style="position:fixed"]{x}$ and '
    "$\\style{position:fixed}{\\href{javascript:" + _A + "}{" + MARKER + "}}$ and "
    "\\(\\class{md-button}{x}\\) \\[\\require{html}\\cssId{a}{x}\\]",
    # a post that borrows the theme's classes or math, and Pelican's link syntax
    f'<span class="md-consent__overlay md-button arithmatex">\\(x\\)</span> {MARKER} '
    f'<a href="{{filename}}/x.md">pelican</a> <a href="|index|">old</a> <a href="{{index}}">i</a>',
    # template tags of the generators `hotpapers pages` writes for: Hugo shortcodes,
    # Liquid (Jekyll, Eleventy) and Nunjucks, which would run or break their builds
    f'{{{{< param "{MARKER}" >}}}} {{{{% {MARKER} %}}}} {{{{ site.title }}}} '
    f"{{% raw %}}{{% include {MARKER}.html %}} {{# {MARKER} #}} {{{{{{x}}}}}}",
]
# TeX commands that make links, styles, classes, ids, raw MathML or load extensions
# (an oracle of its own: the core's list is what is being tested).
UNSAFE_TEX = re.compile(
    r"\\(?:href|style|class|cssId|data|html|mmlToken|require|unicode)(?![A-Za-z])"
)
# A placeholder of the plugins (hotpapers.site.stash), whatever the process's key.
PLACEHOLDER = re.compile(r"&hotpapersblock[0-9a-f]{12}n\d+;")
# Classes a post may carry: the providers' own and hotpapers' wrappers.
POST_CLASSES = {"twitter-tweet", "bluesky-embed"}
POST_BLOCKS = "div.hotpapers-embed, blockquote.hotpapers-card"

# TeX that Markdown would otherwise mangle (emphasis, backslash escapes, entities).
MATH_ABSTRACT = (
    r"We bound $\alpha_1 < \beta_2$ and $a*b*c$ for $\{x\}_{i}^{*}$ where "
    r"$x_1 & y_2 > 0$; the sum $$\sum_{i=1}^{n} x_i^2$$ and \(a \\ b\) and "
    r"\[\mathbb{E}[X] = \int_0^\infty t\,dt\] hold. It costs $5 and $10."
)
MATH_EXPECTED = [
    r"\(\alpha_1 < \beta_2\)",
    r"\(a*b*c\)",
    r"\(\{x\}_{i}^{*}\)",
    r"\(x_1 & y_2 > 0\)",
    r"\[\sum_{i=1}^{n} x_i^2\]",
    r"\(a \\ b\)",
    r"\[\mathbb{E}[X] = \int_0^\infty t\,dt\]",
]


def _embed_html(payload: str, source: str) -> str:
    if source == "bluesky":
        return (
            '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc/app.bsky.feed.'
            f'post/1" data-bluesky-cid="cid" onmouseover="{_A}"><p lang="en">{payload}</p>'
            f'&mdash; Bob (<a href="https://bsky.app/profile/bob">@bob</a>) <a href="https://'
            f'bsky.app/profile/bob/post/1?ref_src=embed">June 30, 2021</a></blockquote>'
            f'<script async src="https://embed.bsky.app/static/embed.js"></script>{payload}'
        )
    return (
        f'<blockquote class="twitter-tweet" onclick="{_A}" style="x"><p lang="en" dir="ltr">'
        f'{payload} <a href="javascript:{_A}">pic</a></p>&mdash; Ada (@ada) '
        f'<a href="https://twitter.com/ada/status/1">June 30, 2021</a></blockquote>\n'
        f'<script async src="https://platform.twitter.com/widgets.js"></script>\n{payload}'
    )


def _mentions(index: int, payload: str) -> list[dict[str, object]]:
    base = {"reposts": 30, "likes": 5, "created_at": "2021-06-30"}
    return [
        {
            **base,
            "source": "x",
            "id": f"{index}01",
            "url": f"https://twitter.com/ada/status/{index}01",
            "author": payload,
            "handle": payload,
            "embed_html": _embed_html(payload, "x"),
        },
        {
            **base,
            "source": "bluesky",
            "id": f"{index}02",
            "url": f"https://bsky.app/profile/bob/post/{index}02",
            "author": payload,
            "embed_html": _embed_html(payload, "bluesky"),
        },
        {  # no oEmbed for Hacker News: stored HTML is ignored, a static card is built
            **base,
            "source": "hackernews",
            "id": f"{index}03",
            "url": f"javascript:{_A}",
            "author": payload,
            "handle": payload,
            "text": payload,
            "embed_html": f"<script>{_A}</script>{payload}",
        },
        {
            **base,
            "source": "huggingface",
            "id": f"{index}04",
            "url": f'https://huggingface.co/papers/2107.{index:05d}?{MARKER}="><script>',
            "author": payload,
            "text": f"{payload}\n\n{payload}",
        },
        {  # an X post without stored HTML: a static card
            **base,
            "source": "x",
            "id": f"{index}05",
            "url": f" javascript:{_A}",
            "handle": payload,
            "text": payload,
            # created_at is checked to be a time (test_check), so no payload here
        },
    ]


def hostile_papers() -> list[dict[str, object]]:
    papers = []
    for index, payload in enumerate(PAYLOADS, start=1):
        papers.append(
            {
                "id": f"2107.{index:05d}",
                "title": f"Paper {index} {payload}",
                "authors": [payload, f"Author {index}"],
                "abstract": f"Abstract {index}: {payload}\n\nSecond paragraph {index}: {payload}",
                "categories": ["cs.LG", payload, f"cs.LG\n{payload}"],
                "counted_at": "2021-07-02T10:00:00Z",
                # Far apart: a post whose author is a payload may be down-weighted as the
                # author's (a payload is also an author), and the stored order must hold.
                "totals": {"reposts": 100_000 - 1000 * index, "likes": 1},
                "mentions": _mentions(index, payload),
            }
        )
    papers.append(
        {
            "id": "2107.09999",
            "title": r"Math $\alpha_1 < \beta$ in a title",
            "authors": ["T. Xer"],
            "abstract": MATH_ABSTRACT,
            "categories": ["math.PR"],
            "counted_at": "2021-07-02T10:00:00Z",
            "totals": {"reposts": 100, "likes": 0},
            "mentions": [],
        }
    )
    return papers


def write_hostile_day(data: Path) -> list[dict[str, object]]:
    papers = hostile_papers()
    day = {
        "schema": "hotpapers/1",
        "date": HOSTILE_DATE,
        "collected_at": "2021-07-02T10:00:00Z",
        "papers": papers,
    }
    (data / f"{HOSTILE_DATE}.json").write_text(json.dumps(day, indent=1), encoding="utf-8")
    return papers


# --- checks ------------------------------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "codebase",
    "ping",
    "lowsrc",
    "dynsrc",
    "manifest",
}
NEVER = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
OPAQUE = {"script", "style", "svg", "math", "noscript", "template", "textarea", "xmp", "title"}
# Attributes where a page may legitimately show untrusted text (inert attribute values).
TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "data-md-component", "content"}
# Hosts our pages link to (themes add their own links, e.g. to mkdocs.org).
OUR_LINK_HOSTS = {"arxiv.org", "twitter.com", "x.com", "bsky.app", "huggingface.co", "evil.example"}
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "icon"}


def _scheme(url: str) -> str:
    cleaned = re.sub(r"[\x00-\x20]+", "", html.unescape(url)).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


def is_third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.hostname != SITE_HOST


def _values(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def unsafe_markup(soup: BeautifulSoup) -> Iterator[str]:
    """Every element, attribute, script or comment that can run (or leaks) a payload."""
    for element in soup.find_all(True):
        name = element.name.lower()
        where = f"<{name}>"
        if name in NEVER:
            yield f"{where} element"
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            yield f"{where} refresh"
        for attribute, value in element.attrs.items():
            key = attribute.lower()
            values = _values(value)
            if key.startswith("on"):
                yield f"{where} event handler {key}={values}"
            if key == "srcdoc":
                yield f"{where} srcdoc"
            if key in URL_ATTRIBUTES or key.endswith(":href"):
                for url in values:
                    if _scheme(url) in ("javascript", "vbscript", "data"):
                        yield f"{where} {key}={url!r}"
            if key == "style" and any(MARKER in v or "url(" in v for v in values):
                yield f"{where} style={values}"
            web_link = key == "href" and all(_scheme(v) in ("http", "https") for v in values)
            if any(MARKER in v for v in values) and key not in TEXT_ATTRIBUTES and not web_link:
                yield f"{where} payload in attribute {key}={values}"
        if name == "script":
            src = element.get("src")
            if MARKER in element.get_text():
                yield f"{where} payload in inline script"
            if src and is_third_party(str(src)) and src not in WIDGET_SRCS.values():
                yield f"{where} third-party script {src}"
        if name == "a" and urlsplit(str(element.get("href", ""))).hostname in OUR_LINK_HOSTS:
            rel = _values(element.get("rel", []))
            if "noopener" not in " ".join(rel).split():
                yield f"{where} link without rel=noopener: {element['href']}"
    for span in soup.select("span.arithmatex"):
        if UNSAFE_TEX.search(span.get_text()):
            yield f"math that reaches beyond drawing: {span.get_text()[:60]!r}"
    for block in soup.select(POST_BLOCKS):
        for element in block.find_all(True):
            classes = set(_values(element.get("class", [])))
            if classes - POST_CLASSES:
                yield f"<{element.name}> in a post with classes {sorted(classes - POST_CLASSES)}"
            href = element.get("href")
            if href is not None and _scheme(str(href)) not in ("http", "https"):
                yield f"<{element.name}> in a post links to {href!r}"
    for text in soup.find_all(string=True):
        if MARKER not in text:
            continue
        if isinstance(text, Comment):
            yield f"payload in a comment: {text[:60]!r}"
        elif isinstance(text, NavigableString):
            opaque = [p.name for p in text.parents if isinstance(p, Tag) and p.name in OPAQUE]
            if opaque and opaque != ["title"]:
                yield f"payload inside <{opaque[0]}>: {text[:60]!r}"


def third_party_resources(soup: BeautifulSoup) -> list[str]:
    """URLs the browser would load from another site while showing the page."""
    found = []
    for element in soup.find_all(True):
        name = element.name.lower()
        urls: list[str] = []
        if name == "link":
            rels = {r.lower() for r in _values(element.get("rel", []))}
            if rels & LOADING_RELS and element.get("href"):
                urls.append(str(element["href"]))
        elif name == "a":
            continue  # a link is followed only when clicked
        else:
            for key in ("src", "srcset", "data", "poster", "background", "xlink:href", "href"):
                if element.get(key):
                    urls.extend(_values(element[key]))
        style = str(element.get("style", ""))
        urls.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", style))
        found.extend(f"<{name}> {url}" for url in urls if is_third_party(url.split()[0]))
    return found


def widget_counts(soup: BeautifulSoup) -> dict[str, int]:
    srcs = [str(s.get("src")) for s in soup.find_all("script") if s.get("src")]
    return {source: srcs.count(src) for source, src in WIDGET_SRCS.items()}


def visible(text: str) -> str:
    """Whitespace-normalised text, math delimiters unified (`$`, `\\(`, `\\[` -> `$`)."""
    text = text.replace("¶", "")
    for delimiter in ("$$", "\\(", "\\)", "\\[", "\\]"):
        text = text.replace(delimiter, "$")
    return " ".join(text.split())


def site_problems(site: Path, mode: str) -> dict[str, list[str]]:
    """Every HTML page of a built site: unsafe markup, widget scripts, third-party loads."""
    problems: dict[str, list[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no pages in {site}"
    for page in pages:
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        found = list(unsafe_markup(soup))
        # Every HTML block is back in place; a forged placeholder stays escaped text.
        found.extend(f"placeholder {p} left" for p in PLACEHOLDER.findall(text))
        counts = widget_counts(soup)
        for source, count in counts.items():
            needed = mode == "script" and bool(
                soup.select(f"div.hotpapers-embed.hotpapers-{source}")
            )
            if count != (1 if needed else 0):
                found.append(f"{source} widget script {count} times (needed: {needed})")
        if mode != "script":
            found.extend(f"third-party resource {url}" for url in third_party_resources(soup))
        if found:
            problems[str(page.relative_to(site))] = found
    return problems


def feed_problems(feed: Path) -> list[str]:
    """The HTML inside a feed's entries (Atom content/summary, RSS description)."""
    found = []
    for element in ElementTree.parse(feed).iter():
        if element.tag.rsplit("}", 1)[-1] in ("content", "summary", "description"):
            found.extend(unsafe_markup(BeautifulSoup(element.text or "", "html.parser")))
    return found


def readability_problems(
    soup: BeautifulSoup, papers: list[dict[str, object]], mode: str
) -> list[str]:
    """Each paper's title, authors, abstract and odd categories appear as plain text."""
    text = visible(soup.get_text())
    headings = {visible(h.get_text()) for h in soup.find_all("h2")}
    problems = []
    for rank, paper in enumerate(papers, start=1):
        title = f"{rank}. {visible(str(paper['title']))}"
        if title not in headings:
            problems.append(f"heading {title!r} missing")
        pieces = [", ".join(paper["authors"])]  # type: ignore[arg-type]
        pieces += re.split(r"\n\s*\n", str(paper["abstract"]))
        pieces += [c for c in paper["categories"] if c != "cs.LG"]  # type: ignore[union-attr]
        if mode != "none":
            for mention in paper["mentions"]:  # type: ignore[union-attr]
                if mention["source"] in ("hackernews", "huggingface") and mention.get("text"):
                    pieces += str(mention["text"]).split("\n\n")
        for piece in pieces:
            if visible(piece) not in text:
                problems.append(f"paper {rank}: text {piece[:50]!r} not shown verbatim")
    return problems


def math_texts(soup: BeautifulSoup) -> list[str]:
    return [span.get_text() for span in soup.select("span.arithmatex")]
