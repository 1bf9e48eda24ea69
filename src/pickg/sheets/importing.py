"""``pickg sheet import``: a steward's workbook back into the graph, reviewed and validated.

The workbook is read (:mod:`pickg.sheets.reading`), every row becomes the resource of
its ``id`` cell (or, on a new row, a resource whose slug is made once from its name,
never renumbered, a collision refused), and every cell becomes the facts its column
carries (:mod:`pickg.sheets.cells`). The facts the sheets carry are then compared with
the graph's (:mod:`pickg.sheets.facts`): what the workbook adds, removes and changes is
the review. The graph with these changes is validated with the project's shapes and
checks, each problem traced back to its ``Sheet!Cell``. Only when the workbook reads
without a problem and the result conforms are the changed ``data/*.ttl`` files written,
in canonical form; facts no sheet carries are never touched.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from pickg.graph.labels import preferred_label
from pickg.graph.messages import LANGUAGES, reader_language, translate
from pickg.graph.namespaces import RDF, compact_iri, expand_curie, slugify
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import OxigraphStore, open_store
from pickg.graph.storeview import store_graph
from pickg.graph.terms import bounded_conversions, forget_converted
from pickg.graph.workspace import Workspace
from pickg.sheets.cells import CellProblem, Choices, Codec, value_key
from pickg.sheets.changes import validate_changes, write_changes
from pickg.sheets.facts import carried, resources_by_sheet, sheet_of
from pickg.sheets.layout import Layout, SheetLayout, load_layout
from pickg.sheets.origin import Origin, data_state, import_lock, origin_sheet, row_digest
from pickg.sheets.reading import Problem, ReadSheet, Row, WorkbookError, read_workbook
from pickg.sheets.review import CellResult, Change, Notice, SheetImport, Triple
from pickg.sheets.threeway import Record, reconcile, shown_texts
from pickg.sheets.tracing import local_name, no_english, row_name, still_named, trace
from pickg.sheets.translations import statement_changes
from pickg.sheets.wording import steward_message

__all__ = ["Change", "CellResult", "ConflictError", "SheetImport", "import_workbook"]


#: The converted terms kept while the rows are read (:func:`pickg.graph.terms.bounded_conversions`).
_TERMS_KEPT = 1 << 14


class ConflictError(WorkbookError):
    """Rows that the workbook and ``data/`` both changed since the export; nothing is written.

    :param problems: each conflict at its cell, with both values.
    """

    head_key = "problems.conflicts"


def _expand_id(text: str) -> URIRef | None:
    iri = expand_curie(text.strip())
    if iri is not None:
        return URIRef(iri)
    if text.strip().startswith(("http://", "https://")):
        return URIRef(text.strip())
    return None


class _Reader:
    """Turns the rows of the workbook into resources and their facts, collecting problems."""

    def __init__(self, layout: Layout, graph: Graph, lang: str, origin: Origin) -> None:
        self.origin = origin
        self.layout = layout
        self.graph = graph
        self.lang = lang
        self.choices = Choices(graph, lang)
        self.codec = Codec(self.choices)
        self.problems: list[Problem] = []
        self.records: list[Record] = []
        self.notices: list[Notice] = []
        self.taken: dict[URIRef, str] = {}
        self._kept_keys: dict[str, tuple[str, ...]] = {}

    def problem(self, where: str, key: str, **values: object) -> None:
        self.problems.append(Problem(where, key, values))

    def identify(self, sheets: list[ReadSheet]) -> None:
        """Give every row its resource: existing rows, new rows named by their label alone, then the rest."""
        pending: list[tuple[ReadSheet, Row]] = []
        for read in sheets:
            for row in read.rows:
                raw = row.cells.get("id")
                if raw is None or not str(raw).strip():
                    pending.append((read, row))
                    continue
                self._existing(read, row, str(raw))
        pending.sort(key=lambda item: item[0].layout.slug != ("label",))
        for read, row in pending:
            self._new(read, row)

    def _claim(self, subject: URIRef, where: str, label: object = None) -> bool:
        if subject in self.taken:
            name = str(label or "").strip() or preferred_label(self.graph, subject, "fr") or local_name(subject)
            self.problem(where, "taken", resource=name, row=self.taken[subject])
            return False
        self.taken[subject] = where
        return True

    def _existing(self, read: ReadSheet, row: Row, text: str) -> None:
        where = row.where(read, "id")
        sheet = read.layout
        subject = _expand_id(text)
        home = sheet_of(self.layout, self.graph, subject) if subject is not None else None
        if subject is not None and home is not None and home is not sheet:
            label = preferred_label(self.graph, subject, "fr") or local_name(subject)
            self.problem(where, "other_sheet", label=label, sheet=home.names)
            return
        if subject is not None and home is None and compact_iri(str(subject)) in self.origin.rows:
            if self._claim(subject, where):  # deleted from data/ since the export
                self.records.append(Record(read, row, subject, new=False, gone=True))
            return
        if subject is None or home is None:
            self.problem(where, "no_identifier", text=text)
            return
        if self._claim(subject, where):
            self.records.append(Record(read, row, subject, new=False))

    def _new(self, read: ReadSheet, row: Row) -> None:
        sheet = read.layout
        label_cell = row.where(read, "rdfs:label@fr")
        label = row.cells.get("rdfs:label@fr")
        parts = [sheet.slug_prefix] if sheet.slug_prefix else []
        for part in sheet.slug:
            if part == "label":
                parts.append(slugify(str(label or "")))
                continue
            column = sheet.column(part)
            assert column is not None  # load_layout checks that the slug names the sheet's columns
            raw = row.cells.get(part)
            try:
                values = self.codec.parse(column, sheet, raw)
            except CellProblem as problem:
                self.problem(row.where(read, part), problem.key, **problem.values)
                return
            if not values:
                self.problem(row.where(read, part), "needs_part", column=column.headers)
                return
            parts.append(local_name(values[0]))
        if not label or not slugify(str(label)):
            self.problem(label_cell, "needs_name")
            return
        subject = URIRef(sheet.base + "-".join(p for p in parts if p))
        if (subject, None, None) in self.graph or (None, None, subject) in self.graph:
            home = sheet_of(self.layout, self.graph, subject) or sheet
            self.problem(label_cell, "name_taken", label=str(label), sheet=home.names)
            return
        if not self._claim(subject, label_cell, label):
            return
        self.records.append(Record(read, row, subject, new=True))
        labels = [str(row.cells.get(k)) for k in ("rdfs:label@fr", "rdfs:label@en") if row.cells.get(k)]
        classes = sheet.classes if len(sheet.classes) == 1 else self._types(read, row)
        self.choices.add_resource(subject, classes, labels)

    def _types(self, read: ReadSheet, row: Row) -> tuple[URIRef, ...]:
        column = read.layout.column("rdf:type")
        assert column is not None  # a sheet of several classes has a type column (load_layout)
        try:
            terms = self.codec.parse(column, read.layout, row.cells.get("rdf:type"))
            return tuple(term for term in terms if isinstance(term, URIRef))
        except CellProblem:
            return ()

    def parse_cells(self) -> None:
        """Read every cell of every row into terms, with a notice at each text cleaned.

        A row the workbook left as exported (its digest is the export's,
        :func:`pickg.sheets.origin.row_digest`) is marked ``kept`` and its terms are
        not kept: it changes nothing, and :meth:`cell_values` reads a cell of it again
        where a result needs one (at 47,899 rows, about 50 MB fewer at the peak).
        """
        codec = self.codec
        for record in self.records:
            sheet = record.sheet.layout
            values: dict[str, list[Node]] = {}
            for column in sheet.columns:
                if column.kind == "id":
                    continue
                raw = record.row.cells.get(column.key)
                where = record.row.where(record.sheet, column.key)
                try:
                    parsed = codec.parse(column, sheet, raw)
                except CellProblem as problem:
                    self.problem(where, problem.key, **problem.values)
                    continue
                if parsed:  # an empty cell: no key (read with .get(key, []))
                    values[column.key] = parsed
                if column.kind == "text" and isinstance(raw, str) and parsed:
                    cleaned = "\n".join(str(v) for v in parsed)
                    if cleaned != raw:
                        self.notices.append(Notice(where, "spaces", (("after", cleaned),)))
            base = None if record.new or record.gone else self.origin.rows.get(compact_iri(str(record.subject)))
            shown = {c.key: values.get(c.key, []) for c in sheet.columns if c.predicate is not None}
            if base is not None and row_digest(shown) == base:
                record.kept = True
                cells = record.row.cells
                record.row.cells = {k: cells[k] for k in self._named_later(sheet) if cells.get(k) is not None}
            else:
                record.values = values

    def _named_later(self, sheet: SheetLayout) -> tuple[str, ...]:
        """The cells of a row left as exported that the review reads again: its name, the
        rows it names (a deleted row still named, :func:`_still_named`), and the cells a
        result about another sheet points through (the mapping's ``[[point]]``). The others
        go once the row is read (at 47,899 rows, most of the workbook's cells)."""
        keys = self._kept_keys.get(sheet.key)
        if keys is None:
            points = {k for p in self.layout.points if p.sheet == sheet.key for k in (p.focus, p.value) if k}
            refs = {c.key for c in sheet.columns if c.kind == "ref"}
            keys = self._kept_keys[sheet.key] = ("rdfs:label@fr", *sorted(refs | points))
        return keys

    def cell_values(self, record: Record, key: str) -> list[Node]:
        """The terms of one cell of ``record`` (read again for a row left as exported)."""
        if not record.kept or record.values:
            return record.values.get(key, [])
        column = record.sheet.layout.column(key)
        if column is None:
            return []
        try:
            return self.codec.parse(column, record.sheet.layout, record.row.cells.get(key))
        except CellProblem:
            return []


def _delta(reader: _Reader, lang: str, removable: set[URIRef]) -> tuple[set[Triple], set[Triple], list[Change]]:
    graph, layout, choices = reader.graph, reader.layout, reader.choices
    added: set[Triple] = set()
    removed: set[Triple] = set()
    changes: list[Change] = []
    in_sheet = {r.subject for r in reader.records}
    statements: set[URIRef] = set()
    for record in reader.records:
        if record.kept or record.gone:
            continue
        sheet = record.sheet.layout
        label = str(record.row.cells.get("rdfs:label@fr") or compact_iri(str(record.subject)))
        name = record.sheet.name
        if record.new and len(sheet.classes) == 1:
            added.add((record.subject, RDF.type, sheet.classes[0]))
        for column in sheet.columns:
            if column.predicate is None:
                continue
            new_values = record.values.get(column.key, [])
            old_values = [] if record.new else carried(graph, sheet, column, record.subject)
            if old_values is None:  # a cell could not hold them: kept unless the cell was filled
                if not new_values:
                    continue
                old_values = [v for v in graph.objects(record.subject, column.predicate) if column.carries(v)]
            old_keys = {value_key(v): v for v in old_values}
            new_keys = {value_key(v): v for v in new_values}
            if old_keys.keys() == new_keys.keys():
                continue
            for key in old_keys.keys() - new_keys.keys():
                removed.add((record.subject, column.predicate, old_keys[key]))
            for key in new_keys.keys() - old_keys.keys():
                added.add((record.subject, column.predicate, new_keys[key]))
            if column.translates is not None:  # an English text: its statement with it
                more, fewer = statement_changes(
                    graph,
                    column,
                    record.subject,
                    list(old_keys.values()),
                    list(new_keys.values()),
                    row_name(record),
                    record.values.get("dcterms:source", []),
                    statements,
                )
                added |= more
                removed |= fewer
            changes.append(
                Change(
                    "added" if record.new else "changed",
                    name,
                    record.row.where(record.sheet, column.key),
                    compact_iri(str(record.subject)),
                    label,
                    column.headers[lang],
                    shown_texts(choices, column, sheet, old_values),
                    shown_texts(choices, column, sheet, new_values),
                )
            )
    members = resources_by_sheet(layout, graph)
    for sheet in layout.sheets:
        for subject in members[sheet.key]:
            if subject in in_sheet or subject not in removable:
                continue
            for column in sheet.columns:
                if column.predicate is None:
                    continue
                for value in graph.objects(subject, column.predicate):
                    if column.carries(value) and (column.kind != "type" or value in sheet.classes):
                        removed.add((subject, column.predicate, value))
            for cls in sheet.classes:
                if (subject, RDF.type, cls) in graph:
                    removed.add((subject, RDF.type, cls))
            changes.append(
                Change(
                    "removed",
                    sheet.names[lang],
                    sheet.names[lang],
                    compact_iri(str(subject)),
                    preferred_label(graph, subject, "fr") or compact_iri(str(subject)),
                    "",
                    (),
                    (),
                )
            )
    return added, removed, changes


def import_workbook(
    path: str | os.PathLike[str],
    *,
    write: bool = False,
    restore: bool = False,
    lang: str | None = None,
    workspace: Workspace | None = None,
) -> SheetImport:
    """Read a workbook (``.xlsx`` or CSV folder), review and validate it, and write it if asked.

    :param path: the workbook.
    :param write: write the changes into ``data/`` when the workbook reads cleanly and
        the result conforms (nothing is written otherwise).
    :param restore: put back the rows of the workbook that were deleted from ``data/``
        since its export and that it holds as exported (the undo of a deletion: import
        the export made before it); without it they stay deleted, and the review says so.
    :param lang: the language of the review and of the messages; None for the reader's
        (:func:`pickg.graph.messages.reader_language`).
    :raises WorkbookError: the file is not a workbook, or cells do not fit their
        columns (unknown choices, bad numbers or dates, unknown identifiers, duplicates,
        formulas, merged cells, missing sheets or columns); nothing is written.
    """
    lang = reader_language(lang)
    ws = workspace or Workspace.discover()
    layout = load_layout(ws)
    book = read_workbook(path, layout, lang)
    if book.origin is None:
        raise WorkbookError([Problem(Path(path).name, "no_origin", {"sheet": origin_sheet(lang)})], lang)
    with import_lock(ws, lang) if write else nullcontext():
        state = data_state(ws)
        with open_store("oxigraph", workspace_files(None, True, ws)) as store:  # the ontology and vocabularies too
            assert isinstance(store, OxigraphStore)  # the in-memory Oxigraph store open_store gives
            outcome, new_homes = _review(Path(path), book.sheets, book.origin, layout, ws, restore, lang, state, store)
        del book  # the workbook's cells go, as the store and its terms went, before the files are written
        forget_converted()
        if write and outcome.conforms and new_homes is not None:
            write_changes(ws, outcome, new_homes, lang)
        return outcome


def _review(
    path: Path,
    sheets: list[ReadSheet],
    origin: Origin,
    layout: Layout,
    ws: Workspace,
    restore: bool,
    lang: str,
    state: str,
    store: OxigraphStore,
) -> tuple[SheetImport, dict[Node, str] | None]:
    """The review of the workbook, its rows read against ``store``
    (:func:`pickg.graph.storeview.store_graph`: no rdflib copy of the data), which then
    validates the result; with the files new rows go to when the workbook changes anything."""
    graph = store_graph(store)
    reader = _Reader(layout, graph, lang, origin)
    with bounded_conversions(_TERMS_KEPT):  # most terms of the rows are read once
        reader.identify(sheets)
        reader.parse_cells()
        if reader.problems:
            raise WorkbookError(reader.problems, lang)
        conflicts, removable = reconcile(reader, state)
        if conflicts:
            raise ConflictError(conflicts, lang)
        for record in reader.records:
            if record.gone and record.kept and restore:  # back as a new row with its old identifier
                record.gone = record.kept = False
                record.new = True
        added, removed, changes = _delta(reader, lang, removable)
    named = still_named(reader, removed)
    if named:
        raise WorkbookError(named, lang)
    for record in reader.records:
        if record.gone and record.kept:
            where = record.row.where(record.sheet, "id")
            reader.notices.append(Notice(where, "gone", (("label", row_name(record)),)))
    outcome = SheetImport(
        source=Path(path), lang=lang, changes=changes, added=added, removed=removed, notices=reader.notices
    )
    outcome.results = [_left_out(problem, lang) for read in sheets for problem in read.ignored]
    outcome.results += [_left_out(problem, lang) for problem in no_english(reader)]
    if not added and not removed:
        return outcome, None
    touched: set[Node] = {t[0] for t in added | removed}
    report = validate_changes(store, added, removed, lang, ws, touched)
    outcome.report = report
    for result in report.results:
        if result.severity != "Violation" and result.focus_node not in touched:
            continue
        where, column, label = trace(result, reader)
        outcome.results.append(
            CellResult(
                where=where,
                severity=result.severity,
                message=steward_message(result.component, result.message(lang), column, label, graph, lang),
                shape=result.source_name,
                resource=compact_iri(str(result.focus_node)),
                messages=dict(result.messages),
            )
        )
    outcome.results.sort(key=lambda r: (r.severity != "Violation", r.where))
    return outcome, {r.subject: r.sheet.layout.file for r in reader.records if r.new}


def _left_out(problem: Problem, lang: str) -> CellResult:
    """A warning at a cell that is not a validation result: what the workbook holds and
    the import leaves out (cells under no header), an English text a new row lacks."""
    messages = {tag: translate(tag, "problems." + problem.key, **problem.values) for tag in LANGUAGES}
    return CellResult(problem.where, "Warning", messages[lang], "—", "", messages)
