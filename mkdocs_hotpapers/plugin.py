"""The MkDocs side: translate `mkdocs.yml` options, hand generated pages to MkDocs.

Pages are written to a private temporary directory (never into `docs_dir`) and
added as generated files. With Material's blog plugin each day becomes a blog
post; otherwise the days get a "Hot Papers" section in the navigation. Ranking
and rendering live in the `hotpapers` core.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from hotpapers.config import SITE_OPTION_NAMES, Options, options_from_mapping, relative_dir
from hotpapers.errors import HotpapersError
from hotpapers.site import stash
from hotpapers.site.day_cache import DayCache
from hotpapers.site.page_cache import CORE_LIBRARIES, PageCache, code_digest, library_versions
from hotpapers.site.pages import WINDOW_CATEGORIES, markdown_page_file, site_page_file
from hotpapers.site.plan import DayMemo, SitePlan
from hotpapers.site.text import toc_label
from mkdocs_hotpapers.blocks import BlocksFile
from mkdocs_hotpapers.nav import with_section

log = logging.getLogger("mkdocs.plugins.hotpapers")
# Output files a placeholder could reach: pages, feeds, search index, sitemap.
_TEXT_OUTPUTS = {".html", ".htm", ".xml", ".json", ".txt", ".rss", ".atom"}
EXCERPT_SEPARATOR = "<!-- more -->"  # what the day pages hold; Material's blog default


class PluginOptions(base.Config):
    """The options only the MkDocs plugin has."""

    enabled = c.Type(bool, default=True)
    # `data` would shadow UserDict.data; MkDocs maps the trailing underscore away.
    data_ = c.Type(str, default="data")
    pages_dir = c.Type(str, default="hot-papers")
    nav_title = c.Type(str, default="Hot Papers")
    # Without a blog: how many of the newest days the navigation lists (the index lists all).
    nav_days = c.Type(int, default=10)
    # Rendered pages kept between builds (as Material's plugins keep theirs).
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/plugin/hotpapers")


# The core's options, from its schema (hotpapers.config.SCHEMA), which checks them and
# names the option in its errors; MkDocs only collects them.
HotPapersConfig = type(
    "HotPapersConfig",
    (PluginOptions,),
    {name: c.Optional(c.Type(object)) for name in SITE_OPTION_NAMES},
)


class HotPapersPlugin(BasePlugin[PluginOptions]):
    config_class = HotPapersConfig
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._tmp: Path | None = None
        self._cache = DayCache()
        self._block_store: BlocksFile | None = None  # the HTML blocks of a build
        self._serving = True  # until on_startup says otherwise: keep parsed days
        self._reset()

    def _reset(self) -> None:
        """Per-build state; the instance lives across `mkdocs serve` rebuilds."""
        self._options = Options()
        self._pages_dir = "hot-papers"
        self._data_dir = Path()
        self._blog_posts_dir: str | None = None
        self._excerpt_separator = EXCERPT_SEPARATOR
        self._index_uri: str | None = None
        self._categories_uri: str | None = None
        self._window_list_uris: list[str] = []
        self._day_uris: list[str] = []
        self._memo: DayMemo | None = None  # day and window pages
        self._lists: DayMemo | None = None  # category pages

    # --- lifecycle ---------------------------------------------------------

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining on_startup keeps this instance (and its cache) across serve rebuilds.
        self._tmp = None
        self._serving = command == "serve"

    def on_shutdown(self) -> None:
        if self._block_store is not None:
            self._block_store.close()
            self._block_store = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._reset()
        if not self.config.enabled:
            return config
        values = {
            name: self.config[name] for name in SITE_OPTION_NAMES if self.config[name] is not None
        }
        where = f"{config.config_file_path}: plugins.hotpapers"
        try:
            self._options = options_from_mapping(values, where, site_only=True)
            self._pages_dir = relative_dir(where, "pages_dir", self.config.pages_dir)
        except HotpapersError as error:
            raise PluginError(str(error)) from None
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self._data_dir = (base_dir / self.config.data_).resolve()
        if not self._data_dir.is_dir():
            raise PluginError(
                f"hotpapers: data directory {self._data_dir} does not exist (option 'data')"
            )
        docs_dir = Path(config.docs_dir).resolve()
        if self._data_dir == docs_dir or docs_dir in self._data_dir.parents:
            raise PluginError(
                f"hotpapers: the data directory {self._data_dir} must be outside docs_dir"
            )
        blog = _blog_config(config)
        if blog is not None:
            posts_dir = blog.post_dir.format(blog=blog.blog_dir).replace("\\", "/")
            # `blog_dir: .` gives "./posts": MkDocs names the file "posts/...".
            self._blog_posts_dir = posixpath.normpath(posts_dir.strip("/")).lstrip("/")
            self._excerpt_separator = blog.post_excerpt_separator
            allowed = blog.get("categories_allowed") or []
            ours = [self._options.category, *(WINDOW_CATEGORIES[k] for k in self._options.windows)]
            missing = [category for category in ours if category not in allowed]
            if blog.get("categories", True) and allowed and missing:
                raise PluginError(
                    f"hotpapers: the blog's categories_allowed ({', '.join(map(str, allowed))}) "
                    f"does not hold hotpapers' {', '.join(map(repr, missing))}: add them "
                    "there, or change hotpapers' options 'category' and 'windows'"
                )
        if self.config.cache:
            cache_dir = (base_dir / self.config.cache_dir).resolve()
            if cache_dir == docs_dir or docs_dir in cache_dir.parents:
                raise PluginError(
                    f"hotpapers: the cache directory {cache_dir} must be outside docs_dir "
                    "(option 'cache_dir')"
                )
            key_parts = (
                code_digest(Path(__file__).parent),
                repr(self._options),
                repr((self._pages_dir, self._blog_posts_dir, self.config.nav_title)),
                library_versions(*CORE_LIBRARIES),
                sys.version.split()[0],  # unicodedata's tables come with Python
            )
            self._memo = DayMemo(PageCache(cache_dir / "pages"), key_parts)
            self._lists = DayMemo(PageCache(cache_dir / "lists"), key_parts)
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="mkdocs-hotpapers-"))
        return config

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled:
            server.watch(str(self._data_dir))
        return server

    # --- pages -------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        assert self._tmp is not None
        blog = self._blog_posts_dir is not None
        plan = SitePlan(
            self._data_dir,
            self._options,
            _Links(self._pages_dir, self._blog_posts_dir),
            title=self.config.nav_title,
            report=lambda problem: self._skip(problem, config),
            parsed=self._cache,
        )
        written: set[Path] = set()
        store = self._block_store
        if store is None or store.path.parent != self._tmp:  # kept across serve rebuilds
            path = self._tmp / "hotpapers.blocks"
            store = self._block_store = BlocksFile(path, track_changes=self._serving)
        store.start()
        written.add(store.path)
        self._day_uris = []
        for day in plan.days(memo=self._memo):
            uri = day.location
            if day.kind == "day":
                self._day_uris.append(uri)
            text = site_page_file(day.page, stashed=True, heading=not blog)
            if self._excerpt_separator != EXCERPT_SEPARATOR:
                # The blog's excerpt must end before the first embedded post: Material
                # renders excerpts without plugin events, so their placeholders would stay.
                text = text.replace(EXCERPT_SEPARATOR, self._excerpt_separator, 1)
            # Without a blog, on_nav lists the newest days; the index links to all of them.
            page_path = self._add(files, config, uri, text, in_nav=blog)
            written.add(page_path)
            if store.put(uri, day.page.blocks):
                # Only a post changed: the page's file is the same, but `serve --dirty`
                # rebuilds pages by their file's time.
                os.utime(page_path)
        store.finish()
        for extra in plan.pages(self._lists):
            if extra.kind == "categories":
                self._categories_uri = extra.location
            elif extra.kind == "windows":
                self._window_list_uris.append(extra.location)
            elif extra.kind == "index":
                self._index_uri = extra.location
            content = markdown_page_file(extra.page)
            written.add(self._add(files, config, extra.location, content, in_nav=False))
        _remove_stale(self._tmp, keep=written)
        if not self._serving:
            # One build: free the parsed days before MkDocs renders every page (peak memory).
            self._cache = DayCache()
        return files

    def _skip(self, problem: str, config: MkDocsConfig) -> None:
        if config.strict:
            raise PluginError(f"hotpapers: {problem}")
        log.warning("%s (day skipped)", problem)

    @event_priority(50)  # before any plugin reads the HTML (readtime, search, feeds)
    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the day's HTML blocks into the page; MkDocs' Markdown never saw them."""
        blocks = self._blocks(page.file.src_uri)
        if blocks is None:
            return html
        restored = stash.restore(html, blocks)
        if restored is None:
            # A Markdown extension rewrote a placeholder: convert the page with the blocks inline.
            assert page.markdown is not None
            page.markdown = stash.inline(page.markdown, blocks)
            page.render(config, files)
            restored = page.content or ""
        # Later handlers of this event may read page.content instead of the HTML they get
        # (mkdocs-rss-plugin does); MkDocs itself sets it only after the last one.
        page.content = restored
        _plain_paper_entries(page.toc)  # a day page's; before the search plugin reads them
        return restored

    @event_priority(-100)  # after every plugin has written its files (feeds, search index)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """A placeholder in any output file is an error: readers would see it."""
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        broken = [
            path.relative_to(site).as_posix()
            for path in sorted(site.rglob("*"))
            if path.suffix in _TEXT_OUTPUTS and path.is_file() and stash.leftover(path.read_bytes())
        ]
        if broken:
            shown = ", ".join(broken[:5]) + (
                f" and {len(broken) - 5} more" if len(broken) > 5 else ""
            )
            raise PluginError(
                f"hotpapers: embedded posts were not put back into {shown}; a plugin or "
                "theme rendered these pages outside MkDocs' page events (please report it)"
            )

    def inline_markdown(self, uri: str, markdown: str) -> str:
        """A generated page's Markdown with its HTML blocks in place (as `hotpapers render`)."""
        blocks = self._blocks(uri)
        return markdown if blocks is None else stash.inline(markdown, blocks)

    def _blocks(self, uri: str) -> list[str] | None:
        """The HTML blocks of a generated day page; None for any other page."""
        return None if self._block_store is None else self._block_store.get(uri)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self._index_uri is None:
            return nav
        recent = list(reversed(self._day_uris))[: max(self.config.nav_days, 0)]
        uris = [self._index_uri, self._categories_uri, *self._window_list_uris, *recent]
        found = [files.get_file_from_path(uri) for uri in uris if uri is not None]
        pages = [f.page for f in found if f is not None and f.page is not None]
        return with_section(nav, self.config.nav_title, pages)

    # --- helpers -----------------------------------------------------------

    def _add(
        self, files: Files, config: MkDocsConfig, uri: str, content: str, *, in_nav: bool = True
    ) -> Path:
        assert self._tmp is not None
        path = self._tmp / uri
        if files.get_file_from_path(uri) is not None:
            raise PluginError(
                f"hotpapers: {uri} already exists in docs_dir; remove it or "
                "change the option 'pages_dir'"
            )
        _write_if_changed(path, content.encode("utf-8"))
        # Pages the plugin places itself (on_nav) are not "missing from the nav" either.
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, uri, abs_src_path=str(path), inclusion=inclusion))
        return path


