"""Running catalogue queries: typed parameters, the backend seam, languages, renderings."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.namespaces import NBH, PHASE, XSD
from pickg.queries.catalogue import Param, get_query
from pickg.queries.execution import (
    SEARCH_FOLDS,
    Backend,
    LocalBackend,
    bind_params,
    normalise_search,
    parse_value,
    remote_backend,
    run_query,
)
from pickg.queries.results import Result
from tests.support.catalog import labels, run_cached

QUERY = get_query("neighbourhoods-of-phase")


def param(type_: str, choices: tuple[str, ...] | None = None) -> Param:
    return Param("value", type_, None, choices)


# --- parameter values ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("iri", "https://w3id.org/pickg/id/phase/2", URIRef(PHASE["2"])),
        ("iri", "  <https://w3id.org/pickg/id/phase/2> ", URIRef(PHASE["2"])),
        ("iri", "nbh:saint-michel", URIRef(NBH["saint-michel"])),
        ("iri", "urn:isbn:0451450523", URIRef("urn:isbn:0451450523")),
        ("integer", "42", Literal(42, datatype=XSD.integer)),
        ("integer", 7, Literal(7, datatype=XSD.integer)),
        ("decimal", "2.50", Literal(Decimal("2.50"), datatype=XSD.decimal)),
        ("decimal", 3, Literal(Decimal(3), datatype=XSD.decimal)),
        ("date", "2023-06-01", Literal(date(2023, 6, 1), datatype=XSD.date)),
        ("date", date(2024, 1, 24), Literal(date(2024, 1, 24), datatype=XSD.date)),
        ("string", "Côte-des-Neiges } ; DROP ALL", Literal("Côte-des-Neiges } ; DROP ALL")),
        ("search", "  LOGEMENT  Social ", Literal("logement social")),
    ],
)
def test_values_become_terms_of_their_declared_type(type_: str, value: object, expected: Literal) -> None:
    term = parse_value(QUERY, param(type_), value)
    assert term == expected and type(term) is type(expected)
    if isinstance(expected, Literal):
        assert term.datatype == expected.datatype


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("iri", "not an iri"),
        ("iri", "saint-michel"),
        ("iri", "https://example.org/a b"),
        ("iri", 'https://example.org/a>"b'),
        ("iri", "https://example.org/{x}"),
        ("iri", ""),
        ("integer", "4.5"),
        ("integer", "ten"),
        ("integer", 4.5),
        ("decimal", "1e5"),
        ("decimal", "NaN"),
        ("date", "2023-02-30"),
        ("date", "01/06/2023"),
        ("string", "\udcff"),
        ("integer", True),
    ],
)
def test_values_of_the_wrong_type_are_refused_naming_parameter_value_and_type(type_: str, value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_value(QUERY, param(type_), value)
    message = str(caught.value)
    assert "parameter 'value' of query 'neighbourhoods-of-phase'" in message
    assert f"is {type_}" in message


def test_choices_are_enforced() -> None:
    with pytest.raises(InputError, match="must be one of fr, en"):
        parse_value(QUERY, param("string", ("fr", "en")), "de")


def test_unknown_parameters_are_refused_with_the_list_of_known_ones() -> None:
    with pytest.raises(InputError, match=r"has no parameter 'phas'; its parameters are: phase"):
        bind_params(QUERY, {"phas": "phase:1"})


def test_language_is_set_apart_from_parameters() -> None:
    with pytest.raises(InputError, match="--lang"):
        bind_params(QUERY, {"lang": "en"})
    with pytest.raises(InputError, match="use one of fr, en"):
        bind_params(QUERY, lang="de")


def test_defaults_fill_missing_parameters_and_optional_ones_stay_unbound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKG_LANG", "fr")
    assert bind_params(QUERY) == {"_lang": Literal("fr"), "_phase": URIRef(PHASE["1"])}
    assert bind_params(QUERY, {"phase": "phase:2"}, lang="en") == {"_lang": Literal("en"), "_phase": URIRef(PHASE["2"])}
    themed = get_query("neighbourhoods-by-theme")
    assert bind_params(themed) == {"_lang": Literal("fr")}


@pytest.mark.parametrize(
    ("env", "expected"), [({"PICKG_LANG": "en"}, "en"), ({"LC_ALL": "fr_CA.UTF-8"}, "fr"), ({}, "en")]
)
def test_the_api_language_follows_the_one_rule(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PICKG_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert bind_params(QUERY)["_lang"] == Literal(expected)
    assert bind_params(QUERY, lang="fr")["_lang"] == Literal("fr")


def test_search_folding_matches_the_queries_normalisation() -> None:
    """The letters Python folds are exactly those the SPARQL REPLACE chain folds."""
    text = get_query("search-desired-changes").text
    pairs = [(p.strip("[]"), r) for p, r in re.findall(r'"([^"]+)", "([^"]*)"\)', text)]
    in_sparql = {(letters, ascii) for letters, ascii in pairs if ascii not in ("", " ")}
    in_python = {(letters, ascii) for ascii, letters in SEARCH_FOLDS.items()}
    assert in_sparql == in_python
    assert normalise_search("Ville-Émard–Côte\u00a0Saint-Paul l’œuvre") == "ville-emard–cote saint-paul l'oeuvre"


# --- running -----------------------------------------------------------------------------


def test_run_query_leaves_the_graph_untouched(graph: Graph) -> None:
    before = Graph()
    before += graph
    run_query("provenance", {"resource": "phase:2"}, graph)
    assert len(graph) == len(before) and isomorphic(graph, before)


def test_an_unknown_query_is_not_found_with_suggestions(graph: Graph) -> None:
    with pytest.raises(NotFoundError, match="did you mean collaboration-partners"):
        run_query("collaboration-partner", graph=graph)


class RecordingBackend:
    """A backend of our own: what a remote endpoint receives, answered from a local graph."""

    def __init__(self, graph: Graph) -> None:
        self.inner = LocalBackend(graph)
        self.calls: list[tuple[str, dict]] = []

    def select(self, query_text: str, bindings):  # type: ignore[no-untyped-def]
        self.calls.append((query_text, dict(bindings)))
        return self.inner.select(query_text, bindings)


def test_any_backend_with_select_can_run_the_catalogue(graph: Graph) -> None:
    backend = RecordingBackend(graph)
    assert isinstance(backend, Backend)
    result = run_query("support-tiers", {"phase": "phase:1"}, backend=backend, lang="en")
    assert len(result) == 17
    text, bindings = backend.calls[-1]  # after the check that phase:1 names a resource
    assert text == get_query("support-tiers").text  # the text is never altered
    assert bindings == {"_lang": Literal("en"), "_phase": URIRef(PHASE["1"])}


def test_a_remote_endpoint_needs_a_remote_backend(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickg.queries.execution as sparql

    monkeypatch.setattr(sparql, "REMOTE_BACKEND", "pickg.no_such_module:RemoteBackend")
    with pytest.raises(InputError, match="cannot query a remote endpoint"):
        remote_backend("http://127.0.0.1:9/sparql")


def test_a_broken_query_file_is_a_parse_error_naming_the_file(workspace_copy) -> None:  # type: ignore[no-untyped-def]
    path = workspace_copy.queries_dir / "neighbourhoods-of-phase.rq"
    path.write_text(path.read_text(encoding="utf-8").replace("ORDER BY", "ORDER BYE"), encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        run_query("neighbourhoods-of-phase", graph=Graph())
    assert str(path) in str(caught.value) and caught.value.line is not None


def test_labels_follow_the_language_with_french_as_fallback(graph: Graph) -> None:
    fr = run_cached(graph, "neighbourhoods-of-phase", lang="fr")
    en = run_cached(graph, "neighbourhoods-of-phase", lang="en")
    assert "Ouest-de-l'Île" in labels(fr, "neighbourhoodLabel")
    assert "West Island" in labels(en, "neighbourhoodLabel")  # the one neighbourhood with an English name
    assert "Verdun" in labels(en, "neighbourhoodLabel")  # French only: French shown
    themes = run_cached(graph, "theme-summary", lang="en")
    assert "Food" in labels(themes, "themeLabel")
    assert {term.language for term in fr.column("neighbourhoodLabel")} == {"fr"}


# --- results -----------------------------------------------------------------------------


def test_results_render_as_csv_json_and_markdown(graph: Graph) -> None:
    result = run_cached(graph, "neighbourhood-funding")
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == list(result.variables)
    assert len(rows) == len(result) + 1
    assert "https://w3id.org/pickg/id/neighbourhood/saint-leonard" in rows[1]
    data = json.loads(json.dumps(result.to_json()))
    assert data["head"]["vars"] == list(result.variables)
    assert Result.from_json(data, ordered=True) == Result(result.variables, result.rows, ordered=True)
    value = data["results"]["bindings"][0]["value"]
    assert value == {"type": "literal", "value": "1967459.0", "datatype": str(XSD.decimal)}
    markdown = result.to_markdown().splitlines()
    assert markdown[0].startswith("| neighbourhood | amount |")  # labels stand for their IRIs
    assert len(markdown) == len(result) + 2


def test_canonical_order_is_the_query_order_or_a_stable_sort(graph: Graph) -> None:
    ordered = run_cached(graph, "initiatives-per-neighbourhood")
    assert ordered.ordered and ordered.canonical() is ordered
    shuffled = Result(ordered.variables, tuple(reversed(ordered.rows)))
    assert shuffled.canonical().rows == Result(ordered.variables, ordered.rows).canonical().rows
