"""``pickg validate``: what a steward sees, the machine formats, and the exit codes
(0 conforms, 1 violations, 2 unreadable input or usage) with one clear message and
no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from pickg.cli import main
from pickg.graph.namespaces import SH
from pickg.graph.workspace import Workspace
from tests.support.runs import run_pickg

SHAPES_DIR = Path(__file__).resolve().parents[1] / "validation" / "shapes"
WORLD = SHAPES_DIR / "valid" / "world.ttl"
INVALID = SHAPES_DIR / "invalid"


def _invoke(*args: str):
    """``pickg validate`` as a reader with a French locale runs it (the language follows the locale)."""
    return CliRunner(env={"LC_ALL": "fr_CA.UTF-8", "PICKG_LANG": None}).invoke(main, ["validate", *args])


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text


# --- bad input: exit 2, one paragraph on stderr, nothing on stdout -------------------------------


@pytest.mark.system
def test_malformed_turtle_exits_2_naming_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text(
        "@prefix pic: <https://w3id.org/pickg/ontology#> .\n\n<https://w3id.org/pickg/id/phase/x> a pic:Phase ;\n"
        '    pic:startYear "2015" "2016" .\n',
        encoding="utf-8",
    )
    result = run_pickg("validate", str(WORLD), str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {bad}:4:")
    assert result.stderr.strip().count("\n") == 0
    assert result.stdout == ""
    _no_traceback(result.stderr, result.stdout)


@pytest.mark.system
def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_pickg("validate", str(tmp_path / "absent.ttl"))
    assert result.returncode == 2
    assert "absent.ttl" in result.stderr and "no such file" in result.stderr
    assert result.stdout == ""
    _no_traceback(result.stderr)


def test_an_empty_file_exits_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    result = _invoke(str(empty))
    assert result.exit_code == 2
    assert "empty.ttl" in result.stderr and "empty" in result.stderr
    assert result.stdout == ""
    _no_traceback(result.output)


def test_an_unknown_inference_mode_exits_2_listing_the_modes() -> None:
    result = _invoke("--inference", "owl2", str(WORLD))
    assert result.exit_code == 2
    assert "Invalid value for '--inference'" in result.stderr
    for mode in ("none", "rdfs", "owlrl"):
        assert mode in result.stderr
    _no_traceback(result.output)


def test_an_unknown_language_exits_2() -> None:
    result = _invoke("--lang", "de", str(WORLD))
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr


# --- data that does not conform: exit 1, the problem shown where it is ---------------------------


@pytest.mark.system
def test_a_wrong_datatype_exits_1_with_file_node_shape_value_and_message() -> None:
    fixture = INVALID / "Phase-startYear-range--full-date.ttl"
    french = {"LC_ALL": "fr_CA.UTF-8", "PICKG_LANG": ""}  # a reader with a French locale
    result = run_pickg("validate", str(WORLD), str(fixture), env=french)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "tests/validation/shapes/invalid/Phase-startYear-range--full-date.ttl" in out
    assert "phase:t1-phase-startyear-range-full-date" in out
    assert "picsh:Phase-startYear-range" in out
    assert "pic:startYear" in out and '"2015-01-01"^^xsd:date' in out
    assert "Une année de phase est un xsd:gYear" in out  # French, as the locale is
    assert "Non conforme : 1 violation" in out
    _no_traceback(result.stderr, out)


def test_a_label_without_language_exits_1_with_the_english_message() -> None:
    fixture = INVALID / "Resource-label-range--no-language.ttl"
    result = _invoke("--lang", "en", str(WORLD), str(fixture))
    assert result.exit_code == 1
    assert "picsh:Resource-label-range" in result.stdout
    assert '"Sud-d\'Essai sans langue"' in result.stdout
    assert "This label has no language tag" in result.stdout
    assert "Does not conform: 1 violation, 0 warnings" in result.stdout


def test_text_output_is_grouped_by_file_then_focus_node() -> None:
    first = INVALID / "Figure-unit--missing.ttl"
    second = INVALID / "Figure-about--missing.ttl"
    result = _invoke("--lang", "en", str(WORLD), str(first), str(second))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    about = lines.index("tests/validation/shapes/invalid/Figure-about--missing.ttl")
    unit = lines.index("tests/validation/shapes/invalid/Figure-unit--missing.ttl")
    assert about < unit  # files in order
    where = "tests/validation/shapes/invalid/Figure-about--missing.ttl:15"  # the line its statement begins on
    assert lines[about + 1].startswith(f"  {where}  figure:t-north-population-figure-about-missing — ")
    assert "picsh:Figure-about" in lines[about + 2]


# --- warnings and --strict ---------------------------------------------------------------------


def test_warnings_pass_unless_strict() -> None:
    fixture = INVALID / "Initiative-theme--missing.ttl"
    relaxed = _invoke("--lang", "en", str(WORLD), str(fixture))
    assert relaxed.exit_code == 0
    assert "! warning  picsh:Initiative-theme" in relaxed.stdout
    assert "Conforms: 0 violations, 1 warning" in relaxed.stdout
    strict = _invoke("--lang", "en", "--strict", str(WORLD), str(fixture))
    assert strict.exit_code == 1
    assert "rejected by --strict" in strict.stdout


def test_valid_files_exit_0() -> None:
    result = _invoke(str(WORLD), "--strict")
    assert result.exit_code == 0
    assert result.stdout.startswith("Conforme : 0 violation, 0 avertissement ;")


# --- machine formats ---------------------------------------------------------------------------------


def test_json_and_turtle_describe_the_same_results() -> None:
    files = [
        str(WORLD),
        str(INVALID / "Phase-startYear--missing.ttl"),
        str(INVALID / "Neighbourhood-territory--missing.ttl"),
    ]
    as_json = _invoke("--format", "json", *files)
    as_turtle = _invoke("--format", "turtle", *files)
    assert as_json.exit_code == as_turtle.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["conforms"] is False
    assert data["counts"] == {"violations": 1, "warnings": 1, "infos": 0}
    assert {r["shape"] for r in data["results"]} == {"picsh:Phase-startYear", "picsh:Neighbourhood-territory"}
    graph = Graph().parse(data=as_turtle.stdout, format="turtle")
    [report] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(report, SH.conforms) == Literal(False)
    severities = sorted(str(graph.value(r, SH.resultSeverity)) for r in graph.objects(report, SH.result))
    assert severities == [str(SH.Violation), str(SH.Warning)]


def test_without_paths_the_shipped_data_is_validated() -> None:
    result = _invoke("--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["conforms"] else 1)
    ws = Workspace.discover()
    assert {ws.relative(p) for p in ws.data_files()} <= set(data["files"])
    assert data["checks"]
