"""Pages from day files through Jinja2 templates.

Formats: ``markdown`` (the site page, front matter + body, used by both
plugins) and ``gatsby`` (the old system's files, reproduced exactly).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from operator import attrgetter
from typing import Any

import jinja2

from hotpapers import ids
from hotpapers.accounts import Explanation
from hotpapers.authors import by_author
from hotpapers.config import Options
from hotpapers.model import Day
from hotpapers.rank import RankedPaper, rank_day
from hotpapers.site import stash
from hotpapers.site.curve import attention_curve
from hotpapers.site.embeds import WIDGETS, embed_block, uses_oembed
from hotpapers.site.text import html_text, markdown_block, markdown_inline
from hotpapers.site.trends import Trend
from hotpapers.site.windows import Window, WindowItem
from hotpapers.site.wording import counts_phrase, label, plural

FORMATS = ("markdown", "gatsby")
# arXiv's archives (current and retired). Subject classes are upper case (cs.LG,
# astro-ph.GA) except in physics and cond-mat (physics.optics, cond-mat.mes-hall).
ARXIV_ARCHIVES = frozenset(
    {
        *("astro-ph", "cond-mat", "cs", "econ", "eess", "gr-qc", "hep-ex", "hep-lat", "hep-ph"),
        *("hep-th", "math", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics", "q-bio", "q-fin"),
        *("quant-ph", "stat", "acc-phys", "adap-org", "alg-geom", "ao-sci", "atom-ph"),
        *("bayes-an", "chao-dyn", "chem-ph", "cmp-lg", "comp-gas", "dg-ga", "funct-an"),
        *("mtrl-th", "patt-sol", "plasm-ph", "q-alg", "solv-int", "supr-con"),
    }
)
_LOWER_CASE_SUBJECTS = frozenset({"physics", "cond-mat"})
_UPPER_SUBJECT = re.compile(r"[A-Z]{2}")
_LOWER_SUBJECT = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _utc_time(timestamp: str) -> str:
    return timestamp[:-1].replace("T", " ") + " UTC"


def _score(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _link(url: str, text: str) -> str:
    """An inline HTML link to another site (Markdown links cannot carry `rel`)."""
    return f'<a href="{html_text(url)}" rel="noopener">{text}</a>'


def is_category(category: str) -> bool:
    """Only arXiv category names become links, tags and index pages.

    Their slugs are then distinct (no `cs.lg` beside `cs.LG`, no `math.PH` beside
    `math-ph`) and never a page name of ours (`index`, `categories`).
    """
    archive, dot, subject = category.partition(".")
    if archive not in ARXIV_ARCHIVES:
        return False
    if not dot:
        return True
    case = _LOWER_SUBJECT if archive in _LOWER_CASE_SUBJECTS else _UPPER_SUBJECT
    return bool(case.fullmatch(subject)) and category_slug(category) not in ARXIV_ARCHIVES


def category_slug(category: str) -> str:
    """`cs.LG` -> `cs-lg`: stable, and distinct for distinct categories."""
    return category.lower().replace(".", "-")


def paper_anchor(arxiv_id: str) -> str:
    """The id of a paper's heading on a day page: `paper-2106-14108`."""
    return "paper-" + re.sub(r"[^a-z0-9]+", "-", arxiv_id.lower()).strip("-")


CategoryHref = Callable[[str], "str | None"]


def _category_link(category: str, local_href: CategoryHref | None = None) -> str:
    """The site's own category index (when the host has one), then arXiv's listing."""
    if not is_category(category):
        return markdown_inline(category)
    href = local_href(category) if local_href is not None else None
    if href is None:
        return _link(ids.category_url(category), category)
    return f"[{category}]({href}) ({_link(ids.category_url(category), 'arXiv')})"


