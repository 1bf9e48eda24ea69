"""The site's search, timeline, downloads and map as a reader meets them, in Chromium
(issue 28): English searches find their records, the query stays in the address, a
neighbourhood's name lists its initiatives; axe-core finds no violation of any impact on
search, timeline and downloads at 1280 and 390 px; Lighthouse scores the main pages (performance
90 or more, as the median of three runs when one falls short).

What each search must find is read from the graph (the gloss of an initiative, the
municipalities, a neighbourhood's initiatives), never written here. Needs Chromium,
axe-core and Lighthouse (``make test-deps``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from pickg.graph.namespaces import PIC
from tests.support.browsers import AXE, CHROMIUM, Visit
from tests.support.runs import REPO

pytestmark = pytest.mark.system

LIGHTHOUSE = Path(os.environ.get("PICKG_LIGHTHOUSE") or REPO / ".ci" / "node" / "node_modules" / ".bin" / "lighthouse")
NBH = "https://w3id.org/pickg/id/neighbourhood/"

#: English searches the issue names; each must find at least one record on English pages.
ENGLISH_SEARCHES = (
    "housing",
    "isolation",
    "immigrants",
    "webinar",
    "prize",
    "quote",
    "municipality",
    "Saint-Michel food system",
    "Montreal East",
)


def _search(visit: Visit, base_url: str, words: str) -> list[dict[str, str]]:
    tab = visit.page
    tab.goto(base_url + "search.en.html")
    tab.fill("#search-input", words)
    tab.wait_for_selector("#search-results li")
    return tab.eval_on_selector_all(  # type: ignore[no-any-return]
        "#search-results > li",
        """items => items.map(li => ({
            title: li.querySelector('a').textContent,
            href: li.querySelector('a').href,
            kind: li.querySelector('.kind').textContent,
            marked: Array.from(li.querySelectorAll('mark')).map(m => m.textContent)}))""",
    )


@pytest.mark.parametrize("words", ENGLISH_SEARCHES)
def test_an_english_search_finds_its_records(browser: object, base: str, words: str, graph: Graph) -> None:
    visit = Visit(browser, base)
    try:
        found = _search(visit, base, words)
        address = visit.page.url
        visit.page.goto(found[0]["href"])
        landed = visit.page.evaluate("document.documentElement.lang")
    finally:
        visit.close()
    print(f"\nsearch {words!r}: {len(found)} results, first {[f['title'] for f in found[:3]]}")
    assert found and landed == "en"
    assert f"q={quote_plus(words)}" in address.replace("%20", "+")
    assert all(r["href"].endswith(".en.html") for r in found)
    glosses = {str(o) for o in graph.objects(None, PIC.gloss) if isinstance(o, Literal) and o.language == "en"}
    if words in glosses:  # a record known by an English gloss comes first, under that name
        assert found[0]["title"] == words
    if words == "municipality":
        municipalities = {URIRef(s) for s in graph.subjects(RDF.type, PIC.Municipality)}
        assert len([r for r in found if r["kind"].startswith(" — Municipality")]) == len(municipalities)


def test_a_neighbourhoods_name_lists_it_then_its_initiatives(browser: object, base: str, graph: Graph) -> None:
    michel = URIRef(NBH + "saint-michel")
    initiatives = [s for s in graph.subjects(PIC.neighbourhood, michel) if (s, RDF.type, PIC.Initiative) in graph]
    visit = Visit(browser, base)
    try:
        found = _search(visit, base, "Saint-Michel")
    finally:
        visit.close()
    top = found[: len(initiatives) + 3]
    assert found[0]["href"].endswith("id/neighbourhood/saint-michel/index.en.html")
    pages = {str(i)[len("https://w3id.org/pickg/") :] + "/index.en.html" for i in initiatives}
    assert len(initiatives) == 5 and pages <= {r["href"].split("/site/", 1)[1] for r in top}
    assert any("Michel" in r["marked"] for r in top)  # the matched words marked in the snippets


def test_the_search_works_from_the_files(browser: object, site_dir: Path) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda e: errors.append(str(e)))
        tab.goto((site_dir / "search.en.html").as_uri() + "?q=Montreal+East")
        tab.wait_for_selector("#search-results li")
        first = tab.eval_on_selector("#search-results li a", "a => a.textContent")
    finally:
        context.close()
    assert first == "Montreal East" and not errors


PAGES = {"search": "search.en.html?q=housing", "timeline": "timeline.en.html", "downloads": "downloads.html"}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_violation_on_the_feature_pages(
    browser: object,
    base: str,
    name: str,
    width: int,
    tmp_path: Path,
) -> None:
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: make test-deps"
    visit = Visit(browser, base)
    try:
        visit.page.set_viewport_size({"width": width, "height": 900})
        visit.page.goto(base + PAGES[name])
        if name == "search":  # the results the script writes from the address's query
            visit.page.wait_for_selector("#search-results li")
        folder = Path(os.environ.get("PICKG_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        visit.page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        visit.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")  # not governed by the pages' CSP
        result = visit.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        scroll = visit.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        visit.close()
    violations = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:100]}" for v in result["violations"]]
    print(f"\n{name} at {width} px: {len(violations)} axe violations")
    assert not violations, violations
    assert scroll, f"{name} scrolls sideways at {width} px"
    assert not visit.problems, visit.problems


LIGHTHOUSE_PAGES = {
    "home": "index.en.html",
    "neighbourhood": "id/neighbourhood/saint-michel/index.en.html",
    "initiative": "id/initiative/saint-michel-systeme-alimentaire-michelois/index.en.html",
    "initiatives list": "initiatives/index.en.html",
    "search": "search.en.html?q=housing",
}


#: What the performance score is made of, as Lighthouse names its audits, and how it is printed.
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
#: The performance score each page must reach, as the median of up to :data:`RUNS` runs.
PERFORMANCE = 90
RUNS = 3


def _lighthouse(url: str, report: Path) -> dict[str, object]:
    """One Lighthouse run of ``url`` (mobile, simulated slow 4G and a 4x slower CPU), its
    JSON report written to ``report`` and returned."""
    flags = "--headless=new --no-sandbox --disable-gpu"
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}"]
    command += [f"--chrome-flags={flags}", "--only-categories=accessibility,best-practices,seo,performance"]
    result = subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(report.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(LIGHTHOUSE_PAGES))
def test_lighthouse_scores(base: str, site_dir: Path, name: str, tmp_path: Path) -> None:
    """The four scores and the measures performance is made of, printed. Accessibility,
    best practices and SEO must be 100 (the failing audits named). Performance must reach
    :data:`PERFORMANCE`: its score moves by a few points from run to run on a shared
    machine, so a page below it is measured again, and the median of :data:`RUNS` runs
    must reach it. What does not depend on the machine's load is asserted on every run:
    nothing moves once drawn (CLS 0)."""
    assert LIGHTHOUSE.is_file(), f"Lighthouse is not installed at {LIGHTHOUSE}: make test-deps"
    page = LIGHTHOUSE_PAGES[name]
    assert (site_dir / page.split("?")[0]).is_file(), page
    performance: list[int] = []
    while len(performance) < RUNS:
        report = _lighthouse(base + page, tmp_path / f"report-{len(performance)}.json")
        categories: dict[str, Any] = report["categories"]  # type: ignore[assignment]
        audits: dict[str, Any] = report["audits"]  # type: ignore[assignment]
        scores = {key: round(value["score"] * 100) for key, value in categories.items()}
        measures = {short: round(audits[key]["numericValue"], 3) for key, short in METRICS.items()}
        print(f"\nLighthouse {name}, run {len(performance) + 1}: {scores}; {measures}")
        failing = [
            ref["id"]
            for key, category in categories.items()
            if key != "performance"
            for ref in category["auditRefs"]
            if ref["weight"] > 0 and (audits[ref["id"]].get("score") is not None) and audits[ref["id"]]["score"] < 1
        ]
        assert min(scores["accessibility"], scores["seo"], scores["best-practices"]) == 100, failing
        assert measures["CLS"] == 0, f"{name}: something moves once drawn (CLS {measures['CLS']})"
        performance.append(scores["performance"])
        if len(performance) == 1 and performance[0] >= PERFORMANCE:
            break
    print(f"  performance of {name}: {performance}, median {statistics.median(performance)}")
    assert statistics.median(performance) >= PERFORMANCE, performance
