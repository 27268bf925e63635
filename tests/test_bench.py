"""The benchmark script still runs: its quickest mode, MkDocs only (a smoke test, no timings)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")
pytest.importorskip("material")

from .helpers import ROOT
from .sites import MKDOCS_ENV

pytestmark = pytest.mark.mkdocs


def test_quick_benchmark_runs(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench.py"),
            "--quick",
            "--core",
            "--hosts",
            "mkdocs",
            "--mkdocs-python",
            sys.executable,
            "--keep",
            str(tmp_path / "work"),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        env=MKDOCS_ENV,
        check=False,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(report.read_text(encoding="utf-8"))
    build = result["builds"]["mkdocs"]["5"]
    assert set(build["ratio"]) == {"wall", "cpu", "rss"}
    assert result["core"]["5"]["wall_ms"] > 0 and result["plan"]["5"]["windows"]["pages"] > 5
    warm = result["warm"]["mkdocs"]["5"]  # the daily build: one new day, a warm cache
    assert 0 < warm["plugin"] < warm["total"] and "files" in warm["events"]
    requests = result["requests"]
    assert requests["first"]["arxiv"] == -(-requests["kept"] // 100)
    assert requests["rerun"]["arxiv"] == requests["rerun"]["x_oembed"] == 0
    assert all(requests["checks"].values())
    # The plain site holds exactly the pages the plugin generates.
    plain = tmp_path / "work" / "n5" / "mkdocs-plain" / "docs" / "blog" / "posts"
    assert len(list(plain.glob("hot-papers-????-??-??.md"))) == 5
    # 2021-01-01 to 01-05: week 2020-W53 is over (2021-W01 and 2021-01 are not).
    assert [p.name for p in plain.glob("hot-papers-????-*w*.md")] == ["hot-papers-2020-w53.md"]


def test_serve_rebuilds_follow_each_edit(tmp_path: Path) -> None:
    """bench/serve.py imports from the test suite, and each edit sets off one rebuild that
    the served site shows (it checks the search index after every rebuild)."""
    from bench.serve import serve_report

    report = serve_report(sys.executable, 2, "theme", edits=1, work=tmp_path)
    assert set(report["median"]) == {
        "plugin day-title",
        "plugin day-new",
        "plugin markdown-index",
        "plain markdown-day",
        "plain markdown-index",
    }
    assert all(median["logged"] > 0 for median in report["median"].values())
    assert report["extra_rebuilds"] == {"plugin": 0, "plain": 0}
    json.dumps(report)  # what bench.py --serve writes


def test_fetch_time_reports_the_floor_and_where_the_time_went(tmp_path: Path) -> None:
    """bench/fetch_time.py on a small day (two arXiv batches, a short pause): its
    figures add up; no timing is asserted."""
    from bench.fetch_time import fetch_time

    result = fetch_time(sys.executable, 150, 300, tmp_path, latency=0.01, delay=0.3)
    assert result["arxiv_floor_s"] == pytest.approx(0.3 + 2 * 0.01)
    assert result["requests"]["arxiv"] == 2
    assert result["ratio"] == pytest.approx(result["wall_s"] / result["arxiv_floor_s"])
    assert 0 < result["most_in_flight"]["x_oembed"] <= 4
    json.dumps(result)  # what bench.py writes
