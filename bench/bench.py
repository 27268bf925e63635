"""Benchmarks: what the plugins add to a site build, what the core costs, what a fetch asks.

Run from the repository root with the MkDocs environment's interpreter::

    .venv/bin/python bench/bench.py            # N = 365 and 1000, everything, one pair each
    .venv/bin/python bench/bench.py --quick    # smoke run: N = 5, one pair

See bench/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotpapers.config import Options  # noqa: E402
from hotpapers.site.day_cache import DayCache  # noqa: E402
from hotpapers.site.pages import MarkdownPage, SitePage, render_day  # noqa: E402
from hotpapers.site.plan import SitePlan, SourceLinks  # noqa: E402
from hotpapers.store import day_files  # noqa: E402

PAPERS_PER_DAY = 20
ABSTRACT_CHARS = 1500
MAX_EMBEDS = 10
FIRST_DAY = "2021-01-01"
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONWARNINGS": "ignore"}

# --- synthetic day files ---------------------------------------------------

_TEXT = (
    "we propose a novel method for learning representations of graphs and images that "
    "scales to large datasets our approach combines diffusion models with contrastive "
    "objectives and achieves state of the art results on standard benchmarks while "
    "using fewer parameters experiments show robust generalisation under distribution "
    "shift theoretical analysis bounds the sample complexity code is available"
)
WORDS = _TEXT.split()


def _abstract(rng: random.Random) -> str:
    words: list[str] = []
    length = 0
    while length < ABSTRACT_CHARS:
        word = rng.choice(WORDS)
        if rng.random() < 0.01:
            word = f"$\\alpha_{{{rng.randint(1, 9)}}}$"
        words.append(word)
        length += len(word) + 1
    return " ".join(words).capitalize() + "."


def _embed_html(source: str, url: str, rng: random.Random) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(30))
    if source == "x":
        return (
            f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{text} '
            f'<a href="https://t.co/abc">https://t.co/abc</a></p>&mdash; Someone (@someone) '
            f'<a href="{url}">June 29, 2021</a></blockquote>\n'
        )
    return (
        f'<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:x/post/1" '
        f'data-bluesky-cid="c"><p lang="en">{text}</p>&mdash; Poster '
        f'<a href="{url}">2021-06-29</a></blockquote>'
    )


def make_day(date: str, index: int) -> dict[str, Any]:
    rng = random.Random(index)
    collected = f"{date}T13:48:45Z"
    papers = []
    for number in range(1, PAPERS_PER_DAY + 1):
        arxiv_id = f"{date[2:4]}{date[5:7]}.{index % 100:02d}{number:03d}"
        mentions = []
        for m in range(rng.randint(3, MAX_EMBEDS + 2)):
            source = ("x", "x", "bluesky", "hackernews")[m % 4]
            url = f"https://example.org/{source}/{index}/{number}/{m}"
            # Accounts as collection stores them: readers from a pool (some post twice),
            # and a feed bot that links every paper (the `accounts` ranking's work).
            account = "feedbot" if m == 1 else f"{source}{rng.randrange(150)}"
            mention: dict[str, Any] = {
                "source": source,
                "id": f"{index}-{number}-{m}",
                "url": url,
                "account": account,
                "account_papers": 120 if m == 1 else 1,
                "author": f"Person {m}",
                "handle": f"person{m}",
                "created_at": date,
                "reposts": rng.randint(5, 200),
                "likes": rng.randint(20, 900),
            }
            if source == "hackernews":
                mention["text"] = "A story about this paper"
                mention["embed_html"] = None
            else:
                mention["embed_html"] = _embed_html(source, url, rng)
            mentions.append(mention)
        mentions.sort(key=lambda m: m["reposts"] + m["likes"], reverse=True)
        papers.append(
            {
                "id": arxiv_id,
                "title": f"Paper {number} of {date}: scalable learning with {rng.choice(WORDS)}",
                "authors": [f"Author {a} Surname{a}" for a in range(rng.randint(2, 12))],
                "abstract": _abstract(rng),
                "categories": ["cs.LG", rng.choice(["cs.CV", "stat.ML", "cs.CL", "cs.AI"])],
                "counted_at": collected,
                "totals": {
                    "reposts": sum(m["reposts"] for m in mentions),
                    "likes": sum(m["likes"] for m in mentions),
                },
                "mentions": mentions,
            }
        )
    papers.sort(key=lambda p: p["totals"]["reposts"] + p["totals"]["likes"], reverse=True)
    return {"schema": "hotpapers/1", "date": date, "collected_at": collected, "papers": papers}


def make_data(data_dir: Path, days: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    for index in range(days):
        add_day(data_dir, index)


def add_day(data_dir: Path, index: int) -> Path:
    """The day file of day `index` (0 is FIRST_DAY)."""
    from datetime import date, timedelta

    day = (date.fromisoformat(FIRST_DAY) + timedelta(days=index)).isoformat()
    text = json.dumps(make_day(day, index), ensure_ascii=False, indent=2) + "\n"
    path = data_dir / f"{day}.json"
    path.write_text(text, encoding="utf-8")
    return path


# --- sites -----------------------------------------------------------------

MKDOCS_YML = """site_name: Bench lab
site_url: https://example.org/
theme:
  name: material
