"""Limits on what a server can make one request do: how long it waits, lasts and sends.

`LimitedAdapter` is mounted on the collection session (see `http.make_session`), so
the limits hold for every request, the arXiv package's included:

* A request ends within `request_deadline`, retries, waits and redirects included.
  A read timeout alone never fires against a server that sends one byte every few
  seconds, so a watchdog timer shuts down the request's sockets when the deadline
  passes (while it connects, sends, or reads headers or body).
* No wait is longer than `max_wait`: a longer Retry-After fails the request at
  once, and backoff is capped at it. No retry starts after the deadline.
* Requests sent from several threads to one host share a `HostGate` (see
  `gate_scope`): when the host asks one of them to wait (Retry-After, or a 429's
  backoff), the others wait as long before they send, under the same limits.
* An answer is read, decompressed, up to `max_answer_bytes` while it streams,
  before anything else (the cache's filter included) looks at it.
"""

from __future__ import annotations

import email.utils
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3 import poolmanager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import ConnectionPool, HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util import Retry

from hotpapers.errors import SourceError

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """The `max_wait`, `request_deadline` and `max_answer_bytes` options."""

    max_wait: float = 120
    request_deadline: float = 120
    max_answer_bytes: int = 32 * 1024 * 1024


class LimitExceeded(requests.RequestException):
    """A limit stopped a request; the message is one line naming the limit."""


class _Stop(Exception):
    """Raised inside urllib3, which would wrap an OSError (as every RequestException is)."""


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 1 else f"{value:.2g}"


# --- the deadline and its watchdog -------------------------------------------


class _Deadline:
    """One request's time limit: when it passes, the sockets the request uses are shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.interrupted = False  # a socket was shut down: an answer may be cut short
        self._fired = self._ended = False
        self._sockets: list[socket.socket] = []
        self._copies: list[socket.socket] = []  # duplicates made here, closed here
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def passed(self) -> bool:
        return self._fired or self.remaining() <= 0

    def message(self) -> str:
        return (
            f"no complete answer within request_deadline {_seconds(self.seconds)} s "
            "(retries and waits included)"
        )

    def watch(self, sock: socket.socket, *, duplicate: bool = False) -> socket.socket | None:
        """Shut `sock` down when the deadline passes; a duplicate survives TLS detaching it."""
        if duplicate:
            try:
                sock = socket.fromfd(sock.fileno(), sock.family, sock.type)
            except OSError:
                return None
        with self._lock:
            if not self._fired and not self._ended:
                self._sockets.append(sock)
                if duplicate:
                    self._copies.append(sock)
                return sock
            late = self._fired
        if late:
            _shut(sock)
        if duplicate:
            sock.close()
        return None

    def forget(self, copy: socket.socket) -> None:
        """Drop and close a duplicate: its connection is now watched itself, or closed."""
        with self._lock:
            if copy in self._copies:
                self._copies.remove(copy)
                self._sockets.remove(copy)
        copy.close()

    def _fire(self) -> None:
        with self._lock:
            if self._ended:
                return
            self._fired = True
            self.interrupted = bool(self._sockets)
            for sock in self._sockets:
                _shut(sock)

    def end(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._ended = True
            copies, self._copies, self._sockets = self._copies, [], []
        for copy in copies:
            copy.close()


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown: SSLSocket's would also drop its TLS state under a reader.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_active = threading.local()


def _current() -> _Deadline | None:
    return getattr(_active, "deadline", None)


@contextmanager
def deadline_scope(limits: Limits) -> Iterator[None]:
    """Everything inside shares one deadline, set by the outermost scope.

    Each scope turns a failure after the deadline, or an answer the watchdog may
    have cut short, into `LimitExceeded`.
    """
    deadline = _current()
    outermost = deadline is None
    if deadline is None:
        deadline = _active.deadline = _Deadline(limits.request_deadline)
    try:
        yield
    except requests.RequestException as error:
        if deadline.passed() and not isinstance(error, LimitExceeded):
            raise LimitExceeded(deadline.message()) from None
        raise
    finally:
        if outermost:
            deadline.end()
            _active.deadline = None
    if deadline.interrupted:
        raise LimitExceeded(deadline.message())


def one_deadline(session: requests.Session) -> AbstractContextManager[None]:
    """A scope for several requests (a request and the redirects followed by hand)."""
    limits = getattr(session, "limits", None)
    return deadline_scope(limits) if isinstance(limits, Limits) else nullcontext()


# --- connections whose sockets the deadline watches ---------------------------


def _clamp(timeout: Any, remaining: float) -> float:
    remaining = max(remaining, 0.001)
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        return min(timeout, remaining)
    return remaining


class _Watched:
    """Hands its sockets to the active deadline: from connecting and from reading a response."""

    timeout: Any
    sock: socket.socket | None
    _connect_watch: tuple[_Deadline, socket.socket] | None = None

    def _new_conn(self) -> socket.socket:
        deadline = _current()
        if deadline is None:
            return super()._new_conn()  # type: ignore[misc,no-any-return]
        self.timeout = _clamp(self.timeout, deadline.remaining())
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        # TLS detaches `sock` before its handshake; a duplicate descriptor still reaches it.
        copy = deadline.watch(sock, duplicate=True)
        if copy is not None:
            self._connect_watch = (deadline, copy)
        return sock

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        self._unwatch_connect()
        deadline = _current()
        if deadline is not None and self.sock is not None:
            deadline.watch(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]

    def close(self) -> None:
        self._unwatch_connect()  # a duplicate would keep the connection open
        super().close()  # type: ignore[misc]

    def _unwatch_connect(self) -> None:
        if self._connect_watch is not None:
            deadline, copy = self._connect_watch
            self._connect_watch = None
            deadline.forget(copy)


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _watch_pools(manager: Any) -> None:
    # SOCKS proxy managers bring their own pool classes; those keep them.
    if getattr(manager, "pool_classes_by_scheme", None) is poolmanager.pool_classes_by_scheme:
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}


# --- one host's waits, shared by threads -------------------------------------


class HostGate:
    """The requests several threads send to one host: when the host asks one of them to
    wait, the others wait as long before they send (see `gate_scope`)."""

    def __init__(self) -> None:
        self._until = 0.0
        self._why = ""
        self._lock = threading.Lock()

    def hold(self, seconds: float, why: str) -> None:
        """No request through the gate starts in the next `seconds`."""
        with self._lock:
            until = time.monotonic() + seconds
            if until > self._until:
                self._until, self._why = until, why

    def remaining(self) -> tuple[float, str]:
        """Seconds still to wait (0 or less: none), and why."""
        with self._lock:
            return self._until - time.monotonic(), self._why


@contextmanager
def gate_scope(gate: HostGate) -> Iterator[None]:
    """This thread's requests go through `gate` (one scope per thread at a time)."""
    _active.gate = gate
    try:
        yield
    finally:
        _active.gate = None


