"""The hostile inputs of issue 27, each through a real ``pickg`` process: exit code,
seconds, peak resident memory and the message's first words; valid inputs beside them.

Inputs are generated into a scratch workspace (a copy of ``ontology/``, ``data/`` and
``queries/``) by ``tests/support/hostile_files.py`` and by editing an export of the
shipped data; nothing in the repository is touched. Memory is each process's own peak
(``VmHWM``, as ``tests/support/hostile_files.py`` measures it). Also measured in-process: what the workbook size check
costs on the shipped data's workbook.

Run ``.venv/bin/python bench/readers.py``; it writes ``bench/READERS.md`` (about a
minute on 2 cores).
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.hostile_files import long_literal, many_entries, run_measured, zip_bomb  # noqa: E402

from pickg.sheets import export_workbook  # noqa: E402
from pickg.sheets.archive import check_workbook_size  # noqa: E402


def measured(args: list[str], home: Path) -> tuple[int, float, float, str]:
    """Exit code, seconds, peak MiB and the message's first line of one ``pickg`` process."""
    env = {**os.environ, "PICKG_HOME": str(home), "PICKG_LANG": "en", "COLUMNS": "200"}
    code, seconds, peak, text = run_measured(args, env, home)
    lines = text.strip().splitlines()
    first = next((line for line in lines if "Error" in line or "Warning" in line), lines[-1] if lines else "")
    return code, seconds, peak / 1024**2, first[:110]


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="pickg-readers-"))
    home = scratch / "home"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    os.environ["PICKG_HOME"] = str(home)
    work = scratch / "inputs"
    work.mkdir()
    workbook = work / "pickg.xlsx"
    export_workbook(workbook, lang="en")
    sheets = work / "sheets"
    export_workbook(sheets, lang="en")

    def csv_variant(name: str, change: object) -> Path:
        folder = work / name
        shutil.copytree(sheets, folder)
        change(folder)  # type: ignore[operator]
        return folder

    def xlsx_variant(name: str, change: object) -> Path:
        book = load_workbook(workbook)
        change(book)  # type: ignore[operator]
        book.save(work / name)
        return work / name

    def fill_to_xfd(book: object) -> None:
        ws = book["Events"]  # type: ignore[index]
        for column in range(ws.max_column + 1, 16385):
            ws.cell(row=5, column=column, value="x")

    def nul(folder: Path) -> None:
        path = folder / "neighbourhoods.csv"
        rows = list(csv.reader(path.open(encoding="utf-8")))
        rows[4][1] = rows[4][1] + "\x00"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    def bom(folder: Path) -> None:
        for path in folder.iterdir():
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    def append(text: str) -> object:
        def change(folder: Path) -> None:
            with (folder / "events.csv").open("a", encoding="utf-8") as handle:
                handle.write(text)

        return change

    def sparse(folder: Path) -> None:
        with (folder / "sources.csv").open("r+b") as handle:
            handle.truncate(33 * 1024**2)

    bomb_dir = work / "bomb"
    bomb_dir.mkdir()
    lie_dir = work / "lie"
    lie_dir.mkdir()
    cases: list[tuple[str, list[str]]] = [
        ("shipped workbook (valid)", ["sheet", "import", str(workbook)]),
        ("shipped CSV folder (valid)", ["sheet", "import", str(sheets)]),
        ("zip bomb: 8 MB unpacking to 2.1 GB", ["sheet", "import", str(zip_bomb(bomb_dir, true_crc=True)), "--write"]),
        ("zip bomb, directory lies (1 kB)", ["sheet", "import", str(zip_bomb(lie_dir, declared=1000)), "--write"]),
        ("archive of 5,004 entries", ["sheet", "import", str(many_entries(work)), "--write"]),
        ("CSV folder of 33 MiB", ["sheet", "import", str(csv_variant("big", sparse)), "--write"]),
        ("CSV sheet of 100,001+ rows", ["sheet", "import", str(csv_variant("rows", append(",\n" * 100_000)))]),
        ("CSV row of 16,385 columns", ["sheet", "import", str(csv_variant("cols", append("x," * 16384 + "x\n")))]),
        ("CSV cell of 10 MB", ["sheet", "import", str(csv_variant("cell", append(',"' + "x" * 10**7 + '"\n')))]),
        ("NUL in a CSV cell", ["sheet", "import", str(csv_variant("nul", nul)), "--write"]),
        ("CSV with a byte order mark", ["sheet", "import", str(csv_variant("bom", bom)), "--write"]),
        ("row filled to column XFD", ["sheet", "import", str(xlsx_variant("xfd.xlsx", fill_to_xfd))]),
    ]
    for name in ("long.ttl", "long.nt", "long.jsonld", "long.trig"):
        path = long_literal(work / name)
        cases.append((f"17 MiB literal, {name}", ["stats", str(path)]))
        cases.append((f"17 MiB literal, {name}, rdflib", ["stats", str(path), "--store", "rdflib"]))
    in_data = home / "data" / "zz-long.ttl"
    for command in (["validate"], ["query", "run", "initiatives-per-neighbourhood"], ["fmt", "--check"]):
        cases.append((f"17 MiB literal in data/, {' '.join(command)}", command))
    rows = []
    for label, args in cases:
        if "in data/" in label and not in_data.exists():
            long_literal(in_data)
        code, seconds, peak, first = measured(args, home)
        shown = first.replace(str(scratch), "…").replace("|", "/")
        rows.append(f"| {label} | {code} | {seconds:.2f} | {peak:.0f} | {shown} |")
        print(rows[-1], flush=True)
    in_data.unlink()
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        check_workbook_size(workbook)
        timings.append(time.perf_counter() - started)
    check_ms = statistics.median(timings) * 1000
    text = [
        "# Readers under hostile input (issue 27)",
        "",
        f"Generated by `bench/readers.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: each input through one",
        "`pickg` process (Python start-up included, ~0.4 s and ~45 MiB); peak = the process's own",
        "maximum resident memory. The machine is shared: compare orders of magnitude.",
        "",
        "| input | exit | seconds | peak MiB | message (first line) |",
        "|---|---:|---:|---:|---|",
        *rows,
        "",
        f"The workbook size check on the shipped data's workbook (18 entries, 0.4 MiB unpacked): {check_ms:.1f} ms",
        "(median of 20).",
        "",
    ]
    (ROOT / "bench" / "READERS.md").write_text("\n".join(text), encoding="utf-8")
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
