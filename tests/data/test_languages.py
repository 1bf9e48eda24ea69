"""Issue 26: every text shown to readers exists in French and in English.

The check ``text-in-one-language`` counts the (resource, property) pairs of the
reader-facing properties whose text exists in one language only, a marked translation
(a property with ``pic:translationOf``) counting as the other language. On the shipped
data it finds none; planted into the shipped data, a one-language text is found.
"""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from pickg.graph.namespaces import CONF, DCTERMS, ID, PIC
from pickg.validation.checks import run_checks

CHECK = "text-in-one-language-violation"


def _pairs(graph: Graph) -> list[tuple[str, str, str]]:
    [result] = run_checks(graph, names=[CHECK])
    return [(row[0], row[1], row[2]) for row in result.result.to_table()]


def test_no_reader_facing_text_is_in_one_language_only(graph: Graph) -> None:
    pairs = _pairs(graph)
    per_property = Counter(prop for _focus, prop, _lang in pairs)
    print(f"one-language (resource, property) pairs: {len(pairs)} {dict(sorted(per_property.items()))}")
    assert not pairs, "texts in one language only:\n" + "\n".join(" | ".join(p) for p in pairs[:30])


def test_every_source_text_translated_is_marked_as_a_translation(graph: Graph) -> None:
    [result] = run_checks(graph, names=["translation-without-statement-violation"])
    translations = [(s, p) for p in graph.subjects(PIC.translationOf, None) for s in graph.subjects(p, None)]
    # the desired changes, texts, the abstract, the keywords but « Montréal » (a name), the programme's description
    assert len(translations) >= 31 + 22 + 1 + 9 + 1
    assert result.passed, result.result.to_table()[:10]


def _planted(graph: Graph) -> Graph:
    planted = Graph()
    planted += graph
    return planted


def test_the_check_finds_a_one_language_text_planted_in_the_shipped_data(graph: Graph) -> None:
    planted = _planted(graph)
    initiative = URIRef(f"{ID}initiative/planted-initiative")
    planted.add((initiative, RDF.type, PIC.Initiative))
    planted.add((initiative, RDFS.label, Literal("Initiative plantée", lang="fr")))
    planted.add((initiative, PIC.desiredChange, Literal("« Briser l'isolement des aînés. »", lang="fr")))
    finding = URIRef(f"{ID}finding/overall-contribution")
    assert (finding, SKOS.editorialNote, None) in graph
    planted.remove((finding, SKOS.editorialNote, None))
    planted.add((finding, SKOS.editorialNote, Literal("Une note ajoutée en français seulement.", lang="fr")))
    pairs = {(focus, prop, lang) for focus, prop, lang in _pairs(planted)}
    assert pairs == {
        ("initiative:planted-initiative", "pic:desiredChange", "fr"),
        ("finding:overall-contribution", "skos:editorialNote", "fr"),
    }


def test_a_translation_recorded_as_a_fact_of_the_sources_is_caught(graph: Graph) -> None:
    """A translation counts as the other language only as the project's own: one whose
    statement gives it a source's confidence (C1) is caught by the check on translations."""
    planted = _planted(graph)
    initiative = URIRef(f"{ID}initiative/planted-initiative")
    planted.add((initiative, RDF.type, PIC.Initiative))
    planted.add((initiative, PIC.desiredChange, Literal("« Briser l'isolement. »", lang="fr")))
    planted.add((initiative, PIC.desiredChangeTranslation, Literal("« Break isolation. »", lang="en")))
    statement = URIRef(f"{ID}statement/planted")
    for p, o in (
        (RDF.type, RDF.Statement),
        (RDF.subject, initiative),
        (RDF.predicate, PIC.desiredChangeTranslation),
        (RDF.object, Literal("« Break isolation. »", lang="en")),
        (PIC.confidence, CONF.c1),
        (PIC.rationale, Literal("Quoted.", lang="en")),
        (PIC.rationale, Literal("Cité.", lang="fr")),
        (DCTERMS.source, URIRef(f"{ID}source/pic-p1")),
    ):
        planted.add((statement, p, o))
    assert not _pairs(planted)  # the English is there…
    [result] = run_checks(planted, names=["translation-without-statement-violation"])
    assert [str(n) for n in result.focus_nodes()] == [str(initiative)]  # …but not marked as the project's
