"""Whether a post comes from one of the paper's authors, from public names only.

Names are compared as people write them: accents, case and hyphens do not matter
(`Łukasz Kaiser` is `lukasz kaiser`, `Yang-tian` is `yangtian`), titles and
suffixes are dropped (`Dr.`, `Jr.`), order does not matter between whole names
(`He Kaiming`), and a given name may be an initial on either side when it comes
before a surname that ends the name (`A. Karpathy`; `Smith Lab at MIT` is not
`M. Smith`). A surname of three letters or fewer needs the whole given name
(`H. Li` matches nobody). A handle matches when, without digits, dots and
underscores (and, on Bluesky, without its domain), it spells first + last,
last + first, initial + last or first + middle initials + last of an author,
in six letters or more (`ylecun`, `andrewyng`). Namesakes cannot be told apart:
the mark says "by an author", and the post is shown like any other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from hotpapers.model import Mention

# Letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "\u0131": "i", "ß": "ss"}
)
_TITLES = {"dr", "prof", "phd", "mr", "ms", "mrs"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_HANDLE_NOISE = re.compile(r"[0-9._-]+")
MIN_HANDLE = 6


def name_tokens(name: str) -> list[str]:
    """`Dr. Łukasz  Kaiser (Google) | NLP` -> ['lukasz', 'kaiser']."""
    return list(_tokens(name))


@lru_cache(maxsize=16384)  # the same names come back on every paper and every day
def _tokens(name: str) -> tuple[str, ...]:
    name = re.split(r"[|(@]", name, maxsplit=1)[0].casefold()
    if not name.isascii():
        decomposed = unicodedata.normalize("NFKD", name.translate(_LETTERS))
        name = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    name = _HYPHEN.sub("", name)
    tokens = [t for t in _NON_WORD.split(name) if t and t not in _TITLES]
    # A suffix ends a name of three words or more (`King Jr`); `Ivan Iv` is a surname.
    while len(tokens) >= 3 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    return tuple(tokens)


@lru_cache(maxsize=16384)
def _split_tokens(name: str) -> tuple[str, ...]:
    """The tokens with hyphenated names apart (`Jean-Baptiste` -> `jean`, `baptiste`)."""
    return _tokens(name.replace("-", " "))


def _name_matches(shown: tuple[str, ...], author: tuple[str, ...]) -> bool:
    if len(author) < 2 or len(shown) < 2:
        return False
    given, surname = author[0], author[-1]
    if surname not in shown:
        return False
    others = [t for t in shown if t != surname]
    if len(surname) <= 3:
        return given in others and len(given) > 1
    if len(given) > 1 and given in others:
        return True
    # An initial on either side: only before a surname that ends the name.
    if shown[-1] != surname:
        return False
    return any(
        (len(other) == 1 or len(given) == 1) and other[0] == given[0] for other in shown[:-1]
    )


@lru_cache(maxsize=16384)
def _handle_base(handle: str) -> str:
    """The part of a handle that can spell a name (empty when too short to tell)."""
    base = _HANDLE_NOISE.sub("", handle.casefold().split(".", 1)[0])
    return base if len(base) >= MIN_HANDLE else ""


class _Authors:
    """A paper's authors, indexed by surname and by the handles that spell them."""

    def __init__(self, authors: tuple[str, ...]) -> None:
        self.by_surname: dict[str, list[tuple[str, ...]]] = {}
        self.handles: set[str] = set()
        forms = {form for author in authors for form in (_tokens(author), _split_tokens(author))}
        for tokens in sorted(forms):
            if len(tokens) < 2:
                continue
            given, surname = tokens[0], tokens[-1]
            self.by_surname.setdefault(surname, []).append(tokens)
            middles = "".join(token[0] for token in tokens[1:-1])
            self.handles |= {given + surname, surname + given, given[0] + surname}
            self.handles.add(given + middles + surname)


@lru_cache(maxsize=1024)  # a paper's posts are weighed and marked one after the other
def _authors(authors: tuple[str, ...]) -> _Authors:
    return _Authors(authors)


def by_author(mention: Mention, authors: Sequence[str]) -> bool:
    """Whether the post's account name or handle is one of `authors`."""
    name = mention.author or ""
    base = _handle_base(mention.handle or "")
    index = _authors(tuple(authors))
    if base in index.handles:
        return True
    for shown in {_tokens(name), _split_tokens(name)}:  # hyphens joined, and apart
        if len(shown) >= 2 and any(
            _name_matches(shown, tokens)
            for token in shown
            for tokens in index.by_surname.get(token, ())
        ):
            return True
    return False
