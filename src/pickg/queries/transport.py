"""HTTP for pickg: the one client of the SPARQL protocol and of the Graph Store Protocol.

* :class:`Credentials` come from the environment (:meth:`Credentials.from_env`), never
  from the command line, so they stay out of shell histories and process lists; they
  are sent as HTTP basic, a bearer token, or HTTP digest when the server asks for it.
* :func:`exchange` sends one request and reads its answer (:class:`Answer`), whole or
  through a reader given the body as a stream: :mod:`pickg.queries.client` POSTs queries
  with it (SPARQL 1.1 Protocol) and :mod:`pickg.endpoints.push` PUTs a release's file
  (Graph Store Protocol). An answer is read :data:`CHUNK` bytes at a time, at most
  ``max_bytes`` of it (:data:`DEFAULT_MAX_ANSWER` unless raised), and not past the
  request's deadline: an endless or huge body is cut off at once, never held.
* A redirect is followed to another http(s) URL only; a redirect elsewhere, or in a
  loop, is refused naming the server that sent it.
* :func:`within_deadline` bounds a whole request (connection, headers, body and what the
  reader makes of it), which urllib's per-operation timeout does not.

It is the standard library's :mod:`urllib.request`, used as documented, with no
process-wide state: ``docs/architecture.md`` says why SPARQLWrapper was left.
"""

from __future__ import annotations

import base64
import functools
import http.client
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import IO, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from pickg.graph.errors import EndpointResponseError, EndpointTimeoutError, InputError
from pickg.graph.inputs import describe_size
from pickg.graph.messages import reader_language, translate

__all__ = [
    "CHUNK",
    "DEFAULT_MAX_ANSWER",
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "Answer",
    "Body",
    "Credentials",
    "deadline_passed",
    "exchange",
    "too_large",
    "user_agent",
    "within_deadline",
]

T = TypeVar("T")

#: Environment variables holding the credentials (basic auth, or a bearer token).
ENV_USER = "PICKG_ENDPOINT_USER"
ENV_PASSWORD = "PICKG_ENDPOINT_PASSWORD"
ENV_TOKEN = "PICKG_ENDPOINT_TOKEN"
#: The largest answer read from a server unless raised (``--max-answer-size``): 32 MiB,
#: some 200,000 rows of two terms in SPARQL JSON, ten times the whole graph of a release
#: as SPARQL JSON results. Rows are read as they arrive, so the bytes are never held
#: whole; the rows themselves are: an answer refused at this size took pickg to a peak
#: of ~150 MB (``tests/cli/test_hostile_endpoints.py`` holds it under 300 MB).
DEFAULT_MAX_ANSWER = 32 * 1024**2
#: Bytes read from an answer at a time, the deadline and the size checked between reads.
CHUNK = 1 << 16


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: a user and password (HTTP basic, or digest when the server
    asks for it) or a bearer token."""

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Credentials:
        """Read ``PICKG_ENDPOINT_USER``/``PICKG_ENDPOINT_PASSWORD`` or ``PICKG_ENDPOINT_TOKEN``.

        :raises InputError: a user without a password (or the reverse), or both a
            token and a user.
        """
        environ = os.environ if environ is None else environ
        user = environ.get(ENV_USER) or None
        password = environ.get(ENV_PASSWORD) or None
        token = environ.get(ENV_TOKEN) or None
        if token and (user or password):
            raise InputError(
                f"both {ENV_TOKEN} and {ENV_USER}/{ENV_PASSWORD} are set; "
                "unset one of them, since a request carries a single kind of credentials"
            )
        if bool(user) != bool(password):
            have, missing = (ENV_USER, ENV_PASSWORD) if user else (ENV_PASSWORD, ENV_USER)
            raise InputError(f"{have} is set but {missing} is not; set both for HTTP basic authentication, or neither")
        return cls(user=user, password=password, token=token)

    def authorization(self) -> str | None:
        """The ``Authorization`` header value, or None without credentials."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user and self.password:
            pair = f"{self.user}:{self.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    def describe(self) -> str:
        """Which credentials were sent, without the secret, for error messages."""
        if self.token:
            return f"the bearer token of {ENV_TOKEN}"
        if self.user:
            return f"the user {self.user!r} of {ENV_USER}"
        return f"no credentials (set {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN})"


@functools.cache
def user_agent() -> str:
    """The ``User-Agent`` of pickg's requests: ``pickg/VERSION``."""
    from pickg.graph.workspace import package_version

    return f"pickg/{package_version()}"


@dataclass(frozen=True)
class Answer:
    """A server's answer to a request that succeeded (a 2xx status)."""

    status: int
    #: the media type of the body, without its parameters (``text/plain`` when none is given)
    media_type: str
    #: the whole body, when no reader was given (empty otherwise)
    body: bytes
    #: the URL that answered: the last one, after redirects
    url: str
    #: what the reader made of the body, when one was given
    content: object = None