plugins:
  - search
  - blog:
      archive: false
      categories: false
  - tags
{hotpapers}
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
"""

# MkDocs' own theme, no blog: day pages, category pages and the index in the section.
MKDOCS_THEME_YML = """site_name: Bench lab
site_url: https://example.org/
theme:
  name: mkdocs
  highlightjs: false
plugins:
  - search
{hotpapers}
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
"""

PELICANCONF = """from pathlib import Path
HERE = Path(__file__).resolve().parent
AUTHOR = "Bench lab"
SITENAME = "Bench lab"
SITEURL = ""
PATH = str(HERE / "content")
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_DOMAIN = "https://example.org"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{{slug}}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
PLUGINS = {plugins}
HOTPAPERS = {{"data": HERE.parent / "data"}}
# The plain site keeps the category pages of the days here, as pages.
PAGE_PATHS = ["pages", "hotpapers/categories"]
ARTICLE_EXCLUDES = ["pages", "hotpapers/categories"]
"""

HELLO_MD = (
    "---\ndate: 2021-03-01\ncategories: [News]\ntags: [Lab]\n---\n\n"
    "# Hello from the lab\n\nHand-written.\n"
)
WELCOME_PELICAN = (
    "Title: Welcome to the lab\nDate: 2021-03-01 10:00\nCategory: News\nTags: Lab\n"
    "Summary: Hand-written.\n\nA hand-written article.\n"
)


EXPORT_MKDOCS = """
import sys
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.structure.files import Files
config = load_config(sys.argv[1])
plugin = config.plugins["hotpapers"]
config.plugins._current_plugin = "hotpapers"
plugin.on_startup(command="build", dirty=False)
plugin.on_config(config)
files = plugin.on_files(Files([]), config=config)
for file in files:
    target = Path(sys.argv[2]) / file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
    target.write_text(plugin.inline_markdown(file.src_uri, markdown), encoding="utf-8")
plugin.on_shutdown()
"""


def make_mkdocs_site(root: Path, data: Path, *, plugin: bool, yml: str = MKDOCS_YML) -> None:
    docs = root / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    if yml == MKDOCS_YML:
        (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
        (docs / "blog" / "posts" / "hello.md").write_text(HELLO_MD, encoding="utf-8")
        (docs / "tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", encoding="utf-8")
    hotpapers = f"  - hotpapers:\n      data: {data}"
    (root / "mkdocs.yml").write_text(yml.format(hotpapers=hotpapers), encoding="utf-8")


def make_mkdocs_theme_site(root: Path, data: Path, *, plugin: bool) -> None:
    make_mkdocs_site(root, data, plugin=plugin, yml=MKDOCS_THEME_YML)


def export_mkdocs_pages(
    python: str, plugin_site: Path, plain_site: Path, yml: str = MKDOCS_YML
) -> None:
    """Write the pages the plugin generates into the plain site's docs, then turn it off."""
    config = plugin_site / "mkdocs.yml"
    done = subprocess.run(
        [python, "-c", EXPORT_MKDOCS, str(config), str(plain_site / "docs")],
        capture_output=True,
        text=True,
        env=BUILD_ENV,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"cannot export the plugin's pages: {done.stderr}")
    (plain_site / "mkdocs.yml").write_text(yml.format(hotpapers=""), encoding="utf-8")


