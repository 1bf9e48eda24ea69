"""Benchmark a steward's loop at 5k, 20k and 50k rows: review and ``--write`` of an edited workbook.

    .venv/bin/python bench/sheet_rows.py                 # 5k, 20k, 50k rows
    .venv/bin/python bench/sheet_rows.py --rows 5000
    .venv/bin/python bench/sheet_rows.py --table         # the table again from the kept results

For each size, a workspace of synthetic data (``pickg synth``, about 12.3 rows of the
workbook per neighbourhood, brought to canonical form as ``data/`` always is) is
exported once, untimed, and one cell is changed (a neighbourhood's ordinal). Each
measurement runs in its own process and reports its CPU time (user + system, so that
other work on the machine does not count) and its peak memory (its own peak resident
set size, ``VmHWM``):

* ``floor-calamine`` and ``floor-openpyxl`` — a bare read of every cell of the same
  workbook by python-calamine and by openpyxl (read-only mode): what any import pays;
* ``review`` — :func:`pickg.sheets.import_workbook` without ``write``: read, compare
  three ways, review, validate;
* ``write`` — the same with ``write=True`` on a copy of the workspace.

Results: ``bench/scratch/sheet-rows/rows.json`` and the table in ``bench/SHEETS.md``
(between its ``rows`` markers).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch" / "sheet-rows"
ROWS_PER_NEIGHBOURHOOD = 12.3

WORKER = """
import json, sys, time
from pathlib import Path
op, home, book = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
start = time.process_time()
if op == "floor-calamine":
    from python_calamine import CalamineWorkbook
    wb = CalamineWorkbook.from_path(str(book))
    cells = sum(len(r) for n in wb.sheet_names for r in wb.get_sheet_by_name(n).to_python())
elif op == "floor-openpyxl":
    from openpyxl import load_workbook
    wb = load_workbook(book, read_only=True)
    cells = sum(len(r) for ws in wb.worksheets for r in ws.iter_rows(values_only=True))
else:
    from pickg.graph.workspace import Workspace
    from pickg.sheets import import_workbook
    outcome = import_workbook(book, write=op == "write", workspace=Workspace(home))
    assert outcome.conforms and len(outcome.changes) == 1, outcome.changes
    cells = len(outcome.changes)
seconds = time.process_time() - start
# VmHWM: this program's peak (ru_maxrss would count the parent it was forked from)
status = Path("/proc/self/status").read_text()
peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
print(json.dumps({"cpu": seconds, "mib": peak, "cells": cells}))
"""


def prepare(rows: int, reuse: bool) -> tuple[Path, Path, int]:
    """A workspace of about ``rows`` rows, its exported workbook with one edit, and the exact row count."""
    from openpyxl import load_workbook

    from pickg.graph.canonical import format_file
    from pickg.graph.workspace import Workspace
    from pickg.sheets import export_workbook

    home = WORK / f"home-{rows}"
    edited = WORK / f"edited-{rows}.xlsx"
    if reuse and edited.is_file() and home.is_dir():
        from python_calamine import CalamineWorkbook

        for folder in ("ontology", "queries"):  # the shapes and checks as they are now
            shutil.rmtree(home / folder)
            shutil.copytree(ROOT / folder, home / folder)

        book_in = CalamineWorkbook.from_path(str(edited))
        count = sum(len(book_in.get_sheet_by_name(n).to_python()) - 3 for n in book_in.sheet_names[:-2])
        return home, edited, count
    if home.exists():
        shutil.rmtree(home)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    neighbourhoods = round(rows / ROWS_PER_NEIGHBOURHOOD)
    synth = [sys.executable, "-m", "pickg.cli", "synth", "-n", str(neighbourhoods), "--seed", "1", "-f", "ttl"]
    subprocess.run([*synth, "--out", str(home / "data")], check=True, capture_output=True)
    for data_file in (home / "data").glob("*.ttl"):  # in canonical form, as data/ always is (pickg fmt)
        format_file(data_file)
    exported = WORK / f"export-{rows}.xlsx"
    summary = export_workbook(exported, lang="fr", workspace=Workspace(home))  # the "Rang" header below
    book = load_workbook(exported)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=4, column=headers.index("Rang") + 1, value=999)
    book.save(edited)
    return home, edited, sum(summary.rows.values())


def run(op: str, home: Path, book: Path) -> dict[str, float]:
    if op == "write":
        copy = home.with_name(home.name + "-write")
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(home, copy)
        home = copy
    done = subprocess.run(
        [sys.executable, "-c", WORKER, op, str(home), str(book)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{op} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="5000,20000,50000", help="comma-separated row counts")
    parser.add_argument("--reuse", action="store_true", help="reuse a size's workspace and workbook made before")
    parser.add_argument("--table", action="store_true", help="only write the table of the results kept before")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    kept = WORK / "rows.json"
    previous = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else []
    results = {r.get("size") or round(r["rows"], -3): r for r in previous}  # a size measured again replaces its row
    for rows in () if args.table else (int(r) for r in args.rows.split(",")):
        home, book, exact = prepare(rows, args.reuse)
        measured = {op: run(op, home, book) for op in ("floor-calamine", "floor-openpyxl", "review", "write")}
        results[rows] = {"size": rows, "rows": exact, "workbook_bytes": book.stat().st_size, "ops": measured}
        print(json.dumps(results[rows]), flush=True)
        kept.write_text(json.dumps(sorted(results.values(), key=lambda r: r["rows"]), indent=2), encoding="utf-8")
    ordered = sorted(results.values(), key=lambda r: r["rows"])
    lines = [
        "| rows | workbook | calamine read: CPU, peak | openpyxl read: CPU, peak "
        "| review: CPU | review: peak | `--write`: CPU | `--write`: peak |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in ordered:
        o = r["ops"]
        lines.append(
            f"| {r['rows']:,} | {r['workbook_bytes'] / 1024:,.0f} KiB "
            f"| {o['floor-calamine']['cpu']:.2f} s, {o['floor-calamine']['mib']:,.0f} MiB "
            f"| {o['floor-openpyxl']['cpu']:.2f} s, {o['floor-openpyxl']['mib']:,.0f} MiB "
            f"| {o['review']['cpu']:.1f} s | {o['review']['mib']:,.0f} MiB "
            f"| {o['write']['cpu']:.1f} s | {o['write']['mib']:,.0f} MiB |"
        )
    target = ROOT / "bench" / "SHEETS.md"
    text = target.read_text(encoding="utf-8")
    start, end = "<!-- rows -->", "<!-- /rows -->"
    table = start + "\n" + "\n".join(lines) + "\n" + end
    if start in text:
        text = text[: text.index(start)] + table + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + table + "\n"
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
