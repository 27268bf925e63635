"""Day files built to break builds: what `check` accepts builds in every host, and what
it rejects is named by `check` and passed over by builds, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .helpers import Result
from .sites import build_mkdocs, make_mkdocs_site
from .test_check import _day as check_day
from .test_check import _paper as check_paper

ACCEPTED_DATE = "2021-06-29"


def _paper(**changes: Any) -> dict[str, Any]:
    return check_paper(**{"mentions": [], **changes})


def _day(date: str = ACCEPTED_DATE, papers: list[dict[str, Any]] | None = None) -> bytes:
    return json.dumps(check_day([_paper()] if papers is None else papers, date=date)).encode()


def _check(data: Path) -> Result:
    """`hotpapers check` with a time limit: a FIFO once made it wait for ever."""
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", "check", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


DEEP = b"[" * 100_000 + b"]" * 100_000
REJECTED = {
    "count beyond floats": (
        _day(papers=[_paper(totals={"reposts": 10**400, "likes": 0})]),
        "paper 1 (2106.14108), field 'totals.reposts': must be at most 10**15",
    ),
    "integer of 5000 digits": (
        _day().replace(b'"likes": 3', b'"likes": ' + b"7" * 5000),
        "invalid JSON: Exceeds the limit (4300 digits)",
    ),
    "nesting 100 000 deep": (
        _day().replace(b'"mentions": []', b'"mentions": ' + DEEP),
        "invalid JSON: nested too deep",
    ),
    "an unknown field nested deep": (
        _day(papers=[_paper(later=json.loads("[" * 40 + "]" * 40))]),
        "paper 1 (2106.14108), field 'later': nested deeper than 32 levels",
    ),
    "a lone surrogate in a source's name": (
        _day(papers=[_paper(sources={"x\ud800": {"reposts": 60, "likes": 3}})]),
        "paper 1 (2106.14108), field 'sources.x\\ud800': its name holds a character",
    ),
    "a control character in a source's name": (
        _day(papers=[_paper(sources={"x\u0001": {"reposts": 60, "likes": 3}})]),
        "paper 1 (2106.14108), field 'sources.x\\x01': its name holds a character",
    ),
    "a source's name that is not a word": (
        _day(papers=[_paper(sources={"X (old)": {"reposts": 60, "likes": 3}})]),
        "paper 1 (2106.14108), field 'sources': 'X (old)' is not a source name",
    ),
    "U+FFFF, which XML feeds cannot hold": (
        json.dumps(
            json.loads(_day(papers=[_paper(title="A \uffff title")])), ensure_ascii=False
        ).encode(),
        "paper 1 (2106.14108), field 'title': contains a control character",
    ),
    "a raw DEL": (
        json.dumps(
            json.loads(_day(papers=[_paper(abstract="A \x7f")])), ensure_ascii=False
        ).encode(),
        "paper 1 (2106.14108), field 'abstract': contains a control character",
    ),
    "post HTML nested 60 000 deep": (
        _day(
            papers=[
                _paper(
                    mentions=[
                        {
                            "source": "x",
                            "id": "1",
                            "url": "https://x.com/a/status/1",
                            "reposts": 60,
                            "likes": 0,
                            "embed_html": "<dl><dd>" * 60_000,
                        }
                    ]
                )
            ]
        ),
        "paper 1 (2106.14108), field 'mentions[0].embed_html': larger than a post's HTML",
    ),
    "a control character": (
        _day(papers=[_paper(title="A \u0000 title")]),
        "paper 1 (2106.14108), field 'title': contains a control character",
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_check_rejects_what_a_build_cannot_hold(case: str, tmp_path: Path) -> None:
    content, expected = REJECTED[case]
    path = tmp_path / f"{ACCEPTED_DATE}.json"
    path.write_bytes(content)
    result = _check(tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"{path}: {expected}")


def _stray_entries(data: Path) -> dict[str, str]:
    """Entries named like day files that are not day files, and what check says of each."""
    (data / "2099-02-30.json").write_bytes(_day("2099-02-30"))
    (data / "٢٠٢١-٠٦-٢٩.json").write_bytes(_day())  # Arabic-Indic digits match \d
    os.mkfifo(data / "2021-06-30.json")
    (data / "2021-07-01.json").mkdir()
    return {
        "2021-06-30.json": "not a regular file",
        "2021-07-01.json": "not a regular file",
        "2099-02-30.json": "not a day file name: 2099-02-30 is not a date",
        "٢٠٢١-٠٦-٢٩.json": "not a day file name (expected YYYY-MM-DD.json)",
    }


def test_check_names_every_stray_entry_and_never_waits(tmp_path: Path) -> None:
    (tmp_path / f"{ACCEPTED_DATE}.json").write_bytes(_day())
    strays = _stray_entries(tmp_path)
    result = _check(tmp_path)
    assert result.code == 1
    assert sorted(result.stderr.splitlines()) == sorted(
        f"{tmp_path / name}: {reason}" for name, reason in strays.items()
    )
    assert "checked 1 day file: 4 problems" in result.stdout


# Categories that once aborted builds: case and slug twins, our own page names.
TWIN_CATEGORIES = ["cs.LG", "cs.lg", "cs.L-G", "cs-l.G", "index", "categories", "math.PH"]
LINKED = {"cs.LG", "math-ph", "hep-th"}


def write_build_breakers(data: Path) -> None:
    """Accepted days that once broke builds, beside stray entries builds must pass over."""
    big = 10**15
    papers = [
        _paper(categories=TWIN_CATEGORIES, totals={"reposts": big, "likes": big}),
        _paper(id="2106.00002", categories=["math-ph", "hep-th", "cs.lg"]),
    ]
    (data / f"{ACCEPTED_DATE}.json").write_bytes(_day(papers=papers))
    _stray_entries(data)


@pytest.mark.mkdocs
@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_days_check_accepts_build_in_mkdocs(tmp_path: Path, theme: str) -> None:
    pytest.importorskip("material")
    docs = make_mkdocs_site(tmp_path, theme=theme, blog=theme == "material", tags=False)
    shutil.rmtree(tmp_path / "data")
    (tmp_path / "data").mkdir()
    write_build_breakers(tmp_path / "data")
    built = build_mkdocs(tmp_path)
    assert built.code == 0, built.log
    assert built.warnings() == []
    assert docs.is_dir()
    categories = tmp_path / "site" / "hot-papers" / "categories"
    pages = sorted(p.name for p in categories.iterdir())
    assert pages == [
        *("cs-lg", "cs-lg-2021", "hep-th", "hep-th-2021", "index.html", "math-ph"),
        "math-ph-2021",
    ]


@pytest.mark.pelican
def test_days_check_accepts_build_in_pelican(tmp_path: Path) -> None:
    pytest.importorskip("pelican.settings")
    from .sites import build_pelican

    data = tmp_path / "data"
    data.mkdir()
    write_build_breakers(data)
    output = build_pelican(tmp_path, hotpapers={"data": str(data)})
    pages = sorted(p.name for p in (output / "pages").glob("hot-papers-*.html"))
    assert pages == [
        "hot-papers-categories.html",
        *("hot-papers-cs-lg-2021.html", "hot-papers-cs-lg.html"),
        *("hot-papers-hep-th-2021.html", "hot-papers-hep-th.html"),
        *("hot-papers-math-ph-2021.html", "hot-papers-math-ph.html"),
    ]
    assert (output / f"hot-papers-{ACCEPTED_DATE}.html").is_file()


def test_an_abstract_of_unclosed_math_renders_in_linear_time(tmp_path: Path) -> None:
    # Each unclosed \( once scanned to the end of the text: 200 000 of them took hours.
    abstract = "\\(" * 200_000
    (tmp_path / f"{ACCEPTED_DATE}.json").write_bytes(_day(papers=[_paper(abstract=abstract)]))
    completed = subprocess.run(
        [sys.executable, "-m", "hotpapers", "render", ACCEPTED_DATE, "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,  # a guard against a hang, not a measurement
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "arithmatex" not in completed.stdout
    assert completed.stdout.count("&#92;(") == 200_000
