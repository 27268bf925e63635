"""Errors meant for users: each carries one clear line, never a traceback."""

from __future__ import annotations


class HotpapersError(Exception):
    """Base class for every error the user can fix (bad data, bad config, bad input)."""


class DataError(HotpapersError):
    """A day file is unreadable or invalid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class ConfigError(HotpapersError):
    """An option has a wrong name, type or value."""


class LegacyParseError(HotpapersError):
    """An old-format post could not be parsed; the message names file and line."""


class DayNotCollected(HotpapersError):
    """A day could not be collected (arXiv unreachable, no source answered): nothing written."""
