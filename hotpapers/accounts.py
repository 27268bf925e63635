"""One voice per account: which posts count toward a paper's score, and how much.

The `accounts` ranking starts from the counts of every post found (a paper's
per-source counts, or its totals) and takes away what the rules set aside:

* an account counts once per source: its best post (most reposts + likes, the first
  stored on a tie); its other posts of the paper are taken away, the stored ones and
  those collection found beyond them (`Paper.repeats`);
* a post of an ignored account is taken away (and never shown);
* a post by one of the paper's authors counts `author_weight`, a post of an account
  that linked more than `bulk_papers` papers that day counts `bulk_weight` (the lower
  one when both apply); a trusted account always counts in full.

Posts without an account id are each their own voice. Data without account ids or
per-post counts (the old blog's posts) therefore ranks exactly as under `legacy`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hotpapers.authors import by_author
from hotpapers.config import AccountList, Options
from hotpapers.model import Day, Mention, Paper

# (source, account id) -> how many distinct papers the account linked that day
Linked = Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Explanation:
    """What counted toward a paper's score and what did not."""

    # source -> distinct accounts among its stored posts (posts without an id count one each)
    accounts: Mapping[str, int] = field(default_factory=dict)
    # sources with posts found beyond the stored ones and their repeats (accounts unknown)
    more: frozenset[str] = frozenset()
    repeats: int = 0  # further posts of an account already counted
    ignored: int = 0  # posts of ignored accounts
    by_authors: int = 0  # posts by the paper's authors, down-weighted
    by_bulk: int = 0  # posts of bulk posters, down-weighted
    by_both: int = 0  # posts by an author who is also a bulk poster

    @property
    def adjusted(self) -> bool:
        return bool(self.repeats or self.ignored or self.by_authors or self.by_bulk or self.by_both)


def combined(explanations: Iterable[Explanation]) -> Explanation:
    """The posts set aside over several days (accounts are not comparable across days)."""
    items = list(explanations)
    return Explanation(
        repeats=sum(e.repeats for e in items),
        ignored=sum(e.ignored for e in items),
        by_authors=sum(e.by_authors for e in items),
        by_bulk=sum(e.by_bulk for e in items),
        by_both=sum(e.by_both for e in items),
    )


def linked_papers(day: Day) -> dict[tuple[str, str], int]:
    """For each account of the day's stored posts, the distinct papers it linked: the
    count collection recorded, or the papers of the day file, whichever is larger."""
    return linked_by_account((paper.id, paper.mentions) for paper in day.papers)


def linked_by_account(
    papers: Iterable[tuple[str, Iterable[Mention]]],
) -> dict[tuple[str, str], int]:
    """`linked_papers` of papers given as (id, stored posts)."""
    seen: dict[tuple[str, str], set[str]] = {}
    recorded: dict[tuple[str, str], int] = {}
    for paper_id, mentions in papers:
        for mention in mentions:
            if not mention.account:
                continue
            key = (mention.source, mention.account)
            seen.setdefault(key, set()).add(paper_id)
            if mention.account_papers is not None:
                recorded[key] = max(recorded.get(key, 0), mention.account_papers)
    return {key: max(len(papers), recorded.get(key, 0)) for key, papers in seen.items()}


def _listed(lists: Mapping[str, AccountList], mention: Mention) -> bool:
    found = lists.get(mention.source)
    return found is not None and found.holds(mention.account, mention.handle)


def ignored(mention: Mention, options: Options) -> bool:
    return _listed(options.ignored, mention)


def _voice_key(mention: Mention) -> tuple[str, str]:
    if not mention.account:  # no id (or an empty one): a voice of its own
        return ("post", mention.id)
    return ("account", mention.account)


def voices(mentions: Sequence[Mention], options: Options) -> list[Mention]:
    """Each account's best post per source (in stored order), ignored accounts left out."""
    best: dict[tuple[str, str, str], Mention] = {}
    for mention in mentions:
        if ignored(mention, options):
            continue
        key = (mention.source, *_voice_key(mention))
        kept = best.get(key)
        if kept is None or mention.score > kept.score:
            best[key] = mention
    chosen = {id(m) for m in best.values()}
    return [m for m in mentions if id(m) in chosen]


