"""The parts of a release, one at a time: versions, settings, changes, metadata, tables,
dumps and the atomic staging folder. ``tests/release/test_publish.py`` checks a whole release."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.namespaces import DCAT, DCTERMS, FOAF, NBH, OWL, PIC, RDF, RDFS, VCARD, VOID, XSD
from pickg.graph.workspace import Workspace
from pickg.release import staging as staging_module
from pickg.release.changes import Changes, compute_changes, read_release_graph
from pickg.release.dcat import DatasetFacts, FileFacts, catalogue_graph
from pickg.release.docs import changes_markdown
from pickg.release.dumps import jsonld, ntriples, trig
from pickg.release.ontodoc import _sort_class_lists
from pickg.release.settings import PublishSettings, load_settings
from pickg.release.staging import STAGING_PREFIX, StagedFolder, holds_exactly, holds_sums
from pickg.release.tables import read_extract_query, run_extract
from pickg.release.versions import Version, data_version, list_releases, previous_release

EX = "https://example.org/"
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")


# --- versions ------------------------------------------------------------------------------


def test_versions_compare_as_numbers() -> None:
    assert Version.parse("0.10.0") > Version.parse("0.9.3")
    assert str(Version.parse(" 1.2.3 ")) == "1.2.3"
    assert Version.from_name("1.0") is None and Version.from_name("01.0.0") is None


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "1.0.0-rc1", "01.2.3", "", "1..2"])
def test_a_bad_version_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="MAJOR.MINOR.PATCH"):
        Version.parse(text)


def test_previous_release_is_the_highest_version_below(tmp_path: Path) -> None:
    for name in ("0.9.0", "0.10.0", "1.0.0", "notes", ".pickg-1.1.0.staging-x"):
        (tmp_path / name).mkdir()
    (tmp_path / "2.0.0").write_text("a file, not a release")
    assert [str(v) for v in list_releases(tmp_path)] == ["0.9.0", "0.10.0", "1.0.0"]
    assert previous_release(tmp_path, Version.parse("1.0.0")) == (Version(0, 10, 0), tmp_path / "0.10.0")
    assert previous_release(tmp_path, Version.parse("0.9.0")) is None
    assert previous_release(tmp_path / "absent", Version.parse("1.0.0")) is None


def _header(**values: object) -> Graph:
    graph = Graph()
    ontology = URIRef(str(PIC).rstrip("#"))
    graph.add((ontology, RDF.type, OWL.Ontology))
    for key, value in values.items():
        predicate = {"version": OWL.versionInfo, "modified": DCTERMS.modified, "created": DCTERMS.created}[key]
        graph.add((ontology, predicate, value if isinstance(value, Literal) else Literal(value)))
    return graph


def test_data_version_reads_the_ontology_header() -> None:
    graph = _header(version="1.2.0", modified=Literal("2027-03-01", datatype=XSD.date))
    graph.add((URIRef(str(PIC).rstrip("#")), DCTERMS.created, Literal("2026-01-01", datatype=XSD.date)))
    declared = data_version(graph)
    assert declared.version == Version(1, 2, 0)
    assert declared.issued == dt.date(2027, 3, 1)  # dcterms:modified wins over dcterms:created


def test_data_version_falls_back_to_the_creation_date() -> None:
    declared = data_version(_header(version="0.1.0", created=Literal("2026-11-22", datatype=XSD.date)))
    assert declared.issued == dt.date(2026, 11, 22)


def test_data_without_a_date_cannot_be_released() -> None:
    with pytest.raises(InputError, match="dcterms:modified"):
        data_version(_header(version="0.1.0"))


def test_data_version_of_the_shipped_ontology(graph: Graph) -> None:
    declared = data_version(graph)
    header = URIRef(str(PIC).rstrip("#"))
    assert str(declared.version) == str(graph.value(header, OWL.versionInfo))


# --- settings ------------------------------------------------------------------------------


def test_no_settings_means_nothing_configured(tmp_path: Path) -> None:
    assert load_settings(Workspace(tmp_path), environ={}) == PublishSettings()


def test_settings_from_files_and_environment(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pickg.publish]\npublisher = "Ancien éditeur"\nlanding_page = "https://example.org/pic"\n',
        encoding="utf-8",
    )
    (tmp_path / "pickg.toml").write_text(
        '[publish]\npublisher = "Centre de données"\ndownload_url = "https://data.example.org/pickg"\n',
        encoding="utf-8",
    )
    settings = load_settings(Workspace(tmp_path), environ={"PICKG_PUBLISH_CONTACT_EMAIL": "donnees@example.org"})
    assert settings.publisher == "Centre de données"  # pickg.toml wins over pyproject.toml
    assert settings.landing_page == "https://example.org/pic"
    assert settings.download_url == "https://data.example.org/pickg/"
    assert settings.contact_email == "donnees@example.org"
    assert settings.sparql_endpoint is None


@pytest.mark.parametrize(
    ("content", "environ", "message"),
    [
        ('[publish]\npublisherr = "x"\n', {}, "unknown setting 'publisherr'"),
        ('[publish]\nsparql_endpoint = "ftp://x.org/q"\n', {}, "not an http(s) address"),
        ("[publish]\npublisher = 3\n", {}, "must be a string"),
        ("", {"PICKG_PUBLISH_CONTACT_EMAIL": "nobody"}, "not an e-mail address"),
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, content: str, environ: dict[str, str], message: str) -> None:
    (tmp_path / "pickg.toml").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(Workspace(tmp_path), environ=environ)


def test_malformed_settings_file_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "pickg.toml").write_text('[publish]\npublisher = "unterminated\n', encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        load_settings(Workspace(tmp_path), environ={})
    assert caught.value.path.name == "pickg.toml" and caught.value.line == 2


# --- the catalogue -------------------------------------------------------------------------


def _facts(previous: str | None = None) -> DatasetFacts:
    return DatasetFacts(
        version="1.0.0",
        issued=dt.date(2027, 1, 15),
        previous=previous,
        license=CC_BY,
        creators=(Literal("pickg contributors"),),
        triples=10,
        distinct_subjects=3,
        distinct_objects=7,
        properties=4,
        entities=2,
        class_partitions=((PIC.Neighbourhood, 2),),
        vocabularies=(URIRef(str(PIC)),),
        example_resources=(NBH["saint-michel"],),
        uri_space="https://w3id.org/pickg/id/",
    )


_FILE = FileFacts(
    name="pic.ttl", media_type="text/turtle", size=12, sha256="ab" * 32, title="t", description="d", triples=10
)


def test_catalogue_states_configured_publication_facts() -> None:
    settings = PublishSettings(
        publisher="Centre de données",
        publisher_url="https://example.org/",
        contact_name="Équipe des données",
        contact_email="donnees@example.org",
        landing_page="https://example.org/pic",
        download_url="https://data.example.org/pickg/",
        sparql_endpoint="https://example.org/sparql",
    )
    graph = catalogue_graph(_facts(previous="0.9.0"), [_FILE], settings)
    dataset = URIRef("https://w3id.org/pickg/release/1.0.0")
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) == Literal("Centre de données")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:donnees@example.org")
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef("https://example.org/sparql")
    assert graph.value(dataset, DCAT.previousVersion) == URIRef("https://w3id.org/pickg/release/0.9.0")
    distribution = graph.value(dataset, DCAT.distribution)
    assert graph.value(distribution, DCAT.downloadURL) == URIRef("https://data.example.org/pickg/1.0.0/pic.ttl")
    assert (dataset, VOID.dataDump, URIRef("https://data.example.org/pickg/1.0.0/pic.ttl")) in graph


@pytest.mark.system
def test_catalogue_invents_nothing_that_is_not_configured() -> None:
    graph = catalogue_graph(_facts(), [_FILE], PublishSettings())
    for predicate in (DCAT.contactPoint, VOID.sparqlEndpoint, DCAT.landingPage, FOAF.homepage, VCARD.hasEmail):
        assert not list(graph.objects(None, predicate)), predicate
    # Unconfigured, the one creator of the ontology header is the publisher, and the
    # files are served at the release IRIs themselves.
    dataset = URIRef("https://w3id.org/pickg/release/1.0.0")
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert publisher is not None and publisher == graph.value(dataset, DCTERMS.creator)
    assert graph.value(publisher, FOAF.name) == Literal("pickg contributors")
    assert list(graph.subjects(RDF.type, FOAF.Agent)) == [publisher]
    distribution = graph.value(dataset, DCAT.distribution)
    assert graph.value(distribution, DCAT.downloadURL) == distribution
    assert graph.value(distribution, DCAT.accessURL) == URIRef("https://w3id.org/pickg/release/1.0.0/")


def test_catalogue_names_no_publisher_when_the_header_has_several_creators() -> None:
    facts = replace(_facts(), creators=(Literal("Équipe A"), Literal("Équipe B")))
    graph = catalogue_graph(facts, [_FILE], PublishSettings())
    assert not list(graph.objects(None, DCTERMS.publisher))
    assert len(list(graph.objects(None, DCTERMS.creator))) == 2


# --- changes -------------------------------------------------------------------------------


def _graph(text: str) -> Graph:
    prefixes = f"@prefix ex: <{EX}> . @prefix rdfs: <{RDFS}> . @prefix pic: <{PIC}> .\n"
    return Graph().parse(data=prefixes + text, format="turtle")


BEFORE = """
ex:a a pic:Neighbourhood ; rdfs:label "Quartier A"@fr ; ex:size 3 ; ex:part [ ex:x 1 ] .
ex:gone a pic:Neighbourhood ; rdfs:label "Quartier disparu"@fr .
ex:size rdfs:label "taille"@fr, "size"@en .
"""
AFTER = """
ex:a a pic:Neighbourhood ; rdfs:label "Quartier A"@fr ; ex:size 4 ; ex:part [ ex:x 1 ] .
ex:new a pic:Neighbourhood ; rdfs:label "Quartier nouveau"@fr .
ex:size rdfs:label "taille"@fr, "size"@en .
"""


def test_changes_count_and_name_what_changed() -> None:
    changes = compute_changes(_graph(AFTER), _graph(BEFORE), "1.1.0", "1.0.0")
    assert (changes.triples_added, changes.triples_removed) == (3, 3)
    assert [r.label for r in changes.resources_added] == ["Quartier nouveau"]
    assert [r.label for r in changes.resources_removed] == ["Quartier disparu"]
    (changed,) = changes.resources_changed  # the unchanged blank node is not a change
    assert changed.resource.label == "Quartier A"
    assert [(s.predicate.label, s.object.label) for s in changed.added] == [("size", "4")]
    assert [(s.predicate.label, s.object.label) for s in changed.removed] == [("size", "3")]
    text = changes_markdown(changes)
    assert "**Quartier nouveau** (`https://example.org/new`)" in text
    assert "added: *size* → `4^^xsd:integer`" in text
    assert json.loads(json.dumps(changes.as_dict()))["previous"] == "1.0.0"
    # Read back from its JSON (a record of a release in place keeps it so): the same changes.
    assert Changes.from_dict(json.loads(json.dumps(changes.as_dict()))) == changes


def test_a_damaged_earlier_release_is_refused(tmp_path: Path) -> None:
    release = tmp_path / "1.0.0"
    release.mkdir()
    (release / "pic.nt").write_text(ntriples(_graph(BEFORE)), encoding="utf-8")
    with pytest.raises(NotFoundError, match="SHA256SUMS"):
        read_release_graph(release)
    (release / "SHA256SUMS").write_text("0" * 64 + "  pic.nt\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not match its checksum"):
        read_release_graph(release)


# --- tables --------------------------------------------------------------------------------


QUERY_HEAD = """#+ summary:
#+   fr: Essai
#+   en: Test
#+ description:
#+   fr: Une table d'essai.
#+   en: A test table.
#
# Columns of the CSV table, one per selected variable, in order:
"""


def test_extract_columns_must_match_the_query(tmp_path: Path) -> None:
    path = tmp_path / "test-table.rq"
    path.write_text(QUERY_HEAD + "#   a: the subject.\nSELECT ?a ?b WHERE { ?a ?p ?b }\n", encoding="utf-8")
    with pytest.raises(InputError, match="selects a, b"):
        read_extract_query(path)


def test_extract_writes_utf8_csv_with_quoting(tmp_path: Path) -> None:
    path = tmp_path / "test-table.rq"
    path.write_text(
        QUERY_HEAD + "#   s: the subject.\n#   label: its label,\n#     on two lines.\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s\n",
        encoding="utf-8",
    )
    query = read_extract_query(path)
    assert query.columns == (("s", "the subject."), ("label", "its label, on two lines."))
    table = run_extract(query, _graph('ex:a rdfs:label "Côte-des-Neiges, « quartier »"@fr .'))
    assert table.to_csv() == 's,label\r\nhttps://example.org/a,"Côte-des-Neiges, « quartier »"\r\n'


# Two roundtables whose names sort in the opposite order of their IRIs ("S" < "d"), and a
# neighbourhood without one.
TWO_ROUNDTABLES = """
pic:Roundtable rdfs:subClassOf pic:Organisation .
ex:west a pic:Neighbourhood ; rdfs:label "Ouest"@fr ; pic:roundtable ex:rt-a, ex:rt-b .
ex:east a pic:Neighbourhood ; rdfs:label "Est"@fr .
ex:rt-a a pic:Roundtable ; rdfs:label "Table du Nord"@fr ; pic:roundtableOf ex:west .
ex:rt-b a pic:Roundtable ; rdfs:label "Table Sud"@fr ; pic:roundtableOf ex:west .
"""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_neighbourhoods_table_keeps_every_roundtable_with_its_own_name(
    tmp_path: Path, workspace: Workspace, engine: str
) -> None:
    """Regression: the table kept one roundtable per neighbourhood (SAMPLE), its name
    sampled apart, so the name could belong to another roundtable."""
    from pickg.graph.store import OxigraphStore

    graph = _graph(TWO_ROUNDTABLES)
    source: object = graph
    if engine == "oxigraph":
        graph.serialize(tmp_path / "data.nt", format="nt", encoding="utf-8")
        source = OxigraphStore()
        source.load([tmp_path / "data.nt"])

    def table(name: str) -> dict[str, dict[str, str]]:
        extract = run_extract(read_extract_query(workspace.root / "queries" / "extracts" / f"{name}.rq"), source)
        columns = [column for column, _ in extract.query.columns]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in extract.rows}

    neighbourhoods = table("neighbourhoods")
    assert neighbourhoods[f"{EX}west"]["roundtables"] == f"{EX}rt-a | {EX}rt-b"
    assert neighbourhoods[f"{EX}east"]["roundtables"] == ""
    assert not {"roundtable", "roundtable_name", "roundtable_names"} & set(neighbourhoods[f"{EX}west"])
    names = {iri: row["name"] for iri, row in table("organisations").items()}
    for iri in neighbourhoods[f"{EX}west"]["roundtables"].split(" | "):
        assert names[iri] == str(graph.value(URIRef(iri), RDFS.label))


SHARED_ROUNDTABLE = """
pic:Roundtable rdfs:subClassOf pic:Organisation .
ex:north a pic:Neighbourhood ; rdfs:label "Nord"@fr ; pic:roundtable ex:rt-c .
ex:south a pic:Neighbourhood ; rdfs:label "Sud"@fr ; pic:roundtable ex:rt-c .
ex:rt-c a pic:Roundtable ; rdfs:label "Table commune"@fr ; pic:roundtableOf ex:north, ex:south .
"""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_organisations_table_keeps_every_neighbourhood_of_a_roundtable(
    tmp_path: Path, workspace: Workspace, engine: str
) -> None:
    """Regression: ``roundtable_of`` sampled one neighbourhood of a roundtable serving two."""
    from pickg.graph.store import OxigraphStore

    graph = _graph(SHARED_ROUNDTABLE)
    source: object = graph
    if engine == "oxigraph":
        graph.serialize(tmp_path / "data.nt", format="nt", encoding="utf-8")
        source = OxigraphStore()
        source.load([tmp_path / "data.nt"])
    extract = run_extract(read_extract_query(workspace.root / "queries" / "extracts" / "organisations.rq"), source)
    columns = [column for column, _ in extract.query.columns]
    rows = {row[0]: dict(zip(columns, row, strict=True)) for row in extract.rows}
    assert rows[f"{EX}rt-c"]["roundtable_of"] == f"{EX}north | {EX}south"


def test_shipped_extract_queries_are_documented(workspace: Workspace) -> None:
    paths = workspace.extract_files()
    assert {p.stem for p in paths} >= {"neighbourhoods", "initiatives", "organisations", "roles", "funding"}
    for path in paths:
        assert read_extract_query(path).columns


# --- dumps ---------------------------------------------------------------------------------


def test_trig_keeps_blank_nodes_of_different_graphs_apart() -> None:
    one, two = _graph("ex:a ex:p [ ex:q 1 ] ."), _graph("ex:a ex:p [ ex:q 1 ] .")
    text = trig([(URIRef(EX + "g/1"), one), (URIRef(EX + "g/2"), two)])
    dataset = Dataset()
    dataset.parse(data=text, format="trig")
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert len(union) == 4  # two distinct blank nodes, not one


def test_dumps_do_not_depend_on_reading_order() -> None:
    triples = list(_graph(BEFORE + 'ex:b ex:list ( "x" "y" ) .'))
    forward, backward = Graph(), Graph()
    for triple in triples:
        forward.add(triple)
    for triple in reversed(triples):
        backward.add(triple)
    # New blank node labels too: parse the text again.
    reparsed = Graph().parse(data=forward.serialize(format="turtle"), format="turtle")
    for dump in (ntriples, jsonld):
        assert dump(forward) == dump(backward) == dump(reparsed)


def test_jsonld_keeps_list_order() -> None:
    graph = _graph('ex:b ex:list ( "z" "a" ) .')
    parsed = Graph().parse(data=jsonld(graph), format="json-ld")
    head = parsed.value(URIRef(EX + "b"), URIRef(EX + "list"))
    assert [str(v) for v in parsed.items(head)] == ["z", "a"]


def test_class_lists_of_the_html_are_sorted() -> None:
    item = "    <span>\n      <a href='#{0}'>{0}</a>\n    </span>\n"
    sep = '    <span class="cardinality">or</span>\n'
    html = "<td>\n" + item.format("B") + sep + item.format("C") + sep + item.format("A") + "</td>\n"
    assert _sort_class_lists(html) == "<td>\n" + sep.join(item.format(x) for x in "ABC") + "</td>\n"


# --- staging -------------------------------------------------------------------------------


def test_staged_folder_appears_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "1.0.0"
    with StagedFolder(target) as staged:
        (staged.path / "a.txt").write_text("a")
        assert not target.exists()
        staged.commit(replace=False)
    assert (target / "a.txt").read_text() == "a"
    assert oct(target.stat().st_mode & 0o777) != oct(0o700)
    assert [p.name for p in target.parent.iterdir()] == ["1.0.0"]


def test_staged_folder_replaces_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "1.0.0"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(InputError, match="already exists"), StagedFolder(target) as staged:
        (staged.path / "new.txt").write_text("new")
        staged.commit(replace=False)
    assert [p.name for p in tmp_path.iterdir()] == ["1.0.0"]
    with StagedFolder(target) as staged:
        (staged.path / "new.txt").write_text("new")
        staged.commit(replace=True)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["1.0.0"]


def test_an_error_while_writing_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), StagedFolder(out / "1.0.0") as staged:
        (staged.path / "half.txt").write_text("half")
        raise RuntimeError("interrupted")
    assert not out.exists()  # it created the folder, and removed it again


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pickg.release.staging import StagedFolder

    with StagedFolder(Path(sys.argv[1])) as staged:
        (staged.path / "half.txt").write_text("half")
        print(staged.path, flush=True)
        time.sleep(600)
    """
)


