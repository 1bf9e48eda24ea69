"""Reading a steward's workbook (ODS, XLSX, or the CSV folder) into rows of cells.

Only the structure is checked here: that the file is a workbook, that every sheet of
the layout is there with its header, that no cell holds a formula and no cells are
merged. What the cells mean is :mod:`pickg.sheets.importing`'s business. Every problem
names its place as ``Sheet!Cell`` (``Initiatives!D14``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pickg.graph.errors import InputError
from pickg.graph.messages import LANGUAGES, translate
from pickg.sheets.archive import check_workbook_size
from pickg.sheets.export import HEADER_ROWS, column_letter, list_sheet
from pickg.sheets.layout import Column, Layout, SheetLayout
from pickg.sheets.origin import Origin, origin_sheet, read_origin_file
from pickg.sheets.screening import check_extent, control_characters, csv_rows, stray_cells

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
    #: what the import leaves out and says so (cells under no header)
    ignored: list[Problem] = field(default_factory=list)


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
    columns = {c.key: c for c in sheet.columns}
    for found in control_characters(name, read.positions, columns, ((r.number, r.cells) for r in read.rows)):
        problems.append(Problem(found.where, found.key, found.values))
    stray = stray_cells(name, grid, read.positions.values())
    if stray is not None:
        read.ignored.append(Problem(stray.where, stray.key, stray.values))
    return read


def _not_a_workbook(path: Path, detail: str) -> WorkbookError:
    return WorkbookError([Problem(str(path), "not_a_workbook", {"detail": detail})])


#: The first bytes of an OLE compound file: what Excel and LibreOffice save a
#: password-protected .xlsx as (an encrypted package inside), and the old .xls.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _form(path: Path, lang: str) -> str:
    """``xlsx`` or ``ods``, from the file's bytes (not its name), once the file passes the
    checks every file passes before it is parsed.

    :raises WorkbookError: the file is protected by a password, or is not a workbook.
    """
    with path.open("rb") as handle:
        head = handle.read(len(_COMPOUND_FILE))
    if head == _COMPOUND_FILE:
        raise WorkbookError([Problem(path.name, "protected")], lang)
    if not zipfile.is_zipfile(path):
        raise _not_a_workbook(path, "not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
                if b"encryption-data" in manifest:
                    raise WorkbookError([Problem(path.name, "protected")], lang)
                return "ods"
    except zipfile.BadZipFile as error:
        raise _not_a_workbook(path, str(error)) from None
    return "xlsx"


#: A sheet as read from a file: its title, its cells row by row from A1, and whether it is hidden.
_Grid = tuple[str, list[list[object]]]


_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_RELATION = re.compile(
    rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title → the archive member holding its cells."""
    import html

    rels: dict[bytes, str] = {}
    for match in _RELATION.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        rid, target = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        target_text = target.decode("utf-8")
        rels[rid] = target_text.lstrip("/") if target_text.startswith("/") else "xl/" + target_text
    return {
        html.unescape(name.decode("utf-8")): rels[rid]
        for name, rid in _SHEET_ENTRY.findall(archive.read("xl/workbook.xml"))
        if rid in rels
    }


_FORMULA_OR_ERROR = re.compile(rb'<(?:\w+:)?f[ >/]|\bt="e"')


def _written_cells(data: bytes) -> dict[str, tuple[str, str]]:
    """The cells of a sheet's XML that hold a formula or an error value: coordinate →
    (``formula`` or ``cell_error``, the text). Only a sheet that has one is parsed."""
    found: dict[str, tuple[str, str]] = {}
    if not _FORMULA_OR_ERROR.search(data):
        return found
    from xml.etree.ElementTree import iterparse

    for _, element in iterparse(io.BytesIO(data)):
        if not element.tag.endswith("}c"):
            continue
        formula = next((child for child in element if child.tag.endswith("}f")), None)
        value = next((child for child in element if child.tag.endswith("}v")), None)
        coordinate = element.get("r", "")
        if formula is not None and f"={formula.text or ''}".upper() not in _BOOLEAN_FORMULAS:
            found[coordinate] = ("formula", f"={formula.text or ''}")
        elif element.get("t") == "e":
            found[coordinate] = ("cell_error", value.text if value is not None and value.text else "")
        element.clear()
    return found