class _Links:
    """Where the pages go in docs_dir; links between them are relative file links."""

    def __init__(self, pages_dir: str, blog_posts_dir: str | None) -> None:
        self._pages_dir = pages_dir
        self._blog_posts_dir = blog_posts_dir

    def day(self, date: str, slug: str) -> str:
        if self._blog_posts_dir is not None:
            return f"{self._blog_posts_dir}/{slug}.md"
        return f"{self._pages_dir}/{date}.md"

    def page(self, section: str, name: str) -> str:
        return f"{self._pages_dir}/{section}/{name}.md"

    def index(self) -> str | None:
        return None if self._blog_posts_dir is not None else f"{self._pages_dir}/index.md"

    def href(self, target: str, source: str) -> str:
        return _relative(target, posixpath.dirname(source))


@lru_cache(maxsize=4096)  # a few distinct pairs, asked once per link on every page
def _relative(target: str, start: str) -> str:
    """A link from a page in directory `start` to the docs file `target` (both docs-relative)."""
    return posixpath.relpath(target, start or ".")


def _plain_paper_entries(toc: Any) -> None:
    """A day page's table of contents shows each paper's title as text, not TeX source."""
    for item in toc or []:
        item.title = toc_label(item.title)
        _plain_paper_entries(item.children)


def _blog_config(config: MkDocsConfig) -> Any | None:
    """The configuration of Material's blog plugin, when it is enabled."""
    for plugin in config.plugins.values():
        blog = type(plugin).__module__.startswith("material.plugins.blog")
        if blog and plugin.config.get("enabled", True):
            return plugin.config
    return None


def _write_if_changed(path: Path, content: bytes) -> bool:
    """Unchanged files keep their mtime (`mkdocs serve` rebuilds stay cheap)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.read_bytes() == content:
        return False
    path.write_bytes(content)
    return True


def _remove_stale(directory: Path, keep: set[Path]) -> None:
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path not in keep:
            path.unlink()
