"""arXiv identifiers: validation and normalisation."""

from __future__ import annotations

import re

NEW_STYLE = r"\d{4}\.\d{4,5}"
OLD_STYLE = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
_ID = re.compile(rf"^(?P<id>{NEW_STYLE}|{OLD_STYLE})(?:v\d+)?$")


def normalize(candidate: str) -> str | None:
    """Return the arXiv id without version, or None when `candidate` is not one."""
    match = _ID.match(candidate.strip())
    return match["id"] if match else None


def is_valid(arxiv_id: str) -> bool:
    """True for an arXiv id without version, e.g. ``2106.14108`` or ``hep-th/9901001``."""
    return normalize(arxiv_id) == arxiv_id


def abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def category_url(category: str) -> str:
    return f"https://arxiv.org/list/{category}/recent"


# Where people link to papers: arxiv.org (and export./www.), alphaxiv, Hugging Face papers.
_LINK = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:(?:www|export)\.)?(?:arxiv\.org/(?:abs|pdf|html|format)/"
    r"|alphaxiv\.org/(?:abs|pdf|overview)/|huggingface\.co/papers/)"
    rf"(?P<id>{NEW_STYLE}|{OLD_STYLE})(?:v\d+)?(?:\.pdf)?",
    re.IGNORECASE,
)


def ids_in(text: str) -> list[str]:
    """arXiv ids (without version) linked from a URL or a post's text, in order, once each."""
    found: list[str] = []
    for match in _LINK.finditer(text):
        arxiv_id = _canonical(match["id"])
        if arxiv_id and arxiv_id not in found:
            found.append(arxiv_id)
    return found


def _canonical(raw: str) -> str | None:
    """Old-style archives are lower case with an upper-case subject class (math.AG)."""
    archive, slash, number = raw.partition("/")
    if slash:
        name, dot, subject = archive.partition(".")
        raw = f"{name.lower()}{dot}{subject.upper()}/{number}"
    return normalize(raw)
