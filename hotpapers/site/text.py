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

TeX is a language, and MathJax's and KaTeX's extensions give it commands that
make links, set styles, classes, ids or data attributes, emit raw MathML, load
extensions or define macros that reach other formulas. A math span that uses
any of them is not math: it is written as literal text in ``<code>``, which
MathJax and KaTeX skip by default, so the reader sees the TeX as it was sent.
"""

from __future__ import annotations

import html
import re

from markupsafe import escape

# A `$` opens math only when not followed by a space and closes only when not
# preceded by one (arithmatex's "smart dollar"), so "$5 and $10" stays text.
# Every branch starts with a literal `$` or `\`, which lets `re` skip ahead to
# those characters (an opening lookbehind would make it try every position).
_MATH = re.compile(
    r"(\$\$.+?\$\$"
    r"|\$(?<![\\$]\$)(?=[^\s$])(?:\\.|[^$\\])+?(?<=[^\s\\])\$(?!\d)"
    # An unclosed \( ends its search at the next \( (else every opener scans to the end).
    r"|\\\((?:[^\\]|\\[^(])+?\\\)"
    r"|\\\[(?:[^\\]|\\[^\[])+?\\\])",
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
# Characters that would start a rewrite by a common extension, each made a reference:
# smarty (quotes above, `--`, `...`), pymdownx.smartsymbols (`(c)`, `(tm)`, `(r)`, `c/o`,
# fractions such as `1/2` and `2/3`, ordinals such as `1st`), and magiclink or
# mdx_gh_links (`#1` and `!1` above; `?1` discussions, 40-digit commit hashes).
_RUNS = re.compile(r"-(?=-)|\.(?=\.)")
_SYMBOLS = re.compile(r"\((?=(?:c|r|tm)\))|/(?<=[0-9c]/)|\?(?=[1-9])")
_ORDINAL = re.compile(r"([0-9])(s(?=t\b)|n(?=d\b)|r(?=d\b)|t(?=h\b))")
_COMMIT_HASH = re.compile(r"(?<![0-9A-Za-z])[0-9a-f](?=[0-9a-f]{39}(?![0-9A-Za-z]))")
# Finding a run of 40 hex digits with a regex costs more than all other escaping.
_HEX_DIGITS = bytes(120 if chr(i) in "0123456789abcdef" else 32 for i in range(256))
_LINE_START = re.compile(r"^(\s*)(?:([-+=>:])|(\d+)([.)]))", re.MULTILINE)


def _escape_plain(text: str) -> str:
    text = _COLON.sub("&#58;", _SPECIAL.sub(lambda match: _INERT[match[0]], text))
    lowered = text.lower()
    if "www." in lowered or "ftp." in lowered:  # the case-insensitive regex is slow
        text = _BARE_DOMAIN.sub(r"\1&#46;", text)
    text = _SYMBOLS.sub(_reference, _RUNS.sub(_reference, text))
    text = _ORDINAL.sub(lambda match: f"{match[1]}&#{ord(match[2])};", text)
    if b"x" * 40 in text.encode("utf-8", "surrogatepass").translate(_HEX_DIGITS):
        text = _COMMIT_HASH.sub(_reference, text)
    return text


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match[0])};"


# Commands of MathJax 3 (html, bbox, unicode, require, newcommand, extpfeil, color,
# setoptions, enclose, mathml extensions) and KaTeX (trust-gated ones) that reach
# beyond drawing one formula: links, CSS, classes, ids, data attributes, raw MathML
# tokens, extension loading, options, fonts, images, definitions of macros, arrows or
# colours (which would change how other papers' formulas on the page render), and
# rules, shifts and overlaps that could paint over the rest of the page.
UNSAFE_TEX_COMMANDS = frozenset(
    {
        *("href", "url", "includegraphics", "style", "class", "cssId", "data", "html"),
        *("mmlToken", "bbox", "unicode", "require"),
        *("htmlClass", "htmlId", "htmlStyle", "htmlData"),
        *("def", "gdef", "edef", "xdef", "let", "futurelet", "csname"),
        *("newcommand", "renewcommand", "providecommand", "newenvironment", "renewenvironment"),
        *("DeclareMathOperator", "Newextarrow", "definecolor", "setOptions", "enclose"),
        # Geometry that lets a formula paint outside its place over the page.
        *("rule", "Rule", "raise", "lower", "kern", "mkern", "hskip", "mskip", "hspace"),
        *("mspace", "llap", "rlap", "clap", "mathllap", "mathrlap", "mathclap"),
        *("moveleft", "moveright", "smash", "Space", "negthinspace", "negmedspace"),
        *("negthickspace", "framebox", "makebox", "raisebox"),
        # Links within the page, tooltips and toggles that show text of the data's choosing.
        *("eqref", "ref", "label", "texttip", "mathtip", "toggle"),
    }
)
# `\!` (a negative thin space) kerns ordinary math a little; many in a row move it anywhere.
MAX_NEGATIVE_SPACES = 4
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)


def unsafe_tex(source: str) -> bool:
    """Whether TeX uses a command from `UNSAFE_TEX_COMMANDS`.

    Commands are read as TeX reads them: ``\\\\href`` is a line break, then text.
    """
    names = [match[1] for match in _TEX_COMMAND.finditer(source)]
    return names.count("!") > MAX_NEGATIVE_SPACES or any(n in UNSAFE_TEX_COMMANDS for n in names)


def _math_element(source: str) -> str:
    """One math span as arithmatex (generic) writes it: ``\\(...\\)`` or ``\\[...\\]``.

    TeX with an unsafe command is shown as literal text instead (see the module's notes).
    """
    if unsafe_tex(source):
        return f'<code class="hotpapers-tex">{_breakable(source)}</code>'
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
        _math_element(part) if index % 2 else _breakable(part) for index, part in enumerate(parts)
    )


# A run of 30 characters or more without a space (a URL, a long name) overflows a phone's
# width in themes that do not wrap words; it gets a line-break opportunity every 20. The
# marker is a NUL, which no text from a day file holds; <wbr> changes nothing a reader
# sees or copies.
_LONG_RUN = re.compile(r"\S{30,}")
_CHUNK = re.compile(r".{20}(?=.)", re.DOTALL)


def _breakable(text: str) -> str:
    if len(text) < 30 or max(map(len, text.split()), default=0) < 30:  # faster than a regex
        return _escape_plain(text)
    marked = _LONG_RUN.sub(lambda match: _CHUNK.sub(r"\g<0>\0", match[0]), text)
    return _escape_plain(marked).replace("\0", "<wbr>")


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


_DELIMITER = re.compile(r"\\[()\[\]]")


def toc_label(name: str) -> str:
    """A paper heading's entry in a table of contents: its text, TeX without delimiters.

    `name` is the entry a Markdown engine made (the heading's text, references kept),
    which themes show as HTML and search indexes as text: `S\\(^2\\)-MLP` becomes
    `S^2-MLP`, and only `&`, `<` and `>` stay references.
    """
    return html.escape(_DELIMITER.sub("", html.unescape(name)), quote=False)
