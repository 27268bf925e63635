"""The snapshot format `hotpapers/1`: day records to JSON and back, with validation.

A decoded day file is checked field by field into a `Day`; every problem found is
reported as one line naming the file, the paper (index and id) and the field.
"""

from __future__ import annotations

from typing import Any

from hotpapers import SCHEMA, ids
from hotpapers.errors import DataError
from hotpapers.model import (
    MAX_COUNT,
    MAX_EMBED_CHARS,
    MAX_EMBED_TAGS,
    MAX_EXTRA_DEPTH,
    MENTION_TEXTS,
    SOURCE_NAME,
    TIMESTAMP,
    Counts,
    Day,
    Mention,
    Paper,
    Repeats,
    embed_html_fits,
    is_date,
    is_moment,
    parses,
)

# --- serialisation ---------------------------------------------------------


def _counts_json(counts: Counts) -> dict[str, int | None]:
    data = {"reposts": counts.reposts, "likes": counts.likes}
    if counts.quotes is not None:
        data["quotes"] = counts.quotes
    return data


def mention_to_json(mention: Mention) -> dict[str, Any]:
    data: dict[str, Any] = {"source": mention.source, "id": mention.id, "url": mention.url}
    if mention.account is not None:
        data["account"] = mention.account
    if mention.account_papers is not None:
        data["account_papers"] = mention.account_papers
    data.update(
        author=mention.author,
        handle=mention.handle,
        created_at=mention.created_at,
        reposts=mention.reposts,
        likes=mention.likes,
    )
    if mention.quotes is not None:
        data["quotes"] = mention.quotes
    if mention.text is not None:
        data["text"] = mention.text
    data["embed_html"] = mention.embed_html
    return data


def paper_to_json(paper: Paper) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "abstract": paper.abstract,
        "categories": list(paper.categories),
    }
    if not paper.pdf:
        data["pdf"] = False
    data["counted_at"] = paper.counted_at
    data["totals"] = _counts_json(paper.totals)
    if paper.sources:
        data["sources"] = {name: _counts_json(c) for name, c in sorted(paper.sources.items())}
    if paper.repeats:
        data["repeats"] = {
            name: {"posts": r.posts, "reposts": r.reposts, "likes": r.likes}
            for name, r in sorted(paper.repeats.items())
        }
    data["mentions"] = [mention_to_json(m) for m in paper.mentions]
    return data


def day_to_json(day: Day) -> dict[str, Any]:
    data: dict[str, Any] = {"schema": SCHEMA, "date": day.date, "collected_at": day.collected_at}
    if day.sources:
        data["sources"] = dict(sorted(day.sources.items()))
    data["papers"] = [paper_to_json(p) for p in day.papers]
    return data


# --- validation ------------------------------------------------------------


