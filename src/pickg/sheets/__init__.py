"""The stewards' workbook: the graph as sheets to edit in LibreOffice or Excel, and back.

* :func:`export_workbook` (``pickg sheet export``) writes the workbook, generated from
  the shapes and the vocabularies (:mod:`pickg.sheets.layout`), with every fact filled in.
* :func:`import_workbook` (``pickg sheet import``) reads it back through the same
  declarative mapping (``mapping.toml``): the review of what it adds, removes and
  changes, validation traced to ``Sheet!Cell``, and the canonical ``data/*.ttl`` files
  written only when everything conforms.
"""

from __future__ import annotations

from pickg.sheets.export import ExportSummary, export_workbook
from pickg.sheets.importing import import_workbook
from pickg.sheets.reading import Problem, WorkbookError
from pickg.sheets.review import CellResult, Change, SheetImport, render_markdown

__all__ = [
    "CellResult",
    "Change",
    "ExportSummary",
    "Problem",
    "SheetImport",
    "WorkbookError",
    "export_workbook",
    "import_workbook",
    "render_markdown",
]
