"""Write the demo week of `example_site/week/data/` from the real day 2021-06-29.

The old blog kept days far apart, so its pages show no paper that stayed hot for
days. This demo takes the real papers, posts and counts of 2021-06-29 and spreads
them over 2021-06-29 to 2021-07-05: each paper peaks on one day of the week and its
counts fall off around it (a fixed rule, no randomness: the files are the same on
every run). Titles, authors, abstracts and posts are the real ones; the other days'
counts are made up, which the site says on its home page.

    python example_site/week/make_days.py [DIR]   # rewrites example_site/week/data/
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "data" / "2021-06-29.json"
FIRST = date(2021, 6, 29)
DAYS = 7  # to Monday 2021-07-05: week 2021-W26 and June are over, so they get pages


def share(paper_index: int, day: int) -> float:
    """The part of a paper's real counts it gets on `day` (0 = 2021-06-29)."""
    peak = (paper_index * 3) % 6  # papers peak on different days of the week
    return 0.5 ** abs(day - peak)


def scaled(counts: dict[str, int | None], factor: float) -> dict[str, int | None]:
    return {k: None if v is None else round(v * factor) for k, v in counts.items()}


def main(out: Path) -> None:
    real = json.loads(SOURCE.read_text(encoding="utf-8"))
    out.mkdir(exist_ok=True)
    for day in range(DAYS):
        when = FIRST + timedelta(days=day)
        collected = f"{when + timedelta(days=1)}T06:30:00Z"
        papers = []
        for index, paper in enumerate(real["papers"]):
            factor = share(index, day)
            if factor < 0.2:
                continue  # not talked about that day
            totals = scaled(paper["totals"], factor)
            papers.append({**paper, "counted_at": collected, "totals": totals})
        document = {**real, "date": when.isoformat(), "collected_at": collected, "papers": papers}
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        (out / f"{when}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "data")
