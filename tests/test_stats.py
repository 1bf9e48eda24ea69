"""Counts per class and per source."""

from __future__ import annotations

from rdflib import Graph, Literal

from pickg.graph.namespaces import CONF, DCTERMS, PIC, RDF, RDFS, SOURCE
from pickg.queries.stats import compute_stats


def test_counts_per_class_and_source() -> None:
    graph = Graph()
    a, b, c = PIC.a, PIC.b, PIC.c
    for node in (a, b):
        graph.add((node, RDF.type, PIC.Initiative))
        graph.add((node, DCTERMS.source, SOURCE["pic-p1"]))
    graph.add((c, RDF.type, PIC.Organisation))
    graph.add((c, DCTERMS.source, SOURCE["pic-p1"]))
    graph.add((c, DCTERMS.source, SOURCE.other))
    graph.add((c, PIC.confidence, CONF.c2))
    graph.add((SOURCE["pic-p1"], RDFS.label, Literal("Page PIC", lang="fr")))
    graph.add((SOURCE["pic-p1"], RDFS.label, Literal("PIC page", lang="en")))
    graph.add((PIC.Initiative, RDFS.label, Literal("Initiative", lang="fr")))

    stats = compute_stats(graph)
    assert stats.triples == len(graph)
    assert stats.subjects == 5
    assert stats.typed_resources == 3
    assert stats.sourced_resources == 3
    assert [(row.iri, row.label, row.count) for row in stats.classes] == [
        (str(PIC.Initiative), "Initiative", 2),
        (str(PIC.Organisation), None, 1),
    ]
    assert [(row.iri, row.count) for row in stats.sources] == [(str(SOURCE["pic-p1"]), 3), (str(SOURCE.other), 1)]
    assert stats.sources[0].label == "Page PIC"
    assert compute_stats(graph, lang="en").sources[0].label == "PIC page"
    assert stats.as_dict()["classes"][0]["count"] == 2


def test_empty_graph() -> None:
    stats = compute_stats(Graph())
    assert (stats.triples, stats.classes, stats.sources) == (0, (), ())
