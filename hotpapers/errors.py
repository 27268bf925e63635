"""Errors meant for users: each carries one clear line, never a traceback."""

from __future__ import annotations


class HotpapersError(Exception):
    """Base class for every error the user can fix (bad data, bad config, bad input)."""


class DataError(HotpapersError):
    """A day file is unreadable or invalid; `problems` holds one line per problem, each
    naming the file, the paper (index and id) and the field."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class SourceError(HotpapersError):
    """A service did not answer usably: one line naming it, never holding credentials.

    `service` and `url` name what was asked (when known); `status` is the HTTP status of
    the answer, when there was one (a 401 asks for a new token, a 404 says a post is gone).
    """

    def __init__(
        self,
        message: str,
        *,
        service: str | None = None,
        url: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.service = service
        self.url = url
        self.status = status


class ConfigError(HotpapersError):
    """An option has a wrong name, type or value."""


class LegacyParseError(HotpapersError):
    """An old-format post could not be parsed; the message names file and line."""


class DayNotCollected(HotpapersError):
    """A day could not be collected (arXiv unreachable, no source answered): nothing written."""


class ArxivUnreachable(DayNotCollected):
    """arXiv could not be asked: nothing can be written for the day."""


class NothingCollected(DayNotCollected):
    """Every source failed or was skipped: writing would replace data with nothing."""


class NotCovered(Exception):
    """A service cannot answer for this day (X's recent search: the last 7 days only).

    Raised by a source before any request; the day keeps what earlier runs found there.
    Not an error the user has to fix.
    """
