"""The shipped data is under test: labels, definitions, provenance, no dangling IRIs.

These are the knowledge-graph issue's acceptance points that are about the data
itself rather than any one question; each failure message lists the offending nodes.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pickg.graph.namespaces import CONF, DCTERMS, ID, PIC, PREFIXES, SCHEMA


def _rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(query, initNs=PREFIXES)]


def _show(nodes) -> str:
    return "\n".join(sorted(str(n) for n in nodes))


def test_every_instance_has_a_french_label(graph: Graph) -> None:
    missing = _rows(
        graph,
        """
        SELECT DISTINCT ?s WHERE {
          ?s a ?type .
          FILTER NOT EXISTS { ?s rdfs:label|skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "fr")) }
          FILTER(?type NOT IN (owl:Ontology, rdf:Statement, owl:Class))
          FILTER(isIRI(?s))
        }
        """,
    )
    assert not missing, "resources without an @fr label:\n" + _show(r[0] for r in missing)


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_ontology_term_has_labels_and_definitions_in_both_languages(graph: Graph, kind: URIRef) -> None:
    terms = [t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef) and str(t).startswith(str(PIC))]
    assert terms, f"the ontology declares no {kind}"
    problems = []
    for term in terms:
        for prop in (RDFS.label, SKOS.definition):
            langs = {o.language for o in graph.objects(term, prop) if isinstance(o, Literal)}
            for lang in ("fr", "en"):
                if lang not in langs:
                    problems.append(f"{term} lacks {prop.n3(graph.namespace_manager)}@{lang}")
    assert not problems, "\n".join(problems)


def test_every_concept_has_labels_and_definitions_in_both_languages(graph: Graph) -> None:
    problems = []
    concepts = set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(concepts) > 40
    for concept in concepts:
        for prop in (SKOS.prefLabel, SKOS.definition):
            langs = {o.language for o in graph.objects(concept, prop) if isinstance(o, Literal)}
            problems += [f"{concept} lacks skos:{prop.fragment}@{lang}" for lang in ("fr", "en") if lang not in langs]
    assert not problems, "\n".join(problems)


def test_every_fact_node_carries_a_source_and_one_confidence(graph: Graph) -> None:
    """Initiatives, amounts, roles, participations, links, figures… each name a source and a confidence."""
    nodes = _rows(
        graph,
        """
        SELECT DISTINCT ?s WHERE {
          ?s a ?type .
          FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/pickg/id/"))
          FILTER NOT EXISTS { ?s a pic:Source }
        }
        """,
    )
    nodes += _rows(graph, "SELECT DISTINCT ?s WHERE { ?s a rdf:Statement }")
    assert len(nodes) > 200
    problems = []
    for (node,) in nodes:
        sources = list(graph.objects(node, DCTERMS.source))
        if not sources:
            problems.append(f"{node}: no dcterms:source")
        problems += [
            f"{node}: source {s} is not a pic:Source" for s in sources if (s, RDF.type, PIC.Source) not in graph
        ]
        confidences = list(graph.objects(node, PIC.confidence))
        if len(confidences) != 1 or not str(confidences[0]).startswith(str(CONF)):
            problems.append(f"{node}: pic:confidence should be exactly one of conf:c2/c1/inf, found {confidences}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cls", [PIC.Initiative, PIC.MonetaryAmount, PIC.RoleAssignment, PIC.ConditionLink])
def test_the_classes_the_issue_names_have_sourced_instances(graph: Graph, cls: URIRef) -> None:
    query = """
        SELECT ?s (COUNT(?src) AS ?n) WHERE {
          ?s a/rdfs:subClassOf* ?cls .
          OPTIONAL { ?s dcterms:source ?src }
        } GROUP BY ?s
    """
    rows = [tuple(r) for r in graph.query(query, initNs=PREFIXES, initBindings={"cls": cls})]
    assert rows, f"no instance of {cls}"
    assert all(int(n) > 0 for _, n in rows), [s for s, n in rows if int(n) == 0]


def test_inferred_facts_carry_their_reasoning(graph: Graph) -> None:
    missing = _rows(
        graph,
        """
        SELECT ?s WHERE {
          ?s pic:confidence conf:inf .
          FILTER NOT EXISTS { ?s pic:rationale ?why }
        }
        """,
    )
    assert not missing, "INF facts without pic:rationale:\n" + _show(r[0] for r in missing)


def test_no_dangling_data_iris(graph: Graph) -> None:
    """Every IRI of the data namespace used as an object is described somewhere."""
    dangling = {
        o
        for o in graph.objects()
        if isinstance(o, URIRef) and str(o).startswith(str(ID)) and (o, RDF.type, None) not in graph
    }
    assert not dangling, "referenced but never described:\n" + _show(dangling)


def test_data_uses_only_declared_ontology_terms(graph: Graph) -> None:
    declared = set(graph.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/pickg/ontology")))
    used = {p for p in graph.predicates() if str(p).startswith(str(PIC))}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(PIC))}
    assert used - declared == set(), "pic: terms used but not declared:\n" + _show(used - declared)


def test_data_iris_are_readable_slugs(graph: Graph) -> None:
    pattern = re.compile(r"^https://w3id\.org/pickg/id/[a-z]+(-[a-z]+)*/[a-z0-9]+(--?[a-z0-9]+)*$")
    bad = {
        s
        for s in graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith(str(ID)) and not pattern.match(str(s))
    }
    assert not bad, "IRIs that are not <kind>/<slug> (a link joins two slugs with --):\n" + _show(bad)


def test_unknown_values_are_absent_not_zero_or_empty(graph: Graph) -> None:
    zeros = [s for s, o in graph.subject_objects(SCHEMA.value) if isinstance(o, Literal) and o.toPython() == 0]
    empties = [(s, p) for s, p, o in graph if isinstance(o, Literal) and not str(o).strip()]
    assert not zeros, f"zero amounts stand for unknown values: {zeros}"
    assert not empties, f"empty literals: {empties}"


def test_desired_changes_are_french_and_every_initiative_has_one(graph: Graph) -> None:
    initiatives = set(graph.subjects(RDF.type, PIC.Initiative))
    assert len(initiatives) == 31
    for initiative in initiatives:
        texts = list(graph.objects(initiative, PIC.desiredChange))
        assert texts, f"{initiative} has no desired change"
        assert all(isinstance(t, Literal) and t.language == "fr" for t in texts), initiative
