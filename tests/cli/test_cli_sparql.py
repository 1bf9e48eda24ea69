"""``pickg sparql``: a query of the user's own, from a file or standard input, on the
local graph or an endpoint (issue 14), and the small fixes that came with it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from pickg.cli import main
from pickg.endpoints.push import push
from pickg.endpoints.server import Server
from pickg.graph.workspace import Workspace
from pickg.queries.client import Endpoint
from tests.support.runs import PublishedRelease, run_pickg
from tests.support.servers import oxigraph

NEIGHBOURHOODS = """# the neighbourhoods of Phase 1, no PREFIX line: the project's are declared
SELECT DISTINCT ?neighbourhood ?label WHERE {
  ?participation pic:phase phase:1 ; pic:neighbourhood ?neighbourhood .
  ?neighbourhood rdfs:label ?label FILTER(LANG(?label) = "fr")
}
"""


def invoke(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin, env={"COLUMNS": "250"})


def _rows(output: str) -> list[tuple[str, ...]]:
    return sorted(tuple(row) for row in csv.reader(io.StringIO(output)))


@pytest.fixture(scope="module")
def query_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sparql") / "neighbourhoods.rq"
    path.write_text(NEIGHBOURHOODS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def release_server(tmp_path_factory: pytest.TempPathFactory, published_release: PublishedRelease) -> Iterator[Server]:
    """An Oxigraph server of its own holding the session's release."""
    with oxigraph(tmp_path_factory.mktemp("sparql-server")) as server:
        push(Endpoint(server.query_url), published_release.path)
        yield server


def test_file_and_standard_input_give_the_same_rows(query_file: Path) -> None:
    from_file = invoke("sparql", str(query_file), "--format", "csv")
    from_stdin = invoke("sparql", "-", "--format", "csv", stdin=NEIGHBOURHOODS)
    no_argument = invoke("sparql", "--format", "csv", stdin=NEIGHBOURHOODS)
    assert from_file.exit_code == from_stdin.exit_code == no_argument.exit_code == 0, from_file.output
    rows = _rows(from_file.output)
    assert len(rows) == 18  # the header and the 17 neighbourhoods of Phase 1
    assert rows == _rows(from_stdin.output) == _rows(no_argument.output)


@pytest.mark.system
def test_local_graph_and_endpoint_give_the_same_rows(
    query_file: Path, release_server: Server, published_release: PublishedRelease
) -> None:
    local = invoke("sparql", str(query_file), "--format", "csv")
    on_rdflib = invoke("sparql", str(query_file), "--format", "csv", "--store", "rdflib")
    on_release = invoke("sparql", str(query_file), str(published_release.path / "pic.nt"), "--format", "csv")
    remote = invoke("sparql", str(query_file), "--format", "csv", "--endpoint", release_server.query_url)
    stdin_remote = invoke("sparql", "--format", "csv", "--endpoint", release_server.query_url, stdin=NEIGHBOURHOODS)
    for result in (local, on_rdflib, on_release, remote, stdin_remote):
        assert result.exit_code == 0, result.output
    assert _rows(local.output) == _rows(on_rdflib.output) == _rows(on_release.output)
    assert _rows(local.output) == _rows(remote.output) == _rows(stdin_remote.output)


def test_every_output_format(query_file: Path) -> None:
    as_json = json.loads(invoke("sparql", str(query_file), "--format", "json").output)
    assert as_json["head"]["vars"] == ["neighbourhood", "label"] and len(as_json["results"]["bindings"]) == 17
    markdown = invoke("sparql", str(query_file), "--format", "markdown")
    assert markdown.exit_code == 0 and markdown.output == invoke("sparql", str(query_file), "--format", "md").output
    assert markdown.output.startswith("| neighbourhood | label |")
    table = invoke("sparql", str(query_file), "--lang", "en")
    assert table.exit_code == 0 and "Verdun" in table.output and "17 rows" in table.output
    assert "nbh:verdun" not in table.output  # a label speaks for the IRI, as in query run's tables


