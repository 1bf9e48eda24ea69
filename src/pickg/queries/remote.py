"""The catalogue's backend for a remote SPARQL 1.1 endpoint.

:class:`RemoteBackend` has the ``select(query_text, bindings)`` method of
:class:`pickg.queries.execution.Backend`: ``run_query(name, endpoint=URL)`` builds one from the
URL (credentials from the environment), and a caller that wants another timeout or
number of tries builds its own and passes ``backend=``. The work is done by
:mod:`pickg.queries.client`; the rows come back as a :class:`pickg.queries.results.Result`, the same
type and the same terms a local graph gives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from rdflib.term import Identifier, Variable

from pickg.graph.errors import EndpointResponseError
from pickg.queries.client import (
    DEFAULT_MAX_ANSWER,
    DEFAULT_TIMEOUT,
    DEFAULT_TRIES,
    Credentials,
    Endpoint,
    endpoint_hint,
    run,
)
from pickg.queries.results import Result, solution_rows

__all__ = ["RemoteBackend"]


class RemoteBackend:
    """Runs catalogue queries on a SPARQL endpoint, parameters bound as a ``VALUES`` block.

    :param url: the query endpoint (``http://HOST:7878/query`` for Oxigraph).
    :param timeout: seconds to wait for an answer.
    :param tries: attempts on 5xx answers and dropped connections.
    :param credentials: how to authenticate; read from the environment if None
        (``PICKG_ENDPOINT_USER``/``PICKG_ENDPOINT_PASSWORD`` or ``PICKG_ENDPOINT_TOKEN``).
    :param sleep: how to pause between attempts (a parameter for tests).
    :param max_answer: the most bytes of an answer read (``--max-answer-size``).
    :param until: a :func:`time.monotonic` time no query runs past (see :class:`Endpoint`).
    :raises InputError: a URL that is not http(s), bad timeout or tries, or
        inconsistent credentials in the environment.
    """

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        tries: int = DEFAULT_TRIES,
        credentials: Credentials | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_answer: int = DEFAULT_MAX_ANSWER,
        until: float | None = None,
    ) -> None:
        self.endpoint = Endpoint(
            url,
            timeout=timeout,
            tries=tries,
            credentials=credentials if credentials is not None else Credentials.from_env(),
            max_answer=max_answer,
            until=until,
        )
        self.sleep = sleep

    @property
    def url(self) -> str:
        return self.endpoint.url

    def select(self, query_text: str, bindings: Mapping[str, Identifier]) -> Result:
        """Run a SELECT query with ``?name`` variables bound to terms.

        :raises EndpointError: unreachable, timeout, HTTP error, wrong content type.
        :raises InputError: a term that cannot be sent (a blank node).
        """
        terms: dict[str | Variable, Identifier] = dict(bindings)
        answer = run(self.endpoint, query_text, terms, sleep=self.sleep)
        if answer.type != "SELECT":
            raise EndpointResponseError(
                f"{self.url} answered a SELECT query with a {answer.type} result; "
                f"check that the URL is a SPARQL query endpoint ({endpoint_hint()})"
            )
        variables = tuple(str(v) for v in answer.vars or ())
        return Result(variables, solution_rows(answer))

    def __repr__(self) -> str:
        return f"RemoteBackend({self.url!r})"
