"""``pickg publish`` on the shipped data: every file of a release, checked against the graph.

One release is built per session (the ``published_release`` fixture, a real
``pickg publish`` process); the tests read it. Dumps are compared with the graph
that :func:`pickg.load` builds, by rdflib and by pyoxigraph, an independent parser.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from pickg.graph.formats import FORMATS
from pickg.graph.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    MEDIA_TYPE,
    OWL,
    PIC,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SPDX,
    VOID,
    XSD,
    compact_iri,
)
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.release.publish import publish, source_graph_iri
from pickg.release.settings import load_settings
from pickg.release.tables import read_extract_query
from pickg.release.versions import data_version
from pickg.site.build import release_additions
from tests.support.runs import PublishedRelease, publish_env, snapshot

pytestmark = pytest.mark.system

RDF_DUMPS = ("pic.ttl", "pic.nt", "pic.jsonld", "pic.trig")


# --- helpers -------------------------------------------------------------------------------


def assert_isomorphic(expected: Graph, actual: Graph, what: str) -> None:
    """Fail with the triples only in one graph, as Turtle, unless the graphs are isomorphic."""
    if isomorphic(expected, actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    pytest.fail(
        f"{what} differs from the graph.\n"
        f"--- missing from {what} ({len(only_expected)} triples):\n{only_expected.serialize(format='turtle')}\n"
        f"--- only in {what} ({len(only_actual)} triples):\n{only_actual.serialize(format='turtle')}"
    )


def _from_oxigraph(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):  # RDF 1.1: a simple literal is an xsd:string
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(term)


def oxigraph_dataset(path: Path) -> list[ox.Quad]:
    """The quads of ``path`` as pyoxigraph reads them."""
    return list(ox.parse(path=str(path), format=FORMATS[path.suffix][1]))


def oxigraph_graph(path: Path) -> Graph:
    """The triples of ``path`` read by pyoxigraph, as an rdflib graph (named graphs merged)."""
    graph = Graph()
    for quad in oxigraph_dataset(path):
        graph.add((_from_oxigraph(quad.subject), _from_oxigraph(quad.predicate), _from_oxigraph(quad.object)))
    return graph


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def small_workspace(small_home: Path) -> Workspace:
    """The small home (``tests/conftest.py``), for the tests of the gates and of atomicity,
    which do not depend on the data."""
    return Workspace(small_home)


@pytest.fixture(scope="module")
def release(published_release: PublishedRelease) -> Path:
    return published_release.path


@pytest.fixture(scope="module")
def catalog(release: Path) -> Graph:
    return parse_file(release / "catalog.ttl")


# --- the command and the files -------------------------------------------------------------


def test_cli_prints_the_release_path_and_a_summary(published_release: PublishedRelease, graph: Graph) -> None:
    lines = published_release.stdout.splitlines()
    assert len(lines) == 2
    assert Path(lines[0]) == published_release.out / published_release.version
    assert lines[1].startswith(f"release {published_release.version} of ")
    assert f"{len(graph):,} triples" in lines[1]  # an English number: 7,487
    assert "first release" in lines[1]


def test_version_and_date_come_from_the_ontology_header(published_release: PublishedRelease, graph: Graph) -> None:
    declared = data_version(graph)
    assert published_release.version == str(declared.version)
    assert f" of {declared.issued.isoformat()}:" in published_release.stdout


def test_release_holds_exactly_the_expected_files(release: Path, workspace: Workspace) -> None:
    expected = {
        *RDF_DUMPS,
        "ontology.ttl",
        "vocabularies.ttl",
        "shapes.ttl",
        "ontology.html",
        "CHANGES.md",
        "changes.json",
        "CITATION.cff",
        "README.md",
        "catalog.ttl",
        "csv-metadata.json",
        "SHA256SUMS",
    }
    expected |= {f"{path.stem}.csv" for path in workspace.extract_files()}
    expected |= {"site"}  # the website: pickg publish builds it (docs/site.md)
    assert {p.name for p in release.iterdir()} == expected
    assert not [p for p in release.parent.iterdir() if p.name.startswith(".")], "a staging folder was left behind"


# --- the dumps -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", RDF_DUMPS)
def test_dump_read_by_rdflib_is_the_graph(release: Path, graph: Graph, name: str) -> None:
    path = release / name
    if name.endswith(".trig"):
        dataset = Dataset()
        dataset.parse(path, format="trig")
        parsed = Graph()
        for named in dataset.graphs():
            parsed += named
    else:
        parsed = Graph().parse(path, format=FORMATS[path.suffix][0])
    assert len(parsed) == len(graph)
    assert_isomorphic(graph, parsed, name)


@pytest.mark.parametrize("name", RDF_DUMPS)
def test_dump_read_by_oxigraph_is_the_graph(release: Path, graph: Graph, name: str) -> None:
    quads = oxigraph_dataset(release / name)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert len(triples) == len(graph)
    assert_isomorphic(graph, oxigraph_graph(release / name), f"{name} (read by pyoxigraph)")


def test_ntriples_lines_are_sorted_and_unique(release: Path, graph: Graph) -> None:
    lines = (release / "pic.nt").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == len(graph)


@pytest.mark.parametrize("name", ["pic.ttl", "ontology.ttl", "vocabularies.ttl", "shapes.ttl", "catalog.ttl"])
def test_turtle_is_in_the_release_form(release: Path, name: str) -> None:
    from pickg.release.dumps import turtle

    text = (release / name).read_text(encoding="utf-8")
    assert turtle(Graph().parse(data=text, format="turtle")) == text


def test_trig_has_one_named_graph_per_source_file(release: Path, workspace: Workspace) -> None:
    dataset = Dataset()
    dataset.parse(release / "pic.trig", format="trig")
    named = {g.identifier: g for g in dataset.graphs() if len(g)}
    sources = workspace.ontology_files() + workspace.vocabulary_files() + workspace.data_files()
    assert set(named) == {source_graph_iri(workspace.relative(p)) for p in sources}
    for path in sources:
        assert_isomorphic(parse_file(path), named[source_graph_iri(workspace.relative(path))], f"graph of {path.name}")


def test_jsonld_uses_short_keys_and_language_maps(release: Path, graph: Graph) -> None:
    document = json.loads((release / "pic.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["label"] == {"@id": str(RDFS.label), "@container": "@language"}
    assert context["pic"] == str(PIC)
    neighbourhood = next(iter(sorted(graph.subjects(RDF.type, PIC.Neighbourhood))))
    node = next(n for n in document["@graph"] if n["id"] == compact_iri(str(neighbourhood)))
    french = next(str(o) for o in graph.objects(neighbourhood, RDFS.label) if o.language == "fr")
    assert node["label"]["fr"] == french
    assert node["type"] == "pic:Neighbourhood"
    assert node["confidence"].startswith("conf:")


@pytest.mark.parametrize(
    ("name", "files"),
    [("ontology.ttl", "ontology_files"), ("vocabularies.ttl", "vocabulary_files"), ("shapes.ttl", "shape_files")],
)
def test_part_files_hold_their_sources(release: Path, workspace: Workspace, name: str, files: str) -> None:
    expected = Graph()
    for path in getattr(workspace, files)():
        expected += parse_file(path)
    assert len(expected) > 0
    assert_isomorphic(expected, parse_file(release / name), name)
    assert_isomorphic(expected, oxigraph_graph(release / name), f"{name} (read by pyoxigraph)")


def test_ontology_html_documents_every_class_and_property(release: Path, graph: Graph) -> None:
    html = (release / "ontology.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    declared = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, OWL.ObjectProperty))
    declared |= set(graph.subjects(RDF.type, OWL.DatatypeProperty))
    missing = [str(t) for t in declared if isinstance(t, URIRef) and str(t) not in html]
    assert not missing


# --- checksums and the catalogue -----------------------------------------------------------


def test_sha256sums_lists_every_other_file(release: Path) -> None:
    lines = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    for name, digest in listed.items():
        assert sha256(release / name) == digest, name


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs the sha256sum tool")
def test_sha256sum_tool_accepts_the_release(release: Path) -> None:
    result = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len([p for p in release.rglob("*") if p.is_file()]) - 1


def test_catalogue_sizes_checksums_and_counts_match_the_files(release: Path, catalog: Graph) -> None:
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    distributions = list(catalog.objects(dataset, DCAT.distribution))
    names = {str(d).split(f"/{release.name}/", 1)[1]: d for d in distributions}
    files = {p.name if p.is_file() else f"{p.name}/index.html" for p in release.iterdir()}  # a folder: its entry
    assert set(names) == files - {"catalog.ttl", "SHA256SUMS"}
    media = {
        ".ttl": "text/turtle",
        ".nt": "application/n-triples",
        ".jsonld": "application/ld+json",
        ".trig": "application/trig",
        ".csv": "text/csv",
        ".html": "text/html",
        ".md": "text/markdown",
        ".json": "application/json",
        ".cff": "application/yaml",
    }
    for name, dist in names.items():
        path = release / name
        assert (dist, RDF.type, DCAT.Distribution) in catalog
        assert catalog.value(dist, DCAT.byteSize).toPython() == path.stat().st_size, name
        checksum = catalog.value(dist, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = catalog.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary and str(value) == sha256(path), name
        # CSVW metadata has its own registered media type.
        expected = "application/csvm+json" if name == "csv-metadata.json" else media[path.suffix]
        assert catalog.value(dist, DCAT.mediaType) == MEDIA_TYPE[expected], name
        triples = catalog.value(dist, VOID.triples)
        if path.suffix in (".ttl", ".nt", ".jsonld", ".trig"):
            assert triples is not None and triples.toPython() == len(oxigraph_graph(path)), name
        else:
            assert triples is None, name


def test_catalogue_describes_the_release(
    published_release: PublishedRelease, catalog: Graph, graph: Graph, workspace: Workspace
) -> None:
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    declared = data_version(graph)
    header = URIRef(str(PIC).rstrip("#"))
    assert (dataset, RDF.type, VOID.Dataset) in catalog
    assert str(catalog.value(dataset, DCAT.version)) == published_release.version
    assert catalog.value(dataset, DCTERMS.issued).toPython() == declared.issued
    assert catalog.value(dataset, DCTERMS.license) == graph.value(header, DCTERMS.license)
    assert catalog.value(dataset, VOID.triples).toPython() == len(graph)
    assert catalog.value(dataset, VOID.distinctSubjects).toPython() == len(set(graph.subjects()))
    examples = set(catalog.objects(dataset, VOID.exampleResource))
    assert examples and all((e, None, None) in graph for e in examples)
    partitions = {
        catalog.value(p, VOID["class"]): catalog.value(p, VOID.entities).toPython()
        for p in catalog.objects(dataset, VOID.classPartition)
    }
    assert partitions[PIC.Neighbourhood] == len(set(graph.subjects(RDF.type, PIC.Neighbourhood)))
    # Nothing about the publisher is invented: a fact is there exactly when it is configured
    # (the publisher is, else the one creator of the ontology header).
    settings = load_settings(workspace, environ=publish_env(workspace))
    configured = {
        DCAT.contactPoint: settings.contact_name or settings.contact_email or settings.contact_url,
        VOID.sparqlEndpoint: settings.sparql_endpoint,
        DCAT.landingPage: settings.landing_page,
    }
    for predicate, value in configured.items():
        assert (catalog.value(dataset, predicate) is not None) == (value is not None), predicate
    publisher = catalog.value(dataset, DCTERMS.publisher)
    if settings.publisher is None and settings.publisher_url is None:
        assert publisher == catalog.value(dataset, DCTERMS.creator)
    else:
        assert catalog.value(publisher, FOAF.name) == (Literal(settings.publisher) if settings.publisher else None)
    base = settings.download_url or "https://w3id.org/pickg/release/"
    for dist in catalog.objects(dataset, DCAT.distribution):
        name = str(dist)[len(str(dataset)) + 1 :]  # its path in the release (site/index.html)
        assert catalog.value(dist, DCAT.downloadURL) == URIRef(f"{base}{published_release.version}/{name}")
    assert catalog.value(dataset, DCAT.previousVersion) is None


# --- the tables ----------------------------------------------------------------------------


def test_every_table_has_the_documented_columns(release: Path, workspace: Workspace) -> None:
    readme = (release / "README.md").read_text(encoding="utf-8")
    for path in workspace.extract_files():
        query = read_extract_query(path)
        table = release / f"{query.name}.csv"
        raw = table.read_bytes()
        raw.decode("utf-8")  # UTF-8 throughout
        header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        assert header == [name for name, _ in query.columns]
        section = readme.split(f"### `{table.name}`", 1)[1].split("\n### ", 1)[0]
        for name, doc in query.columns:
            assert f"| `{name}` | {doc}" in section.replace("\\|", "|"), (table.name, name)


def test_neighbourhoods_table_matches_the_graph(release: Path, graph: Graph) -> None:
    rows = {row["neighbourhood"]: row for row in read_csv(release / "neighbourhoods.csv")}
    neighbourhoods = set(graph.subjects(RDF.type, PIC.Neighbourhood))
    assert set(rows) == {str(n) for n in neighbourhoods}
    for neighbourhood in neighbourhoods:
        row = rows[str(neighbourhood)]
        assert row["name"] == next(str(o) for o in graph.objects(neighbourhood, RDFS.label) if o.language == "fr")
        initiatives = {
            i for i in graph.subjects(PIC.neighbourhood, neighbourhood) if (i, RDF.type, PIC.Initiative) in graph
        }
        assert int(row["initiatives"]) == len(initiatives)
        sources = {str(s) for s in graph.objects(neighbourhood, DCTERMS.source)}
        assert set(row["sources"].split(" | ")) == sources
        notation = graph.value(graph.value(neighbourhood, PIC.confidence), SKOS.notation)
        assert row["confidence"] == str(notation)


def test_neighbourhoods_table_keeps_every_roundtable(release: Path, graph: Graph) -> None:
    """Regression: the table showed one roundtable per neighbourhood, picked by the engine,
    and its name could come from another roundtable; Ouest-de-l'Île has two."""
    rows = {row["neighbourhood"]: row for row in read_csv(release / "neighbourhoods.csv")}
    organisations = {row["organisation"]: row for row in read_csv(release / "organisations.csv")}
    several = 0
    for neighbourhood in graph.subjects(RDF.type, PIC.Neighbourhood):
        roundtables = {str(r) for r in graph.objects(neighbourhood, PIC.roundtable)}
        cell = rows[str(neighbourhood)]["roundtables"]
        assert set(cell.split(" | ") if cell else ()) == roundtables, neighbourhood
        several += len(roundtables) > 1
        for roundtable in roundtables:  # a roundtable's name is read on its own row, keyed by its IRI
            label = next(o for o in graph.objects(URIRef(roundtable), RDFS.label) if o.language == "fr")
            assert organisations[roundtable]["name"] == str(label), roundtable
    assert several  # the shipped data has a neighbourhood with two roundtables


