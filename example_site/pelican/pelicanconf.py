"""Example Pelican site: a blog whose Hot Papers days come from example_site/data/."""

from pathlib import Path

HERE = Path(__file__).resolve().parent

AUTHOR = "Example Lab"
SITENAME = "Hot Papers example"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10

FEED_DOMAIN = "https://example.org"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

PLUGINS = ["pelican_hotpapers"]
HOTPAPERS = {
    "data": HERE.parent / "data",
    "category_tags": True,
}

# MathJax for the math in abstracts: the theme's base.html, extended (templates/base.html).
THEME_TEMPLATES_OVERRIDES = [str(HERE / "templates")]
