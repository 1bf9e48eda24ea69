"""The JSON-LD dump of a release: compacted with the release context, deterministic.

The compaction is the one rdflib's JSON-LD serializer makes with the same context
(``rdflib.plugins.serializers.jsonld.from_rdf``: a node per subject, keys and values
compacted with the context's terms and prefixes, native numbers and booleans, lists as
``@list``), done here in one pass over pyoxigraph terms: rdflib's converter queries its
store for every triple and took most of a release's time. Where rdflib's converter
loses data it is not followed: a property's second value is kept when the first is
``0``, ``false`` or ``""``, and blank nodes that only blank nodes reference are written.

Nodes are sorted by ``id``, keys and unordered arrays sorted, blank nodes canonical
(:func:`pickg.graph.quads.canonical`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as _quote
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from pickg.graph.namespaces import DCTERMS, ORG, OWL, PIC, PREFIXES, RDF, RDFS, SCHEMA, SKOS, compact_iri
from pickg.graph.quads import OxStatement, canonical, in_default_graph, paused_gc, quads_from_rdflib

__all__ = ["JSONLD_TERMS", "context_from_quads", "jsonld", "jsonld_context", "jsonld_ox", "prefixes_of"]

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

_LANGUAGE_MAPPED = {str(RDFS.label), str(SKOS.prefLabel), str(SKOS.definition)}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"
_LANG_STRING = str(RDF.langString)
_RDF_TYPE = str(RDF.type)
_FIRST, _REST, _NIL = str(RDF.first), str(RDF.rest), ox.NamedNode(str(RDF.nil))
_LIST = ox.NamedNode(str(RDF.List))
#: The characters that end a prefix's IRI (rdflib: ``URI_GEN_DELIMS``).
_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")


def _datatype(literal: ox.Literal) -> str | None:
    """The literal's datatype as rdflib gives it: None for plain and language-tagged strings."""
    if literal.language:
        return None
    datatype = literal.datatype.value
    return None if datatype in (_XSD_STRING, _LANG_STRING) else datatype


# --- the context ------------------------------------------------------------------------


def _coercion(values: Sequence[Any], predicate: str) -> dict[str, str]:
    """How to write the values of ``predicate``: as IRIs, language maps or one datatype."""
    if not values:
        return {}
    if all(isinstance(v, ox.NamedNode) for v in values):
        return {"@type": "@id"}
    if predicate in _LANGUAGE_MAPPED and all(isinstance(v, ox.Literal) and v.language for v in values):
        return {"@container": "@language"}
    datatypes = {_datatype(v) if isinstance(v, ox.Literal) else None for v in values}
    if len(datatypes) == 1:
        (datatype,) = datatypes
        if datatype is not None:
            return {"@type": datatype}
    return {}