def _xlsx_grids(path: Path, problems: list[Problem], lang: str) -> list[_Grid]:
    """Every sheet of an XLSX file: values read by python-calamine (``bench/SHEETS.md``:
    the read is most of an import's time with openpyxl), and the cells a steward reads
    wrongly found in the sheets' XML: formulas and error values are problems at their
    cells, merged cells at their range."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive)
            written = {title: _written_cells(archive.read(part)) for title, part in parts.items()}
            merges = {
                title: [
                    m.decode("ascii")
                    for m in re.findall(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', archive.read(part))
                ]
                for title, part in parts.items()
            }
    except Exception as error:  # calamine and zipfile raise many kinds for a damaged file
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    grids: list[_Grid] = []
    for name in book.sheet_names:
        for coord in merges.get(name, []):
            problems.append(Problem(f"{name}!{coord}", "merged"))
        _sheet, rows = _cells(path, book, name, lang)
        grid: list[list[object]] = [[None if v == "" else v for v in row] for row in rows]
        for coordinate, (key, text) in sorted(written.get(name, {}).items(), key=lambda item: _position(item[0])):
            problems.append(Problem(f"{name}!{coordinate}", key, {"value": text}))
            r, c = _position(coordinate)
            if r < len(grid) and c < len(grid[r]):
                grid[r][c] = None
        grids.append((name, grid))
    return grids


def _cells(path: Path, book: Any, name: str, lang: str) -> tuple[Any, list[list[object]]]:
    """The python-calamine sheet ``name`` of ``book`` and its values from A1, its size
    checked before its cells are read.

    :raises WorkbookError: its XML cannot be read (an entity it declares, a damaged part).
    :raises SheetTooLargeError: it has more rows or columns than pickg reads.
    """
    try:
        sheet = book.get_sheet_by_name(name)
    except Exception as error:  # calamine raises its own kinds (XmlError, …) for a damaged sheet
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    check_extent(name, sheet.height, sheet.width, lang)
    try:
        rows: list[list[object]] = sheet.to_python(skip_empty_area=False)
    except Exception as error:
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    return sheet, rows


def _position(coordinate: str) -> tuple[int, int]:
    """``B5`` → (4, 1): the 0-based row and column."""
    letters = "".join(ch for ch in coordinate if ch.isalpha())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch.upper()) - 64
    return int(coordinate[len(letters) :]) - 1, column - 1


def _ods_grids(path: Path, problems: list[Problem], lang: str) -> list[_Grid]:
    """Every sheet of an ODS file (what LibreOffice saves by default), read by python-calamine.

    Calamine reads the values a formula shows, not the formula; merged cells are problems
    at their range.
    """
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise WorkbookError([Problem(path.name, "protected")], lang) from None
    except Exception as error:  # calamine raises its own kinds for a damaged file
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    grids: list[_Grid] = []
    for name in book.sheet_names:
        sheet, rows = _cells(path, book, name, lang)
        for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
            coord = f"{column_letter(left + 1)}{top + 1}:{column_letter(right + 1)}{bottom + 1}"
            problems.append(Problem(f"{name}!{coord}", "merged"))
        grids.append((name, [[None if v == "" else v for v in row] for row in rows]))
    return grids


def _assemble(grids: list[_Grid], layout: Layout, lang: str, problems: list[Problem]) -> ReadBook:
    """The layout's sheets found among ``grids`` by name (either language), the origin
    from its hidden sheet, and a problem for every sheet that is neither."""
    by_name = {title.strip().casefold(): (title, grid) for title, grid in grids}
    origin_names = {origin_sheet(tag).casefold() for tag in LANGUAGES}
    known = (
        {n.casefold() for s in layout.sheets for n in s.names.values()}
        | {list_sheet(tag).casefold() for tag in LANGUAGES}
        | origin_names
    )
    origin = next((Origin.from_grid(grid) for t, (_, grid) in by_name.items() if t in origin_names), None)
    sheets: list[ReadSheet] = []
    for sheet in layout.sheets:
        found = next((by_name[n.casefold()] for n in sheet.names.values() if n.casefold() in by_name), None)
        if found is None:
            problems.append(Problem(sheet.names[lang], "missing_sheet", {"sheet": sheet.names}))
            continue
        read = _read_grid(sheet, found[0], found[1], problems)
        if read is not None:
            sheets.append(read)
    for key, (title, grid) in by_name.items():
        if key not in known and any(v not in (None, "") for row in grid for v in row):
            problems.append(Problem(title, "foreign_sheet"))
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
            with path.open(encoding="utf-8-sig", newline="") as handle:  # a byte order mark is no header
                grid = csv_rows(csv.reader(handle), path.name, lang)
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
    """The sheets of a workbook (``.ods`` or ``.xlsx`` file, told apart by their bytes) or
    of a CSV folder, in the layout's order, and the origin of its export.

    :raises WorkbookError: the file is protected by a password or is not a workbook, or
        sheets or columns are missing, cells are merged or hold formulas (every problem at
        its cell).
    """
    path = Path(path)
    if path.is_dir():
        check_workbook_size(path, lang)
        return _read_csv_folder(path, layout, lang)
    if not path.is_file():
        raise WorkbookError([Problem(str(path), "no_file")], lang)
    check_workbook_size(path, lang)
    problems: list[Problem] = []
    if _form(path, lang) == "ods":
        grids = _ods_grids(path, problems, lang)
    else:
        grids = _xlsx_grids(path, problems, lang)
    return _assemble(grids, layout, lang, problems)