class Body:
    """An answer's body as a stream that ends its reading at a size and at a deadline.

    :param stream: the HTTP response.
    :param url: the URL that answered, for messages.
    :param max_bytes: the most bytes read; one more is refused.
    :param deadline: a :func:`time.monotonic` time after which no more is read.
    :param timeout: the ``--timeout`` the deadline comes from, for messages.
    """

    #: How many of the last bytes read are kept (:attr:`tail`).
    TAIL = 256

    def __init__(self, stream: IO[bytes], url: str, max_bytes: int, deadline: float | None, timeout: float) -> None:
        self._stream = stream
        self.url = url
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.timeout = timeout
        self.size = 0
        #: the last bytes read: what a server that stopped mid-answer wrote last
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        """At most ``size`` bytes (:data:`CHUNK` when -1), fewer when fewer have come.

        :raises EndpointResponseError: the answer passed ``max_bytes``.
        :raises EndpointTimeoutError: the deadline passed.
        """
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise deadline_passed(self.url, self.timeout)
        wanted = CHUNK if size is None or size < 0 else min(size, CHUNK)
        read1 = getattr(self._stream, "read1", None)
        chunk = bytes(read1(wanted) if read1 is not None else self._stream.read(wanted))
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise too_large(self.url, self.max_bytes)
        self.tail = (self.tail + chunk)[-self.TAIL :]
        return chunk

    def readall(self) -> bytes:
        """Everything left, within the size and the deadline."""
        chunks = []
        while chunk := self.read():
            chunks.append(chunk)
        return b"".join(chunks)


def too_large(url: str, max_bytes: int) -> EndpointResponseError:
    """The error for an answer larger than ``max_bytes``."""
    return EndpointResponseError(
        translate(reader_language(), "endpoint.too_large", url=url, limit=describe_size(max_bytes))
    )


def deadline_passed(url: str, timeout: float) -> EndpointTimeoutError:
    """The error for a request that ran past its ``--timeout``."""
    return EndpointTimeoutError(translate(reader_language(), "endpoint.timeout", url=url, seconds=timeout))


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only; a redirect elsewhere or in a loop is
    refused naming the server that sent it, not its target."""

    def http_error_302(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: http.client.HTTPMessage
    ) -> Any:
        location = headers.get("Location") or headers.get("URI")
        target = urljoin(req.full_url, location) if location else None
        if target is not None and urlsplit(target).scheme not in ("http", "https"):
            fp.close()
            raise EndpointResponseError(
                translate(
                    reader_language(), "endpoint.redirect_not_http", url=req.full_url, code=code, target=repr(target)
                )
            )
        try:
            return super().http_error_302(req, fp, code, msg, headers)
        except urllib.error.HTTPError as error:
            if error.code != code or self.inf_msg not in str(error.msg):
                raise
            error.close()
            target = headers.get("Location") or headers.get("URI") or "?"
            raise EndpointResponseError(
                translate(
                    reader_language(),
                    "endpoint.redirect_loop",
                    url=req.full_url,
                    code=code,
                    target=target,
                    most=self.max_redirections,
                    repeats=self.max_repeats,
                )
            ) from None

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_Redirects())


def _digest_challenge(headers: Message | None) -> str | None:
    """The ``Digest …`` challenge among a 401 answer's ``WWW-Authenticate`` headers, or None."""
    found = headers.get_all("WWW-Authenticate", []) if headers is not None else []
    return next((str(challenge) for challenge in found if challenge.lower().startswith("digest ")), None)


def _asked_challenge(url: str, timeout: float) -> str | None:
    """The digest challenge a server answers a ``HEAD`` without credentials with, or None.

    Asked before a file is sent: a server that wants digest (Virtuoso) refuses a basic
    header without saying why, and closes the connection while a large body is still
    being written.
    """
    probe = urllib.request.Request(url, method="HEAD", headers={"User-Agent": user_agent()})
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        error.close()
        return _digest_challenge(error.headers) if error.code == 401 else None
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return None  # the request itself will say what is wrong


def _digest_authorization(request: urllib.request.Request, challenge: str, credentials: Credentials) -> str | None:
    """The ``Authorization`` value answering ``challenge`` for ``request`` (RFC 7616), by
    :class:`urllib.request.HTTPDigestAuthHandler`; None for an algorithm it does not know."""
    if not (credentials.user and credentials.password):
        return None
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, request.full_url, credentials.user, credentials.password)
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[len("digest ") :]))
    answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
    return f"Digest {answer}" if answer else None


