"""`pickg validate --engine fast` reports what the pySHACL engine reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from pickg.graph.namespaces import PHASE, PIC
from pickg.synth.generator import synthesize
from pickg.validation.validate import validate
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


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_fast_engine_gives_the_pyshacl_report(faulty: Path, inference: str) -> None:
    slow = validate([faulty], engine="pyshacl", inference=inference)
    fast = validate([faulty], engine="fast", inference=inference)
    assert not slow.conforms and not fast.conforms
    assert sorted(map(_key, fast.results)) == sorted(map(_key, slow.results))
    assert fast.files == slow.files and fast.checks == slow.checks


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