def _pelican_article(page: SitePage) -> str:
    header = [
        f"Title: {page.title}",
        f"Date: {page.date.replace('T', ' ').rstrip('Z')}",
        f"Slug: {page.slug}",
        f"Category: {page.category}",
        f"Tags: {', '.join(page.tags)}",
        f"Summary: {page.summary}",
        f"Description: {page.description}",
    ]
    return "\n".join(header) + "\n\n" + page.body


def _pelican_page(page: MarkdownPage, status: str) -> str:
    return f"Title: {page.title}\nSlug: {page.slug}\nStatus: {status}\n\n{page.body}"


def make_pelican_site(root: Path, data: Path, *, plugin: bool) -> None:
    """The same pages as the plugin makes (see pelican_hotpapers.plugin), as content files."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "welcome.md").write_text(WELCOME_PELICAN, encoding="utf-8")
    plugins = '["pelican_hotpapers"]' if plugin else "[]"
    (root / "pelicanconf.py").write_text(PELICANCONF.format(plugins=plugins), encoding="utf-8")
    if plugin:
        return
    plan = SitePlan(data, Options(), SourceLinks("{filename}/"))
    for day in plan.days():
        path = content / day.location
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_pelican_article(day.page), encoding="utf-8")
    for extra in plan.pages():
        path = content / extra.location
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            _pelican_page(extra.page, "published" if extra.listed else "hidden"), "utf-8"
        )


PELICAN_CACHE = """CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = str(HERE / "cache")
"""


def make_cached_pelican_site(root: Path, data: Path, *, plugin: bool) -> None:
    """The Pelican site with Pelican's content cache on (measured on warm rebuilds)."""
    make_pelican_site(root, data, plugin=plugin)
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
        conf.write(PELICAN_CACHE)


WINDOWS_OFF = {"windows": [], "trend_marks": False}


def make_mkdocs_windows_site(root: Path, data: Path, *, plugin: bool) -> None:
    """Both with the plugin: window pages and marks on (`plugin`) or off (`plain`)."""
    make_mkdocs_site(root, data, plugin=True)
    if not plugin:
        config = root / "mkdocs.yml"
        options = "".join(f"\n      {k}: {json.dumps(v)}" for k, v in WINDOWS_OFF.items())
        text = config.read_text(encoding="utf-8").replace(f"data: {data}", f"data: {data}{options}")
        config.write_text(text, encoding="utf-8")


def make_pelican_windows_site(root: Path, data: Path, *, plugin: bool) -> None:
    """Both with the plugin: window pages and marks on (`plugin`) or off (`plain`)."""
    make_pelican_site(root, data, plugin=True)
    if not plugin:
        with (root / "pelicanconf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"HOTPAPERS.update({WINDOWS_OFF!r})\n")


# --- measuring -------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the build process (and its children)
    rss_mb: float  # peak resident set size


def measure(command: list[str], cwd: Path, log: Path) -> Run:
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=BUILD_ENV
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}; see {log}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def mkdocs_build(python: str, root: Path) -> Callable[[], Run]:
    """A cold build: without the plugin's page cache (see `mkdocs_warm_build`)."""

    def run() -> Run:
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        command = [python, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")]
        return measure(command, root, root / "build.log")

    return run


def pelican_build(python: str, root: Path) -> Callable[[], Run]:
    def run() -> Run:
        shutil.rmtree(root / "output", ignore_errors=True)
        command = [python, "-m", "pelican", "-q", "-s", str(root / "pelicanconf.py"), "-o"]
        command += [str(root / "output"), str(root / "content")]
        return measure(command, root, root / "build.log")

    return run


def median_run(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.rss_mb for r in runs),
    )


