"""The analyst's queries of the catalogue on the shipped data (issue 30).

The neighbourhood profile, figures, timeline, horizons, roundtables, programme changes
and the data-quality queries answer, in one table each, questions that used to need
hand-written SPARQL. Where a competency question overlaps, the expected answer is the
one the competency-question document states; otherwise the answer is checked against
another query of the catalogue or against the graph itself.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from rdflib import Graph, Literal, URIRef

from pickg.graph.namespaces import INITIATIVE, MEASURE, NBH, PHASE, PIC, RDF, SCHEMA, SKOS, XSD
from pickg.graph.store import OxigraphStore
from pickg.queries.execution import run_query

CQ13_FUNDING = {
    "Ahuntsic": Decimal(490000),
    "Bordeaux-Cartierville": Decimal(535000),
    "Saint-Léonard": Decimal(1967459),
    "Mercier-Ouest": Decimal(588034),
    "Côte-des-Neiges": Decimal(1866453),
}


@cache
def _store(graph: Graph) -> OxigraphStore:
    """The shipped data in Oxigraph, the default engine (the goldens hold rdflib to the same rows)."""
    store = OxigraphStore()
    store.add_graph(graph)
    return store


def _rows(graph: Graph, name: str, params: dict[str, str] | None = None, lang: str = "fr") -> list[dict]:
    return run_query(name, params, lang=lang, backend=_store(graph)).as_dicts()


def test_neighbourhood_profile_has_the_17_phase_1_neighbourhoods_each_whole(graph: Graph) -> None:
    rows = _rows(graph, "neighbourhood-profile", {"phase": str(PHASE["1"])})
    assert len(rows) == 17
    assert len({row["neighbourhood"] for row in rows}) == 17
    for row in rows:
        assert row.get("territories"), row["neighbourhoodLabel"]
        assert row.get("roundtables"), row["neighbourhoodLabel"]
        assert row.get("tier") is not None, row["neighbourhoodLabel"]


def test_neighbourhood_profile_says_unknown_funding_is_unknown_never_zero(graph: Graph) -> None:
    rows = _rows(graph, "neighbourhood-profile", {"phase": str(PHASE["1"])})
    known = {str(row["neighbourhoodLabel"]): row["funding"].toPython() for row in rows if row.get("funding")}
    assert known == CQ13_FUNDING  # CQ13: the five amounts, the others unknown
    assert all(row.get("funding") is None or row["funding"].toPython() > 0 for row in rows)


def test_neighbourhood_profile_agrees_with_the_queries_it_gathers(graph: Graph) -> None:
    profile = {row["neighbourhood"]: row for row in _rows(graph, "neighbourhood-profile", {"phase": str(PHASE["1"])})}
    initiatives = {
        r["neighbourhood"]: r["initiatives"].toPython() for r in _rows(graph, "initiatives-per-neighbourhood")
    }
    tiers = {r["neighbourhood"]: r["tier"] for r in _rows(graph, "support-tiers")}
    assert {n: row["initiatives"].toPython() for n, row in profile.items()} == initiatives
    assert {n: row["tier"] for n, row in profile.items()} == tiers
    # West Island has two roundtables, in one row
    assert str(profile[NBH["ouest-de-l-ile"]]["roundtables"]).count("; ") == 1


def test_neighbourhood_profile_answers_which_neighbourhood_lacks_amount_roundtable_or_borough(graph: Graph) -> None:
    rows = _rows(graph, "neighbourhood-profile", {"phase": str(PHASE["1"])})
    lacking = {str(r["neighbourhoodLabel"]) for r in rows if r.get("funding") is None}
    assert len(lacking) == 12 and not lacking & set(CQ13_FUNDING)


def test_neighbourhood_profile_in_phase_2_leaves_unrecorded_facts_empty(graph: Graph) -> None:
    rows = _rows(graph, "neighbourhood-profile", {"phase": "phase:2"})
    assert rows and all(row.get("initiatives") is None and row.get("funding") is None for row in rows)


def test_figures_give_the_year_as_a_number_and_filter_by_measure_and_year(graph: Graph) -> None:
    every = _rows(graph, "figures")
    assert all(row["year"].datatype == XSD.integer for row in every if row.get("year") is not None)
    chosen = _rows(graph, "figures", {"measure": str(MEASURE["below-lico-rate"]), "year": "2001"})
    assert chosen and all(
        row["measure"] == MEASURE["below-lico-rate"] and row["year"].toPython() == 2001 for row in chosen
    )
    expected = {
        figure
        for figure in graph.subjects(PIC.measure, MEASURE["below-lico-rate"])
        if (figure, PIC.referenceYear, Literal("2001", datatype=XSD.gYear)) in graph
    }
    assert {row["figure"] for row in chosen} == expected


def test_figures_keep_every_value_of_the_graph(graph: Graph) -> None:
    for row in _rows(graph, "figures"):
        assert (row["figure"], SCHEMA.value, row["value"]) in graph


def test_timeline_gives_the_precision_of_each_date(graph: Graph) -> None:
    rows = _rows(graph, "timeline")
    precision = {XSD.date: "day", XSD.gYearMonth: "month", XSD.gYear: "year"}
    assert rows
    for row in rows:
        assert str(row["precision"]) == precision[row["date"].datatype]
    # CQ11: the preliminary results were validated on 2023-06-01
    assert any(str(row["date"]) == "2023-06-01" for row in rows)


def test_programme_changes_name_what_they_respond_to(graph: Graph) -> None:
    rows = _rows(graph, "programme-changes", lang="en")
    opening = next(r for r in rows if str(r["change"]).endswith("open-to-all-neighbourhoods"))
    assert "Territorial inequity" in str(opening["respondsTo"])  # CQ12


def test_identical_texts_finds_the_two_initiatives_with_one_desired_change(graph: Graph) -> None:
    pairs = {(row["first"], row["second"]) for row in _rows(graph, "identical-texts")}
    assert (
        INITIATIVE["lasalle-carrefour-alimentaire"],
        INITIATIVE["ville-emard-cote-saint-paul-systeme-alimentaire-local"],
    ) in pairs


def test_conflicting_figures_list_every_recorded_conflict(graph: Graph) -> None:
    rows = _rows(graph, "conflicting-figures")
    recorded = {frozenset((r["first"], r["second"])) for r in rows if r["recorded"].toPython()}
    assert recorded == {frozenset(pair) for pair in graph.subject_objects(PIC.conflictsWith)}


def test_every_figure_says_what_it_measures(graph: Graph) -> None:
    """So that figures are compared by measure, not by reading their labels."""
    scheme = URIRef("https://w3id.org/pickg/vocab/measure")
    for figure in graph.subjects(RDF.type, PIC.Figure):
        measures = list(graph.objects(figure, PIC.measure))
        assert len(measures) == 1, figure
        assert (measures[0], SKOS.inScheme, scheme) in graph, measures[0]
