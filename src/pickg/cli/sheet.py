"""``pickg sheet export | import``: the stewards' workbook (XLSX or a CSV folder)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from pickg.cli.options import lang_option
from pickg.graph.messages import translate
from pickg.sheets import SheetImport, export_workbook, import_workbook

__all__ = ["command"]


@click.group("sheet")
def command() -> None:
    """Edit the graph in a spreadsheet: export the workbook, import it back."""


@command.command("export")
@click.argument("out", type=click.Path(path_type=Path))
@lang_option
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Write the CSV folder form (one file per sheet) even if OUT ends in .xlsx.",
)
def export_command(out: Path, lang: str, as_csv: bool) -> None:
    """Write the workbook to OUT: an .xlsx file, or a folder of CSV files.

    One sheet per kind of record, columns from the shapes, bilingual headers and a help
    row, drop-down lists from the vocabularies and the resources that exist, and every
    current fact filled in.
    """
    summary = export_workbook(out, lang=lang, form="csv" if as_csv else None)
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    click.echo(f"{summary.path} ({summary.form}, {lang}): {rows}")


def _render(outcome: SheetImport, console: Console, verbose: bool) -> None:
    """The review on the terminal: one block per resource, the notices, the validation
    results, and the verdict last. ``verbose`` adds identifiers, shapes and the shapes' own messages."""
    lang = outcome.lang
    if not outcome.changes:
        console.print(translate(lang, "review.nothing"))
    marks = {"added": "[green]+[/green]", "changed": "[yellow]~[/yellow]", "removed": "[red]-[/red]"}
    current = None
    for change in outcome.changes:
        if (change.kind, change.resource) != current:
            current = (change.kind, change.resource)
            where = change.sheet if change.kind == "removed" else change.where
            resource = f" ({change.resource})" if verbose else ""
            console.print(f"{marks[change.kind]} {escape(change.label)}{resource} [dim]{escape(where)}[/dim]")
        if change.kind == "removed":
            continue
        before = escape(" | ".join(change.before)) or "∅"
        after = escape(" | ".join(change.after)) or "∅"
        shown = after if change.kind == "added" else f"{before} → {after}"
        console.print(f"    {escape(change.property)} [dim]{escape(change.where)}[/dim]: {shown}")
    if outcome.changes:
        added = translate(lang, "sheets.triples_added", n=len(outcome.added))
        removed = translate(lang, "sheets.triples_removed", n=len(outcome.removed))
        console.print(translate(lang, "cli.sheet_changes", added=added, removed=removed))
    for notice in outcome.notices:
        console.print(f"[cyan]{escape(notice.where)}[/cyan] {escape(notice.message(lang))}")
    for result in outcome.results:
        style = "red" if result.severity == "Violation" else "yellow"
        line = translate(
            lang, "cli.sheet_result", severity=translate(lang, f"cli.{result.severity}"), message=result.message
        )
        console.print(f"[{style}]{escape(result.where)}[/{style}] {escape(line)}")
        if verbose:
            detail = f"{result.shape} · {result.resource} · {result.messages.get(lang, '')}"
            console.print(f"    [dim]{escape(detail)}[/dim]")
    console.print(translate(lang, "review.conforms" if outcome.conforms else "review.not_conforms"))


@command.command("import")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--write", is_flag=True, help="Write the changes into data/ (only when everything conforms).")
@click.option(
    "--restore",
    is_flag=True,
    help="Put back the rows deleted from data/ since this workbook's export (undo a deletion).",
)
@click.option(
    "--markdown",
    "markdown",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the review as Markdown to this file ('-' for standard output).",
)
@lang_option
@click.option("-v", "--verbose", is_flag=True, help="Also show identifiers, the shapes' names and their own messages.")
@click.pass_context
def import_command(
    ctx: click.Context, workbook: Path, write: bool, restore: bool, markdown: Path | None, lang: str, verbose: bool
) -> None:
    """Review a workbook (.xlsx or CSV folder) against the graph; with --write, apply it.

    Exit codes: 0 the result conforms (and was written with --write), 1 it does not
    conform (nothing written), 2 the workbook cannot be read (every cell at fault named).
    """
    outcome = import_workbook(workbook, write=write, restore=restore, lang=lang)
    if markdown is not None and str(markdown) == "-":
        click.echo(outcome.markdown(), nl=False)
    else:
        _render(outcome, Console(), verbose)
        if markdown is not None:
            markdown.write_text(outcome.markdown(), encoding="utf-8")
    for relative in outcome.written:
        click.echo(translate(lang, "cli.wrote", path=relative), err=True)
    if not outcome.conforms:
        click.echo(translate(lang, "cli.not_written"), err=True)
        ctx.exit(1)
