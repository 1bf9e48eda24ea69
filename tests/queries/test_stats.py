"""Counts per class and per source."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

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
    graph.add((c, DCTERMS.source, PIC.not_a_source))  # not a pic:Source: not counted
    for source in (SOURCE["pic-p1"], SOURCE.other, SOURCE.uncited):
        graph.add((source, RDF.type, PIC.Source))
    graph.add((SOURCE["pic-p1"], RDFS.label, Literal("Page PIC", lang="fr")))
    graph.add((SOURCE["pic-p1"], RDFS.label, Literal("PIC page", lang="en")))
    graph.add((PIC.Initiative, RDFS.label, Literal("Initiative", lang="fr")))

    stats = compute_stats(graph, lang="fr")
    assert stats.triples == len(graph)
    assert stats.subjects == 7
    assert stats.typed_resources == 6
    assert stats.sourced_resources == 3
    assert [(row.iri, row.label, row.count) for row in stats.classes] == [
        (str(PIC.Source), None, 3),
        (str(PIC.Initiative), "Initiative", 2),
        (str(PIC.Organisation), None, 1),
    ]
    # a source is a pic:Source, cited or not (issue 18: one definition for stats and the catalogue)
    assert [(row.iri, row.count) for row in stats.sources] == [
        (str(SOURCE["pic-p1"]), 3),
        (str(SOURCE.other), 1),
        (str(SOURCE.uncited), 0),
    ]
    assert stats.sources[0].label == "Page PIC"
    assert compute_stats(graph, lang="en").sources[0].label == "PIC page"
    assert compute_stats(graph, lang="en").sources[0].label == "PIC page"
    assert stats.as_dict()["classes"][0]["count"] == 3


def test_empty_graph() -> None:
    stats = compute_stats(Graph())
    assert (stats.triples, stats.classes, stats.sources) == (0, (), ())


@pytest.mark.system
def test_stats_and_the_release_catalogue_count_the_same_sources(graph: Graph, published_release) -> None:
    """Issue 18: one definition of a source (a pic:Source) in ``pickg stats`` and ``catalog.ttl``."""
    from pickg.graph.namespaces import VOID

    registered = set(graph.subjects(RDF.type, PIC.Source))
    stats = compute_stats(graph)
    assert {row.iri for row in stats.sources} == {str(s) for s in registered}
    catalogue = Graph().parse(published_release.path / "catalog.ttl")
    [partition] = catalogue.subjects(VOID["class"], PIC.Source)
    assert int(catalogue.value(partition, VOID.entities)) == len(stats.sources) == len(registered) > 100
    # a registered source that no resource cites still counts, with no resource
    uncited = [row for row in stats.sources if row.count == 0]
    assert all(not set(graph.subjects(DCTERMS.source, URIRef(row.iri))) for row in uncited)
