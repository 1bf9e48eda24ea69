"""``pickg stats``: counts on the shipped graph, clean errors on broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from pickg.cli import main
from pickg.graph.messages import format_number
from pickg.graph.workspace import Workspace
from tests.support.runs import run_pickg


@pytest.mark.parametrize(
    ("lang", "titles"),
    [("en", ("Instances per class", "Resources per source", "Totals")), ("fr", ("Instances par classe", "Totaux"))],
)
def test_stats_prints_counts_in_the_language_asked_for(graph: Graph, lang: str, titles: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, ["stats", "--lang", lang])
    assert result.exit_code == 0, result.output
    for title in titles:
        assert title in result.stdout
    assert format_number(len(graph), lang) in result.stdout  # 7,487 or 7 487


def test_stats_as_json(graph: Graph) -> None:
    result = CliRunner().invoke(main, ["stats", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["triples"] == len(graph)
    assert {"classes", "sources", "subjects"} <= set(counts)


@pytest.mark.system
def test_stats_on_a_malformed_file_exits_2_naming_file_and_line(workspace_copy: Workspace) -> None:
    bad = workspace_copy.data_dir / "zz-broken.ttl"
    bad.write_text(
        "@prefix pic: <https://w3id.org/pickg/ontology#> .\n\npic:a pic:b pic:c pic:d .\n",
        encoding="utf-8",
    )
    result = run_pickg("stats", env={"PICKG_HOME": str(workspace_copy.root)})
    assert result.returncode == 2
    assert f"{bad}:3:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("Error: ")
    assert result.stderr.strip().count("\n") == 0  # one paragraph


@pytest.mark.system
def test_stats_on_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_pickg("stats", str(tmp_path / "absent.ttl"))
    assert result.returncode == 2
    assert "absent.ttl" in result.stderr and "no such file" in result.stderr
    assert "Traceback" not in result.stderr
