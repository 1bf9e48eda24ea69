"""The one address of ``pickg serve``: the release's website and its SPARQL endpoint.

The Oxigraph server (:class:`pickg.endpoints.server.Server`) listens on a private port
of 127.0.0.1; :class:`Front` listens on the address the user chose and answers:

* ``/query``, ``/update``, ``/store`` (the SPARQL protocol and the Graph Store
  Protocol): forwarded to Oxigraph as they came, method, body and headers, so its
  ``serve-read-only`` mode refuses every write (403) and its timeout applies. Oxigraph
  answers 200 at once and, when it stops a query at its time limit, ends the body with
  a notice; the front holds the first :data:`HELD` bytes of an answer before passing it
  on, so that such an answer, when it fits there, becomes a
  :data:`pickg.queries.client.STOPPED_STATUS` (504) error a client can recognise, not a
  broken document or a bogus row;
* anything else, when the release has a website (``site/``): the site's files, the site
  at ``/`` (its query page ``/sparql/index.html`` then reaches the endpoint at
  ``../../query``, the same origin), and the release's own files (``/pic.ttl``,
  ``/catalog.ttl``, ``/SHA256SUMS``) where the site links them. Only ``GET`` and
  ``HEAD``; no folder listings; nothing outside the release folder. The path of a
  resource's IRI (``/id/neighbourhood/verdun``, ``/vocab/…``) is negotiated
  (:mod:`pickg.endpoints.negotiation`): its page for a browser (at the folder's path,
  ``…/verdun/``, in the language of ``Accept-Language``), its Turtle, JSON-LD or
  N-Triples for a client whose ``Accept`` asks for them, 406 for anything else;
* anything else, when the release has no website: forwarded to Oxigraph too (its own
  query page at ``/``).

It is the standard library's HTTP server, in a thread of the ``pickg serve`` process,
bounded by :mod:`pickg.endpoints.listener` (connections at once, deadlines per phase of
a connection); a request body is passed on to Oxigraph as it arrives, never held whole.
"""

from __future__ import annotations

import http.client
import io
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pickg.endpoints.listener import (
    ANSWER_TIME,
    BODY_TIME,
    HEADER_TIME,
    MAX_QUERIES,
    TURN_TIME,
    ClientTooSlow,
    Deadline,
    Listener,
    Listener6,
    Reading,
    RequestBody,
    Writing,
)
from pickg.endpoints.negotiation import OFFERED, Representation, is_resource_folder, representation
from pickg.graph.errors import PickgError, ServerError
from pickg.graph.formats import FORMATS
from pickg.queries.client import CANCELLED_NOTICE, STOPPED_STATUS
from pickg.queries.deadline import DEFAULT_QUERY_TIMEOUT

__all__ = ["FORWARDED", "HELD", "MAX_BODY", "SITE_FOLDER", "Front"]

#: The paths answered by Oxigraph (with what follows them: ``/store?default``).
FORWARDED = ("/query", "/update", "/store")
#: The folder of a release that holds its website.
SITE_FOLDER = "site"
#: The largest request body forwarded (bytes); a larger one is refused (413).
MAX_BODY = 16 << 20
#: Request headers passed on to Oxigraph; the others (cookies, credentials) stay here.
_REQUEST_HEADERS = ("Accept", "Content-Type", "Content-Length", "Content-Encoding", "Accept-Language")
#: Response headers that belong to one connection and are not passed back.
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "server", "date"}
#: Bytes of an answer held before it is passed on (see the module's notes).
HELD = 2 << 20
#: Types of the release's files that :mod:`mimetypes` does not know: the RDF formats of
#: :data:`pickg.graph.formats.FORMATS`, and the others.
_TYPES = {
    **{suffix: rdf_format.media_type for suffix, (_, rdf_format) in FORMATS.items()},
    ".rq": "application/sparql-query",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".js": "text/javascript",
    ".json": "application/json",
    "": "text/plain",
}


def _forwarded(path: str) -> bool:
    bare = urlsplit(path).path
    return any(bare == prefix or bare.startswith(prefix + "/") for prefix in FORWARDED)


