"""MkDocs plugin `hotpapers`: daily Hot Papers pages injected into the build."""

from mkdocs_hotpapers.plugin import HotPapersConfig, HotPapersPlugin

__all__ = ["HotPapersConfig", "HotPapersPlugin"]
