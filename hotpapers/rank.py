"""Scores, thresholds and order: which papers a page lists and which posts it embeds.

Sorting is stable everywhere, so the stored order of a day file breaks ties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotpapers.accounts import (
    Explanation,
    Linked,
    account_score,
    ignored,
    ignored_posts,
    linked_papers,
    voices,
)
from hotpapers.config import Options
from hotpapers.model import Counts, Day, Mention, Paper


@dataclass(frozen=True, slots=True)
class RankedPaper:
    rank: int
    paper: Paper
    score: float
    embeds: tuple[Mention, ...]
    explanation: Explanation | None = None  # None under the `legacy` ranking


def counts_score(totals: Counts, sources: Mapping[str, Counts], options: Options) -> float:
    """reposts + likes; with per-source weights, the weighted per-source sum."""
    if options.weights and sources:
        return sum(options.weight(name) * c.score for name, c in sources.items())
    return totals.score


def legacy_score(paper: Paper, options: Options) -> float:
    """The old blog's rule: the counts of every post found, summed."""
    return counts_score(paper.totals, paper.sources, options)


def paper_score(
    paper: Paper, options: Options, linked: Linked | None = None
) -> tuple[float, Explanation | None]:
    """The score a page ranks the paper by (`linked`: see `accounts.linked_papers`)."""
    if options.ranking == "legacy":
        return _legacy_less_ignored(paper, options)
    return account_score(paper, linked or {}, options)


def _legacy_less_ignored(paper: Paper, options: Options) -> tuple[float, Explanation | None]:
    """The old rule, less the stored posts of `ignore_accounts` (said on the page)."""
    score = legacy_score(paper, options)
    if not options.ignore_accounts:
        return score, None
    taken, posts = ignored_posts(paper, options)
    if not posts:
        return score, None
    weighted = bool(options.weights and paper.sources)
    for name, amount in taken.items():
        score -= (options.weight(name) if weighted else 1.0) * amount
    return max(0.0, score), Explanation(ignored=posts)


def mention_score(mention: Mention, options: Options) -> float | None:
    """reposts + likes, weighted by source; None when the counts are unknown."""
    if not mention.counts_known:
        return None
    return options.weight(mention.source) * mention.score


def select_embeds(paper: Paper, options: Options) -> tuple[Mention, ...]:
    """The best posts at or above the threshold, then posts with unknown counts in stored
    order; under the `accounts` ranking, one per account and none of ignored accounts."""
    if options.ranking != "legacy":
        shown = voices(paper.mentions, options)
    elif options.ignore_accounts:
        shown = [m for m in paper.mentions if not ignored(m, options)]
    else:
        shown = list(paper.mentions)
    scored = [(mention_score(m, options), m) for m in shown]
    known = [(s, m) for s, m in scored if s is not None and s >= options.embed_min_score]
    known.sort(key=lambda pair: pair[0], reverse=True)
    unknown = [m for s, m in scored if s is None]
    chosen = [m for _, m in known] + unknown
    return tuple(chosen[: options.max_embeds])


def rank_day(day: Day, options: Options) -> list[RankedPaper]:
    """The papers a page lists, best first, each with the posts it embeds."""
    linked = linked_papers(day) if options.ranking != "legacy" else {}
    listed = []
    for paper in day.papers:
        if paper.pdf or not options.require_pdf:
            score, explanation = paper_score(paper, options, linked)
            if score >= options.min_score:
                listed.append((score, paper, explanation))
    listed.sort(key=lambda item: item[0], reverse=True)
    if options.max_papers is not None:
        listed = listed[: options.max_papers]
    return [
        RankedPaper(rank, paper, score, select_embeds(paper, options), explanation)
        for rank, (score, paper, explanation) in enumerate(listed, start=1)
    ]
