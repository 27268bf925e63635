"""Scores, thresholds and order: which papers a page lists and which posts it embeds.

Sorting is stable everywhere, so the stored order of a day file breaks ties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hotpapers.config import Options
from hotpapers.model import Counts, Day, Mention, Paper


@dataclass(frozen=True, slots=True)
class RankedPaper:
    rank: int
    paper: Paper
    score: float
    embeds: tuple[Mention, ...]


def counts_score(totals: Counts, sources: Mapping[str, Counts], options: Options) -> float:
    """reposts + likes; with per-source weights, the weighted per-source sum."""
    if options.weights and sources:
        return sum(options.weight(name) * c.score for name, c in sources.items())
    return totals.score


def paper_score(paper: Paper, options: Options) -> float:
    return counts_score(paper.totals, paper.sources, options)


def mention_score(mention: Mention, options: Options) -> float | None:
    """reposts + likes, weighted by source; None when the counts are unknown."""
    if not mention.counts_known:
        return None
    return options.weight(mention.source) * mention.score


def select_embeds(paper: Paper, options: Options) -> tuple[Mention, ...]:
    """The best posts at or above the threshold, then posts with unknown counts in stored order."""
    scored = [(mention_score(m, options), m) for m in paper.mentions]
    known = [(s, m) for s, m in scored if s is not None and s >= options.embed_min_score]
    known.sort(key=lambda pair: pair[0], reverse=True)
    unknown = [m for s, m in scored if s is None]
    chosen = [m for _, m in known] + unknown
    return tuple(chosen[: options.max_embeds])


def rank_day(day: Day, options: Options) -> list[RankedPaper]:
    """The papers a page lists, best first, each with the posts it embeds."""
    scored = [(paper_score(p, options), p) for p in day.papers]
    listed = [
        (score, paper)
        for score, paper in scored
        if score >= options.min_score and (paper.pdf or not options.require_pdf)
    ]
    listed.sort(key=lambda pair: pair[0], reverse=True)
    if options.max_papers is not None:
        listed = listed[: options.max_papers]
    return [
        RankedPaper(rank, paper, score, select_embeds(paper, options))
        for rank, (score, paper) in enumerate(listed, start=1)
    ]
