"""Which days a site publishes: `since`, `until` and `last_days` over the stored days."""

from __future__ import annotations

from datetime import timedelta

from hotpapers.config import Options
from hotpapers.model import parse_date


def select_dates(dates: list[str], options: Options) -> list[str]:
    """The dates to publish, oldest first.

    `last_days` counts back from the newest stored day (not from today), so the
    same data and config always give the same pages.
    """
    chosen = sorted(dates)
    if options.since is not None:
        chosen = [d for d in chosen if d >= options.since]
    if options.until is not None:
        chosen = [d for d in chosen if d <= options.until]
    if options.last_days is not None and chosen:
        first = parse_date(chosen[-1]) - timedelta(days=options.last_days - 1)
        chosen = [d for d in chosen if d >= first.isoformat()]
    return chosen
