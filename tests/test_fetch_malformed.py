"""Collectors never write what `check` rejects: answers of an unexpected shape fail their
source in one line (the day is written from the others), fields of the wrong type are
unknown, and text loses what a day file may not hold.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from werkzeug import Response

from .fake_services import DAY, X_TOKEN, FakeServices, body
from .helpers import ROOT, Result, day_file, fetch, fetch_env, popular_scenario, run_cli


def _answer(data: object) -> list:
    return [body(json.dumps(data), "application/json")] * 10


@pytest.mark.parametrize(
    ("source", "answer"),
    [
        ("x", {"data": {"id": "1", "text": "not a list"}, "meta": {}}),
        ("x", {"data": [{"text": "no id", "entities": {"urls": []}}, 7], "meta": {}}),
        ("x", {"data": [], "includes": {"users": [{"name": "no id"}]}, "meta": {}}),
        ("bsky_search", [1, 2, 3]),
        ("bsky_search", {"posts": [{"uri": 5, "record": "text", "author": []}]}),
        ("hackernews", {"hits": "none", "nbPages": 1}),
        ("hackernews", {"hits": [{"objectID": "1", "url": "https://arxiv.org/abs/2"}, 7]}),
        ("huggingface", [{"paper": "2611.00001"}]),
    ],
)
def test_an_answer_of_an_unexpected_shape_fails_its_source_in_one_line(
    tmp_path: Path, services: FakeServices, source: str, answer: object
) -> None:
    popular_scenario(services)
    services.failures[source] = _answer(answer)
    result = fetch(tmp_path, services)
    assert result.code == 4, result.stderr
    assert "Traceback" not in result.stderr
    name = {"bsky_search": "bluesky"}.get(source, source)
    failures = [line for line in result.stderr.splitlines() if "unexpected shape" in line]
    assert len(failures) == 1, result.stderr
    assert "unexpected shape" in failures[0]
    day = day_file(tmp_path)
    assert day["sources"][name].startswith("failed: ")
    assert day["papers"], "the other sources still make the day"
    assert run_cli("check", "--data", tmp_path / "data").code == 0


def test_fields_of_the_wrong_type_are_unknown_and_text_is_cleaned(
    tmp_path: Path, services: FakeServices
) -> None:
    services.paper("2611.00001")
    services.x_post("https://arxiv.org/abs/2611.00001", 40, 100)
    post = services.x_posts[-1]
    post.update(created_at=["2026-11-20"])
    post["public_metrics"]["like_count"] = "many"
    post["_user"].update(name={"first": "Ada"}, username=7)
    services.x_post("https://arxiv.org/abs/2611.00001", 1, 1)
    services.x_posts[-1].update(text="A \u0007bell and a \u0000NUL", id=5)
    services.hn_story("https://arxiv.org/abs/2611.00001", 120)
    services.hn_hits[-1].update(author=7, title=None, created_at={"at": 1}, points=10**20)
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    check = run_cli("check", "--data", tmp_path / "data")
    assert (check.code, check.stderr) == (0, "")
    (paper,) = day_file(tmp_path)["papers"]
    x, bell = (m for m in paper["mentions"] if m["source"] == "x")
    assert (x["created_at"], x["author"], x["handle"]) == (None, None, None)
    assert (x["reposts"], x["likes"]) == (40, None)
    assert (bell["id"], bell["text"]) == ("5", "A \ufffdbell and a \ufffdNUL")
    hn = next(m for m in paper["mentions"] if m["source"] == "hackernews")
    assert (hn["author"], hn.get("text"), hn["created_at"], hn["likes"]) == (None, None, None, None)


def test_import_legacy_writes_no_impossible_day(tmp_path: Path) -> None:
    original = (ROOT / "tests" / "fixtures" / "legacy" / "2020-12-07---Hot-Papers.md").read_text()
    post = tmp_path / "2020-02-30---Hot-Papers.md"
    post.write_text(original.replace("2020-12-07", "2020-02-30"), encoding="utf-8")
    result = run_cli("import-legacy", post, "--data", tmp_path / "data")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert f"{post}:" in result.stderr and "2020-02-30 is not a date" in result.stderr
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").iterdir())


def _endless_hn(fresh: bool):
    """Hacker News that always has another full page (of new or the same stories)."""
    served = [0]

    def respond(request: Any) -> Response:
        served[0] += 1
        start = served[0] * 100 if fresh else 0
        hits = [
            {"objectID": str(start + i), "url": "https://arxiv.org/abs/2611.00002", "points": 1}
            for i in range(100)
        ]
        return Response(
            json.dumps({"hits": hits, "nbPages": 10**12}), content_type="application/json"
        )

    return respond, served


@pytest.mark.parametrize("fresh", [True, False], ids=["new-stories", "same-page"])
def test_a_source_that_never_stops_paging_is_bounded(
    tmp_path: Path, services: FakeServices, fresh: bool
) -> None:
    popular_scenario(services)
    respond, served = _endless_hn(fresh)
    services.failures["hackernews"] = [respond] * 100
    services.hf_entries[:] = [
        {"paper": {"id": f"2611.{i:05d}", "upvotes": 1}} for i in range(100)
    ]  # a full page, and the same one again and again
    result = fetch(tmp_path, services, extra_config="", timeout=5)
    assert result.code == 0, result.stderr
    assert served[0] == (10 if fresh else 2)  # max_posts 1000 = 10 pages; a repeat ends it
    assert len(services.requests("huggingface")) == 2
    if fresh:
        assert "hackernews: stopped at max_posts (1000)" in result.stderr


@pytest.mark.parametrize("object_id", ["2\ud800", "2\u0007"], ids=["surrogate", "control"])
def test_a_post_id_that_is_not_text_costs_nothing_but_its_characters(
    tmp_path: Path, services: FakeServices, object_id: str
) -> None:
    popular_scenario(services)
    services.hn_hits[0]["objectID"] = object_id
    result = fetch(tmp_path, services)
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    hn = [
        m
        for p in day_file(tmp_path)["papers"]
        for m in p["mentions"]
        if m["source"] == "hackernews"
    ]
    assert [m["id"] for m in hn] == ["2\ufffd"]
    assert run_cli("check", "--data", tmp_path / "data").code == 0


def _run_fetch(tmp_path: Path, config: Path, env: dict[str, str]) -> Result:
    completed = subprocess.run(
        [
            *(sys.executable, "-m", "hotpapers", "fetch", "--date", DAY),
            *("--data", str(tmp_path / "data"), "--config", str(config)),
        ],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    return Result(completed.returncode, completed.stdout.decode(), completed.stderr.decode())


def test_a_credential_with_a_line_break_is_named_never_shown(
    tmp_path: Path, services: FakeServices
) -> None:
    popular_scenario(services)
    env = {**fetch_env(tmp_path, credentials=True), "HOTPAPERS_X_BEARER_TOKEN": X_TOKEN + "\n"}
    result = _run_fetch(tmp_path, services.config(tmp_path / "hotpapers.toml"), env)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "environment variable HOTPAPERS_X_BEARER_TOKEN: holds whitespace or characters a "
        "credential does not have (a trailing line break?); set it without them"
    ]
    assert services.server.log == []  # nothing was sent
    places = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    assert not any(X_TOKEN.encode() in data for data in places)


def test_a_cache_option_naming_a_folder_is_refused_and_the_folder_left_alone(
    tmp_path: Path, services: FakeServices
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    config = services.config(tmp_path / "hotpapers.toml")
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^cache = .*$", f"cache = {json.dumps(str(shared))}", text))
    result = _run_fetch(tmp_path, config, fetch_env(tmp_path, credentials=False))
    assert result.code == 1
    assert result.stderr.strip() == (
        f"option 'cache': {shared} is not a file; name the cache file itself"
    )
    assert shared.stat().st_mode & 0o7777 == 0o1777
