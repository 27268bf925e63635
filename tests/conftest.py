"""Shared fixtures. The network is blocked for every test (pytest-socket, see pyproject).
Shared code (not fixtures) lives in tests/helpers.py."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from .fake_services import DAY, FakeServices
from .helpers import run_cli


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def services(httpserver: HTTPServer) -> FakeServices:
    """The local stand-ins of every service, answering for DAY (a module may override)."""
    return FakeServices(httpserver, day=DAY)
