"""``pickg --help`` lists every command without importing one, nor rdflib or the validation."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pickg.cli import COMMANDS, main

#: Modules ``pickg --help`` must not load: what the commands need, not the listing.
HEAVY = (
    "rdflib",
    "pyoxigraph",
    "pyshacl",
    "yaml",
    "jinja2",
    "rich",
    "pickg.validation",
    "pickg.queries",
    "pickg.release",
    "pickg.endpoints",
    "pickg.site",
    "pickg.sheets",
    "pickg.synth",
    "pickg.graph.rdfio",
    "pickg.graph.store",
    *(lazy.target.partition(":")[0] for lazy in COMMANDS.values()),
)

#: Runs ``pickg --help`` as the command does, then writes the names of the loaded modules.
SCRIPT = """
import json, sys
from pickg.cli import main
try:
    main(["--help"], prog_name="pickg")
except SystemExit as exit:
    code = exit.code
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"code": code, "modules": sorted(sys.modules)}, out)
"""


@pytest.mark.system
def test_help_loads_no_command_nor_rdflib(tmp_path: Path) -> None:
    found = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(found)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stderr == ""
    assert "Commands:" in done.stdout and "validate  Validate the data" in done.stdout
    outcome = json.loads(found.read_text(encoding="utf-8"))
    assert outcome["code"] == 0
    heavy = [name for name in outcome["modules"] if any(name == h or name.startswith(h + ".") for h in HEAVY)]
    assert heavy == []
    assert "pickg.cli" in outcome["modules"]  # the check saw the process that printed the help


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_its_help(name: str) -> None:
    module, _, attribute = COMMANDS[name].target.partition(":")
    command = getattr(import_module(module), attribute)
    assert isinstance(command, click.Command) and command.help is not None
    assert COMMANDS[name].summary == " ".join(command.help.split("\n\n")[0].split())


def test_help_lists_what_the_commands_say_of_themselves() -> None:
    """The listing from the summaries is the one click writes from the imported commands."""
    imported = click.Group("pickg")
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert command is not None
        imported.add_command(command, name)
    lazy = CliRunner().invoke(main, ["--help"]).output
    eager = CliRunner().invoke(imported, ["--help"]).output
    assert lazy.split("Commands:")[1] == eager.split("Commands:")[1]
