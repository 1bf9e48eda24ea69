"""The SPARQL-compiled SHACL engine reports what pySHACL reports.

The reference is pySHACL itself on an rdflib graph, with one change that cannot alter
a result: the graph memoises the parsing of SPARQL query texts. pySHACL re-parses a
SPARQL constraint's text for every focus node (about 50 ms each), which makes the
shipped data alone take minutes; the parsed query is the same object every time.
Results are compared as sets of (focus node, path, source shape, severity), on
synthetic data with a fault of each kind; the shipped data is compared report against
report, files and lines included, by ``test_engine_parity``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from pickg.graph.namespaces import CONF, PHASE, PIC, RDF, RDFS, SCC, SCHEMA, SH, THEME, XSD
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import MemoryStore, OxigraphStore, open_store
from pickg.graph.workspace import Workspace
from pickg.synth.generator import synthesize
from pickg.validation.compiler import compile_shapes
from pickg.validation.fast_engine import validate_sparql
from tests.support.references import reference_key, reference_value

Key = tuple[Any, Any, Any, Any]


class _MemoisedGraph(Graph):
    """An rdflib graph that parses each distinct SPARQL text once."""

    _parsed: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}

    def query(  # type: ignore[override]
        self,
        query_object: Any,
        processor: str = "sparql",
        result: str = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted((initNs or {}).items())))
            if key not in self._parsed:
                self._parsed[key] = prepareQuery(query_object, initNs=initNs or {})
            query_object = self._parsed[key]
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@pytest.fixture(scope="module")
def shapes(workspace: Workspace) -> Graph:
    graph = Graph()
    for path in workspace.shape_files():
        graph.parse(path)
    assert len(graph) > 100, "no shapes in ontology/shapes/"
    return graph


def _pyshacl(data: Graph, shapes: Graph) -> set[Key]:
    graph = _MemoisedGraph()
    graph += data
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath), report.value(r, SH.sourceShape),
         report.value(r, SH.resultSeverity))
        for r in report.objects(None, SH.result)  # top-level results, not the sh:detail of sh:node
    }  # fmt: skip


def _ours(data: Graph, shapes: Graph) -> set[Key]:
    store = OxigraphStore()
    store.add_graph(data)
    results, unsupported = validate_sparql(store, shapes)
    assert not unsupported
    return {r.key() for r in results}


def test_every_project_shape_compiles(shapes: Graph) -> None:
    compiled = compile_shapes(shapes)
    assert compiled.unsupported == {}
    assert len(compiled.checks) > 100


#: The files the faulty graph is read from (then changed by :func:`faulty`), for the keys
#: of the reference answers kept in the project's cache (:mod:`tests.support.references`).
FAULTY_FILES: list[Path] = []


def _reference(name: str, workspace: Workspace, compute: Callable[[], set[Key]], pickg: bool) -> set[Key]:
    """``compute()``, the reference answer on the faulty graph, kept under a key of its files,
    the shapes, the libraries, this module (which makes the faults) and pickg's code when it
    takes part."""
    inputs = [*FAULTY_FILES, *workspace.shape_files()]
    key = reference_key(f"shaclsparql {name}", __file__, inputs, pickg=pickg)
    return reference_value(key, compute)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """A small synthetic graph with one fault of each kind; the shapes each should hit."""
    path = synthesize(3, tmp_path_factory.mktemp("faulty"), seed=21).path
    FAULTY_FILES[:] = workspace_files([path])
    graph = open_store("memory", FAULTY_FILES).to_rdflib()
    initiatives = sorted(graph.subjects(RDF.type, PIC.Initiative))
    links = sorted(graph.subjects(RDF.type, PIC.ConditionLink))
    fundings = sorted(graph.subjects(RDF.type, PIC.NeighbourhoodFunding))
    synth_phase = PHASE["synth-1"]
    graph.remove((initiatives[0], PIC.confidence, None))  # no confidence
    graph.add((initiatives[1], PIC.confidence, CONF.c1))  # a second confidence
    graph.add((initiatives[1], PIC.confidence, CONF.inf))
    graph.set((synth_phase, PIC.startYear, Literal("deux mille quinze")))  # not a gYear
    graph.set((initiatives[2], PIC.desiredChange, Literal("Better food", lang="en")))  # not French
    graph.set((links[0], PIC.condition, THEME.food))  # not a condition of change
    graph.set((fundings[0], SCHEMA.value, Literal("999999999999.0", datatype=XSD.decimal)))  # above the budget
    graph.add((initiatives[3], RDFS.label, graph.value(initiatives[4], RDFS.label)))  # duplicate label
    graph.set((links[1], PIC.condition, SCC.structural))  # a level, not a condition
    return graph


def test_injected_faults_same_results_as_pyshacl(shapes: Graph, faulty: Graph, workspace: Workspace) -> None:
    ours = _ours(faulty, shapes)
    theirs = _reference("pyshacl", workspace, lambda: _pyshacl(faulty, shapes), pickg=False)
    assert ours == theirs
    violations = {key for key in ours if key[3] == SH.Violation}
    assert len({key[2] for key in violations}) >= 6, sorted({str(k[2]) for k in violations})


def test_clean_synthetic_data_conforms(shapes: Graph, synthetic_file: Path) -> None:
    store = open_store("oxigraph", workspace_files([synthetic_file]))
    results, _ = validate_sparql(store, shapes)
    assert [r for r in results if r.severity == SH.Violation] == []


def test_memory_and_oxigraph_stores_agree(shapes: Graph, faulty: Graph, workspace: Workspace) -> None:
    """rdflib's answers (the memory store) are the reference, kept like pySHACL's."""

    def on_memory() -> set[Key]:
        return {r.key() for r in validate_sparql(MemoryStore(faulty), shapes)[0]}

    oxigraph = OxigraphStore()
    oxigraph.add_graph(faulty)
    memory = _reference("memory store", workspace, on_memory, pickg=True)
    assert memory == {r.key() for r in validate_sparql(oxigraph, shapes)[0]}


def test_unsupported_feature_is_set_aside_not_guessed() -> None:
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:closed true .
        <urn:t> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:nodeKind sh:IRI .""",
        format="turtle",
    )
    compiled = compile_shapes(shapes)
    assert set(compiled.unsupported) == {URIRef("urn:s")}
    assert {check.shape for check in compiled.checks} == {URIRef("urn:t")}


