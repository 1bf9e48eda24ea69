"""The same validation report from three SHACL engines on the published release (issue 14).

pySHACL, Jena SHACL 4.5 and shacl-engine read the release's own files, as its README
tells a consumer to, and must report the same (focus node, source shape, severity,
path) for every result; the counts are printed at the end of the run. Two small copies
of part of the release's graph, the second without an event's French label, prove that
the comparison sees a difference: each engine must report exactly the new violation,
and the three must still agree.

Why the engines agreed only after changes to the release: docs/shacl-engines.md.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from subprocess import PIPE

import pytest
from rdflib import Graph

from tests.support.runs import PublishedRelease
from tests.support.shacl_peers import (
    SH,
    Background,
    EngineReport,
    jena_classpath,
    jena_command,
    pyshacl_report,
    shacl_engine_script_file,
    small_copies,
    start_jena,
    start_shacl_engine,
)
from tests.support.summary import SHACL_PEERS

pytestmark = pytest.mark.system

REPRODUCTIONS = Path(__file__).parent / "shacl-peers"


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    return jena_classpath(tmp_path_factory.mktemp("jena"))


def _disagreements(reports: list[EngineReport]) -> list[str]:
    reference = reports[0]
    lines = []
    for other in reports[1:]:
        lines += [f"only {reference.engine}: {key}" for key in sorted(reference.keys - other.keys)]
        lines += [f"only {other.engine}: {key}" for key in sorted(other.keys - reference.keys)]
    return lines


def _record(copy: str, reports: list[EngineReport]) -> None:
    SHACL_PEERS[copy] = {report.engine: report.results for report in reports}


def test_three_engines_give_the_same_report_on_the_release(
    published_release: PublishedRelease, shacl_engine_run: Background, classpath: str
) -> None:
    release = published_release.path
    shapes, data = release / "shapes.ttl", release / "pic.ttl"
    jena = start_jena(classpath, shapes, data)  # Java runs while pySHACL does
    reports = [pyshacl_report(shapes, data), jena.wait(), shacl_engine_run.wait()]
    # shacl-engine ran in the background on the same release as the other two
    assert shacl_engine_run.release == release
    _record("release", reports)
    assert not _disagreements(reports), "the engines disagree:\n" + "\n".join(_disagreements(reports))
    assert [report.results for report in reports] == [len(reports[0].keys)] * 3
    # a release is refused unless it conforms, so its report holds warnings only; it
    # holds some (Phase-2 participations whose support tier no source gives)
    assert reports[0].keys
    assert {severity for _, _, severity, _ in reports[0].keys} == {str(SH.Warning)}


def test_the_comparison_sees_a_violation_removed_from_a_copy(
    published_release: PublishedRelease, classpath: str, tmp_path: Path
) -> None:
    release = published_release.path
    complete, broken, event = small_copies(release / "pic.trig", tmp_path)
    script = shacl_engine_script_file(release / "README.md", tmp_path)
    shapes = release / "shapes.ttl"
    copies = {"complete": complete, "broken": broken}
    # the Java and Node processes of both copies run side by side, and beside pySHACL
    started = {
        name: (
            start_jena(classpath, shapes, data),
            start_shacl_engine(script, [shapes, release / "ontology.ttl"], data),
        )
        for name, data in copies.items()
    }
    pyshacl = {name: pyshacl_report(shapes, data) for name, data in copies.items()}
    runs = {name: [pyshacl[name], *(run.wait() for run in started[name])] for name in copies}
    _record("small copy", runs["complete"])
    _record("small copy without a label", runs["broken"])
    for name, reports in runs.items():
        assert not _disagreements(reports), f"the engines disagree on the {name} copy:\n" + "\n".join(
            _disagreements(reports)
        )
    for before, after in zip(runs["complete"], runs["broken"], strict=True):
        assert before.keys <= after.keys, (after.engine, before.keys - after.keys)
        new = after.keys - before.keys
        assert {(focus, severity) for focus, _, severity, _ in new} == {(str(event), str(SH.Violation))}, new


def _finished(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


# --- the two differences, reduced (tests/validation/shacl-peers/README.md) ---------------------------------


def test_jena_refuses_two_messages_on_a_sparql_constraint_and_takes_them_on_the_shape(classpath: str) -> None:
    """Jena SHACL reads at most one sh:message on a sh:SPARQLConstraint (apache/jena#3817).

    SHACL lets a SPARQL-based constraint have several (one per language); pySHACL gives
    both. The same messages on the node shape, which holds only that constraint, are
    accepted by Jena and given to the constraint's results in both languages.
    """
    data = REPRODUCTIONS / "sparql-messages.data.ttl"
    on_constraint = REPRODUCTIONS / "sparql-messages-on-constraint.shapes.ttl"
    on_shape = REPRODUCTIONS / "sparql-messages-on-shape.shapes.ttl"
    # the two Java processes run side by side
    running = [
        subprocess.Popen(jena_command(classpath, shapes, data), stdout=PIPE, stderr=PIPE, text=True)
        for shapes in (on_constraint, on_shape)
    ]
    refused, accepted = (_finished(process) for process in running)
    assert refused.returncode != 0
    assert "ShaclParseException: More than one match" in refused.stderr
    assert "http://www.w3.org/ns/shacl#message" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr
    report = Graph().parse(data=accepted.stdout, format="turtle")
    assert {m.language for m in report.objects(None, SH.resultMessage)} == {"en", "fr"}
    for shapes in ("sparql-messages-on-constraint.shapes.ttl", "sparql-messages-on-shape.shapes.ttl"):
        assert pyshacl_report(REPRODUCTIONS / shapes, data).results == 1


def test_shacl_engine_finds_subclasses_in_the_shapes_graph_only(
    published_release: PublishedRelease, tmp_path: Path
) -> None:
    """SHACL 1.0 takes rdfs:subClassOf from the data graph; shacl-engine from the shapes graph.

    Its maintainer keeps it so (rdf-ext/shacl-engine#42); this is why the release's
    README gives ``ontology.ttl`` with the shapes.
    """
    shapes, data = REPRODUCTIONS / "subclass.shapes.ttl", REPRODUCTIONS / "subclass.data.ttl"
    script = shacl_engine_script_file(published_release.path / "README.md", tmp_path)
    # the two Node processes run side by side, and beside pySHACL
    alone = start_shacl_engine(script, [shapes], data)
    with_ontology = start_shacl_engine(script, [shapes, REPRODUCTIONS / "subclass.ontology.ttl"], data)
    assert pyshacl_report(shapes, data).results == 0
    assert {(focus, shape) for focus, shape, _, _ in alone.wait().keys} == {
        ("http://example.org/garden", "http://example.org/Initiative-location-range")
    }
    assert with_ontology.wait().results == 0
