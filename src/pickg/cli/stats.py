"""``pickg stats``: how many resources per class and per source, and in total."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console

from pickg.cli.options import files_argument, format_option, input_format_option, lang_option, store_option
from pickg.cli.render import render_stats
from pickg.graph.rdfio import workspace_files
from pickg.graph.storespec import StoreSpec
from pickg.queries.stats import compute_stats

__all__ = ["command"]


@click.command("stats")
@files_argument
@input_format_option
@lang_option
@format_option("table", "json")
@store_option
def command(files: tuple[Path, ...], lang: str, output_format: str, store: StoreSpec) -> None:
    """Count instances per class, resources per source, and triples.

    Reads the ontology, vocabularies and data of the workspace, or the FILES given
    (with the ontology and vocabularies); - reads data from standard input, in the
    --input-format (Turtle by default).
    """
    from pickg.graph.store import open_store

    with open_store(store, workspace_files(files or None)) as opened:
        stats = compute_stats(opened, lang=lang)
    if output_format == "json":
        click.echo(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
    else:
        render_stats(stats, Console(), lang)