def test_funding_table_matches_the_graph(release: Path, graph: Graph) -> None:
    rows = {row["amount"]: row for row in read_csv(release / "funding.csv")}
    amount_classes = set(graph.transitive_subjects(RDFS.subClassOf, PIC.MonetaryAmount))
    amounts = {s for cls in amount_classes for s in graph.subjects(RDF.type, cls)}
    assert set(rows) == {str(a) for a in amounts}
    for amount in amounts:
        value = graph.value(amount, SCHEMA.value)
        assert Decimal(rows[str(amount)]["value"]) == Decimal(str(value))
        assert rows[str(amount)]["currency"] == str(graph.value(amount, SCHEMA.currency))


def test_roles_and_participations_tables_have_a_row_per_fact(release: Path, graph: Graph) -> None:
    roles = read_csv(release / "roles.csv")
    assert sorted(r["assignment"] for r in roles) == sorted(
        str(s) for s in graph.subjects(RDF.type, PIC.RoleAssignment)
    )
    inferred = [r for r in roles if r["confidence"] == "INF"]
    assert all(r["rationale"] for r in inferred), "an inferred role must show its reasoning"
    participations = read_csv(release / "participations.csv")
    assert len(participations) == len(set(graph.subjects(RDF.type, PIC.Participation)))
    for row in participations:
        tier = graph.value(URIRef(row["participation"]), PIC.supportTier)
        assert row["support_tier"] == (str(tier) if tier else "")


