"""The catalogue is standard SPARQL: Oxigraph gives the answers rdflib gives.

Each query runs on Oxigraph the way a remote endpoint receives it — its parameters
as a ``VALUES`` row at the head of the ``WHERE`` group (:func:`pickg.graph.bindings.bind_values`)
— and on rdflib with ``initBindings``. Same rows, same order where the query orders
them, so the catalogue can be served as is by ``pickg serve`` and remote stores.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from pickg.graph.bindings import bind_values
from pickg.graph.namespaces import CONF, NBH, THEME
from pickg.graph.store import OxigraphStore
from pickg.queries.catalogue import load_catalog, load_checks
from pickg.queries.execution import bind_params
from pickg.queries.results import Result
from tests.support.catalog import run_cached

pytestmark = pytest.mark.system

CATALOG = load_catalog()
CHECKS = load_checks()
CASES = [(name, None, "fr") for name in sorted(CATALOG)] + [
    ("collaboration-partners", {"neighbourhood": str(NBH.verdun)}, "en"),
    ("neighbourhoods-by-theme", {"theme": str(THEME.food)}, "fr"),
    ("search-desired-changes", {"text": "Sécurité ALIMENTAIRE"}, "en"),
    ("weak-facts", {"confidence": str(CONF.inf)}, "fr"),
    ("systems-change-links", {"scheme": "https://w3id.org/pickg/vocab/collective-impact"}, "en"),
]


@pytest.fixture(scope="module")
def oxigraph(graph: Graph) -> OxigraphStore:
    store = OxigraphStore()
    store.add_graph(graph)
    return store


@pytest.mark.parametrize(("name", "params", "lang"), CASES, ids=lambda v: v if isinstance(v, str) else None)
def test_oxigraph_with_values_gives_the_rdflib_answer(
    graph: Graph, oxigraph: OxigraphStore, name: str, params: dict | None, lang: str
) -> None:
    query = CATALOG[name]
    expected = run_cached(graph, name, params, lang).canonical()
    text = bind_values(query.text, bind_params(query, params, lang))
    got = Result.of(oxigraph.select(text), ordered=query.has_order_by).canonical()
    assert got.variables == expected.variables
    assert got.to_json() == expected.to_json()


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_checks_agree_on_oxigraph(graph: Graph, oxigraph: OxigraphStore, name: str) -> None:
    query = CHECKS[name]
    text = bind_values(query.text, bind_params(query))
    got = Result.of(oxigraph.select(text)).canonical()
    from pickg.queries.execution import run_catalog_query

    expected = run_catalog_query(query, graph=graph).canonical()
    assert got.to_json() == expected.to_json()
