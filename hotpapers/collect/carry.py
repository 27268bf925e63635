"""Re-collecting a day never loses data: what a source found before is kept when it
does not answer now (failed, skipped, not covered or disabled).

Counts change only from fresh answers. For each source that did not answer, the
earlier day's per-paper counts and mentions of that source are carried over as
stored, byte for byte; a paper only that source found keeps its whole earlier
record (metadata and `counted_at` included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from hotpapers.model import SOURCE_NAME, Counts, Day, Mention, Paper, Repeats


@dataclass
class Carried:
    """One paper's data from the earlier day, for the sources that did not answer now."""

    paper: Paper
    sources: dict[str, Counts] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    repeats: dict[str, Repeats] = field(default_factory=dict)

    @property
    def source_names(self) -> set[str]:
        return {*self.sources, *(m.source for m in self.mentions)}


def carried_over(previous: Day | None, silent: Iterable[str]) -> dict[str, Carried]:
    """Per paper id: what `previous` holds from the `silent` sources (those without a
    fresh answer). Empty when there is no earlier day."""
    if previous is None:
        return {}
    silent = set(silent)
    kept: dict[str, Carried] = {}
    for paper in previous.papers:
        sources = {name: c for name, c in breakdown(paper).items() if name in silent}
        mentions = [m for m in paper.mentions if m.source in silent]
        repeats = {name: r for name, r in paper.repeats.items() if name in silent}
        if sources or mentions:
            kept[paper.id] = Carried(paper, sources, mentions, repeats)
    return kept


def unknown_sources(previous: Day | None, known: Iterable[str]) -> set[str]:
    """Sources the earlier day holds that this version does not ask (a later version's)."""
    if previous is None:
        return set()
    held = {n for p in previous.papers for n in (*breakdown(p), *(m.source for m in p.mentions))}
    return held - set(known)


# The old system counted posts on Twitter: an imported paper without any post stored
# (and without a breakdown) holds X's counts.
IMPORTED_SOURCE = "x"


def breakdown(paper: Paper) -> dict[str, Counts]:
    """The per-source counts. A paper stored without them (an imported one) has its
    totals attributed to its only source when all its mentions share one (to X when it
    has none), else each source gets the sums of its stored mentions."""
    if paper.sources:
        return paper.sources
    names = {m.source for m in paper.mentions}
    if len(names) <= 1:
        return {names.pop() if names else IMPORTED_SOURCE: paper.totals}
    sums: dict[str, Counts] = {}
    for mention in paper.mentions:
        counts = sums.get(mention.source, Counts())
        sums[mention.source] = Counts(
            (counts.reposts or 0) + (mention.reposts or 0),
            (counts.likes or 0) + (mention.likes or 0),
        )
    return sums


def earlier_embeds(previous: Day | None) -> Mapping[tuple[str, str], str]:
    """oEmbed HTML already stored, by (source, post id): a post found again keeps it."""
    if previous is None:
        return {}
    return {
        (m.source, m.id): m.embed_html
        for paper in previous.papers
        for m in paper.mentions
        if m.embed_html is not None
    }


def status_names(carried: Mapping[str, Carried]) -> list[str]:
    """The sources whose status says their earlier data was kept (plain names only: the
    keys of a day's `sources` are source names)."""
    names = {name for kept in carried.values() for name in kept.source_names}
    return sorted(name for name in names if SOURCE_NAME.fullmatch(name))


def kept_status(status: str) -> str:
    return f"{status} (earlier data kept)"
