"""One option set shared by the command line (TOML) and both plugins.

Options are validated with one clear line per problem naming where the option
came from (a TOML file, ``mkdocs.yml`` or ``pelicanconf.py``).
"""

from __future__ import annotations

import json
import math
import re
import string
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from hotpapers.errors import ConfigError
from hotpapers.model import parse_date

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

EMBED_MODES = ("script", "static", "none")
WINDOW_KINDS = ("week", "month", "year")
RANKINGS = ("accounts", "legacy")
KNOWN_SOURCES = ("x", "bluesky", "hackernews", "huggingface", "reddit")
DEFAULT_TAGS = ("arXiv", "Twitter", "Machine Learning", "Computer Science")


@dataclass(frozen=True)
class Options:
    # ranking and selection
    min_score: float = 50
    require_pdf: bool = True
    max_papers: int | None = None
    embed_min_score: float = 25
    max_embeds: int = 10
    weights: Mapping[str, float] = field(default_factory=dict)
    # who counts (see README "Ranking"): "accounts" (one voice per account) or "legacy"
    ranking: str = "accounts"
    author_weight: float = 0.5
    bulk_papers: int = 20
    bulk_weight: float = 0.25
    # source -> account ids and handles (case-folded, without "@"), sorted: the options'
    # repr is a cache key, and a set's order changes from run to run
    ignore_accounts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    trust_accounts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # page metadata
    title: str = "Hot Papers {date}"
    slug: str = "hot-papers-{date}"
    description: str = "Hot papers {date}"
    category: str = "arXiv"
    tags: tuple[str, ...] = DEFAULT_TAGS
    category_tags: bool = False
    category_index: bool = True
    # embeds: "script" (blockquotes + widget script), "static" (blockquotes only), "none"
    embed_mode: str = "script"
    embed_endpoints: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # which days
    since: str | None = None
    until: str | None = None
    last_days: int | None = None
    # time windows (week, month, year pages) and trend marks on day pages
    windows: tuple[str, ...] = ("week", "month")
    window_max_papers: int = 20
    window_max_embeds: int = 3
    trend_marks: bool = True
    # collection (used by `hotpapers fetch`)
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    collect_min_score: float = 5
    keep_mentions: int = 20
    cache: str | None = None
    timeout: float = 30
    retries: int = 3
    backoff: float = 1.0
    # limits on what a service can make a fetch do (see README "Security")
    max_wait: float = 120  # longest wait a Retry-After or a backoff may ask for, in seconds
    request_deadline: float = 120  # longest one request may take, retries included, in seconds
    max_answer_bytes: int = 32 * 1024 * 1024  # largest answer read (after decompression)

    def weight(self, source: str) -> float:
        return self.weights.get(source, 1.0)

    @cached_property
    def ignored(self) -> dict[str, AccountList]:
        """`ignore_accounts` ready for lookups (sets: the lists may be long)."""
        return account_lists(self.ignore_accounts)

    @cached_property
    def trusted(self) -> dict[str, AccountList]:
        return account_lists(self.trust_accounts)

    def page_title(self, date: str) -> str:
        return self.title.format(date=date)

    def page_slug(self, date: str) -> str:
        return self.slug.format(date=date)

    def page_description(self, date: str) -> str:
        return self.description.format(date=date)


_NUMBER = (int, float)
MAX_OPTION_NUMBER = 10**15  # larger integers are no float (math.isfinite overflows)
_SECONDS = ("timeout", "max_wait", "request_deadline", "backoff")
_DAY_SECONDS = 86400


def _type_error(where: str, name: str, expected: str, value: Any) -> ConfigError:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return ConfigError(f"{where}: option '{name}': must be {expected}, got {shown}")


def _number(where: str, name: str, value: Any, *, integer: bool = False) -> float | int:
    ok = isinstance(value, int if integer else _NUMBER) and not isinstance(value, bool)
    if ok and isinstance(value, int) and value > MAX_OPTION_NUMBER:
        raise _type_error(where, name, f"at most {MAX_OPTION_NUMBER:.0e}", value)
    if not ok or value < 0 or not math.isfinite(value):
        raise _type_error(
            where, name, "a non-negative " + ("integer" if integer else "number"), value
        )
    number: float | int = value
    return number