def test_a_count_that_is_no_whole_number_or_a_property_without_path_is_set_aside() -> None:
    # The first stopped the compiler with a ValueError; the second compiled into a
    # check along whatever RDF list the shapes graph held (here :list).
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:count> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:minCount "1.5"^^xsd:decimal ] .
        <urn:nested> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:node <urn:N> ] .
        <urn:N> a sh:NodeShape ; sh:property [ sh:minCount 1 ] .
        <urn:t> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:nodeKind sh:IRI ; <urn:list> ( <urn:a> <urn:b> ) .""",
        format="turtle",
    )
    compiled = compile_shapes(shapes)
    assert {check.shape for check in compiled.checks} == {URIRef("urn:t")}
    nested, count = sorted(compiled.unsupported.values())
    assert nested == "a property shape without sh:path" and count.startswith("cardinality ")


def test_flattening_and_anti_joins_keep_the_answers() -> None:
    from pickg.validation.compiler import flatten_groups, not_exists_to_minus

    data = Graph().parse(
        data="""@prefix : <urn:> .
        :a :label "x" ; a :T . :b :label "x" ; a :T . :c :label "y" ; a :T . :d :label "x" ; a :U .
        :a :n :q . :p1 :n :q ; :f :one .""",
        format="turtle",
    )
    store = OxigraphStore()
    store.add_graph(data)
    grouped = """PREFIX : <urn:> SELECT ?this ?value WHERE {
        { ?this :label ?l . ?value :label ?l . FILTER (?this != ?value) }
        ?this a ?t . ?value a ?t .
        FILTER NOT EXISTS { ?p :n ?q ; :f :one . FILTER (?p != ?this) }
    }"""
    unsafe = """PREFIX : <urn:> SELECT ?this WHERE {
        ?this :label ?l . OPTIONAL { ?this :n ?q } FILTER NOT EXISTS { ?p :n ?q }
    }"""
    assert flatten_groups(grouped).count("{") == grouped.count("{") - 1
    assert "MINUS" not in not_exists_to_minus(grouped)  # ?this of the inner FILTER is not the group's own
    assert not_exists_to_minus(unsafe) == unsafe  # ?q may be unbound: NOT EXISTS stays
    safe = "PREFIX : <urn:> SELECT ?this WHERE { ?this :n ?q . FILTER NOT EXISTS { ?p :n ?q ; :f :one } }"
    assert "MINUS" in not_exists_to_minus(safe)
    probe = "PREFIX : <urn:> SELECT ?this WHERE { ?this :n ?q ; :label ?l . FILTER NOT EXISTS { ?q :label ?l } }"
    assert not_exists_to_minus(probe) == probe  # every variable bound by the group: one lookup, not a MINUS
    for text in (grouped, unsafe, safe, probe):
        rewritten = not_exists_to_minus(flatten_groups(text))
        assert sorted(store.select(rewritten).rows) == sorted(store.select(text).rows)
