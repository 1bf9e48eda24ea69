"""The two stores behind one interface: same triples, same answers, clean errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.term import Node

from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.namespaces import NBH, PHASE, PIC, TIER
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import MemoryStore, OxigraphStore, StoreSpec, open_store, parse_store_spec

QUERIES = {
    "participants": """
        PREFIX pic: <https://w3id.org/pickg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?nbh ?label ?tier WHERE {
          ?p a pic:Participation ; pic:neighbourhood ?nbh ; pic:phase ?_phase .
          OPTIONAL { ?p pic:supportTier ?tier }
          ?nbh rdfs:label ?label .
        } ORDER BY ?nbh ?label ?tier""",
    "amounts": """
        PREFIX pic: <https://w3id.org/pickg/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?amount ?value ?currency WHERE {
          ?amount a ?class ; schema:value ?value .
          ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>* pic:MonetaryAmount .
          OPTIONAL { ?amount schema:currency ?currency }
        } ORDER BY ?amount""",
    "counts": """
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY ?class""",
}


def _inputs(extra: list[Path] | None = None) -> list[Path]:
    return workspace_files(extra) if extra is not None else workspace_files()


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def stores(request: pytest.FixtureRequest, synthetic_file: Path) -> tuple[MemoryStore, OxigraphStore]:
    files = _inputs() if request.param == "shipped" else _inputs([synthetic_file])
    memory = open_store("memory", files)
    oxigraph = open_store("oxigraph", files)
    assert isinstance(memory, MemoryStore) and isinstance(oxigraph, OxigraphStore)
    return memory, oxigraph


def test_both_stores_hold_the_same_triples(stores: tuple[MemoryStore, OxigraphStore]) -> None:
    memory, oxigraph = stores
    assert len(memory) == len(oxigraph) > 1000
    assert isomorphic(memory.to_rdflib(), oxigraph.to_rdflib())


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("phase", ["1", "2", "synth-1", "synth-2"])
def test_select_gives_identical_rows(stores: tuple[MemoryStore, OxigraphStore], name: str, phase: str) -> None:
    memory, oxigraph = stores
    bindings = {"_phase": PHASE[phase]}
    expected = memory.select(QUERIES[name], bindings)
    got = oxigraph.select(QUERIES[name], bindings)
    assert got.variables == expected.variables
    assert len(expected) > 0 or name != "counts"
    # SPARQL leaves the order of literals in different languages to the engine:
    # compare the rows as multisets, and their order on the leading IRI column.
    assert sorted(got.rows, key=_key) == sorted(expected.rows, key=_key)
    assert [row[0] for row in got.rows] == [row[0] for row in expected.rows]


def _key(row: tuple) -> tuple[str, ...]:
    return tuple("" if term is None else term.n3() for term in row)


def test_bound_parameter_filters_rows(stores: tuple[MemoryStore, OxigraphStore]) -> None:
    memory, oxigraph = stores
    for store in stores:
        everyone = store.select(QUERIES["participants"])
        phase_two = store.select(QUERIES["participants"], {"_phase": PHASE["synth-2"]})
        assert len(phase_two) <= len(everyone)
        assert {row[0] for row in phase_two} <= {row[0] for row in everyone}


def test_ask_and_construct_agree(stores: tuple[MemoryStore, OxigraphStore]) -> None:
    memory, oxigraph = stores
    ask = "PREFIX pic: <https://w3id.org/pickg/ontology#> ASK { ?p pic:supportTier ?_tier }"
    for tier in (TIER.intensive, TIER.moderate, URIRef("urn:nothing")):
        assert memory.ask(ask, {"_tier": tier}) == oxigraph.ask(ask, {"_tier": tier})
    construct = """PREFIX pic: <https://w3id.org/pickg/ontology#>
        CONSTRUCT { ?n pic:phase ?phase } WHERE { ?p pic:neighbourhood ?n ; pic:phase ?phase }"""
    assert isomorphic(memory.construct(construct), oxigraph.construct(construct))


def test_triple_patterns_agree(stores: tuple[MemoryStore, OxigraphStore]) -> None:
    memory, oxigraph = stores
    pattern = (None, PIC.supportTier, None)
    assert sorted(memory.triples(pattern)) == sorted(oxigraph.triples(pattern))


@pytest.mark.parametrize(
    "pattern",
    [(Literal("x"), None, None), (None, BNode("p"), None), (None, Literal("p"), None)],
    ids=["literal-subject", "blank-predicate", "literal-predicate"],
)
def test_a_pattern_no_triple_can_match_gives_no_triples_on_both_stores(
    stores: tuple[MemoryStore, OxigraphStore], pattern: tuple[Node | None, Node | None, Node | None]
) -> None:
    memory, oxigraph = stores  # Oxigraph's own lookup refused these terms with a TypeError
    assert list(memory.triples(pattern)) == list(oxigraph.triples(pattern)) == []


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt")])
def test_serialised_store_reads_back(stores: tuple[MemoryStore, OxigraphStore], fmt: str, parser: str) -> None:
    memory, oxigraph = stores
    buffer = io.BytesIO()
    oxigraph.serialize(buffer, fmt)
    assert isomorphic(Graph().parse(data=buffer.getvalue(), format=parser), memory.to_rdflib())


def test_decimals_read_as_written() -> None:
    store = OxigraphStore()
    store.add_graph(Graph().parse(data="<urn:a> <urn:v> 23000000.0, 1.5 .", format="turtle"))
    values = {row[0] for row in store.select("SELECT ?v WHERE { ?s ?p ?v }")}
    assert {str(v) for v in values} == {"23000000.0", "1.5"}


@pytest.mark.parametrize(
    "text,expected",
    [
        (None, StoreSpec("auto")),
        ("memory", StoreSpec("memory")),
        ("rdflib", StoreSpec("memory")),
        ("RDFLib", StoreSpec("memory")),
        ("Oxigraph", StoreSpec("oxigraph")),
        ("oxigraph:build/store", StoreSpec("oxigraph", Path("build/store"))),
    ],
)
def test_store_specs(text: str | None, expected: StoreSpec) -> None:
    assert parse_store_spec(text) == expected


@pytest.mark.parametrize("text", ["sqlite", "memory:x", "oxigraph:", "oxigraph: "])
def test_bad_store_spec_says_what_to_write(text: str) -> None:
    with pytest.raises(InputError, match="oxigraph"):
        parse_store_spec(text)


def test_auto_is_oxigraph_at_every_size(synthetic_file: Path) -> None:
    """Issue 14: one engine answers by default, whatever the size; rdflib only by name."""
    files = _inputs([synthetic_file])
    assert open_store("auto", files).kind == "oxigraph"
    assert open_store(None, files).kind == "oxigraph"
    assert open_store("auto", files, threshold=10**12).kind == "oxigraph"
    assert open_store("rdflib", files).kind == "memory"


def test_oxigraph_parse_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c ;\n  x:d .\n", encoding="utf-8")
    for kind in ("memory", "oxigraph"):
        with pytest.raises(ParseError) as caught:
            open_store(kind, [bad])
        assert (caught.value.path, caught.value.line, caught.value.col) == (bad, 3, 7)


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        open_store("oxigraph", [tmp_path / "absent.ttl"])
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match="empty"):
        open_store("oxigraph", [empty])


def test_bad_sparql_is_an_input_error() -> None:
    for store in (MemoryStore(), OxigraphStore()):
        with pytest.raises(InputError, match="not valid"):
            store.select("SELECT ?x WHERE { ?x ")


def test_on_disk_store_is_reused_until_inputs_change(tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<urn:a> <urn:p> 1 .\n", encoding="utf-8")
    folder = tmp_path / "store"
    store = open_store(f"oxigraph:{folder}", [data])
    assert len(store) == 1
    store.update("INSERT DATA { <urn:marker> <urn:p> 2 }")  # only a reused store keeps it
    store.close()
    store = open_store(f"oxigraph:{folder}", [data])
    assert len(store) == 2
    store.close()
    data.write_text("<urn:a> <urn:p> 1 .\n<urn:b> <urn:p> 3 .\n", encoding="utf-8")
    store = open_store(f"oxigraph:{folder}", [data])
    assert sorted(store.triples((None, None, None))) == [
        (URIRef("urn:a"), URIRef("urn:p"), Literal(1)),
        (URIRef("urn:b"), URIRef("urn:p"), Literal(3)),
    ]
    store.close()


def test_memory_store_graph_is_canonicalisable() -> None:
    store = open_store("memory", _inputs())
    assert to_isomorphic(store.to_rdflib()) is not None
    assert (NBH["saint-michel"], None, None) in store.to_rdflib()


@pytest.mark.system
def test_stats_same_on_both_stores(synthetic_file: Path) -> None:
    from tests.support.runs import run_pickg

    outputs = [
        run_pickg("stats", "-f", "json", "--store", kind, str(synthetic_file)) for kind in ("memory", "oxigraph")
    ]
    assert all(done.returncode == 0 for done in outputs), [done.stderr for done in outputs]
    assert outputs[0].stdout == outputs[1].stdout and '"triples"' in outputs[0].stdout


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_regression_a_text_ending_in_escaped_quote_after_a_line_break_is_bound_as_one_term(kind: str) -> None:
    """A literal with a line break that ends in ``\\"`` once broke out of the VALUES row on Oxigraph."""
    store = open_store(kind, _inputs())
    hostile = Literal('première ligne\n} ; DROP ALL ; # \\"')
    rows = store.select("SELECT ?text WHERE { BIND(?value AS ?text) }", {"value": hostile})
    assert [row[0] for row in rows.rows] == [hostile]
