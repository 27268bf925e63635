"""`mkdocs serve`: how long a rebuild takes after editing a day file, and after editing Markdown.

Run from the repository root with the MkDocs environment's interpreter::

    .venv/bin/python bench/serve.py --days 365 --yml material
    .venv/bin/python bench/serve.py --days 365 --yml theme --json serve.json

It builds two sites of N synthetic days (bench/bench.py's): the plugin reading the
day files, and its "plain" twin holding the same pages as committed Markdown. It
starts `python -m mkdocs serve` for each (one first build at a time), then edits one
file at a time, alternating between the sites so that both see the same machine
load, and times the rebuild the change sets off: the time MkDocs logs
("Documentation built in X seconds", after every build) and the wall time from the
write until that line appears (which adds the watcher's poll, 0.5 s, its 0.1 s
debounce and reloading `mkdocs.yml`). Each edit waits for the previous rebuild's
line, and a short quiet spell after it; the rebuilt site's search index must then
hold the edit. MkDocs 1.6's default serve (no `--dirty`) rebuilds every page after
any change; that is what is measured.

Edits, in rounds (one of each kind per round, in this order):

* plugin site, `day-title`: a paper's title changes in the newest day file;
* plain site, `markdown-day`: the same paper's title changes in the newest day's page;
* plugin site, `day-new`: a new day file (the next date) appears;
* plain site, `markdown-index`: `docs/index.md` changes;
* plugin site, `markdown-index`: `docs/index.md` changes.

`serve_report()` is what `bench/bench.py --serve` calls; it returns a JSON-able dict.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

try:  # the repository root on sys.path (the test suite)
    from bench import bench as shared
except ImportError:  # bench/ on sys.path (this file or bench/bench.py run as a script)
    import bench as shared  # type: ignore[no-redef]

YMLS = {"material": shared.MKDOCS_YML, "theme": shared.MKDOCS_THEME_YML}
BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
DETECTED = "Detected file changes"
SERVING = "Serving on "
FAILED = ("An error happened during the rebuild", "Aborted", "Traceback (most recent call last)")
QUIET = 1.5  # seconds without a new "Detected file changes" after a rebuild (3 polls)
SETTLE = 2.0  # after "Serving on": the watcher's first snapshot is taken in its own thread


@dataclass
class Rebuild:
    site: str  # plugin | plain
    kind: str  # day-title | day-new | markdown-index | markdown-day
    logged: float  # seconds MkDocs logs for the build
    wall: float  # seconds from the write to the log line
    detected: float  # seconds from the write to "Detected file changes"
    cpu: float | None  # CPU seconds (user + system) the server spent meanwhile (Linux only)


class Server:
    """One `mkdocs serve` subprocess and the lines it logs, timestamped as they arrive."""

    def __init__(self, python: str, site: Path, timeout: float) -> None:
        self.site = site
        self.timeout = timeout
        self.lines: list[str] = []
        self.extra_rebuilds = 0  # rebuilds no edit of ours set off
        self.url = ""  # from "Serving on ..."
        self._queue: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self._log = (site / "serve.log").open("w", encoding="utf-8")
        command = [python, "-m", "mkdocs", "serve", "-f", str(site / "mkdocs.yml")]
        command += ["-a", f"127.0.0.1:{free_port()}"]  # livereload stays on: it is the watcher
        self.process = subprocess.Popen(
            command,
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**shared.BUILD_ENV, "COLUMNS": "0"},  # no wrapped log lines
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put((time.perf_counter(), line.rstrip("\n")))
        self._queue.put((time.perf_counter(), None))

    def next_line(self, deadline: float, waiting_for: str) -> tuple[float, str]:
        """The next line the server logs; an error if it ends, fails or stays silent."""
        try:
            at, line = self._queue.get(timeout=max(deadline - time.perf_counter(), 0))
        except queue.Empty:
            raise TimeoutError(
                f"mkdocs serve in {self.site}: no {waiting_for!r} within {self.timeout:.0f} s; "
                f"its last lines:\n{self.tail()}"
            ) from None
        if line is None:
            raise RuntimeError(
                f"mkdocs serve in {self.site} ended ({self.process.wait()}) while waiting for "
                f"{waiting_for!r}; its last lines:\n{self.tail()}"
            )
        self.lines.append(line)
        self._log.write(line + "\n")
        if any(marker in line for marker in FAILED):
            raise RuntimeError(f"mkdocs serve in {self.site} failed:\n{self.tail()}")
        return at, line

    def wait_for(self, text: str) -> tuple[float, re.Match[str] | str]:
        deadline = time.perf_counter() + self.timeout
        while True:
            at, line = self.next_line(deadline, text)
            if text == "built":
                match = BUILT.search(line)
                if match:
                    return at, match
            elif text in line:
                return at, line

    def quiet(self) -> None:
        """Wait QUIET seconds; a rebuild starting meanwhile (not ours) is waited for and counted."""
        end = time.perf_counter() + QUIET
        while time.perf_counter() < end:
            try:
                _, line = self._queue.get(timeout=max(end - time.perf_counter(), 0))
            except queue.Empty:
                return
            if line is None:
                raise RuntimeError(f"mkdocs serve in {self.site} ended:\n{self.tail()}")
            self.lines.append(line)
            self._log.write(line + "\n")
            if DETECTED in line:
                self.extra_rebuilds += 1
                self.wait_for("built")
                end = time.perf_counter() + QUIET

    def rebuild_after(
        self, edit: Callable[[int], str], round_: int, site: str, kind: str
    ) -> Rebuild:
        """Time the rebuild an edit sets off, then check the served site shows the edit.

        `edit` returns a text the rebuilt search index must hold. Call `quiet()` first.
        """
        cpu = cpu_seconds(self.process.pid)
        start = time.perf_counter()
        expected = edit(round_)
        detected, _ = self.wait_for(DETECTED)
        done, match = self.wait_for("built")
        assert isinstance(match, re.Match)
        cpu_after = cpu_seconds(self.process.pid)
        used = None if cpu is None or cpu_after is None else cpu_after - cpu
        self.wait_for("Reloading browsers")  # the new site is the one served from now on
        if expected not in self.get("search/search_index.json"):
            raise RuntimeError(f"{site} site, {kind}: the rebuilt site lacks {expected!r}")
        return Rebuild(site, kind, float(match.group(1)), done - start, detected - start, used)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=self.timeout) as response:
            text: str = response.read().decode("utf-8")
            return text

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.lines[-lines:])

    def stop(self) -> None:
        """Ctrl-C, as a user stops it: MkDocs then removes its temporary site directory and
        the plugins run on_shutdown. Terminated (then killed) if it does not end in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        self._reader.join(timeout=10)
        while not self._queue.empty():
            line = self._queue.get()[1]
            if line is not None:
                self.lines.append(line)
                self._log.write(line + "\n")
        self._log.close()
        if self.process.stdout is not None:
            self.process.stdout.close()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a running process has used (from /proc: Linux only).

    Less sensitive than wall time to other work on a shared machine."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # from the third field (state) on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def replace_text(path: Path, text: str, scratch: Path) -> None:
    """Write a whole file at once (a rename), so the watcher never sees half of it.

    `scratch`: a directory on the same file system that no server watches.
    """
    partial = scratch / f"{path.name}.partial"
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _newest_day(data: Path) -> Path:
    return max(data.glob("????-??-??.json"))


