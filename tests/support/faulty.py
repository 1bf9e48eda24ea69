"""HTTP servers on 127.0.0.1 that answer too much: the faulty endpoints of issue 27.

* :class:`StreamingServer` answers every request 200 with a body made on the fly by a
  generator (no ``Content-Length``: the body ends when the connection closes), as fast
  as the client reads it: an endless body, or a valid answer larger than pickg reads.
* :func:`endless_results` and :func:`many_results` are such bodies in SPARQL JSON results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

from tests.support.servers import LoopbackServer

_HEAD = b'{"head": {"vars": ["s", "label"]}, "results": {"bindings": ['
_ROW = (
    b'{"s": {"type": "uri", "value": "https://example.org/thing/%07d"}, '
    b'"label": {"type": "literal", "value": "a thing of the endless answer", "xml:lang": "en"}}'
)


def endless_results() -> Iterator[bytes]:
    """SPARQL JSON results that never end."""
    yield _HEAD
    number = 0
    while True:
        yield b",".join(_ROW % (number + i) for i in range(500)) + b","
        number += 500


def many_results(size: int) -> Callable[[], Iterator[bytes]]:
    """Valid SPARQL JSON results of a little over ``size`` bytes."""

    def body() -> Iterator[bytes]:
        yield _HEAD
        sent, number = len(_HEAD), 0
        while sent < size:
            chunk = b",".join(_ROW % (number + i) for i in range(500))
            yield (b"," if number else b"") + chunk
            sent += len(chunk) + 1
            number += 500
        yield b"]}}"

    return body


class StreamingServer(LoopbackServer):
    """Answers every request 200 with ``body()``, streamed, then closes the connection;
    ``headers`` are sent too (a ``Content-Length`` that lies, say)."""

    def __init__(
        self,
        body: Callable[[], Iterator[bytes]],
        content_type: str = "application/sparql-results+json",
        headers: dict[str, str] | None = None,
    ) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    for chunk in body():
                        self.wfile.write(chunk)
                except OSError:  # the client stopped reading: what it should do
                    pass

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(Handler, daemon_threads=True)
