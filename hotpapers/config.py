"""One option set shared by the command line (TOML) and both plugins.

Options are validated with one clear line per problem naming where the option
came from (a TOML file, ``mkdocs.yml`` or ``pelicanconf.py``).
"""

from __future__ import annotations

import math
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import parse_date

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

EMBED_MODES = ("script", "static", "none")
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

    def page_title(self, date: str) -> str:
        return self.title.format(date=date)

    def page_slug(self, date: str) -> str:
        return self.slug.format(date=date)

    def page_description(self, date: str) -> str:
        return self.description.format(date=date)


_NUMBER = (int, float)
_SECONDS = ("timeout", "max_wait", "request_deadline", "backoff")
_DAY_SECONDS = 86400


def _type_error(where: str, name: str, expected: str, value: Any) -> ConfigError:
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return ConfigError(f"{where}: option '{name}': must be {expected}, got {shown}")


def _number(where: str, name: str, value: Any, *, integer: bool = False) -> float | int:
    ok = isinstance(value, int if integer else _NUMBER) and not isinstance(value, bool)
    if not ok or value < 0 or not math.isfinite(value):
        raise _type_error(
            where, name, "a non-negative " + ("integer" if integer else "number"), value
        )
    return value


_CONTROL = re.compile("[\x00-\x1f\x7f]")
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


def options_from_mapping(values: Mapping[str, Any], where: str) -> Options:
    """Build `Options` from plain values (TOML, YAML or a Python dict)."""
    known = {f.name for f in fields(Options)} - {"embed_mode", "embed_endpoints"} | {"embeds"}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"{where}: unknown option '{unknown[0]}' (known options: {', '.join(sorted(known))})"
        )
    result: dict[str, Any] = {}
    for name, value in values.items():
        if value is None and name in ("max_papers", "since", "until", "last_days", "cache"):
            continue
        if name in (
            "min_score",
            "embed_min_score",
            "collect_min_score",
            "timeout",
            "backoff",
            "max_wait",
            "request_deadline",
        ):
            result[name] = _number(where, name, value)
            if name == "request_deadline" and value == 0:
                raise _type_error(where, name, "a positive number", value)
            if name in _SECONDS and value > _DAY_SECONDS:
                raise _type_error(where, name, "at most 86400 (a day)", value)
        elif name in (
            "max_papers",
            "max_embeds",
            "last_days",
            "keep_mentions",
            "retries",
            "max_answer_bytes",
        ):
            result[name] = _number(where, name, value, integer=True)
            if name in ("last_days", "max_answer_bytes") and value < 1:
                raise _type_error(where, name, "a positive integer", value)
        elif name in ("require_pdf", "category_tags", "category_index"):
            if not isinstance(value, bool):
                raise _type_error(where, name, "true or false", value)
            result[name] = value
        elif name in ("title", "slug", "description"):
            result[name] = _template(where, name, value)
        elif name in ("category", "cache"):
            result[name] = _string(where, name, value)
        elif name == "tags":
            if not isinstance(value, (list, tuple)) or not all(isinstance(t, str) for t in value):
                raise _type_error(where, name, "a list of strings", value)
            result[name] = tuple(_string(where, name, tag) for tag in value)
        elif name == "weights":
            if not isinstance(value, Mapping):
                raise _type_error(where, name, "a table of source = number", value)
            result[name] = {
                str(source): _number(where, f"weights.{source}", weight)
                for source, weight in value.items()
            }
        elif name in ("since", "until"):
            result[name] = _date(where, name, value)
        elif name == "sources":
            result[name] = _tables(where, name, value)
        elif name == "embeds":
            result["embed_mode"], result["embed_endpoints"] = _embeds(where, value)
    return Options(**result)


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
