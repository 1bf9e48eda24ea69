"""Real servers on 127.0.0.1 for the endpoint tests.

* :func:`oxigraph` runs the Oxigraph server from PyPI (``oxigraph serve`` or
  ``serve-read-only``) on a free port, through :class:`pickg.endpoints.server.Server`.
* :class:`ScriptedServer` is a small HTTP server (``http.server`` in a thread) that
  answers from a script (500 then 200, HTML instead of JSON, 401…), for the failures
  Oxigraph cannot be made to produce on demand. It speaks real HTTP and records the
  requests it received.
* :class:`SilentServer` accepts connections and never answers (a timeout).
* :func:`virtuoso` runs Virtuoso Open Source (Debian ``virtuoso-opensource``) on a
  database of its own in a temporary folder, on free ports of 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import quote

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


class _OnLoopback:
    """What every test server on 127.0.0.1 shares: its ``/query`` address, and its thread
    started by ``with``. A subclass sets ``port`` and ``thread`` and stops in ``__exit__``."""

    port: int
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/query"

    def __enter__(self) -> Self:
        self.thread.start()
        return self


class LoopbackServer(_OnLoopback):
    """A threading HTTP server on 127.0.0.1 (a free port) serving one handler class, used
    as a context manager: it serves inside the ``with`` block. Subclasses call
    :meth:`_serve` with their handler at the end of their ``__init__``."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], daemon_threads: bool = False) -> None:
        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), handler)
        self.httpd.daemon_threads = daemon_threads
        self.port = int(self.httpd.server_address[1])
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


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


class ScriptedServer(LoopbackServer):
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

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(Handler)


class SilentServer(_OnLoopback):
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


#: Virtuoso's configuration as Debian installs it; a test server starts from a copy.
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
#: The administrator of a new Virtuoso database (its documented default).
VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"


@dataclass
class Virtuoso:
    """A running Virtuoso: its HTTP port and where its SPARQL services live."""

    http_port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql_url(self) -> str:
        return f"http://{LOOPBACK}:{self.http_port}/sparql"

    def query_url(self, graph: str) -> str:
        """The query endpoint whose default graph is ``graph`` (the protocol's ``default-graph-uri``)."""
        return f"{self.sparql_url}?default-graph-uri={quote(graph, safe='')}"


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    lines = []
    section = ""
    for line in VIRTUOSO_INI.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        key = stripped.split("=", 1)[0].strip()
        line = line.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
        if key == "ServerPort" and section == "[Parameters]":
            line = f"ServerPort = {LOOPBACK}:{sql_port}"
        elif key == "ServerPort" and section == "[HTTPServer]":
            line = f"ServerPort = {LOOPBACK}:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, {folder}"
        elif key in ("NumberOfBuffers", "MaxDirtyBuffers"):
            line = f"{key} = {10000 if key == 'NumberOfBuffers' else 6000}"
        lines.append(line)
    return "\n".join(lines) + "\n"


@contextmanager
def virtuoso(folder: Path, start_timeout: float = 180.0) -> Iterator[Virtuoso]:
    """Virtuoso on a new database in ``folder``; stopped (and its process waited for) on exit.

    Fails, never skips, when Virtuoso is not installed: ``make test-deps`` installs it.
    """
    binary = shutil.which("virtuoso-t")
    if binary is None or not VIRTUOSO_INI.is_file():
        pytest.fail("Virtuoso Open Source is not installed: make test-deps installs it (make test runs it first)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(folder, sql_port, http_port), encoding="utf-8")
    log = folder / "console.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    server = Virtuoso(http_port, process, log)
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"Virtuoso stopped at start-up (exit {process.returncode}): {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{server.sparql_url}?query=ASK%7B%7D", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Virtuoso did not answer within {start_timeout:g} s: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class TricklingServer(LoopbackServer):
    """An HTTP server on 127.0.0.1 that sends a valid header, then its body one byte a
    ``pause`` (a slow or hostile endpoint that never trips a per-read timeout)."""

    def __init__(self, pause: float = 0.5, body: bytes = b'{"head": {"vars": []}, "boolean": true}') -> None:
        self.pause = pause
        self.body = body
        self.stopped = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
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

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(Handler, daemon_threads=True)

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        super().__exit__(*exc)
