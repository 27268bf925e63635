"""Time one MkDocs build and the share of it spent in the hotpapers plugin's events.

Run with the MkDocs environment's interpreter: `python bench/warm.py SITE` builds
`SITE/mkdocs.yml` in this process, with a timer around each of the plugin's event
methods, and prints one JSON line: the build's seconds, the plugin's, per event.
`bench.py` runs it after a cold build filled the page cache and one new day file
was added: the daily build of a site that keeps its cache.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class _Collections:
    """Time in the garbage collector, in total and while a plugin event runs: a pause
    lands in whichever code allocates when a threshold is crossed, so a full collection
    of the whole build's objects may fall into the plugin's short events."""

    def __init__(self) -> None:
        self.total = 0.0
        self.in_plugin = 0.0
        self.plugin_running = False
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
            return
        spent = time.perf_counter() - self._start
        self.total += spent
        if self.plugin_running:
            self.in_plugin += spent


def _timed(
    method: Callable[..., Any], name: str, spent: dict[str, float], collections: _Collections
) -> Callable[..., Any]:
    @functools.wraps(method)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        collections.plugin_running = True
        try:
            return method(*args, **kwargs)
        finally:
            collections.plugin_running = False
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    return timed


def timed_build(site: Path) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.disable(logging.WARNING)
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "site"))
    plugin = config.plugins["hotpapers"]
    spent: dict[str, float] = {}
    collections = _Collections()
    # MkDocs calls the bound methods it collected when it loaded the plugin.
    for event, methods in config.plugins.events.items():
        config.plugins.events[event] = [
            _timed(method, event, spent, collections)
            if getattr(method, "__self__", None) is plugin
            else method
            for method in methods
        ]
    gc.callbacks.append(collections)
    start = time.perf_counter()
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    total = time.perf_counter() - start
    gc.callbacks.remove(collections)
    own = sum(spent.values()) - collections.in_plugin
    return {
        "total": total,
        "plugin": own,
        "share": own / total,
        "events": dict(sorted(spent.items())),
        # Not counted in "plugin": see _Collections.
        "gc_in_plugin_events": collections.in_plugin,
        "gc_total": collections.total,
    }


if __name__ == "__main__":
    print(json.dumps(timed_build(Path(sys.argv[1]))))
