"""Time the validation of the shipped data against bare pySHACL, in one run.

    .venv/bin/python bench/validate.py                    # every inference mode, 3 runs each
    .venv/bin/python bench/validate.py --repeat 5 --modes none,rdfs

For each inference mode (none, rdfs, owlrl), on the same in-memory graph (data,
ontology and vocabularies) and the same shapes:

* **pickg** — :func:`pickg.validation.validate.validate_graph` without the data checks: the
  same work as the baseline (copy, inference, SHACL), plus reading the report;
* **bare pySHACL** — ``pyshacl.validate(graph, shacl_graph=shapes, inference=mode)``,
  the baseline;
* **pickg, end to end** — :func:`pickg.validation.validate.validate` as ``pickg validate`` runs
  it: reading the files into named graphs, the data checks, the SHACL validation.

Each figure is the median of ``--repeat`` runs (at least 3) measured in this process,
one after the other, so the ratio compares like with like on the same machine and
load. The two engines must report the same results (focus node, shape, path, value,
severity); the table says whether they do. Results: ``bench/validate-RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "validate-RESULTS.md"
MODES = ("none", "rdfs", "owlrl")


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value


def _bare_results(report_graph: Any) -> set[tuple[str, ...]]:
    from pickg.graph.namespaces import RDF, SH

    found = set()
    for report in report_graph.subjects(RDF.type, SH.ValidationReport):
        for node in report_graph.objects(report, SH.result):
            found.add(
                tuple(
                    str(report_graph.value(node, prop))
                    for prop in (SH.focusNode, SH.sourceShape, SH.resultPath, SH.value, SH.resultSeverity)
                )
            )
    return found


def _pickg_results(report: Any) -> set[tuple[str, ...]]:
    from pickg.graph.namespaces import SH

    return {
        (str(r.focus_node), str(r.source), str(r.path), str(r.value), str(SH[r.severity]))
        for r in report.results
        if r.check is None
    }


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (at least 3)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated inference modes")
    args = parser.parse_args(argv)
    repeat = max(3, args.repeat)
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown inference modes {unknown}; use {', '.join(MODES)}")

    import pyshacl

    from pickg.graph.namespaces import RDF
    from pickg.graph.rdfio import load
    from pickg.graph.workspace import Workspace
    from pickg.validation.validate import load_shapes, validate, validate_graph

    ws = Workspace.discover()
    graph = load(workspace=ws)
    shapes = load_shapes(ws)
    from pickg.graph.namespaces import SH, SHAPES

    shape_count = len(
        {
            s
            for kind in (SH.NodeShape, SH.PropertyShape)
            for s in shapes.subjects(RDF.type, kind)
            if str(s).startswith(str(SHAPES))
        }
    )
    rows = []
    for mode in modes:
        print(f"[{mode}] pickg …", file=sys.stderr, flush=True)
        pickg_times, pickg_report = _timed(
            lambda m=mode: validate_graph(graph, inference=m, checks=False, include_ontology=False, workspace=ws),
            repeat,
        )
        print(f"[{mode}] bare pySHACL …", file=sys.stderr, flush=True)
        bare_times, bare = _timed(
            lambda m=mode: pyshacl.validate(
                graph, shacl_graph=shapes, inference=m, allow_warnings=True, allow_infos=True
            ),
            repeat,
        )
        print(f"[{mode}] pickg end to end …", file=sys.stderr, flush=True)
        full_times, full_report = _timed(lambda m=mode: validate(inference=m, workspace=ws), repeat)
        same = _pickg_results(pickg_report) == _bare_results(bare[1])
        rows.append(
            {
                "mode": mode,
                "pickg": statistics.median(pickg_times),
                "bare": statistics.median(bare_times),
                "full": statistics.median(full_times),
                "same": same,
                "results": len(pickg_report.results),
                "full_counts": full_report.counts(),
            }
        )
        print(
            f"[{mode}] pickg {_fmt(rows[-1]['pickg'])}, bare {_fmt(rows[-1]['bare'])}, same results: {same}",
            file=sys.stderr,
        )

    lines = [
        "# Validation benchmark",
        "",
        f"Generated by `bench/validate.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; every figure is the "
        f"median of {repeat} runs in the same process. Regenerate with `.venv/bin/python bench/validate.py`.",
        "",
        "## Machine and input",
        "",
        f"- CPU: {_cpu()} ({os.cpu_count()} cores), load average at the end "
        f"{os.getloadavg()[0]:.1f} (the machine is shared: compare ratios, not seconds)",
        f"- Python {platform.python_version()}, pySHACL {version('pyshacl')}, rdflib {version('rdflib')}, "
        f"owlrl {version('owlrl')}",
        f"- Graph: {len(graph):,} triples (data, ontology and vocabularies of the workspace); "
        f"{len(ws.data_files())} data files",
        f"- Shapes: {shape_count} named shapes in {len(ws.shape_files())} files; "
        f"{len(ws.check_files())} data checks (end-to-end column only)",
        "",
        "## Shipped data, by inference mode",
        "",
        "| inference | pickg (shapes) | bare pySHACL | bare ÷ pickg | same results | results | "
        "pickg end to end (files + checks) |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['mode']} | {_fmt(row['pickg'])} | {_fmt(row['bare'])} | {row['bare'] / row['pickg']:.1f}× | "
            f"{'yes' if row['same'] else '**no**'} | {row['results']} | {_fmt(row['full'])} |"
        )
    lines += [
        "",
        "pickg hands pySHACL a graph that parses the text of each SPARQL constraint once; bare pySHACL "
        "re-parses it for every focus node, which is where most of its time goes. Inference runs on a "
        "copy in both (RDFS without owlrl's one-time rules, as pySHACL does). The end-to-end column adds "
        "reading the files into one named graph each, so that results name their file, and the data checks "
        "of `queries/checks/`.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0 if all(row["same"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
