"""Benchmark the website's build (``pickg site``) on the shipped data and synthetic graphs.

    .venv/bin/python bench/site.py                    # shipped, 10k and 100k triples
    .venv/bin/python bench/site.py --sizes 10k --repeat 1
    .venv/bin/python bench/site.py --repeat 1 --against ../pickg-at-an-earlier-commit

For each input a workspace is made (the shipped one, or this checkout's ontology and
queries with a synthetic graph from ``pickg synth`` as its data). In one worker process
per measurement it times:

* ``baseline`` — pyoxigraph parses the ontology, vocabularies and data and writes them
  as N-Triples (what any tool must do at least to read and write the graph);
* ``site`` — loading the store and :func:`pickg.site.build.build_site` (the queries,
  every page in both languages, the charts, the Turtle and JSON-LD of each resource),
  with its page count;
* ``write`` — the same build written to a folder by :func:`pickg.site.build.write_site`;
* ``before`` (with ``--against CHECKOUT``) — ``site`` with another checkout's code (an
  earlier commit's worktree), alternated with the others, for a before/after in one run.

Each is timed elapsed and in CPU (the worker and the process it forks).

Results are medians, and ratios to the baseline of the same run, so they compare like
with like on any machine; the scaling exponent between the two synthetic sizes says
whether the cost grows linearly (1.0). Figures in ``bench/SITE.md`` and
``bench/scratch/site/site.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch" / "site"
SIZES = {"10k": 10_000, "100k": 100_000}
TRIPLES_PER_NEIGHBOURHOOD = 187

WORKER = """
import json, resource, sys, time
from pathlib import Path
op, home, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from pickg.graph.workspace import Workspace
ws = Workspace(home)
def cpu():
    usages = map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return sum(r.ru_utime + r.ru_stime for r in usages)
start, start_cpu = time.perf_counter(), cpu()
facts = {}
if op == "baseline":
    import pyoxigraph as ox
    files = ws.ontology_files() + ws.vocabulary_files() + ws.data_files()
    quads = [q for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)]
    out.mkdir(parents=True, exist_ok=True)
    ox.serialize((q.triple for q in quads), output=str(out / "dump.nt"), format=ox.RdfFormat.N_TRIPLES)
    facts["triples"] = len(quads)
else:
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store
    from pickg.site.build import build_site, write_site
    with open_store("oxigraph", workspace_files(None, True, ws)) as store:
        site = build_site(store, "0.0.0", workspace=ws)
    if op == "write":
        write_site(site, out, force=True)
    facts.update(pages=site.pages, files=len(site.files), bytes=site.size)