def compare(
    plugin: Callable[[], Run],
    plain: Callable[[], Run],
    repeats: int,
    *,
    parallel: bool,
    warm_up: bool,
) -> dict[str, Any]:
    """Medians of `repeats` runs of each build, and the median of the runs' ratios.

    Serial: the builds alternate (plugin first, then plain first, ...). Parallel:
    each repetition runs both builds at once, one per core, so both see the same
    machine load; the wall times then include some contention for memory bandwidth.
    """
    runs: dict[str, list[Run]] = {"plugin": [], "plain": []}
    builds = {"plugin": plugin, "plain": plain}
    if warm_up:  # bytecode, file system caches
        plugin(), plain()
    for index in range(repeats):
        order = list(builds) if index % 2 == 0 else list(reversed(builds))
        if parallel:
            with ThreadPoolExecutor(max_workers=2) as pool:
                futures = {name: pool.submit(builds[name]) for name in order}
                for name, future in futures.items():
                    runs[name].append(future.result())
        else:
            for name in order:
                runs[name].append(builds[name]())
    a, b = median_run(runs["plugin"]), median_run(runs["plain"])
    pairs = list(zip(runs["plugin"], runs["plain"], strict=True))
    return {
        "plugin": asdict(a),
        "plain": asdict(b),
        # Each repetition's two builds saw the same machine; the ratio is the median
        # of the repetitions' ratios (steadier than a ratio of medians on a noisy machine).
        "ratio": {
            "wall": statistics.median(x.wall / y.wall for x, y in pairs),
            "cpu": statistics.median(x.cpu / y.cpu for x, y in pairs),
            "rss": statistics.median(x.rss_mb / y.rss_mb for x, y in pairs),
        },
        "runs": {name: [asdict(r) for r in rs] for name, rs in runs.items()},
    }


