"""Reading a steward's workbook (XLSX, or the CSV folder) into rows of cells.

Only the structure is checked here: that the file is a workbook, that every sheet of
the layout is there with its header, that no cell holds a formula and no cells are
merged. What the cells mean is :mod:`pickg.sheets.importing`'s business. Every problem
names its place as ``Sheet!Cell`` (``Initiatives!D14``).
"""

from __future__ import annotations

import csv
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pickg.graph.errors import InputError
from pickg.graph.messages import LANGUAGES, translate
from pickg.sheets.export import HEADER_ROWS, column_letter, list_sheet
from pickg.sheets.layout import Column, Layout, SheetLayout
from pickg.sheets.origin import Origin, origin_sheet, read_origin_file

__all__ = ["Problem", "ReadBook", "ReadSheet", "Row", "WorkbookError", "read_workbook"]


#: How LibreOffice saves a TRUE or FALSE cell in XLSX: as a formula, not a formula a steward wrote.
_BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the workbook, at ``where`` (``Sheet!Cell`` or ``Sheet``)."""

    where: str
    #: the message's key in the catalogues' ``[problems]`` table
    key: str
    #: the message's fields; a mapping (a column's headers) gives one value per language
    values: Mapping[str, object] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return f"{self.where}: {translate(lang, 'problems.' + self.key, **self.values)}"


class WorkbookError(InputError):
    """The workbook cannot be read or its cells do not fit their columns; lists every problem.

    :param problems: what is wrong, each at its cell.
    :param lang: the language of the message.
    """

    #: the key of the message's first line
    head_key = "problems.workbook"

    def __init__(self, problems: list[Problem], lang: str = "fr") -> None:
        self.problems = problems
        self.lang = lang
        head = translate(lang, self.head_key, n=len(problems))
        super().__init__(head + ":\n" + "\n".join("  " + p.message(lang) for p in problems))


@dataclass
class Row:
    """One data row: its number in the sheet and column key → raw cell value."""

    number: int
    cells: dict[str, object]

    def where(self, sheet: ReadSheet, key: str) -> str:
        return f"{sheet.name}!{column_letter(sheet.positions[key])}{self.number}"


@dataclass
class ReadSheet:
    """A sheet as read: its name in the file, column key → 1-based position, its rows."""

    layout: SheetLayout
    name: str
    positions: dict[str, int] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


@dataclass
class ReadBook:
    """A workbook as read: its sheets in the layout's order, and the origin of its export
    (None when it carries none)."""

    sheets: list[ReadSheet]
    origin: Origin | None


def _headers(column: Column) -> set[str]:
    return {h.strip().casefold() for h in column.headers.values()}


def _read_grid(sheet: SheetLayout, name: str, grid: list[list[object]], problems: list[Problem]) -> ReadSheet | None:
    read = ReadSheet(layout=sheet, name=name)
    if not grid or not any(v not in (None, "") for v in grid[0]):
        problems.append(Problem(name, "empty_sheet"))
        return None
    by_header = {h: c for c in sheet.columns for h in _headers(c)}
    for index, value in enumerate(grid[0], start=1):
        if value in (None, ""):
            continue
        column = by_header.get(str(value).strip().casefold())
        where = f"{name}!{column_letter(index)}1"
        if column is None:
            problems.append(Problem(where, "unknown_column", {"value": value}))
        elif column.key in read.positions:
            problems.append(Problem(where, "twice", {"value": value}))
        else:
            read.positions[column.key] = index
    for column in sheet.columns:
        if column.key not in read.positions:
            problems.append(Problem(name, "missing_column", {"column": column.headers}))
    for number, values in enumerate(grid[HEADER_ROWS:], start=HEADER_ROWS + 1):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        cells = {key: (values[pos - 1] if pos - 1 < len(values) else None) for key, pos in read.positions.items()}
        read.rows.append(Row(number=number, cells=cells))
    return read


def _not_a_workbook(path: Path, detail: str) -> WorkbookError:
    return WorkbookError([Problem(str(path), "not_a_workbook", {"detail": detail})])


def _read_xlsx(path: Path, layout: Layout, lang: str) -> ReadBook:
    if not zipfile.is_zipfile(path):
        raise _not_a_workbook(path, "not a zip archive")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    problems: list[Problem] = []
    by_name = {ws.title.strip().casefold(): ws for ws in book.worksheets}
    origin_names = {origin_sheet(tag).casefold() for tag in LANGUAGES}
    known = (
        {n.casefold() for s in layout.sheets for n in s.names.values()}
        | {list_sheet(tag).casefold() for tag in LANGUAGES}
        | origin_names
    )
    origin = next(
        (
            Origin.from_grid([list(r) for r in ws.iter_rows(values_only=True)])
            for t, ws in by_name.items()
            if t in origin_names
        ),
        None,
    )
    sheets: list[ReadSheet] = []
    for sheet in layout.sheets:
        ws = next((by_name[n.casefold()] for n in sheet.names.values() if n.casefold() in by_name), None)
        if ws is None:
            problems.append(Problem(sheet.names[lang], "missing_sheet", {"sheet": sheet.names}))
            continue
        for merged in ws.merged_cells.ranges:
            problems.append(Problem(f"{ws.title}!{merged.coord}", "merged"))
        grid: list[list[object]] = []
        for row in ws.iter_rows(min_row=1, min_col=1):  # row and column numbers count from A1
            values: list[object] = []
            for cell in row:
                if cell.data_type == "f" and str(cell.value).upper() in _BOOLEAN_FORMULAS:
                    values.append(_BOOLEAN_FORMULAS[str(cell.value).upper()])
                elif cell.data_type == "e":
                    problems.append(Problem(f"{ws.title}!{cell.coordinate}", "cell_error", {"value": str(cell.value)}))
                    values.append(None)
                elif cell.data_type == "f":
                    problems.append(Problem(f"{ws.title}!{cell.coordinate}", "formula", {"value": str(cell.value)}))
                    values.append(None)
                else:
                    values.append(cell.value)
            grid.append(values)
        read = _read_grid(sheet, ws.title, grid, problems)
        if read is not None:
            sheets.append(read)
    for title, ws in by_name.items():
        if title not in known and ws.max_row > 0 and any(c.value is not None for r in ws.iter_rows() for c in r):
            problems.append(Problem(ws.title, "foreign_sheet"))
    if problems:
        raise WorkbookError(problems, lang)
    return ReadBook(sheets, origin)


def _read_csv_folder(folder: Path, layout: Layout, lang: str) -> ReadBook:
    problems: list[Problem] = []
    sheets = []
    for sheet in layout.sheets:
        path = folder / f"{sheet.key}.csv"
        if not path.is_file():
            problems.append(Problem(path.name, "missing_file", {"file": path.name, "sheet": sheet.names}))
            continue
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                grid: list[list[object]] = [[v if v != "" else None for v in row] for row in csv.reader(handle)]
        except (UnicodeDecodeError, csv.Error) as error:
            problems.append(Problem(path.name, "not_utf8", {"error": error}))
            continue
        read = _read_grid(sheet, path.name, grid, problems)
        if read is not None:
            sheets.append(read)
    if problems:
        raise WorkbookError(problems, lang)
    return ReadBook(sheets, read_origin_file(folder))


def read_workbook(path: str | os.PathLike[str], layout: Layout, lang: str = "fr") -> ReadBook:
    """The sheets of a workbook (``.xlsx`` file) or of a CSV folder, in the layout's order.

    :raises WorkbookError: the file is not a workbook, or sheets or columns are missing,
        cells are merged or hold formulas (every problem at its cell).
    """
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path, layout, lang)
    if not path.is_file():
        raise WorkbookError([Problem(str(path), "no_file")], lang)
    return _read_xlsx(path, layout, lang)
