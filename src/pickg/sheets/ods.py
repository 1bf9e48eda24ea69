"""The workbook as an OpenDocument spreadsheet (``.ods``, what LibreOffice saves by default), by odfpy.

The same tables as the XLSX form (:func:`pickg.sheets.export.write_xlsx`): three header
rows, one row per resource, a drop-down list on every choice column (the choices in the
hidden lists sheet) for the rows there are and 500 more, and the export's origin in its
own hidden sheet. A cell of several lines is one paragraph per line, as LibreOffice
writes it; numbers and TRUE/FALSE are typed cells.
"""

from __future__ import annotations

import io
from pathlib import Path

from pickg.graph.files import write_atomically
from pickg.sheets.origin import Origin, origin_sheet
from pickg.sheets.tables import HEADER_ROWS, Table, column_letter, list_sheet

__all__ = ["write_ods"]

#: Empty rows with drop-down lists below the data, for the rows a steward adds.
_SPARE_ROWS = 500


def _cell(value: object, validation: str | None = None) -> object:
    from odf import teletype
    from odf.table import TableCell
    from odf.text import P

    extra = {"contentvalidationname": validation} if validation else {}
    if value is None:
        return TableCell(**extra)
    if isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false", **extra)
        cell.addElement(P(text="TRUE" if value else "FALSE"))
        return cell
    if isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value), **extra)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string", **extra)
    for line in str(value).split("\n"):
        paragraph = P()
        teletype.addTextToElement(paragraph, line)
        cell.addElement(paragraph)
    return cell


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def write_ods(tables: list[Table], path: Path, lang: str = "fr", origin: Origin | None = None) -> None:
    """Write ``tables`` as an ODS workbook at ``path`` (atomically), with drop-down lists
    and, in a hidden sheet, the ``origin`` of the export."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import ContentValidation, ContentValidations, TableRow
    from odf.table import Table as OdfTable

    doc = OpenDocumentSpreadsheet()
    hidden = Style(name="hidden", family="table")
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden)
    validations = ContentValidations()
    lists: dict[tuple[str, ...], str] = {}  # the same choices are listed once
    lists_grid: list[list[object]] = [[]]  # row 1 left empty, as in the XLSX form
    sheets = []
    for table in tables:
        names: dict[str, str] = {}
        for key, options in table.lists.items():
            if tuple(options) not in lists:
                column = len(lists) + 1
                letter = column_letter(column)
                lists[tuple(options)] = letter
                for i, text in enumerate(options, start=2):
                    while len(lists_grid) < i:
                        lists_grid.append([])
                    row = lists_grid[i - 1]
                    row.extend([None] * (column - len(row)))
                    row[column - 1] = text
            letter = lists[tuple(options)]
            end = max(len(options) + 1, 2)
            name = f"list{len(validations.childNodes) + 1}"
            area = f"[${_quoted(list_sheet(lang))}.${letter}$2:.${letter}${end}]"
            validations.addElement(
                ContentValidation(
                    name=name,
                    condition=f"of:cell-content-is-in-list({area})",
                    allowemptycell="true",
                    displaylist="sort-ascending",
                )
            )
            names[key] = name
        by_position = [names.get(c.key) for c in table.sheet.columns]
        sheet = OdfTable(name=table.name)
        for r, values in enumerate(table.rows, start=1):
            row = TableRow()
            for value, validation in zip(values, by_position, strict=True):
                row.addElement(_cell(value, validation if r > HEADER_ROWS else None))
            sheet.addElement(row)
        spare = TableRow(numberrowsrepeated=str(_SPARE_ROWS))
        for validation in by_position:
            spare.addElement(_cell(None, validation))
        sheet.addElement(spare)
        sheets.append(sheet)
    if len(validations.childNodes):
        doc.spreadsheet.addElement(validations)
    for sheet in sheets:
        doc.spreadsheet.addElement(sheet)
    extra = [(list_sheet(lang), lists_grid)]
    if origin is not None:
        extra.append((origin_sheet(lang), origin.grid()))
    for name, grid in extra:
        sheet = OdfTable(name=name, stylename=hidden)
        for values in grid:
            row = TableRow()
            for value in values:
                row.addElement(_cell(value))
            sheet.addElement(row)
        doc.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    doc.write(buffer)
    write_atomically(path, buffer.getvalue(), mode=0o600)
