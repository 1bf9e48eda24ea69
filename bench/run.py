"""Benchmark pickg at growing sizes, against the bare libraries, in one run.

    .venv/bin/python bench/run.py                 # 10k, 100k, 1M (and 10M if memory allows)
    .venv/bin/python bench/run.py --sizes 10k,100k --repeat 3

For each size a synthetic graph (``pickg synth``) plus the ontology and vocabularies
is measured: load, inference, validation, every catalogue query, and publication as
Turtle and N-Triples, with the Oxigraph store and with rdflib's in-memory graph; and
the same work done by the bare libraries (pyoxigraph load/query/dump, pySHACL,
owlrl), measured in the same run so ratios compare like with like.

Every measurement runs in a worker subprocess that loads the graph once and then
prints one JSON line per operation; an operation that outlives its time limit kills
the worker, is recorded as ``timeout``, and a fresh worker goes on with the next
one. An operation that timed out at one size is not tried at the next, larger size,
nor is an rdflib or owlrl one that took more than a twentieth of its limit. Bare
pySHACL is tried at every size up to 1M with a limit of at least 10.5 times the
compiled validation's time at that size, so even its time-out measures the ratio.
At 10M only pickg's Oxigraph store and bare pyoxigraph run, with 4 times the limits
(rdflib's memory per triple, measured at the smaller sizes, rules the others out).
Peak memory is the worker's maximum resident set size after the operation.
Results: ``bench/scratch/scale/results.json`` and ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch" / "scale"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
#: Time limit of the runs of one catalogue query together (seconds), and at 10M: on the
#: Oxigraph store, pickg's runs and the bare ones, which alternate.
QUERY_TIMEOUT = 40.0
QUERY_TIMEOUT_10M = 300.0
#: A catalogue query is run at least --repeat times and, when those runs add up to
#: less than this many seconds, again until they do (at most MAX_RUNS runs): the median
#: of three runs of a 2 ms query is mostly noise.
QUERY_AT_LEAST = 0.5
MAX_RUNS = 100
#: At 10M the per-operation limit is this many times ``--timeout`` (one run each).
SCALE_10M = 4
#: Bare pySHACL's limit is at least this many times the compiled validation's time at
#: the same size, so a pySHACL time-out still proves the 10× target.
PYSHACL_FACTOR = 10.5
#: Kinds whose operations are the subject of the benchmark: tried at every size
#: unless they timed out; the others (rdflib, pySHACL, owlrl) stop at the size where
#: they come near their limit.
PRIMARY = ("oxigraph", "bare")

# --- worker side -------------------------------------------------------------------------


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(op: str, times: list[float], **extra: Any) -> None:
    print(json.dumps({"op": op, "times": times, "peak_mib": round(_peak_mib(), 1), **extra}), flush=True)


def _timed(fn: Any, repeat: int, at_least: float = 0.0) -> tuple[list[float], Any]:
    """The times of ``repeat`` calls of ``fn`` (more, up to :data:`MAX_RUNS`, until they add up to ``at_least`` s)."""
    times, value = [], None
    while len(times) < repeat or (sum(times) < at_least and len(times) < MAX_RUNS):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value


def _timed_pair(fn: Any, baseline: Any, repeat: int, at_least: float) -> tuple[list[float], list[float], Any]:
    """``fn`` and ``baseline`` called in turn, as :func:`_timed` calls one: both lists of times, fn's value."""
    times: list[float] = []
    base: list[float] = []
    value = None
    while len(times) < repeat or (sum(times) + sum(base) < 2 * at_least and len(times) < MAX_RUNS):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        baseline()
        base.append(time.perf_counter() - start)
    return times, base, value


def _catalogue() -> list[tuple[str, Any, dict[str, Any]]]:
    """(bench name, query, params): every catalogue query with synthetic parameters."""
    from rdflib import URIRef

    from pickg.graph.namespaces import NBH, ORGANISATION, PHASE
    from pickg.queries.catalogue import load_catalog

    swap = {
        str(PHASE["1"]): PHASE["synth-1"],
        str(PHASE["2"]): PHASE["synth-2"],
        str(ORGANISATION["centraide-du-grand-montreal"]): ORGANISATION["synth-operator"],
    }
    out = []
    for name, query in sorted(load_catalog().items()):
        params = {p.name: swap[p.default] for p in query.params if p.default in swap}
        out.append((name, query, params))
        if query.param("neighbourhood") is not None and query.param("neighbourhood").default is None:
            out.append((f"{name}[one]", query, {**params, "neighbourhood": URIRef(NBH["synth-000001"])}))
    return out


def _shapes() -> Any:
    from rdflib import Graph

    from pickg.graph.workspace import Workspace

    graph = Graph()
    for path in Workspace.discover().shape_files():
        graph.parse(path)
    return graph


