"""pickg.validation.validate: the shipped data conforms, results name their file, the input is
never modified, data checks are folded in, and the report renders as JSON and as a
standard SHACL report graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic, to_isomorphic

import pickg
from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.namespaces import DCTERMS, FILE_GRAPH, PHASE, RDF, SH, SHAPES
from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from pickg.validation.pyshacl_engine import ValidationGraph
from pickg.validation.report import Report
from pickg.validation.validate import validate, validate_graph

SHAPES_DIR = Path(__file__).resolve().parent / "shapes"
WORLD = SHAPES_DIR / "valid" / "world.ttl"
INVALID = SHAPES_DIR / "invalid"

PREFIXES = """\
PREFIX conf: <https://w3id.org/pickg/vocab/confidence/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nbh: <https://w3id.org/pickg/id/neighbourhood/>
PREFIX phase: <https://w3id.org/pickg/id/phase/>
PREFIX pic: <https://w3id.org/pickg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX source: <https://w3id.org/pickg/id/source/>
PREFIX territory: <https://w3id.org/pickg/id/territory/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="session")
def shipped_report() -> Report:
    return validate()


def _describe(report: Report) -> str:
    return "\n".join(
        f"{r.file}: {r.focus_node} [{r.source_name}] {r.path} {r.value} — {r.message('en')}" for r in report.violations
    )


# --- the shipped data ------------------------------------------------------------------------


def test_the_shipped_data_conforms(shipped_report: Report) -> None:
    assert shipped_report.conforms, "the shipped data does not conform:\n" + _describe(shipped_report)


def test_the_shipped_validation_read_every_data_file_and_ran_the_checks(shipped_report: Report) -> None:
    ws = Workspace.discover()
    assert {ws.relative(p) for p in ws.data_files()} <= set(shipped_report.files)
    assert "ontology/pic.ttl" in shipped_report.files
    assert set(shipped_report.checks) == {p.stem for p in ws.check_files()}


def test_every_shipped_warning_names_a_data_file_and_a_bilingual_message(shipped_report: Report) -> None:
    for result in shipped_report.results:
        assert result.file and result.file.startswith(("data/", "ontology/")), result
        assert result.messages.get("fr") and result.messages.get("en"), result


def test_pickg_exports_validate() -> None:
    assert pickg.validate is validate
    assert "validate" in pickg.__all__


# --- options and bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(("option", "value"), [("inference", "owl"), ("inference", ""), ("lang", "de")])
def test_an_unknown_option_value_is_an_input_error(option: str, value: str) -> None:
    with pytest.raises(InputError) as caught:
        validate([WORLD], **{option: value})
    assert repr(value) in str(caught.value)
    assert caught.value.exit_code == 2


def test_a_malformed_file_is_a_parse_error_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(PREFIXES + '\nphase:x a pic:Phase ;\n    rdfs:label "x"@fr\n    pic:startYear 2015 .\n')
    with pytest.raises(ParseError) as caught:
        validate([WORLD, bad])
    assert caught.value.path == bad and caught.value.line == 13


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        validate([tmp_path / "absent.ttl"])


def test_an_empty_file_is_a_parse_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    with pytest.raises(ParseError, match="empty"):
        validate([empty])


# --- where results point -----------------------------------------------------------------------


def test_a_result_names_the_file_that_describes_the_focus_node(tmp_path: Path) -> None:
    """A second start year added in another file is reported on the file that types the phase."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(PREFIXES + '\nphase:t1 pic:startYear "2016"^^xsd:gYear .\n')
    report = validate([WORLD, extra], checks=False)
    [result] = report.violations
    assert result.source == SHAPES["Phase-startYear"]
    assert result.focus_node == PHASE.t1
    assert result.file == Workspace.discover().relative(WORLD)
    assert result.focus_label == "Phase 1 du programme d'essai"
    assert not report.conforms


def test_files_outside_the_workspace_are_named_by_their_path(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.ttl"
    wrong.write_text(
        PREFIXES
        + """
