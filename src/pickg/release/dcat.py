"""The metadata of a release: a DCAT 3 catalogue with a VoID description of the data.

``catalog.ttl`` describes the release as a ``dcat:Dataset`` and ``void:Dataset``
(version, issue date, licence, statistics, example resources, vocabularies) with one
``dcat:Distribution`` per file (media type, size in bytes, SHA-256 checksum as
``spdx:checksum``, number of triples for RDF files, of rows for CSV tables).
Publisher, contact point, landing page, download addresses and SPARQL endpoint come
from :mod:`pickg.release.settings`; when one is not configured its triples are absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef

from pickg.graph.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    ID,
    MEDIA_TYPE,
    OWL,
    PIC,
    PREFIXES,
    RDF,
    RELEASE,
    SPDX,
    VCARD,
    VOID,
    XSD,
    bind_prefixes,
    compact_iri,
)
from pickg.queries.counting import count_per_key, count_totals
from pickg.release.settings import PublishSettings
from pickg.release.templating import query_text

__all__ = [
    "DATASET_DESCRIPTION",
    "DATASET_TITLE",
    "EXAMPLE_CLASSES",
    "DatasetFacts",
    "FileFacts",
    "GraphCounts",
    "catalogue_graph",
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
    triples, subjects, objects, properties = count_totals(store, query_text("void-totals"))
    (entities,) = count_totals(store, query_text("void-entities"))
    partitions = count_per_key(store, query_text("void-class-partitions"), iri_keys=True)
    firsts = store.select(query_text("void-first-instances")).rows
    first = {cls: str(example) for cls, example in firsts if example is not None}
    terms = [str(t) for (t,) in store.select(query_text("void-vocabulary-terms")).rows if isinstance(t, URIRef)]
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


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.nonNegativeInteger)


def _agent(graph: Graph, settings: PublishSettings) -> BNode | None:
    if not (settings.publisher or settings.publisher_url):
        return None
    agent = BNode()
    graph.add((agent, RDF.type, FOAF.Agent))
    if settings.publisher:
        graph.add((agent, FOAF.name, Literal(settings.publisher)))
    if settings.publisher_url:
        graph.add((agent, FOAF.homepage, URIRef(settings.publisher_url)))
    return agent


def _contact(graph: Graph, settings: PublishSettings) -> BNode | None:
    if not (settings.contact_name or settings.contact_email or settings.contact_url):
        return None
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    if settings.contact_name:
        graph.add((contact, VCARD.fn, Literal(settings.contact_name)))
    if settings.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + settings.contact_email)))
    if settings.contact_url:
        graph.add((contact, VCARD.hasURL, URIRef(settings.contact_url)))
    return contact


def _distribution(
    graph: Graph, dataset: URIRef, facts: DatasetFacts, file: FileFacts, settings: PublishSettings
) -> None:
    dist = URIRef(f"{dataset}/{file.name}")
    graph.add((dataset, DCAT.distribution, dist))
    graph.add((dist, RDF.type, DCAT.Distribution))
    graph.add((dist, DCTERMS.title, Literal(file.title, lang="en")))
    graph.add((dist, DCTERMS.description, Literal(file.description, lang="en")))
    graph.add((dist, DCAT.mediaType, MEDIA_TYPE[file.media_type]))
    graph.add((dist, DCAT.byteSize, _count(file.size)))
    graph.add((dist, DCTERMS.license, facts.license))
    graph.add((dist, DCTERMS.issued, Literal(facts.issued, datatype=XSD.date)))
    checksum = BNode()
    graph.add((dist, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
    if file.triples is not None:
        graph.add((dist, VOID.triples, _count(file.triples)))
    if file.rows is not None:
        graph.add((dist, DCTERMS.extent, Literal(f"{file.rows} rows", lang="en")))
    if settings.download_url:
        folder = URIRef(f"{settings.download_url}{facts.version}/")
        graph.add((dist, DCAT.downloadURL, URIRef(f"{folder}{file.name}")))
        graph.add((dist, DCAT.accessURL, folder))


def catalogue_graph(facts: DatasetFacts, files: Sequence[FileFacts], settings: PublishSettings) -> Graph:
    """The DCAT + VoID description of a release.

    :param facts: the release's data as a whole.
    :param files: every file of the release the catalogue describes (all but itself
        and ``SHA256SUMS``).
    :param settings: the configured publisher, contact and addresses.
    """
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    graph.bind("release", RELEASE)
    dataset = dataset_iri(facts.version)
    catalog = URIRef(f"{dataset}/catalog")
    issued = Literal(facts.issued, datatype=XSD.date)

    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCTERMS.issued, issued))
    graph.add((catalog, DCTERMS.license, facts.license))
    for lang, text in DATASET_TITLE.items():
        graph.add((catalog, DCTERMS.title, Literal(f"{text} {facts.version}", lang=lang)))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    for lang, text in DATASET_TITLE.items():
        graph.add((dataset, DCTERMS.title, Literal(text, lang=lang)))
    for lang, text in DATASET_DESCRIPTION.items():
        graph.add((dataset, DCTERMS.description, Literal(text, lang=lang)))
    for keyword in _KEYWORDS:
        graph.add((dataset, DCAT.keyword, Literal(keyword)))
    graph.add((dataset, DCAT.version, Literal(facts.version)))
    graph.add((dataset, OWL.versionInfo, Literal(facts.version)))
    graph.add((dataset, DCTERMS.issued, issued))
    graph.add((dataset, DCTERMS.license, facts.license))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(str(PIC).rstrip("#"))))
    for creator in facts.creators:
        graph.add((dataset, DCTERMS.creator, creator))
    if facts.previous is not None:
        graph.add((dataset, DCAT.previousVersion, dataset_iri(facts.previous)))
    publisher = _agent(graph, settings)
    if publisher is not None:
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((catalog, DCTERMS.publisher, publisher))
    contact = _contact(graph, settings)
    if contact is not None:
        graph.add((dataset, DCAT.contactPoint, contact))
    if settings.landing_page:
        graph.add((dataset, DCAT.landingPage, URIRef(settings.landing_page)))
    if settings.sparql_endpoint:
        graph.add((dataset, VOID.sparqlEndpoint, URIRef(settings.sparql_endpoint)))

    # VoID statistics of the whole graph (pic.ttl and its other serialisations).
    graph.add((dataset, VOID.triples, _count(facts.triples)))
    graph.add((dataset, VOID.distinctSubjects, _count(facts.distinct_subjects)))
    graph.add((dataset, VOID.distinctObjects, _count(facts.distinct_objects)))
    graph.add((dataset, VOID.properties, _count(facts.properties)))
    graph.add((dataset, VOID.classes, _count(len(facts.class_partitions))))
    graph.add((dataset, VOID.entities, _count(facts.entities)))
    graph.add((dataset, VOID.uriSpace, Literal(facts.uri_space)))
    for vocabulary in facts.vocabularies:
        graph.add((dataset, VOID.vocabulary, vocabulary))
    for example in facts.example_resources:
        graph.add((dataset, VOID.exampleResource, example))
    for cls, count in facts.class_partitions:
        partition = URIRef(f"{dataset}/class/{quote(compact_iri(str(cls)).replace(':', '/'), safe='/-._~')}")
        graph.add((partition, RDF.type, VOID.Dataset))
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, _count(count)))

    for file in files:
        _distribution(graph, dataset, facts, file, settings)
        if settings.download_url and file.triples is not None and file.name.startswith("pic."):
            graph.add((dataset, VOID.dataDump, URIRef(f"{settings.download_url}{facts.version}/{file.name}")))
    return graph
