"""Facts live in properties, notes keep commentary (issue 30).

A fact a reader could ask about (a date, a year, an amount, an organisation) written
only in a note cannot be queried, filtered or compared. This test lists every note of
``data/`` (``skos:note``, ``skos:editorialNote`` …) that names a year, an amount or an
organisation of the graph that is not also stated as a property: of the note's
resource, of a resource it links or that links it (an ``rdf:Statement`` about it
included), or of a small resource linked to those (an event, a role assignment).
Each such note is either turned into properties, with sources and confidence, or
listed in ``notes-commentary.yaml`` with the reason it stays commentary.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import PIC, RDF, RDFS, SKOS, compact_iri, expand_curie

NOTE_PROPERTIES = (SKOS.note, SKOS.editorialNote, SKOS.scopeNote, SKOS.historyNote, SKOS.changeNote)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
AMOUNT = re.compile(r"(\d[\d\u00a0\u202f ,.]*\d|\d)\s*(M\$|\$)")
#: A resource linked to more than this many others is a hub (a phase, a source, a
#: class), through which everything would seem stated.
HUB = 30
COMMENTARY = Path(__file__).with_name("notes-commentary.yaml")


def _near(graph: Graph, node: Node) -> set[Node]:
    found: set[Node] = {node, *graph.objects(node, None), *graph.subjects(None, node)}
    for statement in graph.subjects(RDF.subject, node):
        found |= {statement, *graph.objects(statement, RDF.object)}
    return found


def _stated(graph: Graph, subject: Node) -> tuple[set[Node], str, set[Decimal]]:
    """The resources, the text of the literals and the numbers stated around ``subject``."""
    around = _near(graph, subject)
    for node in list(around):
        if isinstance(node, URIRef) and node != subject and len(near := _near(graph, node)) <= HUB:
            around |= near
    literals = [node for node in around if isinstance(node, Literal)]
    for node in around:
        if isinstance(node, URIRef):
            values = graph.predicate_objects(node)
            literals += [o for p, o in values if isinstance(o, Literal) and p not in NOTE_PROPERTIES]
    numbers = set()
    for literal in literals:
        try:
            numbers.add(Decimal(str(literal)))
        except InvalidOperation:
            pass
    return around, " ".join(str(literal) for literal in literals), numbers


def _organisations(graph: Graph) -> dict[str, URIRef]:
    classes = set(graph.transitive_subjects(RDFS.subClassOf, PIC.Organisation))
    names: dict[str, URIRef] = {}
    for cls in classes:
        for organisation in graph.subjects(RDF.type, cls):
            assert isinstance(organisation, URIRef)
            for name in graph.objects(organisation, RDFS.label):
                if len(str(name)) >= 6:
                    names[str(name)] = organisation
            for name in graph.objects(organisation, SKOS.altLabel):
                if len(str(name)) >= 4:
                    names[str(name)] = organisation
    return names


def _unstated(graph: Graph) -> dict[str, list[str]]:
    """Resource (CURIE) → what its notes name that no property states."""
    organisations = _organisations(graph)
    found: dict[str, list[str]] = {}
    for prop in NOTE_PROPERTIES:
        for subject, note in graph.subject_objects(prop):
            text = str(note)
            around, stated_text, numbers = _stated(graph, subject)
            gaps = [f"year {year}" for year in sorted(set(YEAR.findall(text))) if year not in stated_text]
            for match in AMOUNT.finditer(text):
                value = Decimal(re.sub(r"[\u00a0\u202f ,]", "", match.group(1)))
                value *= 1_000_000 if match.group(2) == "M$" else 1
                if value not in numbers:
                    gaps.append(f"amount {match.group(0)}")
            for name, organisation in organisations.items():
                if organisation not in around and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                    gaps.append(f"organisation {name}")
            if gaps:
                found.setdefault(compact_iri(str(subject)), []).extend(gaps)
    return found


def _commentary() -> dict[str, str]:
    entries = yaml.safe_load(COMMENTARY.read_text(encoding="utf-8"))
    return {resource: entry["reason"] for entry in entries for resource in entry["resources"]}


@pytest.fixture(scope="module")
def unstated(graph: Graph) -> dict[str, list[str]]:
    """:func:`_unstated` of the graph, once for the module's two tests that read it."""
    return _unstated(graph)


def test_every_fact_of_a_note_is_a_property_or_the_note_is_commentary(unstated: dict[str, list[str]]) -> None:
    marked = _commentary()
    missing = {resource: gaps for resource, gaps in unstated.items() if resource not in marked}
    assert not missing, (
        "these notes name facts no property states; write them as properties (with source and confidence) "
        f"or list the note in {COMMENTARY.name} with the reason it is commentary:\n"
        + "\n".join(f"  {resource}: {', '.join(gaps)}" for resource, gaps in sorted(missing.items()))
    )


def test_every_commentary_entry_is_still_needed(graph: Graph, unstated: dict[str, list[str]]) -> None:
    marked = _commentary()
    assert all(reason.strip() for reason in marked.values())
    subjects = set(graph.subjects())
    assert all(URIRef(expand_curie(resource)) in subjects for resource in marked)
    stale = sorted(set(marked) - set(unstated))
    assert not stale, f"these entries of {COMMENTARY.name} no longer match a note naming an unstated fact: {stale}"


def test_the_facts_taken_out_of_notes_are_properties(graph: Graph) -> None:
    """The rename of Mon Peter-McGill, Vivace-PIC's funder and provider, who conceived the PIC."""
    vivace = URIRef(expand_curie("programme:vivace-pic"))
    assert (vivace, RDF.type, PIC.SupportOffer) in graph
    assert graph.value(vivace, URIRef("https://schema.org/funder")) == URIRef(
        expand_curie("organisation:fondation-de-la-famille-j-w-mcconnell")
    )
    assert graph.value(vivace, URIRef("https://schema.org/provider")) == URIRef(
        expand_curie("organisation:la-pepiniere-espaces-collectifs")
    )
    creators = set(graph.objects(URIRef(expand_curie("programme:pic")), URIRef("http://purl.org/dc/terms/creator")))
    assert {compact_iri(str(c)) for c in creators} == {
        "organisation:centraide-du-grand-montreal",
        "organisation:fondation-lucie-et-andre-chagnon",
    }
    rename = URIRef(expand_curie("event:2018-02-01-mon-peter-mcgill-renamed"))
    assert str(graph.value(rename, URIRef("https://schema.org/startDate"))) == "2018-02-01"
