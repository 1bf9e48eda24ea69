"""Counting with a store's SPARQL engine: the one row of totals, the counts per key.

:mod:`pickg.queries.stats` and :mod:`pickg.release.dcat` both count a graph this way. The
query texts stay theirs and are fixed (nothing is ever pasted into them); running
them and reading the numbers is done here, once.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib.term import Node

__all__ = ["as_count", "count_per_key", "count_totals", "named_totals"]


def as_count(term: object) -> int:
    """A count the engine returned (an ``xsd:integer`` literal) as an int; unbound is 0."""
    return int(str(term)) if term is not None else 0


def count_totals(store: Any, query: str) -> tuple[int, ...]:
    """The numbers of the one solution of an aggregate SELECT, in projection order.

    :param store: a :class:`pickg.graph.store.Store` (or anything with its ``select``).
    :param query: a SELECT of ``COUNT`` aggregates without ``GROUP BY``.
    """
    return tuple(named_totals(store, query).values())


def named_totals(store: Any, query: str) -> dict[str, int]:
    """The numbers of the one solution of an aggregate SELECT, by variable name, in
    projection order: the fields of a record, when the query names its variables so."""
    rows = store.select(query)
    return {name: as_count(term) for name, term in zip(rows.variables, rows.rows[0], strict=True)}


def count_per_key(store: Any, query: str, *, iri_keys: bool = False) -> list[tuple[Node, int]]:
    """``(key, count)`` for each solution of ``SELECT ?key (COUNT(…) AS ?n) … GROUP BY ?key``.

    Solutions keep the engine's order. A solution without a key is left out, and so,
    with ``iri_keys``, is one whose key is not an IRI.
    """
    return [
        (key, as_count(count))
        for key, count in store.select(query).rows
        if key is not None and (isinstance(key, URIRef) or not iri_keys)
    ]