# --- README and changes --------------------------------------------------------------------


def test_readme_describes_every_file_and_how_to_verify(release: Path, graph: Graph) -> None:
    readme = (release / "README.md").read_text(encoding="utf-8")
    for path in release.iterdir():
        name = path.name if path.is_file() else f"{path.name}/index.html"  # a folder: its entry
        assert f"`{name}`" in readme, name
    assert "sha256sum -c SHA256SUMS" in readme
    assert f"{len(graph)} triples" in readme
    assert "CC BY 4.0" in readme


def test_first_release_changes(release: Path, graph: Graph) -> None:
    changes = json.loads((release / "changes.json").read_text(encoding="utf-8"))
    assert changes["previous"] is None
    assert changes["triples_after"] == changes["triples_added"] == len(graph)
    assert changes["triples_removed"] == 0
    assert len(changes["resources_added"]) == len({s for s in graph.subjects() if isinstance(s, URIRef)})
    assert "first release" in (release / "CHANGES.md").read_text(encoding="utf-8")


# --- determinism, gates, atomicity ---------------------------------------------------------


def test_publishing_again_gives_the_same_bytes_and_replaces_atomically(
    published_release: PublishedRelease, workspace: Workspace, tmp_path: Path
) -> None:
    """A second build, in this process (another hash seed than the CLI's), over a copy.

    The copy has one byte changed, so the build replaces it; built again, the folder
    holds exactly its files and is left untouched."""
    out = tmp_path / "dist"
    shutil.copytree(published_release.out, out)
    before = snapshot(published_release.path)
    damaged = out / published_release.version / "README.md"
    damaged.write_bytes(damaged.read_bytes() + b" ")
    environ = publish_env(workspace)
    additions = release_additions(workspace, environ=environ)  # the website, as pickg publish builds it
    result = publish(out, force=True, workspace=workspace, environ=environ, additions=additions)
    assert result.replaced and not result.unchanged
    assert result.path == out / published_release.version
    assert snapshot(result.path) == before
    assert sorted(p.name for p in out.iterdir()) == [published_release.version]
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in result.path.rglob("*")}
    again = publish(out, force=True, workspace=workspace, environ=environ, additions=additions)
    assert again.unchanged and "unchanged" in again.summary("en") and "inchangée" in again.summary("fr")
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in result.path.rglob("*")} == stamps
    assert sorted(p.name for p in out.iterdir()) == [published_release.version]