phase:t1-copy a pic:Phase ;
    rdfs:label "Copie"@fr , "Copy"@en ;
    pic:phaseOf <https://w3id.org/pickg/id/programme/t-programme> ;
    pic:startYear 2015 ;
    dcterms:source source:t-source-a ;
    pic:confidence conf:c1 .
"""
    )
    report = validate([WORLD, wrong], checks=False)
    assert [(r.file, r.source_name) for r in report.results] == [(wrong.as_posix(), "picsh:Phase-startYear-range")]
    assert report.results[0].value == Literal(2015)


# --- the input is never modified ------------------------------------------------------------------


@pytest.mark.parametrize("inference", ["none", "owlrl"])
def test_validate_graph_never_modifies_its_input(inference: str) -> None:
    graph = load([WORLD])
    before = to_isomorphic(graph)
    size = len(graph)
    report = validate_graph(graph, inference=inference, checks=False)
    assert report.conforms
    assert len(graph) == size
    assert isomorphic(graph, before)


# --- data checks ----------------------------------------------------------------------------------


CHECK = """\
#+ summary:
#+   fr: Phase d'essai qui commence en 2015
#+   en: Test phase that starts in 2015
#+ description:
#+   fr: Une phase d'essai ne devrait pas commencer en 2015 ; corrigez son année.
#+   en: A test phase should not start in 2015; correct its year.
#+ tags:
#+   - check
PREFIX pic: <https://w3id.org/pickg/ontology#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

SELECT ?focus ?year WHERE {
  ?focus a pic:Phase ;
    pic:startYear ?year .
  FILTER (STR(?year) = "2015")
}
"""


def test_each_row_of_a_data_check_is_a_violation_naming_the_check_file(workspace_copy: Workspace) -> None:
    checks = workspace_copy.queries_dir / "checks"
    checks.mkdir(exist_ok=True)
    (checks / "test-phase-of-2015-violation.rq").write_text(CHECK, encoding="utf-8")
    report = validate([WORLD], workspace=workspace_copy)
    from_check = [r for r in report.results if r.check == "test-phase-of-2015-violation"]
    assert [r.focus_node for r in from_check] == [PHASE.t1]
    [result] = from_check
    assert result.severity == "Violation" and not report.conforms
    assert result.source_name == "queries/checks/test-phase-of-2015-violation.rq"
    assert result.source == FILE_GRAPH["queries/checks/test-phase-of-2015-violation.rq"]
    assert result.file == WORLD.as_posix()  # outside the copied workspace: its path
    assert result.value == Literal("2015", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))
    assert result.message("en") == "A test phase should not start in 2015; correct its year."
    assert result.message("fr").startswith("Une phase d'essai")
    assert "test-phase-of-2015-violation" in report.checks


def test_checks_can_be_left_out(workspace_copy: Workspace) -> None:
    checks = workspace_copy.queries_dir / "checks"
    checks.mkdir(exist_ok=True)
    (checks / "test-phase-of-2015-violation.rq").write_text(CHECK, encoding="utf-8")
    report = validate([WORLD], workspace=workspace_copy, checks=False)
    assert report.conforms_strictly() and report.checks == ()


# --- renderings -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing() -> Report:
    return validate(
        [WORLD, INVALID / "Phase-startYear--missing.ttl", INVALID / "Initiative-theme--missing.ttl"], lang="en"
    )


def test_report_as_json(failing: Report) -> None:
    data = json.loads(failing.to_json())
    assert data["conforms"] is False
    assert data["counts"] == {"violations": 1, "warnings": 1, "infos": 0}
    shapes = {r["shape"]: r for r in data["results"]}
    assert set(shapes) == {"picsh:Phase-startYear", "picsh:Initiative-theme"}
    startyear = shapes["picsh:Phase-startYear"]
    assert startyear["file"] == "tests/validation/shapes/invalid/Phase-startYear--missing.ttl"
    assert startyear["severity"] == "Violation"
    assert startyear["path"] == "<https://w3id.org/pickg/ontology#startYear>"
    assert startyear["message"] == startyear["messages"]["en"] != startyear["messages"]["fr"]
    assert startyear["source_shape"] == f"<{SHAPES['Phase-startYear']}>"


def test_report_as_a_standard_shacl_report_graph(failing: Report) -> None:
    graph = Graph().parse(data=failing.to_graph().serialize(format="turtle"), format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == len(failing.results) == 2
    for node in results:
        assert (node, RDF.type, SH.ValidationResult) in graph
        for prop in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent):
            assert graph.value(node, prop) is not None, prop
        assert {m.language for m in graph.objects(node, SH.resultMessage)} == {"fr", "en"}
        assert str(graph.value(node, DCTERMS.source)).startswith("urn:pickg:file:tests/validation/shapes/invalid/")


def test_the_raw_pyshacl_report_is_kept() -> None:
    report = validate([WORLD, INVALID / "Phase-startYear--missing.ttl"], engine="pyshacl", checks=False)
    assert (None, RDF.type, SH.ValidationReport) in report.graph
    assert "Phase-startYear" in report.text


# --- regressions, named after the issue they fix ------------------------------------------------------


def test_issue_rdfs_one_time_rules_made_literals_look_multivalued() -> None:
    """owlrl's RDFS one-time rules add a typed proxy for each literal: foaf:name,
    pic:ordinal… then looked two-valued and ill-typed under --inference rdfs."""
    report = validate([WORLD, SHAPES_DIR / "valid" / "edge-cases.ttl"], inference="rdfs", checks=False)
    assert report.conforms_strictly(), [(r.focus_node, r.source_name) for r in report.results]


def test_issue_duplicate_label_matched_two_resources_of_different_classes_through_rdfs_resource(tmp_path: Path) -> None:
    """Under RDFS every resource is an rdfs:Resource: a neighbourhood and a borough both
    called « Lachine » were reported as duplicates. Only classes of the ontology count."""
    lachine = tmp_path / "lachine.ttl"
    lachine.write_text(
        PREFIXES
        + """
