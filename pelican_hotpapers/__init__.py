"""Pelican plugin: daily Hot Papers articles injected into the host site's build.

Enable it with ``PLUGINS = ["pelican_hotpapers"]`` (or let Pelican discover
``pelican.plugins.hotpapers`` when PLUGINS is unset) and configure it with one
``HOTPAPERS = {...}`` setting using the core's option names.
"""

from pelican_hotpapers.plugin import register

__all__ = ["register"]
