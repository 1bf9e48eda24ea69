"""Parameters for a remote endpoint: a VALUES block of terms, never pasted text.

The bound queries are run on a real SPARQL engine (pyoxigraph) and compared with
rdflib's ``initBindings`` on the same graph.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef, Variable

from pickg.graph.bindings import bind_list, bind_values, list_block, query_form, term_n3, values_block
from pickg.graph.errors import InputError
from pickg.graph.namespaces import XSD
from pickg.graph.store import from_ox

DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:theme ex:t1, ex:t2 ; ex:amount 10.0 ; ex:label "Saint-Michel"@fr .
ex:b ex:theme ex:t1 ; ex:amount 2.5 ; ex:label "Verdun"@fr .
ex:c ex:theme ex:t3 ; ex:amount 7.0 ; ex:label "Parc-Ex \\"quoted\\" }"@fr .
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(data=DATA, format="turtle")


@pytest.fixture(scope="module")
def store(graph: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def remote_rows(store: pyoxigraph.Store, query: str, bindings: dict[str, object]) -> list[tuple[object, ...]]:
    solutions = store.query(bind_values(query, bindings))  # type: ignore[arg-type]
    names = [v.value for v in solutions.variables]
    return sorted((tuple(from_ox(s[n]) if s[n] is not None else None for n in names) for s in solutions), key=repr)


def local_rows(graph: Graph, query: str, bindings: dict[str, object]) -> list[tuple[object, ...]]:
    result = graph.query(query, initBindings={Variable(k): v for k, v in bindings.items()})  # type: ignore[misc]
    return sorted((tuple(row) for row in result), key=repr)


QUERIES = {
    "filter": (
        "PREFIX ex: <http://example.org/> SELECT ?s ?label WHERE { ?s ex:theme ?_theme ; ex:label ?label }",
        {"_theme": URIRef("http://example.org/t1")},
    ),
    # The parameter is used inside an aggregated pattern: a trailing VALUES clause would
    # be joined after the grouping and give a cross product.
    "aggregate": (
        "PREFIX ex: <http://example.org/> SELECT (COUNT(?s) AS ?n) (SUM(?amount) AS ?total) "
        "WHERE { ?s ex:theme ?_theme ; ex:amount ?amount }",
        {"_theme": URIRef("http://example.org/t1")},
    ),
    "literal-in-filter": (
        "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:label ?label FILTER(STR(?label) = ?_name) }",
        {"_name": Literal('Parc-Ex "quoted" }')},
    ),
    "number": (
        "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:amount ?a FILTER(?a >= ?_min) } ORDER BY ?s",
        {"_min": Literal("7.0", datatype=XSD.decimal)},
    ),
    "optional": (
        "PREFIX ex: <http://example.org/> SELECT ?s ?t "
        "WHERE { ?s ex:label ?l OPTIONAL { ?s ex:theme ?t FILTER(?t = ?_theme) } }",
        {"_theme": URIRef("http://example.org/t2")},
    ),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_bound_query_gives_the_local_answer(name: str, graph: Graph, store: pyoxigraph.Store) -> None:
    query, bindings = QUERIES[name]
    expected = local_rows(graph, query, bindings)
    assert expected, "the case must select something"
    assert remote_rows(store, query, bindings) == expected


def test_trailing_values_would_have_been_wrong(graph: Graph, store: pyoxigraph.Store) -> None:
    """Why the block goes at the head of the WHERE group (a regression guard)."""
    query, bindings = QUERIES["aggregate"]
    trailing = query + " VALUES (?_theme) { (<http://example.org/t1>) }"
    assert list(store.query(trailing))[0]["n"].value != "2"
    assert remote_rows(store, query, bindings)[0][0] == Literal(2)


@pytest.mark.parametrize(
    "hostile",
    [
        '"} ; DROP ALL ; SELECT * { ?s ?p ?o } #',
        "\\\"'\n}'''\"\"\"",
        "\n\\",
        '\nX\\"',  # rdflib's own n3() leaves the closing \" unescaped here
        "#",
        ")} UNION { ?s ?p ?o }",
    ],
)
def test_hostile_text_stays_one_literal(hostile: str, store: pyoxigraph.Store) -> None:
    query = "SELECT ?x WHERE { BIND(?_text AS ?x) }"
    rows = remote_rows(store, query, {"_text": Literal(hostile)})
    assert rows == [(Literal(hostile),)]


@settings(max_examples=150, deadline=None)
@given(text=st.text(), lang=st.sampled_from([None, "fr", "en-CA"]))
def test_any_text_round_trips(text: str, lang: str | None) -> None:
    literal = Literal(text, lang=lang)
    solutions = list(pyoxigraph.Store().query(bind_values("SELECT ?x WHERE { BIND(?_t AS ?x) }", {"_t": literal})))
    assert len(solutions) == 1
    assert from_ox(solutions[0]["x"]) == literal


def test_iri_that_would_break_out_is_refused() -> None:
    with pytest.raises(InputError, match="not a valid IRI"):
        term_n3(URIRef("http://example.org/x> } ; DROP ALL"))


def test_blank_node_cannot_be_sent() -> None:
    with pytest.raises(InputError, match="blank node"):
        values_block({"_x": BNode()})


def test_bad_variable_name() -> None:
    with pytest.raises(InputError, match="not a SPARQL variable name"):
        values_block({"x y": Literal(1)})


def test_block_is_sorted_and_typed() -> None:
    block = values_block({"_b": Literal("2023-06-01", datatype=XSD.date), "a": URIRef("http://example.org/a")})
    assert block == (
        'VALUES (?_b ?a) { ("2023-06-01"^^<http://www.w3.org/2001/XMLSchema#date> <http://example.org/a>) }'
    )


def test_a_list_binds_one_solution_per_term(store: pyoxigraph.Store) -> None:
    terms = [URIRef("http://example.org/a"), Literal('x" } ; DROP ALL #'), Literal(2)]
    bound = bind_list("SELECT ?x WHERE { BIND(1 AS ?one) }", "x", terms)
    assert sorted(str(from_ox(s["x"])) for s in store.query(bound)) == sorted(str(t) for t in terms)
    assert bind_list("SELECT ?x WHERE { }", "x", []) == "SELECT ?x WHERE { }"
    with pytest.raises(InputError, match="not a valid IRI"):
        list_block("x", [URIRef("http://example.org/x> } ; DROP ALL")])


def test_no_bindings_leave_the_text_alone() -> None:
    assert bind_values("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"


def test_braces_in_comments_strings_iris_and_select_clause_are_skipped() -> None:
    query = (
        "#+ summary: { not here\n"
        "PREFIX ex: <http://example.org/#where>\n"
        "SELECT ?s (EXISTS { ?s ?p ?o } AS ?e) # WHERE {\n"
        'WHERE { ?s ex:p "}WHERE{" }'
    )
    bound = bind_values(query, {"_x": Literal(1)})
    block = 'VALUES (?_x) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    assert bound == query.replace('WHERE { ?s ex:p "', "WHERE {\n  " + block + '\n ?s ex:p "')


def test_construct_binds_in_the_pattern_not_the_template() -> None:
    bound = bind_values("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", {"_x": Literal(1)})
    assert bound.startswith("CONSTRUCT { ?s ?p ?o } {\n  VALUES")


def test_short_construct_cannot_take_parameters() -> None:
    with pytest.raises(InputError, match="made the query invalid"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?_x }", {"_x": Literal(1)})


def test_query_form() -> None:
    assert query_form("#+ summary: ASK\nPREFIX ask: <http://x/>\nselect * { ?s ?p ?o }") == "SELECT"
    with pytest.raises(InputError, match="not a SPARQL query"):
        query_form("INSERT DATA { <http://x> <http://y> 1 }")