def test_ask_construct_and_describe() -> None:
    assert invoke("sparql", stdin="ASK { nbh:verdun a pic:Neighbourhood }").output == "true\n"
    assert invoke("sparql", stdin="ASK { nbh:nowhere a pic:Neighbourhood }").output == "false\n"
    asked = json.loads(invoke("sparql", "-f", "json", stdin="ASK { nbh:verdun ?p ?o }").output)
    assert asked == {"head": {}, "boolean": True}
    built = invoke("sparql", stdin="CONSTRUCT { ?n a pic:Neighbourhood } WHERE { ?n a pic:Neighbourhood }")
    assert built.exit_code == 0, built.output
    graph = Graph().parse(data=built.output, format="turtle")
    assert len(graph) == len(set(graph.subjects())) >= 17
    described = invoke("sparql", "--format", "nt", stdin="DESCRIBE nbh:verdun")
    assert described.exit_code == 0 and len(Graph().parse(data=described.output, format="nt")) > 5
    refused = invoke("sparql", "--format", "csv", stdin="DESCRIBE nbh:verdun")
    assert refused.exit_code == 2 and "turtle or nt" in refused.output


def test_lang_reaches_a_query_that_reads_it() -> None:
    text = 'SELECT ?label WHERE { theme:food skos:prefLabel ?label FILTER(LANG(?label) = COALESCE(?_lang, "fr")) }'
    english = invoke("sparql", "-f", "csv", "--lang", "en", stdin=text).output.splitlines()[1:]
    french = invoke("sparql", "-f", "csv", "--lang", "fr", stdin=text).output.splitlines()[1:]
    assert len(english) == len(french) == 1 and english != french


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX x: <urn:x:>\nINSERT DATA { x:a x:b x:c }",
        "DELETE WHERE { ?s ?p ?o }",
        "# comment SELECT\nDROP ALL",
        "LOAD <https://example.org/data.ttl>",
    ],
)
def test_an_update_is_refused(text: str) -> None:
    result = invoke("sparql", stdin=text)
    assert result.exit_code == 2
    assert "SPARQL Update" in result.output and "only reads" in result.output


