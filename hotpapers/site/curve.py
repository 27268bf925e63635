"""A paper's attention over the days it was hot: a small static SVG line.

No script, no styles of its own: the line is drawn in `currentColor`, so it takes
the text colour of the theme, light or dark. `role="img"` with a title and a
description (the dates and scores) says in words what the line shows; no text from
the data goes in (the SVG sits under the paper's heading, and must stay inert in
every Markdown engine a page goes through). Days are placed by date, so a gap
between two days shows as one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date as Date

WIDTH, HEIGHT, PAD = 120, 28, 3
TITLE = "Attention score by day"


def attention_curve(points: Sequence[tuple[str, float]]) -> str:
    """The SVG for `points` (date, score), oldest first; empty for fewer than two days."""
    if len(points) < 2:
        return ""
    days = [Date.fromisoformat(date).toordinal() for date, _ in points]
    span = (days[-1] - days[0]) or 1
    top = max(score for _, score in points) or 1.0
    coords = [
        (
            PAD + (day - days[0]) / span * (WIDTH - 2 * PAD),
            HEIGHT - PAD - (score / top) * (HEIGHT - 2 * PAD),
        )
        for day, (_, score) in zip(days, points, strict=True)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>' for x, y in coords)
    words = ", ".join(f"{date}: {_number(score)}" for date, score in points)
    return (
        f'<svg class="hotpapers-curve" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f"<title>{TITLE}</title><desc>{words}</desc>"
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<g fill="currentColor">{dots}</g></svg>'
    )


def _number(score: float) -> str:
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"
