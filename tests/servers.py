"""Real servers on 127.0.0.1 for the endpoint tests.

* :func:`oxigraph` runs the Oxigraph server from PyPI (``oxigraph serve`` or
  ``serve-read-only``) on a free port, through :class:`pickg.endpoints.server.Server`.
* :class:`ScriptedServer` is a small HTTP server (``http.server`` in a thread) that
  answers from a script (500 then 200, HTML instead of JSON, 401…), for the failures
  Oxigraph cannot be made to produce on demand. It speaks real HTTP and records the
  requests it received.
* :class:`SilentServer` accepts connections and never answers (a timeout).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pickg.endpoints.server import Server, prepare_store

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on at the moment (the OS's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph(folder: Path, read_only: bool = False) -> Iterator[Server]:
    """The Oxigraph server on a store in ``folder``, on a free port of 127.0.0.1.

    A read-only server needs an existing store: one is loaded with a single triple.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if read_only and not (folder / "store").exists():
        seed = folder.parent / f"{folder.name}-seed.nt"
        seed.write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n", encoding="utf-8")
        prepare_store([seed], folder)
    server = Server(folder / "store", LOOPBACK, free_port(), folder / "oxigraph.log", read_only=read_only)
    server.start()
    try:
        yield server
    finally:
        server.stop()


#: A scripted "status" that closes the connection without answering.
DROP = 0


@dataclass
class Reply:
    """One scripted answer (``status=DROP``: hang up without answering)."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/sparql-results+json"
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(variables: list[str], bindings: list[dict[str, dict[str, str]]]) -> Reply:
    """A 200 answer holding SPARQL JSON results."""
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return Reply(body=json.dumps(document).encode())


@dataclass
class Seen:
    """One request the scripted server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class ScriptedServer:
    """An HTTP server on 127.0.0.1 answering each request with the next scripted reply
    (the last one repeats)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.seen: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                index = min(len(owner.seen), len(owner.replies)) - 1
                reply = owner.replies[index]
                if reply.status == DROP:
                    self.close_connection = True  # hang up without a word
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = do_POST = do_PUT = _answer  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SilentServer:
    """A socket on 127.0.0.1 that accepts connections and never sends a byte."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind((LOOPBACK, 0))
        self.socket.listen(16)
        self.port = int(self.socket.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted.append(connection)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"

    def __enter__(self) -> SilentServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.socket.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        except OSError:
            pass
        self.socket.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The Oxigraph server (read-write) on a free port of 127.0.0.1, for the whole session.

    Tests that need data push it themselves (the release goes to the default graph;
    tests of named graphs use graphs of their own).
    """
    with oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


class TricklingServer:
    """An HTTP server on 127.0.0.1 that sends a valid header, then its body one byte a
    ``pause`` (a slow or hostile endpoint that never trips a per-read timeout)."""

    def __init__(self, pause: float = 0.5, body: bytes = b'{"head": {"vars": []}, "boolean": true}') -> None:
        self.pause = pause
        self.body = body
        self.stopped = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                for byte in owner.body:
                    if owner.stopped.wait(owner.pause):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"

    def __enter__(self) -> TricklingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.httpd.shutdown()
        self.httpd.server_close()
