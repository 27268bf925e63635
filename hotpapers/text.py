"""Untrusted text made inert in Markdown and HTML, with TeX left for MathJax/KaTeX.

Outside math, every character that Markdown or a common extension gives
meaning to becomes a numeric character reference: every Markdown engine passes
those through and browsers show the character. Math (``$...$``, ``$$...$$``,
``\\(...\\)``, ``\\[...\\]``) becomes an inline HTML element in the form
``pymdownx.arithmatex`` (generic mode) produces,
``<span class="arithmatex">\\(...\\)</span>``, with its TeX escaped the same
way: Markdown cannot touch it (no emphasis, no backslash escapes), and once the
browser has decoded the references the page holds the TeX unchanged, where
MathJax or KaTeX find it with their default delimiters.
"""

from __future__ import annotations

import re

from markupsafe import escape

# A `$` opens math only when not followed by a space and closes only when not
# preceded by one (arithmatex's "smart dollar"), so "$5 and $10" stays text.
# Every branch starts with a literal `$` or `\`, which lets `re` skip ahead to
# those characters (an opening lookbehind would make it try every position).
_MATH = re.compile(
    r"(\$\$.+?\$\$"
    r"|\$(?<![\\$]\$)(?=[^\s$])(?:\\.|[^$\\])+?(?<=[^\s\\])\$(?!\d)"
    r"|\\\(.+?\\\)"
    r"|\\\[.+?\\\])",
    re.DOTALL,
)
_INERT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"} | {
    ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]#+!|~^=$@"
}
# One regex pass over the few special characters: far faster than str.translate with
# a dict, which looks up every character of an abstract in Python.
_SPECIAL = re.compile("[" + re.escape("".join(_INERT)) + "]")
# A colon that starts something (`:fire:` emoji, `https://` links) is escaped,
# as is the dot of a bare `www.`/`ftp.` domain (auto-linked by magiclink);
# "Title: subtitle" stays readable.
_COLON = re.compile(r":(?=\S)")
_BARE_DOMAIN = re.compile(r"(?i)(?<![\w&#])(www|ftp)\.")
# Quotes (above), `--` and `...` would become typographic characters with smarty.
_RUNS = re.compile(r"-(?=-)|\.(?=\.)")
_LINE_START = re.compile(r"^(\s*)(?:([-+=>:])|(\d+)([.)]))", re.MULTILINE)


def _escape_plain(text: str) -> str:
    text = _COLON.sub("&#58;", _SPECIAL.sub(lambda match: _INERT[match[0]], text))
    lowered = text.lower()
    if "www." in lowered or "ftp." in lowered:  # the case-insensitive regex is slow
        text = _BARE_DOMAIN.sub(r"\1&#46;", text)
    return _RUNS.sub(lambda match: f"&#{ord(match[0])};", text)


def _math_element(source: str) -> str:
    """One math span as arithmatex (generic) writes it: ``\\(...\\)`` or ``\\[...\\]``."""
    if source.startswith("$$"):
        opening, tex, closing = "\\[", source[2:-2], "\\]"
    elif source.startswith("$"):
        opening, tex, closing = "\\(", source[1:-1], "\\)"
    else:
        opening, tex, closing = source[:2], source[2:-2], source[-2:]
    return f'<span class="arithmatex">{_escape_plain(opening + tex + closing)}</span>'


def _escape(text: str) -> str:
    parts = _MATH.split(text) if "$" in text or "\\" in text else [text]
    return "".join(
        _math_element(part) if index % 2 else _escape_plain(part)
        for index, part in enumerate(parts)
    )


def _escape_line_starts(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        indent, marker, number, dot = match.groups()
        if marker:
            return f"{indent}&#{ord(marker)};"
        return f"{indent}{number}&#{ord(dot)};"

    return _LINE_START.sub(replace, text)


def markdown_inline(text: str) -> str:
    """One line of inert text for Markdown (headings, author lists, list items)."""
    return _escape_line_starts(_escape(" ".join(text.split())))


def markdown_block(text: str) -> str:
    """Paragraphs of inert text for Markdown; blank lines separate paragraphs."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(_escape_line_starts(_escape(p)) for p in paragraphs if p)


def html_text(text: str) -> str:
    """Text for an HTML context (attribute values included)."""
    return str(escape(text))
