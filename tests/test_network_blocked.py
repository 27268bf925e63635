"""The test configuration itself refuses any connection that leaves this machine."""

from __future__ import annotations

import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_connections_to_other_hosts_are_blocked() -> None:
    with (
        pytest.warns(UserWarning),
        pytest.raises(SocketConnectBlockedError),
        socket.create_connection(("192.0.2.1", 80), 1),
    ):
        pass