@dataclass
class _Tally:
    taken: dict[str, float] = field(default_factory=dict)  # source -> counts taken away
    repeats: int = 0
    ignored: int = 0
    by_authors: int = 0
    by_bulk: int = 0
    by_both: int = 0

    def take(self, source: str, amount: float) -> None:
        self.taken[source] = self.taken.get(source, 0.0) + amount


def _weigh(mention: Mention, paper: Paper, linked: Linked, options: Options, tally: _Tally) -> None:
    """Take away what a counted post does not weigh."""
    if mention.score == 0 or _listed(options.trusted, mention):
        return  # nothing to weigh, or counted in full
    author = options.author_weight < 1 and by_author(mention, paper.authors)
    bulk = (
        options.bulk_weight < 1
        and bool(mention.account)
        and linked.get((mention.source, mention.account or ""), 0) > options.bulk_papers
    )
    weight = 1.0
    if author and bulk:
        tally.by_both += 1
        weight = min(options.author_weight, options.bulk_weight)
    elif author:
        tally.by_authors += 1
        weight = options.author_weight
    elif bulk:
        tally.by_bulk += 1
        weight = options.bulk_weight
    tally.take(mention.source, (1 - weight) * mention.score)


def account_score(paper: Paper, linked: Linked, options: Options) -> tuple[float, Explanation]:
    """The paper's score under the `accounts` ranking, and why."""
    # With a breakdown, posts of a source it does not hold count for nothing either way.
    mentions = [m for m in paper.mentions if not paper.sources or m.source in paper.sources]
    counted = {id(m) for m in voices(mentions, options)}
    tally = _Tally()
    accounts: dict[str, set[tuple[str, str]]] = {}
    seen: dict[str, int] = {}  # the counts of the stored posts and the known repeats
    for mention in mentions:
        seen[mention.source] = seen.get(mention.source, 0) + mention.score
        if id(mention) in counted:
            accounts.setdefault(mention.source, set()).add(_voice_key(mention))
            _weigh(mention, paper, linked, options, tally)
        else:
            if ignored(mention, options):
                tally.ignored += 1
            else:
                tally.repeats += 1
            tally.take(mention.source, mention.score)
    for name, repeats in paper.repeats.items():
        if paper.sources and name not in paper.sources:
            continue
        tally.repeats += repeats.posts
        tally.take(name, repeats.score)
        seen[name] = seen.get(name, 0) + repeats.score
    weighted = bool(options.weights and paper.sources)
    if paper.sources:
        score = 0.0
        for name, counts in paper.sources.items():
            left = max(0.0, counts.score - tally.taken.get(name, 0.0))
            score += (options.weight(name) if weighted else 1.0) * left
        more = frozenset(
            name for name, counts in paper.sources.items() if counts.score > seen.get(name, 0)
        )
    else:
        score = max(0.0, paper.totals.score - sum(tally.taken.values()))
        more = frozenset(seen) if paper.totals.score > sum(seen.values()) else frozenset()
    identified = {m.source for m in mentions if m.account}
    explanation = Explanation(
        accounts={name: len(keys) for name, keys in sorted(accounts.items()) if name in identified},
        more=more,
        repeats=tally.repeats,
        ignored=tally.ignored,
        by_authors=tally.by_authors,
        by_bulk=tally.by_bulk,
        by_both=tally.by_both,
    )
    return score, explanation


def ignored_posts(paper: Paper, options: Options) -> tuple[dict[str, int], int]:
    """Under the `legacy` ranking: the counts of ignored accounts' stored posts per
    source, and how many posts that is."""
    taken: dict[str, int] = {}
    posts = 0
    for mention in paper.mentions:
        if paper.sources and mention.source not in paper.sources:
            continue  # not in the counts either
        if ignored(mention, options):
            taken[mention.source] = taken.get(mention.source, 0) + mention.score
            posts += 1
    if paper.sources:  # never more than a source's own counts
        taken = {name: min(n, paper.sources[name].score) for name, n in taken.items()}
    return taken, posts