print(json.dumps({"op": op, "seconds": time.perf_counter() - start, "cpu": cpu() - start_cpu, **facts}))
"""


def make_workspace(label: str, triples: int) -> Path:
    if label == "shipped":
        return ROOT
    home = WORK / f"home-{label}"
    if home.exists():
        shutil.rmtree(home)
    for folder in ("ontology", "queries"):
        shutil.copytree(ROOT / folder, home / folder)
    neighbourhoods = max(1, round(triples / TRIPLES_PER_NEIGHBOURHOOD))
    subprocess.run(
        [sys.executable, "-m", "pickg.cli", "synth", "-n", str(neighbourhoods), "--seed", "1", "-f", "ttl"]
        + ["--out", str(home / "data")],
        check=True,
        capture_output=True,
    )
    return home


def measure(op: str, home: Path, label: str, against: Path | None = None) -> dict[str, object]:
    """One measurement in a fresh process; ``op`` "before" is "site" with the code of ``against``."""
    out = WORK / f"out-{label}-{op}"
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "PICKG_HOME": str(home)}
    if op == "before":
        assert against is not None
        env["PYTHONPATH"] = str(against / "src")
    done = subprocess.run(
        [sys.executable, "-c", WORKER, "site" if op == "before" else op, str(home), str(out)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default="shipped,10k,100k")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout (a worktree of an earlier commit): its site build is timed in the same run",
    )
    args = parser.parse_args()
    against = args.against.resolve() if args.against else None
    WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    for label in args.sizes.split(","):
        home = make_workspace(label, SIZES.get(label, 0))
        runs: dict[str, list[dict[str, object]]] = {"baseline": [], "site": [], "write": []}
        if against is not None:
            runs["before"] = []
        for _ in range(args.repeat):
            for op in runs:  # alternated, so a busy moment of the machine hits all alike
                runs[op].append(measure(op, home, label, against))
        median = {op: statistics.median(float(r["seconds"]) for r in results) for op, results in runs.items()}
        median_cpu = {op: statistics.median(float(r["cpu"]) for r in results) for op, results in runs.items()}
        site = runs["site"][0]
        rows.append(
            {
                "input": label,
                "triples": runs["baseline"][0]["triples"],
                "pages": site["pages"],
                "files": site["files"],
                "bytes": site["bytes"],
                **{f"{op}_s": value for op, value in median.items()},
                **{f"{op}_cpu_s": value for op, value in median_cpu.items()},
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    (WORK / "site.json").write_text(json.dumps(rows, indent=1))
    write_report(rows, args.repeat, _commit(against) if against is not None else None)


def _commit(checkout: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout, capture_output=True, text=True)
    return done.stdout.strip() or str(checkout)


def _exponent(rows: list[dict[str, object]], key: str) -> str:
    synthetic = [r for r in rows if r["input"] != "shipped"]
    if len(synthetic) < 2:
        return "—"
    a, b = synthetic[0], synthetic[-1]
    value = math.log(float(b[key]) / float(a[key])) / math.log(float(b["triples"]) / float(a["triples"]))
    return f"{value:.2f}"


def write_report(rows: list[dict[str, object]], repeat: int, before: str | None = None) -> None:
    head = (
        "| input | triples | pages (fr + en) | files | MB | baseline | site (load + build) | site CPU | site written | "
    )
    head += f"site at {before} | {before} ÷ now | " if before else ""
    head += "site ÷ baseline | ms per page |"
    lines = [
        "# Website build benchmark",
        "",
        f"Generated by `bench/site.py` on {dt.date.today().isoformat()} (medians of {repeat} runs, each in its own "
        "process; baseline: pyoxigraph parsing the same files and writing them as N-Triples, in the same run). "
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "Site CPU counts both processes where the build forks a second one (`pickg.site.pages`): "
        "the elapsed time is what a reader waits, the CPU time the work done. The charts are drawn in "
        "every run here, with no cache, as a first build draws them; `make run` reads them back from "
        "`build/cache/` (`bench/RESULTS.md`).",
        "",
        head,
        "|---|" + "---:|" * (head.count("|") - 2),
    ]
    for r in rows:
        line = (
            f"| {r['input']} | {r['triples']:,} | {r['pages']:,} | {r['files']:,} | {float(r['bytes']) / 1e6:.1f} | "
            f"{float(r['baseline_s']):.2f} s | {float(r['site_s']):.2f} s | {float(r['site_cpu_s']):.2f} s | "
            f"{float(r['write_s']):.2f} s | "
        )
        if before:
            line += f"{float(r['before_s']):.2f} s | {float(r['before_s']) / float(r['site_s']):.2f}× | "
        line += f"{float(r['site_s']) / float(r['baseline_s']):.1f}× | "
        line += f"{1000 * float(r['site_s']) / float(r['pages']):.2f} |"
        lines.append(line)
    lines += [
        "",
        f"Scaling exponent between the synthetic sizes (1.0 is linear): site {_exponent(rows, 'site_s')}, "
        f"site CPU {_exponent(rows, 'site_cpu_s')}, pages {_exponent(rows, 'pages')}, "
        f"baseline {_exponent(rows, 'baseline_s')}.",
        "",
    ]
    (ROOT / "bench" / "SITE.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
