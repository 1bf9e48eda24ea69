"""Load a release into a remote triple store through the SPARQL 1.1 Graph Store Protocol.

One HTTP ``PUT`` of the release's N-Triples (or Turtle) to ``<store>?graph=IRI`` (or
``<store>?default``) replaces that graph in one request: the store never holds half a
release. Then a ``COUNT`` through the query endpoint tells how many triples the store
holds in that graph. Both go through pickg's one HTTP client
(:func:`pickg.queries.transport.exchange`), with the same credentials and retries.

Where the Graph Store Protocol lives, by store (:func:`store_url` derives it from the
query endpoint):

=========  ===========================================  ==================================================
store      query endpoint                               Graph Store Protocol
=========  ===========================================  ==================================================
Oxigraph   ``http://HOST:7878/query``                   ``http://HOST:7878/store``
Fuseki     ``http://HOST:3030/DATASET/sparql``          ``http://HOST:3030/DATASET/data``
GraphDB    ``http://HOST:7200/repositories/REPO``       ``http://HOST:7200/repositories/REPO/rdf-graphs/service``
Virtuoso   ``http://HOST:8890/sparql``                  ``http://HOST:8890/sparql-graph-crud-auth`` (digest)
=========  ===========================================  ==================================================

Virtuoso's Graph Store has no default graph: push into a named graph (``--graph``)
and query with ``?default-graph-uri=`` that graph in the endpoint URL.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph
from rdflib import URIRef

from pickg.graph.bindings import term_n3
from pickg.graph.errors import EndpointHTTPError, EndpointResponseError, InputError, NotFoundError, ReadOnlyStoreError
from pickg.graph.formats import FORMATS
from pickg.graph.rdfio import read_quads
from pickg.queries.catalogue import packaged_query
from pickg.queries.client import Endpoint, check_url, exchange, run, with_retries
from pickg.queries.results import solution_rows

__all__ = [
    "UPLOAD_FORMATS",
    "PushReport",
    "count_triples",
    "graph_store_target",
    "push",
    "query_url",
    "release_upload_file",
    "store_url",
]

#: The release files that can be sent, in order of preference: suffix → (media type, format),
#: from :data:`pickg.graph.formats.FORMATS`.
UPLOAD_FORMATS: dict[str, tuple[str, pyoxigraph.RdfFormat]] = {
    suffix: (FORMATS[suffix][1].media_type, FORMATS[suffix][1]) for suffix in (".nt", ".ttl")
}

_FUSEKI_QUERY = re.compile(r"^(?P<dataset>/[^/]+)/(?:sparql|query)/?$")
_RDF4J_REPOSITORY = re.compile(r"^(?P<repository>.*/repositories/[^/]+)/?$")
_VIRTUOSO_QUERY = ("/sparql", "/sparql/", "/sparql-auth", "/sparql-auth/")
_VIRTUOSO_STORE = "/sparql-graph-crud-auth"


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def query_url(url: str) -> str:
    """The query endpoint for ``url``: an Oxigraph server's root becomes ``/query``."""
    check_url(url, "endpoint")
    return _with_path(url, "/query") if urlsplit(url).path in ("", "/") else url


def store_url(endpoint_url: str) -> str:
    """The Graph Store Protocol URL of the store whose query endpoint is ``endpoint_url``.

    :raises InputError: the URL matches none of the known layouts; pass the store URL.
    """
    check_url(endpoint_url, "endpoint")
    path = urlsplit(endpoint_url).path
    if path in ("", "/", "/query"):
        return _with_path(endpoint_url, "/store")
    fuseki = _FUSEKI_QUERY.match(path)
    if fuseki:
        return _with_path(endpoint_url, fuseki["dataset"] + "/data")
    rdf4j = _RDF4J_REPOSITORY.match(path)
    if rdf4j:
        return _with_path(endpoint_url, rdf4j["repository"] + "/rdf-graphs/service")
    if path in _VIRTUOSO_QUERY:
        return _with_path(endpoint_url, _VIRTUOSO_STORE)
    raise InputError(
        f"cannot tell where the Graph Store Protocol of {endpoint_url} lives; give it with --store-url "
        "(Oxigraph: http://HOST:7878/store, Fuseki: http://HOST:3030/DATASET/data, "
        "GraphDB: http://HOST:7200/repositories/REPO/rdf-graphs/service, "
        "Virtuoso: http://HOST:8890/sparql-graph-crud-auth)"
    )


def graph_store_target(store: str, graph: str | None) -> str:
    """``store?graph=<IRI>`` (IRI percent-encoded), or ``store?default`` when ``graph`` is None.

    :raises InputError: ``graph`` is not an absolute IRI.
    """
    check_url(store, "store")
    if graph is None:
        if urlsplit(store).path.rstrip("/") in (_VIRTUOSO_STORE, "/sparql-graph-crud"):
            raise InputError(
                f"{store} is Virtuoso's Graph Store, which has no default graph; push into a named graph "
                "(--graph https://example.org/graph/pic) and query with ?default-graph-uri= that graph in "
                "the endpoint URL"
            )
        return f"{store}?default"
    term_n3(URIRef(graph))  # refuses spaces, quotes, angle brackets
    if not urlsplit(graph).scheme:
        raise InputError(
            f"the graph name {graph!r} is not an absolute IRI; give one such as https://example.org/graph/pic"
        )
    return f"{store}?graph={quote(graph, safe='')}"


