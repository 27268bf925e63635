"""Whether a post comes from one of the paper's authors, from public names only.

Names are compared as people write them: accents and case do not matter
(`Łukasz Kaiser` is `lukasz kaiser`), order does not (`He Kaiming`), and a
given name may be an initial on either side (`A. Karpathy`). A surname of three
letters or fewer needs the whole given name (`H. Li` matches nobody). A handle
matches when, without digits, dots and underscores (and, on Bluesky, without
its domain), it spells first + last, last + first, initial + last or
first + initial of an author, in six letters or more (`ylecun`). Namesakes
cannot be told apart: the mark says "by an author", and the post is shown
like any other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from hotpapers.model import Mention

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "\u0131": "i", "ß": "ss"}
)
_TITLES = {"dr", "prof", "phd", "mr", "ms", "mrs"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_HANDLE_NOISE = re.compile(r"[0-9._-]+")
MIN_HANDLE = 6


def name_tokens(name: str) -> list[str]:
    """`Dr. Łukasz  Kaiser (Google) | NLP` -> ['lukasz', 'kaiser']."""
    name = re.split(r"[|(@]", name, maxsplit=1)[0]
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return [t for t in _NON_WORD.split(plain.translate(_LETTERS)) if t and t not in _TITLES]


def _given_matches(ours: str, theirs: str) -> bool:
    if len(ours) == 1 or len(theirs) == 1:
        return ours[0] == theirs[0]
    return ours == theirs


def _name_matches(shown: list[str], author: list[str]) -> bool:
    if len(author) < 2 or len(shown) < 2:
        return False
    given, surname = author[0], author[-1]
    if surname not in shown:
        return False
    others = [t for t in shown if t != surname]
    if len(surname) <= 3:
        return given in others and len(given) > 1
    return any(_given_matches(given, other) for other in others)


def _handle_matches(handle: str, author: list[str]) -> bool:
    if len(author) < 2:
        return False
    base = _HANDLE_NOISE.sub("", handle.casefold().split(".", 1)[0] if "." in handle else handle)
    if len(base) < MIN_HANDLE:
        return False
    given, surname = author[0], author[-1]
    spellings = {given + surname, surname + given, given[0] + surname, given + surname[0]}
    return base in spellings


def by_author(mention: Mention, authors: Sequence[str]) -> bool:
    """Whether the post's account name or handle is one of `authors`."""
    shown = name_tokens(mention.author or "")
    handle = mention.handle or ""
    for author in authors:
        tokens = name_tokens(author)
        if _name_matches(shown, tokens) or (handle and _handle_matches(handle, tokens)):
            return True
    return False