@pytest.mark.system
def test_a_syntax_error_names_the_line_and_column_of_the_users_text(tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?x\nWHERE {\n  ?x a nope:Thing .\n}\n", encoding="utf-8")
    done = run_pickg("sparql", str(path))
    assert done.returncode == 2
    assert f"{path}:3:18: the prefix before here is not declared" in done.stderr, done.stderr
    assert "<stdin>:3:18:" in invoke("sparql", stdin=path.read_text()).output
    unclosed = invoke("sparql", stdin="SELECT ?x\nWHERE {\n  ?x a pic:Neighbourhood } }\n")
    assert unclosed.exit_code == 2 and "<stdin>:4:1: not valid SPARQL" in unclosed.output


def test_a_missing_query_file_says_so(tmp_path: Path) -> None:
    result = invoke("sparql", str(tmp_path / "nope.rq"))
    assert result.exit_code == 2 and "no such query file" in result.output


@pytest.mark.system
def test_a_query_is_held_to_the_input_rules(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.rq"
    os.mkfifo(fifo)
    special = invoke("sparql", str(fifo))
    assert special.exit_code == 2 and "not a query file" in special.output, special.output
    big = subprocess.run(
        [sys.executable, "-m", "pickg.cli", "--max-input-size", "20", "sparql", "-"],
        input=NEIGHBOURHOODS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # a process of its own: the limit is process-wide
    assert big.returncode == 2 and "<stdin>" in big.stderr and "size limit" in big.stderr, big.stderr
    assert "Traceback" not in big.stderr


def test_commands_taking_files_accept_a_folder(tmp_path: Path, workspace: Workspace) -> None:
    folder = tmp_path / "data"
    shutil.copytree(workspace.root / "data", folder)
    files = sorted(str(p) for p in folder.rglob("*.ttl"))
    by_folder = invoke("stats", str(folder), "--format", "json")
    by_files = invoke("stats", *files, "--format", "json")
    assert by_folder.exit_code == 0, by_folder.output
    assert json.loads(by_folder.output) == json.loads(by_files.output)
    validated = invoke("validate", str(folder))
    assert validated.exit_code == 0, validated.output
    ran = invoke("query", "run", "neighbourhoods-of-phase", str(folder), "--format", "csv")
    assert ran.exit_code == 0 and len(ran.output.splitlines()) == 18
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = invoke("stats", str(empty))
    assert refused.exit_code == 2 and "no RDF file" in refused.output


def test_markdown_is_an_alias_of_md() -> None:
    md = invoke("query", "run", "phase-budgets", "--format", "md")
    markdown = invoke("query", "run", "phase-budgets", "--format", "markdown")
    assert md.exit_code == markdown.exit_code == 0
    assert md.output == markdown.output and md.output.startswith("|")


def test_query_run_on_a_file_points_to_pickg_sparql(query_file: Path) -> None:
    result = invoke("query", "run", str(query_file))
    assert result.exit_code == 2 and f"pickg sparql {query_file}" in result.output


# --- labels in tables, as query run shows them ------------------------------------------------

THEMES = """SELECT DISTINCT ?theme (STR(?theme) AS ?iri) WHERE { ?initiative a pic:Initiative ; pic:theme ?theme }
"""


def _markdown_rows(output: str) -> dict[str, str]:
    """IRI → label, from the rows of a Markdown table of THEMES (``| label | iri |``)."""
    rows = [line.strip("|").split("|") for line in output.splitlines()[2:]]
    return {iri.strip(): label.strip() for label, iri in rows}


@pytest.mark.system
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tables_label_iris_as_query_run_does(
    tmp_path: Path, lang: str, release_server: Server, published_release: PublishedRelease
) -> None:
    """The label of each theme in pickg sparql's table is query run's themeLabel, in both
    languages, from a file or standard input, on the local graph or an endpoint."""
    summary = invoke("query", "run", "theme-summary", "--lang", lang, "-f", "csv")
    expected = {row["theme"]: row["themeLabel"] for row in csv.DictReader(io.StringIO(summary.output))}
    query = tmp_path / "themes.rq"
    query.write_text(THEMES, encoding="utf-8")
    runs = {
        "file": invoke("sparql", str(query), "--lang", lang, "-f", "md"),
        "stdin": invoke("sparql", "--lang", lang, "-f", "md", stdin=THEMES),
        "rdflib": invoke("sparql", str(query), "--lang", lang, "-f", "md", "--store", "rdflib"),
        "release": invoke("sparql", str(query), str(published_release.path / "pic.nt"), "--lang", lang, "-f", "md"),
        "endpoint": invoke("sparql", str(query), "--lang", lang, "-f", "md", "--endpoint", release_server.query_url),
    }
    shown = {}
    for name, result in runs.items():
        assert result.exit_code == 0, (name, result.output)
        shown[name] = _markdown_rows(result.output)
    assert all(rows == shown["file"] for rows in shown.values()), shown
    common = set(shown["file"]) & set(expected)
    assert len(common) >= 5
    assert {iri: shown["file"][iri] for iri in common} == {iri: expected[iri] for iri in common}
    assert all(not label.startswith("theme:") for label in shown["file"].values())
    raw = invoke("sparql", str(query), "--lang", lang, "-f", "csv")
    assert raw.output.splitlines()[0] == "theme,iri"  # csv (and json) stay the query's own columns


def test_english_tables_show_the_gloss_where_the_label_is_french_only() -> None:
    """search-desired-changes names initiatives, most of them French only with an English
    gloss: an English table shows the gloss, and so does csv's label column (issue 26: the
    query chooses it); French is unchanged."""
    from pickg.graph.namespaces import PIC, RDFS
    from pickg.graph.rdfio import load

    graph = load()
    answer = invoke("query", "run", "search-desired-changes", "--lang", "en", "-f", "csv").output
    rows = list(csv.DictReader(io.StringIO(answer)))
    glossed = {}
    for row in rows:
        initiative = URIRef(row["initiative"])
        english = [o for o in graph.objects(initiative, RDFS.label) if getattr(o, "language", None) == "en"]
        glosses = [str(o) for o in graph.objects(initiative, PIC.gloss) if getattr(o, "language", None) == "en"]
        if glosses and not english:
            assert row["initiativeLabel"] in glosses  # the query itself gives the gloss
            french = [str(o) for o in graph.objects(initiative, RDFS.label) if getattr(o, "language", None) == "fr"]
            glossed[min(french)] = row["initiativeLabel"]
    assert len(glossed) >= 3

    def initiatives(lang: str) -> set[str]:
        table = invoke("query", "run", "search-desired-changes", "--lang", lang, "-f", "md").output
        return {line.split(" | ")[1] for line in table.splitlines()[2:]}  # | neighbourhood | initiative | …

    in_english, in_french = initiatives("en"), initiatives("fr")
    for name, gloss in glossed.items():
        assert gloss in in_english and name not in in_english
        assert name in in_french
