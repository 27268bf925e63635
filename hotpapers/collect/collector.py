"""Collect one day: mentions first, then metadata only for papers worth keeping.

1. Each social source returns the posts linking to arxiv.org in the day's UTC
   window; arXiv ids are extracted from every link (versions fold together).
2. Mentions are aggregated per paper into `totals` (and a per-source breakdown).
3. Papers under the collection floor are dropped; arXiv metadata is fetched
   for the rest in batches of 100. A paper arXiv does not know is dropped.
4. oEmbed HTML is fetched for the posts a page will show.

Re-collecting a day that has a file keeps what a source found before when the
source gives no fresh answer this time (see `carry`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import datetime, time, timedelta, timezone

import requests

from hotpapers.accounts import linked_by_account
from hotpapers.collect.carry import (
    Carried,
    breakdown,
    carried_over,
    earlier_embeds,
    kept_status,
    status_names,
    unknown_sources,
)
from hotpapers.collect.sources import (
    COMMON_OPTIONS,
    Context,
    Found,
    Source,
    SourceOption,
    check_options,
    rfc3339,
)
from hotpapers.collect.sources import arxiv as arxiv_source
from hotpapers.collect.sources import bluesky as bluesky_source
from hotpapers.collect.sources import huggingface as hf_source
from hotpapers.collect.sources import reddit as reddit_source
from hotpapers.collect.sources import x as x_source
from hotpapers.collect.sources.arxiv import Metadata, fetch_metadata
from hotpapers.collect.sources.bluesky import BlueskySource
from hotpapers.collect.sources.hackernews import HackerNewsSource
from hotpapers.collect.sources.huggingface import HuggingFaceSource
from hotpapers.collect.sources.oembed import DEFAULT_BASE_URLS, WORKERS_PER_HOST, Embedder
from hotpapers.collect.sources.reddit import RedditSource
from hotpapers.collect.sources.x import XSource
from hotpapers.collect.transport import requests_stop_on_error
from hotpapers.config import Options
from hotpapers.errors import ConfigError, NotCovered, NothingCollected, SourceError
from hotpapers.model import (
    MAX_COUNT,
    Counts,
    Day,
    Mention,
    Paper,
    Repeats,
    add_counts,
    known_sum,
)
from hotpapers.rank import counts_score, legacy_score, paper_score, rank_day, select_embeds

log = logging.getLogger("hotpapers.collect.collector")

SOCIAL_SOURCES: tuple[Source, ...] = (
    XSource(),
    BlueskySource(),
    HackerNewsSource(),
    HuggingFaceSource(),
    RedditSource(),
)
# The options each table takes.
SOURCE_OPTIONS: dict[str, Mapping[str, SourceOption]] = {
    **{source.name: {**COMMON_OPTIONS, **source.options} for source in SOCIAL_SOURCES},
    "arxiv": {"base_url": COMMON_OPTIONS["base_url"], **arxiv_source.OPTIONS},
}
# An oEmbed table takes `base_url` only.
EMBED_OPTIONS: dict[str, Mapping[str, SourceOption]] = {
    name: {"base_url": COMMON_OPTIONS["base_url"]} for name in DEFAULT_BASE_URLS
}
CREDENTIALS = (
    x_source.TOKEN,
    bluesky_source.HANDLE,
    bluesky_source.PASSWORD,
    hf_source.TOKEN,
    reddit_source.CLIENT_ID,
    reddit_source.CLIENT_SECRET,
)
_CREDENTIAL = re.compile(r"[\x21-\x7e]+")


# What parsing an answer of an unexpected shape raises (`answer["id"]` of a list, ...).
_MALFORMED = (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError)


Progress = Callable[[str, int, int | None], None]  # (task, done, total or None)


def check_credentials(env: Mapping[str, str]) -> None:
    """A credential with whitespace or other characters no token has is one line naming it.

    (A trailing line break, common when a secret is pasted, would otherwise make
    requests refuse the header and quote its value: the token, in the log.)
    """
    for name in CREDENTIALS:
        value = env.get(name)
        if value and not _CREDENTIAL.fullmatch(value):
            raise ConfigError(
                f"environment variable {name}: holds whitespace or characters a credential "
                "does not have (a trailing line break?); set it without them"
            )


def check_source_options(options: Options, where: str) -> None:
    """Unknown tables, unknown keys and unusable values are configuration errors, named
    precisely, before the first request."""
    for table, declared in (("sources", SOURCE_OPTIONS), ("embeds", EMBED_OPTIONS)):
        values = options.sources if table == "sources" else options.embed_endpoints
        for name, settings in values.items():
            if name not in declared:
                known = ", ".join(sorted(declared))
                raise ConfigError(f"{where}: unknown table [{table}.{name}] (known: {known})")
            check_options(settings, declared[name], f"{where}: [{table}.{name}]")


@dataclass
class Collector:
    """Collects days with one session; remembers notes for the end-of-run report."""

    options: Options
    session: requests.Session
    env: Mapping[str, str]
    where: str = "config"
    progress: Progress = lambda task, done, total: None
    notes: list[str] = field(default_factory=list)
    skipped_reported: set[str] = field(default_factory=set)
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    embed_workers: int = WORKERS_PER_HOST  # oEmbed requests in flight per host

    def context(self, table: str, name: str, task: str, total: int | None = None) -> Context:
        settings = self.options.sources if table == "sources" else self.options.embed_endpoints
        declared = SOURCE_OPTIONS if table == "sources" else EMBED_OPTIONS
        return Context(
            session=self.session,
            settings=settings.get(name, {}),
            declared=declared.get(name, {}),
            where=f"{self.where}: [{table}.{name}]",
            timeout=self.options.timeout,
            env=self.env,
            progress=lambda done: self.progress(task, done, total),
            notes=self.notes,
            now=self.now,
            max_wait=self.options.max_wait,
        )

    def collect(self, day: Date, now: datetime, previous: Day | None = None) -> Day:
        """One day's snapshot; raises `ArxivUnreachable` when arXiv cannot be asked.

        `previous` is the day's earlier file, if any: what a source without a fresh
        answer found then is kept.
        """
        self.now = now
        start = datetime.combine(day, time(0), tzinfo=timezone.utc)
        end = start + timedelta(days=1)
        statuses: dict[str, str] = {}
        found: list[Found] = []
        # The services are asked at once; what they found is taken in a fixed order.
        # Ctrl-C (or an error) here stops the other sources' requests and waits too.
        sources = ThreadPoolExecutor(len(SOCIAL_SOURCES), thread_name_prefix="source")
        with sources as pool, requests_stop_on_error():
            runs = [pool.submit(self._run_source, source, start, end) for source in SOCIAL_SOURCES]
            for source, run in zip(SOCIAL_SOURCES, runs, strict=True):
                statuses[source.name], source_found, notes, said = run.result()
                found.extend(source_found)
                self.notes.extend(notes)
                for level, line in said:  # here, in the sources' order
                    log.log(level, "%s", line)
        if not any(status == "ok" for status in statuses.values()):
            details = "; ".join(f"{name}: {status}" for name, status in statuses.items())
            raise NothingCollected(f"no source answered ({details})")
        silent = [name for name, status in statuses.items() if status != "ok"]
        carried = carried_over(previous, [*silent, *unknown_sources(previous, statuses)])
        for name in status_names(carried):
            statuses[name] = kept_status(statuses.get(name, "not a source of this version"))
        earlier = {paper.id: paper for paper in previous.papers} if previous else {}
        contexts = {name: self.context("embeds", name, "oEmbed") for name in EMBED_OPTIONS}
        with Embedder(contexts, self.embed_workers) as embedder:
            papers = self._papers(found, now, carried, earlier, earlier_embeds(previous), embedder)
            day_record = Day(
                date=day.isoformat(),
                collected_at=rfc3339(now),
                papers=tuple(papers),
                sources=statuses,
            )
            return self._with_embeds(day_record, embedder)

    def _run_source(
        self, source: Source, start: datetime, end: datetime
    ) -> tuple[str, list[Found], list[str], list[tuple[int, str]]]:
        """How the source fared, what it found, its notes and the lines to log."""
        notes: list[str] = []
        said: list[tuple[int, str]] = []
        settings = self.options.sources.get(source.name, {})
        if settings.get("enabled", True) is False:
            return "disabled", [], notes, said
        missing = source.missing_credentials(self.env)
        if missing is not None:
            if source.name not in self.skipped_reported:
                said.append((logging.INFO, f"{source.name}: skipped, {missing} is not set"))
                self.skipped_reported.add(source.name)
            return f"skipped: {missing} not set", [], notes, said
        context = self.context("sources", source.name, f"{start.date()} {source.name}")
        context = replace(context, notes=notes)
        try:
            found = list(source.search(context, start, end))
        except NotCovered as error:
            said.append((logging.INFO, f"{source.name}: {error}"))
            return f"skipped: {error}", [], notes, said
        except SourceError as error:
            problem = str(error)
        except _MALFORMED as error:
            # A field missing or of the wrong type somewhere in an answer.
            problem = (
                f"{source.name}: answered data of an unexpected shape ({type(error).__name__})"
            )
        else:
            return "ok", found, notes, said
        said.append((logging.WARNING, f"{problem} (the day is written from the other sources)"))
        return f"failed: {problem}", [], notes, said

    def _papers(
        self,
        found: list[Found],
        now: datetime,
        carried: Mapping[str, Carried],
        earlier: Mapping[str, Paper],
        embeds: Mapping[tuple[str, str], str],
        embedder: Embedder,
    ) -> list[Paper]:
        """Fresh posts per paper, merged with what silent sources found before.

        What was carried over is never dropped: not by the collection floor, not by
        `keep_mentions` (carried posts come in addition), not when arXiv's answer
        leaves a paper out (its earlier metadata is kept). While arXiv is asked (a batch,
        then a pause), the posts of papers it described that are sure to be shown are
        embedded already.
        """
        linked = _linked_papers(found)
        # A post counts once per paper, however often it was found.
        by_paper: dict[str, dict[tuple[str, str], Mention]] = {}
        for post in found:
            for arxiv_id in post.arxiv_ids:
                key = (post.mention.source, post.mention.id)
                mention = post.mention
                if mention.account:
                    mention = replace(
                        mention, account_papers=linked[(mention.source, mention.account)]
                    )
                if mention.embed_html is None and key in embeds:  # no need to ask again
                    mention = replace(mention, embed_html=embeds[key])
                by_paper.setdefault(arxiv_id, {})[key] = mention
        candidates: list[_Candidate] = []
        for arxiv_id, posts in by_paper.items():
            kept = carried.get(arxiv_id)
            per_source = _sums(posts.values())
            fresh, repeats = _kept(posts.values(), self.options.keep_mentions)
            mentions = fresh + (kept.mentions if kept is not None else [])
            if kept is not None:
                per_source.update(kept.sources)
                repeats = {n: r for n, r in repeats.items() if n not in kept.sources}
                repeats.update(kept.repeats)
            floor = counts_score(_totals(per_source), per_source, self.options)
            if kept is not None or floor >= self.options.collect_min_score:
                candidates.append(
                    _Candidate(arxiv_id, _best(mentions, None), per_source, repeats, floor)
                )
        only_kept = [_only_kept(k.paper, k) for i, k in carried.items() if i not in by_paper]
        # What `rank_day` will weigh accounts by (`linked_papers`): the counts recorded on
        # the stored posts, carried ones too; `linked` (this run's) gives the bounds.
        final_linked = linked_by_account(
            [
                *((c.arxiv_id, c.mentions) for c in candidates),
                *((p.id, p.mentions) for p in only_kept),
            ]
        )

        def embed_early(known: Mapping[str, Metadata]) -> None:
            sure = self._sure_posts(candidates, only_kept, known, (linked, final_linked), now)
            embedder.start(sure)

        metadata_context = self.context("sources", "arxiv", "arXiv metadata", len(candidates))
        metadata = fetch_metadata(
            metadata_context, [c.arxiv_id for c in candidates], on_batch=embed_early
        )
        papers = []
        for candidate in candidates:
            # arXiv's answer, or what the earlier file holds for a paper it left out.
            info = metadata.get(candidate.arxiv_id) or earlier.get(candidate.arxiv_id)
            if info is None:
                log.info("arXiv does not know %s: dropped", candidate.arxiv_id)
                continue
            papers.append(candidate.paper(info, now))
        papers.extend(only_kept)
        papers.sort(key=lambda p: (-legacy_score(p, self.options), p.id))
        return papers

    def _sure_posts(
        self,
        candidates: list[_Candidate],
        only_kept: list[Paper],
        known: Mapping[str, Metadata],
        linked: tuple[Mapping[tuple[str, str], int], Mapping[tuple[str, str], int]],
        now: datetime,
    ) -> list[tuple[str, str]]:
        """The posts to embed of the papers arXiv described so far that the page will
        show whatever it says of the others: each such paper's score is known, and with
        `max_papers` no more papers than that can rank at or above it (a paper not yet
        described at most reaches the sum of its counts). `linked`: this run's accounts'
        paper counts (the least, for the bounds) and the page's (the most, for "shown")."""
        options = self.options
        fresh_linked, final_linked = linked
        shown: list[tuple[float, Paper]] = []
        bounds = [legacy_score(paper, options) for paper in only_kept]
        for candidate in candidates:
            info = known.get(candidate.arxiv_id)
            if info is None:
                bounds.append(candidate.floor)
                continue
            paper = candidate.paper(info, now)
            score, _ = paper_score(paper, options, fresh_linked)
            least, _ = paper_score(paper, options, final_linked)
            bounds.append(score)
            if (paper.pdf or not options.require_pdf) and least >= options.min_score:
                shown.append((least, paper))
        if options.max_papers is not None:
            most = options.max_papers
            shown = [(s, p) for s, p in shown if sum(b >= s for b in bounds) <= most]
        return [
            (mention.source, mention.url)
            for _, paper in shown
            for mention in select_embeds(paper, options)
            if mention.embed_html is None and mention.source in EMBED_OPTIONS
        ]

    def _with_embeds(self, day: Day, embedder: Embedder) -> Day:
        """Fetch oEmbed HTML for the posts the page will show; keep the rest as they are.

        Each post is asked for once, however many papers it links.
        """
        wanted = {
            (m.source, m.id)
            for item in rank_day(day, self.options)
            for m in item.embeds
            if m.embed_html is None and m.source in EMBED_OPTIONS
        }
        if not wanted:
            return day
        posts = list(
            dict.fromkeys(
                (m.source, m.url)
                for paper in day.papers
                for m in paper.mentions
                if (m.source, m.id) in wanted
            )
        )
        fetched = embedder.results(
            posts, progress=lambda done: self.progress("oEmbed", done, len(posts))
        )
        html = dict(zip(posts, fetched, strict=True))
        papers = []
        for paper in day.papers:
            mentions = tuple(
                replace(m, embed_html=html[(m.source, m.url)]) if (m.source, m.id) in wanted else m
                for m in paper.mentions
            )
            papers.append(replace(paper, mentions=mentions))
        return replace(day, papers=tuple(papers))


