"""Trend marks: what a day page says of a paper's other days on the site.

`new` marks a paper's first day, `day N` its N-th listed day (the days need not be
consecutive); a paper on its week's page is marked with its rank there, linked. The
marks look back only (earlier days of the site, and the day's own week), so a day's
page changes only while its week is open. On a site's first day nothing is marked:
there is nothing to compare with.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotpapers.site.curve import attention_curve

DayScore = tuple[str, int, float]  # date, rank, score
CURVE_DAYS = 30  # a day page's curve shows at most the paper's last 30 days


@dataclass(frozen=True)
class Trend:
    """One paper on one day page."""

    date: str
    rank: int
    score: float
    earlier: tuple[DayScore, ...]  # the last earlier days that listed it (CURVE_DAYS at most)
    days_before: int  # how many earlier days of the site listed it
    history: bool  # the site has days before this one ("new" can be told)
    week: str | None = None  # the week's key, when the paper is on the week's page
    week_rank: int = 0
    week_href: str = ""

    @property
    def age(self) -> str:
        if self.days_before:
            return f"day {self.days_before + 1}"
        return "new" if self.history else ""

    def _words(self, number_sign: str, week: str) -> str:
        """The age, then the rank of the week (`number_sign` + rank) followed by `week`."""
        parts = [self.age] if self.age else []
        if self.week is not None:
            rank = "top" if self.week_rank == 1 else f"{number_sign}{self.week_rank}"
            parts.append(f"{rank} of week {week}")
        return " · ".join(parts)

    def markdown(self) -> str:
        """The page's line (links are the site's own paths)."""
        return self._words("&#35;", f"[{self.week}]({self.week_href})")

    def text(self) -> str:
        """The same in plain text, for the category pages' entries."""
        return self._words("#", str(self.week))

    def curve(self) -> str:
        """The paper's daily score on its last days up to this one; empty on its first."""
        points = [(date, score) for date, _, score in self.earlier]
        return attention_curve([*points, (self.date, self.score)])
