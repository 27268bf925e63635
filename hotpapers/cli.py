"""The `hotpapers` command: fetch, render, pages, check and import-legacy.

Exit codes: 0 success; 1 bad data, bad config or a failed step (each problem is
one line on stderr); 2 wrong usage; for `fetch` also 3 (a day could not be
written: arXiv unreachable) and 4 (every day written, but a source failed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from hotpapers import __version__
from hotpapers.config import load_config
from hotpapers.errors import DataError, HotpapersError
from hotpapers.legacy.importer import import_post
from hotpapers.model import parse_date
from hotpapers.site.export import FLAVORS, export_pages
from hotpapers.site.pages import FORMATS, render_day, render_window_page, site_page_file
from hotpapers.site.plan import planned_page
from hotpapers.site.windows import Window, parse_window
from hotpapers.store import day_files, day_path, read_day, stray_files, write_day


def _date_argument(text: str) -> str:
    try:
        parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _window_argument(text: str) -> Window:
    try:
        return parse_window(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotpapers", description="Daily Hot Papers pages from arXiv attention snapshots."
    )
    parser.add_argument("--version", action="version", version=f"hotpapers {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fetch = commands.add_parser("fetch", help="collect days from arXiv and the social services")
    fetch.add_argument("--date", type=_date_argument, required=True, metavar="YYYY-MM-DD")
    fetch.add_argument(
        "--until",
        type=_date_argument,
        metavar="YYYY-MM-DD",
        help="collect every day from --date to this one",
    )
    fetch.add_argument("--data", type=Path, required=True, help="directory of day files")
    fetch.add_argument("--config", type=Path, help="TOML file with the plugin option names")
    fetch.add_argument("--quiet", action="store_true", help="no progress or info (for cron)")

    render = commands.add_parser(
        "render",
        help="print the page of one day (or of a week, month or year)",
        description="Print the page of one day, or with --window of a week, month or year. "
        "The markdown format escapes and sanitises everything that comes from data. The "
        "gatsby format reproduces the old blog's files exactly, with titles, categories and "
        "stored post HTML as they are: use it only for data you trust.",
    )
    render.add_argument("date", type=_date_argument, metavar="YYYY-MM-DD", nargs="?")
    render.add_argument(
        "--window",
        type=_window_argument,
        metavar="WINDOW",
        help="a week, month or year (2021-W26, 2021-06, 2021) instead of a day",
    )
    render.add_argument("--data", type=Path, required=True, help="directory of day files")
    render.add_argument(
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (a safe site page; default) or gatsby (the old blog's files, raw: "
        "trusted data only)",
    )
    render.add_argument("--config", type=Path, help="TOML file with the plugin option names")

    pages = commands.add_parser(
        "pages",
        help="write every page of the site as files for another site generator",
        description="Write every page a site gets (days, windows, category pages) into "
        "OUT for a site generator. Unchanged files are not rewritten and the pages of "
        "removed days are removed; only files hotpapers wrote there (listed in "
        "OUT/.hotpapers-pages.json) are ever replaced or deleted.",
    )
    pages.add_argument("--data", type=Path, required=True, help="directory of day files")
    pages.add_argument("--output", type=Path, required=True, metavar="OUT", help="where to write")
    pages.add_argument(
        "--flavor",
        choices=FLAVORS,
        required=True,
        help="markdown (CommonMark + YAML front matter: Jekyll, Eleventy, Astro...), hugo "
        "(a content section), material-blog or zensical (a docs folder with a blog)",
    )
    pages.add_argument("--config", type=Path, help="TOML file with the plugin option names")

    check = commands.add_parser("check", help="validate every day file in a directory")
    check.add_argument("--data", type=Path, required=True, help="directory of day files")

    legacy = commands.add_parser("import-legacy", help="turn old Gatsby posts into day files")
    legacy.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="post or directory")
    legacy.add_argument("--data", type=Path, required=True, help="directory of day files")
    return parser


def _error(message: str) -> None:
    print(message, file=sys.stderr)


def _render(args: argparse.Namespace) -> int:
    options = load_config(args.config)

    def skipped(problem: str) -> None:
        _error(f"{problem} (day skipped)")

    if args.window is not None:
        if not args.data.is_dir():
            raise HotpapersError(f"{args.data}: not a directory")
        window = args.window
        if not any(window.holds(date) for date, _ in day_files(args.data)):
            raise HotpapersError(f"{args.data}: no day file in {window.kind} {window.key}")
        chosen = replace(options, windows=(window.kind,))
        if options.last_days is None:  # only the window's days (counting back needs them all)
            since = max(window.first, options.since or window.first)
            until = min(window.last, options.until or window.last)
            chosen = replace(chosen, since=since, until=until)
        found = planned_page(args.data, window.key, chosen, skipped, open_windows=True)
        if found is None:  # no paper was listed, or the site's options leave its days out
            found = render_window_page(window, [], options, lambda date: f"{date}.md")
        page = site_page_file(found)
        sys.stdout.buffer.write(page.encode("utf-8"))
        sys.stdout.flush()
        return 0
    path = day_path(args.data, args.date)
    if not path.is_file():
        raise HotpapersError(f"{path}: no day file for {args.date}")
    day = read_day(path)
    if args.format == "markdown":
        # As the site has it (trend marks), when the site's options select the day.
        marked = planned_page(args.data, args.date, options, skipped)
        page = render_day(day, options) if marked is None else site_page_file(marked)
    else:
        page = render_day(day, options, args.format)
    sys.stdout.buffer.write(page.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _pages(args: argparse.Namespace) -> int:
    options = load_config(args.config)
    exported = export_pages(
        args.data,
        args.output,
        args.flavor,
        options,
        lambda problem: _error(f"{problem} (day skipped)"),
        _error,
    )
    print(
        f"{args.output}: {exported.written} written, {exported.unchanged} unchanged, "
        f"{exported.removed} removed"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    if not args.data.is_dir():
        raise HotpapersError(f"{args.data}: not a directory")
    problems = [f"{path}: {reason}" for path, reason in stray_files(args.data)]
    checked = 0
    for _, path in day_files(args.data):
        checked += 1
        try:
            read_day(path)
        except DataError as error:
            problems.extend(error.problems)
    for problem in problems:
        _error(problem)
    summary = f"checked {checked} day file{'s' if checked != 1 else ''}"
    print(
        f"{summary}: {len(problems)} problem{'s' if len(problems) != 1 else ''}"
        if problems
        else f"{summary}: all valid"
    )
    return 1 if problems else 0


def _legacy_posts(paths: Sequence[Path]) -> list[Path]:
    posts: list[Path] = []
    for path in paths:
        if path.is_dir():
            posts.extend(sorted(p for p in path.rglob("*.md") if p.is_file()))
        else:
            posts.append(path)
    return posts


def _import_legacy(args: argparse.Namespace) -> int:
    failures = 0
    for post in _legacy_posts(args.paths):
        try:
            try:
                text = post.read_bytes().decode("utf-8")
            except OSError as error:
                raise HotpapersError(f"{post}: cannot read: {error.strerror}") from None
            except UnicodeDecodeError as error:
                raise HotpapersError(
                    f"{post}: not valid UTF-8 (byte offset {error.start})"
                ) from None
            imported = import_post(text, str(post))
            target = write_day(args.data, imported.day)
        except HotpapersError as error:
            _error(str(error))
            failures += 1
            continue
        repaired = " (repaired mojibake)" if imported.repaired_encoding else ""
        count = len(imported.day.papers)
        print(f"{post} -> {target} ({count} paper{'s' if count != 1 else ''}){repaired}")
    if failures:
        _error(f"{failures} post{'s' if failures != 1 else ''} not imported")
    return 1 if failures else 0


def _fetch(args: argparse.Namespace) -> int:
    from hotpapers.collect.fetch import run_fetch  # the network stack loads only when collecting

    first, last = parse_date(args.date), parse_date(args.until or args.date)
    if last < first:
        raise HotpapersError(f"--until {args.until} is before --date {args.date}")
    return run_fetch(first, last, args.data, args.config, quiet=args.quiet)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "render":
        if (args.date is None) == (args.window is None):
            parser.error("render: give a day (YYYY-MM-DD) or --window, one of them")
        if args.window is not None and args.format != "markdown":
            parser.error("render: window pages exist in the markdown format only")
    handlers = {
        "fetch": _fetch,
        "render": _render,
        "pages": _pages,
        "check": _check,
        "import-legacy": _import_legacy,
    }
    try:
        return handlers[args.command](args)
    except DataError as error:
        for problem in error.problems:
            _error(problem)
        return 1
    except HotpapersError as error:
        _error(str(error))
        return 1
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
