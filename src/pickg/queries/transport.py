"""HTTP for the SPARQL client: who a request is from, and how long it may take.

* :class:`Credentials` come from the environment (:meth:`Credentials.from_env`), never
  from the command line, so they stay out of shell histories and process lists; they
  are sent as HTTP basic, a bearer token, or HTTP digest when the server asks for it.
* :func:`within_deadline` bounds a whole request (connection, headers and body), which
  urllib's per-operation timeout does not.

Used by :mod:`pickg.queries.client` (queries) and :mod:`pickg.endpoints.push` (uploads).
"""

from __future__ import annotations

import base64
import http.client
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pickg.graph.errors import EndpointTimeoutError, InputError

__all__ = ["ENV_PASSWORD", "ENV_TOKEN", "ENV_USER", "Credentials", "open_with_credentials", "within_deadline"]

#: Environment variables holding the credentials (basic auth, or a bearer token).
ENV_USER = "PICKG_ENDPOINT_USER"
ENV_PASSWORD = "PICKG_ENDPOINT_PASSWORD"
ENV_TOKEN = "PICKG_ENDPOINT_TOKEN"

#: What a call run within a deadline gives back.
_T = TypeVar("_T")


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


def _digest_challenge(url: str, timeout: float) -> str | None:
    """The digest challenge a server answers a ``HEAD`` without credentials with, or None.

    Asked before a body is sent: a server that wants digest (Virtuoso) refuses a basic
    header without saying why, and closes the connection while a large body is still
    being written.
    """
    probe = urllib.request.Request(url, method="HEAD")  # no credentials: the challenge says which kind
    try:
        with urllib.request.urlopen(probe, timeout=timeout):
            return None
    except urllib.error.HTTPError as error:
        challenge = (error.headers.get("WWW-Authenticate") or "") if error.headers else ""
        error.close()
        return challenge if error.code == 401 and challenge.lower().startswith("digest ") else None
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return None  # the request itself will say what is wrong


def open_with_credentials(
    make_request: Callable[[], urllib.request.Request], credentials: Credentials, timeout: float
) -> Any:
    """Open a request with ``credentials``: a bearer token or HTTP basic, or HTTP digest
    when the server asks for it (Virtuoso's ``/sparql-graph-crud-auth`` takes only
    digest). With a user and password, a ``HEAD`` asks first which one the server wants.

    :param make_request: builds the request to send.
    :returns: the response, as :func:`urllib.request.urlopen` gives it.
    :raises urllib.error.HTTPError: as ``urlopen``.
    """
    request = make_request()
    user, password = credentials.user, credentials.password
    if user and password:
        challenge = _digest_challenge(request.full_url, timeout)
        if challenge is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, request.full_url, user, password)
            fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[len("digest ") :]))
            answer = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
            return urllib.request.urlopen(request, timeout=timeout)
    authorization = credentials.authorization()
    if authorization:
        request.add_header("Authorization", authorization)
    return urllib.request.urlopen(request, timeout=timeout)


def within_deadline(url: str, deadline: float, timeout: float, call: Callable[[], _T]) -> _T:
    """``call()`` in a helper thread, given up on at ``deadline`` (a :func:`time.monotonic` time).

    urllib's timeout bounds each socket operation, not the request: a server that
    sends a byte a second never trips it. The thread is a daemon, left to end with
    its socket; what it raises is raised here.

    :raises EndpointTimeoutError: the deadline passed first, naming ``url``.
    """
    answers: list[_T] = []
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
        raise EndpointTimeoutError(
            f"{url} did not answer within {timeout:g} seconds (connection, headers and whole body together); "
            "the server may be overloaded, too slow or the query too heavy: raise --timeout, or check the server"
        )
    if errors:
        raise errors[0]
    return answers[0]
