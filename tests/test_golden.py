"""Golden files for the pure core: each input under tests/golden/ beside the output it must
give (`<name>.out`): escaping for Markdown (inline and block), sanitising posts, checking
day files. A change in output shows as a diff of a readable file.

To accept new outputs after a deliberate change: HOTPAPERS_UPDATE_GOLDEN=1, then review
the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hotpapers.errors import DataError
from hotpapers.site.embeds import sanitize
from hotpapers.site.text import markdown_block, markdown_inline
from hotpapers.store import decode_day

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("HOTPAPERS_UPDATE_GOLDEN") == "1"


def _check(content: str) -> str:
    """`hotpapers check`'s lines for one day file, or `valid`."""
    try:
        decode_day(content.encode("utf-8"), "2021-06-29.json", "2021-06-29")
    except DataError as error:
        return "\n".join(error.problems) + "\n"
    return "valid\n"


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "inline": markdown_inline,
    "block": markdown_block,
    "sanitize": sanitize,
    "check": _check,
}
CASES = sorted(
    path
    for kind in TRANSFORMS
    for path in (GOLDEN / kind).iterdir()
    if path.is_file() and path.suffix != ".out"
)


@pytest.mark.parametrize("case", CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_golden(case: Path) -> None:
    produced = TRANSFORMS[case.parent.name](case.read_text(encoding="utf-8"))
    expected = case.with_suffix(".out")
    if UPDATE:
        expected.write_text(produced, encoding="utf-8")
    assert expected.is_file(), f"no {expected.name}: run with HOTPAPERS_UPDATE_GOLDEN=1"
    assert produced == expected.read_text(encoding="utf-8")


def test_every_kind_has_cases() -> None:
    assert {path.parent.name for path in CASES} == set(TRANSFORMS)
