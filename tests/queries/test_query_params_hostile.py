"""Hostile parameter values never change a query, never escape as a traceback.

Values are bound as RDF terms (rdflib ``initBindings``), never pasted into the text:
whatever a value holds — quotes, ``>``, braces, ``} ; DROP ALL``, line breaks, any
Unicode, a very long string — the prepared query's algebra is the same before and
after the run, a value that does not fit its type is refused with a one-sentence
error, and a search returns only rows that contain the searched text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

import pickg
from pickg.cli import main
from pickg.graph.errors import InputError
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import Store, open_store
from pickg.queries.catalogue import LANG_PARAM, load_catalog
from pickg.queries.execution import LocalBackend, normalise_search, prepare, run_catalog_query
from tests.support.references import reference_key, reference_value

CATALOG = load_catalog()
PARAMETERS = sorted((q.name, p.name) for q in CATALOG.values() for p in q.params if p.name != LANG_PARAM)
SEARCH = CATALOG["search-desired-changes"]
REPO = Path(__file__).resolve().parents[2]
#: The files of the small graph: the ontology, vocabularies and the initiatives.
SMALL_FILES = workspace_files([REPO / "data" / "initiatives.ttl"])

HOSTILE = [
    '"',
    "'",
    '"""',
    "\\",
    ">",
    "<https://example.org/x>",
    "https://example.org/a>b",
    "{ }",
    "} ; DROP ALL",
    '" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "logement\n} UNION { ?s ?p ?o }",
    "?_text",
    "# comment",
    "\r\n\t",
    "\x00",
    "Ville-Émard–Côte-Saint-Paul l’œuvre",
    "日本語 🏘️ עברית",
    "nbh:verdun",
    "https://w3id.org/pickg/id/neighbourhood/verdun",
    "x" * 20_000,
]
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=200, max_size=2_000),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=20)),
)


@pytest.fixture(scope="module")
def small_graph() -> Graph:
    """The ontology, vocabularies and the initiatives: every query runs, quickly."""
    return pickg.load([REPO / "data" / "initiatives.ttl"])


@pytest.fixture(scope="module")
def everything_found(small_graph: Graph) -> set:
    """Every row the search can return: the empty text is in every text. rdflib's answer
    (the reference), kept in the project's cache under a key of the files, the libraries,
    pickg's code and this module (:mod:`tests.support.references`)."""
    key = reference_key("rdflib empty search", __file__, SMALL_FILES, pickg=True)
    return reference_value(
        key, lambda: set(run_catalog_query(SEARCH, {"text": ""}, backend=LocalBackend(small_graph)).rows)
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.sampled_from(PARAMETERS), value=values)
def test_a_hostile_value_never_changes_the_query(small_graph: Graph, target: tuple[str, str], value: str) -> None:
    query = CATALOG[target[0]]
    prepared = prepare(query)
    before = repr(prepared.algebra)
    try:
        result = run_catalog_query(query, {target[1]: value}, backend=LocalBackend(small_graph), check_resources=False)
    except InputError as error:
        assert f"parameter {target[1]!r}" in str(error) or "must be one of" in str(error)
        assert "\n" not in str(error)
        return
    assert repr(prepared.algebra) == before
    assert repr(prepareQuery(query.text).algebra) == before  # the text itself never changed
    assert all(len(row) == len(result.variables) for row in result.rows)


@pytest.fixture(scope="module")
def small_store() -> Store:
    """The same files in the default store (Oxigraph): rdflib's engine takes over a second
    for each search, Oxigraph a few milliseconds."""
    return open_store("oxigraph", workspace_files([REPO / "data" / "initiatives.ttl"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values)
def test_a_search_finds_only_rows_that_contain_the_text(small_store: Store, everything_found: set, value: str) -> None:
    """Each search on the default store gives rows of rdflib's empty search, each containing the text."""
    found = run_catalog_query(SEARCH, {"text": value}, backend=small_store)
    needle = normalise_search(value)
    assert set(found.rows) <= everything_found
    for text in found.column("text"):
        assert needle in normalise_search(str(text))


@settings(max_examples=15, deadline=None)
@given(target=st.sampled_from(PARAMETERS), value=values.filter(lambda v: "\x00" not in v))
def test_the_command_line_answers_or_refuses_cleanly(target: tuple[str, str], value: str) -> None:
    name, param = target
    runner = CliRunner()
    files = [str(REPO / "data" / "initiatives.ttl")]
    outcome = runner.invoke(main, ["query", "run", name, "--param", f"{param}={value}", "--format", "csv", *files])
    assert outcome.exit_code in (0, 2), outcome.output
    if outcome.exception is not None:
        assert isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    assert "Traceback" not in outcome.output
    if outcome.exit_code == 2:
        assert outcome.output.startswith("Error: ") and outcome.output.count("\n") == 1
