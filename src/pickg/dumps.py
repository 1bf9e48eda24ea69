"""Deterministic dumps of the knowledge graph: N-Triples, TriG and JSON-LD.

Canonical Turtle comes from :func:`pickg.rdfio.canonical_turtle`; this module adds
the other formats of a release, each the same bytes for the same triples whatever
the process, hash seed or reading order:

* blank nodes are relabelled from the graph's structure
  (:func:`rdflib.compare.to_canonical_graph`), per graph for TriG (with a per-graph
  prefix, so two files' blank nodes never merge);
* N-Triples lines are sorted; TriG quads are written by pyoxigraph in sorted order;
* JSON-LD is compacted with :func:`jsonld_context` and every node, key and
  unordered array is sorted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from pickg.errors import InputError
from pickg.namespaces import DCTERMS, ORG, OWL, PIC, PREFIXES, RDF, RDFS, SCHEMA, SKOS, compact_iri

__all__ = ["JSONLD_TERMS", "jsonld", "jsonld_context", "ntriples", "trig"]

#: Short JSON-LD names for the standard properties the data uses most. The
#: ontology's own properties get their local name (:func:`jsonld_context`).
JSONLD_TERMS: dict[str, URIRef] = {
    "label": RDFS.label,
    "comment": RDFS.comment,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "definition": SKOS.definition,
    "scopeNote": SKOS.scopeNote,
    "editorialNote": SKOS.editorialNote,
    "notation": SKOS.notation,
    "inScheme": SKOS.inScheme,
    "broader": SKOS.broader,
    "narrower": SKOS.narrower,
    "title": DCTERMS.title,
    "description": DCTERMS.description,
    "source": DCTERMS.source,
    "creator": DCTERMS.creator,
    "date": DCTERMS.date,
    "issued": DCTERMS.issued,
    "url": SCHEMA.url,
    "value": SCHEMA.value,
    "currency": SCHEMA.currency,
    "startDate": SCHEMA.startDate,
    "member": ORG.member,
    "organization": ORG.organization,
    "role": ORG.role,
}

_LANGUAGE_MAPPED = {RDFS.label, SKOS.prefLabel, SKOS.definition}


# --- terms ------------------------------------------------------------------------------


def _to_oxigraph(term: Node, bnode_prefix: str = "") -> Any:
    """The pyoxigraph term for an rdflib term."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(bnode_prefix + str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise InputError(f"the term {term.n3()} is not valid RDF ({exc}); correct it in the data") from None
    raise TypeError(f"not an RDF term: {term!r}")


