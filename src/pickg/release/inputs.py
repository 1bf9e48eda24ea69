"""The sources of a release, read once: the quads the dumps are written from.

:func:`load_sources` reads every source file of the workspace once, with pyoxigraph,
as quads in the file's own named graph (:func:`source_graph_iri`), which is what
``pic.trig`` holds; the other dumps drop the graph names. Literals are read as
rdflib's parser reads them (``"01"^^xsd:integer`` becomes ``"1"``), language tags
as written, so the release is the same bytes as one written from rdflib graphs. A file
pyoxigraph would read differently (a language tag with a capital) or cannot read is
parsed by :func:`pickg.graph.rdfio.parse_file`, which also locates syntax errors; both
readers are :mod:`pickg.graph.rdfio`'s.

rdflib graphs are built only where a library needs them: the ontology header
(:attr:`Sources.ontology`) and the comparison with the previous release
(:attr:`Sources.graph`), each on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from pickg.graph.errors import InputError
from pickg.graph.namespaces import DCTERMS, RELEASE_GRAPH, bind_prefixes
from pickg.graph.quads import CanonicalTriples, canonical_triples, paused_gc, quads_from_rdflib
from pickg.graph.rdfio import parse_file, quads_as_read
from pickg.graph.terms import converted_triples, rdflib_term
from pickg.graph.workspace import Workspace
from pickg.release.versions import ontology_header

__all__ = ["SourceFile", "Sources", "header_facts", "load_sources", "rdflib_graph", "source_graph_iri"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def source_graph_iri(relative_path: str) -> URIRef:
    """The named graph of a source file in ``pic.trig``: ``<RELEASE_GRAPH><path without .ttl>``."""
    stem = relative_path[: -len(".ttl")] if relative_path.endswith(".ttl") else relative_path
    return RELEASE_GRAPH[quote(stem, safe="/-._~")]


@dataclass(frozen=True)
class SourceFile:
    """One source file: its part of the workspace, path, and triples (as quads of the default graph)."""

    part: str  #: "ontology", "vocabularies", "data" or "shapes"
    path: str  #: relative to the workspace
    iri: URIRef  #: its named graph in ``pic.trig``
    default_quads: list[ox.Quad]  #: its triples, in the default graph (what every dump but TriG writes)

    @cached_property
    def quads(self) -> list[ox.Quad]:
        """Its triples in its named graph (what TriG writes)."""
        name = ox.NamedNode(str(self.iri))
        quad = ox.Quad
        with paused_gc():
            return [quad(q.subject, q.predicate, q.object, name) for q in self.default_quads]

    @cached_property
    def iris(self) -> frozenset[str]:
        """Every IRI written in the file's triples (see :func:`pickg.release.dumps.iris_of`)."""
        from pickg.release.dumps import iris_of

        return frozenset(iris_of(self.default_quads))

    @cached_property
    def triples(self) -> int:
        """The number of distinct triples of the file."""
        return len(set(self.default_quads))