def attention(item: RankedPaper) -> str:
    """Where a paper's attention came from, per source, what the ranking set aside, and
    the score it is ranked by."""
    paper = item.paper
    explained = item.explanation
    parts = []
    if paper.sources:
        for name, counts in sorted(paper.sources.items()):
            numbers = counts_phrase(name, counts)
            accounts = _accounts(explained, [name])
            if not numbers:  # `Hacker News counts unknown (2 accounts)`
                numbers = f"counts unknown ({accounts})" if accounts else "counts unknown"
            elif accounts:
                numbers += f" from {accounts}"
            parts.append(f"{markdown_inline(label(name))} {numbers}")
    else:
        sources = sorted(explained.accounts) if explained is not None else []
        accounts = _accounts(explained, sources)
        parts.append(counts_phrase("", paper.totals) + (f" from {accounts}" if accounts else ""))
    text = " · ".join(parts)
    if explained is not None and explained.adjusted:
        text += "; " + set_aside_phrase(explained)
    return f"{text}; score {_score(item.score)}"


def _accounts(explained: Explanation | None, sources: list[str]) -> str:
    """`12 accounts` (`12+`: posts of other accounts were found beyond the stored ones),
    or nothing when the posts carry no account ids."""
    if explained is None or not any(name in explained.accounts for name in sources):
        return ""
    number = sum(explained.accounts.get(name, 0) for name in sources)
    if any(name in explained.more for name in sources):
        return f"{number}+ accounts"
    return plural(number, "account")


def set_aside_phrase(explained: Explanation) -> str:
    """`2 posts by authors down-weighted; 1 repeat post not counted`."""
    lighter = []
    if explained.by_authors:
        lighter.append(_posts(explained.by_authors, "by an author", "by authors"))
    if explained.by_bulk:
        lighter.append(_posts(explained.by_bulk, "by a bulk poster", "by bulk posters"))
    if explained.by_both:
        lighter.append(
            _posts(
                explained.by_both, "by an author who posts in bulk", "by authors who post in bulk"
            )
        )
    dropped = []
    if explained.repeats:
        dropped.append(plural(explained.repeats, "repeat post"))
    if explained.ignored:
        dropped.append(_posts(explained.ignored, "of an ignored account", "of ignored accounts"))
    phrases = []
    if lighter:
        phrases.append(" and ".join(lighter) + " down-weighted")
    if dropped:
        phrases.append(" and ".join(dropped) + " not counted")
    return "; ".join(phrases)


def _posts(number: int, one: str, many: str) -> str:
    return f"{plural(number, 'post')} {one if number == 1 else many}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hotpapers.site", "templates"),
        autoescape=False,  # Markdown output: every untrusted value goes through a filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        utc_time=_utc_time,
        score=_score,
        abs_url=ids.abs_url,
        pdf_url=ids.pdf_url,
        category_url=ids.category_url,
        category_link=_category_link,
        attention=attention,
        anchor=paper_anchor,
        link=_link,
        md_inline=markdown_inline,
        md_block=markdown_block,
        yaml=lambda value: json.dumps(value, ensure_ascii=False),
        site_embed=embed_block,
        by_author=by_author,
    )
    return env


def _render(template: str, **values: Any) -> str:
    return _environment().get_template(template).render(**values)


def page_tags(ranked: list[RankedPaper], options: Options) -> list[str]:
    """The configured tags, then (with `category_tags`) the papers' arXiv categories.

    Only arXiv category names become tags: a tag name is shown unescaped by some
    themes (Pelican's own), and it comes from the data.
    """
    tags = list(options.tags)
    if options.category_tags:
        for item in ranked:
            for category in item.paper.categories:
                if is_category(category) and category not in tags:
                    tags.append(category)
    return tags


def widget_scripts(ranked: list[RankedPaper]) -> list[str]:
    """One script per platform whose embeds appear on the page, in a fixed order."""
    present = {m.source for item in ranked for m in item.embeds if uses_oembed(m)}
    return [widget.script for source, widget in WIDGETS.items() if source in present]


def summary(day: Day, ranked: list[RankedPaper], *, top: bool = True) -> str:
    """One plain-text sentence about the day (excerpts, feeds, index pages).

    With `top`, it ends with the title of the day's top paper (untrusted text).
    """
    return _summary(f"on {day.date}", ranked, top)


