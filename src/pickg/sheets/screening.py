"""What of a sheet is read: its extent bounded, its text screened, stray cells named.

:mod:`pickg.sheets.reading` turns a sheet into a grid of cell values; this module keeps
that bounded and says what it leaves out, whatever the workbook's form (XLSX, CSV):

* :func:`check_extent`: a sheet of more than :data:`MAX_ROWS` rows or
  :data:`MAX_COLUMNS` columns is refused before its cells are read.
* :func:`xlsx_rows` visits only the cells an XLSX sheet holds. openpyxl's ``iter_rows``
  makes a cell for every place of the rectangle up to the last row and column: one row
  filled to column XFD in a 300-row sheet made 4.9 million cells, 42 s and 1.2 GB.
* :func:`csv_rows` reads a CSV file's rows within the same bounds, and names the line
  of a cell longer than the CSV reader takes.
* :func:`control_characters` finds the control characters a cell must not hold (C0
  but the tab in text columns and the line feed everywhere, which separates values;
  DEL; C1), each at its cell.
* :func:`stray_cells` names the cells under no header, which the import leaves out.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pickg.graph.errors import InputError
from pickg.graph.messages import translate
from pickg.sheets.export import HEADER_ROWS, column_letter
from pickg.sheets.layout import Column

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "Finding",
    "SheetTooLargeError",
    "check_extent",
    "control_characters",
    "csv_rows",
    "has_values",
    "stray_cells",
    "xlsx_rows",
]

#: The most rows a sheet has, its header rows included: a hundred times the largest
#: sheet of the shipped data.
MAX_ROWS = 100_000

#: The most columns a sheet has: XLSX's own limit (column XFD), so that a row filled to
#: its end is read and its cells under no header are named rather than refused.
MAX_COLUMNS = 16_384

#: Control characters no cell holds: C0 but tab and line feed, DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: … and the tab, outside text columns.
_CONTROL_OR_TAB = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

#: Stray cells named one by one in a sheet's warning; the rest are counted.
_SHOWN = 5


class SheetTooLargeError(InputError):
    """A sheet has more rows or columns than pickg reads (:data:`MAX_ROWS`, :data:`MAX_COLUMNS`)."""


@dataclass(frozen=True)
class Finding:
    """Something found in a sheet, at ``where``: a key of the catalogues' ``[problems]`` table."""

    where: str
    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def check_extent(where: str, rows: int, columns: int, lang: str = "fr") -> None:
    """Refuse a sheet of ``rows`` rows and ``columns`` columns larger than pickg reads.

    :param where: the sheet's name (or the CSV file's).
    :raises SheetTooLargeError: over :data:`MAX_ROWS` or :data:`MAX_COLUMNS`.
    """
    if rows > MAX_ROWS:
        raise SheetTooLargeError(translate(lang, "problems.too_many_rows", where=where, n=rows, limit=MAX_ROWS))
    if columns > MAX_COLUMNS:
        raise SheetTooLargeError(
            translate(lang, "problems.too_many_columns", where=where, n=columns, limit=MAX_COLUMNS)
        )


def xlsx_rows(ws: Worksheet, lang: str = "fr") -> list[list[Cell | MergedCell]]:
    """The rows of ``ws`` from A1, each up to its last cell; a blank cell where the sheet
    holds none. Only the cells the sheet holds are visited.

    :raises SheetTooLargeError: as :func:`check_extent`.
    """
    from openpyxl.cell.cell import Cell

    check_extent(ws.title, ws.max_row, ws.max_column, lang)
    blank = Cell(ws, row=1, column=1)  # one value-less cell stands for every missing one
    rows: list[list[Cell | MergedCell]] = [[] for _ in range(ws.max_row)]
    for (r, c), cell in sorted(ws._cells.items()):
        row = rows[r - 1]
        row.extend([blank] * (c - 1 - len(row)))
        row.append(cell)
    return rows


def has_values(ws: Worksheet) -> bool:
    """Whether any cell of ``ws`` holds a value (only the cells it holds are visited)."""
    return any(cell.value is not None for cell in ws._cells.values())


def csv_rows(reader: Iterable[list[str]], name: str, lang: str = "fr") -> list[list[object]]:
    """The rows of a CSV file (``None`` for an empty field), within :func:`check_extent`'s bounds.

    :param reader: a ``csv.reader`` over the file.
    :param name: the file's name, in messages.
    :raises SheetTooLargeError: as :func:`check_extent`, or a field longer than the CSV
        reader's limit (its line named).
    """
    grid: list[list[object]] = []
    rows: Iterator[list[str]] = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return grid
        except csv.Error as error:
            if "field limit" not in str(error):
                raise
            line = len(grid) + 1
            limit = csv.field_size_limit()
            raise SheetTooLargeError(
                translate(lang, "problems.cell_too_long", where=name, line=line, limit=limit)
            ) from None
        check_extent(name, len(grid) + 1, len(row), lang)
        grid.append([v if v != "" else None for v in row])


def control_characters(
    sheet: str,
    positions: Mapping[str, int],
    columns: Mapping[str, Column],
    rows: Iterable[tuple[int, Mapping[str, object]]],
) -> list[Finding]:
    """The cells of the data rows that hold a control character, each with the first one.

    :param sheet: the sheet's name.
    :param positions: column key → its 1-based position in the sheet.
    :param columns: column key → its layout.
    :param rows: (row number, column key → value) of the data rows.
    """
    found = []
    for number, cells in rows:
        for key, value in cells.items():
            if not isinstance(value, str):
                continue
            pattern = _CONTROL if columns[key].kind == "text" else _CONTROL_OR_TAB
            hit = pattern.search(value)
            if hit is not None:
                where = f"{sheet}!{column_letter(positions[key])}{number}"
                found.append(Finding(where, "control_character", {"code": f"U+{ord(hit.group()):04X}"}))
    return found


def stray_cells(sheet: str, grid: list[list[object]], positions: Iterable[int], lang: str = "fr") -> Finding | None:
    """The cells of ``grid`` under no header that hold a value, as one warning for the sheet.

    :param positions: the 1-based positions of the columns the sheet reads.
    """
    read = set(positions)
    places: list[str] = []
    runs = count = 0
    for number, values in enumerate(grid[HEADER_ROWS:], start=HEADER_ROWS + 1):
        run_start: int | None = None
        for index, value in enumerate([*values, None], start=1):
            stray = index not in read and value is not None and str(value).strip() != ""
            count += stray
            if stray and run_start is None:
                run_start = index
            elif not stray and run_start is not None:
                runs += 1
                if len(places) < _SHOWN:
                    first, last = column_letter(run_start), column_letter(index - 1)
                    places.append(f"{first}{number}" + (f":{last}{number}" if index - 1 > run_start else ""))
                run_start = None
    if not count:
        return None
    return Finding(
        sheet, "stray_cells", {"n": count, "cells": ", ".join(places) + (" …" if runs > len(places) else "")}
    )
