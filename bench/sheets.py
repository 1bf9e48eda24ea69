"""Benchmark ``pickg sheet export`` and ``pickg sheet import``, against bare libraries, in one run.

    .venv/bin/python bench/sheets.py                   # the shipped data and ~100k triples
    .venv/bin/python bench/sheets.py --sizes shipped --repeat 1

For the shipped data and for a workspace whose data is a synthetic graph of about 100k
triples (``pickg synth``), each measurement runs in its own worker process:

* ``export-floor`` — pyoxigraph parses the ontology, vocabularies and data, and
  openpyxl writes a workbook of the very cells pickg's export holds (what any exporter
  must do at least: read the graph, write the cells);
* ``export`` — :func:`pickg.sheets.export_workbook` to XLSX; ``export-csv`` to the CSV folder;
* ``import-floor`` — openpyxl reads the workbook and pyoxigraph parses the workspace;
* ``import`` — :func:`pickg.sheets.import_workbook` of the unchanged workbook (read,
  compared, no change found: no validation to run);
* ``import-edit`` — the same with one cell changed (an ordinal), so the review is made
  and the result validated (fast engine, data checks included);
* ``validate-fast`` and, on the shipped data only, ``validate-pyshacl`` — the validation
  an import runs, by the fast engine (the graph in an Oxigraph store in memory, the
  shapes compiled to SPARQL) and by pySHACL on the same graph: the gain of
  :func:`pickg.sheets.importing._validate`'s choice.

Figures are medians of ``--repeat`` runs and ratios to the floor of the same run:
``bench/scratch/sheets/sheets.json`` and ``bench/SHEETS.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch" / "sheets"
TRIPLES_PER_NEIGHBOURHOOD = 187
OPS = ("export-floor", "export", "export-csv", "import-floor", "import", "import-edit", "validate-fast")
SHIPPED_ONLY = ("validate-pyshacl",)

WORKER = """
import json, sys, time
from pathlib import Path
op, home, book, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
from pickg.graph.workspace import Workspace
ws = Workspace(home)
cells = None
if op == "export-floor":  # the cells to write, read before the clock starts
    from openpyxl import load_workbook
    source = load_workbook(book)
    cells = {s.title: [[c.value for c in row] for row in s.iter_rows()] for s in source.worksheets}