def _summary(when: str, ranked: list[RankedPaper], top: bool) -> str:
    """`N arXiv papers with the most attention <when>.`, then the top paper's title."""
    if not ranked:
        return f"No arXiv paper reached the attention threshold {when}."
    count = len(ranked)
    papers = "paper" if count == 1 else "papers"
    sentence = f"{count} arXiv {papers} with the most attention {when}."
    if not top:
        return sentence
    title = " ".join(ranked[0].paper.title.split())
    # "Top: Do We Need Attention?" and not "...Attention?."
    return f"{sentence} Top: {title}{'' if title.endswith(_SENTENCE_ENDS) else '.'}"


_SENTENCE_ENDS = (".", "?", "!", "\u2026")


@dataclass(frozen=True)
class IndexEntry:
    """One day on an index page; `link` is whatever the host resolves (e.g. a .md path)."""

    date: str
    link: str
    title: str
    summary: str

    @property
    def month(self) -> str:
        return self.date[:7]


def render_index(title: str, entries: list[IndexEntry]) -> MarkdownPage:
    """A page listing days by month, in the order given (newest first)."""
    body = _render("index.md.j2", entries=entries)
    return MarkdownPage(title, "hot-papers", body)


@dataclass(frozen=True)
class SitePage:
    """A day as the site hosts need it: metadata plus a Markdown body (no front matter)."""

    date: str  # collected_at, the page's publication time
    title: str
    slug: str
    description: str
    category: str
    tags: tuple[str, ...]
    summary: str  # plain text, ends with the top paper's title
    headline: str  # plain text from our own words only (the summary without the title)
    # Markdown, every untrusted value escaped or sanitised, with a placeholder for
    # each raw HTML block (embedded posts, widget scripts): see `hotpapers.site.stash`.
    stashed_body: str
    blocks: tuple[str, ...]

    @property
    def body(self) -> str:
        """The Markdown with the HTML blocks in place."""
        return stash.inline(self.stashed_body, self.blocks)


def _body(
    text: str,
    ranked: list[RankedPaper],
    options: Options,
    category_href: CategoryHref | None,
    appeared: dict[str, tuple[tuple[str, int, float], ...]] | None = None,
    curves: dict[str, str] | None = None,
    day_href: Callable[[str], str] | None = None,
    trends: dict[str, str] | None = None,
) -> tuple[str, tuple[str, ...]]:
    """A page's Markdown body (with placeholders) and its HTML blocks: a day's (`trends`:
    each paper's trend line), or a window's (`appeared`: the days each paper was hot on);
    `curves`: the papers' attention curves (SVG)."""
    blocks = stash.Stash()
    body = _render(
        "day_body.md.j2",
        summary=text,
        papers=ranked,
        embed_mode=options.embed_mode,
        widget_scripts=widget_scripts(ranked),
        category_href=category_href,
        stash=blocks,
        appeared=appeared or {},
        curves=curves or {},
        day_href=day_href,
        trends=trends or {},
    )
    return body, tuple(blocks.blocks)


def render_site_page(
    day: Day,
    options: Options,
    category_href: CategoryHref | None = None,
    trends: Mapping[str, Trend] | None = None,
    ranked: list[RankedPaper] | None = None,
) -> SitePage:
    """`category_href(category)` gives the host's link to its category index, if any;
    `trends` the trend of each listed paper (by id) on the site's days."""
    if ranked is None:
        ranked = rank_day(day, options)
    day_summary = summary(day, ranked)
    lines: dict[str, str] = {}
    curves: dict[str, str] = {}
    for paper_id, trend in (trends or {}).items():
        lines[paper_id] = trend.markdown()
        curves[paper_id] = trend.curve()
    body, blocks = _body(day_summary, ranked, options, category_href, curves=curves, trends=lines)
    return SitePage(
        date=day.collected_at,
        title=options.page_title(day.date),
        slug=options.page_slug(day.date),
        description=options.page_description(day.date),
        category=options.category,
        tags=tuple(page_tags(ranked, options)),
        summary=day_summary,
        headline=summary(day, ranked, top=False),
        stashed_body=body,
        blocks=blocks,
    )


WINDOW_CATEGORIES = {"week": "Weekly", "month": "Monthly", "year": "Yearly"}