@dataclass(frozen=True)
class Sources:
    """The sources of a release, as pyoxigraph quads per file."""

    files: tuple[SourceFile, ...]
    _canonical: dict[tuple[str, ...], CanonicalTriples] = field(default_factory=dict, repr=False, compare=False)

    def quads(self, *parts: str) -> list[ox.Quad]:
        """The quads of the files of ``parts`` (all but the shapes if none given), in their named graphs."""
        wanted = parts or ("ontology", "vocabularies", "data")
        return [q for f in self.files if f.part in wanted for q in f.quads]

    def default_quads(self, *parts: str) -> list[ox.Quad]:
        """The quads of :meth:`quads` moved to the default graph (each file's converted once)."""
        wanted = parts or ("ontology", "vocabularies", "data")
        return [q for f in self.files if f.part in wanted for q in f.default_quads]

    def canonical_triples(self, *parts: str) -> CanonicalTriples:
        """The triples of ``parts`` (as :meth:`quads`) in canonical form, computed once per ``parts``."""
        key = parts or ("ontology", "vocabularies", "data")
        found = self._canonical.get(key)
        if found is None:
            found = self._canonical[key] = canonical_triples(self.default_quads(*key))
        return found

    def prefixes(self, *parts: str, graphs: bool = False) -> dict[str, str]:
        """The prefixes a dump of ``parts`` (as :meth:`quads`) declares; ``graphs``: with the graph names."""
        from pickg.release.dumps import prefixes_for

        wanted = parts or ("ontology", "vocabularies", "data")
        iris: set[str] = set()
        for f in self.files:
            if f.part in wanted:
                iris |= f.iris
                if graphs:
                    iris.add(str(f.iri))
        return prefixes_for(iris)

    def count(self, *parts: str) -> int:
        """The number of distinct triples of ``parts`` (as :meth:`quads`)."""
        return len(self.canonical_triples(*parts))

    @property
    def named(self) -> tuple[SourceFile, ...]:
        """The files of ``pic.trig``: ontology, vocabularies and data."""
        return tuple(f for f in self.files if f.part != "shapes")

    @cached_property
    def graph(self) -> Graph:
        """Ontology, vocabularies and data as one rdflib graph (built on first use)."""
        return rdflib_graph(self.quads())

    @cached_property
    def ontology(self) -> Graph:
        """The ontology as an rdflib graph (built on first use)."""
        return rdflib_graph(self.quads("ontology"))


def rdflib_graph(quads: Iterable[ox.Quad | ox.Triple]) -> Graph:
    """An rdflib graph of ``quads`` (graph names dropped), each distinct term converted once.

    The quads are read from files, never from a store: their decimals are as written,
    so they are converted as written (no decimal point added), blank nodes keep their labels.
    """
    # A store without contexts: a third faster to fill, and these graphs are only read.
    graph = bind_prefixes(Graph(store=SimpleMemory(), bind_namespaces="none"))
    with paused_gc():
        triples = converted_triples(quads, partial(rdflib_term, decimal_point=False))
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


#: Typed literals as rdflib's parser writes them back (it normalises some lexical forms).
_LEXICAL: dict[ox.Literal, ox.Literal] = {}


def _as_rdflib_reads(term: ox.Literal) -> ox.Literal:
    found = _LEXICAL.get(term)
    if found is None:
        lexical = str(Literal(term.value, datatype=URIRef(term.datatype.value)))
        found = _LEXICAL[term] = term if lexical == term.value else ox.Literal(lexical, datatype=term.datatype)
    return found


def _read(path: Path) -> list[ox.Quad]:
    """The triples of the file ``path`` as quads of the default graph."""
    read = quads_as_read(path) if path.suffix.lower() == ".ttl" else None
    if not read:
        return quads_from_rdflib(parse_file(path))  # reads it, or raises the error located
    literal, quad = ox.Literal, ox.Quad
    with paused_gc():
        quads = []
        for q in read:
            o = q.object
            if isinstance(o, literal) and not o.language and o.datatype.value != _XSD_STRING:
                as_rdflib = _as_rdflib_reads(o)
                if as_rdflib != o:
                    q = quad(q.subject, q.predicate, as_rdflib)
            quads.append(q)
    return quads


def load_sources(ws: Workspace) -> Sources:
    """Read every source file once; the release is built from these quads only.

    :raises InputError: the workspace has no ontology file.
    :raises ParseError: a file is not valid RDF, or holds no triple.
    """
    parts: Sequence[tuple[str, list[Path]]] = (
        ("ontology", ws.ontology_files()),
        ("vocabularies", ws.vocabulary_files()),
        ("data", ws.data_files()),
        ("shapes", ws.shape_files()),
    )
    if not parts[0][1]:
        raise InputError(f"{ws.ontology_dir} holds no ontology (*.ttl); a release needs one")
    files = []
    for part, paths in parts:
        for path in paths:
            relative = ws.relative(path)
            iri = source_graph_iri(relative)
            files.append(SourceFile(part, relative, iri, _read(path)))
    return Sources(tuple(files))


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
