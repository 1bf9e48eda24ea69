"""Results as typed DataFrames and the Python function for SPARQL of one's own (issue 30).

A notebook computes on numbers, dates and booleans without a CSV round trip: the
columns of ``Result.to_pandas()`` carry the types of their RDF terms, and unknown
values stay missing (never 0).
"""

from __future__ import annotations

import pytest

import pickg
from pickg.graph.errors import NotFoundError
from pickg.queries.results import Result


@pytest.fixture(scope="module")
def funding() -> Result:
    return pickg.run_query("neighbourhood-funding", lang="en")


def test_theme_summary_counts_are_integers() -> None:
    frame = pickg.run_query("theme-summary", lang="en").to_pandas()
    assert str(frame["neighbourhoods"].dtype) == "Int64" and str(frame["initiatives"].dtype) == "Int64"
    assert str(frame["theme"].dtype) == "string" and frame["theme"].str.startswith("https://").all()
    assert frame["neighbourhoods"].sum() >= len(frame)  # numbers that add up, not text


def test_neighbourhood_funding_amounts_are_decimals_and_unknown_is_missing(funding: Result) -> None:
    frame = funding.to_pandas()
    assert str(frame["value"].dtype) == "Float64"
    assert str(frame["approximate"].dtype) == "boolean"
    known = dict(zip(frame["neighbourhoodLabel"], frame["value"], strict=True))
    assert known["Saint-Léonard"] == 1967459.0
    assert frame["value"].isna().sum() == 12 and not (frame["value"] == 0).any()  # CQ13: unknown, not zero


def test_labels_beside_only_or_none(funding: Result) -> None:
    beside = funding.to_pandas()
    only = funding.to_pandas(labels="only", iris="curie")
    none = funding.to_pandas(labels="none")
    assert {"neighbourhood", "neighbourhoodLabel"} <= set(beside.columns)
    assert "neighbourhoodLabel" not in only.columns and "Saint-Léonard" in set(only["neighbourhood"])
    assert "neighbourhoodLabel" not in none.columns and none["neighbourhood"].str.startswith("https://").all()
    assert only["amount"].dropna().str.startswith("amount:").all()


def test_figures_have_numeric_values_and_years() -> None:
    every = pickg.run_query("figures", lang="en").to_pandas()
    assert str(every["value"].dtype) == "Float64"  # counts beside rates: all decimals
    assert str(every["year"].dtype) == "Int64" and every["year"].dropna().between(1990, 2030).all()
    population = pickg.run_query("figures", {"measure": "measure:population"}, lang="en").to_pandas()
    assert str(population["value"].dtype) == "Int64"  # head counts only: whole numbers
    assert (population["measureLabel"] == "Population").all()


def test_dates_become_datetimes() -> None:
    rows = pickg.sparql(
        "SELECT ?event ?date WHERE { ?event a pic:Event ; schema:startDate ?date FILTER(DATATYPE(?date) = xsd:date) }"
    )
    frame = rows.to_pandas()
    import pandas  # here, not at collection: pandas takes 0.4 s to import, in every worker

    assert str(frame["date"].dtype).startswith("datetime64")
    assert pandas.Timestamp("2023-06-01") in set(frame["date"])


def test_sparql_labels_in_english() -> None:
    rows = pickg.sparql(
        "SELECT ?tier WHERE { ?tier skos:inScheme <https://w3id.org/pickg/vocab/support-tier> }", lang="en"
    )
    assert rows.variables == ("tier", "tierLabel")
    assert sorted(str(label) for label in rows.column("tierLabel")) == ["Intensive support", "Moderate support"]
    french = pickg.sparql(
        "SELECT ?tier WHERE { ?tier skos:inScheme <https://w3id.org/pickg/vocab/support-tier> }", lang="fr"
    )
    assert sorted(str(label) for label in french.column("tierLabel")) == ["Soutien intensif", "Soutien modéré"]


def test_sparql_without_lang_follows_the_command_line_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "SELECT ?tier WHERE { ?tier skos:inScheme <https://w3id.org/pickg/vocab/support-tier> }"
    monkeypatch.setenv("PICKG_LANG", "en")
    assert "Intensive support" in {str(label) for label in pickg.sparql(text).column("tierLabel")}
    monkeypatch.delenv("PICKG_LANG")
    monkeypatch.setenv("LC_ALL", "fr_CA.UTF-8")
    assert "Soutien intensif" in {str(label) for label in pickg.sparql(text).column("tierLabel")}


def test_sparql_on_an_open_store_answers_ask_and_construct() -> None:
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store

    with open_store("oxigraph", workspace_files()) as store:
        assert pickg.sparql("ASK { nbh:verdun a pic:Neighbourhood }", store=store) is True
        graph = pickg.sparql("CONSTRUCT { nbh:verdun rdfs:label ?l } WHERE { nbh:verdun rdfs:label ?l }", store=store)
        assert len(graph) >= 1


def test_a_misspelt_iri_is_refused_with_the_names_meant() -> None:
    with pytest.raises(NotFoundError) as caught:
        pickg.run_query("provenance", {"resource": "initiative:verdun-un-toit-une-table-pour-tou"})
    message = str(caught.value)
    assert message.startswith("no resource named initiative:verdun-un-toit-une-table-pour-tou")
    assert "did you mean initiative:verdun-un-toit-une-table-pour-tous" in message


def test_an_iri_outside_the_project_is_left_to_the_query() -> None:
    """A store may hold more than this graph: only the project's own IRIs are checked."""
    assert len(pickg.run_query("neighbourhoods-by-theme", {"theme": "urn:x:elsewhere"})) == 0
