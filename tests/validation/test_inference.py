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

from dataclasses import dataclass
from pathlib import Path

import owlrl
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import OWL, PIC, RDF, RDFS, SKOS, XSD
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import MemoryStore, OxigraphStore, open_store
from pickg.validation.inference import FAMILIES, InferenceResult, infer, load_rules
from tests.support.references import reference_key, reference_triples

HERE = Path(__file__).parent
SKOS_AXIOMS = HERE / "inference" / "skos-axioms.ttl"
TRIVIAL_TYPES = {RDFS.Resource, RDF.Property, RDFS.Class, RDFS.Datatype, OWL.Thing, RDFS.Literal, RDF.List}
REFLEXIVE = {RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs}

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Base:
    """The graph the closures start from, and the files it was read from."""

    name: str
    files: list[Path]
    graph: Graph


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


def _ours(base: Graph, families: list[str]) -> tuple[set[Triple], InferenceResult]:
    """The rules' new triples on a copy of ``base`` in the memory store, and the run's counts."""
    store = MemoryStore(_copy(base))
    result = infer(store, load_rules(families))
    return set(store.graph) - set(base), result


class _RdfsWithoutLiteralCopies(owlrl.RDFS_Semantics):
    """owlrl's RDFS semantics without its one-time copying of value-equal literals."""

    def one_time_rules(self) -> None:
        return None


def _owlrl(base: Base, semantics: type, extra: Path | None = None, predicates: set[Node] | None = None) -> set[Triple]:
    """owlrl's new triples that the comparison keeps (those of ``predicates`` only, when
    given). owlrl's closure is the reference: it is kept in the project's cache under a
    key of the input files, owlrl's version and this module's text
    (:mod:`tests.support.references`), and computed again when one of them changes."""
    inputs = [*base.files, *([extra] if extra is not None else [])]
    key = reference_key(f"owlrl {semantics.__name__} {base.name}", __file__, inputs)
    return reference_triples(key, lambda: _owlrl_closure(base.graph, semantics, extra, predicates))


def _owlrl_closure(base: Graph, semantics: type, extra: Path | None, predicates: set[Node] | None) -> set[Triple]:
    graph = _copy(base)
    added = Graph().parse(extra) if extra is not None else Graph()
    graph += added
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    start = set(base) | set(added)
    new = (t for t in set(graph) - start if predicates is None or t[1] in predicates)
    return {t for t in new if _kept(base, t)}


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def base(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Base:
    extra = None
    if request.param == "synthetic":
        from pickg.synth.generator import synthesize

        extra = [synthesize(4, tmp_path_factory.mktemp("inference"), seed=3).path]
    files = workspace_files(extra)
    return Base(request.param, files, open_store("memory", files).to_rdflib())


@pytest.fixture(scope="module")
def every_family(base: Base) -> tuple[set[Triple], InferenceResult]:
    """Every family's closure of ``base`` in the memory store, once for the tests that read it."""
    return _ours(base.graph, list(FAMILIES))


@pytest.fixture(scope="module")
def on_oxigraph(base: Base) -> tuple[OxigraphStore, InferenceResult]:
    """``base`` in an Oxigraph store closed under every family, and that run's counts."""
    store = OxigraphStore()
    store.add_graph(base.graph)
    return store, infer(store)


def test_rdfs_family_equals_owlrl_rdfs_closure(base: Base) -> None:
    ours = _ours(base.graph, ["rdfs"])[0]
    theirs = _owlrl(base, _RdfsWithoutLiteralCopies)
    assert ours, "the rules entail nothing: are the ontology's subclass axioms loaded?"
    missing, extra = theirs - ours, ours - theirs
    assert not missing and not extra, (sorted(missing)[:10], sorted(extra)[:10])


def test_owl_and_skos_families_equal_owlrl_for_their_properties(
    base: Base, every_family: tuple[set[Triple], InferenceResult]
) -> None:
    everything = _copy(base.graph)
    everything += Graph().parse(SKOS_AXIOMS)
    hierarchy = {SKOS.broader, SKOS.narrower, SKOS.broaderTransitive, SKOS.narrowerTransitive}
    special = set(everything.subjects(OWL.inverseOf)) | set(everything.objects(None, OWL.inverseOf))
    special |= set(everything.subjects(RDF.type, OWL.SymmetricProperty)) | hierarchy
    ours = {t for t in every_family[0] if t[1] in special}
    theirs = _owlrl(base, owlrl.OWLRL_Semantics, SKOS_AXIOMS, special)
    assert any(t[1] == SKOS.broaderTransitive for t in ours)
    assert ours == theirs, (sorted(theirs - ours)[:10], sorted(ours - theirs)[:10])


def test_both_stores_reach_the_same_closure(
    every_family: tuple[set[Triple], InferenceResult], on_oxigraph: tuple[OxigraphStore, InferenceResult]
) -> None:
    first = every_family[1]
    oxigraph, second = on_oxigraph
    assert first.after == second.after == len(oxigraph)
    assert first.added_by_rule == second.added_by_rule
    assert second.rounds <= 3


def test_a_second_run_adds_nothing(on_oxigraph: tuple[OxigraphStore, InferenceResult]) -> None:
    again = infer(on_oxigraph[0])
    assert again.added == 0 and again.rounds == 1


def test_subclass_entailment_reaches_every_ancestor() -> None:
    store = open_store("oxigraph", workspace_files())
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