def _canonical(graph: Graph) -> Graph:
    """``graph`` with its blank nodes named from the graph's structure (a copy if it has any)."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    out = Graph(bind_namespaces="none")
    out += to_canonical_graph(graph)
    return out


def _used_prefixes(terms: Iterable[Node]) -> dict[str, str]:
    """The entries of :data:`PREFIXES` whose namespace starts an IRI among ``terms``."""
    iris = {str(t) for t in terms if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for t in terms if isinstance(t, Literal) and t.datatype is not None}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


# --- N-Triples and TriG -----------------------------------------------------------------


def ntriples(graph: Graph) -> str:
    """``graph`` as N-Triples, one triple a line, lines sorted, blank nodes canonical."""
    canonical = _canonical(graph)
    triples = [ox.Triple(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o)) for s, p, o in canonical]
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    lines = sorted(line for line in text.split("\n") if line)
    return "".join(line + "\n" for line in lines)


def trig(graphs: Sequence[tuple[URIRef, Graph]]) -> str:
    """Named graphs as TriG: graphs sorted by name, quads sorted, project prefixes.

    :param graphs: (graph name, graph) pairs; names must be distinct.
    :returns: the TriG text; each graph's blank nodes are canonical and prefixed with
        the graph's rank, so blank nodes of different graphs stay distinct.
    """
    names = [name for name, _ in graphs]
    if len(set(names)) != len(names):
        raise ValueError("graph names must be distinct")
    quads: list[tuple[tuple[str, str, str, str], Any]] = []
    terms: set[Node] = set()
    for rank, (name, graph) in enumerate(sorted(graphs, key=lambda pair: str(pair[0]))):
        prefix = f"g{rank}"
        oxi_name = _to_oxigraph(name)
        for s, p, o in _canonical(graph):
            terms.update((s, p, o))
            quad = ox.Quad(_to_oxigraph(s, prefix), _to_oxigraph(p), _to_oxigraph(o, prefix), oxi_name)
            key = (str(name), str(quad.subject), str(quad.predicate), str(quad.object))
            quads.append((key, quad))
    quads.sort(key=lambda pair: pair[0])
    prefixes = _used_prefixes(terms)
    text = ox.serialize([quad for _, quad in quads], format=ox.RdfFormat.TRIG, prefixes=prefixes).decode("utf-8")
    # The serializer's order of prefix lines is not part of its contract: write our own.
    body = text.split("\n")
    while body and body[0].startswith("@prefix "):
        body.pop(0)
    header = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in sorted(prefixes.items())]
    return "\n".join(header + [""] + body) if header else "\n".join(body)


# --- JSON-LD ----------------------------------------------------------------------------


def _coercion(graph: Graph, predicate: URIRef) -> dict[str, str]:
    """How to write the values of ``predicate``: as IRIs, language maps or one datatype."""
    values = list(graph.objects(None, predicate))
    if not values:
        return {}
    if all(isinstance(v, URIRef) for v in values):
        return {"@type": "@id"}
    if predicate in _LANGUAGE_MAPPED and all(isinstance(v, Literal) and v.language for v in values):
        return {"@container": "@language"}
    datatypes = {v.datatype if isinstance(v, Literal) and not v.language else None for v in values}
    if len(datatypes) == 1 and None not in datatypes:
        return {"@type": str(datatypes.pop())}
    return {}


def jsonld_context(graph: Graph) -> dict[str, Any]:
    """The JSON-LD context of a release: prefixes and short names for the main properties.

    The names: ``id`` and ``type`` for ``@id`` and ``@type``, those of
    :data:`JSONLD_TERMS`, and the local name of every ``pic:`` property the ontology
    declares (unless already taken). Values are coerced when all of a property's
    values in ``graph`` allow it: IRIs (``"@type": "@id"``), one datatype, or a
    language map for labels and definitions.

    :param graph: the graph to write (holding the ontology).
    """
    context: dict[str, Any] = {"id": "@id", "type": "@type"}
    context.update(_used_prefixes({t for triple in graph for t in triple}))
    terms: dict[str, URIRef] = dict(JSONLD_TERMS)
    declared = set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    for prop in sorted(p for p in declared if isinstance(p, URIRef) and p.startswith(str(PIC))):
        local = prop[len(str(PIC)) :]
        if local and local not in terms and local not in context:
            terms[local] = prop
    used = set(graph.predicates())
    for name, prop in sorted(terms.items()):
        # A prefix keeps its name, so every IRI compacts as in the Turtle files.
        if prop in used and name not in PREFIXES:
            definition = {"@id": str(prop), **_coercion(graph, prop)}
            context[name] = definition if len(definition) > 1 else str(prop)
    # Properties left without a short name keep their prefixed name as key, with the
    # same coercion ("dcterms:source": ["source:pic-p1"]).
    named = {str(v["@id"] if isinstance(v, dict) else v) for k, v in context.items() if k not in PREFIXES}
    namespaces = sorted(context[p] for p in PREFIXES if p in context)
    for prop in sorted(p for p in used if isinstance(p, URIRef) and str(p) not in named and p != RDF.type):
        coercion = _coercion(graph, prop)
        curie = compact_iri(str(prop))
        if coercion and curie != str(prop) and any(str(prop).startswith(ns) for ns in namespaces):
            context[curie] = {"@id": str(prop), **coercion}
    return context


def _sort_json(value: Any, *, ordered: bool = False) -> Any:
    """Sort unordered arrays (not ``@list``) recursively; keys are sorted on output."""
    if isinstance(value, dict):
        return {key: _sort_json(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sort_json(item) for item in value]
        if ordered:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph, context: dict[str, Any] | None = None) -> str:
    """``graph`` as compacted JSON-LD with ``context`` (:func:`jsonld_context` if None).

    Nodes are sorted by ``id``, keys and unordered arrays sorted, blank nodes
    canonical; the context is written inline so the file stands alone.
    """
    context = jsonld_context(graph) if context is None else context
    canonical = _canonical(graph)
    text = canonical.serialize(format="json-ld", context=context, auto_compact=False)
    document = json.loads(text)
    if isinstance(document, list):  # an empty graph
        document = {"@context": context, "@graph": document}
    nodes = document.get("@graph")
    if nodes is None:  # a single node is written without @graph
        nodes = [{key: value for key, value in document.items() if key != "@context"}]
    document = {"@context": context, "@graph": _sort_json(nodes)}
    document["@graph"].sort(key=lambda node: (str(node.get("id", "")), json.dumps(node, sort_keys=True)))
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
