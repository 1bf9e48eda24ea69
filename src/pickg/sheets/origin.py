"""What an export was made from, so that an import never loses work done since.

Every export carries its *origin*: the state of ``data/`` it was made from (a digest of
the data files) and, for every row, a digest of the values its cells showed
(:func:`row_digest`). On import the three versions of a row are compared — as
exported, as the workbook has it, as ``data/`` has it now:

* the workbook left the row as exported: it changes nothing, whatever ``data/`` holds
  now (a newer edit by someone else is kept);
* the workbook changed the row and ``data/`` did not: the workbook's values are written;
* both changed it differently: a :class:`Conflict`, listed with both values at its cell,
  and nothing is written.

The XLSX and ODS workbooks keep the origin in a hidden sheet (:func:`origin_sheet`),
the CSV folder in one more file (:data:`ORIGIN_FILE`). :func:`import_lock` keeps two
imports that write from interleaving.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Literal
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.messages import translate
from pickg.graph.workspace import Workspace
from pickg.sheets.cells import value_key

__all__ = [
    "FORMAT",
    "LOCK_FILE",
    "ORIGIN_FILE",
    "Origin",
    "data_state",
    "import_lock",
    "origin_sheet",
    "read_origin_file",
    "row_digest",
]

#: The first cell of the origin sheet: what it is, and the version of its layout.
FORMAT = "pickg-origin 1"

#: The CSV folder's file holding the origin.
ORIGIN_FILE = "origin.csv"

#: The file (in the workspace's ``build/``) an import that writes holds locked.
LOCK_FILE = ".sheet-import.lock"


def origin_sheet(lang: str) -> str:
    """The name of the hidden sheet that holds the origin, in ``lang``."""
    return translate(lang, "sheets.origin_sheet")


def _canonical(term: Node) -> str:
    key = value_key(term)
    if isinstance(key, tuple):  # a number: by value, 233000 and 233000.0 alike
        datatype, number = key
        assert isinstance(number, Decimal)
        return f"{datatype}|{number.normalize()}"
    return term.n3() if isinstance(term, Literal) else f"<{term}>"


def row_digest(values: Mapping[str, list[Node]]) -> str:
    """The digest of one row: column key → the values its cell shows (order and form of
    numbers do not count)."""
    digest = hashlib.blake2b(digest_size=12)
    for key in sorted(values):
        terms = sorted(_canonical(v) for v in values[key])
        if not terms:
            continue
        digest.update(key.encode("utf-8") + b"\x1f")
        for text in terms:
            digest.update(text.encode("utf-8", "surrogatepass") + b"\x1e")
        digest.update(b"\x1d")
    return digest.hexdigest()


def data_state(ws: Workspace) -> str:
    """The digest of every data file (name and bytes): equal states, equal data."""
    digest = hashlib.sha256()
    for path in ws.data_files():
        digest.update(ws.relative(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


@dataclass
class Origin:
    """What a workbook was exported from: the data state and identifier → row digest."""

    state: str
    rows: dict[str, str] = field(default_factory=dict)

    def grid(self) -> list[list[object]]:
        """The origin as the rows of its sheet or file."""
        rows: list[list[object]] = [[FORMAT, self.state]]
        rows.extend([identifier, digest] for identifier, digest in sorted(self.rows.items()))
        return rows

    @classmethod
    def from_grid(cls, grid: list[list[object]]) -> Origin | None:
        """The origin a sheet or file holds, or None when it is not one."""
        if not grid or len(grid[0]) < 2 or str(grid[0][0] or "").strip() != FORMAT:
            return None
        rows = {
            str(row[0]).strip(): str(row[1]).strip()
            for row in grid[1:]
            if len(row) >= 2 and row[0] not in (None, "") and row[1] not in (None, "")
        }
        return cls(state=str(grid[0][1]).strip(), rows=rows)


class ImportLocked(InputError):
    """Another import is writing into ``data/``."""


@contextmanager
def import_lock(ws: Workspace, lang: str) -> Iterator[None]:
    """Hold ``data/``'s import lock for the duration; another holder makes it fail at once.

    The lock is the operating system's (``flock``): it goes with the process that holds
    it, killed or not, so it never outlives an import.

    :raises ImportLocked: another import holds it.
    """
    path = ws.root / "build" / LOCK_FILE  # beside the data, not in it: data/ holds only the data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise ImportLocked(translate(lang, "problems.locked", pid=holder)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_origin_file(folder: Path) -> Origin | None:
    """The origin of a CSV folder, or None when its file is missing or is not one."""
    import csv

    path = folder / ORIGIN_FILE
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:  # as the sheets: a byte order mark is no header
        return Origin.from_grid([list(row) for row in csv.reader(handle)])