@pytest.mark.system
@pytest.mark.parametrize("existing", [False, True])
def test_a_killed_writer_leaves_the_folder_as_it_was(tmp_path: Path, existing: bool) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "0.9.0").mkdir()
    (out / "0.9.0" / "pic.nt").write_text("earlier release")
    if existing:
        (out / "1.0.0").mkdir()
        (out / "1.0.0" / "pic.nt").write_text("release to keep")
    before = sorted((p.relative_to(out).as_posix(), p.is_dir() or p.read_text()) for p in out.rglob("*"))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(out / "1.0.0")], stdout=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    staging = Path(writer.stdout.readline().strip())
    assert staging.name.startswith(STAGING_PREFIX) and (staging / "half.txt").exists()
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    deadline = time.monotonic() + 30
    while staging.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    after = sorted((p.relative_to(out).as_posix(), p.is_dir() or p.read_text()) for p in out.rglob("*"))
    assert after == before


def test_replacing_where_the_system_cannot_exchange_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging_module, "_renameat2", lambda source, target, flags: False)
    target = tmp_path / "1.0.0"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with StagedFolder(target) as staged:
        (staged.path / "new.txt").write_text("new")
        staged.commit(replace=True)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["1.0.0"]


@pytest.mark.system
def test_the_guard_restores_a_release_moved_aside(tmp_path: Path) -> None:
    """A writer killed between moving the old release aside and renaming the new one in."""
    target = tmp_path / "1.0.0"
    aside = tmp_path / f"{STAGING_PREFIX}1.0.0.replaced-x"
    staging = tmp_path / f"{STAGING_PREFIX}1.0.0.staging-x"
    aside.mkdir()
    (aside / "pic.nt").write_text("release to keep")
    staging.mkdir()
    (staging / "pic.nt").write_text("new, complete")
    guard = [sys.executable, "-c", staging_module._GUARD, str(staging), str(target), str(aside), str(tmp_path), "0"]
    subprocess.run(guard, input=b"", check=True, timeout=30)
    assert [p.name for p in tmp_path.iterdir()] == ["1.0.0"]
    assert (target / "pic.nt").read_text() == "release to keep"