class _Triples:
    """The triples of one graph, read once: by subject, and each predicate's objects."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.by_subject: dict[Any, list[tuple[str, Any]]] = {}
        self.objects: dict[str, list[Any]] = {}  # predicate IRI → its objects
        self.referenced: set[Any] = set()  # blank nodes used as objects
        self.typed: list[tuple[Any, Any]] = []  # (subject, class) of rdf:type triples
        by_subject, objects, blank = self.by_subject, self.objects, ox.BlankNode
        for q in quads:
            subject, predicate, obj = q.subject, q.predicate.value, q.object
            entry = by_subject.get(subject)
            if entry is None:
                entry = by_subject[subject] = []
            entry.append((predicate, obj))
            values = objects.get(predicate)
            if values is None:
                values = objects[predicate] = []
            values.append(obj)
            if isinstance(obj, blank):
                self.referenced.add(obj)
            elif predicate == _RDF_TYPE:
                self.typed.append((subject, obj))

    def iris(self) -> set[str]:
        """Every IRI: of subjects, predicates, objects and datatypes."""
        iris = set(self.objects)
        terms = set(self.by_subject)
        for values in self.objects.values():
            terms.update(values)
        for term in terms:
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                datatype = _datatype(term)
                if datatype is not None:
                    iris.add(datatype)
        return iris


def prefixes_of(iris: Iterable[str]) -> dict[str, str]:
    """The entries of :data:`PREFIXES` whose namespace starts one of ``iris``, in their order."""
    # Every namespace ends with "/" or "#": it starts an IRI if it is one of the IRI's
    # beginnings that end there (a handful per IRI, against 47 namespaces).
    starts: set[str] = set()
    for iri in iris:
        end = len(iri)
        while end > 0:
            end = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if end < 0 or iri[: end + 1] in starts:
                break
            starts.add(iri[: end + 1])
    return {prefix: ns for prefix, ns in PREFIXES.items() if ns in starts}


def context_from_quads(quads: Iterable[ox.Quad]) -> dict[str, Any]:
    """The release context (:func:`jsonld_context`) of pyoxigraph quads."""
    return _context(_Triples(quads))


def _context(triples: _Triples) -> dict[str, Any]:
    objects = triples.objects
    properties = {str(OWL.ObjectProperty), str(OWL.DatatypeProperty)}
    declared = {
        s.value
        for s, o in triples.typed
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and o.value in properties
    }
    context: dict[str, Any] = {"id": "@id", "type": "@type"}
    context.update(prefixes_of(triples.iris()))
    terms: dict[str, str] = {name: str(iri) for name, iri in JSONLD_TERMS.items()}
    for prop in sorted(p for p in declared if p.startswith(str(PIC))):
        local = prop[len(str(PIC)) :]
        if local and local not in terms and local not in context:
            terms[local] = prop
    for name, prop in sorted(terms.items()):
        # A prefix keeps its name, so every IRI compacts as in the Turtle files.
        if prop in objects and name not in PREFIXES:
            definition = {"@id": prop, **_coercion(objects[prop], prop)}
            context[name] = definition if len(definition) > 1 else prop
    # Properties left without a short name keep their prefixed name as key, with the
    # same coercion ("dcterms:source": ["source:pic-p1"]).
    named = {str(v["@id"] if isinstance(v, dict) else v) for k, v in context.items() if k not in PREFIXES}
    namespaces = sorted(context[p] for p in PREFIXES if p in context)
    for prop in sorted(p for p in objects if p not in named and p != _RDF_TYPE):
        coercion = _coercion(objects[prop], prop)
        curie = compact_iri(prop)
        if coercion and curie != prop and any(prop.startswith(ns) for ns in namespaces):
            context[curie] = {"@id": prop, **coercion}
    return context


def jsonld_context(graph: Graph) -> dict[str, Any]:
    """The JSON-LD context of a release: prefixes and short names for the main properties.

    The names: ``id`` and ``type`` for ``@id`` and ``@type``, those of
    :data:`JSONLD_TERMS`, and the local name of every ``pic:`` property the ontology
    declares (unless already taken). Values are coerced when all of a property's
    values in ``graph`` allow it: IRIs (``"@type": "@id"``), one datatype, or a
    language map for labels and definitions.

    :param graph: the graph to write (holding the ontology).
    """
    return context_from_quads(quads_from_rdflib(graph))


# --- compaction -------------------------------------------------------------------------


def _absolute(iri: Any) -> bool:
    return isinstance(iri, str) and ("://" in iri or iri.startswith("urn:"))


def _check_context(context: dict[str, Any]) -> None:
    """Refuse a context whose features the compaction here does not implement."""
    problem = None
    if context.get("id") != "@id" or context.get("type") != "@type":
        problem = 'it must map "id" to "@id" and "type" to "@type"'
    for name, value in context.items():
        if problem or name in ("id", "type"):
            continue
        if name.startswith("@") or (isinstance(value, str) and not _absolute(value)):
            problem = f"{name!r} is not a term for an absolute IRI"
        elif isinstance(value, dict):
            kind, container = value.get("@type"), value.get("@container")
            if set(value) - {"@id", "@type", "@container"} or not _absolute(value.get("@id")):
                problem = f"{name!r} has keys other than @id, @type and @container, or no absolute @id"
            elif container not in (None, "@language") or (container and kind):
                problem = f"{name!r} has a container other than @language"
            elif kind is not None and kind != "@id" and not _absolute(kind):
                problem = f"{name!r} is coerced to {kind!r}"
        elif not isinstance(value, str):
            problem = f"{name!r} is not a string or a term definition"
    if problem:
        raise ValueError(f"unsupported JSON-LD context: {problem}")


def _native(value: str, datatype: str) -> Any:
    """A boolean, integer or double as a JSON value (the lexical form if it is not valid)."""
    if datatype == _XSD + "boolean":
        return {"true": True, "1": True, "false": False, "0": False}.get(value, value)
    try:
        return int(value) if datatype == _XSD + "integer" else float(value)
    except ValueError:
        return value


_NATIVE = {_XSD + "boolean", _XSD + "integer", _XSD + "double"}


class _Compactor:
    """Compacts the triples of one graph into JSON-LD nodes with one context."""

    def __init__(self, context: dict[str, Any], triples: _Triples) -> None:
        _check_context(context)
        self.plain: dict[str, str] = {}  # IRI → name of a term without coercion or container
        self.typed: dict[tuple[str, str], str] = {}  # (IRI, datatype or "@id") → name
        self.language_maps: dict[str, str] = {}  # IRI → name of a language map
        self.special: set[str] = set()  # names of terms with a coercion or container
        self.prefixes: dict[str, str] = {}  # namespace → prefix
        for name, value in context.items():
            if name in ("id", "type"):
                continue
            iri, kind, container = (value, None, None) if isinstance(value, str) else (
                value["@id"], value.get("@type"), value.get("@container"))  # fmt: skip
            if container:
                self.language_maps[iri] = name
            elif kind:
                self.typed[(iri, kind)] = name
            else:
                self.plain[iri] = name
            if container or kind:
                self.special.add(name)
            if iri.endswith(_GEN_DELIMS):
                self.prefixes[iri] = name
        self.by_subject = triples.by_subject
        referenced = triples.referenced
        self.nodes: dict[Any, dict[str, Any]] = {}
        self.in_lists: set[Any] = set()
        for subject in self.by_subject:
            if isinstance(subject, ox.NamedNode) or subject not in referenced:
                self.node(subject)
        for subject in self.by_subject:  # blank nodes only blank nodes reference (cycles)
            if subject not in self.nodes and subject not in self.in_lists:
                self.node(subject)

    def shrink(self, iri: str) -> str:
        """``prefix:local`` if the namespace (up to the last ``#``, ``/`` or ``:``) has a prefix."""
        for delimiter in "#/:":
            at = iri.rfind(delimiter)
            if at > -1:
                prefix = self.prefixes.get(iri[: at + 1])
                return f"{prefix}:{iri[at + 1 :]}" if prefix else iri
        return iri

    def symbol(self, iri: str) -> str:
        """A term's name for ``iri``, else its compact form."""
        return self.plain.get(iri) or self.shrink(iri)

    def reference(self, term: Any) -> str:
        return self.shrink(term.value) if isinstance(term, ox.NamedNode) else f"_:{term.value}"

    def node(self, subject: Any) -> None:
        node: dict[str, Any] = {"id": self.reference(subject)}
        self.nodes[subject] = node
        for predicate, obj in self.by_subject.get(subject, ()):
            self.add(node, predicate, obj)

    def add(self, node: dict[str, Any], predicate: str, obj: Any) -> None:
        key: str | None
        if isinstance(obj, ox.Literal):
            datatype = _datatype(obj)
            key = self.typed.get((predicate, datatype)) if datatype else None
            if key:
                return self.put(node, key, obj.value)
            if obj.language and predicate in self.language_maps:
                entry = node.setdefault(self.language_maps[predicate], {})
                return self.put(entry, obj.language, obj.value)
        else:
            key = self.typed.get((predicate, "@id"))
            if key:
                if isinstance(obj, ox.BlankNode) and obj not in self.nodes:
                    self.node(obj)
                return self.put(node, key, self.reference(obj))
        key = self.plain.get(predicate)
        if key:
            return self.put(node, key, self.raw(obj))
        key = self.shrink(predicate)
        if key in self.special:
            key = predicate
        if predicate == _RDF_TYPE:
            value = self.symbol(obj.value) if isinstance(obj, ox.NamedNode) else self.raw(obj)
            return self.put(node, "type", value)
        return self.put(node, key, self.raw(obj))

    @staticmethod
    def put(node: dict[str, Any], key: str, value: Any) -> None:
        if key not in node:
            node[key] = value
        elif isinstance(node[key], list):
            node[key].append(value)
        else:
            node[key] = [node[key], value]

    def raw(self, obj: Any) -> Any:
        if isinstance(obj, ox.Literal):
            if obj.language:
                return {"@language": obj.language, "@value": obj.value}
            datatype = _datatype(obj)
            if datatype is None:
                return obj.value
            if datatype in _NATIVE:
                return _native(obj.value, datatype)
            return {"type": self.symbol(datatype), "@value": obj.value}
        items = self.collection(obj)
        if items is not None:
            return {"@list": [self.raw(item) for item in items]}
        if isinstance(obj, ox.BlankNode) and obj not in self.nodes:
            self.node(obj)
        return {"id": self.reference(obj)}

    def collection(self, head: Any) -> list[Any] | None:
        """The items of the well-formed list starting at ``head``, or None."""
        items: list[Any] = []
        chain = [head]
        at = head
        while at != _NIL:
            if not isinstance(at, ox.BlankNode):
                return None
            first = rest = None
            for predicate, value in self.by_subject.get(at, ()):
                if first is None and predicate == _FIRST:
                    first = value
                elif rest is None and predicate == _REST:
                    rest = value
                elif predicate != _RDF_TYPE or value != _LIST:
                    return None
            if first is None or rest is None or rest in chain:
                return None
            items.append(first)
            chain.append(rest)
            at = rest
        self.in_lists.update(chain)
        return items


# --- writing ----------------------------------------------------------------------------


def _json_key(item: Any) -> str:
    """The order of an unordered array: its items' JSON text, inner arrays sorted."""
    if isinstance(item, str):
        return _quote(item)
    return json.dumps(_sort_json(item), sort_keys=True, ensure_ascii=False)


def _sort_json(value: Any, *, ordered: bool = False) -> Any:
    """Sort unordered arrays (not ``@list``) recursively; keys are sorted on output."""
    if isinstance(value, dict):
        return {key: _sort_json(item, ordered=key == "@list") for key, item in value.items()}
    if isinstance(value, list):
        items = [_sort_json(item) for item in value]
        return items if ordered or len(items) < 2 else sorted(items, key=_json_key)
    return value


def _write(quads: list[ox.Quad], context: dict[str, Any] | None) -> str:
    with paused_gc():
        triples = _Triples(canonical(quads))
        context = _context(triples) if context is None else context
        nodes = sorted(_Compactor(context, triples).nodes.values(), key=lambda node: node["id"])  # ids are unique
        # ``@graph`` keeps the nodes in ``id`` order; every other unordered array is sorted.
        document = {"@context": _sort_json(context), "@graph": [_sort_json(node) for node in nodes]}
        return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def jsonld(graph: Graph, context: dict[str, Any] | None = None) -> str:
    """``graph`` as compacted JSON-LD with ``context`` (:func:`jsonld_context` if None).

    Nodes are sorted by ``id``, keys and unordered arrays sorted, blank nodes
    canonical; the context is written inline so the file stands alone.

    :raises ValueError: ``context`` uses JSON-LD features other than term and prefix
        definitions, ``@type`` coercion and ``@language`` maps.
    """
    return _write(quads_from_rdflib(graph), context)


def jsonld_ox(triples: Iterable[OxStatement], context: dict[str, Any] | None = None) -> str:
    """pyoxigraph triples (or quads, graph names dropped) as JSON-LD, as :func:`jsonld`."""
    with paused_gc():
        quads = in_default_graph(triples)
    return _write(quads, context)
