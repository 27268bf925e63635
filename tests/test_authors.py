"""Posts by a paper's authors are told from their public names."""

from __future__ import annotations

import pytest

from hotpapers.authors import by_author, name_tokens
from hotpapers.model import Mention


def _post(author: str | None, handle: str | None = None) -> Mention:
    return Mention("x", "1", "https://x.com/a/status/1", 1, 1, author=author, handle=handle)


@pytest.mark.parametrize(
    ("author", "handle", "authors"),
    [
        ("Lukasz Kaiser", None, ["Łukasz Kaiser"]),  # accents and letters NFKD keeps
        ("Florian Tramèr", None, ["Florian Tramer"]),
        ("Andrej Karpathy", None, ["A. Karpathy"]),  # an initial on either side
        ("J. Schmidhuber", None, ["Jürgen Schmidhuber"]),
        ("He Kaiming", None, ["Kaiming He"]),  # order; a short surname, whole given name
        ("Dr. Jane Doe (MIT) | ML", None, ["Jane Q. Doe"]),  # titles and affiliations
        ("Someone", "ylecun", ["Yann LeCun"]),  # handles: initial + surname
        ("Someone", "YLeCun", ["Yann LeCun"]),  # in any case
        ("Someone", "AndrewYNg", ["Andrew Y. Ng"]),  # first + middle initials + last
        ("Yangtian Sun", None, ["Yang-tian Sun"]),  # hyphens
        ("Martin L. King Jr.", None, ["Martin Luther King Jr."]),  # suffixes
        ("Jean Baptiste Alayrac", None, ["Jean-Baptiste Alayrac"]),  # hyphen or space
        ("Jean-Baptiste Alayrac", None, ["Jean Baptiste Alayrac"]),
        ("Ivan Iv", None, ["Ivan Iv"]),  # a surname like a suffix
        ("Someone", "kevinfrans42", ["Kevin Frans"]),  # digits dropped
        ("Someone", "kevin_frans.bsky.social", ["Kevin Frans"]),  # Bluesky domain dropped
    ],
)
def test_an_author_is_recognised(author: str, handle: str | None, authors: list[str]) -> None:
    assert by_author(_post(author, handle), authors)


@pytest.mark.parametrize(
    ("author", "handle", "authors"),
    [
        ("H. Li", None, ["Hao Li"]),  # a short surname needs the whole given name
        ("AK", "ak92501", ["Ahsen Khaliq"]),  # initials only
        ("Jane Smith", None, ["John Smith"]),
        ("Kaiser", None, ["Lukasz Kaiser"]),  # a surname alone
        ("Someone", "jdoe", ["Jane Doe"]),  # a handle shorter than six letters
        (None, None, ["Jane Doe"]),
        ("Jane Doe", None, ["Doe"]),  # an author with one name
        ("Someone", "michaelk", ["Michael Kearns"]),  # first + initial: too common
        ("Smith Lab at MIT", None, ["M. Smith"]),  # an initial needs the surname last
        ("Deep Learning News", None, ["D. Learning"]),
        ("Someone", "martinjr", ["Martin Luther King Jr."]),  # a suffix is no surname
    ],
)
def test_others_are_not_taken_for_authors(
    author: str | None, handle: str | None, authors: list[str]
) -> None:
    assert not by_author(_post(author, handle), authors)


def test_name_tokens() -> None:
    assert name_tokens("Dr. Łukasz  Kaiser (Google) | NLP") == ["lukasz", "kaiser"]
    assert name_tokens("Jarrod R. McClean") == ["jarrod", "r", "mcclean"]
