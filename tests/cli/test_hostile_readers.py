"""Issue 27: every reader bounds what it reads; the hostile inputs of that round.

Each case is an input of the hostile corpus (counted in its summary, family
``readers``), generated when the test runs where it is large (never committed): a
literal or IRI over Oxigraph's 16 MiB buffer, zip bombs (size, a lying directory,
entries), oversized CSV folders, cells and sheets, control characters, a byte order
mark, a row filled to column XFD. Each gives its documented exit code and message,
within a time bound, and leaves ``data/`` byte for byte as it was, with or without
``--write``.
"""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from pickg.cli import main
from pickg.graph.errors import InputError, ParseError
from pickg.graph.rdfio import parse_file
from pickg.graph.store import open_store
from pickg.graph.workspace import Workspace
from pickg.sheets import export_workbook, import_workbook
from pickg.sheets.archive import MAX_ENTRIES, MAX_UNPACKED_BYTES, WorkbookTooLargeError
from pickg.sheets.export import HEADER_ROWS
from pickg.sheets.screening import MAX_COLUMNS, MAX_ROWS, SheetTooLargeError
from tests.support.hostile_files import long_literal, many_entries, run_measured, xlsx_with_sheet, zip_bomb
from tests.support.summary import CORPUS

#: Seconds a refused input may take in-process; the zip bomb's bound is the issue's 5 s.
BOUND = 20.0
BOMB_SECONDS = 5.0
BOMB_BYTES = 200 * 1024**2


def counted(name: str) -> None:
    """One more input of the corpus, in the ``readers`` family."""
    CORPUS["inputs"] += 1
    CORPUS["runs"] += 1
    CORPUS["families"]["readers"] = CORPUS["families"].get("readers", 0) + 1


def digest(ws: Workspace) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(ws.data_dir.iterdir()) if p.is_file()}


@pytest.fixture
def untouched(workspace_copy: Workspace) -> Iterator[Workspace]:
    """The scratch workspace, whose data/ must end byte for byte as it began."""
    before = digest(workspace_copy)
    yield workspace_copy
    assert digest(workspace_copy) == before, "data/ changed"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("readers") / "pickg.xlsx"
    export_workbook(path, lang="en")
    return path


@pytest.fixture(scope="module")
def csv_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readers-csv") / "sheets"
    export_workbook(folder, lang="en")
    return folder


def csv_copy(csv_export: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "sheets"
    folder.mkdir()
    for path in csv_export.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def sheet_import(workbook: Path, *extra: str) -> tuple[Result, float]:
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sheet", "import", str(workbook), "--lang", "en", *extra])
    return result, time.monotonic() - started


def refused_both_ways(workbook: Path, *fragments: str) -> str:
    """``sheet import`` with and without ``--write``: exit 2, one sentence holding every fragment."""
    counted(workbook.name)
    message = ""
    for extra in ((), ("--write",)):
        result, seconds = sheet_import(workbook, *extra)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == 2, result.output
        assert seconds < BOUND, seconds
        message = result.output.strip()
        assert "Traceback" not in message and message.startswith("Error: "), message
        for fragment in fragments:
            assert fragment in message, message
    return message


# --- literals and IRIs over Oxigraph's buffer -------------------------------------------------

LONG = [("long.ttl", "literal"), ("long.nt", "literal"), ("long.trig", "literal"), ("long.nq", "literal")]
LONG += [("long.jsonld", "literal"), ("long-iri.ttl", "iri")]


@pytest.mark.parametrize(("name", "kind"), LONG)
def test_a_term_over_16_mib_is_refused_by_every_reader(tmp_path: Path, name: str, kind: str) -> None:
    path = long_literal(tmp_path / name, kind=kind)
    counted(name)

    def into_oxigraph() -> None:
        with open_store("oxigraph", [path]):
            pass

    for read in (lambda: parse_file(path), into_oxigraph):
        started = time.monotonic()
        with pytest.raises(ParseError) as caught:
            read()
        assert time.monotonic() - started < BOUND
        assert str(caught.value).startswith(f"{path}: it holds a literal or an IRI longer than 16 MiB"), caught.value


def test_a_term_just_under_16_mib_is_read(tmp_path: Path) -> None:
    path = long_literal(tmp_path / "under.nt", size=16 * 1024**2 - 1024)
    assert len(parse_file(path)) == 1


@pytest.mark.parametrize("declaration", ['SYSTEM "file:///etc/passwd"', 'PUBLIC "-//x//y" "http://127.0.0.1:9/x"'])
def test_an_external_entity_is_refused_in_those_words(tmp_path: Path, declaration: str) -> None:
    path = tmp_path / "xxe.rdf"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x {declaration}>]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://x/">'
        '<rdf:Description rdf:about="http://x/s"><e:p>&x;</e:p></rdf:Description></rdf:RDF>',
        encoding="utf-8",
    )
    counted(path.name)

    def into_oxigraph() -> None:
        with open_store("oxigraph", [path]):
            pass

    for read in (lambda: parse_file(path), into_oxigraph):
        with pytest.raises(ParseError) as caught:
            read()
        assert str(caught.value).startswith(f"{path}:2:"), caught.value
        assert "declares the external entity 'x'" in str(caught.value)
        assert "external entities are not read" in str(caught.value)


