"""The one address of ``pickg serve``: the release's website and its SPARQL endpoint.

The Oxigraph server (:class:`pickg.endpoints.server.Server`) listens on a private port
of 127.0.0.1; :class:`Front` listens on the address the user chose and answers:

* ``/query``, ``/update``, ``/store`` (the SPARQL protocol and the Graph Store
  Protocol): forwarded to Oxigraph as they came, method, body and headers, so its
  ``serve-read-only`` mode refuses every write (403) and its timeout applies;
* anything else, when the release has a website (``site/``): the site's files, the site
  at ``/`` (its query page ``/sparql/index.html`` then reaches the endpoint at
  ``../../query``, the same origin), and the release's own files (``/pic.ttl``,
  ``/catalog.ttl``, ``/SHA256SUMS``) where the site links them. Only ``GET`` and
  ``HEAD``; no folder listings; nothing outside the release folder;
* anything else, when the release has no website: forwarded to Oxigraph too (its own
  query page at ``/``).

It is the standard library's HTTP server, in a thread of the ``pickg serve`` process.
"""

from __future__ import annotations

import http.client
import socket
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pickg.graph.errors import ServerError
from pickg.graph.formats import FORMATS

__all__ = ["FORWARDED", "MAX_BODY", "SITE_FOLDER", "Front"]

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
#: Seconds a client may take to send its request before the connection is dropped.
_CLIENT_TIMEOUT = 60.0
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
    timeout = _CLIENT_TIMEOUT
    front: Front

    def __init__(self, *args: Any, front: Front, **kwargs: Any) -> None:
        self.front = front
        site = front.release / SITE_FOLDER if front.release is not None else None
        super().__init__(*args, directory=str(site) if site is not None else "", **kwargs)

    def log_message(self, format: str, *args: Any) -> None:  # the base class's name
        pass

    # --- dispatch ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Every method: the forwarded paths go to Oxigraph; the others are the
        website's and the release's files, read-only (GET and HEAD)."""
        files = self.command in ("GET", "HEAD")
        if _forwarded(self.path) or self.front.site is None:
            self._forward()
        elif files and self._file() is None:
            self.send_error(404, "no such page")
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
        body = self.rfile.read(size) if size else None
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
        except OSError as exc:
            upstream.close()
            self.send_error(502, f"the SPARQL server did not answer ({exc})")
            return
        try:
            answer = upstream.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            upstream.close()
            self.send_error(502, f"the SPARQL server did not answer ({exc})")
            return
        try:
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                for chunk in _chunks(answer):
                    self.wfile.write(chunk)
        except OSError:
            pass  # the client went away, or Oxigraph stopped mid-answer: nothing more to say
        finally:
            upstream.close()
            self.close_connection = True


def _chunks(answer: http.client.HTTPResponse) -> Iterator[bytes]:
    while chunk := answer.read1(1 << 16):
        yield chunk


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (a closed tab) is no error to report."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Listener6(_Listener):
    address_family = socket.AF_INET6


class Front:
    """The HTTP server ``pickg serve`` listens with, in a thread.

    It listens from the moment it is made (so a taken port fails before anything is
    loaded) and answers from :meth:`start` on.

    :param host: the address to listen on.
    :param port: the port to listen on.
    :param release: the release folder; its ``site/`` is served when it has one.
    :param timeout: seconds to wait for Oxigraph's answer (beyond its own query timeout).
    :raises ServerError: the address cannot be listened on (taken, not of this machine).
    """

    def __init__(self, host: str, port: int, release: Path | None, timeout: float) -> None:
        self.host = host
        self.upstream_port = 0
        self.release = release if release is not None and release.is_dir() else None
        self.timeout = timeout
        bare = host.strip("[]")
        listener = _Listener6 if ":" in bare else _Listener
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
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Front:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
