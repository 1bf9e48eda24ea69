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
from dataclasses import dataclass, field
from pathlib import Path

from pickg.graph.errors import InputError
from pickg.sheets.export import HEADER_ROWS, LIST_SHEET, column_letter
from pickg.sheets.layout import Column, Layout, SheetLayout

__all__ = ["Problem", "ReadSheet", "Row", "WorkbookError", "read_workbook"]


#: How LibreOffice saves a TRUE or FALSE cell in XLSX: as a formula, not a formula a steward wrote.
_BOOLEAN_FORMULAS = {"=TRUE()": True, "=FALSE()": False}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the workbook, at ``where`` (``Sheet!Cell`` or ``Sheet``)."""

    where: str
    fr: str
    en: str

    def message(self, lang: str) -> str:
        return f"{self.where}: {self.fr if lang == 'fr' else self.en}"


class WorkbookError(InputError):
    """The workbook cannot be read or its cells do not fit their columns; lists every problem.

    :param problems: what is wrong, each at its cell.
    :param lang: the language of the message.
    """

    def __init__(self, problems: list[Problem], lang: str = "fr") -> None:
        self.problems = problems
        self.lang = lang
        head = (
            f"le classeur a {len(problems)} problème(s) ; rien n'a été écrit, corrigez-les puis relancez"
            if lang == "fr"
            else f"the workbook has {len(problems)} problem(s); nothing was written, correct them and run again"
        )
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


def _headers(column: Column) -> set[str]:
    return {h.strip().casefold() for h in column.headers.values()}


def _read_grid(sheet: SheetLayout, name: str, grid: list[list[object]], problems: list[Problem]) -> ReadSheet | None:
    read = ReadSheet(layout=sheet, name=name)
    if not grid or not any(v not in (None, "") for v in grid[0]):
        problems.append(
            Problem(
                name,
                "la feuille est vide (sa ligne d'en-tête manque) : exportez de nouveau le classeur"
                " et recopiez-y vos lignes",
                "the sheet is empty (its header row is missing): export the workbook again and copy your rows into it",
            )
        )
        return None
    by_header = {h: c for c in sheet.columns for h in _headers(c)}
    for index, value in enumerate(grid[0], start=1):
        if value in (None, ""):
            continue
        column = by_header.get(str(value).strip().casefold())
        where = f"{name}!{column_letter(index)}1"
        if column is None:
            problems.append(
                Problem(
                    where,
                    f"la colonne « {value} » n'est pas une colonne de la feuille : remettez l'en-tête exporté",
                    f"column '{value}' is not a column of this sheet: put back the exported header",
                )
            )
        elif column.key in read.positions:
            problems.append(
                Problem(
                    where,
                    f"la colonne « {value} » apparaît deux fois : gardez-en une",
                    f"column '{value}' appears twice: keep one",
                )
            )
        else:
            read.positions[column.key] = index
    for column in sheet.columns:
        if column.key not in read.positions:
            problems.append(
                Problem(
                    name,
                    f"la colonne « {column.headers['fr']} » manque : remettez-la (exportez de nouveau le classeur)",
                    f"column '{column.headers['en']}' is missing: put it back (export the workbook again)",
                )
            )
    for number, values in enumerate(grid[HEADER_ROWS:], start=HEADER_ROWS + 1):
        if not any(v is not None and str(v).strip() for v in values):
            continue
        cells = {key: (values[pos - 1] if pos - 1 < len(values) else None) for key, pos in read.positions.items()}
        read.rows.append(Row(number=number, cells=cells))
    return read


def _not_a_workbook(path: Path, detail: str) -> WorkbookError:
    return WorkbookError(
        [
            Problem(
                str(path),
                f"ce n'est pas un classeur XLSX ni un dossier de CSV ({detail}) : donnez le fichier .xlsx exporté"
                " par pickg sheet export (enregistré au format Excel 2007-365)",
                f"this is not an XLSX workbook nor a folder of CSV files ({detail}): give the .xlsx file exported"
                " by pickg sheet export (saved as Excel 2007-365)",
            )
        ]
    )


def _read_xlsx(path: Path, layout: Layout, lang: str) -> list[ReadSheet]:
    if not zipfile.is_zipfile(path):
        raise _not_a_workbook(path, "not a zip archive")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _not_a_workbook(path, f"{type(error).__name__}: {error}") from None
    problems: list[Problem] = []
    by_name = {ws.title.strip().casefold(): ws for ws in book.worksheets}
    known = {n.casefold() for s in layout.sheets for n in s.names.values()} | {
        n.casefold() for n in LIST_SHEET.values()
    }
    sheets: list[ReadSheet] = []
    for sheet in layout.sheets:
        ws = next((by_name[n.casefold()] for n in sheet.names.values() if n.casefold() in by_name), None)
        if ws is None:
            problems.append(
                Problem(
                    sheet.names[lang],
                    f"la feuille « {sheet.names['fr']} » manque : remettez-la (exportez de nouveau le classeur)",
                    f"sheet '{sheet.names['en']}' is missing: put it back (export the workbook again)",
                )
            )
            continue
        for merged in ws.merged_cells.ranges:
            problems.append(
                Problem(
                    f"{ws.title}!{merged.coord}",
                    "des cellules sont fusionnées : défusionnez-les, une valeur par cellule",
                    "cells are merged: unmerge them, one value per cell",
                )
            )
        grid: list[list[object]] = []
        for row in ws.iter_rows(min_row=1, min_col=1):  # row and column numbers count from A1
            values: list[object] = []
            for cell in row:
                if cell.data_type == "f" and str(cell.value).upper() in _BOOLEAN_FORMULAS:
                    values.append(_BOOLEAN_FORMULAS[str(cell.value).upper()])
                elif cell.data_type == "e":
                    problems.append(
                        Problem(
                            f"{ws.title}!{cell.coordinate}",
                            f"la cellule contient une erreur ({cell.value}) : écrivez-y une valeur",
                            f"the cell holds an error ({cell.value}): write a value in it",
                        )
                    )
                    values.append(None)
                elif cell.data_type == "f":
                    problems.append(
                        Problem(
                            f"{ws.title}!{cell.coordinate}",
                            f"la cellule contient une formule ({cell.value}) : remplacez-la par sa valeur",
                            f"the cell holds a formula ({cell.value}): replace it with its value",
                        )
                    )
                    values.append(None)
                else:
                    values.append(cell.value)
            grid.append(values)
        read = _read_grid(sheet, ws.title, grid, problems)
        if read is not None:
            sheets.append(read)
    for title, ws in by_name.items():
        if title not in known and ws.max_row > 0 and any(c.value is not None for r in ws.iter_rows() for c in r):
            problems.append(
                Problem(
                    ws.title,
                    "cette feuille n'est pas une feuille du classeur : ses lignes vont dans l'une"
                    " des feuilles exportées",
                    "this sheet is not one of the workbook's: its rows belong in one of the exported sheets",
                )
            )
    if problems:
        raise WorkbookError(problems, lang)
    return sheets


def _read_csv_folder(folder: Path, layout: Layout, lang: str) -> list[ReadSheet]:
    problems: list[Problem] = []
    sheets = []
    for sheet in layout.sheets:
        path = folder / f"{sheet.key}.csv"
        if not path.is_file():
            problems.append(
                Problem(
                    path.name,
                    f"le fichier {path.name} (feuille « {sheet.names['fr']} ») manque : remettez-le",
                    f"file {path.name} (sheet '{sheet.names['en']}') is missing: put it back",
                )
            )
            continue
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                grid: list[list[object]] = [[v if v != "" else None for v in row] for row in csv.reader(handle)]
        except (UnicodeDecodeError, csv.Error) as error:
            problems.append(
                Problem(
                    path.name,
                    f"le fichier n'est pas un CSV en UTF-8 ({error}) : enregistrez-le en CSV UTF-8",
                    f"the file is not UTF-8 CSV ({error}): save it as UTF-8 CSV",
                )
            )
            continue
        read = _read_grid(sheet, path.name, grid, problems)
        if read is not None:
            sheets.append(read)
    if problems:
        raise WorkbookError(problems, lang)
    return sheets


def read_workbook(path: str | os.PathLike[str], layout: Layout, lang: str = "fr") -> list[ReadSheet]:
    """The sheets of a workbook (``.xlsx`` file) or of a CSV folder, in the layout's order.

    :raises WorkbookError: the file is not a workbook, or sheets or columns are missing,
        cells are merged or hold formulas (every problem at its cell).
    """
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path, layout, lang)
    if not path.is_file():
        raise WorkbookError([Problem(str(path), "le fichier n'existe pas", "the file does not exist")], lang)
    return _read_xlsx(path, layout, lang)
