"""The `accounts` ranking in real MkDocs builds (the built-in theme): order, attention
lines, the ignore and trust lists, the old rule as an option, and the week page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("mkdocs")

from .sites import (
    ACCOUNT_DAY,
    ACCOUNT_LINES,
    ACCOUNT_LISTS_LINES,
    ACCOUNT_ORDER,
    REPEATED,
    SELF,
    Built,
    attention_lines,
    build_mkdocs,
    make_mkdocs_site,
    write_account_day,
)

pytestmark = pytest.mark.mkdocs

LISTS = 'ignore_accounts: {x: ["@Spammer"]}\ntrust_accounts: {x: ["3001"]}'


def _site(root: Path, plugin: str = "") -> Built:
    make_mkdocs_site(root, theme="mkdocs", blog=False, tags=False, plugin=plugin)
    shutil.rmtree(root / "data")
    write_account_day(root / "data")
    built = build_mkdocs(root)
    assert built.code == 0, built.log
    return built


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    return {
        "accounts": _site(tmp_path_factory.mktemp("accounts")),
        "lists": _site(tmp_path_factory.mktemp("lists"), LISTS),
        "legacy": _site(tmp_path_factory.mktemp("legacy"), "ranking: legacy"),
    }


def _page(built: Built, name: str = ACCOUNT_DAY) -> BeautifulSoup:
    path = built.site / "hot-papers" / name / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("rule", ["accounts", "lists", "legacy"])
def test_the_day_ranks_by_the_rule(sites: dict[str, Built], rule: str) -> None:
    assert list(attention_lines(_page(sites[rule]))) == ACCOUNT_ORDER[rule]


def test_every_score_is_explained(sites: dict[str, Built]) -> None:
    assert attention_lines(_page(sites["accounts"])) == ACCOUNT_LINES
    lists = attention_lines(_page(sites["lists"]))
    assert lists == {**ACCOUNT_LINES, **ACCOUNT_LISTS_LINES}
    legacy = attention_lines(_page(sites["legacy"]))
    assert legacy[REPEATED] == "X 230 likes; score 230"


def test_an_ignored_accounts_post_is_not_shown_and_an_authors_post_is_marked(
    sites: dict[str, Built],
) -> None:
    shown = str(_page(sites["accounts"]))
    listed = str(_page(sites["lists"]))
    assert "x.com/spammer/status/" in shown and "x.com/spammer/status/" not in listed
    assert shown.count("status/1001") == 1  # the repeated poster's best post only
    assert str(_page(sites["legacy"])).count("status/1001") == 5
    page = _page(sites["accounts"])
    mark = page.find("em", string="By an author of the paper:")
    assert mark is not None
    assert "x.com/adalovelace/" in str(mark.find_next("blockquote"))
    assert mark.find_previous("h2").get_text().endswith(SELF)


def test_the_week_page_sums_what_was_set_aside(sites: dict[str, Built]) -> None:
    week = attention_lines(_page(sites["accounts"], "2021-W26"))
    assert list(week) == ACCOUNT_ORDER["accounts"]
    assert week[REPEATED] == "X 230 likes; 4 repeat posts not counted; score 70"
