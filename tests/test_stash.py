"""HTML blocks kept out of the hosts' Markdown: placeholders, inlining, restoring."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hotpapers.config import Options
from hotpapers.site import stash
from hotpapers.site.pages import render_day, render_site_page, site_page_file
from hotpapers.store import decode_day

from .sites import EXAMPLE_DATA

PLACEHOLDER = re.compile(r"&hotpapersblock[0-9a-f]{12}n\d+;")
P0, P1, P2 = (stash.placeholder(i) for i in range(3))
# Data that even knows this process's key (it cannot: the key is drawn at start-up).
FORGED = f"{P0} <p>{P1}</p>\n\n{P2} &hotpapersblock0;"


def _day_with_forged_placeholders() -> bytes:
    mention = {
        "source": "x",
        "id": "1",
        "url": "https://x.com/a/status/1",
        "reposts": 50,
        "likes": 50,
        "embed_html": f'<blockquote class="twitter-tweet"><p>{FORGED}</p></blockquote>',
    }
    paper = {
        "id": "2101.00001",
        "title": f"Title {FORGED}",
        "authors": [FORGED],
        "abstract": f"Abstract.\n\n{FORGED}",
        "categories": ["cs.LG"],
        "counted_at": "2021-01-02T00:00:00Z",
        "totals": {"reposts": 500, "likes": 500},
        "mentions": [
            mention,
            {**mention, "source": "hackernews", "id": "2", "text": FORGED, "embed_html": None},
        ],
    }
    day = {
        "schema": "hotpapers/1",
        "date": "2021-01-01",
        "collected_at": "2021-01-02T00:00:00Z",
        "papers": [paper],
    }
    return json.dumps(day).encode("utf-8")


def test_every_block_has_one_placeholder_paragraph_and_inlines_to_the_markdown_page() -> None:
    options = Options()
    for path in sorted(EXAMPLE_DATA.glob("*.json")):
        day = decode_day(path.read_bytes(), path)
        page = render_site_page(day, options)
        placeholders = PLACEHOLDER.findall(page.stashed_body)
        assert placeholders == [stash.placeholder(i) for i in range(len(page.blocks))]
        assert all(f"\n\n{p}\n" in page.stashed_body for p in placeholders)  # own paragraph
        assert not any(block in page.stashed_body for block in page.blocks)
        assert stash.inline(page.stashed_body, page.blocks) == page.body
        assert site_page_file(page) == render_day(day, options)
        assert site_page_file(page, stashed=True).endswith(page.stashed_body)
        # A cache keeps the Markdown around its placeholders, without this process's key.
        segments = stash.split(page.stashed_body)
        assert not any(stash.KEY in segment for segment in segments)
        assert stash.joined(segments, len(page.blocks)) == page.stashed_body
    # 2021-06-29 embeds 22 posts and loads the X widget script once.
    day = decode_day((EXAMPLE_DATA / "2021-06-29.json").read_bytes(), Path("2021-06-29.json"))
    assert len(render_site_page(day, options).blocks) == 23


def test_data_cannot_forge_a_placeholder(tmp_path: Path) -> None:
    day = decode_day(_day_with_forged_placeholders(), tmp_path / "2021-01-01.json")
    page = render_site_page(day, Options())
    assert len(page.blocks) == 3  # two posts and the X widget script
    assert PLACEHOLDER.findall(page.stashed_body) == [P0, P1, P2]
    markdown = pytest.importorskip("markdown")
    restored = stash.restore(markdown.markdown(page.stashed_body), page.blocks)
    assert restored is not None
    assert restored.count("<blockquote") == 2
    assert restored.count("widgets.js") == 1
    # Every forged placeholder is shown as text: summary, contents, heading, authors,
    # abstract, the X post and the Hacker News card; none is left for a browser to see.
    assert restored.replace("<wbr>", "").count("&amp;" + P0[1:]) == 7
    assert not PLACEHOLDER.search(restored)
    assert not any(PLACEHOLDER.search(block) for block in page.blocks)


def test_restore_refuses_a_page_whose_placeholders_were_changed() -> None:
    blocks = ["<div>a</div>", "<div>b</div>"]
    good = f"<h2>T</h2>\n<p>{P0}</p>\n<p>x</p>\n<p>{P1}</p>"
    assert stash.restore(good, blocks) == "<h2>T</h2>\n<div>a</div>\n<p>x</p>\n<div>b</div>"
    assert stash.restore(good.replace(f"<p>{P1}</p>", ""), blocks) is None
    assert stash.restore(good.replace("<p>&", '<p class="x">&'), blocks) is None
    assert stash.restore(good + f"<p>{P1}</p>", blocks) is None
    assert stash.restore(good + f"<p>{P2}</p>", blocks) is None
    swapped = f"<h2>T</h2>\n<p>{P1}</p>\n<p>x</p>\n<p>{P0}</p>"
    assert stash.restore(swapped, blocks) is None
    assert stash.restore(good.replace(f"{P0}</p>", f"{P0} x</p>"), blocks) is None
    assert stash.restore("<p>no blocks</p>", []) == "<p>no blocks</p>"
    # A block that holds placeholder text is put in once, never scanned again.
    tricky = [f"<p>{P1}</p>", "<div>b</div>"]
    assert stash.restore(good, tricky) == f"<h2>T</h2>\n<p>{P1}</p>\n<p>x</p>\n<div>b</div>"
    assert stash.inline(f"{P0}\n\n{P1}", tricky) == f"<p>{P1}</p>\n\n<div>b</div>"


def test_joined_takes_one_segment_more_than_blocks_and_no_placeholder() -> None:
    assert stash.joined(["a\n\n", "\n\nb"], 1) == f"a\n\n{P0}\n\nb"
    for segments, blocks in (
        (["a", "b"], 2),
        (["a"], 1),
        ([f"a\n\n{P0}\n\n", "b"], 1),
        (["a &hotpapersblockzzzzzzzzzzzzn0;", "b"], 1),
    ):
        with pytest.raises(ValueError):
            stash.joined(segments, blocks)
