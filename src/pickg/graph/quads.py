"""pyoxigraph quads for the release writers: from rdflib graphs, and canonical.

:func:`quads_from_rdflib` turns an rdflib graph into pyoxigraph quads (each distinct
term converted once); :func:`canonical` removes duplicates and relabels blank nodes
with the W3C RDF Dataset Canonicalization (RDFC-1.0), so that a dump does not depend
on the labels a parser happened to choose.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from pickg.graph.collector import paused_gc
from pickg.graph.terms import converted_triples, to_ox

__all__ = [
    "CanonicalTriples",
    "OxStatement",
    "canonical",
    "canonical_triples",
    "in_default_graph",
    "paused_gc",
    "quads_from_rdflib",
]

#: A pyoxigraph triple or quad.
OxStatement = ox.Triple | ox.Quad


def quads_from_rdflib(graph: Graph, graph_name: Any = None, bnode_prefix: str = "") -> list[ox.Quad]:
    """The triples of ``graph`` as pyoxigraph quads in ``graph_name`` (the default graph if None).

    Blank node labels get ``bnode_prefix``; each distinct term is converted once
    (:func:`~pickg.graph.terms.converted_triples`).

    :raises InputError: a term is not valid RDF (an IRI with a space, a bad language tag).
    """
    name = ox.DefaultGraph() if graph_name is None else graph_name
    quad = ox.Quad
    with paused_gc():
        triples = converted_triples(graph.triples((None, None, None)), partial(to_ox, bnode_prefix=bnode_prefix))
        # rdflib types every position as any term; the readers refuse a literal subject
        # or a predicate that is not an IRI (generalised RDF), so none reaches here.
        return [quad(s, p, o, name) for s, p, o in triples]  # type: ignore[arg-type]


class CanonicalTriples(list[ox.Quad]):
    """Quads of the default graph, without duplicates, blank nodes labelled by RDFC-1.0.

    What :func:`canonical_triples` returns. :func:`in_default_graph` and
    :func:`canonical` take it as it is, so a graph written in several formats is
    converted and canonicalised once.
    """


def canonical_triples(statements: Iterable[OxStatement]) -> CanonicalTriples:
    """``statements`` in the default graph (graph names dropped), through :func:`canonical`."""
    if isinstance(statements, CanonicalTriples):
        return statements
    return CanonicalTriples(canonical(in_default_graph(statements)))


def in_default_graph(statements: Iterable[OxStatement]) -> list[ox.Quad]:
    """``statements`` as quads of the default graph (graph names dropped)."""
    if isinstance(statements, CanonicalTriples):
        return statements
    default = ox.DefaultGraph()
    return [
        s if isinstance(s, ox.Quad) and s.graph_name == default else ox.Quad(s.subject, s.predicate, s.object)
        for s in statements
    ]


def canonical(quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """``quads`` without duplicates, blank nodes relabelled by RDFC-1.0 (``_:c14n0``, …).

    Only the quads that hold a blank node go through the canonicalisation: the labels
    depend on them alone, and copying the others into a dataset would cost more than
    the rest of the work. The order of the result is not defined.
    """
    if isinstance(quads, CanonicalTriples):
        return list(quads)
    blank = ox.BlankNode
    plain: set[ox.Quad] = set()
    with_blanks: list[ox.Quad] = []
    for q in quads:
        if isinstance(q.subject, blank) or isinstance(q.object, blank) or isinstance(q.graph_name, blank):
            with_blanks.append(q)
        else:
            plain.add(q)
    if not with_blanks:
        return list(plain)
    dataset = ox.Dataset(with_blanks)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [*plain, *dataset]