@pytest.mark.system
def test_the_dcat_ap_verdict_is_cached_only_when_it_conforms(published_release: Any, tmp_path: Path) -> None:
    """A conforming catalogue is validated once per cache; one with a violation is refused every time."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS

    from pickg.graph.errors import NonConformingError
    from pickg.release.dcatap import check_catalogue, refuse_unless_dcat_ap
    from pickg.release.dumps import turtle

    cache = tmp_path / "cache"
    catalogue = Graph().parse(published_release.path / "catalog.ttl", format="turtle")
    text = turtle(catalogue)
    fresh = check_catalogue(catalogue)
    assert refuse_unless_dcat_ap(catalogue, text=text, cache=cache) == fresh
    assert len(list((cache / "dcat-ap").iterdir())) == 1
    assert refuse_unless_dcat_ap(catalogue, text=text, cache=cache) == fresh  # read back: the same findings
    broken = Graph()
    for triple in catalogue:
        if triple[1] != DCTERMS.title:  # DCAT-AP requires a title of the catalogue and datasets
            broken.add(triple)
    for _ in range(2):
        with pytest.raises(NonConformingError, match="DCAT-AP 3"):
            refuse_unless_dcat_ap(broken, text=turtle(broken), cache=cache)
    assert len(list((cache / "dcat-ap").iterdir())) == 1


def _sums(files: dict[str, bytes]) -> dict[str, tuple[int, str]]:
    return {name: (len(data), hashlib.sha256(data).hexdigest()) for name, data in files.items()}


def test_a_folder_holds_exactly_its_files_only_with_the_same_paths_and_bytes(tmp_path: Path) -> None:
    """By the bytes (holds_exactly) or by their sizes and SHA-256 (holds_sums): the same verdicts."""
    files = {"a.txt": b"one", "site/b.html": b"<p>two</p>", "site/deep/c.js": b""}
    folder = tmp_path / "release"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)

    def holds(expected: dict[str, bytes]) -> bool:
        by_bytes, by_sums = holds_exactly(folder, expected), holds_sums(folder, _sums(expected))
        assert by_bytes == by_sums
        return by_bytes

    assert holds(files)
    assert not holds({**files, "d.txt": b"missing"})
    assert not holds({**files, "a.txt": b"onf"})
    assert not holds({**files, "a.txt": b"one more"})
    assert not holds_sums(folder, {**_sums(files), "a.txt": (3, hashlib.sha256(b"onf").hexdigest())})  # same size
    (folder / "site" / "empty").mkdir()
    assert not holds(files)  # a folder no file needs
    (folder / "site" / "empty").rmdir()
    (folder / "a.txt").unlink()
    (folder / "a.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_bytes(b"one")
    assert not holds(files)  # a link, even to the same bytes
    (folder / "a.txt").unlink()
    os.mkfifo(folder / "a.txt")
    assert not holds(files)
