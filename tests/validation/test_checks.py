"""Data checks (``queries/checks/*-violation.rq``): silent on the shipped data, and each
one catches the violation of its own example in ``tests/validation/checks/<check>.ttl``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDFS, SKOS

import pickg
from pickg.graph.namespaces import PIC
from pickg.queries.catalogue import load_checks
from pickg.validation.checks import CheckResult, run_checks

CHECKS = load_checks()
EXAMPLES = Path(__file__).resolve().parent / "checks"


@pytest.fixture(scope="module")
def shipped_results(graph: Graph) -> dict[str, CheckResult]:
    return {result.name: result for result in run_checks(graph)}


def test_every_check_runs(shipped_results: dict[str, CheckResult]) -> None:
    assert set(shipped_results) == set(CHECKS)
    assert len(CHECKS) >= 12


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_shipped_data_passes_the_check(shipped_results: dict[str, CheckResult], name: str) -> None:
    result = shipped_results[name]
    shown = "\n".join("  " + " | ".join(row) for row in result.result.to_table()[:20])
    assert result.passed, f"{name}: {result.count} violation(s) — {result.message('en')}\n{shown}"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_check_catches_its_example(name: str) -> None:
    example = EXAMPLES / f"{name}.ttl"
    assert example.is_file(), f"{name} has no failing example; add {example.relative_to(EXAMPLES.parent.parent)}"
    graph = pickg.load([example])  # the ontology and vocabularies, and the example
    [result] = run_checks(graph, names=[name])
    assert not result.passed
    focus = [str(node) for node in result.focus_nodes()]
    assert any("/bad-" in iri for iri in focus), focus
    assert all("/good-" not in iri for iri in focus), focus


def test_examples_belong_to_checks() -> None:
    assert {p.stem for p in EXAMPLES.glob("*.ttl")} <= set(CHECKS)


def test_results_speak_both_languages(shipped_results: dict[str, CheckResult]) -> None:
    result = shipped_results["fact-without-source-violation"]
    assert "source" in result.message("fr") and "source" in result.message("en")
    assert result.summary("en") == "Fact without a source"


def test_a_check_tagged_warning_reports_warnings_and_others_violations() -> None:
    from pickg.validation.validate import validate

    report = validate([EXAMPLES / "text-in-one-language-violation.ttl"], lang="en")
    severities = {(r.check, r.severity) for r in report.results if r.check}
    assert ("text-in-one-language-violation", "Warning") in severities
    assert ("text-in-one-language-violation", "Violation") not in severities
    assert all(severity == "Violation" for check, severity in severities if check != "text-in-one-language-violation")
    paths = {str(r.path) for r in report.results if r.check == "text-in-one-language-violation"}
    assert paths == {str(PIC.desiredChange), str(SKOS.editorialNote), str(RDFS.label)}