def worker(kind: str, files: list[str], ops: list[str], repeat: int) -> None:
    """Load ``files`` the ``kind`` way, then run ``ops``, one JSON line each."""
    import gc

    import pyoxigraph as ox

    from pickg.graph.formats import FORMATS
    from pickg.graph.store import open_store, with_values

    def load() -> Any:
        if kind == "bare":
            store = ox.Store()
            for path in files:
                store.bulk_load(path=path, format=FORMATS[Path(path).suffix][1])
            return store
        return open_store("memory" if kind in ("memory", "pyshacl", "owlrl") else "oxigraph", files)

    start = time.perf_counter()
    store = load()
    _emit("load", [time.perf_counter() - start], triples=len(store))
    queries = (
        {name: (query, params) for name, query, params in _catalogue()}
        if any(op.startswith("query:") for op in ops)
        else {}
    )
    for op in ops:
        if op == "load":

            def again() -> None:
                nonlocal store
                store = None
                gc.collect()
                store = load()

            times, _ = _timed(again, max(repeat - 1, 1))
            _emit(op, times)  # the orchestrator files it as "load:again"
        elif op == "infer":
            from pickg.validation.inference import infer

            times = []
            for i in range(repeat):
                if i:
                    store = None
                    gc.collect()
                    store = load()
                start = time.perf_counter()
                result = infer(store)
                times.append(time.perf_counter() - start)
            _emit(op, times, added=result.added)
        elif op == "validate":
            from pickg.validation.fast_engine import validate_sparql

            shapes = _shapes()
            times, (results, unsupported) = _timed(partial(validate_sparql, store, shapes), repeat)
            _emit(op, times, results=len(results), unsupported=len(unsupported))
        elif op == "pyshacl":
            import pyshacl

            shapes = _shapes()
            graph = store.to_rdflib()
            times, (conforms, report, _) = _timed(
                partial(pyshacl.validate, graph, shacl_graph=shapes, inference="none"), 1
            )
            from rdflib.namespace import RDF, SH

            _emit(op, times, conforms=bool(conforms), results=len(set(report.subjects(RDF.type, SH.ValidationResult))))
        elif op == "owlrl":
            import owlrl

            graph = store.to_rdflib()
            before = len(graph)
            times, _ = _timed(
                lambda graph=graph: owlrl.DeductiveClosure(
                    owlrl.RDFS_Semantics, axiomatic_triples=False, datatype_axioms=False
                ).expand(graph),
                1,
            )
            _emit(op, times, added=len(graph) - before)
        elif op.startswith("query:"):
            from pickg.queries.execution import bind_params, run_catalog_query

            name = op.split(":", 1)[1]
            query, params = queries[name]
            if kind == "oxigraph":
                # Its baseline: the same text, parameters bound as a VALUES row, on bare
                # pyoxigraph (the store's own pyoxigraph Store), in alternation with
                # pickg's call, so both see the same process and the same moment.
                text = with_values(query.text, bind_params(query, params))
                inner = store.inner

                def run_bare(inner: Any = inner, text: str = text) -> int:
                    return len([tuple(solution) for solution in inner.query(text)])  # read every value

                def run_pickg(query: Any = query, params: dict[str, Any] = params, store: Any = store) -> int:
                    return len(run_catalog_query(query, params, backend=store))

                times, bare_times, rows = _timed_pair(run_pickg, run_bare, repeat, QUERY_AT_LEAST)
                _emit(op, times, rows=rows, bare_times=bare_times)
            else:
                times, result = _timed(partial(run_catalog_query, query, params, backend=store), repeat, QUERY_AT_LEAST)
                _emit(op, times, rows=len(result))
        elif op.startswith("publish:"):
            fmt = op.split(":", 1)[1]
            target = WORK / f"dump-{os.getpid()}.{'ttl' if fmt == 'turtle' else 'nt'}"
            if kind == "bare":
                rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
                times, _ = _timed(partial(store.dump, str(target), rdf_format, from_graph=ox.DefaultGraph()), repeat)
            else:
                times, _ = _timed(partial(store.serialize, target, fmt), repeat)
            size = target.stat().st_size
            target.unlink()
            _emit(op, times, bytes=size)
        else:
            raise SystemExit(f"unknown op {op}")


# --- orchestrator side ------------------------------------------------------------------


