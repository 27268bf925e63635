"""The on-disk cache of rendered pages: keys, stale and damaged entries, pruning."""

from __future__ import annotations

from pathlib import Path

from hotpapers.site.page_cache import PageCache, code_digest, entry_key


def test_an_entry_is_used_only_under_its_key(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "days")
    key = entry_key(b"day file", "options", "settings")
    assert cache.get("2021-06-29", key) is None
    cache.put("2021-06-29", key, {"content": "<p>page</p>"})
    assert cache.get("2021-06-29", key) == {"content": "<p>page</p>"}
    for other in (
        entry_key(b"day file changed", "options", "settings"),
        entry_key(b"day file", "other options", "settings"),
        entry_key(b"day file", "optionssettings"),  # parts are separated
    ):
        assert other != key and cache.get("2021-06-29", other) is None
    assert PageCache(tmp_path / "days", load=False).get("2021-06-29", key) is None
    (tmp_path / "days" / "2021-06-29.json").write_text('{"key": "', encoding="utf-8")
    assert cache.get("2021-06-29", key) is None  # damaged: rebuilt by the caller
    assert not list((tmp_path / "days").glob(".*"))  # no temporary file left


def test_an_entry_that_could_hold_a_lone_surrogate_is_not_used(tmp_path: Path) -> None:
    """Entries are written as UTF-8: one with a surrogate escape was written elsewhere,
    and its strings are not checked one by one (a page may not carry a lone surrogate)."""
    cache = PageCache(tmp_path / "days")
    key = entry_key(b"day file")
    path = tmp_path / "days" / "d.json"
    text = "\\ud800 \\\\uDBFF \U0001f600 \u00e9"  # backslashes as text, an emoji, é
    cache.put("d", key, {"title": text})
    assert cache.get("d", key) == {"title": text}
    for escaped in ('"\\ud800"', '"x\\\\\\uDC00"', '"\\ud83d\\ude00"'):
        path.write_text(f'{{"key": "{key}", "value": {{"title": {escaped}}}}}', "utf-8")
        assert cache.get("d", key) is None, escaped
    path.write_text(f'{{"key": "{key}", "value": {{"title": "\\u00e9"}}}}', "utf-8")
    assert cache.get("d", key) == {"title": "\u00e9"}
    # Nor as raw bytes, nor in a file of another encoding (json.loads takes both).
    planted = f'{{"key": "{key}", "value": {{"title": "\ud800"}}}}'
    for content in (
        planted.encode("utf-8", "surrogatepass"),
        planted.encode("utf-16-le", "surrogatepass"),
        planted.replace("\ud800", "x").encode("utf-16"),
    ):
        path.write_bytes(content)
        assert cache.get("d", key) is None, content[:20]


def test_prune_keeps_only_the_named_entries(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "pages")
    cache.prune(["a"])  # no directory yet
    for name in ("a", "b", "c"):
        cache.put(name, "k", name)
    cache.prune(["a", "c"])
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["a.json", "c.json"]


def test_the_code_digest_follows_the_code(tmp_path: Path) -> None:
    package = tmp_path / "plugin"
    package.mkdir()
    (package / "module.py").write_text("A = 1\n", encoding="utf-8")
    before = code_digest(package)
    code_digest.cache_clear()
    (package / "module.py").write_text("A = 2\n", encoding="utf-8")
    after = code_digest(package)
    assert after != before
    code_digest.cache_clear()
    (package / "notes.txt").write_text("not code\n", encoding="utf-8")
    assert code_digest(package) == after
