"""`hotpapers check`: one clear line per problem, non-zero exit, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .helpers import run_cli


def _paper(**changes: Any) -> dict[str, Any]:
    paper: dict[str, Any] = {
        "id": "2106.14108",
        "title": "A title",
        "authors": ["Ada Lovelace"],
        "abstract": "Text.",
        "categories": ["cs.LG"],
        "counted_at": "2021-06-30T13:48:45Z",
        "totals": {"reposts": 60, "likes": 3},
        "mentions": [
            {
                "source": "x",
                "id": "1",
                "url": "https://x.com/a/status/1",
                "author": "A",
                "handle": "a",
                "created_at": "2021-06-29",
                "reposts": None,
                "likes": None,
                "embed_html": None,
            }
        ],
    }
    paper.update(changes)
    return paper


def _day(papers: list[dict[str, Any]] | None = None, **changes: Any) -> dict[str, Any]:
    day: dict[str, Any] = {
        "schema": "hotpapers/1",
        "date": "2021-06-29",
        "collected_at": "2021-06-30T13:48:45Z",
        "papers": papers if papers is not None else [_paper()],
    }
    day.update(changes)
    return day


def _write(tmp_path: Path, content: bytes | dict[str, Any], name: str = "2021-06-29.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def _without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


CASES: dict[str, tuple[bytes | dict[str, Any], list[str]]] = {
    "invalid JSON": (b'{"schema": "hotpapers/1",', ["invalid JSON at line 1, column 26"]),
    "not UTF-8": (
        b'{"schema": "hotpapers/1", "date": "2021-06-29", "title": "\xff"}',
        ["not valid UTF-8 (byte 0xff at offset 58)"],
    ),
    "unknown schema": (_day(schema="hotpapers/9"), ["field 'schema': unknown schema version"]),
    "missing schema": (
        _without(_day(), "schema"),
        ["field 'schema': unknown schema version missing"],
    ),
    "missing papers": (_without(_day(), "papers"), ["field 'papers': missing required field"]),
    "missing title": (
        _day([_without(_paper(), "title")]),
        ["paper 1 (2106.14108), field 'title': missing required field"],
    ),
    "ill-typed authors": (
        _day([_paper(authors="Ada Lovelace")]),
        ["paper 1 (2106.14108), field 'authors': must be a list of strings, got str"],
    ),
    "ill-typed category item": (
        _day([_paper(categories=["cs.LG", 7])]),
        ["paper 1 (2106.14108), field 'categories[1]': must be a string, got int 7"],
    ),
    "ill-typed id": (_day([_paper(id=2106.14108)]), ["paper 1, field 'id': must be a string"]),
    "versioned id": (
        _day([_paper(id="2106.14108v2")]),
        ["paper 1 (2106.14108v2), field 'id': must be an arXiv id without version"],
    ),
    "date does not match the file name": (
        _day(date="2021-06-28"),
        ["field 'date': '2021-06-28' does not match the file name (2021-06-29)"],
    ),
    "bad collected_at": (
        _day(collected_at="yesterday"),
        ["field 'collected_at': must be a UTC time like 2021-06-30T13:48:45Z, got 'yesterday'"],
    ),
    "impossible counted_at": (
        _day([_paper(counted_at="2021-06-31T24:00:00Z")]),
        [
            "paper 1 (2106.14108), field 'counted_at': must be a UTC time like "
            "2021-06-30T13:48:45Z, got '2021-06-31T24:00:00Z'"
        ],
    ),
    "counted_at with a line break": (
        _day([_paper(counted_at="2021-06-30T13:48:45Z\n")]),
        [
            "paper 1 (2106.14108), field 'counted_at': must be a UTC time like "
            "2021-06-30T13:48:45Z, got '2021-06-30T13:48:45Z\\n'"
        ],
    ),
    "lone surrogate": (
        json.dumps(_day([_paper(title="A \ud800 title")])).encode("ascii"),
        [
            "paper 1 (2106.14108), field 'title': contains a lone UTF-16 surrogate, not text",
        ],
    ),
    "negative count": (
        _day([_paper(totals={"reposts": -1, "likes": 3})]),
        [
            "paper 1 (2106.14108), field 'totals.reposts': "
            "must be a non-negative integer, got int -1"
        ],
    ),
    "non-integer count": (
        _day([_paper(totals={"reposts": 1.5, "likes": "3"})]),
        [
            "paper 1 (2106.14108), field 'totals.reposts': must be a non-negative integer, "
            "got float 1.5",
            "paper 1 (2106.14108), field 'totals.likes': "
            "must be a non-negative integer, got str '3'",
        ],
    ),
    "boolean count in a mention": (
        _day([_paper(mentions=[{**_paper()["mentions"][0], "likes": True}])]),
        ["paper 1 (2106.14108), field 'mentions[0].likes': must be a non-negative integer"],
    ),
    "created_at in another time format": (
        _day(
            [
                _paper(
                    mentions=[{**_paper()["mentions"][0], "created_at": "2021-06-29T22:58:21.000Z"}]
                )
            ]
        ),
        [
            "paper 1 (2106.14108), field 'mentions[0].created_at': must be a UTC time like "
            "2021-06-30T13:48:45Z or a date like 2021-06-30, got str '2021-06-29T22:58:21.000Z'"
        ],
    ),
    "created_at holding markup": (
        _day([_paper(mentions=[{**_paper()["mentions"][0], "created_at": "<script>"}])]),
        ["paper 1 (2106.14108), field 'mentions[0].created_at': must be a UTC time like"],
    ),
    "negative quotes": (
        _day([_paper(mentions=[{**_paper()["mentions"][0], "quotes": -2}])]),
        ["paper 1 (2106.14108), field 'mentions[0].quotes': must be a non-negative integer"],
    ),
    "null in totals": (
        _day([_paper(totals={"reposts": None, "likes": 3})]),
        ["paper 1 (2106.14108), field 'totals.reposts': must be a non-negative integer, got null"],
    ),
    "ill-typed account": (
        _day([_paper(mentions=[{**_paper()["mentions"][0], "account": 42}])]),
        ["paper 1 (2106.14108), field 'mentions[0].account': must be a string, got int 42"],
    ),
    "duplicate paper ids": (
        _day([_paper(), _paper(title="Again")]),
        ["paper 2 (2106.14108), field 'id': duplicate paper id, first used by paper 1"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_rejects_bad_day_files(case: str, tmp_path: Path) -> None:
    content, expected_lines = CASES[case]
    path = _write(tmp_path, content)
    result = run_cli("check", "--data", tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected_lines)
    for line, expected in zip(lines, expected_lines, strict=True):
        assert line.startswith(f"{path}: ")
        assert expected in line


def test_check_reports_every_file_and_stray_names(tmp_path: Path) -> None:
    _write(tmp_path, _day())
    _write(tmp_path, _day(date="2021-06-30", papers=[_paper(title=None)]), "2021-06-30.json")
    _write(tmp_path, _day(), "notes.json")
    result = run_cli("check", "--data", tmp_path)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'notes.json'}: not a day file name (expected YYYY-MM-DD.json)",
        f"{tmp_path / '2021-06-30.json'}: paper 1 (2106.14108), field 'title': "
        "must be a string, got null",
    ]
    assert "checked 2 day files: 2 problems" in result.stdout


def test_check_accepts_valid_files(tmp_path: Path) -> None:
    _write(tmp_path, _day())
    _write(tmp_path, _day(date="2021-06-30", papers=[]), "2021-06-30.json")
    result = run_cli("check", "--data", tmp_path)
    assert (result.code, result.stderr) == (0, "")
    assert "checked 2 day files: all valid" in result.stdout


def test_check_on_a_missing_directory_is_one_line(tmp_path: Path) -> None:
    result = run_cli("check", "--data", tmp_path / "nowhere")
    assert result.code == 1
    assert result.stderr == f"{tmp_path / 'nowhere'}: not a directory\n"


def test_render_of_a_bad_file_fails_cleanly(tmp_path: Path) -> None:
    _write(tmp_path, _day(date="2021-06-28"))
    result = run_cli("render", "2021-06-29", "--data", tmp_path)
    assert result.code == 1
    assert result.stdout == ""
    assert "does not match the file name" in result.stderr
    assert "Traceback" not in result.stderr


def test_render_of_a_missing_day_fails_cleanly(tmp_path: Path) -> None:
    result = run_cli("render", "2021-06-29", "--data", tmp_path)
    assert result.code == 1
    assert result.stderr == f"{tmp_path / '2021-06-29.json'}: no day file for 2021-06-29\n"


def test_bad_date_argument_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("render", "2021-13-40", "--data", tmp_path)
    assert result.code == 2
    assert "not a date like 2021-06-29" in result.stderr
    assert "Traceback" not in result.stderr
