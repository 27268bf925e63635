"""Structured errors (hotpapers.errors): what each carries, and which exit code it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpapers.errors import ConfigError, DataError, HotpapersError, SourceError

from .fake_services import FakeServices, status
from .helpers import fetch


def test_a_source_error_carries_service_url_and_status(tmp_path: Path) -> None:
    error = SourceError("x: https://api.x.com answered HTTP 503", service="x", status=503)
    assert isinstance(error, HotpapersError)
    assert (error.service, error.url, error.status) == ("x", None, 503)
    assert str(error) == "x: https://api.x.com answered HTTP 503"
    assert DataError(["a: one", "a: two"]).problems == ["a: one", "a: two"]


def test_an_http_failure_is_a_source_error_with_its_status(
    tmp_path: Path, services: FakeServices
) -> None:
    from hotpapers.collect.http import get_json, make_session
    from hotpapers.collect.transport import Limits

    services.failures["hackernews"] = [status(404)]
    url = services.base_url + "/api/v1/search_by_date"
    session = make_session(
        tmp_path / "cache.sqlite", [], retries=0, backoff=0, limits=Limits(5, 5, 1 << 20)
    )
    with pytest.raises(SourceError) as raised:
        get_json(session, "hackernews", url, timeout=5)
    assert (raised.value.service, raised.value.url, raised.value.status) == (
        "hackernews",
        url,
        404,
    )


@pytest.mark.parametrize(
    ("table", "line", "message"),
    [
        (
            "[sources.arxiv]\nbatch_size = 500\n",
            "[sources.arxiv]",
            "option 'batch_size': must be at most 100, got 500",
        ),
        (
            '[sources.bluesky]\nmax_posts = "many"\n',
            "[sources.bluesky]",
            "option 'max_posts': must be an integer, got 'many'",
        ),
        ("[sources.x]\ncost_per_post = -1\n", "[sources.x]", "must be at least 0, got -1"),
        ("[embeds.x]\nenabled = false\n", "[embeds.x]", "unknown option 'enabled'"),
        ("[sources.reddit]\nuser_agent = 'me'\n", "[sources.reddit]", "unknown option"),
    ],
)
def test_a_bad_source_option_is_a_config_error_before_any_request(
    tmp_path: Path, services: FakeServices, table: str, line: str, message: str
) -> None:
    config = services.config(tmp_path / "base.toml").read_text(encoding="utf-8")
    header = table.split("\n", 1)[0]
    merged = config.replace(header + "\n", table) if header in config else config + table
    (tmp_path / "hotpapers.toml").write_text(merged, encoding="utf-8")
    result = fetch(tmp_path, services, keep_config=True)
    assert result.code == 1, result.stderr
    (error,) = result.stderr.splitlines()
    assert f"hotpapers.toml: {line}: " in error and message in error
    assert services.server.log == []  # nothing was asked


def test_config_errors_are_hotpapers_errors() -> None:
    assert issubclass(ConfigError, HotpapersError)
