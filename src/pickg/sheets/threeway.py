"""The three-way comparison of an import: each row as exported, as the workbook has it, as data/ has it now.

See :mod:`pickg.sheets.origin` for what an export carries. :func:`reconcile` marks the
rows the workbook left as exported (they change nothing, whatever data/ holds now),
lists the conflicts (a row both changed, each differing cell with both values), and
says which rows absent from the workbook it may remove.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node

from pickg.graph.labels import preferred_label
from pickg.graph.messages import translate
from pickg.graph.namespaces import compact_iri
from pickg.sheets.cells import Choices, cell_value, value_key
from pickg.sheets.facts import resources_by_sheet, shown_values
from pickg.sheets.layout import Column, Layout, SheetLayout
from pickg.sheets.origin import Origin, row_digest
from pickg.sheets.reading import Problem, ReadSheet, Row

__all__ = ["Record", "RowSource", "reconcile", "shown_texts"]


@dataclass
class Record:
    """One row of the workbook: its resource, whether it is new, and its cells read as terms."""

    sheet: ReadSheet
    row: Row
    subject: URIRef
    new: bool
    values: dict[str, list[Node]] = field(default_factory=dict)
    #: the workbook left the row as exported (it changes nothing), or the row's
    #: resource was deleted from data/ since the export
    kept: bool = False
    gone: bool = False


class RowSource(Protocol):
    """What :func:`reconcile` reads: the rows of the workbook and the graph they go into."""

    origin: Origin
    graph: Graph
    layout: Layout
    lang: str
    choices: Choices
    records: list[Record]


def shown_texts(choices: Choices, column: Column, sheet: SheetLayout, values: list[Node]) -> tuple[str, ...]:
    shown = cell_value(column, sheet, sorted(values, key=str), choices)
    if shown is None:
        return ()
    return tuple(str(shown).split("\n")) if not column.one_per_cell else (str(shown),)


def reconcile(reader: RowSource, state: str) -> tuple[list[Problem], set[URIRef]]:
    """The three-way comparison of every row: as exported, as the workbook has it, as data/ has it.

    Marks the rows the workbook left as exported (they change nothing); returns the
    conflicts, and the resources absent from the workbook that it may remove (those it
    was exported with and that data/ has not changed since: a row added since the export
    is not the workbook's to remove).
    """
    origin, graph, lang = reader.origin, reader.graph, reader.lang
    same_state = origin.state == state
    conflicts: list[Problem] = []

    def now_digest(sheet: SheetLayout, subject: URIRef) -> str | None:
        return None if same_state else row_digest(shown_values(graph, sheet, subject))

    for record in reader.records:
        if record.new or record.kept:  # kept: read as exported already (the reader's digest)
            continue
        identifier = compact_iri(str(record.subject))
        base = origin.rows.get(identifier)
        if base is None:
            continue  # a row the export did not hold: the workbook's values are written
        sheet = record.sheet.layout
        mine = row_digest({c.key: record.values.get(c.key, []) for c in sheet.columns if c.predicate is not None})
        label = str(record.row.cells.get("rdfs:label@fr") or "").strip() or identifier
        if mine == base:
            record.kept = True
            continue
        if record.gone:
            conflicts.append(Problem(record.row.where(record.sheet, "id"), "conflict_gone", {"label": label}))
            continue
        now = now_digest(sheet, record.subject)
        if now is None or now in (base, mine):
            continue
        theirs = shown_values(graph, sheet, record.subject)
        for column in sheet.columns:
            if column.predicate is None:
                continue
            wb, dt = record.values.get(column.key, []), theirs.get(column.key, [])
            if {value_key(v) for v in wb} == {value_key(v) for v in dt}:
                continue
            empty = translate(lang, "problems.empty_cell")
            conflicts.append(
                Problem(
                    record.row.where(record.sheet, column.key),
                    "conflict",
                    {
                        "label": label,
                        "column": column.headers,
                        "mine": " ; ".join(shown_texts(reader.choices, column, sheet, wb)) or empty,
                        "theirs": " ; ".join(shown_texts(reader.choices, column, sheet, dt)) or empty,
                    },
                )
            )
    removable: set[URIRef] = set()
    in_sheet = {r.subject for r in reader.records}
    members = resources_by_sheet(reader.layout, graph)
    for sheet in reader.layout.sheets:
        for subject in members[sheet.key]:
            base = origin.rows.get(compact_iri(str(subject)))
            if subject in in_sheet or base is None:
                continue
            if now_digest(sheet, subject) in (None, base):
                removable.add(subject)
                continue
            label = preferred_label(graph, subject, "fr") or compact_iri(str(subject))
            conflicts.append(Problem(sheet.names[lang], "conflict_deleted", {"label": label}))
    return conflicts, removable
