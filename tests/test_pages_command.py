"""`hotpapers pages`: incremental, confined to its folder, never replacing or deleting
a file it did not write, and the same bytes from the same data."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from .helpers import run_cli
from .sites import EXAMPLE_DATA

MANIFEST = ".hotpapers-pages.json"
LOCK = ".hotpapers-pages.lock"


def _run(data: Path, out: Path, flavor: str = "markdown", *more: str | Path):
    return run_cli("pages", "--data", data, "--output", out, "--flavor", flavor, *more)


def _files(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below `out` (manifest aside): its mtime (ns) and bytes."""
    return {
        str(path.relative_to(out)): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.name not in (MANIFEST, LOCK)
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, target)
    return target


@pytest.mark.parametrize("flavor", ["markdown", "hugo", "material-blog"])
def test_a_second_run_rewrites_nothing_and_a_changed_day_only_its_pages(
    tmp_path: Path, data: Path, flavor: str
) -> None:
    out = tmp_path / "out"
    first = _run(data, out, flavor)
    assert first.code == 0, first.stderr
    before = _files(out)
    assert set(json.loads((out / MANIFEST).read_text())["files"]) == set(before)
    again = _run(data, out, flavor)
    assert again.stdout.strip().endswith(f"0 written, {len(before)} unchanged, 0 removed")
    assert _files(out) == before
    # One paper's counts change on one day: that day's page and the pages listing the
    # paper change; the other days' pages keep their bytes and times.
    day = json.loads((data / "2020-06-29.json").read_text(encoding="utf-8"))
    day["papers"][0]["totals"]["likes"] += 1
    (data / "2020-06-29.json").write_text(json.dumps(day), encoding="utf-8")
    third = _run(data, out, flavor)
    assert third.code == 0, third.stderr
    after = _files(out)
    changed = {name for name in after if after[name] != before[name]}
    assert any(name.endswith("hot-papers-2020-06-29.md") for name in changed)
    assert not any("2021-06-29" in name or "2021-03-24" in name for name in changed)
    assert f"{len(changed)} written" in third.stdout


