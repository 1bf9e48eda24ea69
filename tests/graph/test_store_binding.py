"""Parameters of a SELECT on the Oxigraph store: a ``VALUES`` row of escaped terms.

Oxigraph's substitutions reach projected variables only, and catalogue parameters
are not projected, so :class:`pickg.graph.store.OxigraphStore` writes the terms as a
``VALUES`` row (:func:`pickg.graph.bindings.bind_values`). Oxigraph parses that text before
it evaluates anything, so the store skips the separate parse check a text bound for
an endpoint gets; these tests hold it to the same answers and the same refusals.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import pickg
from pickg.graph.bindings import _where_brace, bind_values, parse_error, query_form
from pickg.graph.cache import workspace_digest
from pickg.graph.errors import InputError, ParseError
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import OxigraphStore, from_ox, open_store
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import LANG_PARAM, load_catalog, parse_query_file
from pickg.queries.execution import LocalBackend, bind_params, normalise_search, run_catalog_query
from pickg.queries.results import Result
from tests.support.references import reference_key, reference_value

CATALOGUE = load_catalog()
WITH_PARAMS = sorted(name for name, query in CATALOGUE.items() if query.params)
REPO = Path(__file__).resolve().parents[2]

# ``?_x`` is bound again by BIND after the VALUES row puts it in scope: SPARQL refuses that.
REBINDS = "SELECT ?x WHERE { BIND(?_x AS ?x) BIND(2 AS ?_x) }"

HOSTILE = [
    '"',
    "'",
    '"""',
    "\\",
    '\\"',
    "{ }",
    "} ; DROP ALL",
    '" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "logement\n} UNION { ?s ?p ?o }",
    'première ligne\n} ; DROP ALL ; # \\"',
    "?_text",
    "# comment",
    "\r\n\t",
    "Ville-Émard–Côte-Saint-Paul l’œuvre",
    "x" * 20_000,
]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    oxigraph = open_store("oxigraph", workspace_files())
    assert isinstance(oxigraph, OxigraphStore)
    return oxigraph


def _one_line_error(error: pytest.ExceptionInfo[InputError]) -> str:
    text = str(error.value)
    assert "\n" not in text
    return text


def test_regression_a_binding_that_breaks_the_query_is_refused_on_the_store(store: OxigraphStore) -> None:
    assert store.select(REBINDS).rows == ((None,),)  # unbound, the text is valid
    for _ in range(2):  # the second run takes the cached path and is refused just the same
        with pytest.raises(InputError) as error:
            store.select(REBINDS, {"_x": Literal(1)})
        assert "binding the parameters made the query invalid" in _one_line_error(error)


def test_regression_a_binding_that_breaks_the_query_is_refused_before_it_is_sent() -> None:
    for _ in range(2):
        with pytest.raises(InputError) as error:
            bind_values(REBINDS, {"_x": Literal(1)})
        assert "binding the parameters made the query invalid" in _one_line_error(error)


def test_regression_a_catalogue_query_the_binding_breaks_is_refused(tmp_path: Path, store: OxigraphStore) -> None:
    path = tmp_path / "rebinds.rq"
    path.write_text(
        "#+ summary:\n#+   fr: Relie\n#+   en: Rebinds\n"
        "#+ description:\n#+   fr: Relie ?_x.\n#+   en: Binds ?_x again.\n"
        "#+ params:\n#+   - x: integer\n" + REBINDS + "\n",
        encoding="utf-8",
    )
    query = parse_query_file(path)
    with pytest.raises(InputError) as error:
        run_catalog_query(query, {"x": 1}, backend=store)
    assert "binding the parameters made the query invalid" in _one_line_error(error)


def test_a_query_invalid_as_written_is_reported_as_such(store: OxigraphStore) -> None:
    with pytest.raises(InputError) as error:
        store.select("SELECT ?x WHERE { ?x ?y }", {"_x": Literal(1)})
    message = _one_line_error(error)
    assert message.startswith("the SPARQL query is not valid: error at 1:")  # a position in the text as written
    assert "binding" not in message


