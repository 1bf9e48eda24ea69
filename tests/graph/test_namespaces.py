"""The prefix map, prefix binding, IRI compaction and slugs."""

from __future__ import annotations

import pytest
from rdflib import Graph

from pickg.graph import namespaces as ns


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Ville-Émard–Côte-Saint-Paul", "ville-emard-cote-saint-paul"),
        ("Centraide du Grand Montréal", "centraide-du-grand-montreal"),
        ("  L’Île-Bizard / Sainte-Geneviève  ", "l-ile-bizard-sainte-genevieve"),
        ("Cœur de quartier", "coeur-de-quartier"),
        ("Phase 2 (2023–2027)", "phase-2-2023-2027"),
        ("Søren Ødegård", "soren-odegard"),
        ("---", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert ns.slugify(text) == slug


def test_prefixes_are_distinct_and_match_the_constants() -> None:
    assert len(set(ns.PREFIXES.values())) == len(ns.PREFIXES)
    assert ns.PREFIXES["pic"] == str(ns.PIC) == "https://w3id.org/pickg/ontology#"
    assert ns.PREFIXES["nbh"] == "https://w3id.org/pickg/id/neighbourhood/"
    assert ns.PREFIXES["schema"] == "https://schema.org/"
    assert ns.PREFIXES["org"] == "http://www.w3.org/ns/org#"
    for namespace in ns.PREFIXES.values():
        assert namespace.endswith(("/", "#"))


def test_bind_prefixes_binds_exactly_the_map() -> None:
    graph = ns.bind_prefixes(Graph(bind_namespaces="none"))
    assert {prefix: str(iri) for prefix, iri in graph.namespaces()} == ns.PREFIXES


def test_bind_prefixes_replaces_a_clashing_binding() -> None:
    graph = Graph(bind_namespaces="none")
    graph.bind("schema", "http://schema.org/")
    ns.bind_prefixes(graph)
    assert str(dict(graph.namespaces())["schema"]) == str(ns.SCHEMA)


@pytest.mark.parametrize(
    ("iri", "compact"),
    [
        ("https://w3id.org/pickg/id/phase/1", "phase:1"),
        ("https://w3id.org/pickg/ontology#Participation", "pic:Participation"),
        ("https://w3id.org/pickg/vocab/systems-change", "https://w3id.org/pickg/vocab/systems-change"),
        ("https://w3id.org/pickg/id/", "https://w3id.org/pickg/id/"),
        ("http://example.org/x", "http://example.org/x"),
    ],
)
def test_compact_iri(iri: str, compact: str) -> None:
    assert ns.compact_iri(iri) == compact