def _day_page(plain: Path, day: str) -> Path:
    """The newest day's page among the plain site's committed Markdown."""
    for candidate in (
        plain / "docs" / "blog" / "posts" / f"hot-papers-{day}.md",
        plain / "docs" / "hot-papers" / f"{day}.md",
    ):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no page of {day} in {plain / 'docs'}")


def serve_rebuilds(
    python: str, work: Path, days: int, yml: str, edits: int = 3, timeout: float = 900
) -> dict[str, Any]:
    """Rebuild times of `mkdocs serve` for the plugin site and its plain twin (see the module).

    `timeout`: the longest wait for one log line (a first build, a rebuild) before giving up.
    """
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    data, plugin_site, plain_site = work / "data", work / "plugin", work / "plain"
    for path in (data, plugin_site, plain_site):
        shutil.rmtree(path, ignore_errors=True)
    shared.make_data(data, days)
    shared.make_mkdocs_site(plugin_site, data, plugin=True, yml=yml)
    shared.make_mkdocs_site(plain_site, data, plugin=False, yml=yml)
    # Runs the plugin's on_files once, which also fills the plugin site's page cache: the
    # first serve build is a warm one, as for anyone who has built the site before.
    shared.export_mkdocs_pages(python, plugin_site, plain_site, yml)
    prepared = time.perf_counter() - started

    newest = _newest_day(data)
    day = json.loads(newest.read_text(encoding="utf-8"))
    paper = day["papers"][0]
    title = paper["title"]
    day_page = _day_page(plain_site, newest.stem)
    page_text = day_page.read_text(encoding="utf-8")
    if title not in page_text:
        raise RuntimeError(f"{day_page} does not hold the title {title!r}")
    first = date.fromisoformat(shared.FIRST_DAY)

    # Each edit returns a text the rebuilt site's search index must hold.
    def edit_day_title(round_: int) -> str:
        paper["title"] = f"{title} (edited {round_})"
        replace_text(newest, json.dumps(day, ensure_ascii=False, indent=2) + "\n", work)
        return str(paper["title"])

    def add_day(round_: int) -> str:
        index = days + round_ - 1
        new = shared.make_day((first + timedelta(days=index)).isoformat(), index)
        replace_text(data / f"{new['date']}.json", json.dumps(new, indent=2) + "\n", work)
        return str(new["papers"][0]["title"])

    def edit_index(site: Path, round_: int) -> str:
        replace_text(site / "docs" / "index.md", f"# Home\n\nWelcome (edit {round_}).\n", work)
        return f"Welcome (edit {round_})."

    def edit_day_page(round_: int) -> str:
        edited = f"{title} (edited {round_})"
        replace_text(day_page, page_text.replace(title, edited), work)
        return edited

    sites = {"plugin": plugin_site, "plain": plain_site}
    # One round: the kinds of both sites, alternating, so both see the same machine load.
    kinds: list[tuple[str, str, Callable[[int], str]]] = [
        ("plugin", "day-title", edit_day_title),
        ("plain", "markdown-day", edit_day_page),
        ("plugin", "day-new", add_day),
        ("plain", "markdown-index", lambda r: edit_index(plain_site, r)),
        ("plugin", "markdown-index", lambda r: edit_index(plugin_site, r)),
    ]
    rebuilds: list[Rebuild] = []
    first_builds: dict[str, dict[str, float]] = {}
    servers: dict[str, Server] = {}
    try:
        for site_name, site in sites.items():  # one first build at a time
            launched = time.perf_counter()
            server = servers[site_name] = Server(python, site, timeout)
            at, match = server.wait_for("built")
            assert isinstance(match, re.Match)
            first_builds[site_name] = {"logged": float(match.group(1)), "wall": at - launched}
            _, serving = server.wait_for(SERVING)
            assert isinstance(serving, str)
            server.url = serving.split(SERVING, 1)[1].strip()
        time.sleep(SETTLE)
        for round_ in range(1, edits + 1):
            for site_name, kind, edit in kinds:
                for server in servers.values():
                    server.quiet()
                rebuilds.append(servers[site_name].rebuild_after(edit, round_, site_name, kind))
        for server in servers.values():
            server.quiet()
    finally:
        for server in servers.values():
            server.stop()
    extra = {site_name: server.extra_rebuilds for site_name, server in servers.items()}
    return _summary(days, yml, edits, rebuilds, first_builds, extra, prepared, started)


