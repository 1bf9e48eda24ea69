"""Renderings shared by commands: validation reports, query result tables, statistics.

Command modules never import each other; what two of them print lives here.
"""

from __future__ import annotations

import os
from itertools import groupby

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from pickg.graph.messages import format_number, translate
from pickg.graph.namespaces import compact_iri
from pickg.queries.catalogue import Query
from pickg.queries.results import Result
from pickg.queries.stats import Count, GraphStats
from pickg.validation.report import Report, ValidationResult, term_text

__all__ = ["query_console", "render_result_table", "render_stats", "render_text"]

_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
_MARK = {"Violation": "✗", "Warning": "!", "Info": "i"}
_COUNTS = {"Violation": "cli.violations", "Warning": "cli.warnings", "Info": "cli.infos"}


def _count(lang: str, severity: str, n: int) -> str:
    """``17 warnings``, « 0 violation »: the plural form of the language's catalogue."""
    return translate(lang, _COUNTS[severity], n=n)


def _indent(renderable: Text, width: int, console: Console) -> Padding | Text:
    """Indent by ``width``: wrapped lines keep the indent on a terminal; a pipe gets whole lines."""
    if console.is_terminal:
        return Padding(renderable, (0, 0, 0, width), expand=False)
    return Text(" " * width) + renderable


def _result_lines(result: ValidationResult, lang: str, console: Console, value: bool = True) -> list[Padding | Text]:
    """The result's line (severity, shape, path, value) and its message, indented."""
    line = Text()
    severity = translate(lang, f"cli.{result.severity}")
    line.append(f"{_MARK.get(result.severity, '?')} {severity}", style=_STYLE.get(result.severity))
    line.append(f"  {result.source_name}", style="bold")
    if result.path is not None:
        line.append(f"  {term_text(result.path)}")
    if value and result.value is not None:
        line.append(f"  {translate(lang, 'cli.value')} {term_text(result.value)}", style="magenta")
    return [_indent(line, 4, console), _indent(Text(result.message(lang)), 6, console)]


def _finding(result: ValidationResult, lang: str) -> tuple[object, ...]:
    """What makes two results the same finding: severity, shape or check, path and message."""
    return (result.severity, result.source_name, result.path, result.message(lang))


def _focus_line(result: ValidationResult, style: str | None = "bold") -> Text:
    """Where the focus node is described (``data/x.ttl:12``, when known), then the node."""
    line = Text(f"{result.place}  ", style="dim") if result.place else Text()
    line.append(term_text(result.focus_node), style=style)
    return line


def _print_by_focus(results: list[ValidationResult], lang: str, console: Console) -> None:
    """Each focus node, where it is described, then every result about it."""
    for _, about in groupby(results, key=lambda r: r.focus_node):
        found = list(about)
        head = _focus_line(found[0])
        if found[0].focus_label:
            head.append(f" — {found[0].focus_label}", style="dim")
        console.print(_indent(head, 2, console))
        for result in found:
            for part in _result_lines(result, lang, console):
                console.print(part)


def _print_grouped(results: list[ValidationResult], lang: str, console: Console) -> None:
    """One finding once, with the count and list of its focus nodes, one a line, each
    after the place that describes it; a finding about one resource only is printed as
    :func:`_print_by_focus` prints it, in the same place."""
    groups: dict[tuple[object, ...], list[ValidationResult]] = {}
    for result in results:
        groups.setdefault(_finding(result, lang), []).append(result)
    singles: list[ValidationResult] = []
    for result in results:
        group = groups[_finding(result, lang)]
        if len({r.focus_node for r in group}) == 1:  # one resource, perhaps with several values
            singles.append(result)
            continue
        if result is not group[0]:
            continue
        _print_by_focus(singles, lang, console)
        singles = []
        firsts = list({r.focus_node: r for r in reversed(group)}.values())[::-1]  # one per node, in order
        head = Text(translate(lang, "cli.resources", n=len(firsts)), style="bold")
        head.append(f" {translate(lang, 'cli.each')}", style="dim")
        console.print(_indent(head, 2, console))
        same_value = len({r.value for r in group}) == 1
        for part in _result_lines(group[0], lang, console, value=same_value):
            console.print(part)
        for first in firsts:
            console.print(_indent(_focus_line(first, style=None), 6, console))
    _print_by_focus(singles, lang, console)


