"""Large hostile inputs, generated when a test runs (never committed): zip bombs, over-long
literals, oversized CSV files.

Each builder writes into the folder it is given and returns the path; each takes well
under a second except :func:`zip_bomb` with ``true_crc`` (about 1.5 s: the CRC of 2 GB).
"""

from __future__ import annotations

import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

#: The parts of an XLSX file besides its sheet: enough for openpyxl to open the sheet.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Quartiers" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}

_ROW = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"


def _zip(path: Path, entries: list[tuple[str, bytes, int, int, int]]) -> Path:
    """Write a zip archive by hand: (name, deflated data, CRC, declared size, method) per entry."""
    local = bytearray()
    central = bytearray()
    for name, data, crc, size, method in entries:
        raw = name.encode()
        offset = len(local)
        local += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size, len(raw), 0)
        local += raw + data
        central += struct.pack(
            "<4s6H3I5H2I",
            b"PK\x01\x02",
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(data),
            size,
            len(raw),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += raw
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def _deflated(text: str) -> tuple[bytes, int, int]:
    data = text.encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def zip_bomb(folder: Path, unpacked: int = 2_100_000_000, declared: int | None = None, true_crc: bool = False) -> Path:
    """An XLSX file whose ``xl/worksheets/sheet1.xml`` unpacks to ``unpacked`` bytes (2.1 GB)
    of rows, from about 8 MB.

    :param declared: the size its directory declares (the true size if None; a smaller
        one makes a directory that lies).
    :param true_crc: compute the true CRC of the sheet (1.5 s); otherwise the archive is
        only refused for its size, as a reader finds the CRC wrong only at the end.
    """
    chunk = _ROW * (1_000_000 // len(_ROW))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)  # no reference to what came before
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    count = (unpacked - len(head)) // len(chunk)
    opener = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = opener.compress(head) + opener.flush(zlib.Z_FULL_FLUSH)
    closer = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = closer.compress(b"</sheetData></worksheet>") + closer.flush()
    data = first + block * count + last
    size = len(head) + len(chunk) * count + len(b"</sheetData></worksheet>")
    crc = 0
    if true_crc:
        crc = zlib.crc32(head)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(b"</sheetData></worksheet>", crc)
    entries = [(name, *_deflated(text), 8) for name, text in _XLSX_PARTS.items()]
    entries.append(("xl/worksheets/sheet1.xml", data, crc, size if declared is None else declared, 8))
    return _zip(folder / "bomb.xlsx", entries)


def many_entries(folder: Path, count: int = 5000) -> Path:
    """An XLSX-looking archive of ``count`` empty entries besides its parts."""
    entries = [(name, *_deflated(text), 8) for name, text in _XLSX_PARTS.items()]
    empty = _deflated("")
    entries += [(f"xl/media/empty{i}.xml", *empty, 8) for i in range(count)]
    return _zip(folder / "entries.xlsx", entries)


def long_literal(path: Path, size: int = 17 * 1024**2, kind: str = "literal") -> Path:
    """An RDF file (its format from its suffix) holding one literal (or IRI) of ``size`` characters."""
    big = "a" * size
    suffix = path.suffix
    if kind == "iri":
        term = f"<http://example.org/{big}>"
        path.write_text(f'{term} <http://example.org/p> "x" .\n', encoding="utf-8")
        return path
    if suffix == ".jsonld":
        path.write_text('{"@id": "http://example.org/a", "http://example.org/p": "' + big + '"}', encoding="utf-8")
    elif suffix in (".trig", ".nq"):
        triple = f'<http://example.org/a> <http://example.org/p> "{big}"'
        text = (
            f"<http://example.org/g> {{ {triple} . }}\n"
            if suffix == ".trig"
            else f"{triple} <http://example.org/g> .\n"
        )
        path.write_text(text, encoding="utf-8")
    else:
        path.write_text(f'<http://example.org/a> <http://example.org/p> "{big}" .\n', encoding="utf-8")
    return path


#: Runs ``pickg`` with the arguments after ``--``, then writes the process's own peak
#: resident memory (``VmHWM``, KiB) to the file named first. A parent's ``wait4`` is no
#: measure: on Linux a child's ``ru_maxrss`` starts at the size of the parent it forked from.
_MEASURED = """\
import atexit, re, sys
out, args = sys.argv[1], sys.argv[3:]
def peak():
    status = open("/proc/self/status").read()
    open(out, "w").write(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
atexit.register(peak)
sys.argv = ["pickg", *args]
from pickg.cli import main
main()
"""


def run_measured(args: list[str], env: dict[str, str], scratch: Path) -> tuple[int, float, int, str]:
    """One ``pickg`` process: its exit code, seconds, peak resident memory (bytes) and output."""
    peak = scratch / "peak.txt"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak), "--", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=600,
        check=False,
    )
    seconds = time.monotonic() - started
    return done.returncode, seconds, int(peak.read_text()) * 1024, done.stdout + done.stderr


def xlsx_with_sheet(path: Path, sheet_xml: str) -> Path:
    """An XLSX file whose one sheet (``Quartiers``) is ``sheet_xml``, as written."""
    entries = [(name, *_deflated(text), 8) for name, text in _XLSX_PARTS.items()]
    entries.append(("xl/worksheets/sheet1.xml", *_deflated(sheet_xml), 8))
    return _zip(path, entries)
