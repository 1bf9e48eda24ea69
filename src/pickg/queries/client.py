"""Run SPARQL queries on a remote SPARQL 1.1 endpoint (the SPARQL 1.1 Protocol).

* :class:`Endpoint` says where and how: URL, timeout, number of tries, credentials.
* :func:`run` POSTs a query (``query=`` in an URL-encoded form, answers asked for by
  ``Accept``) with its parameters bound as a ``VALUES`` block of RDF
  terms (:mod:`pickg.graph.bindings`), retries with exponential back-off on 5xx answers and
  dropped connections, and turns the answer into an rdflib
  :class:`~rdflib.query.Result` (:mod:`pickg.queries.answers`) whose terms carry the same
  datatypes and languages as a local query's, so both render identically. Rows are
  read as they arrive, within the endpoint's ``max_answer`` bytes and its ``timeout``,
  which covers everything from connecting to the last row read.
* A query the server stopped at its own time limit (``pickg serve`` answers 504;
  Oxigraph itself ends its answer with its cancellation notice) is said to be so.
* Every failure becomes an :class:`~pickg.graph.errors.EndpointError` child whose message
  names the URL, what happened and what to do.

Sending a request, credentials and the deadline of a whole request are
:mod:`pickg.queries.transport`'s (its names re-exported here); :mod:`pickg.endpoints.push`
sends its Graph Store Protocol upload through the same :func:`with_retries`.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.error
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from rdflib import Variable
from rdflib.query import Result
from rdflib.term import Identifier

from pickg.graph.bindings import bind_values, query_form
from pickg.graph.errors import (
    EndpointError,
    EndpointHTTPError,
    EndpointResponseError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    InputError,
)
from pickg.graph.messages import reader_language, translate
from pickg.queries.answers import ACCEPT_RDF, ACCEPT_RESULTS, JSON_TYPES, RDF_TYPES, read_graph, stream_select
from pickg.queries.transport import (
    DEFAULT_MAX_ANSWER,
    ENV_PASSWORD,
    ENV_TOKEN,
    ENV_USER,
    Answer,
    Body,
    Credentials,
    exchange,
    within_deadline,
)

__all__ = [
    "CANCELLED_NOTICE",
    "DEFAULT_MAX_ANSWER",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TRIES",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "Answer",
    "Credentials",
    "Endpoint",
    "STOPPED_STATUS",
    "check_url",
    "classify",
    "endpoint_hint",
    "failed_url",
    "http_error",
    "run",
    "stopped_for_time",
    "exchange",
    "with_retries",
    "within_deadline",
]

#: Seconds a query may take in all: connecting, the headers and the whole body of every
#: attempt, and the pauses between attempts. A body that trickles in byte by byte is
#: cut off at this deadline too.
DEFAULT_TIMEOUT = 30.0
#: Attempts per request: the first one and the retries after a 5xx or a dropped connection.
DEFAULT_TRIES = 3
#: The longest pause between two attempts, whatever the server's Retry-After says; a
#: pause that would end past the query's deadline (``--timeout``) is not taken: the
#: last error is raised at once instead.
MAX_PAUSE = 30.0

#: What Oxigraph writes at the end of an answer it stopped at its time limit (``--timeout-s``).
CANCELLED_NOTICE = b"The SPARQL operation has been cancelled"
#: The status ``pickg serve`` answers a query Oxigraph stopped at its time limit with.
STOPPED_STATUS = 504

_DROPPED = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.RemoteDisconnected)


def endpoint_hint() -> str:
    """What a SPARQL query endpoint URL looks like for the common stores."""
    return (
        "for Oxigraph it is http://HOST:7878/query, for Fuseki http://HOST:3030/DATASET/sparql, "
        "for GraphDB http://HOST:7200/repositories/REPOSITORY, "
        "for Virtuoso http://HOST:8890/sparql?default-graph-uri=GRAPH"
    )


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL query endpoint and how to talk to it.

    :param url: the query endpoint (``http://…/query`` for Oxigraph).
    :param timeout: seconds the whole query may take: connection, headers and body of
        every attempt, and the pauses between them.
    :param tries: attempts before giving up on 5xx answers and dropped connections.
    :param backoff: the pause after the first failed attempt, doubled after each one.
    :param credentials: how to authenticate.
    :param max_answer: the most bytes of an answer read (``--max-answer-size``).
    :param until: a :func:`time.monotonic` time no query on this endpoint runs past,
        whatever its own ``timeout``: one ``--timeout`` for all the requests of a command
        (the query, then the labels of its IRIs).
    :raises InputError: a URL that is not http(s), a timeout or tries below the minimum.
    """

    url: str
    timeout: float = DEFAULT_TIMEOUT
    tries: int = DEFAULT_TRIES
    backoff: float = 0.5
    credentials: Credentials = field(default_factory=Credentials)
    max_answer: int = DEFAULT_MAX_ANSWER
    until: float | None = None

    def __post_init__(self) -> None:
        check_url(self.url, "endpoint")
        if not self.timeout > 0:
            raise InputError(f"the timeout must be a positive number of seconds, not {self.timeout}")
        if self.tries < 1:
            raise InputError(f"the number of tries must be at least 1, not {self.tries}")
        if self.max_answer < 1:
            raise InputError(f"the largest answer must be a positive number of bytes, not {self.max_answer}")


