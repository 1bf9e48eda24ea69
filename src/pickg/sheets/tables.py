"""A workbook as tables of cell values, before it is written in one format or another.

:mod:`pickg.sheets.export` fills the tables; :func:`~pickg.sheets.export.write_xlsx`,
:func:`~pickg.sheets.ods.write_ods` and the CSV writer lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pickg.graph.messages import translate
from pickg.sheets.layout import SheetLayout

__all__ = ["HEADER_ROWS", "Table", "column_letter", "list_sheet"]

#: Rows above the data: header, header in the other language, help.
HEADER_ROWS = 3


def list_sheet(lang: str) -> str:
    """The name of the hidden sheet that holds the drop-down lists, in ``lang``."""
    return translate(lang, "sheets.list_sheet")


def column_letter(index: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """One sheet as rows of cell values (the header rows first)."""

    sheet: SheetLayout
    name: str
    rows: list[list[object]]
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: identifier → the digest of the values its row shows (:func:`pickg.sheets.origin.row_digest`)
    digests: dict[str, str] = field(default_factory=dict)
