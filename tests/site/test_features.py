"""The site's features that answer a reader directly (issue 28): search entries, the charts'
totals, the timeline, the map's boundaries, JSON-LD and the sitemap.

Everything expected is computed from the graph or the catalogue's answers, never written
here; the answers are collected once for the module (no site is rendered).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from pickg.graph.namespaces import PIC
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import open_store
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import load_catalog
from pickg.queries.execution import run_query
from pickg.site.answers import CONDITIONS, answer_csv, answer_tables
from pickg.site.ask import ask_queries, variant_files
from pickg.site.collect import SiteData, collect_site, collect_variants, parameter_values
from pickg.site.context import PageContext, rows_of
from pickg.site.geomap import neighbourhood_map, read_shapes
from pickg.site.overview import sparql_examples
from pickg.site.resources import SiteGraph
from pickg.site.search import search_entries, search_index
from pickg.site.timeline import timeline_rows
from pickg.site.webdata import json_script, page_jsonld, sitemap_xml

NBH = "https://w3id.org/pickg/id/neighbourhood/"


@pytest.fixture(scope="module")
def collected(workspace: Workspace) -> tuple[SiteData, SiteGraph]:
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        data = collect_site(store, workspace)
    return data, SiteGraph(data.triples)


def _ctx(collected: tuple[SiteData, SiteGraph], lang: str, file: str = "index.html") -> PageContext:
    data, site = collected
    return PageContext(data, site, lang, file, file.removesuffix(".html"), "0.0.0-test")


# --- search --------------------------------------------------------------------------------


def test_a_neighbourhoods_initiatives_are_tied_to_it_in_the_search(
    collected: tuple[SiteData, SiteGraph], graph: Graph
) -> None:
    _, site = collected
    entries = search_entries(site, "en")
    michel = URIRef(NBH + "saint-michel")
    name = site.label(michel, "en").text
    initiatives = {str(s) for s in graph.subjects(PIC.neighbourhood, michel) if (s, RDF.type, PIC.Initiative) in graph}
    tied = [e for e in entries if name in e["r"].split(" · ") and e["k"] == site.label(PIC.Initiative, "en").text]
    assert len(initiatives) == 5 and len(tied) == len(initiatives)
    assert not [e for e in entries if e["k"] == site.label(RDF.Statement, "en").text]


def test_an_english_page_names_a_french_record_by_its_gloss(
    collected: tuple[SiteData, SiteGraph], graph: Graph
) -> None:
    _, site = collected
    glossed = {
        str(o): s
        for s, o in graph.subject_objects(PIC.gloss)
        if isinstance(o, Literal) and o.language == "en" and (s, RDF.type, PIC.Initiative) in graph
    }
    titles = {e["t"] for e in search_entries(site, "en")}
    assert glossed and set(glossed) <= titles


def test_the_search_index_holds_no_angle_bracket() -> None:
    site = SiteGraph(
        (
            (URIRef(NBH + "x"), RDF.type, PIC.Neighbourhood),
            (URIRef(NBH + "x"), RDFS.label, Literal("</script><b>", lang="fr")),
        )
    )
    text = search_index(site, "fr")
    index = json.loads(text[len("window.PICKG_SEARCH = ") : -2])
    assert "<" not in text and index["rows"][0][index["fields"].index("t")] == "</script><b>"
    assert index["rows"][0][index["fields"].index("u")] + index["page"] == "id/neighbourhood/x/index.html"


# --- charts --------------------------------------------------------------------------------


def test_the_matrix_totals_add_up_and_the_ranking_is_its_column_totals(collected: tuple[SiteData, SiteGraph]) -> None:
    data, site = collected
    tables = answer_tables(data, site, "en")
    matrix, ranked = tables["matrix"], tables["conditions"]
    rows = rows_of(data.catalogue[("systems-change-matrix", "en")])
    by_column = [sum(int(r[k].toPython()) for r in rows if k in r) for k in CONDITIONS]
    assert matrix.totals == [*by_column, sum(by_column)]
    assert all(cells[-1] == sum(c or 0 for c in cells[:-1]) for _, _, cells in matrix.rows)
    assert [cells[0] for _, _, cells in ranked.rows] == sorted(by_column, reverse=True)
    top = ranked.rows[0][0]
    assert top in ranked.title and top in ranked.alt
    levels = {str(r["confidence"]) for r in rows}
    assert matrix.inferred == (levels == {"INF"})
    csv = answer_csv(matrix, "en").splitlines()
    assert csv[-1].endswith(f",{sum(by_column)}") and len(csv) == len(rows) + 2


def test_the_shared_themes_matrix_is_symmetric_and_counts_themes(collected: tuple[SiteData, SiteGraph]) -> None:
    data, site = collected
    shared = answer_tables(data, site, "fr")["shared"]
    themes: dict[str, set[str]] = {}
    for n, t in data.themes:
        themes.setdefault(str(n), set()).add(str(t))
    iris = [iri for _, iri, _ in shared.rows]
    for i, (_, a, cells) in enumerate(shared.rows):
        assert cells[i] is None
        for j, b in enumerate(iris):
            if i != j:
                assert cells[j] == len(themes[str(a)] & themes[str(b)]) == shared.rows[j][2][i]


# --- timeline ------------------------------------------------------------------------------


def test_the_timeline_lists_every_dated_item_in_date_order(collected: tuple[SiteData, SiteGraph]) -> None:
    data, _ = collected
    rows = timeline_rows(data, _ctx(collected, "en", "timeline.en.html"))
    assert len(rows) == len(data.timeline)
    assert [r["key"] for r in rows] == sorted(r["key"] for r in rows)
    precisions = Counter(r["precision"] for r in rows)
    assert set(precisions) <= {"day", "month", "year"} and len(precisions) == 3
    assert all(r["link"]["href"] for r in rows)


# --- map -----------------------------------------------------------------------------------


def test_every_neighbourhood_has_a_boundary_drawn_and_a_union_is_inferred(
    collected: tuple[SiteData, SiteGraph], graph: Graph, workspace: Workspace
) -> None:
    data, _ = collected
    features = json.loads((workspace.data_dir / "geo" / "neighbourhoods.geojson").read_text(encoding="utf-8"))
    drawn = {f["properties"]["boundary"]: f for f in features["features"] if "boundary" in f["properties"]}
    for neighbourhood in graph.subjects(RDF.type, PIC.Neighbourhood):
        boundary = graph.value(neighbourhood, PIC.boundary)
        assert str(boundary) in drawn, neighbourhood
        inferred = graph.value(boundary, PIC.confidence) == URIRef("https://w3id.org/pickg/vocab/confidence/inf")
        assert drawn[str(boundary)]["properties"]["union"] == inferred
    assert set(read_shapes(data.geometry).paths) == set(drawn)


def test_the_map_links_each_neighbourhood_and_says_what_is_inferred(collected: tuple[SiteData, SiteGraph]) -> None:
    ctx = _ctx(collected, "en", "index.en.html")
    html = str(neighbourhood_map(ctx))
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', html)
    assert len(links) == len(ctx.site.instances(PIC.Neighbourhood))
    assert any("boundary inferred" in label for _, label in links)
    assert "CC BY 4.0" in html and "<table" in html and 'role="group"' in html
    funding = str(neighbourhood_map(ctx, measure="funding"))
    assert "unknown" in funding
    # a second map of the page draws the first one's outlines, not its own copy
    shared = str(neighbourhood_map(ctx, measure="tier", shapes_of="map-plain"))
    used = set(re.findall(r'<use href="#([^"]+)"', shared))
    assert " d=" not in shared and used and used <= set(re.findall(r'<path id="([^"]+)"', html))
    michel = NBH + "saint-michel"
    own = str(neighbourhood_map(_ctx(collected, "en", "id/neighbourhood/saint-michel/index.en.html"), highlight=michel))
    assert own.count('class="nbh here"') == 1
    assert str(neighbourhood_map(ctx, highlight="https://w3id.org/pickg/id/phase/1")) == ""


# --- web of data ---------------------------------------------------------------------------


def test_json_ld_cannot_close_its_script() -> None:
    html = str(json_script({"name": '</script><script>alert(1)</script>"&'}))
    assert html.count("</script>") == 1 and "<script>alert" not in html
    inner = html[len('<script type="application/ld+json">') : -len("</script>")]
    assert json.loads(inner)["name"] == '</script><script>alert(1)</script>"&'


def test_a_neighbourhood_is_a_place_an_event_an_event(collected: tuple[SiteData, SiteGraph], graph: Graph) -> None:
    ctx = _ctx(collected, "en", "x/index.en.html")
    record = json.loads(re.sub(r"^<script[^>]*>|</script>$", "", str(page_jsonld(ctx, NBH + "saint-michel"))))
    assert record["@type"] == "Place" and record["name"] == "Saint-Michel"
    event = next(graph.subjects(RDF.type, PIC.Event))
    record = json.loads(re.sub(r"^<script[^>]*>|</script>$", "", str(page_jsonld(ctx, str(event)))))
    assert record["@type"] == "Event"


def test_the_sitemap_lists_pages_under_the_base() -> None:
    text = sitemap_xml(["b.html", "a & b.html"])
    assert "<loc>https://w3id.org/pickg/a &amp; b.html</loc>" in text and text.index("a &amp;") < text.index("b.html<")


def test_the_geojson_is_the_one_its_readme_describes(workspace: Workspace) -> None:
    import hashlib

    folder: Path = workspace.data_dir / "geo"
    digest = hashlib.sha256((folder / "neighbourhoods.geojson").read_bytes()).hexdigest()
    assert digest in (folder / "README.md").read_text(encoding="utf-8")


# --- Ask the data: an answer for each value of a parameter -------------------------------------


def test_ask_the_data_answers_each_value_of_a_parameter(
    collected: tuple[SiteData, SiteGraph], workspace: Workspace, graph: Graph
) -> None:
    catalogue = load_catalog(workspace)
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        phases = dict(parameter_values(store, catalogue["neighbourhoods-of-phase"]))
        weak = [value for _, value in parameter_values(store, catalogue["weak-facts"])]
        unbound = parameter_values(store, catalogue["theme-summary"])
        variants = collect_variants(store, workspace)
        # the answers as the site asks them: of Oxigraph (rdflib's engine takes seconds more)
        answers = {(name, "en"): run_query(query, lang="en", backend=store) for name, query in catalogue.items()}
        expected = run_query(
            "neighbourhoods-of-phase", {"phase": next(iter(phases.values()))}, backend=store, lang="en"
        )
    default = URIRef(catalogue["neighbourhoods-of-phase"].param("phase").default or "")
    assert set(phases.values()) == set(graph.subjects(RDF.type, PIC.Phase)) - {default} and phases
    assert [str(v) for v in weak] == list(catalogue["weak-facts"].param("confidence").choices or ())
    assert unbound == []  # an unbound parameter: the default answer already ranges over every value
    ctx = _ctx(collected, "en", "queries/index.en.html")
    shown = {q["name"]: q for q in ask_queries(ctx, list(catalogue.values()), answers, variants)}
    [phase_2] = shown["neighbourhoods-of-phase"]["variants"]
    assert phase_2["count"] == len(expected.rows) > 0 and phase_2["value"]["text"] == ctx.link(phases["phase"])["text"]
    assert phase_2["csv"] == "../data/queries/neighbourhoods-of-phase.phase-phase-2.en.csv"
    files = variant_files(variants)
    assert len(files) == sum(len(v) for v in variants.values())
    assert all(variant.result.rows for answers_of in variants.values() for variant in answers_of)
    print(f"\n{len(files)} answers for other values, over {len({name for name, _ in variants})} queries")


def test_run_it_live_runs_the_value_whose_answer_is_shown(
    collected: tuple[SiteData, SiteGraph], workspace: Workspace
) -> None:
    """Each answer for another value links to the query page's example of that value: the
    query with that value bound (not the default), which gives the rows shown."""
    catalogue = load_catalog(workspace)
    ask = _ctx(collected, "en", "queries/index.en.html")
    live = _ctx(collected, "en", "sparql/index.en.html")
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        variants = collect_variants(store, workspace)
        examples = {e["name"]: e for e in sparql_examples(live, list(catalogue.values()), variants)}
        shown = {q["name"]: q for q in ask_queries(ask, list(catalogue.values()), {}, variants)}
        checked = 0
        for (name, lang), answers in variants.items():
            if lang != "en":
                continue
            for variant, seen in zip(answers, shown[name]["variants"], strict=True):
                page, _, anchor = seen["live"].partition("#")
                example = examples[anchor]
                assert page == "../sparql/index.en.html" and example["of"] == name
                rows = store.select(example["text"]).rows
                assert sorted(map(str, rows)) == sorted(map(str, variant.result.rows)), anchor
                assert f"<{variant.value}>" in example["text"] != examples[name]["text"], anchor
                checked += 1
    assert checked == sum(len(a) for (_, lang), a in variants.items() if lang == "en") > 0
    print(f"\n{checked} answers for other values, each run live with its value")