# C0 and C1 control characters: no YAML front matter may hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The slugs of the category pages of a year (`hot-papers-cs-lg-2021`): no page of a
# day or a window may take one.
_CATEGORY_PAGE_SLUG = re.compile(r"hot-papers-[a-z]+(?:-[a-z]+)*-[0-9]{4}", re.ASCII)
# A slug names files and URLs: one path segment, no dots that could climb out.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _string(where: str, name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _type_error(where, name, "a string", value)
    if _CONTROL.search(value):
        raise _type_error(where, name, "a string without control characters", value)
    return value


def _template(where: str, name: str, value: Any) -> str:
    """A text with `{date}` as its only placeholder (no attributes, indexes or formats)."""
    text = _string(where, name, value)
    try:
        fields = [
            (field, conversion, spec)
            for _, field, spec, conversion in string.Formatter().parse(text)
            if field is not None
        ]
    except ValueError:
        fields = [("", None, "?")]
    if any(field != "date" or conversion or spec for field, conversion, spec in fields):
        raise ConfigError(
            f"{where}: option '{name}': only the placeholder {{date}} is allowed, got {text!r}"
        )
    if name == "slug":
        if not fields:
            raise ConfigError(
                f"{where}: option 'slug': must contain {{date}} (each day needs its own), "
                f"got {text!r}"
            )
        if not SLUG.fullmatch(text.format(date="2021-06-29")):
            raise ConfigError(
                f"{where}: option 'slug': must give 1 to 100 letters, digits, '-' or '_' "
                f"(one path segment), got {text!r}"
            )
        if _CATEGORY_PAGE_SLUG.fullmatch(text.format(date="2021").lower()):
            raise ConfigError(
                f"{where}: option 'slug': a year's page would take the slug of a category "
                f"page (hot-papers-<category>-<year>), got {text!r}"
            )
    return text


def relative_dir(where: str, name: str, value: Any) -> str:
    """A folder inside the site's own tree: relative, no `..`, plain names only."""
    text = _string(where, name, value).strip("/")
    segments = text.split("/")
    if not text or not all(
        _SAFE_SEGMENT.fullmatch(segment) and segment.strip(".") for segment in segments
    ):
        raise ConfigError(
            f"{where}: option '{name}': must be a relative folder of plain names "
            f"(letters, digits, '.', '-', '_'; no '..'), got {value!r}"
        )
    return text


def _date(where: str, name: str, value: Any) -> str:
    text = str(value) if hasattr(value, "isoformat") else value
    if not isinstance(text, str):
        raise _type_error(where, name, "a date like 2021-06-29", value)
    try:
        parse_date(text)
    except ValueError:
        raise _type_error(where, name, "a date like 2021-06-29", value) from None
    return text


def _tables(where: str, name: str, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping) or not all(isinstance(v, Mapping) for v in value.values()):
        raise _type_error(where, name, "a table of tables (one per service)", value)
    return {str(key): dict(table) for key, table in value.items()}


def _embeds(where: str, value: Any) -> tuple[str, dict[str, dict[str, Any]]]:
    """`embeds` is a mode string, or a table with `mode` and one sub-table per oEmbed service."""
    endpoints: dict[str, dict[str, Any]] = {}
    mode = "script"
    if isinstance(value, Mapping):
        table = dict(value)
        mode = table.pop("mode", mode)
        endpoints = _tables(where, "embeds", table)
    else:
        mode = value
    if mode not in EMBED_MODES:
        raise _type_error(where, "embeds", "one of " + ", ".join(EMBED_MODES), mode)
    return mode, endpoints


# --- the option schema: each option declared once --------------------------------

Check = Callable[[str, str, Any], Any]  # (where, name, value) -> the value to keep


def _non_negative(where: str, name: str, value: Any) -> Any:
    return _number(where, name, value)


def _count(where: str, name: str, value: Any) -> Any:
    return _number(where, name, value, integer=True)


def _positive_count(where: str, name: str, value: Any) -> Any:
    if _number(where, name, value, integer=True) < 1:
        raise _type_error(where, name, "a positive integer", value)
    return value


