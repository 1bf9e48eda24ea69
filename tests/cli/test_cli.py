"""The command group: version, help, every registered command resolves."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

import pickg
from pickg.cli import COMMANDS, main
from tests.support.runs import run_pickg


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"pickg {pickg.__version__}"


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_resolves(name: str) -> None:
    command = main.get_command(click.Context(main), name)
    assert isinstance(command, click.Command)
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.system
def test_usage_error_exits_2() -> None:
    result = run_pickg("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


@pytest.mark.system
def test_bad_pickg_home_is_a_clean_error(tmp_path) -> None:
    result = run_pickg("stats", env={"PICKG_HOME": str(tmp_path / "missing")})
    assert result.returncode == 2
    assert "PICKG_HOME" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
