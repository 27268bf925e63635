"""The site page (`markdown`) and what every render guarantees."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from hotpapers.config import Options
from hotpapers.legacy.importer import import_post
from hotpapers.model import Counts, Day, Mention, Paper
from hotpapers.site.pages import render_day

from .helpers import LEGACY, run_cli


@pytest.fixture(scope="module")
def day_2021_06_29() -> Day:
    text = (LEGACY / "2021-06-29---Hot-Papers.md").read_text(encoding="utf-8")
    return import_post(text, "2021-06-29").day


def _legacy_papers(text: str) -> list[dict[str, str]]:
    """Title, counts, links, categories and abstract of each paper of an old page."""
    papers = []
    for block in re.split(r"\n(?=# \d+\. )", text)[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        counts = re.match(r"- retweets: (\d+), favorites: (\d+)", lines[2])
        assert counts
        papers.append(
            {
                "title": " ".join(lines[0].split(". ", 1)[1].split()),
                "reposts": counts[1],
                "likes": counts[2],
                "abs": re.search(r"\[abs\]\(([^)]+)\)", lines[3])[1],
                "pdf": re.search(r"\[pdf\]\(([^)]+)\)", lines[3])[1],
                "categories": lines[4],
                "abstract": lines[5],
            }
        )
    return papers


def test_markdown_page_lists_the_papers_of_the_day(tmp_path: Path) -> None:
    source = LEGACY / "2021-06-29---Hot-Papers.md"
    assert run_cli("import-legacy", source, "--data", tmp_path).code == 0
    result = run_cli("render", "2021-06-29", "--data", tmp_path, "--format", "markdown")
    assert result.code == 0, result.stderr
    page = result.stdout
    expected = _legacy_papers(source.read_text(encoding="utf-8"))
    assert len(expected) == 20
    heading = r"^## <span id=\"paper-[a-z0-9-]+\"></span>(\d+)\. (.*)$"
    headings = re.findall(heading, page, flags=re.MULTILINE)
    assert [int(n) for n, _ in headings] == list(range(1, 21))
    assert [html.unescape(t) for _, t in headings] == [p["title"] for p in expected]
    sections = re.split(heading, page, flags=re.MULTILINE)[3::3]
    for paper, section in zip(expected, sections, strict=True):
        score = int(paper["reposts"]) + int(paper["likes"])
        assert (
            f"attention: {paper['reposts']} reposts, {paper['likes']} likes; score {score}"
        ) in section
        assert (
            f'<a href="{paper["abs"]}" rel="noopener">abs</a> | '
            f'<a href="{paper["pdf"]}" rel="noopener">pdf</a>'
        ) in section
        for category in re.findall(r"\[([^\]]+)\]\(https://arxiv\.org/list/", paper["categories"]):
            link = (
                f'<a href="https://arxiv.org/list/{category}/recent" rel="noopener">{category}</a>'
            )
            assert link in section
    assert page.count("<blockquote") == 22
    assert page.count("</blockquote>") == 22
    assert page.count("platform.twitter.com/widgets.js") == 1
    assert page.startswith('---\ntitle: "Hot Papers 2021-06-29"\ndate: 2021-06-30T13:48:45Z\n')
    assert 'slug: "hot-papers-2021-06-29"' in page
    assert 'description: "Hot papers 2021-06-29"' in page
    assert '  - "arXiv"\n' in page and '  - "Computer Science"\n' in page


def test_markdown_keeps_abstracts_verbatim_and_tex_intact(day_2021_06_29: Day) -> None:
    page = render_day(day_2021_06_29, Options())
    paper = day_2021_06_29.papers[8]
    # Math is an arithmatex-style span; its TeX is entity-escaped so Markdown cannot touch it.
    math = '<span class="arithmatex">&#92;(C&#94;&#92;infty&#92;)</span>'
    assert f"{math}-ring structure of arbitrary Weil algebra" in page
    assert html.unescape(math) == '<span class="arithmatex">\\(C^\\infty\\)</span>'
    assert paper.abstract.split("$")[0] in html.unescape(page)


def test_renders_are_byte_identical(day_2021_06_29: Day, tmp_path: Path) -> None:
    for fmt in ("markdown", "gatsby"):
        assert render_day(day_2021_06_29, Options(), fmt) == render_day(
            day_2021_06_29, Options(), fmt
        )
    run_cli("import-legacy", LEGACY / "2021-03-24---Hot-Papers.md", "--data", tmp_path)
    first = run_cli("render", "2021-03-24", "--data", tmp_path)
    second = run_cli("render", "2021-03-24", "--data", tmp_path)
    assert first.stdout == second.stdout and first.code == 0


def test_embed_modes(day_2021_06_29: Day) -> None:
    static = render_day(day_2021_06_29, Options(embed_mode="static"))
    assert static.count("<blockquote") == 22
    assert "<script" not in static
    none = render_day(day_2021_06_29, Options(embed_mode="none"))
    assert "<blockquote" not in none and "<script" not in none


def _paper(title: str, abstract: str, embed_html: str | None, **mention: object) -> Paper:
    return Paper(
        id="2101.00001",
        title=title,
        authors=("<img src=x onerror=alert(1)>", "Ada *Lovelace*"),
        abstract=abstract,
        categories=("cs.LG", "<script>"),
        counted_at="2021-01-02T00:00:00Z",
        totals=Counts(100, 0),
        mentions=(
            Mention("x", "1", "https://x.com/a/status/1", embed_html=embed_html),
            Mention("hackernews", "2", "javascript:alert(1)", **mention),  # type: ignore[arg-type]
        ),
    )


def test_untrusted_text_is_inert_in_the_markdown_page() -> None:
    paper = _paper(
        "Title <script>alert(1)</script> [x](javascript:alert(1)) {: onclick=x }",
        "Abstract <!-- more --> *stars* <iframe srcdoc=x> $a < b$",
        '<blockquote class="twitter-tweet" onclick="x"><p>hi<script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a></p></blockquote><script src="https://evil"></script>',
        author="<b>bob</b>",
        reposts=30,
        likes=0,
        text="<svg onload=alert(1)>",
    )
    page = render_day(Day("2021-01-01", "2021-01-02T00:00:00Z", (paper,)), Options())
    body = page.split("---\n", 2)[2]
    assert "<script>" not in body
    assert "<img" not in body and "<iframe" not in body and "<svg" not in body
    assert "onclick=" not in body and 'href="javascript' not in body and "](javascript" not in body
    assert body.count("<!-- more -->") == 1  # the excerpt separator, not the abstract's
    assert "[x](" not in body and "{:" not in body and "*stars*" not in body
    assert '<span class="arithmatex">&#92;(a &lt; b&#92;)</span>' in body
    assert body.count("<script") == 1  # the one widget script for the X embed
    assert "hotpapers-card" in body and "&lt;b&gt;bob&lt;/b&gt;" in body


def test_category_tags_add_the_papers_categories(day_2021_06_29: Day) -> None:
    page = render_day(day_2021_06_29, Options(category_tags=True))
    front = page.split("---\n")[1]
    assert '  - "cs.CE"\n' in front and '  - "eess.IV"\n' in front
    assert front.count('  - "cs.CV"\n') == 1


@pytest.mark.parametrize(
    ("text", "math"),
    [
        ("costs $5 and $10", []),
        (r"an escaped \$x$ is not math", []),
        ("$x$ at the start, $$y$$ displayed", [r"\(x\)", r"\[y\]"]),
        ("$x$ $y$", [r"\(x\)", r"\(y\)"]),
        ("$ x$ and $x $ are text", []),
        (r"$a\$b$ keeps its escaped dollar", [r"\(a\$b\)"]),
        (r"\(a\) and \[b\]", [r"\(a\)", r"\[b\]"]),
        ("x$y$1 is a price, $z$ is math", [r"\(z\)"]),
    ],
)
def test_math_is_found_where_arithmatex_finds_it(text: str, math: list[str]) -> None:
    from hotpapers.site.text import markdown_inline

    spans = re.findall(r'<span class="arithmatex">(.*?)</span>', markdown_inline(text))
    assert [html.unescape(span) for span in spans] == math


TEX_ATTACKS = [
    r'$\mmlToken{mi}[href="javascript:alert(1)",style="position:fixed"]{x}$',
    r"$\style{position:fixed;top:0}{\href{javascript:alert(1)}{x}}$",
    r"$$\class{md-button}{x}$$",
    r"\(\cssId{login}{x}\)",
    r"\[\data{mjx=1}{x}\]",
    r"$\require{html}\html{x}$",
    r"$\unicode[Comic Sans]{x41}$",
    r"$\bbox[position:fixed]{x}$",
    r"$\htmlStyle{color:red}{x}$",
    r"$\def\alpha{\text{changed}}\alpha$",
    r"$\newcommand{\beta}{x}\beta$",
    r"$\url{https://evil.example}$",
    r"$\Newextarrow{\alpha}{0,0}{0x2620}$",
    r"$\definecolor{red}{rgb}{0,1,0}$",
    r"$\llap{\lower{20em}{\color{white}{\rule{300em}{60em}}}}$",
    r"$\raise{9em}{x}\kern{-99em}\hspace{9em}$",
    r"$\Space{-14em}{0em}{0em}\colorbox{yellow}{RETRACTED}$",
    r"$a\negthickspace\negthickspace\colorbox{white}{COVER}$",
    r"$x\!\!\!\!\!y$",
    r"$\framebox[-30em]{OVERLAP}$",
    r"$\eqref{x}\label{x}$",
    r"$\texttip{a}{any text}$",
]


@pytest.mark.parametrize("tex", TEX_ATTACKS)
def test_tex_that_reaches_beyond_math_is_shown_as_literal_text(tex: str) -> None:
    from hotpapers.site.text import markdown_inline

    written = markdown_inline(f"before {tex} after")
    assert "arithmatex" not in written
    code = re.fullmatch(r'before <code class="hotpapers-tex">(.*)</code> after', written)
    assert code is not None, written
    assert html.unescape(code[1].replace("<wbr>", "")) == tex  # the reader sees the TeX as sent


@pytest.mark.parametrize(
    "tex",
    [
        r"$a \\ href$",
        r"$\hrefx$",
        r"$\mathrm{class}$",
        r"$\textstyle x$",
        r"$\data_1$",
        r"$\int\!\!\int f$",
    ],
)
def test_ordinary_tex_near_unsafe_names_stays_math(tex: str) -> None:
    from hotpapers.site.text import markdown_inline

    spans = re.findall(r'<span class="arithmatex">(.*?)</span>', markdown_inline(tex))
    if tex == r"$\data_1$":  # \data followed by a non-letter is the command
        assert spans == []
    else:
        assert [html.unescape(s) for s in spans] == ["\\(" + tex[1:-1] + "\\)"]


def test_embeds_keep_only_the_providers_classes_and_absolute_web_links() -> None:
    from hotpapers.site.embeds import sanitize

    cleaned = sanitize(
        '<blockquote class="twitter-tweet md-consent__overlay md-button" '
        'data-bluesky-uri="{index}"><p lang="en" class="arithmatex">\\(x\\) '
        '<a href="{filename}/x.md">a</a> <a href="|index|">b</a> <a href="/rel">c</a> '
        '<a href="https://x.com/a/status/1?x=%7B">d</a></p></blockquote>'
    )
    assert 'class="twitter-tweet"' in cleaned
    assert "md-" not in cleaned and "arithmatex" not in cleaned
    assert "{" not in cleaned and "|" not in cleaned and "/rel" not in cleaned
    assert 'href="https://x.com/a/status/1?x=%7B"' in cleaned


def test_static_cards_take_no_class_from_a_source_name() -> None:
    from hotpapers.site.embeds import embed_block

    card = embed_block(Mention("x md-consent__overlay", "1", "https://x.com/a/status/1"))
    assert card.startswith('<blockquote class="hotpapers-card" ')
    assert embed_block(Mention("reddit", "1", "https://x")).startswith(
        '<blockquote class="hotpapers-card hotpapers-reddit" '
    )


@pytest.mark.parametrize(
    ("title", "ending"),
    [
        ("Networks?", "Networks?"),
        ("Wow!", "Wow!"),
        ("And so on…", "And so on…"),
        ("Plain", "Plain."),
    ],
)
def test_the_summary_ends_with_one_mark(title: str, ending: str) -> None:
    from hotpapers.rank import rank_day
    from hotpapers.site.pages import summary

    day = Day("2021-01-01", "2021-01-02T00:00:00Z", (_paper(title, "Text.", None),))
    assert summary(day, rank_day(day, Options())).endswith(f"Top: {ending}")


def test_long_runs_get_line_break_opportunities_and_read_the_same() -> None:
    from bs4 import BeautifulSoup

    from hotpapers.site.text import markdown_block

    url = "https://github.com/someone/some-very-long-repository-name/blob/main/x.py"
    written = markdown_block(f"Code at {url} and $\\mathrm{{averyveryverylongmacroargumentname}}$.")
    assert written.count("<wbr>") == 3  # the URL (72 characters), never inside the math
    assert "<wbr>" not in written.split("arithmatex")[1]
    assert url in html.unescape(BeautifulSoup(written, "html.parser").get_text())
