"""The website of the graph (issue 15): its pages, dictionary, unknowns, determinism and release.

The site is built once from the shipped data; what each test expects is computed from
the graph itself (its neighbourhoods, its terms, its funding), never written here.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import html
import io
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

import pickg.site
from pickg.graph.cache import cache_dir
from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC, PREFIXES
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import open_store
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import load_catalog
from pickg.queries.execution import bind_params
from pickg.site.build import SiteFiles, build_site
from pickg.site.context import format_number
from pickg.site.resources import BASE, TERM_TYPES
from tests.support.runs import PublishedRelease, shared_folder

#: The kinds of resource the issue asks a page for, by class.
PAGE_CLASSES = (
    "Neighbourhood",
    "Initiative",
    "Organisation",
    "Foundation",
    "Roundtable",
    "Finding",
    "Limit",
    "ProgrammeChange",
    "Event",
    "AssessmentReport",
    "Publication",
    "Source",
)


def _page(iri: URIRef | str, lang: str = "fr") -> str:
    rest = str(iri)[len(BASE) :]
    return f"{rest}/index.html" if lang == "fr" else f"{rest}/index.en.html"


@pytest.fixture(scope="module")
def site(workspace: Workspace) -> SiteFiles:
    """The site of the shipped data, built once: into the project's cache (as ``pickg site``
    does), so that a run on the same code and data reads it back, and under pytest-xdist
    the worker that comes first builds it while another given some of this module's tests
    waits and reads it (the same bytes, as
    ``test_the_site_is_the_same_bytes_built_again_and_read_back_from_the_cache`` checks on
    a build of its own, every run). With the cache off, the run's shared folder serves."""
    folder = shared_folder("site")
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
            cache = cache_dir(workspace) or folder / "cache"
            return build_site(store, "0.0.0-test", workspace=workspace, cache=cache)