def _current_gate() -> HostGate | None:
    return getattr(_active, "gate", None)


def _await_gate(max_wait: float) -> None:
    """Wait while this thread's gate is held (it may be held again meanwhile)."""
    gate = _current_gate()
    while gate is not None:
        seconds, why = gate.remaining()
        if seconds <= 0:
            return
        _pause(seconds, why, max_wait)


# --- leaving a run --------------------------------------------------------------

# Set while a run is being left (Ctrl-C, an error) with requests still going in other
# threads: each stops at its next request or wait, so the pools it runs in end at once
# rather than after every page and wait of each service.
_leaving = threading.Event()


def start_requests() -> None:
    """Requests may go (a new stage of a run: a pool of threads about to ask services)."""
    _leaving.clear()


def stop_requests() -> None:
    """Requests not yet sent and waits not yet over, in every thread, stop (`LimitExceeded`
    from the session, `Stopped` from `wait`)."""
    _leaving.set()


@contextmanager
def requests_stop_on_error() -> Iterator[None]:
    """Requests may go; when the block is left by an exception, the others stop. Used
    inside a pool's `with` (whose exit waits for its threads)."""
    start_requests()
    try:
        yield
    except BaseException:
        stop_requests()
        raise


class Stopped(SourceError):
    """`wait` was cut short: the run is being left."""


def wait(seconds: float) -> None:
    """Sleep `seconds` (a service's own pacing), or `Stopped` once the run is being left."""
    if _leaving.wait(max(seconds, 0.0)):
        raise Stopped("the run is being left")


def _check_leaving() -> None:
    if _leaving.is_set():
        raise _Stop("not sent: the run is being left")


