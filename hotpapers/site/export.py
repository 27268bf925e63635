"""Every page of the site plan as files for another site generator (`hotpapers pages`).

Flavours differ in where pages go, how one links to another and the front matter:

* `markdown`: CommonMark pages with YAML front matter side by side, linked as
  relative `.md` files (Jekyll, Eleventy, Astro, GitHub...), with an index of days;
* `hugo`: content files for a section (`content/hot-papers/`), with Hugo's front
  matter (`summary`; category pages kept out of lists), linked by their URLs;
* `material-blog` / `zensical`: for a docs folder: day and window pages as blog
  posts in `blog/posts/hot-papers/`, the other pages in `hot-papers/`, linked as
  relative `.md` files (Material's blog and Zensical read the same posts).

Writing is incremental and confined to the output folder: an unchanged file is not
rewritten, the pages of removed days are removed, and only files that the folder's
manifest (`.hotpapers-pages.json`) says hotpapers wrote are ever replaced or deleted.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hotpapers.config import Options
from hotpapers.errors import HotpapersError
from hotpapers.site.pages import MarkdownPage, SitePage, markdown_page_file, site_page_file
from hotpapers.site.plan import SitePlan
from hotpapers.site.text import markdown_inline
from hotpapers.store import write_atomic

FLAVORS = ("markdown", "hugo", "material-blog", "zensical")
LOCK = ".hotpapers-pages.lock"
# In a manifest entry: a backslash (a Windows path), NUL, other controls, lone surrogates.
_ODD_NAME = re.compile("[\\\\\x00-\x1f\x7f\ud800-\udfff]")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MANIFEST = ".hotpapers-pages.json"
STAGING = ".hotpapers-pages-staging-"
BLOG_POSTS = "blog/posts/hot-papers"
BLOG_PAGES = "hot-papers"
# Template tags of Hugo (`{{<`, `{{%`), Liquid (Jekyll, Eleventy: `{{`, `{%`) and
# Nunjucks (`{#`), and their ends (Nunjucks stops a build on a stray `#}` or `%}`): a
# brace that would open or close one becomes a character reference, which Markdown
# and HTML show as the brace. Untrusted text has its braces escaped already; this
# also covers the sanitised HTML of embedded posts and the text of static cards.
_TEMPLATE_TAG = re.compile(r"\{(?=[{%#])|(?<=[}%#])\}")


class ExportError(HotpapersError):
    """The output folder cannot take the pages (a file there is not hotpapers')."""


@dataclass(frozen=True)
class FlatLinks:
    """Every page a file in one folder; links to files (`markdown`) or to Hugo's pretty
    URLs (`hugo`: `content/x/a.md` is served at `x/a/`, so `a.md` links `b.md` as
    `../b/`)."""

    pretty: bool
    with_index: bool

    def day(self, date: str, slug: str) -> str:
        # Hugo serves paths in lower case: its files and links follow.
        return f"{slug.lower() if self.pretty else slug}.md"

    def page(self, section: str, name: str) -> str:
        return f"{section}-{name}.md"

    def index(self) -> str | None:
        return "index.md" if self.with_index else None

    def href(self, target: str, source: str) -> str:
        if self.pretty:
            return f"../{target.removesuffix('.md')}/"
        return target


@dataclass(frozen=True)
class BlogLinks:
    """Posts in the blog's posts folder, other pages beside the blog; relative file links
    (MkDocs, Material and Zensical resolve them to the pages' URLs)."""

    def day(self, date: str, slug: str) -> str:
        return f"{BLOG_POSTS}/{slug}.md"

    def page(self, section: str, name: str) -> str:
        return f"{BLOG_PAGES}/{section}/{name}.md"

    def index(self) -> None:
        return None  # the blog lists the posts

    def href(self, target: str, source: str) -> str:
        return posixpath.relpath(target, posixpath.dirname(source) or ".")


def _links(flavor: str) -> FlatLinks | BlogLinks:
    if flavor == "markdown":
        return FlatLinks(pretty=False, with_index=True)
    if flavor == "hugo":
        return FlatLinks(pretty=True, with_index=False)
    return BlogLinks()


def _guard(text: str) -> str:
    return _TEMPLATE_TAG.sub(lambda match: "&#123;" if match[0] == "{" else "&#125;", text)


def _yaml(value: str) -> str:
    # A JSON string is a YAML string; in ASCII, no parser trips on a control character.
    return json.dumps(value, ensure_ascii=True)


def dated_page(flavor: str, page: SitePage) -> str:
    """A day's or a window's file."""
    if flavor != "hugo":
        return _guard(site_page_file(page))
    lines = [
        "---",
        f"title: {_yaml(page.title)}",
        f"date: {page.date}",
        f"slug: {_yaml(page.slug.lower())}",
        f"description: {_yaml(page.description)}",
        # Hugo renders a summary as Markdown, raw HTML included: escaped like the body.
        f"summary: {_yaml(_guard(markdown_inline(page.summary)))}",
        "categories:",
        f"  - {_yaml(page.category)}",
        "tags:",
        *[f"  - {_yaml(tag)}" for tag in page.tags],
        "---",
    ]
    return "\n".join(lines) + "\n" + _guard(page.body)


def other_page(flavor: str, page: MarkdownPage) -> str:
    """A category page, an overview or a list of windows or days: not a post."""
    if flavor in ("material-blog", "zensical"):
        return _guard(markdown_page_file(page))
    if flavor == "hugo":
        # Kept out of the section's lists and feeds (they are no posts: no date); a plain
        # summary, since one made from the body would carry its relative links to list
        # pages and feeds, where they lead nowhere.
        summary = _yaml(_guard(markdown_inline(page.title)))
        front = f"title: {_yaml(page.title)}\nsummary: {summary}\nbuild:\n  list: never\n"
    else:
        # Eleventy keeps it out of its collections (blog lists, feeds); others ignore it.
        front = f"title: {_yaml(page.title)}\neleventyExcludeFromCollections: true\n"
    return f"---\n{front}---\n{_guard(page.body)}"


@dataclass(frozen=True)
class Exported:
    written: int
    unchanged: int
    removed: int


def export_pages(
    data_dir: Path,
    output: Path,
    flavor: str,
    options: Options,
    report: Callable[[str], None] = lambda message: None,
    notice: Callable[[str], None] = lambda message: None,
) -> Exported:
    """Write every page of the site plan into `output` for `flavor` (see the module).
    `report` gets one line per day file skipped, `notice` one per file left in place."""
    if flavor not in FLAVORS:
        raise ExportError(f"unknown flavor {flavor!r}; choose one of {', '.join(FLAVORS)}")
    if not data_dir.is_dir():
        raise HotpapersError(f"{data_dir}: not a directory")
    try:
        return _export(data_dir, output, flavor, options, report, notice)
    except OSError as error:
        where = error.filename or output
        raise ExportError(f"{where}: cannot write: {error.strerror or error}") from None
    except RuntimeError as error:  # a loop of symbolic links (Python < 3.13)
        raise ExportError(f"{output}: {error}") from None


def _export(
    data_dir: Path,
    output: Path,
    flavor: str,
    options: Options,
    report: Callable[[str], None],
    notice: Callable[[str], None],
) -> Exported:
    root = output.resolve()
    data = data_dir.resolve()
    if root == data or data in root.parents:
        raise ExportError(f"{output}: the output folder must not be the data folder or in it")
    output.mkdir(parents=True, exist_ok=True)
    with _locked(root):
        return _export_locked(root, data, data_dir, flavor, options, report, notice)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One run at a time in a folder (where the platform has `flock`)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with (root / LOCK).open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportError(f"{root}: another `hotpapers pages` is writing here") from None
        yield


def _export_locked(
    root: Path,
    data: Path,
    data_dir: Path,
    flavor: str,
    options: Options,
    report: Callable[[str], None],
    notice: Callable[[str], None],
) -> Exported:
    ours = _read_manifest(root)
    for leftover in root.glob(STAGING + "*"):  # of a run that was stopped
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=root))
    skipped: list[str] = []

    def skip(problem: str) -> None:
        skipped.append(problem)
        report(problem)

    try:
        staged = _stage(data_dir, staging, flavor, options, skip)
        if skipped:
            # Its pages would be removed: a site would lose a day to one bad file.
            raise ExportError(
                f"{data_dir}: {len(skipped)} day file(s) could not be read; nothing was "
                "written (fix or remove them)"
            )
        if not any(is_dated for _, is_dated in staged):
            raise ExportError(
                f"{data_dir}: no day file selected; nothing was written (an empty site would "
                "remove every page)"
            )
        names = [name for name, _ in staged]
        for name in names:
            _check_target(root, name, ours)
        # Written before any page: a run stopped half-way leaves only files it names.
        _write_manifest(root, sorted(set(ours) | set(names)))
        written = unchanged = 0
        for name in names:
            target = root / name
            if target.is_file() and not target.is_symlink() and _same(target, staging / name):
                unchanged += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(staging / name, target)
            except OSError as error:
                raise ExportError(f"{target}: cannot write: {error.strerror}") from None
            written += 1
        removed = 0
        for name in sorted(set(ours) - set(names)):
            target = root / name
            if not _confined(root, name) or data in target.parents:
                notice(f"{target}: not removed (outside {root}, or in the data folder)")
                continue
            try:
                if target.is_file() or target.is_symlink():
                    target.unlink()
                    removed += 1
            except OSError as error:
                notice(f"{target}: not removed: {error.strerror}")
                continue
            _remove_empty_parents(root, target.parent)
        _write_manifest(root, sorted(names))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Exported(written, unchanged, removed)


