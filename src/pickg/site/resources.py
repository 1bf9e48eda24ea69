"""The graph as the website sees it: resources, their labels, facts and pages.

:class:`SiteGraph` indexes the triples of :func:`pickg.site.collect.collect_site` once
(by subject and by object) so that every page is built by looking things up, and the
cost of the site grows with the number of triples. Which resources get a page, and at
what path, is decided here (:meth:`SiteGraph.page_path`): a resource of the project
(``https://w3id.org/pickg/id/…`` or ``…/vocab/…``) gets ``<path of its IRI>/index.html``
in French and ``index.en.html`` in English, so a server can later answer the IRI itself.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from pickg.graph.labels import choose_label
from pickg.graph.messages import LANGUAGES, language
from pickg.graph.namespaces import DCTERMS, OWL, PIC, RDF, RDFS, SCHEMA, SKOS, compact_iri

__all__ = [
    "BASE",
    "DICTIONARY_PAGE",
    "LANGUAGES",
    "NAME_PROPERTIES",
    "Label",
    "SiteGraph",
    "TERM_TYPES",
    "page_file",
    "relative",
    "sorted_nodes",
]

#: The IRIs under this base are the project's; the site's paths are the rest of the IRI.
BASE = "https://w3id.org/pickg/"

#: The data dictionary's page (the ontology's terms are anchors on it).
DICTIONARY_PAGE = "dictionary/index"

_FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")
#: Properties naming a resource, most specific first (the graph's own order, then names).
NAME_PROPERTIES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title, _FOAF_NAME)
_NAMES = NAME_PROPERTIES
# Read for every page, as constants (a namespace's attribute is a new URIRef each time).
_TYPE, _NOTATION, _DEFINITION, _COMMENT = RDF.type, SKOS.notation, SKOS.definition, RDFS.comment
_GLOSS, _SUBPROPERTY = PIC.gloss, RDFS.subPropertyOf
#: The classes whose instances are terms (classes and properties), not resources.
TERM_TYPES = frozenset(
    {
        RDFS.Class,
        RDFS.Datatype,
        OWL.Class,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.SymmetricProperty,
        OWL.TransitiveProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.AsymmetricProperty,
        OWL.ReflexiveProperty,
        OWL.IrreflexiveProperty,
    }
)


def page_file(page: str, lang: str) -> str:
    """The file of ``page`` (a path without extension) in ``lang``: ``x/index.html``, ``x/index.en.html``."""
    return f"{page}{language(lang).page_suffix}.html"


def relative(target: str, start: str) -> str:
    """The link from the file ``start`` to the file ``target`` (both relative to the site's root)."""
    return "../" * start.count("/") + target


@dataclass(frozen=True)
class Label:
    """A text to show and the language it is written in (None: no language)."""

    text: str
    lang: str | None
    #: the project's translation of the name (``pic:gloss``), not a name a source gives
    gloss: bool = False

    def translated_for(self, reader: str) -> bool:
        """Whether a reader of ``reader`` sees it in another language than theirs."""
        return self.lang is not None and self.lang != reader


@dataclass
class SiteGraph:
    """The triples of the graph, indexed for the site's pages.

    :param triples: ``(subject, predicate, object)`` with IRI subjects, any order: the
        data with the ontology and vocabularies, which describe every term it uses
        (those of other vocabularies in ``ontology/vocabularies/reused-terms.ttl``).
    """

    triples: Sequence[tuple[URIRef, URIRef, Node]]

    def __post_init__(self) -> None:
        out: dict[URIRef, dict[URIRef, list[Node]]] = defaultdict(lambda: defaultdict(list))
        incoming: dict[URIRef, list[tuple[URIRef, URIRef]]] = defaultdict(list)
        for s, p, o in sorted(self.triples, key=_triple_key):
            out[s][p].append(o)
            if isinstance(o, URIRef):
                incoming[o].append((s, p))
        self.out = {s: dict(props) for s, props in out.items()}
        self.incoming = dict(incoming)
        self._labels: dict[tuple[Node, str], Label] = {}
        #: Where a link to a node leads, by language (filled by the pages as they are built).
        self.link_targets: dict[str, dict[Node, str | None]] = {}
        #: What the pages compute once from the whole graph, by name (the facets' index).
        self.memo: dict[str, Any] = {}
        self.pages: dict[URIRef, str] = {}
        #: ``pic:gloss`` and the properties the ontology derives from it: the project's
        #: translations of names, shown where no name in the reader's language exists.
        self.gloss_properties = (_GLOSS, *sorted(s for s, p in self.incoming.get(_GLOSS, []) if p == _SUBPROPERTY))
        for s, props in self.out.items():
            path = _iri_path(s)
            if path is not None and _TYPE in props:
                self.pages[s] = f"{path}/index"

    # --- looking up ---------------------------------------------------------------------

    def values(self, node: Node, prop: URIRef) -> list[Node]:
        """The objects of ``node prop ?o``, sorted."""
        return self.out.get(node, {}).get(prop, []) if isinstance(node, URIRef) else []

    def value(self, node: Node, prop: URIRef) -> Node | None:
        """The first object of ``node prop ?o`` in sorted order, None if there is none."""
        found = self.values(node, prop)
        return found[0] if found else None

    def types(self, node: Node) -> list[URIRef]:
        return [t for t in self.values(node, _TYPE) if isinstance(t, URIRef)]

    def classes(self, node: Node) -> list[URIRef]:
        """The classes of ``node`` and their superclasses (``rdfs:subClassOf``, stated),
        nearest first, each once."""
        found: list[URIRef] = []
        todo = self.types(node)
        while todo:
            cls = todo.pop(0)
            if cls not in found:
                found.append(cls)
                todo += [c for c in self.values(cls, RDFS.subClassOf) if isinstance(c, URIRef)]
        return found

    def instances(self, cls: URIRef) -> list[URIRef]:
        """The resources of class ``cls`` (stated, not inferred), sorted by IRI."""
        return sorted(s for s, p in self.incoming.get(cls, []) if p == _TYPE)

    def referrers(self, node: Node) -> list[tuple[URIRef, URIRef]]:
        """``(subject, predicate)`` of every triple whose object is ``node``."""
        return self.incoming.get(node, []) if isinstance(node, URIRef) else []

    # --- naming -------------------------------------------------------------------------

    def label(self, node: Node, lang: str) -> Label:
        """What to call ``node`` for a reader of ``lang``: its label in that language, else
        in the other, else its notation or the end of its IRI."""
        key = (node, lang)
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = self._label(node, lang)
        return found

    def _label(self, node: Node, lang: str) -> Label:
        for prop in _NAMES:
            literals = [o for o in self._names(node, prop) if isinstance(o, Literal)]
            if literals:
                text = choose_label([(o.language, str(o)) for o in literals], lang)
                same = [o for o in literals if str(o) == text]
                chosen = next((o for o in same if o.language == lang), same[0])
                if chosen.language not in (None, lang):
                    gloss = self.gloss(node, lang)
                    if gloss is not None:
                        return Label(gloss, lang, gloss=True)
                return Label(str(text), chosen.language)
        if isinstance(node, Literal):
            return Label(str(node), node.language)
        notation = self.value(node, _NOTATION)
        if notation is not None:
            return Label(str(notation), None)
        text = str(node)
        return Label(text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1], None)

    def gloss(self, node: Node, lang: str) -> str | None:
        """The project's translation of ``node``'s name into ``lang`` (``pic:gloss``), if any."""
        for prop in self.gloss_properties:
            found = sorted(str(o) for o in self.values(node, prop) if isinstance(o, Literal) and o.language == lang)
            if found:
                return found[0]
        return None

    def label_in(self, node: Node, lang: str) -> str | None:
        """The label of ``node`` written in ``lang`` exactly, None when it has none in that language."""
        for prop in _NAMES:
            found = sorted(str(o) for o in self._names(node, prop) if isinstance(o, Literal) and o.language == lang)
            if found:
                return found[0]
        return None

    def original(self, node: Node, lang: str) -> Label | None:
        """The name of ``node`` in the other language, when a reader of ``lang`` is shown
        another one (an English name or the project's gloss of a French name)."""
        shown = self.label(node, lang)
        for prop in _NAMES:
            literals = [o for o in self._names(node, prop) if isinstance(o, Literal)]
            if literals:
                others = sorted(str(o) for o in literals if o.language in LANGUAGES and o.language != shown.lang)
                other_lang = next(o.language for o in literals if str(o) == others[0]) if others else None
                return Label(others[0], other_lang) if others and others[0] != shown.text else None
        return None

    def definition(self, node: Node, lang: str) -> Label | None:
        """The definition of a term or concept in ``lang`` (the other language if missing)."""
        literals = [o for o in self._names(node, _DEFINITION) if isinstance(o, Literal)]
        literals += [o for o in self._names(node, _COMMENT) if isinstance(o, Literal)]
        if not literals:
            return None
        text = choose_label([(o.language, str(o)) for o in literals], lang)
        chosen = next(o for o in literals if str(o) == text)
        return Label(str(text), chosen.language)

    def _names(self, node: Node, prop: URIRef) -> list[Node]:
        return self.values(node, prop)

    # --- pages --------------------------------------------------------------------------

    def page_path(self, node: Node) -> str | None:
        """The page of ``node`` (a path without extension), None when it has none.

        Terms of the ontology are anchors of the data dictionary; other terms the
        data uses are anchors there too.
        """
        if not isinstance(node, URIRef):
            return None
        page = self.pages.get(node)
        if page is not None:
            return page
        return None

    def curie(self, term: URIRef) -> str:
        """``term`` as a prefixed name (``dcterms:source``), or its whole IRI."""
        return compact_iri(str(term), any_local=True)

    def anchor(self, term: URIRef) -> str:
        """The anchor of ``term`` on the dictionary page: its prefixed name, ``:`` as ``-``."""
        return "".join(c if c.isalnum() or c in "-_" else "-" for c in self.curie(term))

    def is_term(self, node: Node) -> bool:
        """Whether ``node`` is a class or property (described by the dictionary): the graph
        types it as one (``rdfs:Class``, ``owl:Class``, ``rdf:Property``, ``owl:ObjectProperty``…),
        as the ontology does its own terms and the reused-terms vocabulary the others'."""
        return isinstance(node, URIRef) and any(t in TERM_TYPES for t in self.values(node, _TYPE))

    def resources(self) -> list[URIRef]:
        """Every resource with a page, sorted by its page's path."""
        return sorted(self.pages, key=lambda r: self.pages[r])

    def folders(self) -> dict[str, list[URIRef]]:
        """The resources with a page, by the folder of their IRI (``id/neighbourhood``…)."""
        folders: dict[str, list[URIRef]] = defaultdict(list)
        for resource in self.resources():
            folder = posixpath.dirname(self.pages[resource][: -len("/index")])
            folders[folder].append(resource)
        return dict(sorted(folders.items()))


def _iri_path(iri: URIRef) -> str | None:
    text = str(iri)
    if not text.startswith(BASE):
        return None
    rest = text[len(BASE) :]
    if not rest or "#" in rest or "?" in rest or rest.endswith("/"):
        return None
    if not all(part and part not in (".", "..") for part in rest.split("/")):
        return None
    if not all(c.isalnum() or c in "-_./" for c in rest):
        return None
    return rest


def _term_key(node: Node) -> tuple[int, str, str]:
    if isinstance(node, URIRef):
        return (0, str(node), "")
    if isinstance(node, BNode):
        return (1, str(node), "")
    assert isinstance(node, Literal)
    return (2, str(node), f"{node.language or ''}|{node.datatype or ''}")


def _triple_key(triple: tuple[URIRef, URIRef, Node]) -> tuple[object, ...]:
    s, p, o = triple
    return (str(s), str(p), _term_key(o))


def sorted_nodes(nodes: Iterable[Node]) -> list[Node]:
    """``nodes`` in a fixed order: IRIs, then blank nodes, then literals, each by text."""
    return sorted(nodes, key=_term_key)
