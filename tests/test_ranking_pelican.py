"""The `accounts` ranking in real Pelican builds: order, attention lines, the ignore
and trust lists, the old rule as an option, and the week article."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytest.importorskip("pelican.settings")

from .sites import (
    ACCOUNT_DAY,
    ACCOUNT_LINES,
    ACCOUNT_LISTS,
    ACCOUNT_LISTS_LINES,
    ACCOUNT_ORDER,
    REPEATED,
    SELF,
    attention_lines,
    build_pelican,
    soup,
    write_account_day,
)

pytestmark = pytest.mark.pelican


def _site(root: Path, **options: object) -> Path:
    write_account_day(root / "data")
    return build_pelican(root, hotpapers={"data": str(root / "data"), **options})


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "accounts": _site(tmp_path_factory.mktemp("accounts")),
        "lists": _site(tmp_path_factory.mktemp("lists"), **ACCOUNT_LISTS),
        "legacy": _site(tmp_path_factory.mktemp("legacy"), ranking="legacy"),
    }


def _page(output: Path, name: str = ACCOUNT_DAY) -> BeautifulSoup:
    return soup(output / f"hot-papers-{name.lower()}.html")


@pytest.mark.parametrize("rule", ["accounts", "lists", "legacy"])
def test_the_day_ranks_by_the_rule(sites: dict[str, Path], rule: str) -> None:
    assert list(attention_lines(_page(sites[rule]))) == ACCOUNT_ORDER[rule]


def test_every_score_is_explained(sites: dict[str, Path]) -> None:
    assert attention_lines(_page(sites["accounts"])) == ACCOUNT_LINES
    assert attention_lines(_page(sites["lists"])) == {**ACCOUNT_LINES, **ACCOUNT_LISTS_LINES}
    assert attention_lines(_page(sites["legacy"]))[REPEATED] == "X 230 likes; score 230"


def test_an_ignored_accounts_post_is_not_shown_and_an_authors_post_is_marked(
    sites: dict[str, Path],
) -> None:
    shown = str(_page(sites["accounts"]))
    assert "x.com/spammer/status/" in shown
    assert "x.com/spammer/status/" not in str(_page(sites["lists"]))
    assert shown.count("status/1001") == 1
    assert str(_page(sites["legacy"])).count("status/1001") == 5
    mark = _page(sites["accounts"]).find("em", string="By an author of the paper:")
    assert mark is not None
    assert "x.com/adalovelace/" in str(mark.find_next("blockquote"))
    assert mark.find_previous("h2").get_text().endswith(SELF)


def test_the_week_article_sums_what_was_set_aside(sites: dict[str, Path]) -> None:
    week = attention_lines(_page(sites["accounts"], "2021-W26"))
    assert list(week) == ACCOUNT_ORDER["accounts"]
    assert week[REPEATED] == "X 230 likes; 4 repeat posts not counted; score 70"