def release_upload_file(release: Path) -> Path:
    """The file to send for ``release``: the file itself, or the folder's ``pic.nt``/``pic.ttl``.

    :raises NotFoundError: no such file, or a folder without either dump.
    :raises InputError: a file of a format the Graph Store Protocol upload does not take.
    """
    if release.is_dir():
        for suffix in UPLOAD_FORMATS:
            candidate = release / f"pic{suffix}"
            if candidate.is_file():
                return candidate
        raise NotFoundError(
            f"{release} holds neither pic.nt nor pic.ttl; point --release at a release folder built by `pickg publish`"
        )
    if not release.is_file():
        raise NotFoundError(f"{release}: no such release file or folder; check the path or run `pickg publish`")
    if release.suffix not in UPLOAD_FORMATS:
        raise InputError(
            f"{release} is neither N-Triples (.nt) nor Turtle (.ttl); give the release's pic.nt or pic.ttl"
        )
    return release


def _count_file(path: Path) -> int:
    return sum(1 for _ in read_quads(path))


def count_triples(endpoint: Endpoint, graph: str | None) -> int:
    """How many triples the store behind ``endpoint`` holds in ``graph`` (None: the default graph).

    :raises EndpointError: as :func:`pickg.queries.client.run`.
    """
    # Bookkeeping queries in sparql/ (not catalogue questions); the graph is bound as a term.
    if graph is None:
        result = run(endpoint, packaged_query("pickg.endpoints", "default-graph-triple-count"))
    else:
        result = run(endpoint, packaged_query("pickg.endpoints", "graph-triple-count"), {"_graph": URIRef(graph)})
    rows = solution_rows(result)
    try:
        return int(str(rows[0][0]))
    except (IndexError, TypeError, ValueError):
        raise EndpointResponseError(
            f"{endpoint.url} did not answer the triple count with a number; check that it is a SPARQL 1.1 endpoint"
        ) from None


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` did."""

    target: str  #: the URL the data was PUT to
    graph: str | None  #: the graph replaced; None for the default graph
    file: Path  #: the file sent
    size: int  #: its size in bytes
    sent: int  #: triples in the file
    held: int  #: triples the store holds in that graph afterwards
    status: int  #: the HTTP status of the PUT
    seconds: float  #: time spent uploading


def _put(target: str, path: Path, media_type: str, endpoint: Endpoint) -> int:
    """One ``PUT`` of the file ``path`` (streamed from disk) to ``target``; the HTTP status."""
    answer = exchange(
        target,
        method="PUT",
        body=path,
        headers={"Content-Type": media_type},
        credentials=endpoint.credentials,
        timeout=endpoint.timeout,
    )
    return answer.status


def _read_only(error: EndpointHTTPError, target: str) -> ReadOnlyStoreError | None:
    said = error.server_message
    said_read_only = any(word in said.lower() for word in ("read-only", "read only", "readonly"))
    if error.status == 405 or (error.status == 403 and said_read_only):
        quoted = f' with "{said}"' if said else ""
        return ReadOnlyStoreError(
            f"{target} refused the upload (HTTP {error.status}{quoted}): the store is read-only; start it writable "
            "(Oxigraph: `oxigraph serve`, not `serve-read-only`; Fuseki: `--update`; GraphDB: a writable "
            "repository and a user with write rights) or push to another store"
        )
    return None


def push(
    endpoint: Endpoint,
    release: Path,
    graph: str | None = None,
    store: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> PushReport:
    """Replace ``graph`` in the store behind ``endpoint`` with the release's triples.

    :param endpoint: the query endpoint (for the count) with timeout, tries and
        credentials; the same credentials go with the upload.
    :param release: a release folder or its ``pic.nt``/``pic.ttl``.
    :param graph: the named graph to replace; None replaces the default graph.
    :param store: the Graph Store Protocol URL; derived from the endpoint if None.
    :param sleep: how to pause between attempts (a parameter for tests).
    :raises ReadOnlyStoreError: the store refuses writes.
    :raises EndpointError: unreachable, timeout, HTTP error, unreadable count.
    :raises PickgError: a release that cannot be found or read.
    """
    path = release_upload_file(release)
    media_type, _ = UPLOAD_FORMATS[path.suffix]
    target = graph_store_target(store or store_url(endpoint.url), graph)
    sent = _count_file(path)
    upload = Endpoint(target, endpoint.timeout, endpoint.tries, endpoint.backoff, endpoint.credentials)
    started = time.perf_counter()
    bad_request = f"the store could not read {path.name}; check that it accepts {media_type} uploads"
    try:
        status = with_retries(upload, lambda: _put(target, path, media_type, upload), sleep, bad_request)
    except EndpointHTTPError as error:
        refused = _read_only(error, target)
        if refused is not None:
            raise refused from None
        raise
    seconds = time.perf_counter() - started
    held = count_triples(endpoint, graph)
    return PushReport(target, graph, path, path.stat().st_size, sent, held, status, seconds)
