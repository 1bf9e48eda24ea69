"""The metadata of a release: a DCAT-AP 3 catalogue with a VoID description of the data.

``catalog.ttl`` describes the release as a ``dcat:Dataset`` and ``void:Dataset``
(version, issue and modification dates, licence, languages, spatial coverage
Montréal, temporal coverage the programme's phases as the graph states them, theme
SOCI of the EU data-theme vocabulary, statistics, example resources, vocabularies)
with one ``dcat:Distribution`` per file (download and access addresses, EU file type
and IANA media type, size in bytes, SHA-256 checksum as ``spdx:checksum``, number of
triples for RDF files, of rows for CSV tables). It is written to conform to the
DCAT-AP 3 shapes (:mod:`pickg.release.dcatap` checks it).

Files are served at ``<base>/<version>/<file>``: the base is the ``download_url``
setting (``pickg publish --base-url``), by default :data:`DEFAULT_BASE_URL`, so that
the addresses are the release IRIs themselves. The publisher is the configured one,
else the one creator of the ontology header (those who make the graph publish its
releases); contact point, landing page and SPARQL endpoint come from
:mod:`pickg.release.settings` only, and when one is not configured its triples are
absent.

The Turtle is written by the template ``templates/catalog.ttl.j2``, every IRI and
literal through the escaping filters of :mod:`pickg.release.templating`; this module
prepares the values and parses the text into the graph the release writes. The counts
come from the queries ``sparql/void-*.rq``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, Namespace, URIRef

from pickg.graph.messages import in_every_language
from pickg.graph.namespaces import (
    ID,
    MEDIA_TYPE,
    PIC,
    PREFIXES,
    RELEASE,
    bind_prefixes,
    compact_iri,
)
from pickg.graph.rdfio import parse_data
from pickg.queries.catalogue import packaged_query
from pickg.queries.counting import count_per_key, count_totals
from pickg.release.settings import PublishSettings
from pickg.release.templating import render, turtle_iri

__all__ = [
    "DEFAULT_BASE_URL",
    "FILE_TYPES",
    "EXAMPLE_CLASSES",
    "DatasetFacts",
    "FileFacts",
    "GraphCounts",
    "PhaseFacts",
    "base_url",
    "catalogue_graph",
    "catalogue_turtle",
    "count_graph",
    "dataset_facts",
    "dataset_iri",
]

#: Classes whose first instance (by IRI) the catalogue gives as ``void:exampleResource``.
EXAMPLE_CLASSES = (PIC.Programme, PIC.Phase, PIC.Neighbourhood, PIC.Initiative, PIC.RoleAssignment, PIC.Source)

#: Where files are served when no ``download_url`` is configured: the release IRIs themselves.
DEFAULT_BASE_URL = str(RELEASE)
#: The EU Publications Office's file-type authority table.
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
#: The ``dct:format`` of each media type a release writes, from :data:`FILE_TYPE`. The
#: table has no Markdown entry: Markdown is plain text (``TXT``); CSVW metadata is JSON-LD.
FILE_TYPES: dict[str, URIRef] = {
    "text/turtle": FILE_TYPE.RDF_TURTLE,
    "application/n-triples": FILE_TYPE.RDF_N_TRIPLES,
    "application/ld+json": FILE_TYPE.JSON_LD,
    "application/trig": FILE_TYPE.RDF_TRIG,
    "text/html": FILE_TYPE.HTML,
    "text/csv": FILE_TYPE.CSV,
    "application/json": FILE_TYPE.JSON,
    "application/csvm+json": FILE_TYPE.JSON_LD,
    "text/markdown": FILE_TYPE.TXT,
    "application/yaml": FILE_TYPE.YAML,
}
#: Languages of the data (``dct:language``), from the EU language authority table.
_LANGUAGES = (
    "http://publications.europa.eu/resource/authority/language/FRA",
    "http://publications.europa.eu/resource/authority/language/ENG",
)
#: The EU data-theme vocabulary (``dcat:themeTaxonomy``) and its labels.
_DATA_THEMES = {
    "iri": "http://publications.europa.eu/resource/authority/data-theme",
    "labels": {"en": "Data theme"},
}
#: The data theme (``dcat:theme``): Population and society (its labels: ``release.theme``).
_THEME_IRI = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
_ATTRIBUTION = {"iri": "http://purl.org/adms/licencetype/Attribution", "label": "Attribution"}
#: The kind of licence (ADMS licence types) of each licence a release may carry.
_LICENCE_TYPES = {
    "https://creativecommons.org/licenses/by/4.0/": _ATTRIBUTION,
    "http://creativecommons.org/licenses/by/4.0/": _ATTRIBUTION,
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
class PhaseFacts:
    """A phase of the programme as the graph states it: one period of the temporal coverage."""

    iri: URIRef
    label_fr: str | None
    label_en: str | None
    start: str | None  #: its start year, as written in the graph (``xsd:gYear``)
    end: str | None  #: its end year


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
    """What the catalogue counts in the release's graph, in the store (:func:`count_graph`)."""

    triples: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    entities: int
    class_partitions: tuple[tuple[URIRef, int], ...]
    vocabularies: tuple[URIRef, ...]
    example_resources: tuple[URIRef, ...]
    phases: tuple[PhaseFacts, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DatasetFacts(GraphCounts):
    """What the catalogue says about the release's data as a whole: the counts of the
    graph (:class:`GraphCounts`), and the release's own facts."""

    version: str
    issued: dt.date
    previous: str | None
    license: URIRef
    creators: tuple[Literal | URIRef, ...]
    uri_space: str


def _text(term: object) -> str | None:
    return None if term is None else str(term)


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
    phases = tuple(
        PhaseFacts(phase, _text(fr), _text(en), _text(start), _text(end))
        for phase, fr, en, start, end in store.select(packaged_query("pickg.release", "dcat-phases")).rows
        if isinstance(phase, URIRef) and (start is not None or end is not None)
    )
    return GraphCounts(
        triples=triples,
        distinct_subjects=subjects,
        distinct_objects=objects,
        properties=properties,
        entities=entities,
        class_partitions=tuple(sorted((cls, n) for cls, n in partitions if isinstance(cls, URIRef))),
        vocabularies=_vocabularies(terms),
        example_resources=tuple(URIRef(first[cls]) for cls in EXAMPLE_CLASSES if cls in first),
        phases=tuple(sorted(phases, key=lambda p: (p.start or "", str(p.iri)))),
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
        **vars(counts),
        version=version,
        issued=issued,
        previous=previous,
        license=license,
        creators=creators,
        uri_space=str(ID),
    )


def dataset_iri(version: str) -> URIRef:
    """The IRI of a release: ``https://w3id.org/pickg/release/<version>``."""
    return RELEASE[version]


def _partition_iri(dataset: URIRef, cls: URIRef) -> str:
    """``<dataset>/class/<prefix>/<name>``: the IRI of the ``void:classPartition`` of ``cls``."""
    return f"{dataset}/class/{quote(compact_iri(str(cls)).replace(':', '/'), safe='/-._~')}"


def base_url(settings: PublishSettings) -> str:
    """Where the releases are served: the ``download_url`` setting, else :data:`DEFAULT_BASE_URL`."""
    return settings.download_url or DEFAULT_BASE_URL


def _distribution(dataset: URIRef, version: str, file: FileFacts, settings: PublishSettings) -> dict[str, Any]:
    folder = f"{base_url(settings)}{version}/"
    if file.media_type not in FILE_TYPES:
        raise ValueError(f"{file.name}: no EU file type is known for the media type {file.media_type!r}")
    return {
        "iri": f"{dataset}/{file.name}",
        "title": file.title,
        "description": file.description,
        "media_type": MEDIA_TYPE[file.media_type],
        "format": FILE_TYPES[file.media_type],
        "size": file.size,
        "sha256": file.sha256,
        "triples": file.triples,
        "rows": file.rows,
        "folder": folder,
        "download": f"{folder}{file.name}",
    }


def catalogue_turtle(facts: DatasetFacts, files: Sequence[FileFacts], settings: PublishSettings) -> str:
    """The DCAT + VoID description of a release as Turtle, rendered from ``templates/catalog.ttl.j2``.

    Not the bytes of ``catalog.ttl``: :func:`catalogue_graph` parses it and the release
    writes that graph in its canonical Turtle.

    :raises ValueError: a configured address is not an IRI.
    """
    dataset = dataset_iri(facts.version)
    creators = [
        {"node": f"_:creator{index}", "iri": creator if isinstance(creator, URIRef) else None, "name": creator}
        for index, creator in enumerate(facts.creators, start=1)
    ]
    for creator in creators:
        if creator["iri"] is not None:
            creator["node"] = turtle_iri(creator["iri"])
    publisher = (settings.publisher or settings.publisher_url) and {
        "node": "_:publisher",
        "name": settings.publisher,
        "homepage": settings.publisher_url,
        "creator": False,
    }
    if not publisher and len(creators) == 1:
        publisher = {"node": creators[0]["node"], "name": None, "homepage": None, "creator": True}
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
        titles=in_every_language("release.dataset_title"),
        descriptions=in_every_language("release.dataset_description"),
        keywords=_KEYWORDS,
        conforms_to=str(PIC).rstrip("#"),
        creators=creators,
        catalogue_descriptions=in_every_language("release.catalogue_description"),
        languages=_LANGUAGES,
        theme={"iri": _THEME_IRI, "labels": in_every_language("release.theme")},
        themes=_DATA_THEMES,
        licence_type=_LICENCE_TYPES.get(str(facts.license)),
        formats=sorted({file["format"] for file in distributions}),
        media_types=sorted({file["media_type"] for file in distributions}),
        phases=facts.phases,
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
    return parse_data(catalogue_turtle(facts, files, settings), graph=graph)
