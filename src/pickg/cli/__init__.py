"""The ``pickg`` command line: parse options, call one library function, render.

Commands live in one module each (``pickg/cli/<name>.py``, exporting ``command``) and
are listed in :data:`COMMANDS`. A module is imported only when its command runs, so
``pickg --help`` stays fast and command modules never import each other.

Exit codes: 0 ok, 1 non-conforming data or failed check, 2 bad input or usage.
"""

from __future__ import annotations

import logging
import warnings
from importlib import import_module
from typing import Any

import click

from pickg import __version__
from pickg.graph.errors import PickgError

__all__ = ["COMMANDS", "PickgGroup", "main", "report_error"]

#: Every command: name → "module:attribute". To add one, write ``cli/<name>.py``
#: defining ``command`` (a click command or group) and add one line here.
COMMANDS: dict[str, str] = {
    "stats": "pickg.cli.stats:command",
    "validate": "pickg.cli.validate:command",
    "fmt": "pickg.cli.fmt:command",
    "query": "pickg.cli.query:command",
    "sparql": "pickg.cli.sparql:command",
    "synth": "pickg.cli.synth:command",
    "serve": "pickg.cli.serve:command",
    "push": "pickg.cli.push:command",
    "publish": "pickg.cli.publish:command",
    "run": "pickg.cli.run:command",
    "sheet": "pickg.cli.sheet:command",
    "site": "pickg.cli.site:command",
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

    def __init__(self, *args: Any, lazy_commands: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.lazy_commands) | set(super().list_commands(ctx)))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = self.lazy_commands.get(cmd_name)
        if spec is None:
            return super().get_command(ctx, cmd_name)
        module_name, _, attribute = spec.partition(":")
        command = getattr(import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{spec} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a ``PickgError`` becomes a message and its exit code."""
        try:
            return super().invoke(ctx)
        except PickgError as error:
            report_error(error)
            ctx.exit(error.exit_code)


@click.group(
    cls=PickgGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, "--version", "-V", prog_name="pickg", message="%(prog)s %(version)s")
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
