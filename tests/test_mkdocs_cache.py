"""MkDocs builds keep rendered pages in `.cache/plugin/hotpapers`: a warm build gives
the same site as a cold one, and a changed day, option or damaged entry is rendered
again."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")

from .sites import build_mkdocs, make_mkdocs_site

pytestmark = pytest.mark.mkdocs

CACHE = Path(".cache/plugin/hotpapers/pages")


def _site_files(site: Path) -> dict[str, bytes]:
    """Every built file but MkDocs' own build date and the sitemap's dates."""
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix != ".gz" and path.name != "sitemap.xml":
            text = path.read_bytes()
            files[str(path.relative_to(site))] = b"\n".join(
                line for line in text.split(b"\n") if b"Build Date UTC" not in line
            )
    return files


def _build(root: Path, name: str) -> dict[str, bytes]:
    built = build_mkdocs(root, root / name)
    assert built.code == 0, built.log
    return _site_files(root / name)


def test_a_warm_build_renders_nothing_again_and_gives_the_same_site(tmp_path: Path) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    cold = _build(tmp_path, "cold")
    entries = sorted(p.name for p in (tmp_path / CACHE).glob("*.json"))
    assert "2021-06-29.json" in entries and "2021-W26.json" not in entries
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / CACHE).glob("*.json")}
    warm = _build(tmp_path, "warm")
    assert warm == cold
    # No entry was written again: every page came from the cache.
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / CACHE).glob("*.json")} == stamps


def test_a_changed_day_a_changed_option_and_a_damaged_entry_are_rendered_again(
    tmp_path: Path,
) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    _build(tmp_path, "first")
    day_file = tmp_path / "data" / "2021-03-24.json"
    day = json.loads(day_file.read_text(encoding="utf-8"))
    day["papers"][0]["title"] = "A title changed after the first build"
    day_file.write_text(json.dumps(day), encoding="utf-8")
    (tmp_path / CACHE / "2020-06-29.json").write_text('{"key": ', encoding="utf-8")
    changed = _build(tmp_path, "second")
    page = changed["hot-papers/2021-03-24/index.html"].decode()
    assert "A title changed after the first build" in page
    fresh_root = tmp_path / "fresh"
    shutil.copytree(
        tmp_path, fresh_root, ignore=shutil.ignore_patterns(".cache", "first", "second")
    )
    assert _build(fresh_root, "site") == changed  # the same as without any cache
    config = tmp_path / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("hotpapers: {}", "hotpapers: {min_score: 1000000}"), "utf-8")
    fewer = _build(tmp_path, "third")
    assert "A title changed" not in fewer["hot-papers/2021-03-24/index.html"].decode()


def test_cache_false_keeps_no_pages(tmp_path: Path) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False, plugin="cache: false")
    _build(tmp_path, "site")
    assert not (tmp_path / ".cache").exists()


def test_an_entry_is_checked_before_it_is_used(tmp_path: Path) -> None:
    """A planted entry whose key matches cannot move a page, leave a placeholder or
    break the build: it is rendered again."""
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    cold = _build(tmp_path, "cold")
    entry_path = tmp_path / CACHE / "2021-03-24.json"
    pristine = json.loads(entry_path.read_text(encoding="utf-8"))
    outside = tmp_path / "ESCAPED"
    tampered = [
        lambda v: v.update(location="../../ESCAPED/pwn.md"),
        lambda v: v["page"].update(blocks=v["page"]["blocks"][:1]),
        lambda v: v["page"].update(segments=["&hotpapersblockzzzzzzzzzzzzn0;"]),
        lambda v: v["page"]["segments"].insert(1, "\n\n&hotpapersblock0123456789abn0;\n\n"),
        lambda v: v["page"].update(segments="ab"),
        lambda v: v["page"].update(title=5),
        lambda v: v["page"].update(tags="ab"),
        lambda v: v["papers"][0].__setitem__(2, 'x"><script>'),
        lambda v: v["papers"][0].__setitem__(3, 10**400),
        lambda v: v["papers"][0][5].append("../../../ESCAPED/pwn"),
        lambda v: v["listing"][0].__setitem__(2, 10**400),
        lambda v: v["listing"][0].__setitem__(1, 2),
        lambda v: v.update(collected="2021-03-24\ntitle: planted"),
        lambda v: v["page"].update(slug="../../ESCAPED/pwn"),
        # A placeholder inside a line could not be put back: the build would fail.
        lambda v: v["page"]["segments"].__setitem__(1, "x" + v["page"]["segments"][1]),
    ]
    # Control: the entry as the test writes it, unchanged, is used (not written again).
    written = json.dumps(pristine, ensure_ascii=False)
    entry_path.write_text(written, encoding="utf-8")
    assert _build(tmp_path, "warm") == cold
    assert entry_path.read_text(encoding="utf-8") == written
    for change in tampered:
        entry = json.loads(json.dumps(pristine))
        change(entry["value"])
        entry_path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        assert _build(tmp_path, "warm") == cold
        assert not outside.exists()
    lone = json.loads(json.dumps(pristine))
    lone["value"]["page"]["title"] = "\ud800"
    entry_path.write_text(json.dumps(lone), encoding="utf-8")  # as the escape \ud800
    assert _build(tmp_path, "warm") == cold
    raw = json.dumps(lone, ensure_ascii=False).encode("utf-8", "surrogatepass")
    entry_path.write_bytes(raw)  # as the bytes of one
    assert _build(tmp_path, "warm") == cold


def test_the_cache_removes_only_its_own_entries(tmp_path: Path) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False, plugin="cache_dir: store")
    mine = tmp_path / "store" / "pages"
    mine.mkdir(parents=True)
    (mine / "notes.json").write_text('{"mine": 1}', encoding="utf-8")
    (mine / "about.md").write_text("# About\n", encoding="utf-8")
    _build(tmp_path, "site")
    assert (mine / "notes.json").is_file() and (mine / "about.md").is_file()
    assert (mine / "2021-06-29.json").is_file()


def test_a_cache_inside_docs_is_refused(tmp_path: Path) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False, plugin="cache_dir: docs/c")
    built = build_mkdocs(tmp_path)
    assert built.code == 1
    assert "must be outside docs_dir (option 'cache_dir')" in built.log


def test_a_fifo_in_the_cache_does_not_hang_the_build(tmp_path: Path) -> None:
    make_mkdocs_site(tmp_path, theme="mkdocs", blog=False, tags=False)
    cold = _build(tmp_path, "cold")
    entry = tmp_path / CACHE / "2021-03-24.json"
    entry.unlink()
    os.mkfifo(entry)
    assert _build(tmp_path, "warm") == cold


def test_a_blocks_file_gives_back_every_character_and_tells_what_changed(
    tmp_path: Path,
) -> None:
    from mkdocs_hotpapers.blocks import BlocksFile

    store = BlocksFile(tmp_path / "hotpapers.blocks")
    blocks = ("<p>a\r\nb</p>", "", "\u00e9\u2028x\n", "<p>\rz</p>", "\U0001f600")
    store.start()
    assert not store.put("a.md", blocks) and not store.put("b.md", ())
    store.finish()
    assert store.get("a.md") == list(blocks) and store.get("b.md") == []
    assert store.get("c.md") is None
    store.start()  # the next build (mkdocs serve): one page's posts changed
    assert store.put("a.md", blocks[:2]) and not store.put("b.md", ())
    store.finish()
    assert store.get("a.md") == list(blocks[:2])
    store.close()
    once = BlocksFile(tmp_path / "once.blocks", track_changes=False)  # one build
    once.start()
    assert not once.put("a.md", blocks)
    once.finish()
    once.start()
    assert not once.put("a.md", blocks[:2])
    once.finish()
    assert once.get("a.md") == list(blocks[:2])
    once.close()


def test_a_planted_slug_cannot_move_a_blog_post(tmp_path: Path) -> None:
    """Material's blog writes a post where its slug says: never the cache's."""
    make_mkdocs_site(tmp_path)
    cold = _build(tmp_path, "cold")
    entry_path = tmp_path / CACHE / "2021-03-24.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["value"]["page"]["slug"] = "../../../ESCAPED/pwn"
    entry_path.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    assert _build(tmp_path, "warm") == cold
    assert not list(tmp_path.rglob("ESCAPED"))
