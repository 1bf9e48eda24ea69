"""Each IRI a caller gives a catalogue query names a resource of the graph, or is refused.

A mistyped IRI (``nbh:verdunn``, an initiative's slug with a letter missing) is a valid
IRI: the query would run and answer no rows, as if the resource had no facts. Before a
query runs, :func:`check_named_resources` asks the graph whether each IRI the caller
gave in the project's own namespaces (:data:`PROJECT_NAMESPACE`; another IRI may name
something of a store that holds more than this graph) is the subject or the object of
a triple (``sparql/resource-named.rq``); when one
is not, it raises :class:`~pickg.graph.errors.NotFoundError` naming it and the closest
resources of its namespace (``sparql/resources-in-namespace.rq``). Values are bound as
terms, never pasted into the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from pickg.graph.errors import NotFoundError
from pickg.graph.namespaces import compact_iri
from pickg.queries.catalogue import Query, packaged_query

__all__ = ["PROJECT_NAMESPACE", "check_named_resources", "close_resources"]

#: The IRIs the check holds to the graph: the data and vocabularies of the project.
PROJECT_NAMESPACE = "https://w3id.org/pickg/"


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return iri[: cut + 1]


def _rows(backend: Any, name: str, bindings: Mapping[str, Identifier]) -> list[tuple[Any, ...]]:
    answer = backend.select(packaged_query("pickg.queries", name), dict(bindings))
    return [tuple(row) for row in answer.rows]


def close_resources(iri: URIRef, backend: Any, limit: int = 3) -> list[str]:
    """The IRIs of the graph in ``iri``'s namespace closest to it, closest first."""
    namespace = _namespace(str(iri))
    known = [str(row[0]) for row in _rows(backend, "resources-in-namespace", {"_namespace": Literal(namespace)})]
    return get_close_matches(str(iri), known, n=limit, cutoff=0.6)


def check_named_resources(
    query: Query, params: Mapping[str, object] | None, bindings: Mapping[str, Identifier], backend: Any
) -> None:
    """Refuse an IRI of the project the caller gave (not a default) that names no resource of the graph.

    :raises NotFoundError: "no resource named …; did you mean …", for the first one.
    """
    for name in params or {}:
        param = query.param(name)
        value = None if param is None else bindings.get(param.variable)
        if param is None or param.type != "iri" or not isinstance(value, URIRef):
            continue
        if not str(value).startswith(PROJECT_NAMESPACE):
            continue
        if _rows(backend, "resource-named", {"_resource": value}):
            continue
        close = close_resources(value, backend)
        advice = (
            "did you mean " + " or ".join(compact_iri(c) for c in close) + "?"
            if close
            else "check its spelling, or run the query without it"
        )
        raise NotFoundError(
            f"no resource named {compact_iri(str(value))} (parameter {name!r} of query {query.name!r}); {advice}"
        )
