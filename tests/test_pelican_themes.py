"""Popular Pelican themes beyond the default: no theme crashes on the days, and titles,
summaries and posts stay escaped in what each theme prints (tests/safety.py checks).

The themes are PyPI packages installed by .ci/run into the Pelican environment:
`pelican-theme-reflex` (a maintained fork of Flex) and `pelican-theme-smallweb`.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pelican.settings")

from .safety import HOSTILE_DATE, readability_problems, site_problems, write_hostile_day
from .sites import EXAMPLE_DATA, build_pelican, soup

pytestmark = pytest.mark.pelican

# What each theme needs from a site to render at all (reflex subscripts CC_LICENSE).
THEMES = {
    "reflex": {
        "CC_LICENSE": {"name": "Creative Commons Attribution", "version": "4.0", "slug": "by"}
    },
    "smallweb": {},
}


def _theme_path(name: str) -> str:
    # Not skipped when missing: .ci/run installs the themes with the Pelican environment.
    module = importlib.import_module(f"pelican.themes.{name}")
    return str(Path(str(module.__file__)).parent)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_a_popular_theme_shows_hostile_days_safely(tmp_path: Path, theme: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    papers = write_hostile_day(data)
    output = build_pelican(
        tmp_path,
        hotpapers={"data": str(data), "category_tags": True},
        THEME=_theme_path(theme),
        SITENAME="Lab",
        AUTHOR="Lab",  # themes print article.author (Pelican gives it to every article)
        SITEURL="https://example.org",
        **THEMES[theme],
    )
    assert site_problems(output, "script") == {}  # (the themes load fonts elsewhere)
    page = soup(output / f"hot-papers-{HOSTILE_DATE}.html")
    assert readability_problems(page, papers, "script") == []
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "Hot Papers 2021-06-29" in index and "Hot Papers " + HOSTILE_DATE in index
    assert (output / "pages" / "hot-papers-categories.html").is_file()