def test_existing_release_is_not_replaced_without_force(
    published_release: PublishedRelease, workspace: Workspace
) -> None:
    before = snapshot(published_release.out)
    result = subprocess.run(
        [*_pickg(), "publish", "--out", str(published_release.out)],
        capture_output=True,
        text=True,
        env=publish_env(workspace),
        timeout=300,
    )
    assert result.returncode == 2
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(published_release.out) == before


def test_bad_version_is_a_usage_error(tmp_path: Path, workspace: Workspace) -> None:
    result = subprocess.run(
        [*_pickg(), "publish", "--out", str(tmp_path / "dist"), "--version", "1.0"],
        capture_output=True,
        text=True,
        env=publish_env(workspace),
        timeout=300,
    )
    assert result.returncode == 2
    assert "'1.0'" in result.stderr and "MAJOR.MINOR.PATCH" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_non_conforming_data_publishes_nothing(small_workspace: Workspace, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(small_workspace.root, home)
    shutil.copy(Path(__file__).parent / "publish" / "unsourced-neighbourhood.ttl", home / "data")
    out = tmp_path / "dist"
    result = subprocess.run(
        [*_pickg(), "publish", "--out", str(out)],
        capture_output=True,
        text=True,
        env=publish_env(Workspace(home)),
        timeout=600,
    )
    assert result.returncode == 1, result.stderr
    assert "does not conform" in result.stderr and "unsourced-neighbourhood.ttl" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_malformed_data_is_named_and_publishes_nothing(small_workspace: Workspace, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(small_workspace.root, home)
    broken = home / "data" / "broken.ttl"
    broken.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    out = tmp_path / "dist"
    result = subprocess.run(
        [*_pickg(), "publish", "--out", str(out)],
        capture_output=True,
        text=True,
        env=publish_env(Workspace(home)),
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert f"{broken}:2:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_killed_publish_leaves_the_output_folder_as_it_was(
    published_release: PublishedRelease, small_workspace: Workspace, tmp_path: Path
) -> None:
    """SIGKILL half-way through replacing a release (--force): the old one stays, nothing else appears."""
    out = tmp_path / "dist"
    shutil.copytree(published_release.out, out)
    before = snapshot(out)
    half = len(list(published_release.path.iterdir())) // 2
    process = subprocess.Popen(
        [*_pickg(), "publish", "--out", str(out), "--force", "--version", published_release.version],
        env=publish_env(small_workspace, PICKG_PUBLISH_PAUSE_AFTER=str(half)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        staging = _wait_for(lambda: _staging_with(out, half), process)
        assert staging is not None, "publish never reached the pause"
        assert snapshot(out) != before  # the half-written release is really there, hidden
        process.kill()
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert _wait_for(lambda: snapshot(out) == before or None) is not None, snapshot(out).keys() - before.keys()


def _pickg() -> list[str]:
    import sys

    return [sys.executable, "-m", "pickg.cli"]


def _staging_with(out: Path, count: int) -> Path | None:
    for entry in out.iterdir():
        if entry.name.startswith(".") and entry.is_dir() and len(list(entry.iterdir())) >= count:
            return entry
    return None


def _wait_for(condition, process: subprocess.Popen[bytes] | None = None, timeout: float = 300.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = condition()
        except FileNotFoundError:  # a file vanished while it was read: the guard is cleaning up
            found = None
        if found:
            return found
        if process is not None and process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"publish ended early ({process.returncode}): {err.decode()}")
        time.sleep(0.05)
    return None


def test_changes_since_the_session_release_read_with_labels(release: Path, graph: Graph) -> None:
    """The next release's changes, computed against the real release's pic.nt."""
    from pickg.release.changes import compute_changes, read_release_graph
    from pickg.release.docs import changes_markdown

    previous = read_release_graph(release)
    current = Graph()
    current += graph
    neighbourhood = sorted(graph.subjects(RDF.type, PIC.Neighbourhood))[0]
    label = next(str(o) for o in graph.objects(neighbourhood, RDFS.label) if o.language == "fr")
    removed = list(graph.triples((neighbourhood, None, None)))
    for triple in removed:
        current.remove(triple)
    participation = sorted(graph.subjects(RDF.type, PIC.Participation))[0]
    current.add((participation, RDFS.comment, Literal("Ajout d'essai", lang="fr")))

    changes = compute_changes(current, previous, "99.0.0", release.name)
    assert changes.previous == release.name
    assert (changes.triples_added, changes.triples_removed) == (1, len(removed))
    assert [r.label for r in changes.resources_removed] == [label]
    (changed,) = [c for c in changes.resources_changed if c.resource.iri == compact_iri(str(participation))]
    assert [s.object.label for s in changed.added] == ["Ajout d'essai"]
    text = changes_markdown(changes)
    assert f"**{label}**" in text and "Ajout d'essai" in text