@pytest.fixture(scope="module")
def data_graph(workspace: Workspace) -> Graph:
    """The data files alone (no ontology, no vocabularies): what the data uses."""
    graph = Graph()
    for path in sorted((workspace.root / "data").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _letters(text: str) -> str:
    """The text without its spaces (a page may mark part of a sentence with an element)."""
    return re.sub(r"\s+", "", text)


def test_a_page_in_both_languages_for_every_resource_of_each_kind(site: SiteFiles, graph: Graph) -> None:
    counted = {}
    for name in PAGE_CLASSES:
        members = sorted(s for s in graph.subjects(RDF.type, PIC[name]) if isinstance(s, URIRef))
        assert members, f"the data has no pic:{name}"
        for member in members:
            for lang in ("fr", "en"):
                page = _page(member, lang)
                assert page in site.files, f"no page {page} for {member}"
                assert f'<html lang="{lang}">' in site.files[page]
        counted[name] = len(members)
    concepts = sorted(s for s in graph.subjects(RDF.type, SKOS.Concept) if str(s).startswith(BASE))
    for concept in concepts:
        assert _page(concept) in site.files
    print(f"pages: {site.pages}; resources by kind: {counted}; concepts: {len(concepts)}")


def test_each_fact_shows_its_confidence_mark_and_sources(site: SiteFiles, graph: Graph) -> None:
    checked = 0
    for resource, level in graph.subject_objects(PIC.confidence):
        if not str(resource).startswith(BASE + "id/"):
            continue
        page = html.unescape(site.files[_page(resource)])
        notation = str(graph.value(level, SKOS.notation))
        assert f">{notation}</a>" in page, f"{resource} shows no {notation} mark"
        for source in graph.objects(resource, URIRef("http://purl.org/dc/terms/source")):
            assert _page(source) in site.files and _page(source) in page, f"{resource} does not cite {source}"
        rationales = [str(r) for r in graph.objects(resource, PIC.rationale)]  # one text, in two languages
        if rationales:
            assert any(r in page for r in rationales), f"{resource} does not give its reasoning"
        for rationale in graph.objects(resource, PIC.rationale):  # each reader reads it in their language
            read = _letters(_text(html.unescape(site.files[_page(resource, rationale.language)])))
            assert _letters(str(rationale)) in read, f"{resource}: no reasoning in {rationale.language} on its page"
        checked += 1
    assert checked > 100


def test_unknown_funding_is_said_unknown_never_zero(site: SiteFiles, graph: Graph) -> None:
    phase1 = URIRef("https://w3id.org/pickg/id/phase/1")
    neighbourhoods = {
        n
        for p in graph.subjects(PIC.phase, phase1)
        if (p, RDF.type, PIC.Participation) in graph
        for n in graph.objects(p, PIC.neighbourhood)
    }
    funded = {
        graph.value(a, PIC.neighbourhood)
        for a in graph.subjects(RDF.type, PIC.NeighbourhoodFunding)
        if graph.value(a, PIC.phase) == phase1
    }
    unknown = neighbourhoods - funded
    assert unknown and funded
    for neighbourhood in unknown:
        fr, en = (_text(site.files[_page(neighbourhood, lang)]) for lang in ("fr", "en"))
        assert "inconnu" in fr and "unknown" in en
        assert not re.search(r"(?<![\d\s.,])0 CAD", fr + en)
    for amount in graph.subjects(RDF.type, PIC.NeighbourhoodFunding):
        value = graph.value(amount, URIRef("https://schema.org/value"))
        page = site.files[_page(graph.value(amount, PIC.neighbourhood), "fr")]
        assert f"{format_number(value.toPython(), 'fr')} CAD" in page
    home = _text(site.files["index.html"])
    assert f"inconnu pour les {len(unknown)} autres" in home


def test_the_dictionary_has_every_class_property_and_concept_the_data_uses(
    site: SiteFiles, data_graph: Graph, graph: Graph
) -> None:
    properties = {p for p in data_graph.predicates()}
    classes = {c for c in data_graph.objects(None, RDF.type) if isinstance(c, URIRef)}
    concepts = {o for o in data_graph.objects() if isinstance(o, URIRef) and (o, RDF.type, SKOS.Concept) in graph}
    for lang in ("fr", "en"):
        page = site.files[f"dictionary/index{'' if lang == 'fr' else '.en'}.html"]
        rows = dict(re.findall(r'<tr id="([^"]+)"><th scope="row"><code title="([^"]+)">', page))
        listed = set(rows.values())
        missing = sorted(str(t) for t in properties | classes if str(t) not in listed)
        assert not missing, f"terms the data uses but the dictionary lacks: {missing}"
        for term in properties | classes:
            anchor = next(a for a, iri in rows.items() if iri == str(term))
            row = page[page.index(f'<tr id="{anchor}">') :].split("</tr>", 1)[0]
            cells = re.findall(r'<td lang="(fr|en)">([^<]*)</td>', row)
            assert all(text.strip() for _, text in cells) and len(cells) == 2, f"{term} lacks a label: {row}"
            for cell_lang, text in cells:  # the graph's own label of the term (ontology or reused-terms.ttl)
                labels = {str(o) for o in graph.objects(term, RDFS.label) if o.language == cell_lang}
                assert html.unescape(text) in labels, f"{term}: {text!r} is not its label in the graph {labels}"
            assert set(graph.objects(term, RDF.type)) & TERM_TYPES, f"the graph does not describe {term} as a term"
        missing_concepts = sorted(str(c) for c in concepts if f'title="{c}"' not in page)
        assert not missing_concepts, missing_concepts
    print(
        f"dictionary: {len(classes)} classes, {len(properties)} properties, {len(concepts)} concepts used by the data"
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")


def test_every_link_between_the_files_resolves(site: SiteFiles) -> None:
    parsed = {}
    for name, text in site.files.items():
        if name.endswith(".html"):
            parser = _Links()
            parser.feed(text)
            parsed[name] = parser
    outside = {"pic.ttl", "pic.nt", "pic.jsonld", "pic.trig", "ontology.html", "README.md", "catalog.ttl", "SHA256SUMS"}
    outside |= {"CITATION.cff", "CHANGES.md", "changes.json"}  # also in every release (the downloads page)
    broken, internal, external = [], 0, 0
    for name, parser in parsed.items():
        for link in parser.links:
            if re.match(r"[a-z]+:", link):
                external += 1
                continue
            path, _, anchor = link.partition("#")
            path = path.partition("?")[0]  # a view of a list or comparison: the page itself
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            internal += 1
            if target.startswith("../"):  # a file of the release beside the site
                if target[3:] not in outside:
                    broken.append(f"{name} -> {link}")
            elif target not in site.files:
                broken.append(f"{name} -> {link}")
            elif anchor and target in parsed and anchor not in parsed[target].ids:
                broken.append(f"{name} -> {link} (no such anchor)")
    print(f"{len(parsed)} pages, {internal} internal links, {external} external (not followed), {len(broken)} broken")
    assert not broken, broken[:20]


def test_resource_pages_link_their_turtle_and_json_ld(site: SiteFiles) -> None:
    page = _page("https://w3id.org/pickg/id/neighbourhood/verdun")
    html = site.files[page]
    assert '<link rel="alternate" type="text/turtle" href="index.ttl">' in html
    assert '<link rel="alternate" type="application/ld+json" href="index.jsonld">' in html
    turtle = site.files[page.replace("index.html", "index.ttl")]
    triples = list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))
    assert triples and all(t.subject.value == "https://w3id.org/pickg/id/neighbourhood/verdun" for t in triples)
    jsonld = list(
        ox.parse(site.files[page.replace("index.html", "index.jsonld")].encode(), format=ox.RdfFormat.JSON_LD)
    )
    assert sorted(map(str, jsonld)) == sorted(map(str, triples))