nbh:t-lachine a pic:Neighbourhood ;
    rdfs:label "Lachine"@fr ;
    pic:territory territory:t-lachine ;
    pic:roundtable <https://w3id.org/pickg/id/organisation/t-roundtable-quiet> ;
    dcterms:source source:t-source-a ;
    pic:confidence conf:c1 .
territory:t-lachine a pic:Borough ;
    rdfs:label "Lachine"@fr ;
    dcterms:source source:t-source-a ;
    pic:confidence conf:c1 .
"""
    )
    for mode in ("rdfs", "owlrl"):
        report = validate([WORLD, lachine], inference=mode, checks=False)
        assert not [r for r in report.results if r.source == SHAPES["Resource-duplicateLabel"]], mode


def test_issue_sparql_messages_lost_their_language_tags() -> None:
    """pySHACL copies the messages of SPARQL constraints without their language tags;
    they are read back from the shapes, tagged."""
    report = validate([WORLD, INVALID / "Phase-endAfterStart--swapped-years.ttl"], checks=False)
    [result] = report.violations
    assert result.source == SHAPES["Phase-endAfterStart"]
    assert result.message("fr").startswith("Cette phase finit avant")
    assert result.message("en").startswith("This phase ends before")


def test_issue_sparql_constraints_were_parsed_once_per_focus_node() -> None:
    """The validated copy parses a query text once, however often it is run."""
    graph = ValidationGraph()
    graph += load([WORLD])
    text = "PREFIX pic: <https://w3id.org/pickg/ontology#> SELECT ?phase WHERE { $this pic:phaseOf ?phase }"
    answers = [list(graph.query(text, initBindings={"this": node})) for node in (PHASE.t1, PHASE.t2, PHASE.t1)]
    assert len(graph._prepared) == 1
    plain = Graph()
    plain += graph
    assert answers == [list(plain.query(text, initBindings={"this": node})) for node in (PHASE.t1, PHASE.t2, PHASE.t1)]
    assert answers[0] and answers[0] == answers[2]
