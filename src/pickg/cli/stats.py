"""``pickg stats``: how many resources per class and per source, and in total."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from pickg.cli.options import files_argument, format_option, lang_option, store_option
from pickg.namespaces import compact_iri
from pickg.rdfio import workspace_files
from pickg.stats import Count, GraphStats, compute_stats

__all__ = ["command"]


def _count_table(title: str, heading: str, rows: tuple[Count, ...]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(heading, overflow="fold")
    table.add_column("label", overflow="fold")
    table.add_column("count", justify="right")
    for row in rows:
        table.add_row(compact_iri(row.iri), row.label or "", str(row.count))
    return table


def _render_tables(stats: GraphStats, console: Console) -> None:
    console.print(_count_table("Instances per class", "class", stats.classes))
    console.print(_count_table("Resources per source", "source", stats.sources))
    totals = Table(title="Totals", title_justify="left")
    totals.add_column("what")
    totals.add_column("count", justify="right")
    totals.add_row("triples", str(stats.triples))
    totals.add_row("subjects", str(stats.subjects))
    totals.add_row("typed resources", str(stats.typed_resources))
    totals.add_row("resources with a source", str(stats.sourced_resources))
    totals.add_row("classes", str(len(stats.classes)))
    totals.add_row("sources", str(len(stats.sources)))
    console.print(totals)


@click.command("stats")
@files_argument
@lang_option
@format_option("table", "json")
@store_option
def command(files: tuple[Path, ...], lang: str, output_format: str, store: object) -> None:
    """Count instances per class, resources per source, and triples.

    Reads the ontology, vocabularies and data of the workspace, or the FILES given
    (with the ontology and vocabularies).
    """
    from pickg.store import open_store

    with open_store(store, workspace_files(files or None)) as opened:  # type: ignore[arg-type]
        stats = compute_stats(opened.to_rdflib(), lang=lang)
    if output_format == "json":
        click.echo(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
    else:
        _render_tables(stats, Console())