def _stage(
    data_dir: Path, staging: Path, flavor: str, options: Options, report: Callable[[str], None]
) -> list[tuple[str, bool]]:
    """Render every page into `staging`; their paths, relative to the output folder, and
    whether each is a day's or a window's page."""
    plan = SitePlan(data_dir, options, _links(flavor), report=report)
    names: list[tuple[str, bool]] = []
    taken: dict[str, str] = {}

    def stage(name: str, text: str, dated: bool) -> None:
        # Two pages in one file (a `slug` like a category page's), also where file
        # names ignore case: refused before anything is written.
        other = taken.setdefault(name.casefold(), name)
        if other != name or any(name == known for known, _ in names):
            raise ExportError(
                f"{name}: two pages would be written to this file; change the `slug` option"
            )
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        names.append((name, dated))

    for day in plan.days():
        stage(day.location, dated_page(flavor, day.page), day.kind == "day")
    for extra in plan.pages():
        stage(extra.location, other_page(flavor, extra.page), False)
    return names


def _confined(root: Path, name: str) -> bool:
    """Whether every folder on the way from `root` to `name` is a real folder inside it
    (no symbolic link, no file where a folder must be)."""
    if not _inside(name):
        return False
    folder = root
    for part in name.split("/")[:-1]:
        folder = folder / part
        try:
            mode = folder.lstat().st_mode
        except FileNotFoundError:
            return True  # made by this run, as a real folder
        except (OSError, ValueError):  # a name the system refuses
            return False
        if not stat.S_ISDIR(mode):  # a link (to anywhere) or a file
            return False
    return True