def run_worker(
    kind: str, files: list[Path], ops: list[str], repeat: int, timeout: float, query_timeout: float = QUERY_TIMEOUT
) -> dict[str, Any]:
    """Run the ops in workers, respawning after a timeout; op → record."""
    records: dict[str, Any] = {}
    pending = list(ops)
    load_recorded = False
    while True:
        command = [sys.executable, __file__, "--worker", kind, "--repeat", str(repeat), "--files", *map(str, files),
                   "--ops", *pending]  # fmt: skip
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert proc.stdout is not None
        expected = ["load", *pending]
        timed_out = None
        import selectors

        selector = selectors.DefaultSelector()
        selector.register(proc.stdout, selectors.EVENT_READ)
        for position, op in enumerate(expected):
            limit = timeout * (3 if op == "load" else 1) * repeat
            if op.startswith("query:"):
                limit = min(limit, query_timeout)  # all the runs of one query
            deadline = time.monotonic() + limit
            line = ""
            while time.monotonic() < deadline:
                if selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    line = proc.stdout.readline()
                    break
            if not line:
                timed_out = op
                break
            record = json.loads(line)
            if position == 0:  # every worker first loads the graph: keep the first such time
                if not load_recorded:
                    load_recorded = True
                    records["load:first"] = record
            elif record["op"] == "load":
                records["load:again"] = record
                pending.remove("load")
            else:
                records[record["op"]] = record
                pending.remove(record["op"])
        proc.kill()
        proc.wait()
        selector.close()
        if timed_out is None or timed_out == "load":
            if timed_out == "load":
                records["load:first"] = {"op": "load", "timeout": limit}
                for op in pending:
                    records[op] = {"op": op, "skipped": "the graph did not load in time"}
            return records
        records[timed_out] = {"op": timed_out, "timeout": limit}  # the limit it outlived
        pending.remove(timed_out)
        if not pending:
            return records


def _bare_queries(records: dict[str, Any], queries: list[str]) -> dict[str, Any]:
    """The bare pyoxigraph records of the catalogue queries, measured with pickg's (``bare_times``)."""
    bare: dict[str, Any] = {}
    for op in queries:
        record = records.get(op) or {"op": op, "skipped": "not run"}
        if "bare_times" in record:
            bare[op] = {"op": op, "times": record["bare_times"], "rows": record.get("rows")}
        else:  # a time-out or a skip stands for both: they ran in turn
            bare[op] = {key: value for key, value in record.items() if key != "times"}
    return bare


def _median(record: dict[str, Any] | None) -> float | None:
    if not record or "times" not in record:
        return None
    return statistics.median(record["times"])


def _rdflib_estimate(report: dict[str, Any], target: int) -> str:
    """Why an rdflib-based worker is not tried at ``target`` triples: its memory, extrapolated."""
    best = None
    for size in report["sizes"].values():
        memory = size.get("memory", {})
        loaded = memory.get("load:first", {}) if isinstance(memory, dict) else {}
        if loaded.get("triples") and loaded.get("peak_mib"):
            best = (loaded["peak_mib"], loaded["triples"])
    if best is None:
        return "not tried: rdflib did not load a smaller size"
    per_triple = best[0] * 2**20 / best[1]
    return (
        f"not tried: rdflib used {best[0]:.0f} MiB for {best[1]:,} triples ({per_triple / 1024:.1f} KiB a triple), "
        f"so about {per_triple * target / 2**30:.0f} GiB here, before any work"
    )


def machine() -> dict[str, Any]:
    import psutil

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pyoxigraph
    import pyshacl
    import rdflib

    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "pyshacl": pyshacl.__version__,
    }


