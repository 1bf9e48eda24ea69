"""Read what a SPARQL endpoint answers into rdflib terms and results.

A remote answer must render exactly as the same query on the local graph, so terms
are built the way rdflib builds them from Turtle: language tags kept, ``xsd:string``
as the plain literal, decimals with their decimal point (a store in XSD 1.1 canonical
form writes ``23000000`` for the ``23000000.0`` of the data).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, Protocol, cast

import pyoxigraph as ox
from rdflib import Variable
from rdflib.query import Result
from rdflib.term import Identifier

from pickg.graph.errors import EndpointResponseError
from pickg.graph.formats import media_types
from pickg.graph.rdfio import parse_data
from pickg.graph.terms import from_ox

__all__ = ["ACCEPT_RDF", "ACCEPT_RESULTS", "JSON_TYPES", "RDF_TYPES", "read_graph", "stream_select"]

#: Media types of SPARQL JSON results.
JSON_TYPES = frozenset({"application/sparql-results+json", "application/json"})
#: The ``Accept`` header of a SELECT or ASK query: SPARQL JSON results.
ACCEPT_RESULTS = "application/sparql-results+json, application/json;q=0.9"
#: The ``Accept`` header of a CONSTRUCT or DESCRIBE query: Turtle, else N-Triples.
ACCEPT_RDF = "text/turtle, application/n-triples;q=0.9"
#: Media types of RDF answers (CONSTRUCT, DESCRIBE) → rdflib parser name: the graph formats
#: of :func:`pickg.graph.formats.media_types`, and the older names of Turtle and N-Triples.
RDF_TYPES: Mapping[str, str] = {
    **{kind: name for kind, name in media_types().items() if name in ("turtle", "nt", "xml", "json-ld")},
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/plain": "nt",
}


class Readable(Protocol):
    """What :func:`stream_select` reads from: bytes, a few at a time."""

    def read(self, size: int = -1, /) -> bytes: ...


def stream_select(url: str, stream: Readable) -> Result:
    """A SELECT (or ASK) result read from SPARQL JSON results as they arrive, row by row:
    the document is never held whole, so a bound on the stream (its size, its deadline)
    bounds the reading too. Terms are those of :func:`pickg.graph.terms.from_ox`, the
    ones a local query gives.

    :raises EndpointResponseError: the document is not SPARQL JSON results, or holds
        a term pickg cannot read (a quoted triple).
    """
    parsed: Any = None
    solution: Any = None
    try:
        parsed = ox.parse_query_results(cast(IO[bytes], stream), ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(parsed)
            return result
        names = list(parsed.variables)
        variables = [Variable(v.value) for v in names]
        bindings: list[Mapping[Variable, Identifier]] = []
        for solution in parsed:
            row: dict[Variable, Identifier] = {}
            for name, variable in zip(names, variables, strict=True):
                term = solution[name]
                if term is not None:
                    row[variable] = _term(url, term)
            bindings.append(row)
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise EndpointResponseError(
            f"{url} answered with SPARQL JSON results that cannot be read ({exc}); "
            "check that the URL is a SPARQL 1.1 query endpoint"
        ) from None
    finally:
        # pyoxigraph's results belong to the thread that read them (a request's worker):
        # dropped here, not later where an error raised from this frame is handled.
        parsed = solution = None
    result = Result("SELECT")
    result.vars = variables
    result.bindings = bindings
    return result


def _term(url: str, term: object) -> Identifier:
    if isinstance(term, ox.Triple):
        raise EndpointResponseError(
            f"{url} answered with a quoted triple, which pickg cannot read; query for IRIs and literals"
        )
    converted = from_ox(term)
    assert isinstance(converted, Identifier)
    return converted


def read_graph(url: str, body: bytes, rdf_format: str) -> Result:
    """A CONSTRUCT result from RDF in ``rdf_format`` (an rdflib parser name).

    :raises EndpointResponseError: the RDF cannot be parsed.
    """
    try:
        graph = parse_data(body, rdf_format)
    except Exception as exc:  # rdflib's parsers raise many types
        raise EndpointResponseError(
            f"{url} answered with RDF that cannot be parsed ({exc}); check the endpoint"
        ) from None
    result = Result("CONSTRUCT")
    result.graph = graph
    return result