def _check_target(root: Path, name: str, ours: set[str]) -> None:
    """A page may replace only a file hotpapers wrote, and never write outside `root`."""
    target = root / name
    if not _confined(root, name):
        raise ExportError(
            f"{target}: a folder on its way is a symbolic link or a file; nothing was written"
        )
    if (target.exists() or target.is_symlink()) and name not in ours:
        raise ExportError(
            f"{target}: exists and was not written by hotpapers (move it away, or choose "
            "another --output); nothing was written"
        )


def _same(path: Path, staged: Path) -> bool:
    return path.stat().st_size == staged.stat().st_size and path.read_bytes() == staged.read_bytes()


def _read_manifest(root: Path) -> set[str]:
    """The files hotpapers wrote in `root`, as its manifest names them."""
    path = root / MANIFEST
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MANIFEST_BYTES:
            raise ExportError(f"{path}: not a hotpapers manifest (not a regular file, or too big)")
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return set()
    except RecursionError:
        raise ExportError(f"{path}: not a hotpapers manifest (nested too deep)") from None
    except (OSError, ValueError) as error:
        raise ExportError(
            f"{path}: unreadable ({error}); delete it only if {root} holds no pages of hotpapers"
        ) from None
    files = raw.get("files") if isinstance(raw, dict) else None
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise ExportError(f"{path}: not a hotpapers manifest (expected a list of files)")
    return {name for name in files if _inside(name)}


def _inside(name: str) -> bool:
    """A manifest entry names a file below the folder: relative, `/`-separated, no `.`,
    `..` or empty parts, no backslash or drive letter."""
    parts = name.split("/")
    plain = all(
        part not in ("", ".", "..") and len(part.encode("utf-8", "replace")) <= 255
        for part in parts
    )
    return plain and not _ODD_NAME.search(name) and ":" not in parts[0]


def _write_manifest(root: Path, names: list[str]) -> None:
    content = json.dumps({"written_by": "hotpapers pages", "files": names}, indent=1) + "\n"
    path = root / MANIFEST
    try:
        if path.read_bytes() == content.encode("utf-8"):
            return  # unchanged: its time stays
    except OSError:
        pass
    write_atomic(path, content.encode("utf-8"))


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            return
        folder = folder.parent
