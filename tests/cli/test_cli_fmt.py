"""``pickg fmt``: rewrite to canonical form, or list what differs with --check."""

from __future__ import annotations

from click.testing import CliRunner

from pickg.cli import main
from pickg.graph.workspace import Workspace


def test_fmt_check_then_fmt(workspace_copy: Workspace) -> None:
    messy = workspace_copy.data_dir / "zz-messy.ttl"
    messy.write_text(
        "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:b a pic:B .   pic:a a pic:A .\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    check = runner.invoke(main, ["fmt", "--check", str(messy)])
    assert check.exit_code == 1
    assert "zz-messy.ttl" in check.stdout
    assert messy.read_text(encoding="utf-8").startswith("@prefix")

    fixed = runner.invoke(main, ["fmt", str(messy)])
    assert fixed.exit_code == 0, fixed.output
    assert "data/zz-messy.ttl" in fixed.stdout
    assert messy.read_text(encoding="utf-8").startswith("PREFIX pic:")

    again = runner.invoke(main, ["fmt", "--check", str(messy)])
    assert again.exit_code == 0
    assert again.stdout == ""


def test_fmt_whole_workspace_is_idempotent(workspace_copy: Workspace) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["fmt"]).exit_code == 0
    result = runner.invoke(main, ["fmt", "--check"])
    assert result.exit_code == 0, result.output
