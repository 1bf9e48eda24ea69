"""``pickg fmt``: rewrite the Turtle files in their canonical form."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import files_argument
from pickg.graph.rdfio import format_file
from pickg.graph.workspace import Workspace

__all__ = ["command"]


@click.command("fmt")
@click.option("--check", is_flag=True, help="Change nothing; list the files that differ and exit 1.")
@files_argument
@click.pass_context
def command(ctx: click.Context, check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite Turtle files in canonical form (sorted, stable, project prefixes).

    By default every .ttl file under ontology/ and data/; or the FILES given. Prints
    the files that changed (or, with --check, that would change). Comments are not
    kept: write remarks as skos:editorialNote.
    """
    workspace = Workspace.discover()
    targets = list(files) or workspace.turtle_files()
    differing = [path for path in targets if format_file(path, check=check)]
    for path in differing:
        click.echo(workspace.relative(path))
    if check and differing:
        click.echo(
            f"{len(differing)} of {len(targets)} files are not in canonical form; "
            "run `pickg fmt` (or `make fmt`) to rewrite them.",
            err=True,
        )
        ctx.exit(1)
