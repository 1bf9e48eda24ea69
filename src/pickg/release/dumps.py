"""Deterministic dumps of the knowledge graph: N-Triples, Turtle, TriG and JSON-LD.

Each format is the same bytes for the same triples whatever the process, hash seed or
reading order, and is written by pyoxigraph (Rust) wherever it can be:

* blank nodes get the labels of the W3C RDF Dataset Canonicalization (RDFC-1.0,
  ``_:c14n0``, …), computed by pyoxigraph from the graph's structure, only when the
  graph has blank nodes; in TriG the graphs are canonicalised together, so blank nodes
  of two graphs never merge;
* N-Triples lines are sorted; Turtle and TriG write the triples in sorted order
  (graphs sorted by name) with the used prefixes of :data:`~pickg.graph.namespaces.PREFIXES`,
  declared in sorted order;
* JSON-LD is compacted with the release context (:mod:`pickg.release.jsonld`), every
  node, key and unordered array sorted.

Every format has two entry points: one taking rdflib graphs (:func:`ntriples`,
:func:`turtle`, :func:`trig`, :func:`jsonld`), one taking pyoxigraph triples or quads
(:func:`ntriples_ox`, :func:`turtle_ox`, :func:`trig_ox`, :func:`jsonld_ox`), so a
release can be written straight from an Oxigraph store. Both give the same bytes for
the same terms. Terms are written as given: an Oxigraph store keeps numbers in their
canonical form (``"23000000"^^xsd:decimal`` for ``23000000.0``); map its quads through
:func:`pickg.graph.terms.with_decimal_point` first to get the files' terms back.

:func:`pickg.graph.canonical.canonical_turtle` (rdflib ``longturtle``) stays the form of the
hand-edited sources; :func:`turtle` is the fast Turtle of a release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import Graph, URIRef

from pickg.graph.quads import OxStatement, canonical, in_default_graph, paused_gc, quads_from_rdflib
from pickg.graph.terms import to_ox
from pickg.release.jsonld import JSONLD_TERMS, jsonld, jsonld_context, jsonld_ox, prefixes_of

__all__ = [
    "JSONLD_TERMS",
    "jsonld",
    "jsonld_context",
    "iris_of",
    "jsonld_ox",
    "ntriples",
    "ntriples_ox",
    "prefixes_for",
    "trig",
    "trig_ox",
    "turtle",
    "turtle_ox",
]


def iris_of(quads: Iterable[ox.Quad]) -> set[str]:
    """Every IRI written in ``quads``: subjects, predicates, objects, datatypes and graph names."""
    iris: set[str] = set()
    named, literal = ox.NamedNode, ox.Literal
    for q in quads:
        iris.add(q.predicate.value)
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, named):
                iris.add(term.value)
            elif isinstance(term, literal):
                iris.add(term.datatype.value)
    return iris


def prefixes_for(iris: Iterable[str]) -> dict[str, str]:
    """The entries of :data:`PREFIXES` whose namespace starts one of ``iris``, sorted: what a dump declares."""
    return dict(sorted(prefixes_of(iris).items()))


def _with_prefixes(quads: list[ox.Quad], format: ox.RdfFormat, prefixes: dict[str, str] | None) -> str:
    """Turtle or TriG of ``quads`` (in their order), the used prefixes declared in sorted order.

    :param prefixes: :func:`prefixes_for` the IRIs of ``quads``, if known; found if None.
    """
    prefixes = prefixes if prefixes is not None else prefixes_for(iris_of(quads))
    text = _serialized(quads, format, prefixes)
    # The serializer's order of prefix lines is not part of its contract: write our own.
    body = text.split("\n")
    while body and body[0].startswith("@prefix "):
        body.pop(0)
    header = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in prefixes.items()]
    return "\n".join(header + [""] + body) if header else "\n".join(body)


def _serialized(quads: Iterable[ox.Quad], format: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> str:
    """pyoxigraph's serialisation of ``quads`` as text."""
    data = ox.serialize(quads, format=format, prefixes=prefixes)
    assert data is not None  # without an output to write to, serialize() returns the bytes
    return data.decode("utf-8")


