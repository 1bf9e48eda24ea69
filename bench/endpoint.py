"""Benchmark the SPARQL endpoint paths against bare Oxigraph, in one run.

    .venv/bin/python bench/endpoint.py                      # shipped data, 10k synthetic triples
    .venv/bin/python bench/endpoint.py --sizes 0,1M --repeat 5

For each size (0 = the shipped data; otherwise the ontology and vocabularies plus a
synthetic graph of about that many triples) it measures, with its baseline measured
in the same run:

* push — ``pickg.endpoints.push.push`` (Graph Store Protocol PUT + COUNT) into an Oxigraph
  server, against ``oxigraph load`` of the same file into a new store;
* serve start — ``pickg serve`` from launch to "ready" (load + server), against
  ``oxigraph load`` then ``oxigraph serve-read-only`` until it answers;
* every catalogue query through pickg's remote path (parameters as a VALUES block,
  a POST over HTTP, JSON back to rdflib terms), against pyoxigraph running the
  same bound text in-process: the ratio is the cost of the protocol and of pickg;
* on the shipped data only, the same queries on the local rdflib graph.

Results: ``bench/scratch/endpoint.json`` and ``bench/ENDPOINT.md``. Servers listen on
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

SIZES = {"0": 0, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
#: A query slower than this on bare Oxigraph is not measured at that size.
LIMIT = 20.0


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _timed(fn: Any, repeat: int) -> tuple[list[float], Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return times, value


def _release(size: int, folder: Path) -> Path:
    """A release folder whose pic.nt holds the data of ``size``."""
    import pickg

    release = folder / "1.0.0"
    release.mkdir(parents=True)
    if size == 0:
        pickg.load().serialize(release / "pic.nt", format="nt", encoding="utf-8")
        return release
    from pickg.synth.generator import neighbourhoods_for, synthesize

    synthetic = synthesize(neighbourhoods_for(size), folder / "synth", seed=7).path
    ontology = pickg.load(paths=[], include_ontology=True)
    with (release / "pic.nt").open("wb") as out:
        out.write(ontology.serialize(format="nt", encoding="utf-8"))
        out.write(synthetic.read_bytes())
    return release


def _catalogue(size: int) -> list[tuple[str, Any, dict[str, Any]]]:
    """Every catalogue query, with the synthetic graph's IRIs for its defaults."""
    from pickg.graph.namespaces import ORGANISATION, PHASE
    from pickg.queries.catalogue import load_catalog

    swap = {
        str(PHASE["1"]): PHASE["synth-1"],
        str(PHASE["2"]): PHASE["synth-2"],
        str(ORGANISATION["centraide-du-grand-montreal"]): ORGANISATION["synth-operator"],
    }
    out = []
    for name, query in sorted(load_catalog().items()):
        params = {p.name: swap[p.default] for p in query.params if size and p.default in swap}
        out.append((name, query, params))
    return out


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _bare_serve_start(executable: Path, nt: Path, port: int) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run(
            [str(executable), "load", "--location", scratch, "--file", str(nt)], check=True, capture_output=True
        )
        process = subprocess.Popen(
            [str(executable), "serve-read-only", "--location", scratch, "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while not _answers(f"http://127.0.0.1:{port}/"):
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
        process.terminate()
        process.wait()
    return elapsed


def _pickg_serve_start(release: Path, port: int) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pickg.cli", "serve", "--release", str(release), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("  SPARQL endpoint:"):
            break
    elapsed = time.perf_counter() - start
    process.terminate()
    process.wait()
    return elapsed


def measure(size_name: str, repeat: int) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Graph
    from tests.servers import free_port, oxigraph

    from pickg.endpoints.push import push
    from pickg.endpoints.server import oxigraph_executable
    from pickg.graph.bindings import bind_values
    from pickg.queries.client import Endpoint
    from pickg.queries.execution import LocalBackend, bind_params
    from pickg.queries.remote import RemoteBackend

    size = SIZES[size_name]
    executable = oxigraph_executable()
    result: dict[str, Any] = {"size": size_name, "ops": []}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        release = _release(size, folder / "dist")
        nt = release / "pic.nt"
        result["bytes"] = nt.stat().st_size

        def bare_load() -> None:
            with tempfile.TemporaryDirectory() as store:
                subprocess.run(
                    [str(executable), "load", "--location", store, "--file", str(nt)], check=True, capture_output=True
                )

        base, _ = _timed(bare_load, repeat)
        with oxigraph(folder / "server") as server:
            times, report = _timed(lambda: push(Endpoint(server.query_url, timeout=600), release), repeat)
            result["triples"] = report.held
            result["ops"].append({"op": "push", "times": times, "baseline": base, "baseline_name": "oxigraph load"})

            base = [_bare_serve_start(executable, nt, free_port()) for _ in range(repeat)]
            times = [_pickg_serve_start(release, free_port()) for _ in range(repeat)]
            result["ops"].append(
                {"op": "serve start", "times": times, "baseline": base, "baseline_name": "load + serve-read-only"}
            )

            store = ox.Store()
            store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
            remote = RemoteBackend(server.query_url, timeout=600)
            local = LocalBackend(Graph().parse(nt, format="nt")) if size == 0 else None
            for name, query, params in _catalogue(size):
                bindings = bind_params(query, params)
                text = bind_values(query.text, bindings)

                def bare(text: str = text) -> int:
                    return len(list(store.query(text)))

                started = time.perf_counter()
                first = bare()
                if time.perf_counter() - started > LIMIT:
                    print(f"{size_name} query {name}: skipped, bare Oxigraph takes over {LIMIT} s", file=sys.stderr)
                    result["ops"].append({"op": f"query {name}", "skipped": f"> {LIMIT} s on bare Oxigraph"})
                    continue
                base, _ = _timed(bare, repeat)
                times, answer = _timed(lambda q=query, b=bindings: remote.select(q.text, b), repeat)
                entry = {
                    "op": f"query {name}",
                    "rows": len(answer),
                    "times": times,
                    "baseline": base,
                    "baseline_name": "pyoxigraph in-process",
                }
                if local is not None:
                    entry["local"], _ = _timed(lambda q=query, b=bindings: local.select(q.text, b), repeat)
                assert len(answer) == first, f"{name}: {len(answer)} rows remotely, {first} in-process"
                result["ops"].append(entry)
                print(f"{size_name} query {name}: {_ms(_median(times))} vs {_ms(_median(base))}", file=sys.stderr)
    return result


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def report(results: list[dict[str, Any]], repeat: int) -> str:
    lines = [
        "# Endpoint benchmark",
        "",
        f"Generated by `bench/endpoint.py` (medians of {repeat} runs). "
        "Ratio = pickg / baseline, both measured in the same run.",
        "",
        f"- Python {platform.python_version()}, {platform.platform()}",
        "",
    ]
    for res in results:
        label = "shipped data" if res["size"] == "0" else f"{res['size']} synthetic"
        lines += [f"## {label}: {res['triples']:,} triples, {res['bytes'] / 1e6:.1f} MB of N-Triples", ""]
        local = any("local" in op for op in res["ops"])
        header = "| operation | rows | pickg | baseline | ratio |" + (" local rdflib |" if local else "")
        lines += [header, "|---|---:|---:|---:|---:|" + ("---:|" if local else "")]
        for op in res["ops"]:
            if "skipped" in op:
                lines.append(f"| {op['op']} | | skipped: {op['skipped']} | | |" + (" |" if local else ""))
                continue
            mine, base = _median(op["times"]), _median(op["baseline"])
            baseline = f"{_ms(base)} ({op['baseline_name']})"
            row = f"| {op['op']} | {op.get('rows', '')} | {_ms(mine)} | {baseline} | {mine / base:.1f}× |"
            if local:
                row += f" {_ms(_median(op['local']))} |" if "local" in op else " |"
            lines.append(row)
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,10k", help="comma-separated: 0 (shipped data), 10k, 100k, 1M")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = [measure(size.strip(), args.repeat) for size in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "endpoint.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = report(results, args.repeat)
    (ROOT / "bench" / "ENDPOINT.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
