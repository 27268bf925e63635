"""Untrusted text made inert in Markdown and HTML, with TeX left for MathJax/KaTeX.

Outside math, characters that Markdown or its common extensions give meaning
to become numeric character references: every Markdown engine passes them
through and browsers show the character. Inside ``$...$``, ``$$...$$``,
``\\(...\\)`` and ``\\[...\\]`` only ``&``, ``<`` and ``>`` are escaped, so
the TeX reaches the math renderer intact.
"""

from __future__ import annotations

import re

from markupsafe import escape

_MATH = re.compile(r"(\$\$.+?\$\$|\$[^$\n]+?\$|\\\(.+?\\\)|\\\[.+?\\\])", re.DOTALL)
_PLAIN = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]#+!|~^="}
)
_LINE_START = re.compile(r"^(\s*)(?:([-+=>:])|(\d+)([.)]))", re.MULTILINE)


def _escape_plain(text: str) -> str:
    return text.translate(_PLAIN)


def _escape_math(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape(text: str) -> str:
    parts = _MATH.split(text)
    return "".join(
        _escape_math(part) if index % 2 else _escape_plain(part) for index, part in enumerate(parts)
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
