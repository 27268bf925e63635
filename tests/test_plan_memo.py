"""A host's memo of converted days (MkDocs' and Pelican's caches) spares a warm build
parsing its day files: only a changed or new day is parsed, and the pages are those of
a build without the memo."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import hotpapers.site.plan as plan_module
from hotpapers.config import Options
from hotpapers.site.page_cache import PageCache, entry_key
from hotpapers.site.plan import DayMemo, SitePlan, SourceLinks

from .helpers import ROOT

WEEK_DATA = ROOT / "example_site" / "week" / "data"
KEY_PARTS = ("code", "options")


def _site(data: Path, cache: Path | None, report: list[str] | None = None) -> list[Any]:
    """Every planned page of a build (with a memo in `cache`, or none)."""
    problems = report if report is not None else []
    plan = SitePlan(data, Options(), SourceLinks("{filename}/"), report=problems.append)
    days = DayMemo(PageCache(cache / "pages"), KEY_PARTS) if cache else None
    lists = DayMemo(PageCache(cache / "lists"), KEY_PARTS) if cache else None
    return [*plan.days(memo=days), *plan.pages(lists)]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The day files the plan parses."""
    seen: list[str] = []
    decode = plan_module.decode_day

    def counted(content: bytes, where: str, date: str) -> Any:
        seen.append(date)
        return decode(content, where, date)

    monkeypatch.setattr(plan_module, "decode_day", counted)
    return seen


def test_a_warm_build_parses_no_day_and_a_new_day_alone_is_parsed(
    tmp_path: Path, parsed: list[str]
) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    for path in sorted(WEEK_DATA.glob("*.json"))[:-1]:  # 2021-06-29 to 07-04
        shutil.copy(path, data)
    day = json.loads((data / "2021-07-01.json").read_text(encoding="utf-8"))
    day["papers"][0]["title"] = "The &hotpapersblock0; word in a title"  # data, escaped
    (data / "2021-07-01.json").write_text(json.dumps(day), encoding="utf-8")
    cold = _site(data, cache)
    assert len(parsed) == 6
    kinds = [page.kind for page in cold]
    assert kinds.count("week") == 1 and kinds.count("month") == 1  # 2021-W26, 2021-06
    parsed.clear()
    assert _site(data, cache) == cold
    assert parsed == []
    shutil.copy(WEEK_DATA / "2021-07-05.json", data)
    warm = _site(data, cache)
    assert parsed == ["2021-07-05"]
    assert warm == _site(data, None)


def test_a_changed_day_renders_its_windows_from_every_day_of_them(
    tmp_path: Path, parsed: list[str]
) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(WEEK_DATA, data)
    _site(data, cache)
    day = json.loads((data / "2021-07-01.json").read_text(encoding="utf-8"))
    day["papers"] = day["papers"][1:]  # its top paper is gone: ranks and marks change
    (data / "2021-07-01.json").write_text(json.dumps(day), encoding="utf-8")
    parsed.clear()
    warm = _site(data, cache)
    # The day and the other days of its week 2021-W26 (its page is rendered again).
    assert sorted(parsed) == [f"2021-{d}" for d in ("06-29", "06-30", "07-01", "07-02")] + [
        "2021-07-03",
        "2021-07-04",
    ]
    assert warm == _site(data, None)


def test_a_planted_listing_for_a_bad_file_is_reported_not_raised(tmp_path: Path) -> None:
    data, cache = tmp_path / "data", tmp_path / "cache"
    shutil.copytree(WEEK_DATA, data)
    bad = b'{"schema": "hotpapers/1"'
    (data / "2021-07-01.json").write_bytes(bad)
    key = entry_key(hashlib.sha256(bad).hexdigest().encode(), *KEY_PARTS)
    listing = {"collected": "2021-07-02T00:00:00Z", "listing": [["2107.00001", 1, 5]]}
    (cache / "pages").mkdir(parents=True)
    planted = {"key": key, "value": {**listing, "marks": "stale"}}
    (cache / "pages" / "2021-07-01.json").write_text(json.dumps(planted), encoding="utf-8")
    report: list[str] = []
    pages = _site(data, cache, report)
    assert [line for line in report if "2021-07-01.json" in line]
    dropped = "(a page cache entry listed it: the entry is dropped)"
    assert any(line.endswith(dropped) for line in report)
    day = next(page for page in pages if getattr(page, "date", "") == "2021-07-01")
    assert "2107.00001" not in day.page.stashed_body
    # The next build reads the file, as a build without the cache does: the day is skipped.
    report.clear()
    pages = _site(data, cache, report)
    assert len(report) == 1 and "2021-07-01.json" in report[0] and dropped not in report[0]
    assert pages == _site(data, None)
