"""Collect one day: mentions first, then metadata only for papers worth keeping.

1. Each social source returns the posts linking to arxiv.org in the day's UTC
   window; arXiv ids are extracted from every link (versions fold together).
2. Mentions are aggregated per paper into `totals` (and a per-source breakdown).
3. Papers under the collection floor are dropped; arXiv metadata is fetched
   for the rest in batches of 100. A paper arXiv does not know is dropped.
4. oEmbed HTML is fetched for the posts a page will show.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date as Date
from datetime import datetime, time, timedelta, timezone

import requests

from .config import Options
from .errors import ConfigError, DayNotCollected
from .http import SourceError
from .model import Counts, Day, Mention, Paper
from .rank import counts_score, paper_score, rank_day
from .sources import Context, Found, Source
from .sources import bluesky as bluesky_source
from .sources import huggingface as hf_source
from .sources import x as x_source
from .sources.arxiv import fetch_metadata
from .sources.bluesky import BlueskySource
from .sources.hackernews import HackerNewsSource
from .sources.huggingface import HuggingFaceSource
from .sources.oembed import embed_html
from .sources.x import XSource

log = logging.getLogger("hotpapers.collect")

SOCIAL_SOURCES: tuple[Source, ...] = (
    XSource(),
    BlueskySource(),
    HackerNewsSource(),
    HuggingFaceSource(),
)
SOURCE_OPTIONS = {
    "x": {"base_url", "enabled", "max_posts", "cost_per_post"},
    "bluesky": {"base_url", "enabled", "max_posts"},
    "hackernews": {"base_url", "enabled", "max_posts"},
    "huggingface": {"base_url", "enabled", "max_posts"},
    "arxiv": {"base_url", "batch_size", "delay_seconds"},
}
EMBED_OPTIONS = {"x": {"base_url"}, "bluesky": {"base_url"}}
CREDENTIALS = (x_source.TOKEN, bluesky_source.HANDLE, bluesky_source.PASSWORD, hf_source.TOKEN)
_CREDENTIAL = re.compile(r"[\x21-\x7e]+")


# What parsing an answer of an unexpected shape raises (`answer["id"]` of a list, ...).
_MALFORMED = (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError)


class NothingCollected(DayNotCollected):
    """Every source failed or was skipped: writing would replace data with nothing."""


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
    """Unknown source tables or keys are configuration errors, named precisely."""
    for table, known in (("sources", SOURCE_OPTIONS), ("embeds", EMBED_OPTIONS)):
        values = options.sources if table == "sources" else options.embed_endpoints
        for name, settings in values.items():
            if name not in known:
                raise ConfigError(
                    f"{where}: unknown table [{table}.{name}] (known: {', '.join(sorted(known))})"
                )
            unknown = sorted(set(settings) - known[name])
            if unknown:
                raise ConfigError(f"{where}: [{table}.{name}]: unknown option '{unknown[0]}'")


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

    def context(self, table: str, name: str, task: str, total: int | None = None) -> Context:
        settings = self.options.sources if table == "sources" else self.options.embed_endpoints
        return Context(
            session=self.session,
            settings=settings.get(name, {}),
            where=f"{self.where}: [{table}.{name}]",
            timeout=self.options.timeout,
            env=self.env,
            progress=lambda done: self.progress(task, done, total),
            notes=self.notes,
        )

    def collect(self, day: Date, now: datetime) -> Day:
        """One day's snapshot; raises `ArxivUnreachable` when arXiv cannot be asked."""
        start = datetime.combine(day, time(0), tzinfo=timezone.utc)
        end = start + timedelta(days=1)
        statuses: dict[str, str] = {}
        found: list[Found] = []
        for source in SOCIAL_SOURCES:
            statuses[source.name] = self._run_source(source, start, end, found)
        if not any(status == "ok" for status in statuses.values()):
            details = "; ".join(f"{name}: {status}" for name, status in statuses.items())
            raise NothingCollected(f"no source answered ({details})")
        papers = self._papers(found, now)
        day_record = Day(
            date=day.isoformat(),
            collected_at=_timestamp(now),
            papers=tuple(papers),
            sources=statuses,
        )
        return self._with_embeds(day_record)

    def _run_source(
        self, source: Source, start: datetime, end: datetime, found: list[Found]
    ) -> str:
        settings = self.options.sources.get(source.name, {})
        if settings.get("enabled", True) is False:
            return "disabled"
        missing = source.missing_credentials(self.env)
        if missing is not None:
            if source.name not in self.skipped_reported:
                log.info("%s: skipped, %s is not set", source.name, missing)
                self.skipped_reported.add(source.name)
            return f"skipped: {missing} not set"
        context = self.context("sources", source.name, f"{start.date()} {source.name}")
        before = len(found)
        try:
            found.extend(source.search(context, start, end))
        except SourceError as error:
            problem = str(error)
        except _MALFORMED as error:
            # A field missing or of the wrong type somewhere in an answer.
            problem = (
                f"{source.name}: answered data of an unexpected shape ({type(error).__name__})"
            )
        else:
            return "ok"
        del found[before:]
        log.warning("%s (the day is written from the other sources)", problem)
        return f"failed: {problem}"

    def _papers(self, found: list[Found], now: datetime) -> list[Paper]:
        # A post counts once per paper, however often it was found.
        by_paper: dict[str, dict[tuple[str, str], Mention]] = {}
        for post in found:
            for arxiv_id in post.arxiv_ids:
                key = (post.mention.source, post.mention.id)
                by_paper.setdefault(arxiv_id, {})[key] = post.mention
        candidates: list[tuple[str, list[Mention], Counts, dict[str, Counts]]] = []
        for arxiv_id, posts in by_paper.items():
            mentions = list(posts.values())
            per_source: dict[str, Counts] = {}
            for mention in mentions:
                counts = per_source.get(mention.source, Counts())
                per_source[mention.source] = Counts(
                    counts.reposts + (mention.reposts or 0), counts.likes + (mention.likes or 0)
                )
            totals = Counts(
                sum(c.reposts for c in per_source.values()),
                sum(c.likes for c in per_source.values()),
            )
            candidates.append((arxiv_id, mentions, totals, per_source))
        kept = [
            c
            for c in candidates
            if counts_score(c[2], c[3], self.options) >= self.options.collect_min_score
        ]
        metadata_context = self.context("sources", "arxiv", "arXiv metadata", len(kept))
        metadata = fetch_metadata(metadata_context, [c[0] for c in kept])
        papers = []
        for arxiv_id, mentions, totals, per_source in kept:
            meta = metadata.get(arxiv_id)
            if meta is None:
                log.info("arXiv does not know %s: dropped", arxiv_id)
                continue
            ordered = sorted(
                mentions, key=lambda m: (m.reposts or 0) + (m.likes or 0), reverse=True
            )
            papers.append(
                Paper(
                    id=arxiv_id,
                    title=meta.title,
                    authors=meta.authors,
                    abstract=meta.abstract,
                    categories=meta.categories,
                    counted_at=_timestamp(now),
                    totals=totals,
                    mentions=tuple(ordered[: self.options.keep_mentions]),
                    pdf=meta.pdf,
                    sources=per_source,
                )
            )
        papers.sort(key=lambda p: (-paper_score(p, self.options), p.id))
        return papers

    def _with_embeds(self, day: Day) -> Day:
        """Fetch oEmbed HTML for the posts the page will show; keep the rest as they are."""
        wanted = {
            (m.source, m.id)
            for item in rank_day(day, self.options)
            for m in item.embeds
            if m.embed_html is None
        }
        if not wanted:
            return day
        contexts = {
            name: self.context("embeds", name, "oEmbed", len(wanted)) for name in EMBED_OPTIONS
        }
        done = 0
        papers = []
        for paper in day.papers:
            mentions = []
            for mention in paper.mentions:
                if (mention.source, mention.id) in wanted and mention.source in contexts:
                    done += 1
                    context = contexts[mention.source]
                    mention = replace(
                        mention, embed_html=embed_html(context, mention.source, mention.url)
                    )
                    context.progress(done)
                mentions.append(mention)
            papers.append(replace(paper, mentions=tuple(mentions)))
        return replace(day, papers=tuple(papers))


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def long_lived_prefixes(options: Options) -> list[str]:
    """URL prefixes whose answers do not change: arXiv metadata and oEmbed."""
    from .sources import arxiv as arxiv_source
    from .sources import oembed

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
