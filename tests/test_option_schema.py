"""Each option is declared once (hotpapers.config.SCHEMA); README, the TOML reader and the
MkDocs config class follow it."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from hotpapers.config import (
    OPTION_NAMES,
    SCHEMA,
    SITE_OPTION_NAMES,
    Options,
    options_from_mapping,
    options_table,
)
from hotpapers.errors import ConfigError

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("group", ["site", "fetch"])
def test_readme_tables_are_the_schemas(group: str) -> None:
    assert options_table(group) in README.read_text(encoding="utf-8")


def test_every_option_field_has_its_declaration() -> None:
    declared = set(OPTION_NAMES) - {"embeds"} | {"embed_mode", "embed_endpoints"}
    assert {f.name for f in fields(Options)} == declared
    assert len(OPTION_NAMES) == len(SCHEMA)


def test_every_option_is_checked_with_a_line_naming_it() -> None:
    for spec in SCHEMA:
        with pytest.raises(ConfigError) as error:
            options_from_mapping({spec.name: object()}, "site.toml")
        assert str(error.value).startswith(f"site.toml: option '{spec.name}': must be ")


def test_the_mkdocs_plugin_takes_exactly_the_schemas_options() -> None:
    plugin = pytest.importorskip("mkdocs_hotpapers.plugin")
    names = {name for name, _ in plugin.HotPapersPlugin.config_scheme}
    own = {"enabled", "data", "pages_dir", "nav_title", "nav_days", "cache", "cache_dir"}
    assert names == set(SITE_OPTION_NAMES) | own


def test_a_collection_option_in_a_site_config_is_one_line() -> None:
    with pytest.raises(ConfigError) as error:
        options_from_mapping({"timeout": 3}, "mkdocs.yml: plugins.hotpapers", site_only=True)
    assert str(error.value) == (
        "mkdocs.yml: plugins.hotpapers: option 'timeout' is for `hotpapers fetch` "
        "(its --config file), not for a site"
    )
    assert options_from_mapping({"timeout": 3}, "hotpapers.toml").timeout == 3
