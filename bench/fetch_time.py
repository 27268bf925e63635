"""Wall time of `hotpapers fetch` for one simulated day, against the arXiv floor.

A day with P papers and M mentions (the mix of `bench.py`'s request economy)
is served by the stand-ins of `tests/fake_services.py` on 127.0.0.1, each
answer after `--latency` seconds (50 ms), from a threaded server (requests
sent at once are answered at once, as a remote service would); Bluesky's
oEmbed stand-in is named `localhost`, the others `127.0.0.1`. arXiv keeps
its real politeness pause (`delay_seconds`, 3 s between requests), so the
floor is real: ceil(P/100) batches, (batches - 1) pauses plus one round trip
each. No fetch of that day can take less.

    .venv/bin/python bench/fetch_time.py                    # P = 250, M = 1000
    .venv/bin/python bench/fetch_time.py --papers 120 --mentions 300

`hotpapers fetch` runs as `python -m hotpapers`: the package comes from the
current folder first, so run it from the checkout whose code you measure.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_services import (  # noqa: E402
    FakeServices,
    recent_day,
)

try:  # the repository root on sys.path (the test suite)
    from bench.bench import fetch_command, populate
except ImportError:  # bench/ on sys.path (this file or bench/bench.py run as a script)
    from bench import fetch_command, populate  # type: ignore[no-redef]

ARXIV_BATCH = 100  # the arXiv source's default `batch_size`
OEMBED = ("x_oembed", "bsky_oembed")


def arxiv_floor(papers: int, delay: float, latency: float) -> float:
    """The least time arXiv's requests take: the pauses between batches and their round trips."""
    batches = math.ceil(papers / ARXIV_BATCH)
    return max(batches - 1, 0) * delay + batches * latency


def _second_host(config: Path, base: str) -> None:
    """Bluesky's oEmbed stand-in by another host name (the same server): X's and
    Bluesky's oEmbed are two hosts, and a fetch bounds its requests per host."""
    other = base.replace("://127.0.0.1:", "://localhost:")
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace(f"{base}/bsky-oembed", f"{other}/bsky-oembed"), "utf-8")


def fetch_time(
    python: str,
    papers: int,
    mentions: int,
    work: Path,
    *,
    latency: float = 0.05,
    delay: float = 3.0,
) -> dict[str, Any]:
    """One `hotpapers fetch` of a simulated day, timed; where its time went, from the
    moments the stand-ins were asked."""
    from pytest_httpserver import HTTPServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    work.mkdir(parents=True, exist_ok=True)
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        services = FakeServices(server, day=recent_day(), latency=latency)
        populate(services, papers, mentions)
        config = services.config(
            work / "hotpapers.toml", x_options="max_posts = 100000", arxiv_delay_seconds=delay
        )
        _second_host(config, services.base_url)
        command, env = fetch_command(python, services.day, config, work)
        started = time.monotonic()
        completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        ended = time.monotonic()
        if completed.returncode != 0:
            sys.exit(f"fetch failed ({completed.returncode}): {completed.stderr}")
        times = dict(services.times)
        most = dict(services.most_in_flight)
    finally:
        server.clear()
        server.stop()
    floor = arxiv_floor(papers, delay, latency)
    wall = ended - started
    oembed = sorted(t for name in OEMBED for t in times.get(name, []))
    arxiv = times.get("arxiv", [])
    first = min(t for moments in times.values() for t in moments)

    def span(moments: list[float]) -> float:
        return moments[-1] - moments[0] + latency if moments else 0.0

    return {
        "papers": papers,
        "mentions": mentions,
        "latency_s": latency,
        "arxiv_delay_s": delay,
        "wall_s": wall,
        "arxiv_floor_s": floor,
        "ratio": wall / floor if floor else math.inf,
        "phases_s": {
            "start to first request": first - started,
            "sources": (arxiv[0] if arxiv else first) - first,
            "arxiv": span(arxiv),
            "oembed": span(oembed),
            "last answer to exit": ended - (max(oembed or arxiv) + latency),
        },
        "requests": {name: len(moments) for name, moments in sorted(times.items())},
        "most_in_flight": {name: most.get(name, 0) for name in OEMBED},
    }


def report(result: dict[str, Any]) -> str:
    phases = ", ".join(f"{k} {v:.2f}" for k, v in result["phases_s"].items())
    oembed = sum(result["requests"].get(name, 0) for name in OEMBED)
    return (
        f"fetch of one day, P={result['papers']} papers, M={result['mentions']} mentions, "
        f"stand-ins answering after {1000 * result['latency_s']:.0f} ms:\n"
        f"  wall {result['wall_s']:.2f} s, arXiv floor {result['arxiv_floor_s']:.2f} s "
        f"(ceil(P/100) batches, {result['arxiv_delay_s']:g} s apart), "
        f"ratio {result['ratio']:.2f}\n"
        f"  phases (s): {phases}\n"
        f"  oEmbed requests {oembed}, most at once per service {result['most_in_flight']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="runs `hotpapers fetch`")
    parser.add_argument("--papers", type=int, default=250)
    parser.add_argument("--mentions", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per answer")
    parser.add_argument("--arxiv-delay", type=float, default=3.0, help="arXiv's pause, s")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hotpapers-fetch-time-") as work:
        result = fetch_time(
            args.python,
            args.papers,
            args.mentions,
            Path(work),
            latency=args.latency,
            delay=args.arxiv_delay,
        )
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
