"""Counts that describe the knowledge graph: per class, per source, in total.

Library only: returns plain data for the CLI (or anyone) to render.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from pickg.labels import preferred_label
from pickg.namespaces import DCTERMS, RDF

__all__ = ["Count", "GraphStats", "compute_stats"]


@dataclass(frozen=True)
class Count:
    """How many resources one class (or one source) has."""

    iri: str
    label: str | None
    count: int


@dataclass(frozen=True)
class GraphStats:
    """Counts of a graph; every sequence is sorted by count (largest first), then IRI."""

    triples: int
    subjects: int
    typed_resources: int
    sourced_resources: int
    classes: tuple[Count, ...]
    sources: tuple[Count, ...]

    def as_dict(self) -> dict[str, Any]:
        """The counts as plain dicts and lists (ready for JSON)."""
        return asdict(self)


def _counts(graph: Graph, members: dict[Node, set[Node]], lang: str) -> tuple[Count, ...]:
    rows = [
        Count(iri=str(key), label=preferred_label(graph, key, lang), count=len(found)) for key, found in members.items()
    ]
    return tuple(sorted(rows, key=lambda row: (-row.count, row.iri)))


def _group(graph: Graph, predicate: Node) -> dict[Node, set[Node]]:
    """Object → the distinct subjects that point at it with ``predicate``."""
    members: dict[Node, set[Node]] = {}
    for subject, obj in graph.subject_objects(predicate):
        members.setdefault(obj, set()).add(subject)
    return members


def compute_stats(graph: Graph, lang: str = "fr") -> GraphStats:
    """Count the graph's triples, its instances per class and its resources per source.

    :param graph: the graph (for instance :func:`pickg.load`); not modified.
    :param lang: the language of the labels to return (``"fr"`` or ``"en"``).
    :returns: instances per ``rdf:type`` object, resources per ``dcterms:source``
        object (with their labels), and totals.
    """
    by_class = _group(graph, RDF.type)
    by_source = _group(graph, DCTERMS.source)
    return GraphStats(
        triples=len(graph),
        subjects=len(set(graph.subjects())),
        typed_resources=len(set().union(*by_class.values())) if by_class else 0,
        sourced_resources=len(set().union(*by_source.values())) if by_source else 0,
        classes=_counts(graph, by_class, lang),
        sources=_counts(graph, by_source, lang),
    )