def test_the_pages_of_a_removed_day_are_removed(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    (data / "2021-03-24.json").unlink()
    result = _run(data, out)
    assert result.code == 0, result.stderr
    names = set(_files(out))
    assert "hot-papers-2021-03-24.md" not in names
    assert "hot-papers-2021-w12.md" not in names  # its week had no other day
    assert "hot-papers-2021-06-29.md" in names
    assert set(json.loads((out / MANIFEST).read_text())["files"]) == names


def test_a_file_hotpapers_did_not_write_is_never_replaced(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "hot-papers-2021-06-29.md"
    mine.write_text("my own page\n", encoding="utf-8")
    (out / "notes.md").write_text("notes\n", encoding="utf-8")
    result = _run(data, out)
    assert result.code == 1
    assert result.stderr.strip().splitlines() == [
        f"{mine.resolve()}: exists and was not written by hotpapers (move it away, or "
        "choose another --output); nothing was written"
    ]
    names = sorted(p.name for p in out.iterdir() if p.name != LOCK)
    assert names == ["hot-papers-2021-06-29.md", "notes.md"]
    assert mine.read_text(encoding="utf-8") == "my own page\n"


def test_other_files_in_the_folder_are_left_alone(tmp_path: Path, data: Path) -> None:
    docs = tmp_path / "docs"
    post = docs / "blog" / "posts" / "hello.md"
    post.parent.mkdir(parents=True)
    post.write_text("hello\n", encoding="utf-8")
    before = post.stat().st_mtime_ns
    assert _run(data, docs, "zensical").code == 0
    for day in ("2020-06-29", "2020-12-07", "2021-03-24"):
        (data / f"{day}.json").unlink()
    result = _run(data, docs, "zensical")
    assert result.code == 0, result.stderr
    names = set(_files(docs))
    assert "blog/posts/hot-papers/hot-papers-2020-06-29.md" not in names
    assert "blog/posts/hot-papers/hot-papers-2021-06-29.md" in names
    assert _files(docs)["blog/posts/hello.md"] == (before, b"hello\n")


def test_no_day_selected_is_an_error_not_an_empty_site(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    before = _files(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(empty, out)
    assert result.code == 1
    assert result.stderr.strip() == (
        f"{empty}: no day file selected; nothing was written (an empty site would remove "
        "every page)"
    )
    assert _files(out) == before


def test_removing_never_follows_a_linked_folder(tmp_path: Path, data: Path) -> None:
    """A folder of pages moved away and linked back, or a manifest naming a file behind
    a link: the next runs never reach through the link."""
    docs = tmp_path / "docs"
    assert _run(data, docs, "zensical").code == 0
    shared = tmp_path / "shared-blog"
    (docs / "blog").rename(shared)
    os.symlink(shared, docs / "blog")
    kept = sorted(p for p in shared.rglob("*") if p.is_file())
    (data / "2020-06-29.json").unlink()
    result = _run(data, docs, "zensical")
    assert result.code == 1 and "symbolic link or a file" in result.stderr
    assert sorted(p for p in shared.rglob("*") if p.is_file()) == kept
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "secret.txt").write_text("keep\n", encoding="utf-8")
    os.symlink(victim, out / "link")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"].append("link/secret.txt")
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    again = _run(data, out)
    assert again.code == 0, again.stderr
    assert f"{out.resolve() / 'link/secret.txt'}: not removed" in again.stderr
    assert "day skipped" not in again.stderr
    assert (victim / "secret.txt").read_text(encoding="utf-8") == "keep\n"


def test_a_linked_staging_folder_leads_nowhere(tmp_path: Path, data: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "hot-papers-2021-06-29.md").write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / ".hotpapers-pages-staging-x")
    assert _run(data, out).code == 0
    assert [p.name for p in victim.iterdir()] == ["hot-papers-2021-06-29.md"]
    assert (victim / "hot-papers-2021-06-29.md").read_text(encoding="utf-8") == "precious\n"


def test_a_file_where_a_folder_must_go_stops_before_writing(tmp_path: Path, data: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hot-papers").write_text("mine\n", encoding="utf-8")
    result = _run(data, docs, "zensical")
    assert result.code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in docs.iterdir() if p.name != LOCK) == ["hot-papers"]


def test_two_pages_in_one_file_are_refused(tmp_path: Path, data: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('slug = "categories-cs-lg-{date}"\nwindows = ["year"]\n', "utf-8")
    out = tmp_path / "out"
    result = _run(data, out, "markdown", "--config", config)
    assert result.code == 1
    assert "two pages would be written to this file; change the `slug` option" in result.stderr
    assert not out.exists() or [p.name for p in out.iterdir() if p.name != LOCK] == []


def test_hugo_files_and_links_are_lower_case(tmp_path: Path, data: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('slug = "HP-{date}"\n', "utf-8")
    out = tmp_path / "out"
    assert _run(data, out, "hugo", "--config", config).code == 0
    names = set(_files(out))
    assert "hp-2021-06-29.md" in names
    text = (out / "hp-2021-w12.md").read_text(encoding="utf-8")
    assert 'slug: "hp-2021-w12"' in text and "](../hp-2021-03-24/#" in text


def test_the_output_may_not_be_the_data_folder(tmp_path: Path, data: Path) -> None:
    for out in (data, data / "pages"):
        result = _run(data, out)
        assert result.code == 1
        assert "must not be the data folder or in it" in result.stderr


def test_odd_manifest_entries_are_ignored(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"] += ["./index.md", "a\\..\\..\\x", "C:/x", "index.md/"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    result = _run(data, out)
    assert result.code == 0 and "0 removed" in result.stdout
    assert (out / "index.md").is_file()
    deep = "[" * 100_000 + "]" * 100_000
    (out / MANIFEST).write_text(deep, encoding="utf-8")
    nested = _run(data, out)
    assert nested.code == 1 and "nested too deep" in nested.stderr


def test_a_manifest_never_leads_outside_the_folder(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    outside = tmp_path / "precious.md"
    outside.write_text("keep\n", encoding="utf-8")
    out.mkdir()
    names = ["../precious.md", str(outside), "a/../../precious.md"]
    (out / MANIFEST).write_text(json.dumps({"files": names}), encoding="utf-8")
    assert _run(data, out).code == 0
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_a_folder_linked_outside_is_refused(tmp_path: Path, data: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    os.symlink(elsewhere, docs / "hot-papers")
    result = _run(data, docs, "material-blog")
    assert result.code == 1
    assert "a folder on its way is a symbolic link or a file" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(elsewhere.iterdir()) == []
    assert not (docs / "blog" / "posts" / "hot-papers").exists()


def test_changing_flavor_replaces_the_old_files(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out, "markdown").code == 0
    assert _run(data, out, "material-blog").code == 0
    names = set(_files(out))
    assert "index.md" not in names and "hot-papers-2021-06-29.md" not in names
    assert "blog/posts/hot-papers/hot-papers-2021-06-29.md" in names


def test_same_data_gives_the_same_bytes(tmp_path: Path, data: Path) -> None:
    for flavor in ("markdown", "hugo", "zensical"):
        one, two = tmp_path / f"{flavor}-1", tmp_path / f"{flavor}-2"
        assert _run(data, one, flavor).code == 0
        assert _run(data, two, flavor).code == 0
        assert {k: v[1] for k, v in _files(one).items()} == {
            k: v[1] for k, v in _files(two).items()
        }


def test_bad_input_is_one_line(tmp_path: Path, data: Path) -> None:
    missing = _run(tmp_path / "nothing", tmp_path / "out")
    assert missing.code == 1
    assert missing.stderr.strip() == f"{tmp_path / 'nothing'}: not a directory"
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = _run(data, blocker)
    assert result.code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "cannot write" in result.stderr
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / MANIFEST).write_text("{not json", encoding="utf-8")
    broken = _run(data, tmp_path / "out")
    assert broken.code == 1 and "unreadable" in broken.stderr
    wrong = run_cli("pages", "--data", data, "--output", tmp_path / "o", "--flavor", "jekyll")
    assert wrong.code == 2 and "invalid choice: 'jekyll'" in wrong.stderr


def test_a_damaged_day_file_stops_the_run_before_its_pages_go(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    before = _files(out)
    (data / "2021-03-24.json").write_text("{", encoding="utf-8")
    result = _run(data, out)
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{data / '2021-03-24.json'}: ") and "(day skipped)" in lines[0]
    assert lines[-1] == (
        f"{data}: 1 day file(s) could not be read; nothing was written (fix or remove them)"
    )
    assert _files(out) == before


def test_manifest_entries_the_system_refuses_are_skipped(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    assert _run(data, out).code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"] += ["a\u0000/b.md", "a\ud800/b.md", "x" * 300 + "/b.md"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    for _ in range(2):  # and the next run too
        result = _run(data, out)
        assert result.code == 0, result.stderr
    assert json.loads((out / MANIFEST).read_text())["files"] == sorted(_files(out))


def test_a_manifest_that_is_no_regular_file_is_one_line(tmp_path: Path, data: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / MANIFEST)
    result = _run(data, out)
    assert result.code == 1
    assert result.stderr.strip() == (
        f"{out.resolve() / MANIFEST}: not a hotpapers manifest (not a regular file, or too big)"
    )


def test_one_run_at_a_time_writes_a_folder(tmp_path: Path, data: Path) -> None:
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    with (out / LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = _run(data, out)
    assert result.code == 1
    assert result.stderr.strip() == f"{out.resolve()}: another `hotpapers pages` is writing here"
    assert _run(data, out).code == 0


def test_a_refused_output_folder_is_not_made(tmp_path: Path, data: Path) -> None:
    result = _run(data, data / "site" / "deep")
    assert result.code == 1
    assert not (data / "site").exists()