# --- N-Triples ----------------------------------------------------------------------------


def ntriples(graph: Graph) -> str:
    """``graph`` as N-Triples, one triple a line, lines sorted, blank nodes canonical."""
    return _ntriples(quads_from_rdflib(graph))


def ntriples_ox(triples: Iterable[OxStatement]) -> str:
    """pyoxigraph triples (or quads, graph names dropped) as N-Triples, as :func:`ntriples`."""
    with paused_gc():
        return _ntriples(in_default_graph(triples))


def _ntriples(quads: list[ox.Quad]) -> str:
    with paused_gc():
        text = _serialized(canonical(quads), ox.RdfFormat.N_TRIPLES)
    lines = text.split("\n")
    lines.sort()  # the first line is the empty one after the last newline
    return "\n".join(lines[1:]) + "\n" if len(lines) > 1 else ""


# --- Turtle -------------------------------------------------------------------------------


def turtle(graph: Graph) -> str:
    """``graph`` as the Turtle of a release, written by pyoxigraph.

    Triples sorted (each subject written once, its predicates and objects in order),
    blank nodes canonical and labelled (never nested), the used prefixes of
    :data:`~pickg.graph.namespaces.PREFIXES`. Not the form of the hand-edited sources: that is
    :func:`pickg.graph.canonical.canonical_turtle`, a hundred times slower.
    """
    return _turtle(quads_from_rdflib(graph))


def turtle_ox(triples: Iterable[OxStatement], prefixes: dict[str, str] | None = None) -> str:
    """pyoxigraph triples (or quads, graph names dropped) as Turtle, as :func:`turtle`.

    :param prefixes: :func:`prefixes_for` the IRIs of ``triples``, if known (saves a pass).
    """
    with paused_gc():
        return _turtle(in_default_graph(triples), prefixes)


def _turtle(quads: list[ox.Quad], prefixes: dict[str, str] | None = None) -> str:
    with paused_gc():
        ordered = canonical(quads)
        ordered.sort(key=str)
        return _with_prefixes(ordered, ox.RdfFormat.TURTLE, prefixes)


# --- TriG ---------------------------------------------------------------------------------


def trig(graphs: Sequence[tuple[URIRef, Graph]]) -> str:
    """Named graphs as TriG: graphs sorted by name, quads sorted, project prefixes.

    :param graphs: (graph name, graph) pairs; names must be distinct.
    :returns: the TriG text; blank nodes are canonical, and those of different graphs
        stay distinct even where two graphs use the same rdflib label.
    """
    names = [name for name, _ in graphs]
    if len(set(names)) != len(names):
        raise ValueError("graph names must be distinct")
    quads: list[ox.Quad] = []
    for rank, (name, graph) in enumerate(sorted(graphs, key=lambda pair: str(pair[0]))):
        quads += quads_from_rdflib(graph, to_ox(name), f"g{rank}")
    return trig_ox(quads)


def trig_ox(quads: Iterable[ox.Quad], prefixes: dict[str, str] | None = None) -> str:
    """pyoxigraph quads as TriG: the default graph first, then graphs sorted by name.

    Quads are sorted within each graph; blank nodes are canonicalised over the whole
    dataset (RDFC-1.0), so two graphs share a blank node only where the quads do.

    :param prefixes: :func:`prefixes_for` the IRIs of ``quads``, if known (saves a pass).
    """
    default = ox.DefaultGraph()
    with paused_gc():
        ordered = canonical(list(quads))
        ordered.sort(key=lambda q: (q.graph_name != default, str(q.graph_name), str(q)))
        return _with_prefixes(ordered, ox.RdfFormat.TRIG, prefixes)