start = time.perf_counter()
if op in ("export-floor", "import-floor"):
    import pyoxigraph as ox
    files = ws.ontology_files() + ws.vocabulary_files() + ws.data_files()
    triples = [q for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    if op == "export-floor":
        from openpyxl import Workbook
        written = Workbook()
        written.remove(written.active)
        for title, rows in cells.items():
            sheet = written.create_sheet(title)
            for row in rows:
                sheet.append(row)
        written.save(out / "floor.xlsx")
    else:
        from openpyxl import load_workbook
        read = load_workbook(book)
        values = [[c.value for c in row] for s in read.worksheets for row in s.iter_rows()]
elif op == "export":
    from pickg.sheets import export_workbook
    export_workbook(out / "export.xlsx", workspace=ws)
elif op == "export-csv":
    from pickg.sheets import export_workbook
    export_workbook(out / "export-csv", workspace=ws)
elif op in ("import", "import-edit"):
    from pickg.sheets import import_workbook
    outcome = import_workbook(book if op == "import" else out / "edited.xlsx", workspace=ws)
    assert bool(outcome.changes) == (op == "import-edit"), outcome.changes
elif op == "validate-fast":
    from pickg.graph.rdfio import load
    from pickg.graph.store import OxigraphStore
    from pickg.validation.fast_engine import validate_store
    store = OxigraphStore()
    store.add_graph(load(workspace=ws))
    results = len(validate_store(store, lang="fr", checks=True, workspace=ws).results)
elif op == "validate-pyshacl":
    from pickg.graph.rdfio import load_dataset
    from pickg.validation.pyshacl_engine import validate_graph
    dataset = load_dataset(include_ontology=True, workspace=ws)
    results = len(validate_graph(dataset, include_ontology=False, lang="fr", workspace=ws).results)
print(json.dumps({"op": op, "seconds": time.perf_counter() - start}))
"""


def make_workspace(label: str, triples: int | None) -> Path:
    home = WORK / f"home-{label}"
    if home.exists():
        shutil.rmtree(home)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    if triples is None:
        shutil.copytree(ROOT / "data", home / "data")
        return home
    neighbourhoods = max(1, round(triples / TRIPLES_PER_NEIGHBOURHOOD))
    synth = [sys.executable, "-m", "pickg.cli", "synth", "-n", str(neighbourhoods), "--seed", "1", "-f", "ttl"]
    subprocess.run([*synth, "--out", str(home / "data")], check=True, capture_output=True)
    return home


def prepare(home: Path, out: Path) -> Path:
    """Export the workbook once (untimed) and make the one-cell edit of ``import-edit``."""
    from openpyxl import load_workbook

    from pickg.graph.workspace import Workspace
    from pickg.sheets import export_workbook

    out.mkdir(parents=True, exist_ok=True)
    book = out / "workbook.xlsx"
    export_workbook(book, workspace=Workspace(home))
    edited = load_workbook(book)
    sheet = edited.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=4, column=headers.index("Rang") + 1, value=999)
    edited.save(out / "edited.xlsx")
    return book


def run(op: str, home: Path, book: Path, out: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, op, str(home), str(book), str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"{op} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def triples_of(home: Path) -> int:
    import pyoxigraph as ox

    return sum(1 for f in sorted((home / "data").glob("*.ttl")) for _ in ox.parse(path=str(f)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,100k", help="comma-separated: shipped, 100k")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    for label in args.sizes.split(","):
        home = make_workspace(label, None if label == "shipped" else 100_000)
        out = WORK / f"out-{label}"
        book = prepare(home, out)
        ops = OPS + (SHIPPED_ONLY if label == "shipped" else ())
        timings = {op: [] for op in ops}
        for _ in range(args.repeat):
            for op in ops:  # interleaved, so a busy moment of the machine hits every op alike
                timings[op].append(run(op, home, book, out))
        medians = {op: statistics.median(values) for op, values in timings.items()}
        results.append(
            {
                "size": label,
                "triples": triples_of(home),
                "workbook_bytes": book.stat().st_size,
                "seconds": medians,
                "ratio": {
                    "export": medians["export"] / medians["export-floor"],
                    "export-csv": medians["export-csv"] / medians["export-floor"],
                    "import": medians["import"] / medians["import-floor"],
                    "import-edit": medians["import-edit"] / medians["import-floor"],
                    "validate-pyshacl": medians["validate-pyshacl"] / medians["validate-fast"]
                    if "validate-pyshacl" in medians
                    else None,
                },
            }
        )
        print(json.dumps(results[-1]), flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "repeat": args.repeat}
    (WORK / "sheets.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2), encoding="utf-8")
    lines = [
        "# `pickg sheet` export and import",
        "",
        f"Generated by `bench/sheets.py` (medians of {args.repeat} runs, Python {meta['python']}, "
        f"{meta['machine']}). Floors: pyoxigraph parsing the workspace plus openpyxl writing the "
        "same cells (export) or reading the workbook (import), in the same run.",
        "",
        "| data | triples | workbook | floor (export) | export | ratio | CSV export | ratio "
        "| floor (import) | import unchanged | ratio | import one edit (validated) | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s, q = r["seconds"], r["ratio"]
        lines.append(
            f"| {r['size']} | {r['triples']:,} | {r['workbook_bytes'] / 1024:,.0f} KiB "
            f"| {s['export-floor']:.2f} s | {s['export']:.2f} s | {q['export']:.2f}x "
            f"| {s['export-csv']:.2f} s | {q['export-csv']:.2f}x "
            f"| {s['import-floor']:.2f} s | {s['import']:.2f} s | {q['import']:.2f}x "
            f"| {s['import-edit']:.2f} s | {q['import-edit']:.2f}x |"
        )
    lines += [
        "",
        "The validation an import runs, by the fast engine (what `pickg sheet import` uses) and by "
        "pySHACL on the same graph (shipped data only: pySHACL takes minutes at 100k):",
        "",
        "| data | fast engine | pySHACL | pySHACL / fast |",
        "|---|---|---|---|",
    ]
    for r in results:
        s, q = r["seconds"], r["ratio"]
        if q["validate-pyshacl"] is not None:
            lines.append(
                f"| {r['size']} | {s['validate-fast']:.2f} s | {s['validate-pyshacl']:.2f} s "
                f"| {q['validate-pyshacl']:.1f}x |"
            )
        else:
            lines.append(f"| {r['size']} | {s['validate-fast']:.2f} s | not run | |")
    (ROOT / "bench" / "SHEETS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
