"""One option set for the CLI (TOML) and the plugins, checked with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotpapers.config import Options, load_config, options_from_mapping
from hotpapers.errors import ConfigError

from .helpers import LEGACY, run_cli


def test_defaults_reproduce_the_old_pages() -> None:
    options = Options()
    assert (options.min_score, options.embed_min_score, options.max_embeds) == (50, 25, 10)
    assert options.tags == ("arXiv", "Twitter", "Machine Learning", "Computer Science")
    assert options.page_slug("2021-06-29") == "hot-papers-2021-06-29"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"min_scor": 3}, "unknown option 'min_scor'"),
        ({"min_score": "50"}, "option 'min_score': must be a non-negative number, got '50'"),
        ({"max_embeds": 2.5}, "option 'max_embeds': must be a non-negative integer, got 2.5"),
        ({"require_pdf": "yes"}, "option 'require_pdf': must be true or false"),
        ({"tags": "arXiv"}, "option 'tags': must be a list of strings"),
        ({"embeds": "iframe"}, "option 'embeds': must be one of script, static, none"),
        ({"since": "2021-02-30"}, "option 'since': must be a date like 2021-06-29"),
        ({"slug": "hp-{day}"}, "option 'slug': only the placeholder {date} is allowed"),
        ({"weights": {"x": -1}}, "option 'weights.x': must be a non-negative number"),
        # Templates: only {date}, no attributes or formats; slugs stay one path segment.
        ({"title": "{date.foo}"}, "option 'title': only the placeholder {date} is allowed"),
        ({"title": "{date.__class__.__mro__}"}, "option 'title': only the placeholder {date}"),
        ({"description": "{date!r:>99}"}, "option 'description': only the placeholder {date}"),
        ({"title": "{"}, "option 'title': only the placeholder {date} is allowed"),
        ({"slug": "../../x-{date}"}, "option 'slug': must give 1 to 100 letters, digits"),
        ({"slug": "x" * 300 + "-{date}"}, "option 'slug': must give 1 to 100 letters"),
        ({"slug": "hot-papers"}, "option 'slug': must contain {date}"),
        ({"title": "Hot\x00Papers {date}"}, "option 'title': must be a string without control"),
        ({"tags": ["ok", "bad\n"]}, "option 'tags': must be a string without control"),
        ({"title": "Hot\x80Papers {date}"}, "option 'title': must be a string without control"),
        ({"min_score": float("nan")}, "option 'min_score': must be a non-negative number"),
        ({"weights": {"x": float("inf")}}, "option 'weights.x': must be a non-negative number"),
        ({"request_deadline": 0}, "option 'request_deadline': must be a positive number"),
        ({"max_answer_bytes": 0}, "option 'max_answer_bytes': must be a positive integer"),
    ],
)
def test_bad_options(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_mapping(values, "site.toml")
    assert str(error.value).startswith("site.toml: ")
    assert message in str(error.value)


def test_templates_keep_their_meaning() -> None:
    options = options_from_mapping({"title": "{{Hot}} {date}", "slug": "hp_{date}"}, "t")
    assert options.page_title("2021-06-29") == "{Hot} 2021-06-29"
    assert options.page_slug("2021-06-29") == "hp_2021-06-29"


def test_embeds_as_a_mode_or_a_table_with_endpoints() -> None:
    assert options_from_mapping({"embeds": "static"}, "t").embed_mode == "static"
    options = options_from_mapping(
        {"embeds": {"mode": "none", "x": {"base_url": "http://127.0.0.1:1"}}}, "t"
    )
    assert options.embed_mode == "none"
    assert options.embed_endpoints == {"x": {"base_url": "http://127.0.0.1:1"}}


def test_toml_file(tmp_path: Path) -> None:
    config = tmp_path / "hotpapers.toml"
    config.write_text(
        'min_score = 500\ntags = ["papers"]\nembeds = "static"\n'
        '[sources.arxiv]\nbase_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    options = load_config(config)
    assert options.min_score == 500 and options.tags == ("papers",)
    assert options.sources == {"arxiv": {"base_url": "http://127.0.0.1:9"}}


def test_render_uses_the_config_and_reports_bad_ones(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run_cli("import-legacy", LEGACY / "2021-06-29---Hot-Papers.md", "--data", data)
    config = tmp_path / "hotpapers.toml"
    config.write_text("min_score = 700\nembeds = 'static'\n", encoding="utf-8")
    result = run_cli("render", "2021-06-29", "--data", data, "--config", config)
    assert result.code == 0
    assert result.stdout.count("\n## ") == 5  # scores 12198, 5989, 4996, 733, 707
    assert "<script" not in result.stdout
    config.write_text("min_score = [\n", encoding="utf-8")
    bad = run_cli("render", "2021-06-29", "--data", data, "--config", config)
    assert bad.code == 1 and bad.stderr.startswith(f"{config}: invalid TOML")
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("name", ["timeout", "max_wait", "request_deadline", "backoff"])
def test_waits_are_at_most_a_day(name: str) -> None:
    with pytest.raises(ConfigError) as error:
        options_from_mapping({name: 1e300}, "site.toml")
    assert f"option '{name}': must be at most 86400 (a day)" in str(error.value)
