"""A paper's attention over the days it was hot: a small static SVG line.

No script, no styles of its own: the line is drawn in `currentColor`, so it takes
the text colour of the theme, light or dark. `role="img"` with a title and a
description says in words what the line shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from hotpapers.site.text import html_text

WIDTH, HEIGHT, PAD = 120, 28, 3


def attention_curve(title: str, points: Sequence[tuple[str, float]]) -> str:
    """The SVG for `points` (date, score), oldest first; empty for fewer than two days."""
    if len(points) < 2:
        return ""
    scores = [score for _, score in points]
    top = max(scores) or 1.0
    step = (WIDTH - 2 * PAD) / (len(points) - 1)
    coords = [
        (PAD + index * step, HEIGHT - PAD - (score / top) * (HEIGHT - 2 * PAD))
        for index, score in enumerate(scores)
    ]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8"/>' for x, y in coords)
    words = ", ".join(f"{date}: {_number(score)}" for date, score in points)
    return (
        f'<svg class="hotpapers-curve" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}">'
        f"<title>{html_text(f'Attention of {title} by day')}</title>"
        f"<desc>{html_text(words)}</desc>"
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        f'<g fill="currentColor">{dots}</g></svg>'
    )


def _number(score: float) -> str:
    return str(int(score)) if float(score).is_integer() else f"{score:.1f}"
