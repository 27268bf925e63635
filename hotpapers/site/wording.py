"""How counts read on pages: each service's own words, singular or plural."""

from __future__ import annotations

import re

from hotpapers.model import Counts

# Source -> (label, word for reposts, word for likes); None: the service has no such count.
SOURCE_WORDS: dict[str, tuple[str, str | None, str]] = {
    "x": ("X", "repost", "like"),
    "bluesky": ("Bluesky", "repost", "like"),
    "hackernews": ("Hacker News", None, "point"),
    "huggingface": ("Hugging Face", None, "upvote"),
    "reddit": ("Reddit", "crosspost", "point"),
}
_DEFAULT = ("", "repost", "like")
# Handles are shown as services write them.
HANDLE_PREFIX = {"reddit": "u/"}
_SUBREDDIT = re.compile(r"https://www\.reddit\.com/(r/[A-Za-z0-9_]{2,21})/comments/", re.ASCII)


def label(source: str) -> str:
    return SOURCE_WORDS.get(source, _DEFAULT)[0] or source


def plural(number: int, word: str) -> str:
    """`1 point`, `2 points`, `0 points`."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def counts_phrase(source: str, counts: Counts) -> str:
    """`45 reposts, 120 likes, 3 quotes` in the service's words; unknown counts left out;
    empty when nothing is known."""
    _, reposts, likes = SOURCE_WORDS.get(source, _DEFAULT)
    parts = []
    if reposts is not None and counts.reposts is not None:
        parts.append(plural(counts.reposts, reposts))
    if counts.likes is not None:
        parts.append(plural(counts.likes, likes))
    if counts.quotes:
        parts.append(plural(counts.quotes, "quote"))
    return ", ".join(parts)


def handle_text(source: str, handle: str) -> str:
    return f"{HANDLE_PREFIX.get(source, '@')}{handle}"


def venue(source: str, url: str) -> str | None:
    """Where on the service a post was made, when its address says (`r/MachineLearning`)."""
    if source == "reddit":
        match = _SUBREDDIT.match(url)
        return match[1] if match else None
    return None