class _Checker:
    """Collects problems, one line each: file, then paper (index and id), then field."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[str] = []
        self.prefix = ""

    def problem(self, field_path: str, message: str) -> None:
        self.problems.append(f"{self.where}: {self.prefix}field '{field_path}': {message}")

    def require(self, obj: dict[str, Any], key: str, parent: str = "") -> Any:
        if key not in obj:
            self.problem(_join(parent, key), "missing required field")
            return _MISSING
        return obj[key]

    def string(self, value: Any, path: str, *, optional: bool = False) -> str | None:
        if value is _MISSING or (value is None and optional):
            return None
        if not isinstance(value, str):
            self.problem(path, f"must be a string, got {_describe(value)}")
            return None
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if value is _MISSING:
            return ()
        if not isinstance(value, list):
            self.problem(path, f"must be a list of strings, got {_describe(value)}")
            return ()
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(f"{path}[{index}]", f"must be a string, got {_describe(item)}")
                return ()
        return tuple(value)

    def count(self, value: Any, path: str, *, nullable: bool = False) -> int | None:
        if value is _MISSING or (value is None and nullable):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(path, f"must be a non-negative integer, got {_describe(value)}")
            return None
        if value > MAX_COUNT:
            self.problem(path, f"must be at most 10**15, got {_describe(value)}")
            return None
        return int(value)

    def extra_fields(self, obj: dict[str, Any], known: frozenset[str], parent: str = "") -> None:
        """Fields of a later version are kept out of the way, but not nested without end."""
        for key in obj.keys() - known:
            if _depth_over(obj[key], MAX_EXTRA_DEPTH):
                self.problem(_join(parent, key), f"nested deeper than {MAX_EXTRA_DEPTH} levels")

    def timestamp(self, value: Any, path: str) -> str:
        text = self.string(value, path)
        if text is None:
            return ""
        if not TIMESTAMP.fullmatch(text) or not parses(text[:-1]):
            self.problem(path, f"must be a UTC time like 2021-06-30T13:48:45Z, got {text!r}")
        return text

    def counts(self, value: Any, path: str, *, nullable: bool = False) -> Counts:
        """`totals` hold integers; a per-source breakdown may say null (unknown)."""
        if value is _MISSING:
            return Counts()
        if not isinstance(value, dict):
            self.problem(path, f"must be an object with reposts and likes, got {_describe(value)}")
            return Counts()
        reposts = self.count(
            self.require(value, "reposts", path), f"{path}.reposts", nullable=nullable
        )
        likes = self.count(self.require(value, "likes", path), f"{path}.likes", nullable=nullable)
        quotes = self.count(value.get("quotes"), f"{path}.quotes", nullable=True)
        self.extra_fields(value, _COUNTS_FIELDS, path)
        if nullable:
            return Counts(reposts, likes, quotes)
        return Counts(reposts or 0, likes or 0, quotes)

    def moment(self, value: Any, path: str) -> str | None:
        """An optional time: UTC `YYYY-MM-DDTHH:MM:SSZ`, or `YYYY-MM-DD` (only the day known)."""
        text = self.string(value, path, optional=True)
        if text is not None and not is_moment(text):
            self.problem(
                path,
                "must be a UTC time like 2021-06-30T13:48:45Z or a date like 2021-06-30, "
                f"got {_describe(text)}",
            )
            return None
        return text


_MISSING: Any = object()


def _join(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


_MENTION_FIELDS = frozenset(
    ("source", "id", "url", "reposts", "likes", "quotes", "account_papers", *MENTION_TEXTS)
)
_PAPER_FIELDS = frozenset(
    [
        "id",
        "title",
        "authors",
        "abstract",
        "categories",
        "pdf",
        "counted_at",
        "totals",
        "sources",
        "repeats",
        "mentions",
    ]
)
_DAY_FIELDS = frozenset(("schema", "date", "collected_at", "sources", "papers"))
_COUNTS_FIELDS = frozenset(("reposts", "likes", "quotes"))


def _count_ok(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _depth_over(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit` (iteratively: no recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return False


def _valid_mention(raw: dict[str, Any]) -> Mention | None:
    """The common case without building any message: a mention that is entirely valid."""
    try:
        source, mention_id, url = raw["source"], raw["id"], raw["url"]
        reposts, likes = raw["reposts"], raw["likes"]
    except KeyError:
        return None
    texts = [raw.get(key) for key in MENTION_TEXTS]
    quotes = raw.get("quotes")
    account_papers = raw.get("account_papers")
    created_at = texts[2]
    if not (
        raw.keys() <= _MENTION_FIELDS
        and type(source) is str
        and type(mention_id) is str
        and type(url) is str
        and _count_ok(reposts)
        and _count_ok(likes)
        and _count_ok(quotes)
        and _count_ok(account_papers)
        and all(value is None or type(value) is str for value in texts)
        and embed_html_fits(texts[4])
        and (created_at is None or is_moment(created_at))
    ):
        return None  # the checks below name the problem
    author, handle, _, text, embed_html, account = texts
    return Mention(
        source,
        mention_id,
        url,
        reposts,
        likes,
        author=author,
        handle=handle,
        created_at=created_at,
        text=text,
        embed_html=embed_html,
        account=account,
        quotes=quotes,
        account_papers=account_papers,
    )


def _mention(check: _Checker, raw: Any, path: str) -> Mention | None:
    if isinstance(raw, dict):
        valid = _valid_mention(raw)
        if valid is not None:
            return valid
    if not isinstance(raw, dict):
        check.problem(path, f"must be an object, got {_describe(raw)}")
        return None
    source = check.string(check.require(raw, "source", path), f"{path}.source")
    mention_id = check.string(check.require(raw, "id", path), f"{path}.id")
    url = check.string(check.require(raw, "url", path), f"{path}.url")
    reposts = check.count(check.require(raw, "reposts", path), f"{path}.reposts", nullable=True)
    likes = check.count(check.require(raw, "likes", path), f"{path}.likes", nullable=True)
    quotes = check.count(raw.get("quotes"), f"{path}.quotes", nullable=True)
    account_papers = check.count(raw.get("account_papers"), f"{path}.account_papers", nullable=True)
    optional = {
        key: check.moment(raw.get(key), f"{path}.{key}")
        if key == "created_at"
        else check.string(raw.get(key), f"{path}.{key}", optional=True)
        for key in MENTION_TEXTS
    }
    check.extra_fields(raw, _MENTION_FIELDS, path)
    if not embed_html_fits(optional["embed_html"]):
        check.problem(
            f"{path}.embed_html",
            f"larger than a post's HTML ({MAX_EMBED_CHARS} characters, {MAX_EMBED_TAGS} tags)",
        )
    if source is None or mention_id is None or url is None:
        return None
    return Mention(
        source,
        mention_id,
        url,
        reposts,
        likes,
        quotes=quotes,
        account_papers=account_papers,
        **optional,
    )


def _paper(check: _Checker, raw: Any, index: int) -> Paper | None:
    if not isinstance(raw, dict):
        check.problems.append(
            f"{check.where}: paper {index}: must be an object, got {_describe(raw)}"
        )
        return None
    check.prefix = f"paper {index}, "
    paper_id = check.string(check.require(raw, "id"), "id")
    if paper_id is not None:
        check.prefix = f"paper {index} ({paper_id}), "
        if not ids.is_valid(paper_id):
            check.problem("id", f"must be an arXiv id without version, got {paper_id!r}")
    title = check.string(check.require(raw, "title"), "title")
    authors = check.strings(check.require(raw, "authors"), "authors")
    abstract = check.string(check.require(raw, "abstract"), "abstract")
    categories = check.strings(check.require(raw, "categories"), "categories")
    counted_at = check.timestamp(check.require(raw, "counted_at"), "counted_at")
    totals = check.counts(check.require(raw, "totals"), "totals")
    pdf = raw.get("pdf", True)
    if not isinstance(pdf, bool):
        check.problem("pdf", f"must be true or false, got {_describe(pdf)}")
        pdf = True
    sources: dict[str, Counts] = {}
    raw_sources = raw.get("sources", {})
    if not isinstance(raw_sources, dict):
        check.problem("sources", f"must be an object, got {_describe(raw_sources)}")
    else:
        for name, counts in raw_sources.items():
            if not SOURCE_NAME.fullmatch(name):
                check.problem("sources", f"{name[:40]!r} is not a source name (like 'x')")
                continue
            sources[name] = check.counts(counts, f"sources.{name}", nullable=True)
    repeats = _repeats(check, raw.get("repeats", {}))
    check.extra_fields(raw, _PAPER_FIELDS)
    raw_mentions = check.require(raw, "mentions")
    mentions: list[Mention] = []
    if raw_mentions is not _MISSING and not isinstance(raw_mentions, list):
        check.problem("mentions", f"must be a list, got {_describe(raw_mentions)}")
    elif raw_mentions is not _MISSING:
        for m_index, raw_mention in enumerate(raw_mentions):
            mention = _mention(check, raw_mention, f"mentions[{m_index}]")
            if mention is not None:
                mentions.append(mention)
    _check_repeats(check, repeats, sources, mentions)
    if paper_id is None or title is None or abstract is None:
        return None
    return Paper(
        id=paper_id,
        title=title,
        authors=authors,
        abstract=abstract,
        categories=categories,
        counted_at=counted_at,
        totals=totals,
        mentions=tuple(mentions),
        pdf=pdf,
        sources=sources,
        repeats=repeats,
    )


_REPEATS_FIELDS = frozenset(("posts", "reposts", "likes"))


def _check_repeats(
    check: _Checker,
    repeats: dict[str, Repeats],
    sources: dict[str, Counts],
    mentions: list[Mention],
) -> None:
    """Repeats are posts: none without one, and with the stored posts within the counts
    of their source (else a score would drop for no reason the page could give)."""
    for name, found in repeats.items():
        if found.posts == 0 and found.score:
            check.problem(f"repeats.{name}", "has counts but no posts")
        counts = sources.get(name)
        if counts is None:
            continue
        stored = sum(m.score for m in mentions if m.source == name)
        if found.score + stored > counts.score:
            check.problem(
                f"repeats.{name}",
                f"with the stored posts, more than the source's counts ({counts.score})",
            )


def _repeats(check: _Checker, raw: Any) -> dict[str, Repeats]:
    """The optional `repeats`: source name -> {posts, reposts, likes}, integers."""
    if not isinstance(raw, dict):
        check.problem("repeats", f"must be an object, got {_describe(raw)}")
        return {}
    repeats: dict[str, Repeats] = {}
    for name, value in raw.items():
        if not SOURCE_NAME.fullmatch(name):
            check.problem("repeats", f"{name[:40]!r} is not a source name (like 'x')")
            continue
        path = f"repeats.{name}"
        if not isinstance(value, dict):
            check.problem(path, f"must be an object, got {_describe(value)}")
            continue
        numbers = [
            check.count(check.require(value, key, path), f"{path}.{key}")
            for key in ("posts", "reposts", "likes")
        ]
        check.extra_fields(value, _REPEATS_FIELDS, path)
        posts, reposts, likes = numbers
        if posts is not None and reposts is not None and likes is not None:
            repeats[name] = Repeats(posts, reposts, likes)
    return repeats


def day_from_json(raw: Any, where: str, expected_date: str | None = None) -> Day:
    """Validate a decoded day file; raise `DataError` listing every problem found.

    Papers are numbered from 1 in messages, in stored order.
    """
    check = _Checker(where)
    if not isinstance(raw, dict):
        raise DataError([f"{where}: must hold a JSON object, got {_describe(raw)}"])
    schema = raw.get("schema")
    if schema != SCHEMA:
        shown = "missing" if schema is None else repr(schema)
        raise DataError(
            [f"{where}: field 'schema': unknown schema version {shown}, expected {SCHEMA!r}"]
        )
    check.extra_fields(raw, _DAY_FIELDS)
    day_date = check.string(check.require(raw, "date"), "date")
    if day_date is not None:
        if not is_date(day_date):
            check.problem("date", f"must be a date like 2021-06-29, got {day_date!r}")
        elif expected_date is not None and day_date != expected_date:
            check.problem("date", f"{day_date!r} does not match the file name ({expected_date})")
    collected_at = check.timestamp(check.require(raw, "collected_at"), "collected_at")
    day_sources = raw.get("sources", {})
    if not isinstance(day_sources, dict) or not all(
        SOURCE_NAME.fullmatch(k) and isinstance(v, str) for k, v in day_sources.items()
    ):
        check.problem("sources", "must be an object of source name -> status text")
        day_sources = {}
    raw_papers = check.require(raw, "papers")
    papers: list[Paper] = []
    if raw_papers is not _MISSING and not isinstance(raw_papers, list):
        check.problem("papers", f"must be a list, got {_describe(raw_papers)}")
    elif raw_papers is not _MISSING:
        seen: dict[str, int] = {}
        for index, raw_paper in enumerate(raw_papers, start=1):
            paper = _paper(check, raw_paper, index)
            if paper is None:
                continue
            if paper.id in seen:
                check.problem("id", f"duplicate paper id, first used by paper {seen[paper.id]}")
                continue
            seen[paper.id] = index
            papers.append(paper)
    if check.problems:
        raise DataError(check.problems)
    assert day_date is not None
    return Day(date=day_date, collected_at=collected_at, papers=tuple(papers), sources=day_sources)