@dataclass
class _Candidate:
    arxiv_id: str
    mentions: list[Mention]
    per_source: dict[str, Counts]
    repeats: dict[str, Repeats]
    floor: float  # the sum of its counts: no ranking scores it higher

    @property
    def totals(self) -> Counts:
        return _totals(self.per_source)

    def paper(self, info: Metadata | Paper, now: datetime) -> Paper:
        """The paper, with arXiv's metadata (or an earlier file's)."""
        return Paper(
            id=self.arxiv_id,
            title=info.title,
            authors=info.authors,
            abstract=info.abstract,
            categories=info.categories,
            counted_at=rfc3339(now),
            totals=self.totals,
            mentions=tuple(self.mentions),
            pdf=info.pdf,
            sources=self.per_source,
            repeats=dict(sorted(self.repeats.items())),
        )


def _kept(posts: Iterable[Mention], most: int) -> tuple[list[Mention], dict[str, Repeats]]:
    """The `most` posts to store, best first: each account's best post before any
    account's second, so the stored posts hold as many voices as they can. And per
    source, the posts not stored whose account has a better post of the paper there
    (counted once by the `accounts` ranking), with their counts."""
    firsts: list[Mention] = []
    seconds: list[Mention] = []  # an account's posts after its best
    seen: set[tuple[str, str]] = set()
    for post in _best(posts, None):
        if post.account:
            key = (post.source, post.account)
            if key in seen:
                seconds.append(post)
                continue
            seen.add(key)
        firsts.append(post)
    stored = (firsts + seconds)[:most]
    repeats: dict[str, Repeats] = {}
    for post in seconds[max(0, most - len(firsts)) :]:  # the seconds not stored
        known = repeats.get(post.source, Repeats(0))
        repeats[post.source] = Repeats(
            known.posts + 1, known.reposts + (post.reposts or 0), known.likes + (post.likes or 0)
        )
    return _best(stored, None), repeats


