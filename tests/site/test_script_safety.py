"""The site is script-safe by construction (issue 28): data seeded with script payloads
(``<script>``, ``"><img onerror>``, ``javascript:`` addresses, ``</script>`` inside a text
that JSON-LD carries) is escaped in every page and in the search index, no payload
becomes a link, and none runs in Chromium, on its pages or in a search that finds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pickg.graph.rdfio import workspace_files
from pickg.graph.store import open_store
from pickg.graph.workspace import Workspace
from pickg.site.build import SiteFiles, build_site, write_site

PAYLOAD = """PREFIX conf: <https://w3id.org/pickg/vocab/confidence/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nbh: <https://w3id.org/pickg/id/neighbourhood/>
PREFIX pic: <https://w3id.org/pickg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

<https://w3id.org/pickg/id/initiative/payload>
    a pic:Initiative ;
    rdfs:label "<script>window.pwned=1</script>Payload"@fr ,
        "\\"><img src=x onerror=\\"window.pwned=2\\">Payload"@en ;
    skos:altLabel "</script><script>window.pwned=3</script>"@fr ;
    dcterms:description "</script><script>window.pwned=4</script> end"@en ;
    pic:desiredChange "<svg onload=window.pwned=5> alertpayload"@fr ;
    dcterms:source <javascript:window.pwned=6> ;
    schema:url "javascript:window.pwned=7"^^xsd:anyURI ;
    pic:neighbourhood nbh:verdun ;
    pic:confidence conf:c1 .
"""
RAW = ("<script>window.pwned", "<img src=x", "<svg onload", "</script><script>")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, workspace: Workspace) -> Iterator[tuple[SiteFiles, Path]]:
    import shutil

    home = tmp_path_factory.mktemp("seeded")
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(workspace.root / folder, home / folder)
    (home / "data" / "zz-payload.ttl").write_text(PAYLOAD, encoding="utf-8")
    ws = Workspace(home)
    with open_store("oxigraph", workspace_files(None, True, ws)) as store:
        site = build_site(store, "0.0.0-test", workspace=ws, charts=False)
    yield site, write_site(site, home / "site")


def test_no_payload_reaches_a_page_or_the_search_index_unescaped(seeded: tuple[SiteFiles, Path]) -> None:
    site, _ = seeded
    pages = {name: text for name, text in site.files.items() if name.endswith((".html", ".js", ".xml"))}
    assert any("Payload" in text for text in pages.values())
    for name, text in pages.items():
        if name.startswith("vendor/"):
            continue
        for raw in RAW:
            assert raw not in text, (name, raw)
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", text, re.I), name
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            assert "<" not in block, name
    for name in ("search-index.fr.js", "search-index.en.js"):
        assert "<" not in site.files[name] and "window.pwned" in site.files[name]


@pytest.mark.system
def test_no_payload_runs_in_chromium(seeded: tuple[SiteFiles, Path], browser: object) -> None:
    """In the session's Chromium (``tests/support/browsers.py``), from the files."""
    _, folder = seeded
    pages = [
        "id/initiative/payload/index.html",
        "id/initiative/payload/index.en.html",
        "id/initiative/index.en.html",
        "id/neighbourhood/verdun/index.en.html",
        "search.html?q=alertpayload",
        "search.en.html?q=Payload",
        "search.html?q=%3Cscript%3E",
    ]
    dialogs: list[str] = []
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        shown = 0
        for page in pages:
            path, _, query = page.partition("?")
            tab.goto((folder / path).as_uri() + (f"?{query}" if query else ""))
            if path.startswith("search"):  # the results the script writes from the address's query
                tab.wait_for_selector("#search-results li, #search-status:not(:empty)", state="attached")
            assert tab.evaluate("window.pwned === undefined"), page
            shown += tab.evaluate("document.body.innerText.includes('Payload')")
            links = tab.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
            assert not [href for href in links if href.strip().lower().startswith("javascript:")], page
    finally:
        context.close()
    assert not dialogs and shown >= 4
