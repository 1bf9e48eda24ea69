"""How much of a workbook pickg reads, checked before any spreadsheet parser opens it.

An ``.xlsx`` or ``.ods`` workbook is a zip archive whose parts are unpacked to be read:
a file of a few megabytes can unpack to gigabytes (a "zip bomb": 6.3 MB holding a
2.1 GB ``sheet1.xml`` kept a reader at full CPU, its memory growing without end). So
before any parser sees the file, :func:`check_workbook_size`:

1. reads the number of entries from the archive's end record (22 bytes near its end)
   and refuses more than :data:`MAX_ENTRIES`, before the directory of entries is read
   (a directory of millions of entries is itself a bomb);
2. refuses an archive whose entries, as its directory declares them, unpack to more
   than :data:`MAX_UNPACKED_BYTES` in all;
3. unpacks every entry as a stream, without keeping it: a directory that understates a
   size is caught there (the standard library stops each entry at its declared size
   and checks its CRC), so every parser, whatever zip library it uses, then reads an
   archive whose sizes are true.

A folder of CSV files is held to the same :data:`MAX_UNPACKED_BYTES` in all. The checks
are the same for every zip container (they read no part's content), so ``.xlsx`` and
``.ods`` are bounded alike. On a shipped-data export (18 entries, 0.4 MiB unpacked) they
take about a millisecond; a bomb is refused from its directory, without unpacking.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from pickg.graph.errors import InputError
from pickg.graph.inputs import describe_size
from pickg.graph.messages import translate

__all__ = ["MAX_ENTRIES", "MAX_UNPACKED_BYTES", "WorkbookTooLargeError", "check_workbook_size"]

#: The most a workbook unpacks to (all entries of its archive, or all files of a CSV
#: folder): 128 MiB, 320 times the 0.4 MiB of the shipped data's workbook and nearly
#: twice the 71 MiB of a 50,000-row one (the size ``bench/sheet_rows.py`` measures a
#: steward's loop at, with an English column beside each French text). python-calamine
#: reads such a workbook's cells in about a second, so this bounds the reading too.
MAX_UNPACKED_BYTES = 128 * 1024**2

#: The most entries a workbook's archive holds: an exported workbook has 18, a
#: LibreOffice ``.ods`` about 10.
MAX_ENTRIES = 1000

_END_RECORD = b"PK\x05\x06"
_END_SIZE = 22
_COMMENT_MAX = 0xFFFF
_CHUNK = 1024**2


class WorkbookTooLargeError(InputError):
    """A workbook is larger than pickg reads (:data:`MAX_UNPACKED_BYTES`, :data:`MAX_ENTRIES`)."""


def _declared_entries(path: Path) -> int | None:
    """The number of entries the archive's end record declares (None: no end record)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - _END_SIZE - _COMMENT_MAX))
        tail = handle.read()
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_SIZE:
        return None
    entries: int = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    return entries  # 0xFFFF: a zip64 archive, more than any workbook has


def _too_large(path: Path, key: str, lang: str, **values: object) -> WorkbookTooLargeError:
    return WorkbookTooLargeError(translate(lang, f"problems.{key}", path=str(path), **values))


def check_workbook_size(path: Path, lang: str = "fr") -> None:
    """Refuse a workbook (a zip archive, or a folder of CSV files) larger than pickg reads.

    A file that is not a zip archive is left to the reader, which says what it is.

    :raises WorkbookTooLargeError: more than :data:`MAX_ENTRIES` entries, or more than
        :data:`MAX_UNPACKED_BYTES` unpacked (declared or found while unpacking).
    :raises InputError: the archive is damaged (an entry's data does not match its CRC).
    """
    limit = describe_size(MAX_UNPACKED_BYTES)
    if path.is_dir():
        total = sum(p.stat().st_size for p in path.glob("*.csv") if p.is_file())
        if total > MAX_UNPACKED_BYTES:
            raise _too_large(path, "too_large_folder", lang, size=describe_size(total), limit=limit)
        return
    entries = _declared_entries(path)
    if entries is None:
        return
    if entries > MAX_ENTRIES:
        raise _too_large(path, "too_many_entries", lang, n=entries, limit=MAX_ENTRIES)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise _too_large(path, "too_many_entries", lang, n=len(infos), limit=MAX_ENTRIES)
            declared = sum(info.file_size for info in infos)
            if declared > MAX_UNPACKED_BYTES:
                largest = max(infos, key=lambda info: info.file_size)
                raise _too_large(
                    path,
                    "too_large_archive",
                    lang,
                    size=describe_size(declared),
                    limit=limit,
                    entry=largest.filename,
                    entry_size=describe_size(largest.file_size),
                )
            for info in infos:  # each read stops at its declared size and checks its CRC
                with archive.open(info) as member:
                    while member.read(_CHUNK):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        detail = f"{type(error).__name__}: {error}"
        raise InputError(translate(lang, "problems.damaged_archive", path=str(path), detail=detail)) from None
