"""Read what a SPARQL endpoint answers into rdflib terms and results.

A remote answer must render exactly as the same query on the local graph, so terms
are built the way rdflib builds them from Turtle: language tags kept, ``xsd:string``
as the plain literal, decimals with their decimal point (a store in XSD 1.1 canonical
form writes ``23000000`` for the ``23000000.0`` of the data).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDF, XSD
from rdflib.query import Result
from rdflib.term import Identifier

from pickg.graph.errors import EndpointResponseError

__all__ = ["JSON_TYPES", "RDF_TYPES", "read_graph", "read_select", "term_from_json"]

#: Media types of SPARQL JSON results.
JSON_TYPES = frozenset({"application/sparql-results+json", "application/json"})
#: Media types of RDF answers (CONSTRUCT, DESCRIBE) → rdflib parser name.
RDF_TYPES: Mapping[str, str] = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


def _decimal_lexical(lexical: str) -> str:
    """XSD's canonical decimal form, as rdflib writes computed decimals (``12.0``, not ``12``)."""
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if not value.is_finite():
        return lexical
    text = format(value, "f")
    return text if "." in text else text + ".0"


def term_from_json(cell: Mapping[str, Any]) -> Identifier:
    """One RDF term of a SPARQL JSON result, as rdflib builds it from a local graph.

    Language-tagged literals keep their tag; ``xsd:string`` is the plain literal (RDF
    1.1, and what rdflib gives for ``"text"``); numeric literals take the lexical form
    rdflib gives them, so ``1.5E3`` and ``1500.0`` are the same double.

    :raises EndpointResponseError: an unknown term type.
    """
    kind = cell.get("type")
    value = cell.get("value")
    if not isinstance(value, str):
        raise EndpointResponseError(
            f"a result term has no string value ({dict(cell)!r}); the endpoint is not SPARQL 1.1"
        )
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = cell.get("xml:lang")
        datatype = cell.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if not datatype or datatype == str(XSD.string) or datatype == str(RDF.langString):
            return Literal(value)
        if datatype == str(XSD.decimal):
            value = _decimal_lexical(value)
        return Literal(value, datatype=URIRef(datatype))
    raise EndpointResponseError(
        f"a result holds a term of type {kind!r}, which pickg cannot read; "
        "query for IRIs and literals (not quoted triples)"
    )


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
        bindings = [{Variable(name): term_from_json(cell) for name, cell in row.items()} for row in rows]
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
    graph = Graph()
    try:
        graph.parse(data=body, format=rdf_format)
    except Exception as exc:  # noqa: BLE001 -- rdflib's parsers raise many types
        raise EndpointResponseError(
            f"{url} answered with RDF that cannot be parsed ({exc}); check the endpoint"
        ) from None
    result = Result("CONSTRUCT")
    result.graph = graph
    return result
