"""Real answers recorded by other clients' test suites (tests/fixtures/recorded/README.md
names each origin), replayed by the local stand-ins with their dates moved.

Only dates move: every time in an answer is shifted by the same whole number of
days, so that the recording's day becomes the day a test collects (X answers for
the last 7 days only). Everything else is served as recorded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

RECORDED = Path(__file__).parent / "fixtures" / "recorded"
# The day each recording was made on (the day of most of its posts).
RECORDED_ON = {
    "x_search_unwound": "2021-04-08",
    "x_oembed": "2024-06-01",
    "bsky_search": "2025-05-19",
    "bsky_search_2023": "2023-12-13",
    "bsky_record_with_media": "2024-11-30",
    "hn_search": "2017-09-27",
    "hf_daily_papers": "2024-10-25",
    "reddit_token": "2026-06-08",
    "reddit_search": "2026-04-13",
}
_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})((?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?)", re.ASCII)
_EPOCH_KEYS = {"created_utc", "created", "created_at_i"}
# Transport headers of the original answer, which no longer describe the body served.
_DROPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection"}


def load(name: str, day: str) -> Any:
    """The recorded JSON answer `name`, its times moved so that its day is `day`."""
    shift = date.fromisoformat(day) - date.fromisoformat(RECORDED_ON[name])
    raw = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return _moved(raw, shift)


def headers(name: str) -> dict[str, str]:
    recorded = json.loads((RECORDED / f"{name}.headers.json").read_text(encoding="utf-8"))
    return {
        key: value
        for key, value in recorded["headers"].items()
        if key.lower() not in _DROPPED_HEADERS and isinstance(value, str)
    }


def replay(name: str, day: str, *, with_headers: bool = False) -> Callable[[Request], Response]:
    """A handler serving the recording (and its recorded headers) once."""
    answer = json.dumps(load(name, day))
    extra = headers(name) if with_headers else {}
    extra.pop("content-type", None)
    return lambda request: Response(answer, content_type="application/json", headers=extra)


def _moved(value: Any, shift: timedelta, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _moved(v, shift, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_moved(v, shift, key) for v in value]
    if key in _EPOCH_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return type(value)(value + shift.total_seconds())
    if isinstance(value, str) and _TIME.fullmatch(value):
        match = _TIME.fullmatch(value)
        assert match is not None
        moved = date.fromisoformat(match[1]) + shift
        return moved.isoformat() + match[2]
    return value
