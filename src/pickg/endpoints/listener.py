"""How ``pickg serve``'s front (:mod:`pickg.endpoints.front`) listens: bounded, so that a
crowd or a slow client cannot exhaust it.

* a listen backlog of :data:`BACKLOG` connections: the standard library's default of 5
  reset 32 of 50 and 76 of 100 queries sent at the same instant (``bench/serve_load.py``);
* at most :data:`MAX_CONNECTIONS` connections answered at once, one thread each; the
  next ones wait in the system's backlog, not in memory here; of them, at most
  :data:`MAX_QUERIES` at Oxigraph at once (the front takes the turns), so that files
  are not queued behind slow queries;
* deadlines on each phase of a connection rather than on each socket operation (which
  a client sending a byte now and then never trips): the request line and headers
  within :data:`HEADER_TIME`, the body within :data:`BODY_TIME`, the whole answer within
  :data:`ANSWER_TIME` (after the query's time limit, for a query).

``docs/architecture.md`` gives the figures before and after.
"""

from __future__ import annotations

import io
import socket
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

__all__ = [
    "ANSWER_TIME",
    "BACKLOG",
    "BODY_TIME",
    "HEADER_TIME",
    "MAX_CONNECTIONS",
    "MAX_QUERIES",
    "TURN_TIME",
    "ClientTooSlow",
    "Deadline",
    "Listener",
    "Listener6",
    "Reading",
    "RequestBody",
    "Writing",
]

#: Connections the system queues for the front before it accepts them (``listen``).
BACKLOG = 1024
#: Connections answered at once, one thread each; more wait in the backlog.
MAX_CONNECTIONS = 128
#: Requests forwarded to Oxigraph at once; the others wait for a turn (at most
#: :data:`TURN_TIME`), so that pages and files are not held behind slow queries.
MAX_QUERIES = 16
#: Seconds a request may wait for its turn at Oxigraph before a 503.
TURN_TIME = 60.0
#: Seconds a client has to send its request line and headers, all together.
HEADER_TIME = 10.0
#: Seconds a client has to send its request body (at most :data:`MAX_BODY` bytes).
BODY_TIME = 30.0
#: Seconds the front has to send a whole answer: a file, or a query's answer after the
#: query's time limit (``query_timeout``, 30 s unless ``pickg serve --query-timeout``).
ANSWER_TIME = 90.0


class ClientTooSlow(TimeoutError):
    """A phase of the connection passed its deadline."""


class Deadline:
    """When the current phase of a connection ends; the socket's timeout is set to the
    time left before each of its operations, so a client that sends (or takes) a byte
    now and then cannot stretch a phase beyond it."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection = connection
        self._end = time.monotonic() + seconds

    def restart(self, seconds: float) -> None:
        """A new phase: ``seconds`` from now."""
        self._end = time.monotonic() + seconds

    def arm(self) -> socket.socket:
        """The connection, its timeout set to the time left.

        :raises ClientTooSlow: none is left.
        """
        left = self._end - time.monotonic()
        if left <= 0:
            raise ClientTooSlow("the connection's deadline passed")
        self.connection.settimeout(left)
        return self.connection


class Reading(io.RawIOBase):
    """The connection's bytes, each read within the deadline."""

    def __init__(self, clock: Deadline) -> None:
        self._clock = clock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._clock.arm().recv_into(buffer)


class Writing(io.BufferedIOBase):
    """The connection's answer, each write within the deadline (``sendall`` takes the
    timeout as the bound of the whole write)."""

    def __init__(self, clock: Deadline) -> None:
        self._clock = clock

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._clock.arm().sendall(data)
        return len(data)


class RequestBody:
    """The first ``size`` bytes of a request body, passed on as Oxigraph takes them."""

    def __init__(self, stream: io.BufferedIOBase, size: int) -> None:
        self._stream = stream
        self._left = size

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        chunk = self._stream.read1(self._left if size < 0 else min(size, self._left))
        if not chunk:
            raise ClientTooSlow("the request body ended before its Content-Length")
        self._left -= len(chunk)
        return chunk


class Listener(ThreadingHTTPServer):
    """At most :data:`MAX_CONNECTIONS` connections at once, :data:`BACKLOG` waiting."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = BACKLOG

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.closing = threading.Event()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread for the connection once a slot is free; meanwhile the next
        connections wait in the system's backlog, not in memory here."""
        while not self.slots.acquire(timeout=0.2):
            if self.closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (a closed tab) is no error to report."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class Listener6(Listener):
    address_family = socket.AF_INET6
