"""Shared fixtures. The network is blocked for every test (pytest-socket, see pyproject).
Shared code (not fixtures) lives in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from .fake_services import DAY, FakeServices
from .helpers import run_cli


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's server, threaded: requests sent at once are answered at once,
    as remote services do (collection asks its sources, and oEmbed, in parallel)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def services(httpserver: HTTPServer) -> FakeServices:
    """The local stand-ins of every service, answering for DAY (a module may override)."""
    return FakeServices(httpserver, day=DAY)
