"""The metadata of a release: a DCAT 3 catalogue with a VoID description of the data.

``catalog.ttl`` describes the release as a ``dcat:Dataset`` and ``void:Dataset``
(version, issue date, licence, statistics, example resources, vocabularies) with one
``dcat:Distribution`` per file (media type, size in bytes, SHA-256 checksum as
``spdx:checksum``, number of triples for RDF files, of rows for CSV tables).
Publisher, contact point, landing page, download addresses and SPARQL endpoint come
from :mod:`pickg.release.settings`; when one is not configured its triples are absent.

The Turtle is written by the template ``templates/catalog.ttl.j2``, every IRI and
literal through the escaping filters of :mod:`pickg.release.templating`; this module
prepares the values and parses the text into the graph the release writes. The counts
come from the queries ``sparql/void-*.rq``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from pickg.graph.namespaces import (
    ID,
    MEDIA_TYPE,
    PIC,
    PREFIXES,
    RELEASE,
    bind_prefixes,
    compact_iri,
)
from pickg.queries.catalogue import packaged_query
from pickg.queries.counting import count_per_key, count_totals
from pickg.release.settings import PublishSettings
from pickg.release.templating import render

__all__ = [
    "DATASET_DESCRIPTION",
    "DATASET_TITLE",
    "EXAMPLE_CLASSES",
    "DatasetFacts",
    "FileFacts",
    "GraphCounts",
    "catalogue_graph",
    "catalogue_turtle",
    "count_graph",
    "dataset_facts",
    "dataset_iri",
]

#: Classes whose first instance (by IRI) the catalogue gives as ``void:exampleResource``.
EXAMPLE_CLASSES = (PIC.Programme, PIC.Phase, PIC.Neighbourhood, PIC.Initiative, PIC.RoleAssignment, PIC.Source)

#: The title of every release, in French and English.
DATASET_TITLE = {
    "fr": "Graphe de connaissances du Projet impact collectif (pickg)",
    "en": "Projet impact collectif knowledge graph (pickg)",
}
#: What a release holds, in French and English.
DATASET_DESCRIPTION = {
    "fr": (
        "Graphe de connaissances ouvert du Projet impact collectif (PIC) de Montréal : "
        "programme, phases, quartiers, organisations et leurs rôles, initiatives, financements, "
        "bilan de la phase 1, avec la source et le degré de confiance de chaque fait."
    ),
    "en": (
        "Open knowledge graph of Montréal's Projet impact collectif (PIC): programme, phases, "
        "neighbourhoods, organisations and their roles, initiatives, funding and the Phase-1 "
        "assessment, with the source and confidence of every fact."
    ),
}
_KEYWORDS = ("collective impact", "impact collectif", "Montréal", "Centraide", "knowledge graph", "RDF")


@dataclass(frozen=True)
class FileFacts:
    """One file of a release, as the catalogue describes it."""

    name: str
    media_type: str
    size: int
    sha256: str
    title: str
    description: str
    triples: int | None = None
    rows: int | None = None


@dataclass(frozen=True)
class DatasetFacts:
    """What the catalogue says about the release's data as a whole."""

    version: str
    issued: dt.date
    previous: str | None
    license: URIRef
    creators: tuple[Literal | URIRef, ...]
    triples: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    entities: int
    class_partitions: tuple[tuple[URIRef, int], ...]
    vocabularies: tuple[URIRef, ...]
    example_resources: tuple[URIRef, ...]
    uri_space: str


def _vocabularies(terms: Sequence[str]) -> tuple[URIRef, ...]:
    """The namespaces of the properties and classes a graph uses."""
    namespaces = set()
    for term in terms:
        known = [ns for ns in PREFIXES.values() if term.startswith(ns)]
        if known:
            namespaces.add(max(known, key=len))
        else:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespaces.add(term[: cut + 1])
    return tuple(URIRef(ns) for ns in sorted(namespaces))