def startup(repeat: int) -> dict[str, Any]:
    """`make run` on the curated data against the bare import floor, in alternation.

    "Warm" is `make run` as a steward meets it the second time: the cache of the
    ontology-derived artefacts (``build/cache/``) filled by the run before. "Cold" runs
    with the cache off (``PICKG_CACHE_DIR=off``): everything computed.
    """
    floor, warm, cold = [], [], []
    exits = set()
    subprocess.run(["make", "-s", "run"], cwd=ROOT, capture_output=True, check=False)  # fills the cache, builds .venv
    for _ in range(max(repeat, 5)):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import rdflib, pyshacl, pyoxigraph"], check=True, cwd=ROOT)
        floor.append(time.perf_counter() - start)
        for times, env in ((warm, {}), (cold, {"PICKG_CACHE_DIR": "off"})):
            start = time.perf_counter()
            done = subprocess.run(
                ["make", "-s", "run"], cwd=ROOT, capture_output=True, check=False, env={**os.environ, **env}
            )
            times.append(time.perf_counter() - start)
            exits.add(done.returncode)
    return {"floor": floor, "make_run": warm, "make_run_cold": cold, "make_run_exit": max(exits)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1M,10M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker")
    parser.add_argument("--files", nargs="*")
    parser.add_argument("--ops", nargs="*")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.files, args.ops, args.repeat)
        return

    sys.path.insert(0, str(ROOT / "src"))
    from pickg.graph.workspace import Workspace
    from pickg.synth.generator import neighbourhoods_for, synthesize

    WORK.mkdir(parents=True, exist_ok=True)
    ws = Workspace.discover()
    schema = ws.ontology_files() + ws.vocabulary_files()
    catalogue = [name for name, _, _ in _catalogue()]
    report: dict[str, Any] = {
        "machine": machine(),
        "repeat": args.repeat,
        "timeout": args.timeout,
        "query_timeout": QUERY_TIMEOUT,
        "query_timeout_10m": QUERY_TIMEOUT_10M,
        "scale_10m": SCALE_10M,
        "query_at_least": QUERY_AT_LEAST,
        "max_runs": MAX_RUNS,
        "sizes": {},
    }
    too_slow: set[tuple[str, str]] = set()  # (kind, op) not to try at larger sizes
    started = time.monotonic()
    for label in args.sizes.split(","):
        target = SIZES[label]
        if label == "10M":
            previous = report["sizes"].get("1M")
            peak = max((r.get("peak_mib", 0) for r in (previous or {}).get("oxigraph", {}).values()), default=0)
            estimate_gib = peak * 10 * 1.3 / 1024
            if not previous or estimate_gib > 20:
                report["sizes"][label] = {"skipped": f"estimated peak {estimate_gib:.1f} GiB from 1M exceeds 20 GiB"}
                continue
        n = neighbourhoods_for(target)
        start = time.perf_counter()
        synthetic = synthesize(n, WORK / "synthetic", seed=args.seed)
        files = [*schema, synthetic.path]
        entry: dict[str, Any] = {
            "neighbourhoods": n,
            "synth_seconds": time.perf_counter() - start,
            "synthetic_triples": synthetic.triples,
            "input_bytes": sum(p.stat().st_size for p in files),
        }
        print(f"[{time.monotonic() - started:7.0f}s] {label}: {synthetic.triples} synthetic triples", flush=True)
        queries = [f"query:{name}" for name in catalogue]
        publish = ["publish:turtle", "publish:nt"]
        plans = {
            "oxigraph": ["load", "validate", *queries, *publish, "infer"],
            "bare": ["load", *publish],  # its query times come with the oxigraph ones
            "memory": [*queries, *publish, "infer"],
            "pyshacl": ["pyshacl"],
            "owlrl": ["owlrl"],
        }
        repeat_for = {"oxigraph": args.repeat, "bare": args.repeat}
        timeout = args.timeout * (SCALE_10M if label == "10M" else 1)
        query_timeout = QUERY_TIMEOUT_10M if label == "10M" else QUERY_TIMEOUT
        for kind, ops in plans.items():
            if label == "10M" and kind not in PRIMARY:
                entry[kind] = {"skipped": _rdflib_estimate(report, target)}
                continue
            if (kind, "load") in too_slow:
                entry[kind] = {"skipped": "loading timed out at a smaller size"}
                continue
            chosen = [op for op in ops if (kind, op) not in too_slow]
            repeat = repeat_for.get(kind, 1 if target >= 100_000 else args.repeat)
            if label == "10M":
                repeat = 1
            limit = timeout
            if kind == "pyshacl":
                fast = _median(entry.get("oxigraph", {}).get("validate"))
                limit = max(timeout, PYSHACL_FACTOR * fast) if fast else timeout
            records = run_worker(kind, files, chosen, repeat, limit, query_timeout)
            for op in ops:
                if (kind, op) in too_slow:
                    records[op] = {"op": op, "skipped": "timed out or near the limit at a smaller size"}
            for op, record in records.items():
                median = _median(record)
                near_limit = median is not None and median > args.timeout / 20 and kind not in PRIMARY
                if kind == "pyshacl":  # its limit follows the compiled validation: try it at every size
                    continue
                if "timeout" in record or near_limit:
                    too_slow.add((kind, op.split(":first")[0] if op == "load:first" else op))
            if kind == "oxigraph":
                entry["bare_queries"] = _bare_queries(records, queries)
            if kind == "bare":
                records.update(entry.pop("bare_queries", {}))
            entry[kind] = records
            print(f"[{time.monotonic() - started:7.0f}s]   {kind}: {len(records)} records", flush=True)
        entry.pop("bare_queries", None)  # left when the bare kind did not run
        report["sizes"][label] = entry
        (WORK / "results.json").write_text(json.dumps(report, indent=1, default=str))
    report["startup"] = startup(args.repeat)
    report["total_seconds"] = time.monotonic() - started
    (WORK / "results.json").write_text(json.dumps(report, indent=1, default=str))
    from report import render  # bench/report.py

    (ROOT / "bench" / "RESULTS.md").write_text(render(report), encoding="utf-8")
    print(f"done in {report['total_seconds']:.0f}s; wrote bench/RESULTS.md", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