def render_text(
    report: Report, console: Console, lang: str = "fr", strict: bool = False, verbose: bool = False
) -> None:
    """Print ``report`` grouped by file, then by finding (or by focus node with ``verbose``),
    then a one-line summary.

    Without ``verbose``, the results that share their severity, shape (or check), path
    and message are one finding, printed once with the list of its focus nodes (the
    17 neighbourhoods whose Phase-2 support tier is unknown); with it, every result is
    printed under its focus node.
    """
    for file, in_file in groupby(report.results, key=lambda r: r.file):
        console.print(Text(file or translate(lang, "cli.no_file"), style="bold underline"))
        if verbose:
            _print_by_focus(list(in_file), lang, console)
        else:
            _print_grouped(list(in_file), lang, console)
        console.print()
    counts = ", ".join(
        _count(lang, severity, len(report.of_severity(severity))) for severity in ("Violation", "Warning")
    )
    failed = not report.conforms or (strict and bool(report.results))
    verdict = translate(lang, "cli.fails" if failed else "cli.conforms")
    if report.conforms and failed:
        verdict += f" ({translate(lang, 'cli.strict')})"
    summary = translate(
        lang,
        "cli.summary",
        verdict=verdict,
        counts=counts,
        files=translate(lang, "cli.files", n=len(report.files)),
        checks=translate(lang, "cli.checks", n=len(report.checks)),
        inference=report.inference,
    )
    console.print(Text(summary, style="bold red" if failed else "bold green"))


def query_console() -> Console:
    """No highlighting (cells are data, not markup); 140 columns when not on a terminal
    and COLUMNS is unset, so tables read well in logs and pipes."""
    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console = Console(highlight=False, width=140)
    return console


def render_result_table(query: Query, result: Result, lang: str) -> None:
    """Print ``result`` as a table titled with the query's name and summary, then its row count."""
    headers, rows = result.display()
    table = Table(title=f"{query.name} — {query.summary_in(lang)}", title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for cells in rows:
        table.add_row(*(cell.replace("; ", "\n") for cell in cells))  # one list item per line
    console = query_console()
    console.print(table)
    console.print(translate(lang, "cli.rows", n=len(result)))


def _count_table(title: str, heading: str, rows: tuple[Count, ...], lang: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(heading, overflow="fold")
    table.add_column(translate(lang, "cli.stats_label"), overflow="fold")
    table.add_column(translate(lang, "cli.stats_count"), justify="right")
    for row in rows:
        table.add_row(compact_iri(row.iri), row.label or "", format_number(row.count, lang))
    return table


def render_stats(stats: GraphStats, console: Console, lang: str) -> None:
    """Print the counts per class, per source, and the totals, in ``lang``."""

    def word(key: str) -> str:
        return translate(lang, f"cli.stats_{key}")

    console.print(_count_table(word("classes"), word("class"), stats.classes, lang))
    console.print(_count_table(word("sources"), word("source"), stats.sources, lang))
    totals = Table(title=word("totals"), title_justify="left")
    totals.add_column(word("what"))
    totals.add_column(word("count"), justify="right")
    for key, count in (
        ("triples", stats.triples),
        ("subjects", stats.subjects),
        ("typed", stats.typed_resources),
        ("sourced", stats.sourced_resources),
        ("nclasses", len(stats.classes)),
        ("nsources", len(stats.sources)),
    ):
        totals.add_row(word(key), format_number(count, lang))
    console.print(totals)
