"""`collaboration-partners` for all pairs at 10k, 100k and 1M triples, against its old text.

    .venv/bin/python bench/collaboration.py                    # 10k, 100k, 1M
    .venv/bin/python bench/collaboration.py --sizes 10k,100k

For each size a synthetic graph (``pickg synth``, kept in ``bench/scratch/collaboration/``
and made once) plus the ontology and vocabularies is opened in a worker process the way
every command opens it (``open_store("auto", files)``), and measured there:

* ``pickg``: the catalogue's text through ``run_catalog_query`` (rows as rdflib terms in
  a ``Result``), all pairs, in alternation with
* ``bare``: the same text, its parameters bound as a ``VALUES`` row, on the store's bare
  pyoxigraph ``Store``, every value read;
* ``before``: ``bench/queries/collaboration-partners-before.rq``, the text before the
  rewrite, the same way on bare pyoxigraph, in a worker of its own;
* ``[one]`` lines: the same three for one neighbourhood (``synth-000001``);
* ``floor``: ``bench/queries/neighbourhood-pairs.rq``, every two neighbourhoods in two
  columns, nothing grouped: what any all-pairs answer costs at least, on bare pyoxigraph.

Each text runs at least three times (once at 1M) and again until its runs add up to
``--at-least`` seconds; medians, elapsed and CPU. A worker that outlives ``--timeout``
seconds (``--before-timeout`` for the old text) or whose resident memory passes
``--memory`` GiB is stopped and the cell says so; a text stopped at one size is asked
only for one neighbourhood at the next. Where the old text finishes, the rows of both
texts are compared (a digest of every value, in order). The size of the answer (pairs
and the themes and conditions they list) is counted in Python from each
neighbourhood's items. Results: ``bench/COLLABORATION.md`` and
``bench/scratch/collaboration/results.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "scratch" / "collaboration"
BEFORE = ROOT / "bench" / "queries" / "collaboration-partners-before.rq"
FLOOR = ROOT / "bench" / "queries" / "neighbourhood-pairs.rq"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
ONE = "https://w3id.org/pickg/id/neighbourhood/synth-000001"
#: The issue's targets for all pairs (seconds, pickg's time).
TARGETS = {"100k": 10.0, "1M": 60.0}


# --- worker side -------------------------------------------------------------------------


def _files(size: str) -> list[Path]:
    from pickg.graph.rdfio import workspace_files
    from pickg.synth.generator import neighbourhoods_for

    out = WORK / size
    if not any(out.glob("*.nt")):
        out.mkdir(parents=True, exist_ok=True)
        n = neighbourhoods_for(SIZES[size])
        pickg = [sys.executable, "-m", "pickg.cli", "synth", "--neighbourhoods", str(n), "--out", str(out)]
        subprocess.run(pickg, check=True, capture_output=True)
    return workspace_files(sorted(out.glob("*.nt")))


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _digest(rows: Any) -> tuple[int, str]:
    """(rows, SHA-256 of every value in order) of pyoxigraph solutions."""
    digest, count = hashlib.sha256(), 0
    for solution in rows:
        count += 1
        digest.update("\t".join("" if v is None else str(v) for v in solution).encode() + b"\n")
    return count, digest.hexdigest()


def worker(kind: str, size: str, at_least: float, runs: int, only: str | None = None) -> None:
    """Open the graph, run ``kind`` (``after``, ``before`` or ``floor``), one JSON line per measure.

    ``only="one"`` leaves all pairs out (a text stopped at a smaller size).
    """
    from rdflib import URIRef

    from pickg.graph.bindings import bind_values
    from pickg.graph.store import open_store
    from pickg.queries.catalogue import load_catalog
    from pickg.queries.execution import bind_params, run_catalog_query

    started = time.perf_counter()
    store = open_store("auto", _files(size))
    print(json.dumps({"op": "load", "seconds": time.perf_counter() - started, "triples": len(store)}), flush=True)
    query = load_catalog()["collaboration-partners"]
    for label, params in (("one", {"neighbourhood": URIRef(ONE)}), ("all", {})):
        bindings = bind_params(query, params)
        if only and label != only:
            continue
        if kind == "floor":
            if label == "one":
                continue
            text = FLOOR.read_text(encoding="utf-8")
        else:
            text = bind_values(BEFORE.read_text(encoding="utf-8") if kind == "before" else query.text, bindings)
        mine: list[float] = []
        bare: list[float] = []
        cpu: dict[str, list[float]] = {"pickg": [], "bare": []}
        answered, digest = 0, ""
        while len(bare) < runs or sum(mine) + sum(bare) < at_least * (2 if kind == "after" else 1):
            if kind == "after":
                start, ticks = time.perf_counter(), time.process_time()
                answered = len(run_catalog_query(query, params, backend=store))
                mine.append(time.perf_counter() - start)
                cpu["pickg"].append(time.process_time() - ticks)
            start, ticks = time.perf_counter(), time.process_time()
            count, digest = _digest(store.inner.query(text))
            bare.append(time.perf_counter() - start)
            cpu["bare"].append(time.process_time() - ticks)
            print(json.dumps({"op": f"{label}:run", "peak_mib": _peak_mib()}), flush=True)
        print(
            json.dumps(
                {
                    "op": label,
                    "pickg": mine,
                    "bare": bare,
                    "pickg_cpu": cpu["pickg"],
                    "bare_cpu": cpu["bare"],
                    "rows": count,
                    "pickg_rows": answered if kind == "after" else None,
                    "digest": digest,
                    "peak_mib": round(_peak_mib()),
                }
            ),
            flush=True,
        )


# --- orchestrator ------------------------------------------------------------------------


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_worker(kind: str, size: str, args: argparse.Namespace, only: str | None = None) -> dict[str, Any]:
    """Run one worker under the time and memory limits; its records by op, and how it ended."""
    runs = 1 if size == "1M" else 3
    command = [sys.executable, __file__, "--worker", kind, "--sizes", size, "--at-least", str(args.at_least)]
    command += ["--runs", str(runs)] + (["--only", only] if only else [])
    out_path = WORK / f"{kind}-{size}.jsonl"
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    peak = 0.0
    with out_path.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, text=True)
        stopped = None
        while process.poll() is None:
            time.sleep(0.2)
            peak = max(peak, _rss_mib(process.pid))
            limit = args.before_timeout if kind == "before" else args.timeout
            if time.monotonic() - started > limit:
                stopped = f"stopped at the limit (> {limit:g} s)"
            elif peak > args.memory * 1024:
                stopped = f"stopped at the memory limit (> {args.memory:g} GiB resident)"
            if stopped:
                process.kill()
                process.wait()
                break
        error = process.stderr.read() if process.stderr else ""
    records: dict[str, Any] = {"kind": kind, "size": size, "stopped": stopped, "elapsed": time.monotonic() - started}
    for line in out_path.read_text().splitlines():
        record = json.loads(line)
        records[record["op"]] = record
    if process.returncode not in (0, None) and not stopped:
        records["stopped"] = f"failed (exit {process.returncode}): {error.strip().splitlines()[-1:]}"
    peaks = [r.get("peak_mib", 0) for r in records.values() if isinstance(r, dict)]
    records["peak_mib"] = round(max([peak, *peaks]))
    print(f"{size} {kind}: {records['stopped'] or 'done'} in {records['elapsed']:.0f} s", file=sys.stderr, flush=True)
    return records


def answer_size(size: str) -> dict[str, int]:
    """Pairs sharing a theme or a condition and the items they list, counted in Python."""
    import pyoxigraph as ox

    from pickg.graph.rdfio import workspace_files

    store = ox.Store()
    for path in workspace_files(sorted((WORK / size).glob("*.nt"))):
        store.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
    pic = "https://w3id.org/pickg/ontology#"
    items: dict[str, int] = {}
    bits: dict[str, int] = {}
    facts = f"""
        SELECT DISTINCT ?n ?item WHERE {{
          ?n a <{pic}Neighbourhood> . ?i <{pic}neighbourhood> ?n .
          {{ ?i <{pic}theme> ?item }} UNION {{ ?l <{pic}linkedResource> ?i ; <{pic}condition> ?item }}
        }}"""
    for n, item in store.query(facts):
        bit = items.setdefault(item.value, len(items))
        bits[n.value] = bits.get(n.value, 0) | 1 << bit
    masks = list(bits.values())
    pairs = listed = 0
    for i, a in enumerate(masks):
        for b in masks[i + 1 :]:
            shared = (a & b).bit_count()
            if shared:
                pairs += 1
                listed += shared
    return {"neighbourhoods": len(masks), "pairs": pairs, "listed": listed}


def _median(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def _fmt(seconds: float | None, runs: int = 3) -> str:
    if seconds is None:
        return "—"
    text = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return text + (" (1 run)" if runs == 1 else "")


def _cell(records: dict[str, Any], op: str, side: str) -> str:
    record = records.get(op)
    if record is None:
        return records.get("stopped") or "not run"
    times = record.get(side) or []
    ticks = _median(record.get(f"{side}_cpu"))
    return _fmt(_median(times), len(times)) + (
        "" if ticks is None else f" (CPU {_fmt(ticks).removesuffix(' (1 run)')})"
    )


def report(results: dict[str, Any]) -> str:
    import pyoxigraph
    import rdflib

    lines = [
        "# `collaboration-partners` for all pairs, against its old text",
        "",
        "Generated by `bench/collaboration.py` (one run): the catalogue's text through",
        "`run_catalog_query` on the store every command opens (pickg) and the same bound text",
        "on the store's bare pyoxigraph `Store` (bare), in alternation in one worker; the old",
        "text (`bench/queries/collaboration-partners-before.rq`) on bare pyoxigraph in a worker",
        "of its own; medians of 3 runs or more (one at 1M), elapsed and (CPU) time of the worker's",
        "one thread (the CPU time is what a quiet machine would take). Limits: "
        f"{results['timeout']:g} s ({results['before_timeout']:g} s for the old text) and "
        f"{results['memory']:g} GiB resident a worker.",
        "",
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; "
        f"{os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "| size | triples | rows | pairs sharing (items listed), counted in Python | pickg | bare, same text "
        "| bare, old text "
        "| old ÷ pickg | same rows | target | peak memory (new / old) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for size, entry in results["sizes"].items():
        after, before, floor = entry["after"], entry.get("before", {}), entry.get("floor", {})
        triples = (after.get("load") or before.get("load") or {}).get("triples", 0)
        answer = entry.get("answer") or {}
        mine = _median((after.get("all") or {}).get("pickg"))
        old = _median((before.get("all") or {}).get("bare"))
        limit = results["before_timeout"]
        ratio = f"{old / mine:.1f}×" if mine and old else (f"> {limit / mine:.0f}×" if mine else "—")
        if not old and not before.get("stopped"):
            ratio = "—"
        same = "—"
        if after.get("all") and before.get("all"):
            same = "yes" if after["all"]["digest"] == before["all"]["digest"] else "**no**"
        answered = (after.get("all") or before.get("all") or {}).get("rows")
        rows = "—" if answered is None else f"{answered:,}"
        target = TARGETS.get(size)
        verdict = "—" if target is None else ("met" if mine is not None and mine <= target else "**not met**")
        if target is not None:
            verdict += f" (≤ {target:g} s)"
        lines.append(
            f"| {size} | {triples:,} | {rows} | {answer.get('pairs', 0):,} ({answer.get('listed', 0):,}) "
            f"| {_cell(after, 'all', 'pickg')} | {_cell(after, 'all', 'bare')} | {_cell(before, 'all', 'bare')} "
            f"| {ratio} | {same} | {verdict} | {after.get('peak_mib', 0):,} / {before.get('peak_mib', 0):,} MiB |"
        )
        entry["floor_cell"] = _cell(floor, "all", "bare")
    lines += [
        "",
        "For one neighbourhood (`[one]`, synth-000001), and the floor of any all-pairs answer",
        "(`bench/queries/neighbourhood-pairs.rq`: every two neighbourhoods in two columns, bare):",
        "",
        "| size | [one] pickg | [one] bare | [one] bare, old text | [one] same rows | floor: pairs in 2 columns |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for size, entry in results["sizes"].items():
        after, before = entry["after"], entry.get("before", {})
        same = "—"
        if after.get("one") and before.get("one"):
            same = "yes" if after["one"]["digest"] == before["one"]["digest"] else "**no**"
        lines.append(
            f"| {size} | {_cell(after, 'one', 'pickg')} | {_cell(after, 'one', 'bare')} "
            f"| {_cell(before, 'one', 'bare')} | {same} | {entry['floor_cell']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--at-least", type=float, default=1.0, help="seconds of runs per text and side")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a worker may run")
    parser.add_argument("--before-timeout", type=float, default=120.0, help="seconds the old text's worker may run")
    parser.add_argument("--memory", type=float, default=10.0, help="GiB of resident memory a worker may use")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.sizes, args.at_least, args.runs, args.only)
        return
    results: dict[str, Any] = {
        "timeout": args.timeout,
        "before_timeout": args.before_timeout,
        "memory": args.memory,
        "sizes": {},
    }
    stopped: set[str] = set()
    for size in args.sizes.split(","):
        _files(size)
        entry: dict[str, Any] = {"answer": answer_size(size)}
        for kind in ("after", "before", "floor"):
            if kind in stopped:  # all pairs stopped at a smaller size: one neighbourhood only
                entry[kind] = _run_worker(kind, size, args, only="one")
                entry[kind]["stopped"] = f"not tried: stopped at {results['sizes_stopped'][kind]}"
                continue
            entry[kind] = _run_worker(kind, size, args)
            if entry[kind]["stopped"]:
                stopped.add(kind)
                results.setdefault("sizes_stopped", {})[kind] = size
        results["sizes"][size] = entry
        (WORK / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(results)
    (ROOT / "bench" / "COLLABORATION.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
