"""`hotpapers fetch`: collect days and write them atomically, with progress on stderr."""

from __future__ import annotations

import logging
import os
from datetime import date as Date
from datetime import datetime, timedelta, timezone
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from hotpapers.collect.collector import (
    Collector,
    check_credentials,
    check_source_options,
    long_lived_prefixes,
)
from hotpapers.collect.http import default_cache_path, make_session
from hotpapers.collect.transport import Limits
from hotpapers.config import load_config
from hotpapers.errors import ConfigError, DataError, DayNotCollected
from hotpapers.model import Day
from hotpapers.store import day_path, read_day, write_day

EXIT_OK, EXIT_NOT_WRITTEN, EXIT_SOURCE_FAILED = 0, 3, 4


class _ConsoleHandler(logging.Handler):
    """Log lines printed above the progress bars, never mixed into them."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.print(self.format(record), markup=False, highlight=False, soft_wrap=True)


def _cache_path(configured: str | None, data_dir: Path) -> Path:
    path = Path(configured).expanduser() if configured else default_cache_path()
    resolved, data = path.resolve(), data_dir.resolve()
    if resolved == data or data in resolved.parents:
        raise ConfigError(f"option 'cache': {path} must be outside the data directory {data_dir}")
    return path


def _earlier(data_dir: Path, day: Date) -> Day | None:
    """The day's file from an earlier run, whose data a re-collection must not lose.

    An existing file that is not a valid day is not replaced (DataError): its
    data could not be carried over.
    """
    path = day_path(data_dir, day.isoformat())
    if not path.exists():
        return None
    try:
        return read_day(path)
    except DataError as error:
        raise DataError(
            [f"{error.problems[0]} (the file is kept: fix or remove it to collect the day again)"]
        ) from None


def run_fetch(
    first: Date, last: Date, data_dir: Path, config: Path | None, *, quiet: bool = False
) -> int:
    options = load_config(config)
    where = str(config) if config else "defaults"
    check_source_options(options, where)
    check_credentials(os.environ)
    cache = _cache_path(options.cache, data_dir)
    console = Console(stderr=True, quiet=False)
    logger = logging.getLogger("hotpapers")
    handler = _ConsoleHandler(console)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    not_written = source_failed = 0
    session = None
    try:
        session = make_session(  # once logging is set up: tightening a loose cache says so
            cache,
            long_lived_prefixes(options),
            retries=options.retries,
            backoff=options.backoff,
            limits=Limits(options.max_wait, options.request_deadline, options.max_answer_bytes),
        )
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            disable=quiet or not console.is_terminal,
        ) as progress:
            tasks: dict[str, TaskID] = {}

            def report(task: str, done: int, total: int | None) -> None:
                if task not in tasks:
                    tasks[task] = progress.add_task(task, total=total)
                progress.update(tasks[task], completed=done, total=total)

            collector = Collector(options, session, os.environ, where, progress=report)
            day = first
            while day <= last:
                try:
                    previous = _earlier(data_dir, day)
                    record = collector.collect(day, datetime.now(timezone.utc), previous)
                    path = write_day(data_dir, record)
                except DayNotCollected as error:
                    logger.error("%s: not written: %s", day, error)
                    not_written += 1
                except DataError as error:  # a bad earlier file, or what check would reject
                    logger.error("%s: not written: %s", day, error.problems[0])
                    not_written += 1
                else:
                    failed = sorted(n for n, s in record.sources.items() if s.startswith("failed"))
                    source_failed += bool(failed)
                    count = len(record.papers)
                    papers = "paper" if count == 1 else "papers"
                    tail = f" (failed: {', '.join(failed)})" if failed else ""
                    print(f"{day}: {count} {papers} -> {path}{tail}", flush=True)
                day += timedelta(days=1)
        for note in collector.notes:
            logger.info("%s", note)
    finally:
        logger.removeHandler(handler)
        if session is not None:
            session.close()  # type: ignore[no-untyped-call]
    if not_written:
        return EXIT_NOT_WRITTEN
    return EXIT_SOURCE_FAILED if source_failed else EXIT_OK
