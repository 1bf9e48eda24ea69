"""The portal as a visitor meets it (issue 28, the pages; issue 26, the site's languages):
tasks scripted by clicking and typing from the home page only, in a real Chromium at
1280 and 390 px wide, in English and French, each asserting the answer on screen; and
axe-core on the home page, every list page and one profile page of each kind.

What each task expects is computed from the graph here (rdflib), never written in the
test. The site is the session's published release, served on 127.0.0.1 (see
the session's fixtures of ``tests/support/browsers.py``: one Chromium for the session, a
context and a page per task).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC, SCHEMA
from tests.support.browsers import AXE, Visit
from tests.support.visitors import VIEWS, Visitor, initiatives_of, name_of

pytestmark = pytest.mark.system

SAINT_MICHEL = URIRef("https://w3id.org/pickg/id/neighbourhood/saint-michel")
VERDUN = URIRef("https://w3id.org/pickg/id/neighbourhood/verdun")
FOOD = URIRef("https://w3id.org/pickg/vocab/theme/food")
SYSTEMS_CHANGE = URIRef("https://w3id.org/pickg/vocab/systems-change")


@pytest.mark.parametrize("visitor", VIEWS, indirect=True, ids=[f"{w}-{lang}" for w, lang in VIEWS])
def test_open_saint_michel_from_the_menu_and_read_its_initiatives_with_their_themes(
    visitor: Visitor, graph: Graph
) -> None:
    lang = visitor.lang
    visitor.menu("nav_neighbourhoods")
    visitor.page.click(f"#list >> text='{name_of(graph, SAINT_MICHEL, lang)}'")
    expected = initiatives_of(graph, SAINT_MICHEL)
    heading = visitor.page.inner_text("#initiatives h2")
    names = visitor.texts("#initiatives .card h3 > a:first-child")
    assert heading.startswith(translate(lang, "portal.initiatives_title")) and f"({len(expected)})" in heading
    assert sorted(names) == sorted(name_of(graph, i, lang) for i in expected)
    for initiative in expected:
        card = visitor.page.locator("#initiatives .card", has_text=name_of(graph, initiative, lang))
        for theme in graph.objects(initiative, PIC.theme):
            assert name_of(graph, theme, lang) in card.inner_text()
    summary = visitor.page.inner_text(".summary")
    assert translate(lang, "portal.initiatives", n=len(expected)) in summary
    print(f"\n{lang} {visitor.page.viewport_size}: {heading}: {names}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_filter_initiatives_by_food_and_share_the_address(visitor: Visitor, graph: Graph, browser: object) -> None:
    lang = visitor.lang
    visitor.menu("nav_initiatives")
    theme = name_of(graph, FOOD, lang)
    visitor.page.select_option(
        "#f-theme", label=next(o for o in visitor.texts("#f-theme option") if o.startswith(theme + " ("))
    )
    shown = visitor.texts("#list tbody tr:not([hidden]) td:nth-child(1)")
    expected = sorted(
        name_of(graph, i, lang) for i in graph.subjects(PIC.theme, FOOD) if (i, RDF.type, PIC.Initiative) in graph
    )
    assert sorted(shown) == expected
    address = visitor.page.url
    assert parse_qs(urlsplit(address).query) == {"theme": ["food"]}
    other = browser.new_page()  # type: ignore[attr-defined]
    try:
        other.goto(address)
        again = [
            t.strip()
            for t in other.eval_on_selector_all(
                "#list tbody tr:not([hidden]) td:nth-child(1)", "e => e.map(x => x.innerText)"
            )
        ]
    finally:
        other.close()
    assert sorted(again) == expected
    print(f"\n{theme}: {len(expected)} initiatives, {address}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "en")], indirect=True, ids=["1280-en", "390-en"])
def test_follow_a_source_citation_to_its_original_address(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_neighbourhoods")
    visitor.page.click(f"#list >> text='{name_of(graph, SAINT_MICHEL, 'en')}'")
    visitor.page.click(".kind sup.refs a >> nth=0")
    assert urlsplit(visitor.page.url).fragment == "src-1"
    cited = visitor.page.locator("#src-1")
    source_page = cited.locator("a").first.get_attribute("href")
    original = cited.locator("a.ext").first.get_attribute("href")
    sources = list(graph.objects(SAINT_MICHEL, URIRef("http://purl.org/dc/terms/source")))
    source = next(s for s in sources if str(s).rsplit("/", 1)[-1] in (source_page or ""))
    assert original in {str(u) for u in graph.objects(source, SCHEMA.url)}
    with visitor.page.expect_request(original):
        visitor.page.click("#src-1 a.ext >> nth=0")
    assert original in visitor.visit.outside  # the page asked for the original (the test's network refuses it)
    visitor.visit.outside.clear()
    visitor.visit.problems[:] = [p for p in visitor.visit.problems if original not in p]
    print(f"\ncitation 1 of Saint-Michel: {original}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_find_the_condition_linked_to_the_most_initiatives(visitor: Visitor, graph: Graph) -> None:
    lang = visitor.lang
    visitor.menu("nav_conditions")
    header = translate(lang, "portal.col_initiatives")
    visitor.page.click(f"#list thead button >> text='{header}'")
    visitor.page.click(f"#list thead button >> text='{header}'")  # the second click sorts from the most
    first = visitor.texts("#list tbody tr td:nth-child(1)")[0]
    counts = Counter(
        condition
        for link in graph.subjects(RDF.type, PIC.ConditionLink)
        for condition in graph.objects(link, PIC.condition)
        if (condition, SKOS.inScheme, SYSTEMS_CHANGE) in graph
        if (graph.value(link, PIC.linkedResource), RDF.type, PIC.Initiative) in graph
    )
    most = max(counts.values())
    assert first in {name_of(graph, c, lang) for c, n in counts.items() if n == most}
    print(f"\n{first}: {most} initiatives")


@pytest.mark.parametrize(
    "visitor", [(1280, "en"), (390, "en"), (1280, "fr")], indirect=True, ids=["1280-en", "390-en", "1280-fr"]
)
def test_compare_saint_michel_with_verdun_from_its_page(visitor: Visitor, graph: Graph) -> None:
    lang = visitor.lang
    visitor.menu("nav_neighbourhoods")
    visitor.page.click(f"#list >> text='{name_of(graph, SAINT_MICHEL, lang)}'")
    visitor.page.click(f"text='{translate(lang, 'portal.compare_with')}'")
    visitor.page.check(f"#compare-pick label:has-text('{name_of(graph, VERDUN, lang)}') input")
    assert parse_qs(urlsplit(visitor.page.url).query) == {"n": ["saint-michel", "verdun"]}
    columns = visitor.texts("#compare thead th:not([hidden])")[1:]
    assert columns == sorted([name_of(graph, SAINT_MICHEL, lang), name_of(graph, VERDUN, lang)], key=str.lower)
    row = visitor.page.locator("#compare tbody tr", has_text=translate(lang, "portal.col_initiatives"))
    counts = [c.split("\n")[0] for c in row.locator("td:not([hidden])").all_inner_texts()]
    by_name = {name_of(graph, n, lang): str(len(initiatives_of(graph, n))) for n in (SAINT_MICHEL, VERDUN)}
    assert counts == [by_name[c] for c in columns]
    print(f"\ncompare {columns}: initiatives {counts}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_filter_neighbourhoods_by_intensive_support(visitor: Visitor, graph: Graph) -> None:
    lang = visitor.lang
    tier = URIRef("https://w3id.org/pickg/vocab/support-tier/intensive")
    visitor.menu("nav_neighbourhoods")
    label = name_of(graph, tier, lang)
    visitor.page.select_option(
        "#f-tier", label=next(o for o in visitor.texts("#f-tier option") if o.startswith(label + " ("))
    )
    shown = sorted(visitor.texts("#list tbody tr:not([hidden]) td:nth-child(2)"))
    expected = sorted(
        {name_of(graph, graph.value(p, PIC.neighbourhood), lang) for p in graph.subjects(PIC.supportTier, tier)}
    )
    assert shown == expected
    status = visitor.page.inner_text("#shown")
    assert status.startswith(str(len(expected)))
    print(f"\n{label}: {status}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "en")], indirect=True, ids=["1280-en", "390-en"])
def test_download_the_initiatives_and_the_filtered_view_as_csv(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_initiatives")
    every = [i for i in graph.subjects(RDF.type, PIC.Initiative)]
    with visitor.page.expect_download() as whole:
        visitor.page.click(f"text='{translate('en', 'portal.csv_all')}'")
    rows = list(csv.reader(io.StringIO(Path(whole.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == len(every) + 1 and rows[0][0] == translate("en", "portal.col_name")
    food = visitor.texts("#f-theme option")
    food_label = next(o for o in food if o.startswith(name_of(graph, FOOD, "en") + " ("))
    visitor.page.select_option("#f-theme", label=food_label)
    with visitor.page.expect_download() as view:
        visitor.page.click("#csv-view")
    part = list(csv.reader(io.StringIO(Path(view.value.path()).read_text(encoding="utf-8"))))
    expected = sorted(name_of(graph, i, "en") for i in graph.subjects(PIC.theme, FOOD) if i in every)
    assert sorted(r[0] for r in part[1:]) == expected
    # each file named by its list, its filter and its language, none repeated
    assert whole.value.suggested_filename == "initiatives.en.csv"
    assert view.value.suggested_filename == f"initiatives.theme-{str(FOOD).rsplit('/', 1)[-1]}.en.csv"
    print(f"\nCSV: {len(rows) - 1} initiatives; this view: {len(part) - 1}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "en")], indirect=True, ids=["1280-en", "390-en"])
def test_read_what_an_initiative_wants_to_change_in_the_readers_language(visitor: Visitor, graph: Graph) -> None:
    initiative = URIRef("https://w3id.org/pickg/id/initiative/saint-michel-systeme-alimentaire-michelois")
    visitor.menu("nav_initiatives")
    visitor.page.click(f"#list >> text='{name_of(graph, initiative, 'en')}'")
    assert visitor.page.inner_text("h1") == name_of(graph, initiative, "en")
    # the desired change, and its translations (properties whose pic:translationOf it is)
    props = [PIC.desiredChange, *graph.subjects(PIC.translationOf, PIC.desiredChange)]
    texts = {o.language: str(o) for p in props for o in graph.objects(initiative, p)}
    section = visitor.page.locator("section.text").first
    if "en" in texts:  # the project's translation, marked, with the French original one click away
        assert texts["en"] in section.inner_text()
        assert translate("en", "portal.translated_from_fr") in section.inner_text()
        section.locator("details summary").click()
        assert section.locator('details [lang="fr"]').first.inner_text() in texts["fr"]
    else:  # the French text, marked French for screen readers and for the eye
        shown = section.locator('p[lang="fr"]').first.inner_text()
        assert shown in texts["fr"] and translate("en", "site.in_fr") in section.inner_text()
    print(f"\ndesired change in: {sorted(texts)}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_read_how_sure_the_site_is_on_the_about_page(visitor: Visitor, graph: Graph) -> None:
    lang = visitor.lang
    visitor.menu("nav_about")
    levels = visitor.texts("#confidence dt .conf")
    expected = {str(graph.value(level, SKOS.notation)) for level in set(graph.objects(None, PIC.confidence))}
    assert set(levels) == expected
    for key in ("about_inferred_title", "about_unknown_title", "about_error_title"):
        assert translate(lang, f"portal.{key}") in visitor.texts("main h2")
    print(f"\nconfidence levels on About: {levels}")


@pytest.mark.parametrize("visitor", [(1280, "en"), (390, "fr")], indirect=True, ids=["1280-en", "390-fr"])
def test_open_a_theme_and_count_its_initiatives(visitor: Visitor, graph: Graph) -> None:
    lang = visitor.lang
    visitor.menu("nav_themes")
    visitor.page.click(f"#list >> text='{name_of(graph, FOOD, lang)}'")
    initiatives = [i for i in graph.subjects(PIC.theme, FOOD) if (i, RDF.type, PIC.Initiative) in graph]
    assert translate(lang, "portal.theme_initiatives", n=len(initiatives)) in visitor.page.inner_text(".summary")
    heading = f"{translate(lang, 'portal.kinds_initiative')} ({len(initiatives)})"
    related = visitor.page.locator(f"section.related:has(h2:text-is('{heading}'))")
    assert sorted(related.locator("li > a:first-child").all_inner_texts()) == sorted(
        name_of(graph, i, lang) for i in initiatives
    )


@pytest.mark.parametrize("visitor", [(1280, "en")], indirect=True, ids=["1280-en"])
def test_switch_a_profile_to_french_and_back(visitor: Visitor, graph: Graph) -> None:
    visitor.menu("nav_neighbourhoods")
    visitor.page.click(f"#list >> text='{name_of(graph, SAINT_MICHEL, 'en')}'")
    visitor.page.click("header .switch")
    assert visitor.page.evaluate("document.documentElement.lang") == "fr"
    names = visitor.texts("#initiatives .card h3 > a:first-child")
    assert sorted(names) == sorted(name_of(graph, i, "fr") for i in initiatives_of(graph, SAINT_MICHEL))


# --- axe-core on the portal's pages -----------------------------------------------------------

#: One profile page of each kind, the home page and every list page.
AXED = {
    "home": "index.en.html",
    "neighbourhoods": "neighbourhoods/index.en.html",
    "initiatives": "initiatives/index.en.html",
    "organisations": "organisations/index.en.html",
    "themes": "themes/index.en.html",
    "systems-change": "systems-change/index.en.html",
    "findings": "findings/index.en.html",
    "compare": "compare/index.en.html?n=saint-michel&n=verdun",
    "about": "about/index.en.html",
    "neighbourhood": "id/neighbourhood/saint-michel/index.en.html",
    "initiative": "id/initiative/saint-michel-systeme-alimentaire-michelois/index.en.html",
    "funder": "id/organisation/centraide-du-grand-montreal/index.en.html",
    "roundtable": "id/organisation/vivre-saint-michel-en-sante/index.en.html",
    "theme": "vocab/theme/food/index.en.html",
    "condition": "vocab/systems-change/policies/index.en.html",
    "event": "id/event/2022-04-27-phase-2-launch/index.en.html",
    "finding": "id/finding/neighbourhood-flexible-multi-year-formula/index.en.html",
    "limit": "id/finding/limit-territorial-inequity/index.html",
    "change": "id/programme/pic-phase-2-change-open-to-all-neighbourhoods/index.en.html",
    "figure": "id/figure/saint-michel-below-lico-rate-2001/index.en.html",
    "report": "id/report/es2301/index.en.html",
    "source": "id/source/pic-p1/index.en.html",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", sorted(AXED))
def test_axe_finds_no_violation_on_the_portal(
    browser: object,
    base: str,
    site_dir: Path,
    name: str,
    width: int,
) -> None:
    assert (site_dir / AXED[name].split("?")[0]).is_file(), AXED[name]
    visit = Visit(browser, base)
    try:
        visit.page.set_viewport_size({"width": width, "height": 900})
        visit.page.goto(base + AXED[name])
        # Evaluated through the debugging protocol, which the pages' Content-Security-Policy
        # does not govern (a <script> tag added to the page would be refused by it).
        visit.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
        result = visit.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        visit.close()
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:160]}"
        for v in result["violations"]
    ]
    print(f"\n{name} at {width} px: {len(violations)} violations")
    assert not violations, violations
    assert not visit.problems, visit.problems


#: One page of each kind the AXED pages leave out, for the phone-width test below: the long
#: tables (the dictionary, Ask the data, the timeline, the downloads) and a source named by
#: its address.
WIDE = {
    "dictionary": "dictionary/index.en.html",
    "queries": "queries/index.en.html",
    "queries-fr": "queries/index.html",
    "timeline": "timeline.en.html",
    "downloads": "downloads.en.html",
    "search": "search.en.html?q=housing",
    "source-address": "id/source/understorey-org-resources-the-water-of-systems-change-fsg/index.en.html",
}


def test_no_page_scrolls_sideways_on_a_phone(browser: object, base: str, site_dir: Path) -> None:
    """At 390 px, a page of each kind is no wider than the screen: a wide table scrolls in
    its own region, a long address wraps."""
    pages = {**AXED, **WIDE}
    visit = Visit(browser, base)
    wide = {}
    try:
        visit.page.set_viewport_size({"width": 390, "height": 900})
        for name, page in sorted(pages.items()):
            assert (site_dir / page.split("?")[0]).is_file(), page
            visit.page.goto(base + page)
            width = visit.page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[name] = width
    finally:
        visit.close()
    print(f"\n{len(pages)} pages at 390 px, wider than the screen: {wide or 'none'}")
    assert not wide, wide
    assert not visit.problems, visit.problems
