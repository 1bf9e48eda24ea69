"""More of the portal's visitor tasks (issue 28), each scripted by clicking and typing from
the home page only, in the session's Chromium at 1280 and 390 px, in English and French,
and each asserting the answer on screen: the timeline, the search box, the map, Ask the
data, the downloads, a roundtable, findings, funders, a condition of systems change, and a
comparison made from the list. ``test_portal_browser.py`` holds the first tasks.

What each task expects is read from the graph or the release here, never written in the
test.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from pickg.graph.namespaces import PIC, SCHEMA
from tests.support.visitors import Visitor, initiatives_of, name_of

pytestmark = pytest.mark.system

ID = "https://w3id.org/pickg/id/"
SAINT_MICHEL = URIRef(ID + "neighbourhood/saint-michel")
PHASE_1 = URIRef(ID + "phase/1")
ORG = URIRef("http://www.w3.org/ns/org#")
FUNDER = URIRef("https://w3id.org/pickg/vocab/role/funder")
POLICIES = URIRef("https://w3id.org/pickg/vocab/systems-change/policies")

EN_FR = [(1280, "en"), (390, "fr")]
PHONE_LAPTOP = [(390, "en"), (1280, "fr")]


def _ids(views: list[tuple[int, str]]) -> list[str]:
    return [f"{width}-{lang}" for width, lang in views]


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_find_the_phase_2_launch_on_the_timeline_and_open_it(visitor: Visitor, graph: Graph) -> None:
    launch = URIRef(ID + "event/2022-04-27-phase-2-launch")
    visitor.menu("nav_timeline")
    name = name_of(graph, launch, visitor.lang)
    row = visitor.page.locator("table.timeline tbody tr", has_text=name)
    date = str(graph.value(launch, SCHEMA.startDate))
    assert row.locator("time").get_attribute("datetime") == date
    row.locator(f"a:text-is('{name}')").click()
    assert visitor.page.inner_text("h1") == name
    print(f"\n{visitor.lang}: {name}, {date}")


@pytest.mark.parametrize("visitor", PHONE_LAPTOP, indirect=True, ids=_ids(PHONE_LAPTOP))
def test_search_housing_and_reach_a_housing_initiative_from_a_snippet(visitor: Visitor, graph: Graph) -> None:
    housing = URIRef("https://w3id.org/pickg/vocab/theme/housing")
    words = {"en": "housing", "fr": "logement"}[visitor.lang]
    visitor.page.click("header .search-link")
    visitor.page.wait_for_load_state("load")  # the search's scripts, run at the end of the page
    visitor.page.fill("#search-input", words)  # the results follow the typing, the address keeps the words
    visitor.page.wait_for_selector("#search-results li mark")
    result = visitor.page.locator("#search-results > li:has(a[href*='id/initiative/'])").first
    assert visitor.words("kind_initiative") in result.locator(".kind").inner_text()
    assert result.locator("mark").count() > 0  # the matched words marked in the snippet
    result.locator("a").first.click()
    title = visitor.page.inner_text("h1")
    initiatives = {name_of(graph, i, visitor.lang): i for i in graph.subjects(RDF.type, PIC.Initiative)}
    assert title in initiatives, title
    initiative = initiatives[title]
    texts = " ".join(str(o) for p in (PIC.desiredChange, PIC.gloss) for o in graph.objects(initiative, p)).lower()
    assert (initiative, PIC.theme, housing) in graph or words in texts or words in title.lower()
    print(f"\nsearch {words!r} → {title}")


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_open_a_neighbourhood_from_the_map_on_the_home_page(visitor: Visitor, graph: Graph) -> None:
    name = name_of(graph, SAINT_MICHEL, visitor.lang)
    visitor.page.locator(f"#map figure.map svg a[aria-label='{name}']").first.click()
    assert visitor.page.inner_text("h1") == name
    assert visitor.page.locator("figure.map .nbh.here").count() >= 1  # the map shows where it is
    print(f"\nmap → {name}")


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_ask_the_data_which_neighbourhood_carried_the_most_initiatives_in_phase_1(
    visitor: Visitor, graph: Graph
) -> None:
    visitor.menu("nav_queries")
    visitor.page.click("a[href='#initiatives-per-neighbourhood']")
    section = visitor.page.locator("section#initiatives-per-neighbourhood")
    first = section.locator("table tbody tr").first.locator("td").all_inner_texts()
    counts = Counter(
        n
        for i in graph.subjects(RDF.type, PIC.Initiative)
        if (i, PIC.phase, PHASE_1) in graph
        for n in graph.objects(i, PIC.neighbourhood)
    )
    most = max(counts.values())
    leaders = {name_of(graph, n, visitor.lang) for n, c in counts.items() if c == most}
    assert first[0].strip() in leaders and str(most) in [c.strip() for c in first[1:]], first
    print(f"\n{first[0]}: {most} initiatives in Phase 1")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_check_the_initiatives_csv_against_its_checksum_on_the_downloads_page(visitor: Visitor, site_dir: Path) -> None:
    visitor.menu("nav_downloads")
    row = visitor.page.locator("table.files tbody tr", has=visitor.page.locator("th a:text-is('initiatives.csv')"))
    shown = row.locator("code.sum").inner_text().strip()
    with visitor.page.expect_download() as download:
        row.locator("th a").click()
    got = Path(download.value.path()).read_bytes()
    # A link followed as a download ends its navigation, which Chromium reports as aborted.
    visitor.visit.problems[:] = [p for p in visitor.visit.problems if "initiatives.csv net::ERR_ABORTED" not in p]
    assert hashlib.sha256(got).hexdigest() == shown
    assert got == (site_dir.parent / "initiatives.csv").read_bytes()
    print(f"\ninitiatives.csv: {len(got)} bytes, sha256 {shown[:12]}…")


@pytest.mark.parametrize("visitor", PHONE_LAPTOP, indirect=True, ids=_ids(PHONE_LAPTOP))
def test_find_who_runs_saint_michels_roundtable(visitor: Visitor, graph: Graph) -> None:
    roundtable = graph.value(SAINT_MICHEL, PIC.roundtable)
    assert isinstance(roundtable, URIRef)
    visitor.menu("nav_neighbourhoods")
    visitor.page.click(f"#list >> text='{name_of(graph, SAINT_MICHEL, visitor.lang)}'")
    name = name_of(graph, roundtable, visitor.lang)
    visitor.page.locator(".summary a", has_text=name).first.click()
    assert visitor.page.inner_text("h1") == name
    assert visitor.words("kind_roundtable") in visitor.page.inner_text(".kind")
    print(f"\nroundtable of Saint-Michel: {name}")


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_list_the_limits_the_assessment_names(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_findings")
    limit = name_of(graph, PIC.Limit, visitor.lang)
    label = next(o for o in visitor.texts("#f-kind option") if o.startswith(limit + " ("))
    visitor.page.select_option("#f-kind", label=label)
    shown = sorted(visitor.texts("#list tbody tr:not([hidden]) td:nth-child(1)"))
    expected = sorted(name_of(graph, f, visitor.lang) for f in graph.subjects(RDF.type, PIC.Limit))
    assert shown == expected and visitor.page.inner_text("#shown").startswith(str(len(expected)))
    visitor.page.click(f"#list >> text='{shown[0]}'")
    assert visitor.page.inner_text("h1") == shown[0]
    print(f"\n{len(shown)} limits: {shown}")


@pytest.mark.parametrize("visitor", PHONE_LAPTOP, indirect=True, ids=_ids(PHONE_LAPTOP))
def test_list_the_programmes_funders(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_organisations")
    funder = name_of(graph, FUNDER, visitor.lang)
    label = next(o for o in visitor.texts("#f-role option") if o.startswith(funder + " ("))
    visitor.page.select_option("#f-role", label=label)
    shown = sorted(visitor.texts("#list tbody tr:not([hidden]) td:nth-child(1)"))
    member = URIRef(str(ORG) + "member")
    role = URIRef(str(ORG) + "role")
    funders = {graph.value(m, member) for m in graph.subjects(role, FUNDER)} - {None}
    assert shown == sorted(name_of(graph, f, visitor.lang) for f in funders if isinstance(f, URIRef))
    print(f"\n{len(shown)} funders")


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_open_a_condition_of_systems_change_and_read_its_initiatives(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_conditions")
    name = name_of(graph, POLICIES, visitor.lang)
    visitor.page.click(f"#list >> text='{name}'")
    assert visitor.page.inner_text("h1") == name
    linked = {
        graph.value(link, PIC.linkedResource)
        for link in graph.subjects(PIC.condition, POLICIES)
        if (link, RDF.type, PIC.ConditionLink) in graph
    }
    initiatives = sorted(name_of(graph, i, visitor.lang) for i in linked if (i, RDF.type, PIC.Initiative) in graph)
    assert initiatives
    text = visitor.page.inner_text("main")
    assert all(i in text for i in initiatives), [i for i in initiatives if i not in text]
    print(f"\n{name}: {len(initiatives)} initiatives")


@pytest.mark.parametrize("visitor", PHONE_LAPTOP, indirect=True, ids=_ids(PHONE_LAPTOP))
def test_tick_two_neighbourhoods_in_the_list_and_compare_them(visitor: Visitor, graph: Graph) -> None:
    verdun = URIRef(ID + "neighbourhood/verdun")
    visitor.menu("nav_neighbourhoods")
    for slug in ("saint-michel", "verdun"):
        visitor.page.check(f"#list input[value='{slug}']")
    with visitor.page.expect_navigation(wait_until="load"):  # the comparison, its script run
        visitor.page.click("#compare-go")
    columns = visitor.texts("#compare thead th:not([hidden])")[1:]
    names = [name_of(graph, n, visitor.lang) for n in (SAINT_MICHEL, verdun)]
    assert sorted(columns, key=str.lower) == sorted(names, key=str.lower)
    row = visitor.page.locator("#compare tbody tr", has_text=visitor.words("col_initiatives"))
    counts = [c.split("\n")[0] for c in row.locator("td:not([hidden])").all_inner_texts()]
    by_name = {name_of(graph, n, visitor.lang): str(len(initiatives_of(graph, n))) for n in (SAINT_MICHEL, verdun)}
    assert counts == [by_name[c] for c in columns]
    print(f"\ncompared from the list: {dict(zip(columns, counts, strict=True))}")


@pytest.mark.parametrize("visitor", EN_FR, indirect=True, ids=_ids(EN_FR))
def test_ask_the_data_which_neighbourhoods_took_part_in_phase_2(visitor: Visitor, graph: Graph) -> None:
    phase_2 = URIRef(ID + "phase/2")
    visitor.menu("nav_queries")
    visitor.page.click("a[href='#neighbourhoods-of-phase']")
    section = visitor.page.locator("section#neighbourhoods-of-phase")
    section.locator("details.variant summary", has_text=name_of(graph, phase_2, visitor.lang)).click()
    table = section.locator("details.variant[open] table")
    shown = [t.strip() for t in table.locator("tbody tr td:first-child").all_inner_texts()]
    took_part = sorted(
        {
            name_of(graph, n, visitor.lang)
            for p in graph.subjects(PIC.phase, phase_2)
            if (p, RDF.type, PIC.Participation) in graph
            for n in graph.objects(p, PIC.neighbourhood)
        },
        key=str.lower,
    )
    caption = table.locator("caption").inner_text()
    assert str(len(took_part)) in caption and shown == took_part[: len(shown)] and shown
    print(f"\nPhase 2: {caption}")