def _summary(
    days: int,
    yml: str,
    edits: int,
    rebuilds: list[Rebuild],
    first_builds: dict[str, dict[str, float]],
    extra: dict[str, int],
    prepared: float,
    started: float,
) -> dict[str, Any]:
    medians: dict[str, dict[str, float]] = {}
    for rebuild in rebuilds:
        key = f"{rebuild.site} {rebuild.kind}"
        if key in medians:
            continue
        same = [r for r in rebuilds if (r.site, r.kind) == (rebuild.site, rebuild.kind)]
        medians[key] = {
            field: statistics.median(getattr(r, field) for r in same)
            for field in ("logged", "wall", "detected")
        }
        if all(r.cpu is not None for r in same):
            medians[key]["cpu"] = statistics.median(r.cpu for r in same if r.cpu is not None)
        medians[key]["logged_min"] = min(r.logged for r in same)
        medians[key]["logged_max"] = max(r.logged for r in same)

    def ratio(a: str, b: str) -> dict[str, float]:
        return {
            f: medians[a][f] / medians[b][f] for f in ("logged", "wall", "cpu") if f in medians[a]
        }

    ratios = {
        # The question: a day file edited vs. the same page edited as Markdown.
        "plugin day-title / plain markdown-day": ratio("plugin day-title", "plain markdown-day"),
        "plugin day-new / plain markdown-day": ratio("plugin day-new", "plain markdown-day"),
        "plugin day-title / plugin markdown-index": ratio(
            "plugin day-title", "plugin markdown-index"
        ),
        "plugin markdown-index / plain markdown-index": ratio(
            "plugin markdown-index", "plain markdown-index"
        ),
    }
    name = next((key for key, value in YMLS.items() if value == yml), "custom")
    return {
        "days": days,
        "yml": name,
        "edits": edits,
        "first_build": first_builds,
        "median": medians,
        "ratio": ratios,
        "extra_rebuilds": extra,
        "rebuilds": [asdict(r) for r in rebuilds],
        "prepare_seconds": prepared,
        "seconds": time.perf_counter() - started,
    }


