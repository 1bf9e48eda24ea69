"""The English columns of the workbook: translations made for this graph, each with its statement.

Beside a French text column the mapping may give an English one (``english`` in
``mapping.toml``): ``pic:gloss`` beside a name, ``pic:desiredChangeTranslation`` beside
a desired change. The data describes every such English text by an ``rdf:Statement``
(confidence INF, a rationale, the sources of the original), so that a translation can
never pass for the sources' words; the import writes that statement with the text, as
the data's own statements are written. A changed English text keeps its statement (only
its ``rdf:object`` changes); a removed one takes its statement with it.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.messages import LANGUAGES, translate
from pickg.graph.namespaces import DCTERMS, PIC, RDF, RDFS, STATEMENT, compact_iri
from pickg.sheets.layout import Column
from pickg.sheets.reading import Problem
from pickg.sheets.review import Triple

__all__ = ["missing_english", "statement_changes"]

_INF = URIRef("https://w3id.org/pickg/vocab/confidence/inf")


def _kind(predicate: URIRef) -> str:
    """``gloss`` for a name's English, ``text`` for a text's: the two wordings the data uses."""
    return "gloss" if predicate == PIC.gloss else "text"


def _statements(graph: Graph, subject: URIRef, predicate: URIRef, value: Node) -> list[URIRef]:
    return [
        st
        for st in graph.subjects(RDF.object, value)
        if isinstance(st, URIRef) and (st, RDF.subject, subject) in graph and (st, RDF.predicate, predicate) in graph
    ]


def _new_statement(graph: Graph, subject: URIRef, predicate: URIRef, taken: set[URIRef]) -> URIRef:
    """``statement:initiative-x-gloss``, ``statement:initiative-x-desired-change-translation``: the data's names."""
    local = str(predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    suffix = "".join(f"-{c.lower()}" if c.isupper() else c for c in local)
    base = f"{STATEMENT}{compact_iri(str(subject)).replace(':', '-')}-{suffix}"
    iri, n = URIRef(base), 1
    while iri in taken or (iri, None, None) in graph:
        n += 1
        iri = URIRef(f"{base}-{n}")
    taken.add(iri)
    return iri


def statement_changes(
    graph: Graph,
    column: Column,
    subject: URIRef,
    old: list[Node],
    new: list[Node],
    name: str,
    sources: list[Node],
    taken: set[URIRef],
) -> tuple[set[Triple], set[Triple]]:
    """The statements' triples to add and to remove when ``column`` goes from ``old`` to ``new``.

    :param name: the row's French name, which the statement's label quotes.
    :param sources: the row's sources: those of the original the text renders.
    :param taken: the statement IRIs made so far in this import.
    """
    predicate = column.predicate
    assert predicate is not None  # an English column carries a property (load_layout)
    added: set[Triple] = set()
    removed: set[Triple] = set()
    gone = [v for v in old if v not in new]
    fresh = [v for v in new if v not in old]
    if len(gone) == 1 and len(fresh) == 1:  # the text was edited: its statement stays, with the new text
        for st in _statements(graph, subject, predicate, gone[0]):
            removed.add((st, RDF.object, gone[0]))
            added.add((st, RDF.object, fresh[0]))
        if removed:
            return added, removed
    for value in gone:
        for st in _statements(graph, subject, predicate, value):
            removed |= {(st, p, o) for p, o in graph.predicate_objects(st) if isinstance(p, URIRef)}
    kind = _kind(predicate)
    for value in fresh:
        st = _new_statement(graph, subject, predicate, taken)
        added |= {
            (st, RDF.type, RDF.Statement),
            (st, RDF.subject, subject),
            (st, RDF.predicate, predicate),
            (st, RDF.object, value),
            (st, PIC.confidence, _INF),
        }
        added |= {(st, DCTERMS.source, source) for source in sources}
        for tag in LANGUAGES:
            label = translate(tag, f"sheets.translation_label_{kind}", name=name)
            added.add((st, RDFS.label, Literal(label, lang=tag)))
            added.add((st, PIC.rationale, Literal(translate(tag, f"sheets.translation_rationale_{kind}"), lang=tag)))
    return added, removed


def missing_english(column: Column, where: str, label: str) -> Problem:
    """The warning for a new row with its French text and no English one, at the English cell."""
    return Problem(where, "no_english", {"column": column.headers, "label": label})
