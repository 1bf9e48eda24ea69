"""``pickg query list | show | run`` from the command line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph

from pickg.cli import main
from pickg.queries.catalogue import load_catalog
from tests.support.runs import run_pickg

CATALOG = load_catalog()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"})


def test_list_shows_every_query_with_its_summary_tags_and_params() -> None:
    result = invoke("query", "list", "--lang", "en")
    assert result.exit_code == 0, result.output
    for name, query in CATALOG.items():
        assert name in result.stdout and query.summary_in("en") in result.stdout
    assert "phase: iri = phase:1" in result.stdout
    assert "confidence: iri (conf:c2|conf:c1|conf:inf)" in result.stdout


def test_list_groups_the_queries_by_theme() -> None:
    result = invoke("query", "list", "--lang", "en")
    order = sorted(CATALOG.values(), key=lambda q: result.stdout.index(f"│ {q.name} "))
    themes = [q.tags[0] for q in order]
    assert themes == sorted(themes), "each theme (first tag) lists its queries together"


def test_list_as_json() -> None:
    result = invoke("query", "list", "--format", "json")
    assert result.exit_code == 0
    listed = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert set(listed) == set(CATALOG)
    budgets = listed["neighbourhoods-of-phase"]
    assert budgets["summary"]["en"] == "Neighbourhoods taking part in a phase"
    assert {"name": "phase", "type": "iri", "default": "https://w3id.org/pickg/id/phase/1", "choices": []} in budgets[
        "params"
    ]


def test_show_prints_the_query_file_itself_with_the_language_written_in() -> None:
    result = invoke("query", "show", "collaboration-partners", "--lang", "fr")
    assert result.exit_code == 0
    bound = '\n  VALUES (?_lang) { ("fr") }\n'
    assert bound in result.stdout
    assert result.stdout.replace(bound, "", 1) == CATALOG["collaboration-partners"].text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_show_gives_a_text_that_answers_in_its_language_anywhere(graph: Graph, lang: str) -> None:
    """The text ``query show --lang`` prints, run as it is (no binding), gives the labels
    of that language: what the README's curl recipe sends to an endpoint."""
    result = invoke("query", "show", "support-tiers", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert CATALOG["support-tiers"].summary_in(lang) in result.stdout
    labels = [row.tierLabel for row in graph.query(result.stdout) if row.tierLabel is not None]  # type: ignore[union-attr]
    assert labels and {label.language for label in labels} == {lang}


def test_run_as_csv_with_parameters_and_language() -> None:
    result = invoke(
        "query",
        "run",
        "collaboration-partners",
        "--param",
        "neighbourhood=nbh:verdun",
        "--format",
        "csv",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {row["neighbourhood"] for row in rows} == {"https://w3id.org/pickg/id/neighbourhood/verdun"}
    assert any("Food" in row["themes"] for row in rows)


def test_run_as_json_is_sparql_results() -> None:
    result = invoke("query", "run", "support-tiers", "-f", "json", "--limit", "3")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["head"]["vars"][:2] == ["tier", "tierLabel"]
    assert len(data["results"]["bindings"]) == 3


def test_run_as_markdown_and_table() -> None:
    markdown = invoke("query", "run", "initiatives-per-neighbourhood", "--format", "md")
    assert markdown.exit_code == 0
    lines = markdown.stdout.splitlines()
    assert lines[0] == "| neighbourhood | initiatives | confidence |"
    assert lines[2] == "| Centre-Sud | 6 | C2 |"
    table = invoke("query", "run", "initiatives-per-neighbourhood", "--lang", "en")
    assert table.exit_code == 0 and "Centre-Sud" in table.stdout and "17 rows" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("query", "run", "no-such-query"), "there is no query named 'no-such-query'"),
        (("query", "run", "support-tier"), "did you mean support-tiers"),
        (("query", "run", "support-tiers", "--param", "tier=x"), "has no parameter 'tier'"),
        (("query", "run", "support-tiers", "--param", "phase"), "is not NAME=VALUE"),
        (("query", "run", "support-tiers", "-p", "phase=phase:1", "-p", "phase=phase:2"), "given twice"),
        (("query", "run", "support-tiers", "--param", "phase=not an IRI"), "is not an absolute IRI"),
        (("query", "run", "support-tiers", "--param", "lang=en"), "--lang"),
        (("query", "show", "nope"), "there is no query named 'nope'"),
    ],
)
def test_bad_input_is_one_clean_message_and_exit_2(args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.system
def test_a_real_process_with_a_hostile_value() -> None:
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o'
    result = run_pickg("query", "run", "search-desired-changes", "--param", f"text={hostile}", "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("neighbourhood,")
    assert len(result.stdout.splitlines()) == 1  # a header and no rows
    refused = run_pickg("query", "run", "provenance", "--param", "resource=<https://example.org/a> } ; DROP ALL")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("Error: parameter 'resource' of query 'provenance' is iri")