def serve_report(
    python: str, days: int, yml: str = "material", edits: int = 3, work: Path | None = None
) -> dict[str, Any]:
    """What bench/bench.py records: `serve_rebuilds` in a temporary directory (or `work`)."""
    keep = work is not None
    where = work or Path(tempfile.mkdtemp(prefix="hotpapers-serve-"))
    try:
        return serve_rebuilds(python, where, days, YMLS[yml], edits)
    finally:
        if not keep:
            shutil.rmtree(where, ignore_errors=True)


def print_report(report: dict[str, Any]) -> None:
    print(f"mkdocs serve, N = {report['days']}, {report['yml']}, {report['edits']} edit(s) a kind")
    for site, first in report["first_build"].items():
        logged, wall = first["logged"], first["wall"]
        print(f"  first build, {site:6}: logged {logged:6.2f} s, wall {wall:6.2f} s")
    print("  rebuild medians        logged (min-max)           wall     cpu  write->detected")
    for key, median in report["median"].items():
        cpu = f"{median['cpu']:6.2f} s" if "cpu" in median else "     ? s"
        print(
            f"  {key:22} {median['logged']:6.2f} s ({median['logged_min']:6.2f}-"
            f"{median['logged_max']:6.2f}) {median['wall']:6.2f} s {cpu}  "
            f"{median['detected']:.2f} s"
        )
    for key, ratio in report["ratio"].items():
        cpu = f"  cpu {ratio['cpu']:.3f}" if "cpu" in ratio else ""
        print(f"  {key:45} logged {ratio['logged']:.3f}  wall {ratio['wall']:.3f}{cpu}")
    if any(report["extra_rebuilds"].values()):
        print(f"  rebuilds no edit set off: {report['extra_rebuilds']}")
    print(f"  {report['seconds']:.0f} s in all ({report['prepare_seconds']:.0f} s preparing)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mkdocs-python", default=str(shared.ROOT / ".venv/bin/python"))
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--yml", choices=sorted(YMLS), default="material")
    parser.add_argument("--edits", type=int, default=3, help="rounds of edits (one of each kind)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args(argv)
    if not Path(args.mkdocs_python).exists():
        parser.error(f"no interpreter {args.mkdocs_python} (see --mkdocs-python)")
    print(f"machine: {shared.machine()}", flush=True)
    report = serve_report(args.mkdocs_python, args.days, args.yml, args.edits, args.keep)
    report["machine"] = shared.machine()
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