def exchange(
    url: str,
    *,
    method: str = "GET",
    body: bytes | Path | None = None,
    headers: Mapping[str, str] | None = None,
    credentials: Credentials | None = None,
    timeout: float,
    max_bytes: int = DEFAULT_MAX_ANSWER,
    deadline: float | None = None,
    reader: Callable[[Body, str], object] | None = None,
) -> Answer:
    """Send one request and read its answer, whole or through ``reader``.

    With a user and password the request carries HTTP basic; a server that refuses it
    (401) and asks for digest, in that answer or in its answer to a ``HEAD`` without
    credentials (Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` take only
    digest, and refuse basic without saying so), gets the request again, answering the
    challenge. A file is sent only once the server has said which it wants: the
    ``HEAD`` asks first (see :func:`_asked_challenge`).

    :param body: the bytes to send, or a file, streamed from disk (opened again when the
        request is sent again).
    :param headers: more headers (``Content-Type``, ``Accept``).
    :param timeout: seconds each socket operation may take (see :func:`within_deadline`
        for the whole request).
    :param max_bytes: the most bytes of the answer read.
    :param deadline: a :func:`time.monotonic` time after which no more of the answer is read.
    :param reader: makes something of the body (a stream) and its media type, under the
        same bounds: the result is the answer's ``content``, its ``body`` stays empty.
    :raises EndpointResponseError: the answer passed ``max_bytes``; a redirect to
        something else than http(s), or in a loop.
    :raises EndpointTimeoutError: the deadline passed while the answer was read.
    :raises urllib.error.HTTPError: an error status; its body can still be read.
    :raises urllib.error.URLError: the request failed (no connection, a dropped one…);
        also :class:`OSError` and :class:`http.client.HTTPException`.
    """
    credentials = credentials if credentials is not None else Credentials()
    password = bool(credentials.user and credentials.password)
    challenge = _asked_challenge(url, timeout) if password and isinstance(body, Path) else None
    bounds = _Bounds(timeout, max_bytes, deadline, reader)
    try:
        return _exchange_once(url, method, body, headers or {}, credentials, bounds, challenge)
    except urllib.error.HTTPError as error:
        if error.code != 401 or not password or challenge is not None:
            raise
        # Virtuoso refuses basic with a bare 401: the challenge is then asked for.
        asked = _digest_challenge(error.headers) or _asked_challenge(url, timeout)
        if asked is None:
            raise
        error.close()
    return _exchange_once(url, method, body, headers or {}, credentials, bounds, asked)


@dataclass(frozen=True)
class _Bounds:
    timeout: float
    max_bytes: int
    deadline: float | None
    reader: Callable[[Body, str], object] | None


def _exchange_once(
    url: str,
    method: str,
    body: bytes | Path | None,
    headers: Mapping[str, str],
    credentials: Credentials,
    bounds: _Bounds,
    challenge: str | None,
) -> Answer:
    stream = body.open("rb") if isinstance(body, Path) else None
    try:
        data: IO[bytes] | bytes | None = stream if isinstance(body, Path) else body
        request = urllib.request.Request(url, data=data, method=method, headers={"User-Agent": user_agent()})
        for name, value in headers.items():
            request.add_header(name, value)
        if isinstance(body, Path):
            request.add_header("Content-Length", str(body.stat().st_size))
        digest = _digest_authorization(request, challenge, credentials) if challenge is not None else None
        if digest is not None:
            request.add_unredirected_header("Authorization", digest)
        elif authorization := credentials.authorization():
            request.add_header("Authorization", authorization)
        with _OPENER.open(request, timeout=bounds.timeout) as response:
            final = response.geturl() or url
            media_type = response.headers.get_content_type()
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > bounds.max_bytes:
                raise too_large(final, bounds.max_bytes)
            received = Body(response, final, bounds.max_bytes, bounds.deadline, bounds.timeout)
            if bounds.reader is not None:
                content = bounds.reader(received, media_type)
                return Answer(int(response.status), media_type, b"", final, content)
            return Answer(int(response.status), media_type, received.readall(), final)
    finally:
        if stream is not None:
            stream.close()


def within_deadline(url: str, deadline: float, timeout: float, call: Callable[[], T]) -> T:
    """``call()`` in a helper thread, given up on at ``deadline`` (a :func:`time.monotonic` time).

    urllib's timeout bounds each socket operation, not the request: a server that
    sends a byte a second never trips it. The thread is a daemon, left to end with
    its socket; what it raises is raised here.

    :raises EndpointTimeoutError: the deadline passed first, naming ``url``.
    """
    answers: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            answers.append(call())
        except BaseException as exc:  # raised again in the caller
            errors.append(exc)

    worker = threading.Thread(target=target, name="pickg-request", daemon=True)
    worker.start()
    worker.join(max(deadline - time.monotonic(), 0.0))
    if not answers and not errors:
        raise deadline_passed(url, timeout)
    if errors:
        raise errors[0]
    return answers[0]
