"""Counts that describe the knowledge graph: per class, per source, in total.

Library only: returns plain data for the CLI (or anyone) to render. One way to count:
Oxigraph's SPARQL engine runs the queries of ``sparql/stats-*.rq`` on the store holding
the graph (:class:`pickg.graph.store.OxigraphStore`), or on a copy of it in one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rdflib import Graph

from pickg.graph.labels import preferred_label
from pickg.graph.messages import reader_language
from pickg.graph.store import OxigraphStore
from pickg.queries.catalogue import packaged_query
from pickg.queries.counting import count_per_key, named_totals

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


# Fixed query texts in sparql/ (nothing is pasted in): the totals, whose variables are
# named after the fields of GraphStats, and the members per object of a property. A
# source is a pic:Source, cited or not (a registered source that no resource cites
# counts 0): the one definition, which the release catalogue shares (its pic:Source
# class partition). Something else a resource cites with dcterms:source (a vocabulary
# citing a publication) is not counted as a source.
_MEMBERS = {"type": "stats-members-per-class", "source": "stats-members-per-source"}


def _store_counts(store: Any, kind: str, lang: str) -> tuple[Count, ...]:
    from pickg.graph.labels import LABEL_PROPERTIES

    rows = count_per_key(store, packaged_query("pickg.queries", _MEMBERS[kind]))
    labels = Graph()
    for key, _ in rows:
        for prop in LABEL_PROPERTIES:
            labels += store.triples((key, prop, None))
    return _ranked([Count(iri=str(key), label=preferred_label(labels, key, lang), count=n) for key, n in rows])


def _compute_store_stats(store: Any, lang: str) -> GraphStats:
    totals = named_totals(store, packaged_query("pickg.queries", "stats-totals"))
    classes, sources = (_store_counts(store, kind, lang) for kind in ("type", "source"))
    return GraphStats(**totals, classes=classes, sources=sources)


def compute_stats(graph: Graph | Any, lang: str | None = None) -> GraphStats:
    """Count the graph's triples, its instances per class and its resources per source.

    Oxigraph's SPARQL engine counts, whatever holds the graph: an rdflib graph, or a
    store of another kind, is first copied into an in-memory Oxigraph store.

    :param graph: the graph (for instance :func:`pickg.load`), or a
        :class:`pickg.graph.store.Store` holding it; not modified.
    :param lang: the language of the labels to return (``"fr"`` or ``"en"``); None for
        the reader's (:func:`pickg.graph.messages.reader_language`).
    :returns: instances per ``rdf:type`` object, resources per ``dcterms:source``
        object (with their labels), and totals.
    """
    lang = reader_language(lang)
    if getattr(graph, "kind", None) == "oxigraph":
        return _compute_store_stats(graph, lang)
    with OxigraphStore() as store:
        store.add_graph(graph if isinstance(graph, Graph) else graph.to_rdflib())
        return _compute_store_stats(store, lang)