class _Handler(SimpleHTTPRequestHandler):
    """One request: forwarded to Oxigraph, or a file of the release."""

    server_version = "pickg"
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}
    timeout = HEADER_TIME
    front: Front
    clock: Deadline

    def __init__(self, *args: Any, front: Front, **kwargs: Any) -> None:
        self.front = front
        site = front.release / SITE_FOLDER if front.release is not None else None
        super().__init__(*args, directory=str(site) if site is not None else "", **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # the base class's name
        pass

    def setup(self) -> None:
        """The connection's reads and writes, each phase under its own deadline."""
        super().setup()
        self.clock = Deadline(self.connection, HEADER_TIME)
        self.rfile = io.BufferedReader(Reading(self.clock), 1 << 16)
        self.wfile = Writing(self.clock)

    def parse_request(self) -> bool:
        """The request line and headers have arrived: the answer's deadline starts
        (the body's, when there is one, is set where it is read)."""
        parsed = bool(super().parse_request())
        self.clock.restart(ANSWER_TIME)
        return parsed

    # --- dispatch ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Every method: the forwarded paths go to Oxigraph; the others are the
        website's and the release's files, read-only (GET and HEAD)."""
        files = self.command in ("GET", "HEAD")
        found = self._file() if files and not _forwarded(self.path) else None
        if _forwarded(self.path) or self.front.site is None:
            self._forward()
        elif files and found is None:
            self.send_error(404, "no such page")
        elif found is not None and found.is_dir() and is_resource_folder(found):
            self._negotiate(found)
        elif files and self.command == "GET":
            super().do_GET()
        elif files:
            super().do_HEAD()
        else:
            self.send_error(405, "the website is read-only: only GET and HEAD")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    # --- the release's files ----------------------------------------------------------

    def _file(self) -> Path | None:
        """The file asked for: in the site first, else in the release beside it; None
        when there is none, or the path tries to leave the release (``..``, encoded
        separators, a link pointing outside)."""
        site, release = self.front.site, self.front.release
        if site is None or release is None:
            return None
        parts = [p for p in unquote(urlsplit(self.path).path).split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return None
        for root in (site, release):
            candidate = root.joinpath(*parts)
            try:
                if candidate.exists() and candidate.resolve().is_relative_to(release.resolve()):
                    return candidate
            except (OSError, RuntimeError):  # a name too long, a loop of links
                return None
        return None

    # --- a resource's IRI path ------------------------------------------------------------

    def _negotiate(self, folder: Path) -> None:
        """The resource's page or description, as the request's headers ask."""
        try:
            chosen = representation(folder, self.headers.get("Accept"), self.headers.get("Accept-Language"))
        except PickgError:
            self.send_error(500, "the resource's description in the release cannot be read")
            return
        bare = urlsplit(self.path).path
        if chosen is None:
            self._send_bytes(406, "text/plain; charset=utf-8", f"Available: {', '.join(OFFERED)}.\n".encode())
        elif chosen.page and not bare.endswith("/"):
            self.send_response(303)  # the page is read at the folder's path: its links are relative
            self.send_header("Location", bare + "/")
            self.send_header("Vary", "Accept")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send_representation(chosen, bare)

    def _send_representation(self, chosen: Representation, bare: str) -> None:
        body = chosen.body if chosen.file is None else chosen.file.read_bytes()
        assert body is not None
        kind = f"{chosen.media_type}; charset=utf-8"
        extra = {"Vary": "Accept, Accept-Language" if chosen.page else "Accept"}
        if chosen.file is not None:
            extra["Content-Location"] = bare.rstrip("/") + "/" + chosen.file.name
        self._send_bytes(200, kind, body, extra)

    def _send_bytes(self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path: str) -> str:
        found = self._file()
        assert found is not None  # _dispatch answered 404 otherwise
        return str(found)

    def guess_type(self, path: Any) -> str:
        kind = super().guess_type(path)
        textual = kind.startswith("text/") or kind in ("application/json", "application/ld+json", "image/svg+xml")
        return f"{kind}; charset=utf-8" if textual else kind

    def list_directory(self, path: Any) -> None:
        self.send_error(404, "no such page")
        return None

    # --- forwarding -------------------------------------------------------------------

    def _forward(self) -> None:
        """Forward the request to Oxigraph once a turn is free (:data:`MAX_QUERIES`)."""
        if not self.front.turns.acquire(timeout=TURN_TIME):
            self.send_error(503, f"the SPARQL server is busy: no turn within {TURN_TIME:g} seconds; try again")
            return
        try:
            self._forward_now()
        finally:
            self.front.turns.release()

    def _forward_now(self) -> None:
        length = self.headers.get("Content-Length")
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "send the request body with a Content-Length")
            return
        try:
            size = int(length) if length is not None else 0
        except ValueError:
            self.send_error(400, "the Content-Length is not a number")
            return
        if size < 0 or size > MAX_BODY:
            self.send_error(413, f"the request body is larger than {MAX_BODY} bytes")
            return
        self.clock.restart(BODY_TIME)
        body = RequestBody(self.rfile, size) if size else None
        headers = {name: self.headers[name] for name in _REQUEST_HEADERS if self.headers.get(name) is not None}
        asked = urlsplit(self.path)
        target = asked.path + (f"?{asked.query}" if asked.query else "")
        upstream = http.client.HTTPConnection("127.0.0.1", self.front.upstream_port, timeout=self.front.timeout)
        try:
            upstream.request(self.command, target, body=body, headers=headers)
        except (ValueError, http.client.InvalidURL):  # control characters in the path or a header
            upstream.close()
            self.send_error(400, "the request's path or headers hold characters HTTP does not allow")
            return
        except ClientTooSlow:
            upstream.close()
            self.send_error(408, f"the request body did not arrive within {BODY_TIME:g} seconds")
            return
        except OSError as exc:
            upstream.close()
            self.send_error(502, f"the SPARQL server did not answer ({exc})")
            return
        self.clock.restart(self.front.query_timeout + ANSWER_TIME)
        try:
            answer = upstream.getresponse()
        except TimeoutError:  # Oxigraph does not stop every query at its limit (a large COUNT)
            upstream.close()
            self._stopped()
            return
        except (OSError, http.client.HTTPException) as exc:
            upstream.close()
            self.send_error(502, f"the SPARQL server did not answer ({exc})")
            return
        try:
            held, whole = _held(answer)
            if whole and answer.status == 200 and b"".join(held[-2:]).endswith(CANCELLED_NOTICE):
                self._stopped()
                return
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                for chunk in held:
                    self.wfile.write(chunk)
                for chunk in _chunks(answer) if not whole else ():
                    self.wfile.write(chunk)
        except OSError:
            pass  # the client went away, or Oxigraph stopped mid-answer: nothing more to say
        finally:
            upstream.close()
            self.close_connection = True

    def _stopped(self) -> None:
        """Oxigraph stopped the query at its time limit, or gave no answer 10 seconds
        after it: a 504 saying so, in plain text."""
        limit = self.front.query_timeout
        text = (
            f"The query was stopped at this server's time limit of {limit:g} seconds; "
            "make it more selective or add a LIMIT.\n"
        ).encode()
        self.send_response(STOPPED_STATUS, "Query stopped at the time limit")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(text)


def _held(answer: http.client.HTTPResponse) -> tuple[list[bytes], bool]:
    """The first :data:`HELD` bytes of an answer (or all of it), and whether that is all."""
    chunks, size = [], 0
    for chunk in _chunks(answer):
        chunks.append(chunk)
        size += len(chunk)
        if size >= HELD:
            return chunks, False
    return chunks, True


def _chunks(answer: http.client.HTTPResponse) -> Iterator[bytes]:
    while chunk := answer.read1(1 << 16):
        yield chunk


class Front:
    """The HTTP server ``pickg serve`` listens with, in a thread.

    It listens from the moment it is made (so a taken port fails before anything is
    loaded) and answers from :meth:`start` on.

    :param host: the address to listen on.
    :param port: the port to listen on.
    :param release: the release folder; its ``site/`` is served when it has one.
    :param query_timeout: seconds Oxigraph gives a query (its ``--timeout-s``); the front
        waits 10 seconds more for its answer.
    :raises ServerError: the address cannot be listened on (taken, not of this machine).
    """

    def __init__(
        self, host: str, port: int, release: Path | None, query_timeout: float = DEFAULT_QUERY_TIMEOUT
    ) -> None:
        self.host = host
        self.upstream_port = 0
        self.release = release if release is not None and release.is_dir() else None
        self.query_timeout = query_timeout
        self.timeout = query_timeout + 10
        self.turns = threading.BoundedSemaphore(MAX_QUERIES)
        bare = host.strip("[]")
        listener = Listener6 if ":" in bare else Listener
        try:
            self._server = listener((bare, port), partial(_Handler, front=self))
        except OSError as exc:
            raise ServerError(
                f"cannot listen on {host}:{port} ({exc.strerror}); stop what listens there, "
                "or choose another --host or --port"
            ) from None
        self.port = int(self._server.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def site(self) -> Path | None:
        """The release's website folder, None when it has none."""
        if self.release is None or not (self.release / SITE_FOLDER / "index.html").is_file():
            return None
        return self.release / SITE_FOLDER

    @property
    def url(self) -> str:
        """``http://HOST:PORT/``: the website (or Oxigraph's page when there is none)."""
        bare = self.host.strip("[]")
        return f"http://[{bare}]:{self.port}/" if ":" in bare else f"http://{bare}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint: ``http://HOST:PORT/query``."""
        return self.url + "query"

    @property
    def page_url(self) -> str:
        """The query page: the website's SPARQL editor, else Oxigraph's page."""
        return self.url + "sparql/index.html" if self.site is not None else self.url

    def start(self, upstream_port: int) -> None:
        """Answer requests from now on (in a thread of this process), forwarding the
        SPARQL paths to the Oxigraph server on ``127.0.0.1:upstream_port``."""
        self.upstream_port = upstream_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="pickg-serve-front", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop answering and free the port."""
        if self._thread is not None:
            self._server.closing.set()
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Front:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