def pickg(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pickg.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PICKG_HOME": str(home), "PICKG_LANG": "en"},
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


@pytest.mark.system
def test_a_long_literal_in_the_data_stops_every_command_with_a_sentence(untouched: Workspace, tmp_path: Path) -> None:
    query = tmp_path / "all.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    path = long_literal(untouched.data_dir / "zz-long.ttl")
    try:
        refused_everywhere(untouched, path, query)
    finally:
        path.unlink()


def refused_everywhere(untouched: Workspace, path: Path, query: Path) -> None:
    before = digest(untouched)
    commands = [
        ["stats"],
        ["stats", "--store", "rdflib"],
        ["validate"],
        ["validate", "--engine", "pyshacl"],
        ["query", "run", "initiatives-per-neighbourhood"],
        ["query", "run", "initiatives-per-neighbourhood", "--store", "rdflib"],
        ["sparql", str(query)],
        ["fmt", "--check"],
        ["fmt"],
    ]
    for command in commands:
        counted(f"{path.name} ({' '.join(command)})")
        done = pickg(*command, home=untouched.root)
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 2, (command, done.returncode, done.stderr)
        message = done.stderr.strip()
        assert message.startswith("Error: ") and "\n" not in message, message
        assert "zz-long.ttl" in message and "longer than 16 MiB" in message, message
    assert digest(untouched) == before


# --- zip bombs and oversized workbooks ------------------------------------------------------------


@pytest.mark.parametrize("write", [False, True])
def test_a_zip_bomb_is_refused_before_any_parser_reads_it(tmp_path: Path, untouched: Workspace, write: bool) -> None:
    bomb = zip_bomb(tmp_path)
    counted(bomb.name)
    started = time.monotonic()
    with pytest.raises(WorkbookTooLargeError) as caught:
        import_workbook(bomb, write=write, lang="en", workspace=untouched)
    assert time.monotonic() - started < BOMB_SECONDS
    message = str(caught.value)
    assert f"{bomb}: this workbook unpacks to 1.96 GiB (xl/worksheets/sheet1.xml alone 1.96 GiB)" in message
    assert "more than the 128 MiB pickg reads" in message and MAX_UNPACKED_BYTES == 128 * 1024**2


def test_a_bomb_whose_directory_lies_is_refused_as_damaged(tmp_path: Path, untouched: Workspace) -> None:
    bomb = zip_bomb(tmp_path, declared=1000)
    refused_both_ways(bomb, str(bomb), "archive is damaged", "Bad CRC-32", "xl/worksheets/sheet1.xml")


def test_an_archive_of_thousands_of_entries_is_refused_from_its_end_record(
    tmp_path: Path, untouched: Workspace
) -> None:
    archive = many_entries(tmp_path, count=5000)
    message = refused_both_ways(archive, str(archive), "5,004 entries", f"more than the {MAX_ENTRIES:,} pickg reads")
    assert "entries" in message


def test_a_csv_folder_larger_than_the_limit_is_refused_unread(
    csv_export: Path, tmp_path: Path, untouched: Workspace
) -> None:
    folder = csv_copy(csv_export, tmp_path)
    with (folder / "sources.csv").open("r+b") as handle:  # a sparse file: no disk, no time
        handle.truncate(MAX_UNPACKED_BYTES + 1)
    refused_both_ways(folder, str(folder), "the CSV files of this folder take", "more than the 128 MiB pickg reads")


SHEET = (
    '<?xml version="1.0"?><!DOCTYPE w [{dtd}]><worksheet '
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
    '<c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>'
)
LAUGHS = '<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
)


