"""Issue 14: a grouped query that finds nothing answers no rows, on every engine.

rdflib 7.6.0 gave ``GROUP BY`` over no solutions one solution with nothing bound;
``neighbourhoods-by-theme`` with ``theme=theme:food`` and ``phase=phase:2`` (or the
typo ``theme:foood``) then printed 640 "neighbourhoods" that were sources, awards and
ontology properties. ``docs/rdflib-group-by-empty.md`` holds the reproduction.
"""

from __future__ import annotations

import csv
import io

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

import pickg
from pickg.graph.namespaces import PIC
from pickg.graph.rdfio import workspace_files
from pickg.graph.rdflibfixes import install
from pickg.graph.store import open_store
from tests.cli.test_cli_query import invoke

EMPTY_CASES = [
    {"theme": "theme:food", "phase": "phase:2"},
    {"theme": "theme:foood", "phase": "phase:2"},
    {"theme": "theme:foood", "phase": "phase:1"},
]
STORES = ["auto", "oxigraph", "rdflib"]


def _cli_rows(params: dict[str, str], store: str) -> list[dict[str, str]]:
    args = ["query", "run", "neighbourhoods-by-theme", "--format", "csv", "--store", store]
    for name, value in params.items():
        args += ["-p", f"{name}={value}"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


@pytest.mark.parametrize("store", STORES)
def test_cli_answers_no_rows_where_nothing_matches(store: str) -> None:
    assert _cli_rows(EMPTY_CASES[0], store) == []


@pytest.mark.parametrize("phase", ["phase:1", "phase:2"])
def test_cli_refuses_the_typo_and_names_the_theme_meant(phase: str) -> None:
    """Issue 30: the typo no longer answers "no rows", which read as "no such neighbourhood"."""
    result = invoke("query", "run", "neighbourhoods-by-theme", "-p", "theme=theme:foood", "-p", f"phase={phase}")
    assert result.exit_code == 2
    assert "no resource named theme:foood" in result.output and "did you mean theme:food" in result.output


@pytest.mark.parametrize("store", STORES)
def test_cli_neighbourhoods_are_neighbourhoods(store: str, graph: Graph) -> None:
    rows = _cli_rows({"theme": "theme:food", "phase": "phase:1"}, store)
    assert rows, "Phase 1 has food initiatives"
    for row in rows:
        assert (URIRef(row["neighbourhood"]), RDF.type, PIC.Neighbourhood) in graph


@pytest.mark.parametrize("params", EMPTY_CASES, ids=lambda p: f"{p['theme']}-{p['phase']}")
def test_run_query_answers_no_rows_on_every_local_engine(params: dict[str, str], graph: Graph) -> None:
    """The engines themselves, without the up-front check that refuses a typo (issue 30)."""
    run = pickg.run_query
    assert len(run("neighbourhoods-by-theme", params, check_resources=False)) == 0  # Oxigraph, the default
    assert len(run("neighbourhoods-by-theme", params, graph, check_resources=False)) == 0  # rdflib's engine
    with open_store("rdflib", workspace_files()) as store:
        assert len(run("neighbourhoods-by-theme", params, backend=store, check_resources=False)) == 0


def test_rdflib_group_by_over_nothing_gives_no_solution() -> None:
    """The minimal reproduction of docs/rdflib-group-by-empty.md, with the correction installed."""
    install()
    data = Graph().parse(data="<urn:x> <urn:label> 'x' .", format="turtle")
    grouped = (
        "SELECT ?s ?l WHERE { { SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s <urn:q> ?o } GROUP BY ?s }"
        " OPTIONAL { ?s <urn:label> ?l } }"
    )
    assert list(data.query(grouped)) == []
    ungrouped = "SELECT (COUNT(?o) AS ?n) WHERE { ?s <urn:q> ?o }"
    assert [int(row[0]) for row in data.query(ungrouped)] == [0]  # one implicit group, as SPARQL says
