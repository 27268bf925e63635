"""Raw HTML blocks kept away from the host's Markdown engine and put into its output.

Embedded posts are most of a day page, and Python-Markdown runs every raw HTML
block through `html.parser` (MkDocs with Material's blog converts each post
twice): a fifth of a whole build. The plugins hand the engine one placeholder
paragraph per block instead and put the block, already sanitised, into the
HTML it returns. The same Markdown with the blocks in place is what
`hotpapers render` writes.

A placeholder is a character reference, ``&hotpapersblock<key>n7;``, which no
data can produce: untrusted text reaches the Markdown with every ``&`` escaped,
and the key is drawn anew by each process, so no data can know it either. A
placeholder in any output file (page, feed, search index, whatever its escaping)
is therefore one the plugin left behind (`leftover`). Python-Markdown passes it
through unchanged, inside a paragraph of its own. Placeholders never reach the
output, so the key does not make builds differ.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

KEY = secrets.token_hex(6)
_IN_MARKDOWN = re.compile(rf"^&hotpapersblock{KEY}n(\d+);$", re.MULTILINE)
_HTML_OPENING = f"<p>&hotpapersblock{KEY}n"  # then the index, ";" and "</p>"


def placeholder(index: int) -> str:
    return f"&hotpapersblock{KEY}n{index};"


class Stash:
    """Collects blocks while a page renders; each call returns the block's placeholder."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def __call__(self, html: str) -> str:
        self.blocks.append(html)
        return placeholder(len(self.blocks) - 1)


def split(markdown: str) -> list[str]:
    """The Markdown around its placeholders (0, 1, ... in order, as `Stash` makes them):
    how a cache keeps a page, free of this process's key (`joined` puts it back)."""
    parts = _IN_MARKDOWN.split(markdown)
    if parts[1::2] != [str(index) for index in range(len(parts) // 2)]:
        raise ValueError("placeholders out of order")
    return parts[0::2]


def joined(segments: Sequence[str], blocks: int) -> str:
    """The Markdown of `split`'s segments with this process's placeholders; ValueError
    unless there is one per block and no other (a cache entry is only what a file says)."""
    # Segments meet at line breaks (below): no placeholder can span two of them.
    if len(segments) != blocks + 1 or "&hotpapersblock" in "".join(segments):
        raise ValueError("segments and blocks do not match")
    for index in range(blocks):
        before, after = segments[index], segments[index + 1]
        # Each placeholder on a line of its own, as `split` found it.
        if not (before.endswith("\n") or (index == 0 and not before)):
            raise ValueError("a placeholder inside a line")
        if not (after.startswith("\n") or (index == blocks - 1 and not after)):
            raise ValueError("a placeholder inside a line")
    pieces = [*segments, *segments[1:]]  # any strings: every place is set below
    pieces[0::2] = segments
    pieces[1::2] = [placeholder(index) for index in range(blocks)]
    return "".join(pieces)


def inline(markdown: str, blocks: Sequence[str]) -> str:
    """The Markdown with every block where its placeholder is."""
    if not blocks:
        return markdown
    return _IN_MARKDOWN.sub(lambda match: blocks[int(match[1])], markdown)


def restore(html: str, blocks: Sequence[str]) -> str | None:
    """The engine's HTML with every block in place, or None when a placeholder went missing
    or moved (each is in a paragraph of its own, in order, as the Markdown had them).

    A Markdown extension may rewrite paragraphs; the caller then converts the
    inlined Markdown instead (slower, same page).
    """
    if not blocks:
        return html
    parts = html.split(_HTML_OPENING)
    if len(parts) != len(blocks) + 1:
        return None
    pieces = [parts[0]]
    for index, part in enumerate(parts[1:]):
        closing = f"{index};</p>"
        if not part.startswith(closing):
            return None
        pieces += (blocks[index], part[len(closing) :])
    return "".join(pieces)


def leftover(content: bytes) -> bool:
    """Whether a built file still holds a placeholder of this process, in any escaping.

    Never expected: it means a host set-up put a page into its output without the
    plugin's last step, and readers would see the placeholder.
    """
    return _KEY_BYTES in content


_KEY_BYTES = f"hotpapersblock{KEY}n".encode()