@pytest.mark.parametrize(
    ("name", "dtd", "text", "reason"),
    [
        ("laughs.xlsx", LAUGHS, "&j;", "unrecognized entity `&j;`"),
        ("xxe.xlsx", '<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;", "unrecognized entity `&x;`"),
    ],
)
def test_entities_in_a_sheet_are_refused(
    tmp_path: Path, untouched: Workspace, name: str, dtd: str, text: str, reason: str
) -> None:
    workbook = xlsx_with_sheet(tmp_path / name, SHEET.format(dtd=dtd, text=text))
    refused_both_ways(workbook, name, reason)


# --- sheets: rows, columns, cells -----------------------------------------------------------------


def test_a_csv_sheet_of_too_many_rows_is_refused(csv_export: Path, tmp_path: Path, untouched: Workspace) -> None:
    folder = csv_copy(csv_export, tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write(",\n" * MAX_ROWS)
    refused_both_ways(folder, "events.csv: the sheet has 100,001 rows, more than the 100,000 pickg reads")


def test_a_csv_row_of_too_many_columns_is_refused(csv_export: Path, tmp_path: Path, untouched: Workspace) -> None:
    folder = csv_copy(csv_export, tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("x," * MAX_COLUMNS + "x\n")
    refused_both_ways(folder, "events.csv: the sheet has 16,385 columns, more than the 16,384 pickg reads")


def test_a_cell_past_row_100000_of_a_workbook_is_refused(exported: Path, tmp_path: Path, untouched: Workspace) -> None:
    book = load_workbook(exported)
    book["Events"].cell(row=MAX_ROWS + 5, column=2, value="far away")
    out = tmp_path / "far.xlsx"
    book.save(out)
    refused_both_ways(out, "Events: the sheet has 100,005 rows, more than the 100,000 pickg reads")


def test_a_ten_megabyte_csv_cell_is_refused_with_its_row(
    csv_export: Path, tmp_path: Path, untouched: Workspace
) -> None:
    folder = csv_copy(csv_export, tmp_path)
    with (folder / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write(',"' + "x" * 10_000_000 + '"\n')
    rows = sum(1 for _ in csv.reader((csv_export / "events.csv").open(encoding="utf-8")))
    refused_both_ways(folder, f"events.csv, row {rows + 1}: a cell holds more than 131,072 characters")


def test_a_row_filled_to_column_xfd_is_read_and_its_stray_cells_named(
    exported: Path, tmp_path: Path, untouched: Workspace
) -> None:
    book = load_workbook(exported)
    ws = book["Events"]
    width = ws.max_column
    row = HEADER_ROWS + 2
    for column in range(width + 1, MAX_COLUMNS + 1):
        ws.cell(row=row, column=column, value="x")
    out = tmp_path / "xfd.xlsx"
    book.save(out)
    counted(out.name)
    result, seconds = sheet_import(out, "--write")  # nothing to write: the data is the shipped data
    assert result.exit_code == 0, result.output
    assert seconds < BOUND, seconds
    stray = MAX_COLUMNS - width
    assert f"{stray:,} cells under no header are not read" in result.output, result.output
    assert f"XFD{row}" in result.output, result.output


def test_stray_cells_of_a_csv_sheet_are_named(csv_export: Path, tmp_path: Path, untouched: Workspace) -> None:
    folder = csv_copy(csv_export, tmp_path)
    path = folder / "neighbourhoods.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[HEADER_ROWS] += ["", "", "stray"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert lines
    outcome = import_workbook(folder, lang="en", workspace=untouched)
    [warning] = [r for r in outcome.results if r.where == "neighbourhoods.csv"]
    assert warning.severity == "Warning" and warning.message.startswith("1 cell under no header is not read (M4)")
    assert outcome.changes == []
    assert "| `neighbourhoods.csv` | Warning | 1 cell under no header is not read (M4)" in outcome.markdown()


# --- control characters and the byte order mark --------------------------------------------------


def neighbourhood_cell(rows: list[list[str]], name: str) -> int:
    return next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] == name)


@pytest.mark.parametrize(("character", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x85", "U+0085")])
def test_a_control_character_in_a_csv_cell_is_refused_at_its_cell(
    csv_export: Path, tmp_path: Path, untouched: Workspace, character: str, code: str
) -> None:
    folder = csv_copy(csv_export, tmp_path)
    path = folder / "neighbourhoods.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    at = neighbourhood_cell(rows, "Ahuntsic")
    rows[at][1] = f"Ahunt{character}sic"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    refused_both_ways(folder, f"neighbourhoods.csv!B{at + 1}: the cell holds a control character ({code})")


def test_control_characters_in_a_workbook_are_refused_at_their_cells(
    exported: Path, tmp_path: Path, untouched: Workspace
) -> None:
    """openpyxl writes DEL and C1 controls (not C0); a tab is text in a text column only."""
    book = load_workbook(exported)
    ws = book["Neighbourhoods"]
    row = next(r for r in range(HEADER_ROWS + 1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "Ahuntsic")
    ws.cell(row=row, column=2, value="Ahunt\x7fsic")
    ws.cell(row=row, column=7, value="Autre\tnom")  # a text column: the tab is text
    ws.cell(row=row + 1, column=4, value="\x9b" + str(ws.cell(row=row + 1, column=4).value))
    ws.cell(row=row + 2, column=4, value=str(ws.cell(row=row + 2, column=4).value) + "\t")
    out = tmp_path / "controls.xlsx"
    book.save(out)
    message = refused_both_ways(
        out,
        f"Neighbourhoods!B{row}: the cell holds a control character (U+007F)",
        f"Neighbourhoods!D{row + 1}: the cell holds a control character (U+009B)",
        f"Neighbourhoods!D{row + 2}: the cell holds a control character (U+0009)",
    )
    assert f"G{row}" not in message


def test_a_csv_folder_saved_with_a_byte_order_mark_imports_unchanged(
    csv_export: Path, tmp_path: Path, untouched: Workspace
) -> None:
    """Excel's "CSV UTF-8" begins every file with a byte order mark."""
    folder = csv_copy(csv_export, tmp_path)
    for path in folder.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    counted("bom")
    result, _ = sheet_import(folder, "--write")
    assert result.exit_code == 0, result.output


def test_a_nul_written_into_the_data_no_longer_validates(untouched: Workspace) -> None:
    path = untouched.data_dir / "neighbourhoods.ttl"
    original = path.read_bytes()
    path.write_bytes(original.replace(b'"Ahuntsic"@fr', b'"Ahunt\x00sic"@fr', 1))
    counted(path.name)
    result = CliRunner().invoke(main, ["validate", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "control-character-violation" in result.output and "Ahunt\ufffdsic" in result.output
    path.write_bytes(original)


def test_the_limits_are_input_errors() -> None:
    assert issubclass(WorkbookTooLargeError, InputError) and issubclass(SheetTooLargeError, InputError)


# --- the zip bomb through a real process: time and memory ---------------------------------------


@pytest.mark.system
@pytest.mark.parametrize("write", [False, True])
def test_the_zip_bomb_is_refused_in_a_process_in_bounded_time_and_memory(
    tmp_path: Path, untouched: Workspace, write: bool
) -> None:
    bomb = zip_bomb(tmp_path, true_crc=True)
    counted(f"{bomb.name} (process)")
    env = {**os.environ, "PICKG_HOME": str(untouched.root), "PICKG_LANG": "en"}
    args = ["sheet", "import", str(bomb), *(["--write"] if write else [])]
    code, seconds, peak, output = run_measured(args, env, tmp_path)
    assert code == 2 and "Traceback" not in output, output
    assert output.startswith(f"Error: {bomb}: this workbook unpacks to"), output
    assert seconds < BOMB_SECONDS, seconds
    assert peak < BOMB_BYTES, peak
