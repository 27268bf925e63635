"""Namespace entry point: Pelican loads `pelican.plugins.hotpapers` when PLUGINS is unset."""

from pelican_hotpapers import register

__all__ = ["register"]