def check_url(url: str, what: str) -> None:
    """Refuse anything but an absolute http(s) URL.

    :raises InputError: naming the URL and the expected form.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not an http(s) URL; give the {what}'s full URL, e.g. http://127.0.0.1:7878/query")


# --- sending, with retries -------------------------------------------------------------------


class _Transient(Exception):
    """A failure worth another attempt; ``final`` is the error to raise if none is left."""

    def __init__(self, final: EndpointError, pause: float | None = None) -> None:
        super().__init__(str(final))
        self.final = final
        self.pause = pause


def _server_message(raw: bytes | str | None) -> str:
    """The server's own words, on one line and not too long."""
    if raw is None:
        return ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "…"


_QUERY_REFUSED = (
    "the server refused the query; if the query runs on the local graph, the store lacks a SPARQL 1.1 "
    "feature it uses, or the URL is not a query endpoint"
)


def http_error(
    url: str,
    status: int,
    message: str,
    credentials: Credentials | None = None,
    bad_request: str = _QUERY_REFUSED,
) -> EndpointHTTPError:
    """The error for an HTTP error status: what the server said and what to do.

    :param bad_request: the advice for a 400 answer, which depends on the request.
    """
    said = f' with "{message}"' if message else ""
    if status == STOPPED_STATUS:
        return stopped_for_time(url, f"HTTP {status}{said}", status, message)
    if status in (401, 403):
        sent = credentials.describe() if credentials else "no credentials"
        advice = f"the request carried {sent}; check them and the account's rights on this store"
    elif status == 400:
        advice = bad_request
    elif status == 404:
        advice = f"check the URL ({endpoint_hint()})"
    elif status == 405:
        advice = "the URL does not accept this method; check that it is the right kind of endpoint"
    elif status >= 500:
        advice = "the server failed; see its log, or try again later"
    else:
        advice = "check the URL and the request"
    return EndpointHTTPError(f"{url} answered HTTP {status}{said}; {advice}", status, message)


def stopped_for_time(url: str, how: str, status: int = 200, message: str = "") -> EndpointHTTPError:
    """The error for a query the server stopped at its own time limit; ``how`` says how
    it said so (its status, or the notice at the end of its answer)."""
    return EndpointHTTPError(translate(reader_language(), "endpoint.stopped", url=url, how=how), status, message)


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return min(float(value), MAX_PAUSE) if value is not None else None
    except ValueError:
        return None


def failed_url(url: str, exc: BaseException) -> str:
    """The URL whose request failed: after redirects, the last one, not ``url``.

    urllib's :class:`~urllib.error.HTTPError` carries the URL of the request that got
    the error status.
    """
    if isinstance(exc, urllib.error.HTTPError):
        final = exc.geturl() or exc.filename
        if isinstance(final, str) and final:
            return final
    return url


def classify(endpoint: Endpoint, exc: BaseException, bad_request: str = _QUERY_REFUSED) -> Exception:
    """Turn a failure of a request to ``endpoint`` into the error to raise, or a
    :class:`_Transient` one.

    :param bad_request: the advice for a 400 answer (see :func:`http_error`).
    """
    url, timeout, credentials = failed_url(endpoint.url, exc), endpoint.timeout, endpoint.credentials
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read()
        except (OSError, http.client.HTTPException):
            body = b""
        error = http_error(url, exc.code, _server_message(body), credentials, bad_request)
        transient = exc.code >= 500 and exc.code != STOPPED_STATUS  # the same query would stop again
        return _Transient(error, _retry_after(exc.headers)) if transient else error
    reason: BaseException | str = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError | socket.timeout):
        return EndpointTimeoutError(
            f"{url} did not answer within {timeout:g} seconds; the server may be overloaded or the query too heavy: "
            "raise --timeout, or check the server"
        )
    if isinstance(reason, _DROPPED):
        return _Transient(
            EndpointUnreachableError(
                f"{url} dropped the connection before answering ({reason.__class__.__name__}); "
                "check that the server is up and that the URL points at a SPARQL endpoint"
            )
        )
    if isinstance(reason, ssl.SSLError):
        return EndpointUnreachableError(
            f"{url}: the TLS handshake failed ({reason}); check the certificate or use the right scheme (http/https)"
        )
    if isinstance(reason, socket.gaierror):
        return EndpointUnreachableError(f"{url}: the host name cannot be resolved; check the spelling of the URL")
    if isinstance(reason, OSError | urllib.error.URLError):
        detail = getattr(reason, "strerror", None) or str(reason)
        return EndpointUnreachableError(
            f"cannot connect to {url} ({detail}); check that the server is running and listening on that host "
            "and port, and that the URL is right"
        )
    if isinstance(reason, http.client.HTTPException):
        return EndpointResponseError(
            f"{url} did not answer in HTTP ({reason.__class__.__name__}); check the host, the port and the scheme"
        )
    return EndpointError(f"{url}: the request failed ({exc}); check the URL and the server")