def test_french_only_names_are_marked_french_on_english_pages(site: SiteFiles, graph: Graph) -> None:
    """A name the sources give only in French is shown as French text (lang="fr"), not as English."""
    verdun = URIRef("https://w3id.org/pickg/id/neighbourhood/verdun")
    labels = {o.language for o in graph.objects(verdun, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert labels == {"fr"}
    assert '<h1 lang="fr">' in site.files[_page(verdun, "en")]
    translated = next(
        s
        for s in sorted(graph.subjects(RDF.type, PIC.Initiative))
        if {o.language for o in graph.objects(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} == {"fr", "en"}
    )
    english = site.files[_page(translated, "en")]
    french_name = str(next(o for o in graph.objects(translated, RDFS.label) if o.language == "fr"))
    # an English name a source gives is a name: the page gives the French one beside it, not "translated"
    assert f'{translate("en", "portal.name_in_fr")} <span lang="fr">{escape(french_name)}</span>' in english
    assert translate("en", "portal.gloss_note") not in english


def test_a_gloss_names_its_record_on_english_pages_and_says_it_is_a_translation(site: SiteFiles, graph: Graph) -> None:
    """Issue 26: a French name with the project's English gloss is shown by its gloss on
    English pages (title and lists), said to be the project's rendering, the French name
    beside it marked French."""
    glossed = sorted(
        s
        for s in graph.subjects(RDF.type, PIC.Initiative)
        if {o.language for o in graph.objects(s, RDFS.label)} == {"fr"} and graph.value(s, PIC.gloss) is not None
    )
    assert glossed
    listing = site.files["initiatives/index.en.html"]
    for initiative in glossed:
        gloss = escape(str(graph.value(initiative, PIC.gloss)))
        name = escape(str(graph.value(initiative, RDFS.label)))
        english = site.files[_page(initiative, "en")]
        assert f"<h1>{gloss}</h1>" in english
        assert f'{translate("en", "portal.gloss_note")} <span lang="fr">{name}</span>' in english
        assert f">{gloss}</a>" in listing
        assert f">{name}</a>" in site.files["initiatives/index.html"]


_CURIE = re.compile(r"\b(?:pic|dcterms|skos|rdfs?|schema|owl|xsd|prov|foaf|org|dcat|conf|nbh):[A-Za-z]")


def test_the_reader_part_of_every_page_shows_no_iri_curie_or_steward_note(site: SiteFiles, graph: Graph) -> None:
    """Issue 28: above "For data users", a page speaks words: no IRI of the project, no
    prefixed name, no note written for stewards (those are on no page at all)."""
    notes = {str(n) for n in graph.objects(None, SKOS.editorialNote) if len(str(n)) > 20}
    checked = 0
    for name, text in site.files.items():
        if not name.endswith(".html") or name.startswith(
            ("dictionary/", "queries/", "sparql/", "ontology/", "vocab/reused-terms/")
        ):
            continue
        page = text.split('<main id="main">', 1)[-1].split('<details class="data-users">', 1)[0]
        words = html.unescape(_text(page))
        assert "https://w3id.org/pickg/" not in words, name
        assert not _CURIE.search(words), f"{name}: {_CURIE.search(words)}"
        unescaped = html.unescape(text)
        assert not [n for n in notes if n in unescaped], f"{name} shows a note written for stewards"
        checked += 1
    assert checked > 1000
    print(f"{checked} pages read, {len(notes)} stewards' notes on none")


def test_a_source_page_links_its_original_address(site: SiteFiles, graph: Graph) -> None:
    sources = sorted(s for s in graph.subjects(RDF.type, PIC.Source) if isinstance(s, URIRef))
    for source in sources:
        for lang in ("fr", "en"):
            page = site.files[_page(source, lang)]
            for url in graph.objects(source, URIRef("https://schema.org/url")):
                assert f'href="{escape(str(url))}"' in page, f"{source} does not link {url}"


def test_the_charts_are_svg_in_both_languages(site: SiteFiles) -> None:
    for name in ("themes", "funding", "timeline", "matrix", "conditions", "shared"):
        for lang in ("fr", "en"):
            svg = site.files[f"charts/{name}.{lang}.svg"]
            assert svg.startswith("<svg") and "</svg>" in svg
    assert "Alimentation" in site.files["charts/themes.fr.svg"] and "Food" in site.files["charts/themes.en.svg"]


@pytest.mark.system
def test_pickg_publish_puts_the_site_in_the_release_summed_and_catalogued(published_release: PublishedRelease) -> None:
    """The site's files are in SHA256SUMS and its home page in the catalogue (of the
    session's release, built by ``pickg publish``). That a second build gives the same
    bytes is checked by test_publish (the CLI's build against one made in another process)
    and above (the site built twice)."""
    release = published_release.path
    sums = (release / "SHA256SUMS").read_text().splitlines()
    listed = {line.split("  ", 1)[1] for line in sums}
    site_files = {p.relative_to(release).as_posix() for p in (release / "site").rglob("*") if p.is_file()}
    assert site_files and site_files <= listed
    for line in sums:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest
    catalogue = Graph().parse(release / "catalog.ttl", format="turtle")
    distributions = {str(o) for o in catalogue.objects(None, URIRef("http://www.w3.org/ns/dcat#distribution"))}
    entry = next(URIRef(d) for d in distributions if d.endswith("/site/index.html"))
    title = catalogue.value(entry, URIRef("http://purl.org/dc/terms/title"))
    assert isinstance(title, Literal) and "Website" in str(title)
    print(f"site: {len(site_files)} files in the release, all in SHA256SUMS; site/index.html catalogued")


def _examples(html_text: str) -> list[dict[str, str]]:
    found = re.search(r'<script type="application/json" id="sparql-examples">(.*?)</script>', html_text, re.DOTALL)
    assert found, "the query page has no examples"
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_query_page_offers_every_catalogue_query_with_its_defaults_bound(
    site: SiteFiles, workspace: Workspace, lang: str
) -> None:
    """Each example is the catalogue query as ``pickg query run NAME`` runs it: the same
    rows on the same store, labels in the page's language."""
    page = site.files[_page(BASE + "sparql", lang)]
    examples = [e for e in _examples(page) if e["of"] == e["name"]]  # for other values: test_features.py
    catalogue = load_catalog(workspace)
    assert [e["name"] for e in examples] == sorted(catalogue)
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        for example in examples:
            query = catalogue[example["name"]]
            assert example["summary"] == query.summary_in(lang)
            assert "#+" not in example["text"], "the header is left out of the editor"
            shown = store.select(example["text"])
            expected = store.select(query.text, bind_params(query, None, lang))
            assert shown.variables == expected.variables, example["name"]
            assert sorted(map(str, shown.rows)) == sorted(map(str, expected.rows)), example["name"]
    # Every example can be chosen by name (the catalogue page links to #NAME), and the
    # page reaches the endpoint of `pickg serve` at the same origin, not a fixed host.
    assert all(f'<option id="{name}" value="{name}">' in page for name in catalogue)
    assert 'data-endpoint="../../query"' in page
    listing = site.files[_page(BASE + "queries", lang)]
    assert all(f'href="../{_page(BASE + "sparql", lang)}#{name}"' in listing for name in catalogue)


def test_the_query_page_knows_the_project_prefixes_and_ships_its_editor(site: SiteFiles) -> None:
    page = site.files["sparql/index.html"]
    found = re.search(r'<script type="application/json" id="sparql-prefixes">(.*?)</script>', page, re.DOTALL)
    assert found and json.loads(found.group(1)) == PREFIXES
    for name in ("vendor/yasgui/yasgui.min.js", "vendor/yasgui/yasgui.min.css", "sparql.js"):
        assert f'"../{name}"' in page
    # The vendored files are the bytes their README records (upstream but for one documented change).
    readme = (Path(pickg.site.__file__).parent / "static" / "vendor" / "yasgui" / "README.md").read_text()
    recorded = dict(reversed(line.split("  ")) for line in re.findall(r"^[0-9a-f]{64}  \S+$", readme, re.MULTILINE))
    assert set(recorded) == {"yasgui.min.js", "yasgui.min.css"}
    for name, digest in recorded.items():
        assert hashlib.sha256(site.files[f"vendor/yasgui/{name}"].encode("utf-8")).hexdigest() == digest
    assert "MIT License" in site.files["vendor/yasgui/LICENSE"]


def test_the_build_forks_no_helper_once_a_library_runs_threads_of_its_own(workspace: Workspace) -> None:
    """Regression: a process that had drawn a chart forked, and the child hung in vl-convert
    (its runtime's threads, unseen by ``threading``, were not copied but their locks were)."""
    import vl_convert

    from pickg.site import pages
    from pickg.site.charts import chart_specs
    from pickg.site.collect import collect_site
    from pickg.site.resources import SiteGraph

    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        data = collect_site(store, workspace)
    spec = chart_specs(data, SiteGraph(data.triples), "fr")["funding"]
    assert vl_convert.vegalite_to_svg(spec).startswith("<svg")  # the library's threads now run
    assert len(list(Path("/proc/self/task").iterdir())) > 1
    assert not pages._can_fork_now()


def test_the_site_is_the_same_bytes_built_again_and_read_back_from_the_cache(
    site: SiteFiles, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``site`` was built where forking is possible, with its English pages and charts made
    in a second process (``pickg.site.pages._side_by_side``). Here the site is built again
    in one process into an empty cache, then read back from it: three times the same bytes."""
    from pickg.site import pages

    monkeypatch.setattr(pages, "_can_fork_now", lambda: False)
    cache = tmp_path / "cache"
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        stored = build_site(store, "0.0.0-test", workspace=workspace, cache=cache)
        entries = list((cache / "site").iterdir())
        assert len(entries) == 1
        read_back = build_site(store, "0.0.0-test", workspace=workspace, cache=cache)
    assert list((cache / "site").iterdir()) == entries  # read, not built and stored again
    for built in (stored, read_back):
        assert sorted(built.files) == sorted(site.files)
        different = [name for name in site.files if site.files[name] != built.files[name]]
        assert not different, different[:10]


def test_the_site_key_follows_the_data_and_the_version(workspace: Workspace, tmp_path: Path) -> None:
    """The same sources read twice give one key (blank nodes are drawn anew each time);
    a label changed in a copy of the workspace, or another version, gives another."""
    from pickg.site.build import site_key
    from pickg.site.collect import collect_site

    home = tmp_path / "home"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(workspace.root / folder, home / folder)
    copy = Workspace(home)

    def key(ws: Workspace, version: str = "1.0.0") -> str:
        with open_store("oxigraph", workspace_files(None, True, ws)) as store:
            data = collect_site(store, ws)
        return site_key(data, version, list(load_catalog(ws).values()), True)

    original = key(copy)
    assert key(copy) == original
    assert key(copy, "1.0.1") != original
    path = home / "data" / "neighbourhoods.ttl"
    text = path.read_text(encoding="utf-8")
    label = re.search(r'rdfs:label "([^"]+)"@fr', text)
    assert label is not None, path
    path.write_text(text.replace(label.group(0), f'rdfs:label "{label.group(1)} (autre)"@fr', 1), encoding="utf-8")
    assert key(copy) != original


def test_only_web_addresses_from_the_data_become_links(workspace: Workspace) -> None:
    """Issue 28: a ``javascript:`` or ``data:`` address in the data is shown as text, never as a link."""
    from pickg.site.collect import SiteData
    from pickg.site.context import PageContext
    from pickg.site.resources import SiteGraph

    evil = [URIRef("javascript:alert(1)"), URIRef("data:text/html,<script>alert(1)</script>")]
    source = URIRef(BASE + "id/source/x")
    triples = [(source, RDF.type, PIC.Source)] + [(source, URIRef("https://schema.org/url"), e) for e in evil]
    data = SiteData(tuple(triples), (), (), (), {})
    ctx = PageContext(data, SiteGraph(triples), "en", "id/source/x/index.en.html", "id/source/x/index", "0")
    for address in evil:
        assert ctx.value(address)["href"] is None
    assert ctx.value(URIRef("https://example.org/"))["href"] == "https://example.org/"


def test_each_list_has_its_records_their_facets_and_a_csv(site: SiteFiles, graph: Graph) -> None:
    """Issue 28: the initiatives list has every initiative, each row carries the facets a
    reader filters by (here its themes), and the whole table is a CSV in each language."""
    initiatives = sorted(s for s in graph.subjects(RDF.type, PIC.Initiative) if isinstance(s, URIRef))
    food = URIRef("https://w3id.org/pickg/vocab/theme/food")
    for lang in ("fr", "en"):
        page = site.files[f"initiatives/index{'' if lang == 'fr' else '.en'}.html"]
        rows = re.findall(r"<tr id=\"([^\"]+)\"[^>]*data-theme=\"([^\"]*)\"", page)
        assert len(rows) == len(initiatives)
        with_food = sorted(r for r, themes in rows if "food" in themes.split())
        assert with_food == sorted(
            str(i).rsplit("/", 1)[-1] for i in graph.subjects(PIC.theme, food) if i in initiatives
        )
        table = list(csv.reader(io.StringIO(site.files[f"initiatives/initiatives.{lang}.csv"])))
        assert len(table) == len(initiatives) + 1
        assert table[0][0] == translate(lang, "portal.col_name")
    neighbourhoods = set(graph.subjects(RDF.type, PIC.Neighbourhood))
    compare = site.files["compare/index.en.html"]
    assert compare.count('<th scope="col" class="col-') == len(neighbourhoods)


def test_a_neighbourhood_summary_is_made_from_the_graph(site: SiteFiles, graph: Graph) -> None:
    """The first sentences of every neighbourhood page count its initiatives and say its
    funding known or unknown (never 0), from the graph, in both languages."""
    for neighbourhood in sorted(graph.subjects(RDF.type, PIC.Neighbourhood)):
        count = len(
            {i for i in graph.subjects(PIC.neighbourhood, neighbourhood) if (i, RDF.type, PIC.Initiative) in graph}
        )
        funded = any(
            (a, RDF.type, PIC.NeighbourhoodFunding) in graph for a in graph.subjects(PIC.neighbourhood, neighbourhood)
        )
        for lang in ("fr", "en"):
            page = site.files[_page(neighbourhood, lang)]
            summary = page.split('<div class="summary">', 1)[1].split("</div>", 1)[0]
            assert escape(translate(lang, "portal.initiatives", n=count)) in summary, neighbourhood
            unknown = escape(translate(lang, "portal.funding_unknown"))
            assert (unknown in summary) != funded, neighbourhood
