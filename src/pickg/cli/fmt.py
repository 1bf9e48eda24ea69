"""``pickg fmt``: rewrite the Turtle files in their canonical form."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import files_argument, input_format_option, lang_option
from pickg.graph.canonical import canonical_turtle, format_file
from pickg.graph.errors import InputError
from pickg.graph.messages import translate
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace

__all__ = ["command"]


@click.command("fmt")
@click.option("--check", is_flag=True, help="Change nothing; list the files that differ and exit 1.")
@lang_option
@files_argument
@input_format_option
@click.pass_context
def command(ctx: click.Context, check: bool, lang: str, files: tuple[Path, ...]) -> None:
    """Rewrite Turtle files in canonical form (sorted, stable, project prefixes).

    By default every .ttl file under ontology/ and data/; or the FILES given. Prints
    the files that changed (or, with --check, that would change). Comments are not
    kept: write remarks as skos:editorialNote.

    - alone reads data from standard input (in the --input-format, Turtle by default)
    and prints its canonical Turtle on standard output; with --check it prints
    nothing and exits 1 when the data is not in canonical form.
    """
    if any(str(path) == "-" for path in files):
        if len(files) > 1:
            raise InputError("pickg fmt - reads standard input alone; give - without other files")
        text = canonical_turtle(parse_file(files[0]))
        if check:
            from pickg.graph.inputs import standard_input

            if standard_input().decode("utf-8").removeprefix("\ufeff") != text:
                click.echo(translate(lang, "cli.not_canonical_stdin"), err=True)
                ctx.exit(1)
            return
        click.echo(text, nl=False)
        return
    workspace = Workspace.discover()
    targets = list(files) or workspace.turtle_files()
    differing = [path for path in targets if format_file(path, check=check)]
    for path in differing:
        click.echo(workspace.relative(path))
    if check and differing:
        click.echo(translate(lang, "cli.not_canonical", n=len(differing), total=len(targets)), err=True)
        ctx.exit(1)
