"""Counts that describe the knowledge graph: per class, per source, in total.

Library only: returns plain data for the CLI (or anyone) to render. An rdflib graph is
counted in Python; a store (:class:`pickg.graph.store.OxigraphStore`) counts with its own
SPARQL engine (the queries of ``sparql/stats-*.rq``), giving the same numbers without an
rdflib copy of the graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from pickg.graph.labels import preferred_label
from pickg.graph.messages import reader_language
from pickg.graph.namespaces import DCTERMS, PIC, RDF
from pickg.queries.catalogue import packaged_query
from pickg.queries.counting import count_per_key, count_totals

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


def _ranked(rows: list[Count]) -> tuple[Count, ...]:
    return tuple(sorted(rows, key=lambda row: (-row.count, row.iri)))


def _counts(graph: Graph, members: dict[Node, set[Node]], lang: str) -> tuple[Count, ...]:
    return _ranked(
        [
            Count(iri=str(key), label=preferred_label(graph, key, lang), count=len(found))
            for key, found in members.items()
        ]
    )


def _by_source(graph: Graph) -> dict[Node, set[Node]]:
    """Each source → the distinct resources that cite it (``dcterms:source``).

    The one definition of a source, which the release catalogue shares (its
    ``pic:Source`` class partition): a ``pic:Source``, cited or not (a registered
    source that no resource cites counts 0). Something else a resource cites with
    ``dcterms:source`` (a vocabulary citing a publication) is not counted as a source.
    """
    members: dict[Node, set[Node]] = {source: set() for source in graph.subjects(RDF.type, PIC.Source)}
    for subject, obj in graph.subject_objects(DCTERMS.source):
        if obj in members:
            members[obj].add(subject)
    return members


def _group(graph: Graph, predicate: Node) -> dict[Node, set[Node]]:
    """Object → the distinct subjects that point at it with ``predicate``."""
    members: dict[Node, set[Node]] = {}
    for subject, obj in graph.subject_objects(predicate):
        members.setdefault(obj, set()).add(subject)
    return members


# Fixed query texts in sparql/ (nothing is pasted in): members per object of a property,
# then the distinct resources that have one. A source is a pic:Source, cited or not
# (the one definition, shared with the release catalogue: see _by_source).
_MEMBERS = {"type": "stats-members-per-class", "source": "stats-members-per-source"}
_DISTINCT = {"type": "stats-typed-resources", "source": "stats-sourced-resources"}


def _store_counts(store: Any, kind: str, lang: str) -> tuple[tuple[Count, ...], int]:
    from pickg.graph.labels import LABEL_PROPERTIES

    rows = count_per_key(store, packaged_query("pickg.queries", _MEMBERS[kind]))
    labels = Graph()
    for key, _ in rows:
        for prop in LABEL_PROPERTIES:
            labels += store.triples((key, prop, None))
    counts = [Count(iri=str(key), label=preferred_label(labels, key, lang), count=n) for key, n in rows]
    (distinct,) = count_totals(store, packaged_query("pickg.queries", _DISTINCT[kind]))
    return _ranked(counts), distinct


def _compute_store_stats(store: Any, lang: str) -> GraphStats:
    triples, subjects = count_totals(store, packaged_query("pickg.queries", "stats-totals"))
    classes, typed = _store_counts(store, "type", lang)
    sources, sourced = _store_counts(store, "source", lang)
    return GraphStats(
        triples=triples,
        subjects=subjects,
        typed_resources=typed,
        sourced_resources=sourced,
        classes=classes,
        sources=sources,
    )


def compute_stats(graph: Graph | Any, lang: str | None = None) -> GraphStats:
    """Count the graph's triples, its instances per class and its resources per source.

    :param graph: the graph (for instance :func:`pickg.load`), or a
        :class:`pickg.graph.store.Store` holding it; not modified.
    :param lang: the language of the labels to return (``"fr"`` or ``"en"``); None for
        the reader's (:func:`pickg.graph.messages.reader_language`).
    :returns: instances per ``rdf:type`` object, resources per ``dcterms:source``
        object (with their labels), and totals.
    """
    lang = reader_language(lang)
    if not isinstance(graph, Graph):
        if getattr(graph, "kind", None) != "oxigraph":
            graph = graph.to_rdflib()  # rdflib's SPARQL is slower than counting in Python
        else:
            return _compute_store_stats(graph, lang)
    by_class = _group(graph, RDF.type)
    by_source = _by_source(graph)
    return GraphStats(
        triples=len(graph),
        subjects=len(set(graph.subjects())),
        typed_resources=len(set().union(*by_class.values())) if by_class else 0,
        sourced_resources=len(set().union(*by_source.values())) if by_source else 0,
        classes=_counts(graph, by_class, lang),
        sources=_counts(graph, by_source, lang),
    )