def window_summary(window: Window, items: list[WindowItem], *, top: bool = True) -> str:
    """One plain-text sentence about a window, like `summary` for a day."""
    when = f"in {window.kind} {window.key} ({window.first} to {window.last})"
    return _summary(when, [item.ranked for item in items], top)


def render_window_page(
    window: Window,
    items: list[WindowItem],
    options: Options,
    day_href: Callable[[str], str],
    category_href: CategoryHref | None = None,
    collected: str | None = None,
) -> SitePage:
    """A window's page: its papers ranked by summed attention, each with the days it was
    hot on (`day_href(date)` links to a day page), in the day pages' layout. Dated at
    the window's end, or at `collected` (its days' latest collection) if that is
    earlier: a page is never dated after what it shows was collected."""
    ranked = [item.ranked for item in items]
    text = window_summary(window, items)
    curves = {
        item.ranked.paper.id: attention_curve([(date, score) for date, _, score in item.days])
        for item in items
    }
    appeared = {item.ranked.paper.id: item.days for item in items}
    body, blocks = _body(text, ranked, options, category_href, appeared, curves, day_href)
    return SitePage(
        date=min(f"{window.last}T23:59:59Z", collected or "9999"),
        title=options.page_title(window.key),
        slug=options.page_slug(window.key.lower()),
        description=options.page_description(window.key),
        category=WINDOW_CATEGORIES[window.kind],
        tags=tuple(page_tags(ranked, options)),
        summary=text,
        headline=window_summary(window, items, top=False),
        stashed_body=body,
        blocks=blocks,
    )


def render_window_list(title: str, kind: str, entries: list[IndexEntry]) -> MarkdownPage:
    """The list of a kind's windows (newest first), for hosts without a blog to list them."""
    body = _render("windows.md.j2", entries=entries)
    return MarkdownPage(title, f"hot-papers-{kind}s", body)


def site_page_file(page: SitePage, *, stashed: bool = False, heading: bool = False) -> str:
    """A day page as a Markdown file: YAML front matter, then the body.

    `stashed` keeps the placeholders of the HTML blocks (see `hotpapers.site.stash`);
    `heading` starts the body with the title (for themes that print none).
    """
    body = page.stashed_body if stashed else page.body
    if heading:
        body = f"# {markdown_inline(page.title)}\n{body}"
    return _render("markdown.md.j2", page=page, body=body)


def markdown_page_file(page: MarkdownPage) -> str:
    """An extra page (e.g. a category index) as a Markdown file, its title also as `# ...`.

    MkDocs' own themes print no title of their own; Material prints none twice.
    """
    title = json.dumps(page.title, ensure_ascii=False)
    return f"---\ntitle: {title}\n---\n\n# {markdown_inline(page.title)}\n{page.body}"


def render_day(day: Day, options: Options, fmt: str = "markdown") -> str:
    """The whole file of one day in `fmt`: front matter and body."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "gatsby":
        from hotpapers.legacy.gatsby import render_gatsby

        return render_gatsby(day, options)
    return site_page_file(render_site_page(day, options))


@dataclass(frozen=True)
class CategoryEntry:
    """One listed paper on a category's index page."""

    date: str
    rank: int
    title: str
    anchor: str
    score: float
    trend: str = ""  # plain text: "new", "day 3", "top of week 2021-W26"


@dataclass(frozen=True)
class MarkdownPage:
    """A page the hosts add beside the days: title, slug and a Markdown body."""

    title: str
    slug: str
    body: str


def day_index_entries(
    day: Day,
    options: Options,
    ranked: list[RankedPaper] | None = None,
    trends: Mapping[str, Trend] | None = None,
) -> list[tuple[str, CategoryEntry]]:
    """(category, entry) for every listed paper of a day and each of its arXiv categories."""
    pairs: list[tuple[str, CategoryEntry]] = []
    trends = trends or {}
    for item in rank_day(day, options) if ranked is None else ranked:
        trend = trends.get(item.paper.id)
        entry = CategoryEntry(
            date=day.date,
            rank=item.rank,
            title=" ".join(item.paper.title.split()),
            anchor=paper_anchor(item.paper.id),
            score=item.score,
            trend=trend.text() if trend is not None else "",
        )
        pairs.extend(
            (category, entry)
            for category in dict.fromkeys(item.paper.categories)
            if is_category(category)
        )
    return pairs