def mkdocs_warm_build(python: str, site: Path, data: Path, n: int) -> dict[str, Any]:
    """The daily build of a site that keeps MkDocs' cache: after the cold build of the
    site's days (the measured pair's) filled `.cache/plugin/hotpapers`, one new day
    file; the build's time and the plugin's share of it (its event methods timed in the
    build's process)."""
    if not (site / ".cache" / "plugin" / "hotpapers").is_dir():
        command = [python, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml")]
        measure(command, site, site / "cold.log")
    added = add_day(data, n)
    try:
        done = subprocess.run(
            [python, str(ROOT / "bench" / "warm.py"), str(site)],
            capture_output=True,
            text=True,
            env=BUILD_ENV,
            check=False,
        )
    finally:
        added.unlink()
    if done.returncode != 0:
        raise SystemExit(f"warm build failed in {site}:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def core_per_page(data: Path) -> dict[str, float]:
    """Load + rank + render of every day in `data`, in this process (cold cache)."""
    options = Options()
    paths = [path for _, path in day_files(data)]
    start, cpu = time.perf_counter(), time.process_time()
    cache = DayCache()
    for path in paths:
        render_day(cache.load(path), options)  # ranks, then renders
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"wall_ms": 1000 * wall / len(paths), "cpu_ms": 1000 * cpu / len(paths)}


def core_plan(data: Path, options: Options) -> dict[str, float]:
    """The whole site plan (days, windows, marks, category pages) in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    plan = SitePlan(data, options, SourceLinks("{filename}/"))
    pages = sum(1 for _ in plan.days()) + len(plan.pages())
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"wall_s": wall, "cpu_s": cpu, "pages": pages}


# --- request economy -------------------------------------------------------


def populate(services: Any, papers: int, mentions: int) -> None:
    """P papers, M mentions on the stand-ins (tests/fake_services.py): half on X, 30 %
    Bluesky, 10 % Hacker News, 10 % Hugging Face."""
    ids = [f"2611.{n:05d}" for n in range(1, papers + 1)]
    for arxiv_id in ids:
        services.paper(arxiv_id)
    for n in range(mentions):
        url = f"https://arxiv.org/abs/{ids[n % papers]}"
        kind = n % 10
        if kind < 5:
            services.x_post(url, 20 + n % 50, 60 + n % 300)
        elif kind < 8:
            services.bsky_post(url, 10 + n % 30, 40 + n % 200)
        elif kind < 9:
            services.hn_story(url, 30 + n % 400)
        else:
            services.hf_paper(ids[n % papers], 10 + n % 90)


def fetch_command(
    python: str, day: str, config: Path, work: Path
) -> tuple[list[str], dict[str, str]]:
    """`hotpapers fetch` of `day` with every credential of the stand-ins, and its
    environment (no HOTPAPERS_ variable of the caller's, an HTTP cache in `work`)."""
    from tests.fake_services import BSKY_HANDLE, BSKY_PASSWORD, X_TOKEN

    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTPAPERS_")}
    env.update(
        XDG_CACHE_HOME=str(work / "xdg"),
        HOTPAPERS_X_BEARER_TOKEN=X_TOKEN,
        HOTPAPERS_BLUESKY_HANDLE=BSKY_HANDLE,
        HOTPAPERS_BLUESKY_APP_PASSWORD=BSKY_PASSWORD,
    )
    command = [python, "-m", "hotpapers", "fetch", "--date", day]
    command += ["--data", str(work / "data"), "--config", str(config), "--quiet"]
    return command, env


def request_economy(python: str, papers: int, mentions: int, work: Path) -> dict[str, Any]:
    """Requests per service for one simulated day, then for an immediate rerun."""
    import logging

    from pytest_httpserver import HTTPServer

    from tests.fake_services import PATHS, FakeServices

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    work.mkdir(parents=True, exist_ok=True)
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        services = FakeServices(server, day="2026-11-20")
        populate(services, papers, mentions)
        config = services.config(work / "hotpapers.toml", x_options="max_posts = 100000")
        command, env = fetch_command(python, services.day, config, work)

        def counts() -> dict[str, int]:
            return {name: len(services.requests(name)) for name in PATHS}

        results = {}
        for label in ("first", "rerun"):
            before = counts()
            completed = subprocess.run(
                command, capture_output=True, text=True, env=env, check=False
            )
            if completed.returncode != 0:
                sys.exit(f"fetch failed ({completed.returncode}): {completed.stderr}")
            after = counts()
            results[label] = {name: after[name] - before[name] for name in PATHS}
        day = json.loads((work / "data" / f"{services.day}.json").read_text(encoding="utf-8"))
    finally:
        server.clear()
        server.stop()
    first, rerun = results["first"], results["rerun"]
    kept = len(day["papers"])
    checks = {
        "arxiv == ceil(P/100)": first["arxiv"] == math.ceil(kept / 100),
        "rerun arxiv == 0": rerun["arxiv"] == 0,
        "rerun oembed == 0": rerun["x_oembed"] + rerun["bsky_oembed"] == 0,
    }
    return {"papers": papers, "kept": kept, "mentions": mentions, **results, "checks": checks}


# --- main ------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, " + (
        f"Python {platform.python_version()}"
    )


def _version(python: str, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def _row(label: str, n: int, result: dict[str, Any]) -> str:
    a, b, r = result["plugin"], result["plain"], result["ratio"]
    return (
        f"{label:15} {n:5}{a['wall']:7.2f} {b['wall']:7.2f} {r['wall']:6.3f}  "
        f"{a['cpu']:7.2f} {b['cpu']:7.2f} {r['cpu']:6.3f}  "
        f"{a['rss_mb']:6.0f} {b['rss_mb']:6.0f} {r['rss']:6.3f}"
    )


def _measure_warm(which: str, host: str, n: int) -> bool:
    if which == "none" or host not in ("mkdocs", "mkdocs-theme"):
        return False
    return which == "all" or host == "mkdocs-theme" or n <= 365


def _warm_row(host: str, n: int, warm: dict[str, Any]) -> str:
    return (
        f"{host + ' warm':21} {n:5}: one new day, build {warm['total']:7.2f} s, "
        f"plugin {warm['plugin']:5.2f} s = {100 * warm['share']:4.1f} %"
    )


def serve_rebuilds(args: argparse.Namespace, work: Path) -> dict[str, dict[str, Any]]:
    """`mkdocs serve` rebuild times (bench/serve.py) at N = `--serve-days`,
    with the built-in theme (the lighter host: the plugin's share is larger) unless only
    Material's blog is asked for. A serve run builds each site several times."""
    try:  # bench/ on sys.path: this file run as a script
        from serve import print_report, serve_report
    except ImportError:  # the repository root on sys.path
        from bench.serve import print_report, serve_report

    hosts = [h for h, _ in SERVE_HOSTS if h in args.hosts]
    if not hosts:
        return {}
    host = hosts[-1]
    yml = dict(SERVE_HOSTS)[host]
    n = args.serve_days
    where = work / f"n{n}" / f"serve-{host}"
    result = serve_report(args.mkdocs_python, n, yml, args.serve_rounds, where)
    print()
    print_report(result)
    return {host: {str(n): result}}


SERVE_HOSTS = (("mkdocs", "material"), ("mkdocs-theme", "theme"))


def print_core(report: dict[str, Any], hosts: list[str]) -> None:
    """The figures of `--core`."""
    print("\ncore alone (load + rank + render), per page, vs. the host's plain build per page:")
    for n, core in report["core"].items():
        plain = "  ".join(
            f"{host} {report['builds'][host][n]['plain_ms_per_page']:.1f} ms"
            for host in hosts
            if "-" not in host
        )
        print(f"  N={n:>5}: core {core['wall_ms']:.2f} ms (cpu {core['cpu_ms']:.2f})  {plain}")
    print("\nthe core's whole site plan, with week/month pages and marks vs. without:")
    for n, plan in report["plan"].items():
        on, off = plan["windows"], plan["no_windows"]
        print(
            f"  N={n:>5}: {on['wall_s']:.2f} s for {on['pages']} pages vs. "
            f"{off['wall_s']:.2f} s for {off['pages']} (cpu {on['cpu_s']:.2f} / "
            f"{off['cpu_s']:.2f})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mkdocs-python", default=str(ROOT / ".venv/bin/python"))
    parser.add_argument("--pelican-python", default=str(ROOT / ".venv-pelican/bin/python"))
    parser.add_argument("--days", type=int, nargs="+", default=[365, 1000])
    parser.add_argument("--repeats", type=int, default=1, help="runs of each build")
    parser.add_argument(
        "--repeats-large",
        type=int,
        default=1,
        help="runs of each build for N >= 1000 (a MkDocs build then takes minutes)",
    )
    parser.add_argument(
        "--serial",
        action="store_true",
        help="alternate the plugin and plain builds instead of running each pair at once",
    )
    parser.add_argument(
        "--hosts",
        nargs="+",
        choices=[
            "mkdocs",
            "mkdocs-theme",
            "pelican",
            "pelican-cache",
            "mkdocs-windows",
            "pelican-windows",
        ],
        default=["mkdocs", "mkdocs-theme", "pelican"],
        help="mkdocs-theme: MkDocs' own theme without a blog; "
        "pelican-cache: Pelican with CACHE_CONTENT, measured on warm rebuilds; "
        "*-windows: the plugin with week/month pages and trend marks (plugin) against the "
        "plugin with them off (plain)",
    )
    parser.add_argument(
        "--warm",
        choices=["some", "all", "none"],
        default="some",
        help="MkDocs' daily build with the cache (one new day): 'some' measures the "
        "built-in theme at every N and Material's blog up to N = 365 (a 1000-day warm "
        "build of it takes minutes); 'all' every MkDocs host at every N",
    )
    parser.add_argument("--papers", type=int, default=250, help="P for request economy")
    parser.add_argument("--mentions", type=int, default=1000, help="M for request economy")
    parser.add_argument(
        "--fetch-time",
        action=argparse.BooleanOptionalAction,
        help="time one fetch of P papers, M mentions against stand-ins answering after "
        "50 ms, against the arXiv floor (bench/fetch_time.py); default: on, off with --quick",
    )
    parser.add_argument(
        "--serve",
        action=argparse.BooleanOptionalAction,
        help="time `mkdocs serve` rebuilds after a day-file and a Markdown edit "
        "(bench/serve.py), N = --serve-days, built-in theme (mkdocs-theme, "
        "else mkdocs); default: on, off with --quick",
    )
    parser.add_argument(
        "--serve-days",
        type=int,
        default=250,
        help="N of the served sites (each rebuild takes about a build of N days)",
    )
    parser.add_argument(
        "--serve-rounds",
        type=int,
        default=1,
        help="edits of each kind in the serve measurement (a rebuild each: about a build)",
    )
    parser.add_argument(
        "--core",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="also time the core alone in this process: load + rank + render per page, "
        "and the whole site plan with and without week/month pages (about a minute)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: N=5, one run each")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    args = parser.parse_args(argv)
    if args.quick:
        args.days, args.repeats, args.papers, args.mentions = [5], 1, 120, 300
        args.serve_days = 5
    builders = {"mkdocs": (args.mkdocs_python, make_mkdocs_site, mkdocs_build)}
    builders["mkdocs-theme"] = (args.mkdocs_python, make_mkdocs_theme_site, mkdocs_build)
    builders["pelican"] = (args.pelican_python, make_pelican_site, pelican_build)
    builders["pelican-cache"] = (args.pelican_python, make_cached_pelican_site, pelican_build)
    builders["mkdocs-windows"] = (args.mkdocs_python, make_mkdocs_windows_site, mkdocs_build)
    builders["pelican-windows"] = (args.pelican_python, make_pelican_windows_site, pelican_build)
    for host in args.hosts:
        if not Path(builders[host][0]).exists():
            parser.error(f"no interpreter {builders[host][0]} (see --{host.split('-')[0]}-python)")

    work = args.keep or Path(tempfile.mkdtemp(prefix="hotpapers-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "versions": {
            package: _version(builders[host][0], package)
            for host, package in (("mkdocs", "mkdocs-material"), ("pelican", "pelican"))
            if any(name.startswith(host) for name in args.hosts)
        },
        "repeats": args.repeats,
        "repeats_large": args.repeats_large,
        "parallel": not args.serial and (os.cpu_count() or 1) >= 2,
        "builds": {},
        "warm": {},
        "core": {},
        "plan": {},
    }
    started = time.perf_counter()
    print(f"machine: {report['machine']}")
    how = "alternating" if args.serial else "paired (plugin and plain at once)"
    print(
        f"medians of {args.repeats} {how} run(s) ({args.repeats_large} for N >= 1000); "
        "wall/CPU in s, peak RSS in MB"
    )
    print(
        "host              N   wall: plugin   plain  ratio   cpu: plugin   plain  ratio   "
        "rss: plugin  plain  ratio"
    )
    try:
        for n in args.days:
            data = work / f"n{n}" / "data"
            make_data(data, n)
            for host in args.hosts:
                python, make_site, build = builders[host]
                sites = {v: work / f"n{n}" / f"{host}-{v}" for v in ("plugin", "plain")}
                for variant, site in sites.items():
                    shutil.rmtree(site, ignore_errors=True)
                    make_site(site, data, plugin=variant == "plugin")
                if host == "mkdocs":
                    export_mkdocs_pages(python, sites["plugin"], sites["plain"])
                elif host == "mkdocs-theme":
                    export_mkdocs_pages(python, sites["plugin"], sites["plain"], MKDOCS_THEME_YML)
                result = compare(
                    build(python, sites["plugin"]),
                    build(python, sites["plain"]),
                    args.repeats_large if n >= 1000 else args.repeats,
                    parallel=not args.serial and (os.cpu_count() or 1) >= 2,
                    # A cached build is measured warm: the first pair fills the caches.
                    warm_up=host == "pelican-cache"
                    or (args.repeats > 1 and not args.quick and n == min(args.days)),
                )
                result["plain_ms_per_page"] = 1000 * result["plain"]["wall"] / n
                report["builds"].setdefault(host, {})[str(n)] = result
                print(_row(host, n, result), flush=True)
                if _measure_warm(args.warm, host, n):
                    warm = mkdocs_warm_build(python, sites["plugin"], data, n)
                    report["warm"].setdefault(host, {})[str(n)] = warm
                    print(_warm_row(host, n, warm), flush=True)
            if args.core:
                report["core"][str(n)] = core_per_page(data)
                report["plan"][str(n)] = {
                    "windows": core_plan(data, Options()),
                    "no_windows": core_plan(data, Options(windows=(), trend_marks=False)),
                }
        if args.core:
            print_core(report, args.hosts)
        if args.serve if args.serve is not None else not args.quick:
            report["serve"] = serve_rebuilds(args, work)
        economy = request_economy(args.mkdocs_python, args.papers, args.mentions, work / "fetch")
        report["requests"] = economy
        print(
            f"\nrequests for one day, P={economy['papers']} papers, M={economy['mentions']} "
            f"mentions ({economy['kept']} papers kept):"
        )
        for label in ("first", "rerun"):
            line = ", ".join(f"{k} {v}" for k, v in economy[label].items())
            print(f"  {label:5}: {line}")
        for check, ok in economy["checks"].items():
            print(f"  {'ok  ' if ok else 'FAIL'} {check}")
        if args.fetch_time if args.fetch_time is not None else not args.quick:
            import fetch_time

            timed = fetch_time.fetch_time(
                args.mkdocs_python, args.papers, args.mentions, work / "fetch-time"
            )
            report["fetch_time"] = timed
            print("\n" + fetch_time.report(timed))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = time.perf_counter() - started
    print(f"\ntotal {report['seconds']:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if all(report["requests"]["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
