"""The ``pickg`` command line: parse options, call one library function, render.

Commands live in one module each (``pickg/cli/<name>.py``, exporting ``command``) and
are listed in :data:`COMMANDS` with their one-line summary. A module is imported only
when its command runs; ``pickg --help`` lists the summaries and imports none, so it
loads neither rdflib nor the validation (``tests/cli/test_help.py`` checks both).

Exit codes: 0 ok, 1 non-conforming data or failed check, 2 bad input or usage.
"""

from __future__ import annotations

import logging
import warnings
from importlib import import_module
from typing import Any, NamedTuple

import click

from pickg.graph.errors import PickgError

__all__ = ["COMMANDS", "LazyCommand", "PickgGroup", "main", "report_error", "show_version"]


class LazyCommand(NamedTuple):
    """A command imported when it runs: where it is, and what ``pickg --help`` says of it."""

    #: ``module:attribute`` of the click command.
    target: str
    #: the first paragraph of the command's help (a test keeps the two equal).
    summary: str


#: Every command. To add one, write ``cli/<name>.py`` defining ``command`` (a click
#: command or group) and add one line here.
COMMANDS: dict[str, LazyCommand] = {
    "stats": LazyCommand("pickg.cli.stats:command", "Count instances per class, resources per source, and triples."),
    "validate": LazyCommand(
        "pickg.cli.validate:command", "Validate the data against the SHACL shapes and the data checks."
    ),
    "fmt": LazyCommand(
        "pickg.cli.fmt:command", "Rewrite Turtle files in canonical form (sorted, stable, project prefixes)."
    ),
    "query": LazyCommand("pickg.cli.query:command", "The catalogue of SPARQL queries: list them, show one, run one."),
    "sparql": LazyCommand(
        "pickg.cli.sparql:command", "Run a SPARQL query of your own: SELECT, ASK, CONSTRUCT or DESCRIBE."
    ),
    "synth": LazyCommand("pickg.cli.synth:command", "Write a synthetic graph of N neighbourhoods in the PIC model."),
    "serve": LazyCommand(
        "pickg.cli.serve:command", "Serve a release's website and SPARQL 1.1 endpoint, read-only, on one address."
    ),
    "push": LazyCommand("pickg.cli.push:command", "Replace a graph of a remote store with a release, in one request."),
    "publish": LazyCommand("pickg.cli.publish:command", "Build a versioned open-data release in OUT/VERSION/."),
    "run": LazyCommand(
        "pickg.cli.run:command", "Validate, show the headline tables and statistics, and publish: in one command."
    ),
    "sheet": LazyCommand(
        "pickg.cli.sheet:command", "Edit the graph in a spreadsheet: export the workbook, import it back."
    ),
    "site": LazyCommand("pickg.cli.site:command", "Build the website of the graph, in French and English, into OUT."),
}


def quiet_rdflib_literals() -> None:
    """Keep rdflib's own words about ill-typed literals off the terminal.

    rdflib logs a traceback (and warns) for every literal whose lexical form does not
    fit its datatype, such as ``"abc"^^xsd:decimal``. pickg reports those itself, as
    findings of ``pickg validate`` (``queries/checks/ill-typed-literal-violation.rq``)
    naming the file and the value, so rdflib's record goes nowhere.
    """
    logging.getLogger("rdflib.term").addHandler(logging.NullHandler())
    logging.getLogger("rdflib.term").propagate = False
    for words in ("Parsing weird boolean", "Serializing weird numerical"):
        warnings.filterwarnings("ignore", message=words, category=UserWarning)


def report_error(error: PickgError) -> None:
    """Print ``error`` as one paragraph on stderr (no traceback)."""
    click.echo(click.style("Error: ", fg="red", bold=True) + str(error), err=True)


class PickgGroup(click.Group):
    """A group that loads its commands from :data:`COMMANDS` and handles ``PickgError``."""

    def __init__(self, *args: Any, lazy_commands: dict[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.lazy_commands) | set(super().list_commands(ctx)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        lazy = self.lazy_commands.get(cmd_name)
        if lazy is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = lazy.target.partition(":")
        command = getattr(import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{lazy.target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as click writes it, from the summaries: no command is imported."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            lazy = self.lazy_commands.get(name)
            command = click.Command(name, help=lazy.summary) if lazy else super().get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a ``PickgError`` becomes a message and its exit code."""
        try:
            return super().invoke(ctx)
        except PickgError as error:
            report_error(error)
            ctx.exit(error.exit_code)


def show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version``: print ``pickg X.Y.Z`` and exit (the installed version, read only then)."""
    if value and not ctx.resilient_parsing:
        from pickg.graph.workspace import package_version

        click.echo(f"pickg {package_version()}")
        ctx.exit()


@click.group(
    cls=PickgGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=show_version,
    help="Show the version and exit.",
)
@click.option(
    "--max-input-size",
    metavar="SIZE",
    default=None,
    envvar="PICKG_MAX_INPUT_SIZE",
    help="The largest input file read, as 500M, 32G… [default: 16G, above ten million triples] "
    "(env PICKG_MAX_INPUT_SIZE).",
)
def main(max_input_size: str | None) -> None:
    """pickg: the knowledge graph of Montréal's Projet impact collectif (PIC).

    The ontology, the sourced data, SHACL validation and the SPARQL query catalogue.
    Set PICKG_HOME to work on another folder holding ontology/, data/ and queries/.
    """
    quiet_rdflib_literals()
    if max_input_size is not None:
        from pickg.graph.inputs import parse_size, set_max_input_bytes

        try:
            set_max_input_bytes(parse_size(max_input_size))
        except PickgError as error:
            raise click.BadParameter(str(error), param_hint="--max-input-size") from None