def test_parse_error_names_the_fault_or_none() -> None:
    assert parse_error("SELECT * WHERE { ?s ?p ?o }") is None
    assert parse_error("SELECT * WHERE { ?s ?p }")


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_store_rows_equal_the_checked_text_on_bare_oxigraph(store: OxigraphStore, name: str) -> None:
    query = CATALOGUE[name]
    bindings = bind_params(query)
    checked = bind_values(query.text, bindings)  # checked, as sent to an endpoint
    solutions = store.inner.query(checked)
    names = [v.value for v in solutions.variables]
    bare = tuple(tuple(None if s[n] is None else from_ox(s[n]) for n in names) for s in solutions)
    got = store.select(query.text, bindings)
    assert got.variables == tuple(names)
    assert sorted(got.rows, key=repr) == sorted(bare, key=repr)


@pytest.fixture(scope="module")
def every_search_row() -> Result:
    """Every row the search can give, from rdflib's engine with ``initBindings`` (the
    reference for binding): the empty text is contained in every text. Kept in the project's
    cache under a key of the workspace, the libraries, pickg's code and this module
    (:mod:`tests.support.references`)."""
    name = f"rdflib empty search, workspace {workspace_digest(Workspace.discover())}"
    key = reference_key(name, __file__, [], pickg=True)
    return reference_value(
        key,
        lambda: run_catalog_query(
            CATALOGUE["search-desired-changes"], {"text": ""}, backend=LocalBackend(pickg.load())
        ),
    )


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_search_gives_the_rdflib_rows_and_leaves_the_store_alone(
    store: OxigraphStore, every_search_row: Result, value: str
) -> None:
    """The rows rdflib's engine gives for the empty text, kept where the text contains the
    folded value: a value that broke out of its literal would give other rows (or none, or
    an error). One rdflib run for all the values: its engine takes seconds on this query."""
    size = len(store)
    got = run_catalog_query(CATALOGUE["search-desired-changes"], {"text": value}, backend=store)
    needle = normalise_search(value)
    texts = every_search_row.variables.index("text")
    expected = [row for row in every_search_row.rows if needle in normalise_search(str(row[texts]))]
    assert got.variables == every_search_row.variables
    assert sorted(got.rows, key=repr) == sorted(expected, key=repr)
    assert len(store) == size


@pytest.mark.parametrize("value", ["https://example.org/a>b", "<https://example.org/x> } ; DROP ALL", "nbh:a b"])
def test_a_hostile_iri_is_refused_on_the_store(store: OxigraphStore, value: str) -> None:
    query = CATALOGUE["organisation-profile"]
    with pytest.raises(InputError) as error:
        run_catalog_query(query, {"organisation": value}, backend=store)
    assert "parameter 'organisation'" in _one_line_error(error)


def test_regression_a_catalogue_query_is_lexed_and_checked_once_not_on_every_run(store: OxigraphStore) -> None:
    """The fixed per-call cost: the text was lexed twice and parsed twice (rdflib's check
    aside) on every call; now Oxigraph's parse of the bound text, to run it, is the only one."""
    query = CATALOGUE["roles-in-phase"]
    params = {"phase": URIRef("https://w3id.org/pickg/id/phase/2")}
    first = run_catalog_query(query, params, backend=store)
    lexed, checked = _where_brace.cache_info().misses, parse_error.cache_info().misses
    forms = query_form.cache_info().misses
    again = run_catalog_query(query, params, backend=store)
    assert again == first
    assert _where_brace.cache_info().misses == lexed
    assert query_form.cache_info().misses == forms
    assert parse_error.cache_info().misses == checked  # the text's check is cached; the bound text is not re-parsed


def test_lang_is_the_only_string_parameter_besides_search() -> None:
    """The hostile-text tests above cover every free-text parameter of the catalogue."""
    free = {
        (query.name, param.name)
        for query in CATALOGUE.values()
        for param in query.params
        if param.type in ("string", "search") and param.name != LANG_PARAM
    }
    assert free == {("search-desired-changes", "text")}


def test_a_broken_query_file_on_the_store_names_the_file_line_and_column(tmp_path: Path, store: OxigraphStore) -> None:
    source = CATALOGUE["neighbourhoods-of-phase"].path.read_text(encoding="utf-8")
    path = tmp_path / "neighbourhoods-of-phase.rq"
    path.write_text(source.replace("ORDER BY", "ORDER BYE"), encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        run_catalog_query(parse_query_file(path), backend=store)
    assert str(path) in str(caught.value) and "not valid SPARQL" in str(caught.value)
    line = next(n for n, text in enumerate(source.splitlines(), 1) if text.startswith("ORDER BY"))
    assert caught.value.line == line and caught.value.col is not None
