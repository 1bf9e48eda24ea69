"""The errors pickg raises on purpose.

Every error is a :class:`PickgError` whose ``str()`` is a finished sentence naming the
file or value at fault and what to do about it, so the CLI can print it as is. Each
class carries the process exit code the CLI uses for it (``exit_code``): 1 for data that
does not conform, 2 for bad input or usage.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

__all__ = [
    "EndpointError",
    "EndpointHTTPError",
    "EndpointResponseError",
    "EndpointTimeoutError",
    "EndpointUnreachableError",
    "InputError",
    "NonConformingError",
    "NotFoundError",
    "ParseError",
    "PickgError",
    "QueryTimeoutError",
    "ReadOnlyStoreError",
    "ServerError",
]


class PickgError(Exception):
    """Base of every error pickg raises on purpose; ``str()`` is a finished sentence."""

    #: Exit code of the CLI when this error stops a command.
    exit_code: int = 2

    def __init__(self, message: str) -> None:
        message = message.strip()
        if message and message[-1] not in ".!?":
            message += "."
        super().__init__(message)

    @property
    def message(self) -> str:
        """The finished sentence shown to the user."""
        return str(self.args[0]) if self.args else ""


class ParseError(PickgError):
    """A file is not valid RDF (or not valid SPARQL): names ``path:line:col``.

    :param path: the file at fault.
    :param line: 1-based line of the problem, or ``None`` when unknown.
    :param col: 1-based column of the problem, or ``None`` when unknown.
    :param detail: what is wrong, in the parser's words.
    :param hint: what to do about it.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        line: int | None,
        col: int | None,
        detail: str,
        hint: str = "correct the file there and run the command again",
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.col = col
        self.detail = detail.strip().rstrip(".")
        self.hint = hint
        super().__init__(f"{self.location}: {self.detail}; {hint}")

    @property
    def location(self) -> str:
        """``path:line:col`` (or as much of it as is known)."""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return where


class InputError(PickgError, ValueError):
    """A value the user gave (an option, a parameter, an environment variable) is wrong."""


class QueryTimeoutError(PickgError):
    """A local query ran past its deadline and was stopped."""


class NotFoundError(PickgError):
    """A file, query or release that was asked for does not exist."""


class EndpointError(PickgError):
    """A remote SPARQL endpoint or store could not be reached or refused the request."""


class EndpointUnreachableError(EndpointError):
    """Nothing answers at the URL: connection refused, unknown host, connection reset."""


class EndpointTimeoutError(EndpointError):
    """The endpoint accepted the connection but sent no answer within the timeout."""


class EndpointHTTPError(EndpointError):
    """The endpoint answered with an HTTP error status (4xx or 5xx).

    :param message: the finished sentence, naming the URL and quoting the server.
    :param status: the HTTP status code.
    :param server_message: the server's own words (the body of its answer), if any.
    """

    def __init__(self, message: str, status: int, server_message: str = "") -> None:
        self.status = status
        self.server_message = server_message
        super().__init__(message)


class EndpointResponseError(EndpointError):
    """The endpoint answered 2xx, but not with the content type or content asked for."""


class ReadOnlyStoreError(EndpointError):
    """The store refused to be written to (a read-only server or dataset)."""


class ServerError(PickgError):
    """The local SPARQL server could not be started (port in use, store not loadable)."""


class NonConformingError(PickgError):
    """The data does not conform to the shapes or fails a check; the CLI exits with 1."""

    exit_code = 1