def _seconds(where: str, name: str, value: Any, *, positive: bool = False) -> Any:
    _number(where, name, value)
    if positive and value == 0:
        raise _type_error(where, name, "a positive number", value)
    if value > _DAY_SECONDS:
        raise _type_error(where, name, "at most 86400 (a day)", value)
    return value


def _flag(where: str, name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise _type_error(where, name, "true or false", value)
    return value


def _tags(where: str, name: str, value: Any) -> Any:
    if not isinstance(value, (list, tuple)) or not all(isinstance(t, str) for t in value):
        raise _type_error(where, name, "a list of strings", value)
    return tuple(_string(where, name, tag) for tag in value)


def _windows(where: str, name: str, value: Any) -> Any:
    if not isinstance(value, (list, tuple)) or not all(k in WINDOW_KINDS for k in value):
        raise _type_error(where, name, "a list of week, month, year", value)
    return tuple(kind for kind in WINDOW_KINDS if kind in value)


def _weights(where: str, name: str, value: Any) -> Any:
    if not isinstance(value, Mapping):
        raise _type_error(where, name, "a table of source = number", value)
    return {
        str(source): _number(where, f"{name}.{source}", weight) for source, weight in value.items()
    }


def _fraction(where: str, name: str, value: Any) -> Any:
    number = isinstance(value, _NUMBER) and not isinstance(value, bool)
    if not number or not 0 <= value <= 1:  # NaN compares false
        raise _type_error(where, name, "a number from 0 to 1", value)
    return value


def _ranking(where: str, name: str, value: Any) -> Any:
    if value not in RANKINGS:
        raise _type_error(where, name, "one of " + ", ".join(RANKINGS), value)
    return value


def account_key(text: str) -> str:
    """An entry of `ignore_accounts`/`trust_accounts` as it is compared: case-folded;
    `@name` is a handle, anything else an account id."""
    text = text.strip().casefold()
    return "@" + text.lstrip("@").strip() if text.startswith("@") else text


@dataclass(frozen=True)
class AccountList:
    """One source's entries of a list, split into account ids and handles."""

    ids: frozenset[str]
    handles: frozenset[str]

    def holds(self, account: str | None, handle: str | None) -> bool:
        return bool(
            (account and account.casefold() in self.ids)
            or (handle and handle.removeprefix("@").casefold() in self.handles)
        )


def account_lists(entries: Mapping[str, tuple[str, ...]]) -> dict[str, AccountList]:
    return {
        source: AccountList(
            frozenset(e for e in keys if not e.startswith("@")),
            frozenset(e[1:] for e in keys if e.startswith("@")),
        )
        for source, keys in entries.items()
    }


# What each service's account ids look like (case-folded): a bare list entry of another
# shape is a handle written without its @, which would match nothing.
_ACCOUNT_ID = {
    "x": (re.compile(r"[0-9]+"), "X user id (digits)"),
    "bluesky": (re.compile(r"did:[a-z0-9]+:\S+"), "Bluesky DID (did:plc:…)"),
    "reddit": (re.compile(r"t2_[a-z0-9]+"), "Reddit account id (t2_…)"),
}


def _accounts(where: str, name: str, value: Any) -> Any:
    """A table of source -> list of account ids or handles."""
    if not isinstance(value, Mapping):
        raise _type_error(where, name, "a table of source = [account ids or handles]", value)
    result: dict[str, tuple[str, ...]] = {}
    for source, accounts in value.items():
        if not isinstance(source, str) or source not in KNOWN_SOURCES:
            raise _type_error(
                where, name, "a table keyed by source names: " + ", ".join(KNOWN_SOURCES), source
            )
        entry = f"{name}.{source}"
        if not isinstance(accounts, (list, tuple)):
            raise _type_error(where, entry, "a list of account ids or handles", accounts)
        keys = {account_key(_string(where, entry, account)) for account in accounts}
        if "" in keys or "@" in keys:
            raise _type_error(where, entry, "a list of non-empty account ids or handles", "")
        shape = _ACCOUNT_ID.get(source)
        for key in sorted(keys):
            if shape is not None and not key.startswith("@") and not shape[0].fullmatch(key):
                raise ConfigError(
                    f"{where}: option '{entry}': {key!r} is no {shape[1]}; write a handle "
                    f"with @ (@{key})"
                )
        result[source] = tuple(sorted(keys))
    return dict(sorted(result.items()))


@dataclass(frozen=True)
class OptionSpec:
    """One option: its name, how a value is checked, and its line in README's tables."""

    name: str
    check: Check
    doc: str
    group: str = "site"  # "site" (pages: both plugins and `render`) or "fetch" (collection)
    nullable: bool = False  # None (YAML `null`) means "not set"
    shown_default: str | None = None  # README's default column, when not the value's own


SCHEMA: tuple[OptionSpec, ...] = (
    OptionSpec(
        "min_score",
        _non_negative,
        "a paper is listed when its score reaches this (reposts + likes; see [Ranking](#ranking))",
    ),
    OptionSpec("require_pdf", _flag, "list only papers that have a PDF"),
    OptionSpec("max_papers", _count, "list at most this many papers a day", nullable=True),
    OptionSpec(
        "embed_min_score",
        _non_negative,
        "a post is embedded when its reposts + likes reach this (posts with unknown counts "
        "are always shown, in stored order)",
    ),
    OptionSpec("max_embeds", _count, "at most this many posts per paper, best first"),
    OptionSpec(
        "weights",
        _weights,
        "per-source weight of counts, e.g. `{hackernews = 2.0}` (default 1)",
    ),
    OptionSpec(
        "ranking",
        _ranking,
        "`accounts`: each account counts once per source, authors' and bulk posters' posts "
        "weigh less (see [Ranking](#ranking)); `legacy`: the old blog's sums",
    ),
    OptionSpec(
        "author_weight",
        _fraction,
        "weight (0 to 1) of a post by one of the paper's authors (`accounts` ranking)",
    ),
    OptionSpec(
        "bulk_papers",
        _positive_count,
        "an account that links more than this many papers on a day is a bulk poster "
        "(`accounts` ranking)",
    ),
    OptionSpec(
        "bulk_weight",
        _fraction,
        "weight (0 to 1) of a bulk poster's post (`accounts` ranking)",
    ),
    OptionSpec(
        "ignore_accounts",
        _accounts,
        "per source, account ids or `@handles` whose posts neither count nor show (either "
        'ranking), e.g. `{x = ["1234567890", "@somebot"]}`',
    ),
    OptionSpec(
        "trust_accounts",
        _accounts,
        "per source, account ids or `@handles` that always count in full (never "
        "down-weighted as authors or bulk posters; `accounts` ranking)",
    ),
    OptionSpec(
        "embeds",
        lambda where, name, value: _embeds(where, value),
        "`script` (posts + the platform's widget script, once per page), `static` (posts as "
        "plain quotes: no third-party requests), `none`; or a table with `mode` and one "
        "sub-table per oEmbed service",
        shown_default='`"script"`',
    ),
    OptionSpec("title", _template, "page title"),
    OptionSpec(
        "slug",
        _template,
        "page slug: must hold `{date}` and give 1 to 100 letters, digits, `-` or `_` (it "
        "names files and URLs)",
    ),
    OptionSpec("description", _template, "page description"),
    OptionSpec("category", _string, "page category"),
    OptionSpec("tags", _tags, "page tags"),
    OptionSpec("category_tags", _flag, "also tag each day with its papers' arXiv categories"),
    OptionSpec(
        "category_index",
        _flag,
        "build the category index pages and link each paper's categories to them",
    ),
    OptionSpec(
        "since",
        _date,
        "publish only days from this one on (`YYYY-MM-DD`)",
        nullable=True,
        shown_default="all days",
    ),
    OptionSpec(
        "until",
        _date,
        "publish only days up to this one (`YYYY-MM-DD`)",
        nullable=True,
        shown_default="all days",
    ),
    OptionSpec(
        "last_days",
        _positive_count,
        "publish only the last N days, counted back from the newest day file",
        nullable=True,
        shown_default="all days",
    ),
    OptionSpec(
        "windows",
        _windows,
        "publish a page for each of these windows that has days: `week` (ISO week), "
        "`month`, `year`; `[]` for none",
        shown_default='`["week", "month"]`',
    ),
    OptionSpec(
        "window_max_papers",
        _count,
        "list at most this many papers on a week, month or year page",
    ),
    OptionSpec(
        "window_max_embeds",
        _count,
        "show at most this many posts per paper on a week, month or year page (each day's "
        "page shows up to `max_embeds`)",
    ),
    OptionSpec(
        "trend_marks",
        _flag,
        "mark papers on day pages and category pages: `new`, `day N`, their rank in the "
        "week, and an attention curve for papers hot on several days",
    ),
    OptionSpec(
        "sources",
        _tables,
        "one table per collection source (see [Collecting](#collecting))",
        group="fetch",
    ),
    OptionSpec(
        "collect_min_score",
        _non_negative,
        "keep only papers whose reposts + likes reach this",
        group="fetch",
    ),
    OptionSpec(
        "keep_mentions",
        _count,
        "mentions stored per paper (totals count all of them)",
        group="fetch",
    ),
    OptionSpec(
        "cache",
        _string,
        "path of the HTTP cache file",
        group="fetch",
        nullable=True,
        shown_default="see above",
    ),
    OptionSpec("timeout", _seconds, "seconds to wait for an answer", group="fetch"),
    OptionSpec("retries", _count, "retries of failed requests", group="fetch"),
    OptionSpec(
        "backoff", _seconds, "exponential backoff factor of the retries, in seconds", group="fetch"
    ),
    OptionSpec(
        "max_wait",
        _seconds,
        "longest wait, in seconds, a `Retry-After` or a backoff may cause; a longer "
        "`Retry-After` fails the source at once",
        group="fetch",
    ),
    OptionSpec(
        "request_deadline",
        lambda where, name, value: _seconds(where, name, value, positive=True),
        "longest one request may take, in seconds, retries, waits and redirects included "
        "(also stops a server that trickles its answer)",
        group="fetch",
    ),
    OptionSpec(
        "max_answer_bytes",
        _positive_count,
        "largest answer read (32 MiB), counted after decompression",
        group="fetch",
    ),
)
_SPECS = {spec.name: spec for spec in SCHEMA}
OPTION_NAMES = tuple(_SPECS)
SITE_OPTION_NAMES = tuple(spec.name for spec in SCHEMA if spec.group == "site")


def options_from_mapping(
    values: Mapping[str, Any], where: str, *, site_only: bool = False
) -> Options:
    """Build `Options` from plain values (TOML, YAML or a Python dict). `site_only`: a
    site's configuration, where collection options would do nothing."""
    allowed = SITE_OPTION_NAMES if site_only else OPTION_NAMES
    for name in sorted(set(values) - set(allowed)):
        if name in _SPECS:
            raise ConfigError(
                f"{where}: option '{name}' is for `hotpapers fetch` (its --config file), "
                "not for a site"
            )
        raise ConfigError(
            f"{where}: unknown option '{name}' (known options: {', '.join(sorted(allowed))})"
        )
    result: dict[str, Any] = {}
    for name, value in values.items():
        spec = _SPECS[name]
        if value is None and spec.nullable:
            continue
        checked = spec.check(where, name, value)
        if name == "embeds":
            result["embed_mode"], result["embed_endpoints"] = checked
        else:
            result[name] = checked
    return Options(**result)


def default_text(spec: OptionSpec) -> str:
    """An option's default as README shows it (TOML syntax)."""
    if spec.shown_default is not None:
        return spec.shown_default
    value = getattr(Options(), spec.name)
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f"`{json.dumps(value)}`"
    if isinstance(value, tuple):
        return f"`{json.dumps(list(value))}`"
    if isinstance(value, Mapping):
        return "`{}`"
    return f"`{value}`"


def options_table(group: str) -> str:
    """README's table of the options of `group`, made from the schema."""
    lines = ["| option | default | meaning |", "|---|---|---|"]
    for spec in SCHEMA:
        if spec.group == group:
            lines.append(f"| `{spec.name}` | {default_text(spec)} | {spec.doc} |")
    return "\n".join(lines) + "\n"


def load_config(path: Path | None) -> Options:
    """Read a TOML config file; no file means the defaults."""
    if path is None:
        return Options()
    try:
        with path.open("rb") as stream:
            values = tomllib.load(stream)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    return options_from_mapping(values, str(path))
