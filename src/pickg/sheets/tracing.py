"""Where the review of an import points a steward: the cell a validation result goes in,
the rows that still name a deleted one, the English cells a new row leaves empty.

Each finding names the sheet, the cell and the row as the workbook shows them
(:class:`pickg.sheets.reading.Row`'s ``where``), never an IRI.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.labels import preferred_label
from pickg.graph.namespaces import RDF
from pickg.sheets.cells import clean_text
from pickg.sheets.facts import sheet_of
from pickg.sheets.layout import Column
from pickg.sheets.reading import Problem
from pickg.sheets.review import Triple
from pickg.sheets.threeway import Record, RowSource
from pickg.sheets.translations import missing_english
from pickg.validation.report import ValidationResult

__all__ = ["RowsRead", "local_name", "no_english", "row_name", "still_named", "trace"]


class RowsRead(RowSource, Protocol):
    """The rows of a workbook once read, each cell's terms read again on demand."""

    def cell_values(self, record: Record, key: str) -> list[Node]: ...


def local_name(term: Node) -> str:
    text = str(term)
    return text[max(text.rfind("/"), text.rfind("#")) + 1 :]


def row_name(record: Record) -> str:
    """The row's name as its sheet shows it."""
    return clean_text(str(record.row.cells.get("rdfs:label@fr") or ""), one_line=True) or local_name(record.subject)


def trace(result: ValidationResult, reader: RowsRead) -> tuple[str, Column | None, str]:
    """Where a validation result goes in the workbook: the cell, its column, the row's name.

    A result about an ``rdf:Statement`` (the provenance of one triple) points at the cell
    of the triple it describes; a result whose value goes in another sheet (the mapping's
    ``[[point]]`` entries: a neighbourhood's missing support tier goes in its
    participation's row) points at that cell; one about a resource no sheet holds names
    its file.
    """
    focus, path, value = result.focus_node, result.path, result.value
    subject = reader.graph.value(focus, RDF.subject)
    predicate = reader.graph.value(focus, RDF.predicate)
    if (focus, RDF.type, RDF.Statement) in reader.graph and subject is not None:
        focus, path, value = subject, predicate, None
    for point in reader.layout.points:
        if point.shape != result.source_name:
            continue
        for record in reader.records:
            if record.sheet.layout.key != point.sheet:
                continue
            if focus in reader.cell_values(record, point.focus) and (
                point.value is None or value in reader.cell_values(record, point.value)
            ):
                column = record.sheet.layout.column(point.column)
                return record.row.where(record.sheet, point.column), column, row_name(record)
    for record in reader.records:
        if record.subject != focus:
            continue
        sheet = record.sheet.layout
        columns = [c for c in sheet.columns if c.predicate is not None and c.predicate == path]
        column = next((c for c in columns if value is None or c.carries(value)), columns[0] if columns else None)
        if column is not None:
            return record.row.where(record.sheet, column.key), column, row_name(record)
        return record.row.where(record.sheet, "rdfs:label@fr" if record.new else "id"), None, row_name(record)
    label = preferred_label(reader.graph, result.focus_node, "fr") or local_name(result.focus_node)
    return result.file or label, None, label


def still_named(reader: RowsRead, removed: set[Triple]) -> list[Problem]:
    """One problem per deleted row that rows of the workbook still name, listing them."""
    gone = {s for s, p, _ in removed if p == RDF.type}
    naming: dict[URIRef, list[str]] = defaultdict(list)
    for record in reader.records if gone else ():
        if record.gone:
            continue
        for column in record.sheet.layout.columns:
            if column.kind != "ref":
                continue
            for value in reader.cell_values(record, column.key):
                if isinstance(value, URIRef) and value in gone:
                    naming[value].append(f"{record.row.where(record.sheet, column.key)} (« {row_name(record)} »)")
    problems = []
    for subject, rows in naming.items():
        sheet = sheet_of(reader.layout, reader.graph, subject)
        label = preferred_label(reader.graph, subject, "fr") or local_name(subject)
        where = sheet.names[reader.lang] if sheet is not None else label
        problems.append(Problem(where, "still_named", {"label": label, "rows": ", ".join(rows)}))
    return problems


def no_english(reader: RowsRead) -> list[Problem]:
    """A warning at each English cell a new row leaves empty beside its French text,
    where the mapping recommends one (``english_recommended``)."""
    problems = []
    for record in reader.records:
        if not record.new:
            continue
        for column in record.sheet.layout.columns:
            if column.translates is None or column.required != "recommended":
                continue
            if record.values.get(column.translates) and not record.values.get(column.key):
                problems.append(missing_english(column, record.row.where(record.sheet, column.key), row_name(record)))
    return problems
