"""Rule-based inference gives what owlrl gives, for the rule families pickg uses.

What is compared. Our closure is :func:`pickg.validation.inference.infer` (a fixed point of the
SPARQL rules in ontology/rules/). owlrl's is ``DeductiveClosure(RDFS_Semantics,
axiomatic_triples=False, datatype_axioms=False)`` for the rdfs family, and
``OWLRL_Semantics`` on the graph plus the SKOS reference axioms for the owl and skos
families. From owlrl's new triples we drop, as the rules do on purpose:

* the "everything is a resource" consequences: types rdfs:Resource, rdf:Property,
  rdfs:Class, rdfs:Datatype, owl:Thing and the types of literals (rdfs1, 4, 6, 8,
  10, 13 and datatype typing), reflexive subClassOf/subPropertyOf/equivalent*;
* types whose class is a blank node (a domain or range written as owl:unionOf);
* owlrl's literal artefacts: owlrl keys literals by their Python value, so a
  subject with ``pic:ordinal 1`` also "gets" ``pic:ordinal true`` and
  ``"Label"`` without its language; any new triple whose literal object equals (by
  value or by text) an object the subject already has for that predicate. For the
  rdfs family owlrl's one-time rule that makes these copies (every pair of literals
  compared: 15 million comparisons, three quarters of owlrl's time on the shipped
  data) is not run at all: :class:`_RdfsWithoutLiteralCopies`. Its only consequences
  are such copies and what the rules derive from them, triples whose object is again
  a copy, which the comparison drops.

For the owl and skos families only triples whose predicate is an inverse, symmetric
or SKOS hierarchy property are compared (OWL RL entails much more, which the
rules do not claim).
"""

from __future__ import annotations

from pathlib import Path

import owlrl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import OWL, PIC, RDF, RDFS, SKOS, XSD
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import MemoryStore, open_store
from pickg.validation.inference import FAMILIES, infer, load_rules

HERE = Path(__file__).parent
TRIVIAL_TYPES = {RDFS.Resource, RDF.Property, RDFS.Class, RDFS.Datatype, OWL.Thing, RDFS.Literal, RDF.List}
REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs}

Triple = tuple[Node, Node, Node]


def _base(extra: list[Path] | None = None) -> Graph:
    return open_store("memory", workspace_files(extra) if extra else workspace_files()).to_rdflib()


def _copy(graph: Graph) -> Graph:
    out = Graph()
    out += graph
    return out


def _literal_artefact(graph: Graph, triple: Triple) -> bool:
    s, p, o = triple
    if not isinstance(o, Literal):
        return False
    for known in graph.objects(s, p):
        if isinstance(known, Literal) and (known.toPython() == o.toPython() or str(known) == str(o)):
            return True
    return False


def _kept(base: Graph, triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if p == RDF.type and (o in TRIVIAL_TYPES or isinstance(o, BNode) or str(o).startswith(str(XSD))):
        return False
    if p == RDF.type and o in (RDF.langString, RDF.XMLLiteral, RDF.HTML, RDF.PlainLiteral):
        return False
    if p in REFLEXIVE and s == o:
        return False
    if p == RDFS.subClassOf and o == RDFS.Resource:
        return False  # rdfs8, as trivial as rdf:type rdfs:Resource (a reused class is an rdfs:Class)
    return not _literal_artefact(base, triple)


def _ours(base: Graph, families: list[str]) -> set[Triple]:
    store = MemoryStore(_copy(base))
    infer(store, load_rules(families))
    return set(store.graph) - set(base)


class _RdfsWithoutLiteralCopies(owlrl.RDFS_Semantics):
    """owlrl's RDFS semantics without its one-time copying of value-equal literals."""

    def one_time_rules(self) -> None:
        return None


def _owlrl(base: Graph, semantics: type, extra: Graph | None = None) -> set[Triple]:
    graph = _copy(base)
    if extra is not None:
        graph += extra
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    start = set(base) | (set(extra) if extra is not None else set())
    return {t for t in set(graph) - start if _kept(base, t)}


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    if request.param == "shipped":
        return _base()
    from pickg.synth.generator import synthesize

    small = synthesize(4, tmp_path_factory.mktemp("inference"), seed=3).path
    return _base([small])


def test_rdfs_family_equals_owlrl_rdfs_closure(base: Graph) -> None:
    ours = _ours(base, ["rdfs"])
    theirs = _owlrl(base, _RdfsWithoutLiteralCopies)
    assert ours, "the rules entail nothing: are the ontology's subclass axioms loaded?"
    missing, extra = theirs - ours, ours - theirs
    assert not missing and not extra, (sorted(missing)[:10], sorted(extra)[:10])


def test_owl_and_skos_families_equal_owlrl_for_their_properties(base: Graph) -> None:
    axioms = Graph().parse(HERE / "inference" / "skos-axioms.ttl")
    everything = _copy(base)
    everything += axioms
    hierarchy = {SKOS.broader, SKOS.narrower, SKOS.broaderTransitive, SKOS.narrowerTransitive}
    special = set(everything.subjects(OWL.inverseOf)) | set(everything.objects(None, OWL.inverseOf))
    special |= set(everything.subjects(RDF.type, OWL.SymmetricProperty)) | hierarchy
    ours = {t for t in _ours(base, list(FAMILIES)) if t[1] in special}
    theirs = {t for t in _owlrl(base, owlrl.OWLRL_Semantics, axioms) if t[1] in special}
    assert any(t[1] == SKOS.broaderTransitive for t in ours)
    assert ours == theirs, (sorted(theirs - ours)[:10], sorted(ours - theirs)[:10])


def test_both_stores_reach_the_same_closure(base: Graph) -> None:
    memory = MemoryStore(_copy(base))
    oxigraph = open_store("oxigraph")
    oxigraph.add_graph(base)
    first, second = infer(memory), infer(oxigraph)
    assert first.after == second.after == len(oxigraph)
    assert first.added_by_rule == second.added_by_rule
    assert second.rounds <= 3


def test_a_second_run_adds_nothing(base: Graph) -> None:
    store = open_store("oxigraph")
    store.add_graph(base)
    infer(store)
    again = infer(store)
    assert again.added == 0 and again.rounds == 1


def test_subclass_entailment_reaches_every_ancestor() -> None:
    store = open_store("oxigraph")
    store.add_graph(_base())
    infer(store)
    foundations = {
        row[0] for row in store.select("SELECT ?f WHERE { ?f a <https://w3id.org/pickg/ontology#Foundation> }")
    }
    organisations = {row[0] for row in store.select("SELECT ?f WHERE { ?f a <http://www.w3.org/ns/org#Organization> }")}
    assert foundations and foundations <= organisations
    assert (URIRef(str(PIC.Foundation)), RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in set(
        store.triples((PIC.Foundation, RDFS.subClassOf, None))
    )


def test_bad_rule_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "10-x.rq").write_text("#+ summary: x\n#+ family: magic\nINSERT {} WHERE {}\n", encoding="utf-8")
    from pickg.graph.errors import ParseError

    with pytest.raises(ParseError, match="10-x.rq"):
        load_rules(folder=tmp_path)
