"""Data and extension sets for the compatibility tests (test_markdown_compat, test_compat_sites)."""

from __future__ import annotations

from typing import Any

# Extensions that rewrite text, and the rest of both sets, configured as sites do.
EVERY_EXTENSION: dict[str, dict] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "footnotes": {},
    "md_in_html": {},
    "meta": {},
    "nl2br": {},
    "sane_lists": {},
    "smarty": {"smart_angled_quotes": True},
    "tables": {},
    "toc": {"permalink": True},
    "wikilinks": {},
    "legacy_attrs": {},
    "pymdownx.arithmatex": {"generic": True},
    "pymdownx.betterem": {},
    "pymdownx.caret": {},
    "pymdownx.critic": {},
    "pymdownx.details": {},
    "pymdownx.emoji": {},
    "pymdownx.escapeall": {"hardbreak": True, "nbsp": True},
    "pymdownx.fancylists": {},
    "pymdownx.highlight": {},
    "pymdownx.inlinehilite": {},
    "pymdownx.keys": {},
    "pymdownx.magiclink": {
        "repo_url_shorthand": True,
        "social_url_shorthand": True,
        "provider": "github",
        "user": "squidfunk",
        "repo": "mkdocs-material",
    },
    "pymdownx.mark": {},
    "pymdownx.progressbar": {},
    "pymdownx.quotes": {},
    "pymdownx.saneheaders": {},
    "pymdownx.smartsymbols": {},
    "pymdownx.snippets": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.tilde": {},
}

# Text every one of those extensions would rewrite if it reached them as Markdown.
TRICKY = [
    "GPT-2/3 (c) Foo (tm) (r) c/o 1st 22nd 3rd 11th +/- =/= --> <-- 1/2 3/4",
    "See #1, !2, ?3, @user, squidfunk/mkdocs-material#12 and " + "a1b2c3d4" * 5,
    ":fire: :smile: www.example.com https://example.com user@example.com",
    "*em* _em_ **strong** ^^ins^^ ^sup^ ==mark== ~~del~~ ~sub~ ++ctrl+alt++",
    "{++add++} {--del--} {~~a~>b~~} {==mark==} {>>note<<} [[Wiki]] [^1] [x](y)",
    "'quotes' \"double\" <<angled>> -- --- ... [ ] [x] H~2~O x^2^",
    "--8<-- 'snippet.md' !!! note ??? tip === Tab [=50% progress]",
    "Line\nbreak and two  spaces  \nand a \\ backslash \\* and &amp; &copy;",
]
MATH = r"Math $N^{1/2}$, $a_1 (c) b$, $$x--y$$ and \(2nd\) stays TeX."


def tricky_paper(index: int, title: str, abstract: str, authors: list[str]) -> dict[str, Any]:
    return {
        "id": f"2101.{index:05d}",
        "title": title,
        "authors": authors,
        "abstract": abstract,
        "categories": ["cs.LG", "stat.ML"],
        "counted_at": "2021-01-02T00:00:00Z",
        "totals": {"reposts": 1000 - index, "likes": 1},
        "mentions": [],
    }


# Pelican's defaults plus the extensions Pelican sites commonly add.
PELICAN_MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": True},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {"smart_angled_quotes": True},
        "markdown.extensions.admonition": {},
        "markdown.extensions.nl2br": {},
        "markdown.extensions.wikilinks": {},
        "markdown.extensions.legacy_attrs": {},
    },
    "output_format": "html5",
}