def _linked_papers(found: Iterable[Found]) -> dict[tuple[str, str], int]:
    """(source, account id) -> the distinct papers the account's posts linked (bulk posters)."""
    papers: dict[tuple[str, str], set[str]] = {}
    for post in found:
        if post.mention.account:
            key = (post.mention.source, post.mention.account)
            papers.setdefault(key, set()).update(post.arxiv_ids)
    return {key: len(ids) for key, ids in papers.items()}


def _best(mentions: Iterable[Mention], most: int | None) -> list[Mention]:
    """The posts with the highest counts first (stable), at most `most`."""
    ordered = sorted(mentions, key=lambda m: m.score, reverse=True)
    return ordered if most is None else ordered[:most]


def _sums(mentions: Iterable[Mention]) -> dict[str, Counts]:
    by_source: dict[str, list[Mention]] = {}
    for mention in mentions:
        by_source.setdefault(mention.source, []).append(mention)
    return {
        name: add_counts(*(Counts(m.reposts, m.likes, m.quotes) for m in posts))
        for name, posts in by_source.items()
    }


def _totals(per_source: Mapping[str, Counts]) -> Counts:
    """`totals` are integers: the sums of the known counts."""
    counts = list(per_source.values())
    return Counts(
        min(sum(c.reposts or 0 for c in counts), MAX_COUNT),
        min(sum(c.likes or 0 for c in counts), MAX_COUNT),
        known_sum(c.quotes for c in counts),
    )


def _only_kept(paper: Paper, kept: Carried) -> Paper:
    """A paper only silent sources found: its earlier record, less what fresh answers
    replaced (the sources that did answer found nothing for it now)."""
    if set(kept.sources) == set(breakdown(paper)) and len(kept.mentions) == len(paper.mentions):
        return paper  # byte for byte
    return replace(
        paper,
        totals=_totals(kept.sources),
        sources=kept.sources,
        mentions=tuple(kept.mentions),
        repeats=kept.repeats,
    )


def long_lived_prefixes(options: Options) -> list[str]:
    """URL prefixes whose answers do not change: arXiv metadata and oEmbed."""
    from hotpapers.collect.sources import oembed

    prefixes = [
        str(options.sources.get("arxiv", {}).get("base_url", arxiv_source.DEFAULT_BASE_URL)).rstrip(
            "/"
        )
        + arxiv_source.PATH
    ]
    for name, default in oembed.DEFAULT_BASE_URLS.items():
        base = str(options.embed_endpoints.get(name, {}).get("base_url", default)).rstrip("/")
        prefixes.append(base + oembed.PATH)
    return prefixes