@dataclass(frozen=True)
class GraphCounts:
    """The part of :class:`DatasetFacts` counted in the store (:func:`count_graph`)."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    entities: int
    class_partitions: tuple[tuple[URIRef, int], ...]
    vocabularies: tuple[URIRef, ...]
    example_resources: tuple[URIRef, ...]


def count_graph(store: Any) -> GraphCounts:
    """The counts of the catalogue about the graph held by ``store``, by its SPARQL engine.

    The queries are ``sparql/void-*.rq``, fixed texts: nothing is ever pasted into them.

    :param store: a :class:`pickg.graph.store.Store` holding the release's whole graph.
    """
    triples, subjects, objects, properties = count_totals(store, packaged_query("pickg.release", "void-totals"))
    (entities,) = count_totals(store, packaged_query("pickg.release", "void-entities"))
    partitions = count_per_key(store, packaged_query("pickg.release", "void-class-partitions"), iri_keys=True)
    firsts = store.select(packaged_query("pickg.release", "void-first-instances")).rows
    first = {cls: str(example) for cls, example in firsts if example is not None}
    terms = [
        str(t)
        for (t,) in store.select(packaged_query("pickg.release", "void-vocabulary-terms")).rows
        if isinstance(t, URIRef)
    ]
    return GraphCounts(
        triples=triples,
        distinct_subjects=subjects,
        distinct_objects=objects,
        properties=properties,
        entities=entities,
        class_partitions=tuple(sorted(partitions)),
        vocabularies=_vocabularies(terms),
        example_resources=tuple(URIRef(first[cls]) for cls in EXAMPLE_CLASSES if cls in first),
    )


def dataset_facts(
    store: Any,
    *,
    version: str,
    issued: dt.date,
    previous: str | None,
    license: URIRef,
    creators: tuple[Literal | URIRef, ...],
    counts: GraphCounts | None = None,
) -> DatasetFacts:
    """The facts of the catalogue about the graph held by ``store``, counted by its SPARQL engine.

    :param store: a :class:`pickg.graph.store.Store` holding the release's whole graph
        (not asked when ``counts`` is given).
    :param counts: the counts of that graph, if already taken (:func:`count_graph`).
    """
    counts = counts if counts is not None else count_graph(store)
    return DatasetFacts(
        version=version,
        issued=issued,
        previous=previous,
        license=license,
        creators=creators,
        **{f.name: getattr(counts, f.name) for f in fields(GraphCounts)},
        uri_space=str(ID),
    )


def dataset_iri(version: str) -> URIRef:
    """The IRI of a release: ``https://w3id.org/pickg/release/<version>``."""
    return RELEASE[version]


def _partition_iri(dataset: URIRef, cls: URIRef) -> str:
    """``<dataset>/class/<prefix>/<name>``: the IRI of the ``void:classPartition`` of ``cls``."""
    return f"{dataset}/class/{quote(compact_iri(str(cls)).replace(':', '/'), safe='/-._~')}"


def _distribution(dataset: URIRef, version: str, file: FileFacts, settings: PublishSettings) -> dict[str, Any]:
    folder = f"{settings.download_url}{version}/" if settings.download_url else None
    return {
        "iri": f"{dataset}/{file.name}",
        "title": file.title,
        "description": file.description,
        "media_type": MEDIA_TYPE[file.media_type],
        "size": file.size,
        "sha256": file.sha256,
        "triples": file.triples,
        "rows": file.rows,
        "folder": folder,
        "download": f"{folder}{file.name}" if folder else None,
    }


def catalogue_turtle(facts: DatasetFacts, files: Sequence[FileFacts], settings: PublishSettings) -> str:
    """The DCAT + VoID description of a release as Turtle, rendered from ``templates/catalog.ttl.j2``.

    Not the bytes of ``catalog.ttl``: :func:`catalogue_graph` parses it and the release
    writes that graph in its canonical Turtle.

    :raises ValueError: a configured address is not an IRI.
    """
    dataset = dataset_iri(facts.version)
    publisher = (settings.publisher or settings.publisher_url) and {
        "name": settings.publisher,
        "homepage": settings.publisher_url,
    }
    contact = (settings.contact_name or settings.contact_email or settings.contact_url) and {
        "name": settings.contact_name,
        "email": "mailto:" + settings.contact_email if settings.contact_email else None,
        "url": settings.contact_url,
    }
    distributions = [_distribution(dataset, facts.version, file, settings) for file in files]
    statistics = (
        ("triples", facts.triples),
        ("distinctSubjects", facts.distinct_subjects),
        ("distinctObjects", facts.distinct_objects),
        ("properties", facts.properties),
        ("classes", len(facts.class_partitions)),
        ("entities", facts.entities),
    )
    return render(
        "catalog.ttl.j2",
        prefixes=PREFIXES,
        catalog=f"{dataset}/catalog",
        dataset=dataset,
        version=facts.version,
        issued=facts.issued,
        license=facts.license,
        titles=DATASET_TITLE,
        descriptions=DATASET_DESCRIPTION,
        keywords=_KEYWORDS,
        conforms_to=str(PIC).rstrip("#"),
        creators=facts.creators,
        previous=dataset_iri(facts.previous) if facts.previous is not None else None,
        publisher=publisher or None,
        contact=contact or None,
        landing_page=settings.landing_page,
        sparql_endpoint=settings.sparql_endpoint,
        statistics=statistics,
        uri_space=facts.uri_space,
        vocabularies=facts.vocabularies,
        examples=facts.example_resources,
        partitions=[
            {"iri": _partition_iri(dataset, cls), "cls": cls, "count": count} for cls, count in facts.class_partitions
        ],
        distributions=distributions,
        dumps=[
            file["download"]
            for file, facts_of in zip(distributions, files, strict=True)
            if file["download"] and facts_of.triples is not None and facts_of.name.startswith("pic.")
        ],
    )


def catalogue_graph(facts: DatasetFacts, files: Sequence[FileFacts], settings: PublishSettings) -> Graph:
    """The DCAT + VoID description of a release: :func:`catalogue_turtle`, parsed.

    :param facts: the release's data as a whole.
    :param files: every file of the release the catalogue describes (all but itself
        and ``SHA256SUMS``).
    :param settings: the configured publisher, contact and addresses.
    """
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    graph.bind("release", RELEASE)
    return graph.parse(data=catalogue_turtle(facts, files, settings), format="turtle")