def with_retries(
    endpoint: Endpoint,
    attempt: Callable[[], Any],
    sleep: Callable[[float], None] = time.sleep,
    bad_request: str = _QUERY_REFUSED,
    deadline: float | None = None,
) -> Any:
    """Call ``attempt`` until it succeeds, retrying transient failures with back-off.

    The pause is the back-off or the server's ``Retry-After``, whichever is longer, at
    most :data:`MAX_PAUSE`; with a ``deadline`` (a :func:`time.monotonic` time), a pause
    that would end past it is not taken and the last error is raised at once.

    :param endpoint: gives the URL, timeout, tries, back-off and credentials.
    :param attempt: sends one request and returns its outcome.
    :param sleep: how to pause (a parameter for tests).
    :param bad_request: the advice for a 400 answer (see :func:`http_error`).
    :raises EndpointError: the classified failure, after the last attempt if transient.
    """
    pause = endpoint.backoff
    for number in range(1, endpoint.tries + 1):
        try:
            return attempt()
        except (OSError, http.client.HTTPException) as exc:  # urllib's URLError and HTTPError are OSErrors
            error = classify(endpoint, exc, bad_request)
        if not isinstance(error, _Transient):
            raise error
        wait = min(max(pause, error.pause or 0.0), MAX_PAUSE)
        late = deadline is not None and time.monotonic() + wait >= deadline
        if number == endpoint.tries or late:
            final = error.final
            tries = "once" if number == 1 else f"{number} times"
            note = f"tried {tries}"
            if late and number < endpoint.tries:
                note += f"; waiting {wait:g} seconds more would pass the {endpoint.timeout:g}-second --timeout"
            raise type(final)(f"{final.message[:-1]} ({note})", *_extra_args(final)) from None
        sleep(wait)
        pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _extra_args(error: EndpointError) -> tuple[Any, ...]:
    return (error.status, error.server_message) if isinstance(error, EndpointHTTPError) else ()


def _send(endpoint: Endpoint, text: str, form: str, deadline: float) -> Answer:
    """One request of the SPARQL 1.1 Protocol (query via POST, URL-encoded), answered
    and its answer read before ``deadline``."""
    accept = ACCEPT_RESULTS if form in ("SELECT", "ASK") else ACCEPT_RDF
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    body = urlencode({"query": text}).encode("ascii")

    def read(stream: Body, media_type: str) -> Result:
        try:
            return _read(stream, media_type, form)
        except EndpointResponseError:
            if stream.tail.rstrip().endswith(CANCELLED_NOTICE):
                notice = translate(reader_language(), "endpoint.stopped_notice", notice=CANCELLED_NOTICE.decode())
                raise stopped_for_time(stream.url, notice) from None
            raise

    def post() -> Answer:
        return exchange(
            endpoint.url,
            method="POST",
            body=body,
            headers=headers,
            credentials=endpoint.credentials,
            timeout=endpoint.timeout,
            max_bytes=endpoint.max_answer,
            deadline=deadline,
            reader=read,
        )

    return within_deadline(endpoint.url, deadline, endpoint.timeout, post)


def _read(stream: Body, media_type: str, form: str) -> Result:
    """The answer's rows (as they arrive) or graph.

    :raises EndpointResponseError: not the type asked for, or not readable as it.
    """
    url = stream.url
    if form in ("SELECT", "ASK"):
        if media_type not in JSON_TYPES:
            raise EndpointResponseError(
                f"{url} answered with {media_type} instead of SPARQL JSON results; "
                f"check that the URL is the SPARQL query endpoint ({endpoint_hint()})"
            )
        return stream_select(url, stream)
    rdf_format = RDF_TYPES.get(media_type)
    if rdf_format is None:
        raise EndpointResponseError(
            f"{url} answered with {media_type} instead of RDF (Turtle or N-Triples); "
            f"check that the URL is the SPARQL query endpoint ({endpoint_hint()})"
        )
    return read_graph(url, stream.readall(), rdf_format)


def run(
    endpoint: Endpoint,
    query: str,
    bindings: Mapping[str | Variable, Identifier] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Result:
    """Run ``query`` on ``endpoint`` with ``bindings`` and return rdflib's result.

    :param endpoint: where and how.
    :param query: the SPARQL text, prefixes declared.
    :param bindings: parameter → RDF term, joined as a ``VALUES`` block.
    :param sleep: how to pause between attempts (a parameter for tests).
    :returns: a SELECT, ASK or CONSTRUCT :class:`~rdflib.query.Result`.
    :raises InputError: a parameter that cannot be bound.
    :raises EndpointError: unreachable, timeout, HTTP error, wrong content type.
    """
    text = bind_values(query, bindings or {})
    form = query_form(text)
    deadline = time.monotonic() + endpoint.timeout
    if endpoint.until is not None:
        deadline = min(deadline, endpoint.until)
    answer: Answer = with_retries(endpoint, lambda: _send(endpoint, text, form, deadline), sleep, deadline=deadline)
    assert isinstance(answer.content, Result)
    return answer.content