def _pause(seconds: float, why: str, max_wait: float) -> None:
    """Sleep `seconds`, or `_Stop` when that is longer than `max_wait` or the deadline left."""
    if seconds > max_wait:
        raise _Stop(
            f"asked to wait {_seconds(seconds)} s ({why}), "
            f"more than max_wait {_seconds(max_wait)} s"
        )
    deadline = _current()
    if deadline is not None and seconds > deadline.remaining():
        raise _Stop(
            f"a wait of {_seconds(seconds)} s ({why}) would pass "
            f"request_deadline {_seconds(deadline.seconds)} s"
        )
    if seconds > 0 and _leaving.wait(seconds):
        raise _Stop(f"a wait ({why}) was cut short: the run is being left")


# --- retries and waits --------------------------------------------------------


def retry_after(header: str | None) -> float | None:
    """Seconds a Retry-After header asks for (not capped: a long wait must be seen), or None."""
    if header is None:
        return None
    text = header.strip()
    if re.fullmatch(r"[0-9]+", text):
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - datetime.now(timezone.utc)).total_seconds())


class LimitedRetry(Retry):
    """urllib3's Retry that never waits longer than `max_wait` nor retries after the deadline."""

    def __init__(self, *args: Any, max_wait: float = 120, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kwargs: Any) -> LimitedRetry:
        retry = super().new(**kwargs)
        retry.max_wait = self.max_wait
        return retry

    def is_exhausted(self) -> bool:
        deadline = _current()
        return super().is_exhausted() or (deadline is not None and deadline.passed())

    def get_backoff_time(self) -> float:
        return min(super().get_backoff_time(), self.max_wait)

    def get_retry_after(self, response: Any) -> float | None:
        return retry_after(response.headers.get("Retry-After"))

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: Any = None,
    ) -> LimitedRetry:
        """urllib3's, and a host's request to wait holds this thread's `HostGate`, if any,
        also when no retry is left."""
        try:
            retry = super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            self._hold_gate(response, None)
            raise
        self._hold_gate(response, retry)
        return retry

    def _hold_gate(self, response: BaseHTTPResponse | None, retry: LimitedRetry | None) -> None:
        gate = _current_gate()
        if gate is None or response is None:
            return
        if response.status in self.RETRY_AFTER_STATUS_CODES:
            wait = self.get_retry_after(response)
            if wait is not None:
                gate.hold(wait, "Retry-After")
                return
        if response.status == 429 and retry is not None:  # too many requests: slow down
            gate.hold(retry.get_backoff_time(), "backoff")

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        super().sleep(response)
        _await_gate(self.max_wait)  # another thread's answer may ask for more

    def sleep_for_retry(self, response: Any) -> bool:
        wait = self.get_retry_after(response)
        if not wait:
            return False
        self._wait(wait, "Retry-After")
        return True

    def _sleep_backoff(self) -> None:
        self._wait(self.get_backoff_time(), "backoff")

    def _wait(self, seconds: float, why: str) -> None:
        _pause(seconds, why, self.max_wait)


# --- the adapter --------------------------------------------------------------


class LimitedAdapter(HTTPAdapter):
    """An HTTPAdapter that enforces `Limits` on every request sent through it."""

    def __init__(self, limits: Limits, retry: LimitedRetry) -> None:
        self.limits = limits
        super().__init__(max_retries=retry)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _watch_pools(manager)
        return manager

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        with deadline_scope(self.limits):
            try:
                _await_gate(self.limits.max_wait)  # a wait there ends once the run is left
                _check_leaving()
                return super().send(request, *args, **kwargs)
            except _Stop as stop:
                raise LimitExceeded(str(stop), request=request) from None

    def build_response(self, req: requests.PreparedRequest, resp: Any) -> requests.Response:
        response = super().build_response(req, resp)
        response._content = _read_capped(response, self.limits.max_answer_bytes)
        return response


def _read_capped(response: requests.Response, limit: int) -> bytes:
    """The whole (decompressed) body, or `LimitExceeded` as soon as it passes `limit` bytes."""
    body = bytearray()
    for chunk in response.iter_content(CHUNK):
        body += chunk
        if len(body) > limit:
            response.close()
            raise LimitExceeded(
                f"answered more than {limit} bytes (max_answer_bytes)", response=response
            )
    return bytes(body)
