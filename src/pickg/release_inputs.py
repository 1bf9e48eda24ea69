"""The sources of a release, read once: the graphs the dumps are written from.

:func:`load_sources` parses every source file of the workspace once
(:func:`pickg.rdfio.parse_file`) and keeps the whole graph, the ontology, the
vocabularies and the shapes apart, and each source file as its own named graph for
``pic.trig`` (:func:`source_graph_iri`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from pickg.errors import InputError
from pickg.namespaces import DCTERMS, RELEASE_GRAPH, bind_prefixes
from pickg.rdfio import parse_file
from pickg.releases import ontology_header
from pickg.workspace import Workspace

__all__ = ["Sources", "header_facts", "load_sources", "source_graph_iri"]


@dataclass(frozen=True)
class Sources:
    """The parsed sources of a release."""

    graph: Graph  #: ontology + vocabularies + data
    ontology: Graph
    vocabularies: Graph
    shapes: Graph
    named: tuple[tuple[URIRef, str, Graph], ...]  #: (graph name, relative path, graph) per source file


def source_graph_iri(relative_path: str) -> URIRef:
    """The named graph of a source file in ``pic.trig``: ``<RELEASE_GRAPH><path without .ttl>``."""
    stem = relative_path[: -len(".ttl")] if relative_path.endswith(".ttl") else relative_path
    return RELEASE_GRAPH[quote(stem, safe="/-._~")]


def _union(graphs: Sequence[Graph]) -> Graph:
    union = bind_prefixes(Graph(bind_namespaces="none"))
    for graph in graphs:
        for prefix, namespace in sorted(graph.namespaces()):
            if prefix not in dict(union.namespaces()) and namespace not in {n for _, n in union.namespaces()}:
                union.bind(prefix, namespace)
        union += graph
    return union


def load_sources(ws: Workspace) -> Sources:
    """Parse every source file once; the release is built from these graphs only.

    :raises InputError: the workspace has no ontology file.
    :raises ParseError: a file is not valid RDF.
    """

    def read(paths: Sequence[Path]) -> list[tuple[Path, Graph]]:
        return [(path, parse_file(path)) for path in paths]

    ontology = read(ws.ontology_files())
    vocabularies = read(ws.vocabulary_files())
    data = read(ws.data_files())
    shapes = read(ws.shape_files())
    if not ontology:
        raise InputError(f"{ws.ontology_dir} holds no ontology (*.ttl); a release needs one")
    named = tuple(
        (source_graph_iri(ws.relative(path)), ws.relative(path), graph)
        for path, graph in ontology + vocabularies + data
    )
    return Sources(
        graph=_union([g for _, _, g in named]),
        ontology=_union([g for _, g in ontology]),
        vocabularies=_union([g for _, g in vocabularies]),
        shapes=_union([g for _, g in shapes]),
        named=named,
    )


def header_facts(ontology: Graph) -> tuple[URIRef, tuple[Literal | URIRef, ...]]:
    """The licence and creators stated in the ontology header.

    :raises InputError: the header does not name exactly one licence.
    """
    header = ontology_header(ontology)
    licences = sorted(o for o in ontology.objects(header, DCTERMS.license) if isinstance(o, URIRef))
    if len(licences) != 1:
        raise InputError(
            f"the ontology header <{header}> must name exactly one dcterms:license (it names {len(licences)}); "
            "the release states it for every file"
        )
    creators = tuple(sorted(o for o in ontology.objects(header, DCTERMS.creator) if isinstance(o, Literal | URIRef)))
    return licences[0], creators
