"""Read what a SPARQL endpoint answers into rdflib terms and results.

A remote answer must render exactly as the same query on the local graph, so terms
are built the way rdflib builds them from Turtle: language tags kept, ``xsd:string``
as the plain literal, decimals with their decimal point (a store in XSD 1.1 canonical
form writes ``23000000`` for the ``23000000.0`` of the data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from rdflib import Variable
from rdflib.query import Result
from rdflib.term import Identifier

from pickg.graph.errors import EndpointResponseError
from pickg.graph.formats import media_types
from pickg.graph.rdfio import parse_data
from pickg.queries.results import term_from_json

__all__ = ["ACCEPT_RDF", "ACCEPT_RESULTS", "JSON_TYPES", "RDF_TYPES", "read_graph", "read_select"]

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


def read_select(url: str, body: bytes) -> Result:
    """A SELECT (or ASK) result from SPARQL JSON results.

    :raises EndpointResponseError: the document is not SPARQL JSON results.
    """
    try:
        document = json.loads(body.decode("utf-8"))
        head = document["head"]
        if "boolean" in document:
            result = Result("ASK")
            result.askAnswer = bool(document["boolean"])
            return result
        variables = [Variable(name) for name in head.get("vars", [])]
        rows = document["results"]["bindings"]
        bindings: list[Mapping[Variable, Identifier]] = [
            {Variable(name): term_from_json(cell) for name, cell in row.items()} for row in rows
        ]
    except EndpointResponseError as exc:  # a malformed term: say which endpoint sent it
        raise EndpointResponseError(
            f"{url}: {exc.message[:-1]}; check that the URL is a SPARQL 1.1 query endpoint"
        ) from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EndpointResponseError(
            f"{url} answered with SPARQL JSON results that cannot be read ({exc}); "
            "check that the URL is a SPARQL 1.1 query endpoint"
        ) from None
    result = Result("SELECT")
    result.vars = variables
    result.bindings = bindings
    return result


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
