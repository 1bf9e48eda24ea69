"""Helpers for the tests of the stewards' workbook: edit an exported workbook as a steward would."""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from pickg.graph.collector import paused_gc
from pickg.graph.namespaces import PREFIXES
from pickg.graph.workspace import Workspace
from pickg.sheets.export import HEADER_ROWS

#: What a steward's message never holds: a project name (``pic:supportTier``, ``nbh:verdun``),
#: an IRI, or an RDF word.
RDF_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(PREFIXES, key=len, reverse=True)) + r"):[A-Za-z0-9_]"
    r"|https?://(?:w3id\.org|www\.w3\.org|schema\.org|purl\.org)|<https?:|\bIRI\b|\btriplets?\b|\btriples?\b"
)


def data_bytes(ws: Workspace) -> dict[str, bytes]:
    """Every data file's bytes, by name."""
    return {p.name: p.read_bytes() for p in sorted(ws.data_dir.glob("*.ttl"))}


def data_digest(ws: Workspace) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in data_bytes(ws).items()}


def header_index(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def row_of(ws, identifier: str) -> int:
    return next(r for r in range(HEADER_ROWS + 1, ws.max_row + 1) if ws.cell(row=r, column=1).value == identifier)


#: The workbooks :func:`open_workbook` read, pickled, by path, size and modification time.
_READ: dict[tuple[Path, int, int], bytes] = {}


def open_workbook(path: Path):
    """openpyxl's reading of the workbook at ``path``, a new copy at each call.

    The file is read once and kept pickled: unpickling gives the same workbook (saved
    again, the same parts, byte for byte, but the time of saving) eight times faster
    than openpyxl reads it (0.02 s against 0.18 s for the shipped data's export), and
    most tests edit the one export of the session.
    """
    stat = path.stat()
    key = (path.resolve(), stat.st_size, stat.st_mtime_ns)
    with paused_gc():  # a workbook is some hundred thousand objects, none of them garbage
        if key not in _READ:
            _READ[key] = pickle.dumps(load_workbook(path), protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads(_READ[key])


def edit(workbook: Path, out: Path, change: Callable) -> tuple[Path, object]:
    """A copy of ``workbook`` at ``out`` with ``change(book)`` applied; and what ``change`` returned."""
    book = open_workbook(workbook)
    where = change(book)
    book.save(out)
    return out, where


def set_cell(sheet: str, identifier: str, header: str, value: object) -> Callable:
    """A change that writes ``value`` in the cell of ``header`` on the row of ``identifier``; returns the cell."""

    def change(book) -> str:
        ws = book[sheet]
        cell = ws.cell(row=row_of(ws, identifier), column=header_index(ws, header))
        cell.value = value
        return f"{sheet}!{cell.coordinate}"

    return change


def libreoffice_convert(source: Path, target: str, out: Path, profile: Path) -> Path:
    """Have real LibreOffice (headless, its own ``profile``) save ``source`` as ``target``
    (``ods``, ``pdf``, ``xlsx:Calc MS Excel 2007 XML``) into ``out``; the file it wrote."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (Debian: apt-get install libreoffice-calc-nogui); make test-deps installs it"
    command = [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}"]
    done = subprocess.run(
        [*command, "--convert-to", target, "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out / f"{source.stem}.{target.split(':')[0]}"
