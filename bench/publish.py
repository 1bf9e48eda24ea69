"""Benchmark ``pickg publish`` at growing sizes, against bare pyoxigraph, in one run.

    .venv/bin/python bench/publish.py                  # 10k and 100k triples
    .venv/bin/python bench/publish.py --sizes 10k --repeat 3

For each size a workspace is made of the ontology, vocabularies, shapes and extract
queries of this checkout plus a synthetic graph (``pickg synth``) as its data. In
one worker process per measurement it times:

* ``baseline`` — pyoxigraph parses the ontology, vocabularies and data and writes them
  as N-Triples (what any tool must do at least to dump the graph);
* ``validate`` — :func:`pickg.validation.validate.validate` (the gate);
* ``publish`` — :func:`pickg.release.publish.publish`, the whole release (validation runs
  beside the build).

Results are ratios to the baseline measured in the same run, so they compare like
with like on any machine: ``bench/scratch/publish.json`` and ``bench/PUBLISH.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch" / "publish"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
TRIPLES_PER_NEIGHBOURHOOD = 187

WORKER = """
import json, sys, time
from pathlib import Path
op, home, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from pickg.graph.workspace import Workspace
ws = Workspace(home)
start = time.perf_counter()
if op == "baseline":
    import pyoxigraph as ox
    files = ws.ontology_files() + ws.vocabulary_files() + ws.data_files()
    quads = [q for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    out.mkdir(parents=True, exist_ok=True)
    ox.serialize((q.triple for q in quads), output=str(out / "dump.nt"), format=ox.RdfFormat.N_TRIPLES)
elif op == "validate":
    from pickg.validation.validate import validate
    assert validate(workspace=ws).conforms
elif op == "publish":
    from pickg.release.publish import publish
    publish(out, force=True, workspace=ws, environ={})
print(json.dumps({"op": op, "seconds": time.perf_counter() - start}))
"""


def make_workspace(label: str, triples: int) -> Path:
    home = WORK / f"home-{label}"
    if home.exists():
        shutil.rmtree(home)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    neighbourhoods = max(1, round(triples / TRIPLES_PER_NEIGHBOURHOOD))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pickg.cli",
            "synth",
            "-n",
            str(neighbourhoods),
            "--seed",
            "1",
            "-f",
            "ttl",
            "--out",
            str(home / "data"),
        ],
        check=True,
        capture_output=True,
    )
    return home


def measure(op: str, home: Path, repeat: int) -> list[float]:
    times = []
    for run in range(repeat):
        out = WORK / f"out-{home.name}-{op}-{run}"
        shutil.rmtree(out, ignore_errors=True)
        result = subprocess.run(
            [sys.executable, "-c", WORKER, op, str(home), str(out)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"{op} failed at {home.name}:\n{result.stderr}")
        times.append(json.loads(result.stdout.strip().splitlines()[-1])["seconds"])
        shutil.rmtree(out, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated, from " + ", ".join(SIZES))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    rows = []
    for label in args.sizes.split(","):
        home = make_workspace(label, SIZES[label])
        medians = {op: statistics.median(measure(op, home, args.repeat)) for op in ("baseline", "validate", "publish")}
        rows.append({"size": label, **{op: round(t, 3) for op, t in medians.items()}})
        print(json.dumps(rows[-1]), flush=True)
    (WORK / "publish.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    lines = [
        "# `pickg publish` benchmark",
        "",
        f"Run on {platform.platform()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')};"
        f" median of {args.repeat} run(s); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        f" on {os.cpu_count()} CPUs."
        " Baseline: pyoxigraph parses the same files and writes N-Triples.",
        "",
        "| size | baseline (s) | validate (s) | publish (s) | validate / baseline | publish / baseline |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']} | {row['baseline']} | {row['validate']} | {row['publish']} | "
            f"{row['validate'] / row['baseline']:.0f}× | {row['publish'] / row['baseline']:.0f}× |"
        )
    (ROOT / "bench" / "PUBLISH.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