def index_day(index: dict[str, list[CategoryEntry]], day: Day, options: Options) -> None:
    """Add a day's listed papers to a category index being built (see `category_index`)."""
    for category, entry in day_index_entries(day, options):
        index.setdefault(category, []).append(entry)


def sorted_index(index: dict[str, list[CategoryEntry]]) -> dict[str, list[CategoryEntry]]:
    """Categories by name; in each, the newest day first, then by rank."""
    return {
        category: sorted(index[category], key=lambda e: (_descending(e.date), e.rank))
        for category in sorted(index, key=str.lower)
    }


def _descending(date: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in date.split("-"))


def category_index(days: Iterable[Day], options: Options) -> dict[str, list[CategoryEntry]]:
    """Every listed paper by arXiv category (all its categories), newest day first."""
    index: dict[str, list[CategoryEntry]] = {}
    for day in days:
        index_day(index, day, options)
    return sorted_index(index)


def render_category_page(
    category: str,
    entries: list[CategoryEntry],
    day_href: Callable[[str], str],
    overview_href: str | None = None,
    *,
    year: str | None = None,
    years_href: str | None = None,
) -> MarkdownPage:
    """The hot papers of one category (of one `year`); `day_href(date)` links to a day
    page. `overview_href` links back to the list of categories, `years_href` to the
    category's list of years. (Thousands of lines: formatted here, which is several
    times faster than a template's loop.)"""
    count = len({entry.anchor for entry in entries})
    papers = "paper" if count == 1 else "papers"
    within = f" in {year}" if year else ""
    parts = [
        f"\n{count} hot {papers} in {category}{within}, the arXiv listing: "
        f"{_category_link(category)}.\n"
    ]
    by_date: dict[str, list[CategoryEntry]] = {}
    for entry in sorted(entries, key=attrgetter("date")):
        by_date.setdefault(entry.date, []).append(entry)
    for date in reversed(by_date):  # newest first
        href = day_href(date)
        parts.append(f"\n## {date}\n\n")
        for entry in by_date[date]:
            trend = f", {markdown_inline(entry.trend)}" if entry.trend else ""
            parts.append(
                f"- [{markdown_inline(entry.title)}]({href}#{entry.anchor}) "
                f"(&#35;{entry.rank}, score {_score(entry.score)}{trend})\n"
            )
    if years_href:
        parts.append(f"\n[All years]({years_href})\n")
    if overview_href:
        parts.append(f"\n[All categories]({overview_href})\n")
    body = "".join(parts)
    slug = f"hot-papers-{category_slug(category)}"
    if year is None:
        return MarkdownPage(f"Hot papers in {category}", slug, body)
    return MarkdownPage(f"Hot papers in {category}, {year}", f"{slug}-{year}", body)


def render_category_years(
    category: str, years: dict[str, tuple[int, str]], total: int, overview_href: str
) -> MarkdownPage:
    """A category's years, newest first: `years[year]` is (papers, link to its page);
    `total` the papers of all years (one listed in two years counts once)."""
    body = _render(
        "category_years.md.j2",
        category=category,
        years=years,
        total=total,
        overview_href=overview_href,
    )
    return MarkdownPage(f"Hot papers in {category}", f"hot-papers-{category_slug(category)}", body)


def render_category_overview(
    title: str,
    index: dict[str, list[CategoryEntry]],
    category_href: Callable[[str, str | None], str],
) -> MarkdownPage:
    """The list of categories with their number of hot papers, each linked to its list
    of years (`category_href(category, None)`) and to each year's page."""
    years = {
        category: list(dict.fromkeys(entry.date[:4] for entry in entries))
        for category, entries in index.items()
    }
    body = _render("categories.md.j2", index=index, years=years, category_href=category_href)
    return MarkdownPage(title, "hot-papers-categories", body)
