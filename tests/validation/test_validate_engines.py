"""`pickg validate --engine fast` reports what the pySHACL engine reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from pickg.graph.cache import workspace_digest
from pickg.graph.namespaces import PHASE, PIC
from pickg.graph.workspace import Workspace
from pickg.synth.generator import synthesize
from pickg.validation.report import Report
from pickg.validation.validate import validate
from tests.support.references import reference_key, reference_value
from tests.support.runs import run_pickg


def _key(result: object) -> tuple:
    r = result
    return (
        r.focus_node,
        r.source,
        r.path,
        r.value,
        r.severity,
        r.component,
        tuple(sorted(r.messages.items())),
        r.check,
        r.file,
    )


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engines")
    path = synthesize(3, folder, seed=9, format="ttl").path
    graph = Graph().parse(path)
    initiative = sorted(graph.subjects(PIC.desiredChange, None))[0]
    graph.remove((initiative, PIC.confidence, None))
    graph.set((PHASE["synth-2"], PIC.endYear, Literal("2030")))
    faulty = folder / "faulty.ttl"
    graph.serialize(faulty, format="turtle")
    return faulty


def _compared(report: Report, faulty: Path) -> tuple[bool, list[tuple], tuple[str, ...], tuple]:
    """What the engines must agree on, the faulty file's folder (a new one each run) left out."""

    def local(text: object) -> object:
        return text.replace(str(faulty.parent), "<faulty>") if isinstance(text, str) else text

    keys = sorted(tuple(local(part) for part in _key(result)) for result in report.results)
    return report.conforms, keys, tuple(str(local(name)) for name in report.files), report.checks


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_fast_engine_gives_the_pyshacl_report(faulty: Path, inference: str, workspace: Workspace) -> None:
    """pySHACL's report is the reference, kept in the project's cache under a key of the
    workspace, the faulty file, the libraries, pickg's code and this module."""
    name = f"pyshacl {inference} workspace {workspace_digest(workspace)}"
    key = reference_key(name, __file__, [faulty], pickg=True)
    slow = reference_value(key, lambda: _compared(validate([faulty], engine="pyshacl", inference=inference), faulty))
    fast = _compared(validate([faulty], engine="fast", inference=inference), faulty)
    assert not slow[0] and not fast[0]
    assert fast[1] == slow[1]
    assert fast[2:] == slow[2:]


@pytest.mark.system
def test_cli_exit_codes_and_json(faulty: Path, synthetic_file: Path) -> None:
    bad = run_pickg("validate", "--engine", "fast", "--format", "json", str(faulty))
    assert bad.returncode == 1, bad.stderr
    report = json.loads(bad.stdout)
    assert report["conforms"] is False and report["counts"]["violations"] >= 2
    good = run_pickg("validate", "--engine", "fast", str(synthetic_file))
    assert good.returncode == 0, good.stdout + good.stderr
    wrong = run_pickg("validate", "--engine", "fast", "--inference", "owlrl", str(synthetic_file))
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
