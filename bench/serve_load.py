"""Load on ``pickg serve``: many clients at once, as a class opening the site together.

    .venv/bin/python bench/serve_load.py --release dist/0.1.0 --clients 100
    .venv/bin/python bench/serve_load.py --release dist/0.1.0 --clients 10,50,100 --rounds 3

Starts ``pickg serve`` on the release (a process, as a user starts it), then N client
threads released together; each does ``--rounds`` visits, a visit being what a reader's
browser asks for: the home page and a resource page, the search page and its assets
(the index and the script), the query page with everything it loads (YASGUI's script and
style, the page's script) and then its query, and two catalogue queries as a dashboard
sends them (POST ``/query``, SPARQL JSON results). A request counts as an error when it
raises (a reset, a refused or dropped connection, a timeout) or answers anything but 200.
Before the visits, a burst: as many simple queries as clients, sent at the same instant.

Reports for each number of clients: requests, errors (and their kinds), latency p50 /
p99 / max, wall time, and the peak resident memory and thread count of ``pickg serve``
(its own process and the Oxigraph child, sampled every 20 ms). Results go to
``bench/scratch/serve_load.json``; the table is printed as Markdown for
``bench/RESULTS.md``. Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "scratch"
sys.path.insert(0, str(ROOT / "src"))

from pickg.graph.bindings import bind_values  # noqa: E402
from pickg.queries.catalogue import load_catalog  # noqa: E402
from pickg.queries.execution import bind_params  # noqa: E402

#: Seconds one request may take before it counts as an error.
REQUEST_TIMEOUT = 60.0


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(release: Path, port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "pickg.cli", "serve", "--release", str(release), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Press Ctrl-C"):
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process
    raise SystemExit(f"pickg serve ended early (exit {process.wait()})")


def catalogue_queries() -> list[str]:
    """The bound text of every catalogue query (its defaults), as a dashboard sends them."""
    texts = []
    for query in sorted(load_catalog().values(), key=lambda q: q.name):
        texts.append(bind_values(query.text, bind_params(query)))
    return texts


def visit(release: Path, queries: list[str], number: int) -> list[tuple[str, str, str | None]]:
    """The requests of one visit: (method, path, form body or None)."""
    site = release / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "id" / "neighbourhood").glob("*/index.en.html"))
    page = pages[number % len(pages)] if pages else "index.en.html"
    form = [urlencode({"query": queries[(number + i) % len(queries)]}) for i in range(3)]
    return [
        ("GET", "/", None),
        ("GET", "/" + page, None),
        ("GET", "/search/index.en.html", None),
        ("GET", "/search-index.js", None),
        ("GET", "/search.js", None),
        ("GET", "/sparql/index.en.html", None),
        ("GET", "/vendor/yasgui/yasgui.min.js", None),
        ("GET", "/vendor/yasgui/yasgui.min.css", None),
        ("GET", "/sparql.js", None),
        ("POST", "/query", form[0]),
        ("POST", "/query", form[1]),
        ("POST", "/query", form[2]),
    ]


def request(port: int, method: str, path: str, body: str | None) -> tuple[float, str | None]:
    """One request on a new connection; (seconds, None or what went wrong)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"Accept": "application/sparql-results+json"} if body else {}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        problem = None if answer.status == 200 else f"HTTP {answer.status}"
    except Exception as exc:  # what the load test counts
        problem = type(exc).__name__
    finally:
        connection.close()
    return time.perf_counter() - started, problem


class Sampler(threading.Thread):
    """Peak RSS (the serve process and its children) and peak thread count of serve."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak_rss = 0
        self.peak_threads = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                family = [self.process, *self.process.children(recursive=True)]
                self.peak_rss = max(self.peak_rss, sum(p.memory_info().rss for p in family))
                self.peak_threads = max(self.peak_threads, self.process.num_threads())
            except psutil.Error:
                pass
            time.sleep(0.02)


def burst(port: int, clients: int) -> dict[str, Any]:
    """``clients`` simple queries sent at the same instant (the issue's reproduction)."""
    form = urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"})
    results: list[tuple[float, str | None]] = []
    barrier = threading.Barrier(clients)

    def client() -> None:
        barrier.wait()
        results.append(request(port, "POST", "/query", form))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = Counter(p for _, p in results if p is not None)
    return {"burst_errors": sum(errors.values()), "burst_error_kinds": dict(errors), "burst_max_ms": _ms(results)}


def _ms(results: list[tuple[float, str | None]]) -> float:
    return round(max(t for t, _ in results) * 1000, 1)


def load(port: int, pid: int, release: Path, queries: list[str], clients: int, rounds: int) -> dict[str, Any]:
    results: list[tuple[str, float, str | None]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        mine = []
        barrier.wait()
        for round_ in range(rounds):
            for method, path, body in visit(release, queries, number * rounds + round_):
                mine.append((method, *request(port, method, path, body)))
        with lock:
            results.extend(mine)

    sampler = Sampler(pid)
    sampler.start()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    sampler.stopped.set()
    sampler.join()
    times = sorted(t for _, t, _ in results)
    errors = Counter(p for _, _, p in results if p is not None)
    kinds = {"files": "GET", "queries": "POST"}
    by_kind = {kind: _percentiles(sorted(t for m, t, _ in results if m == method)) for kind, method in kinds.items()}
    return {
        "clients": clients,
        "requests": len(results),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        **_percentiles(times),
        "by_kind": by_kind,
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(sampler.peak_rss / 2**20, 1),
        "peak_threads": sampler.peak_threads,
    }


def _percentiles(times: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release", type=Path, required=True, help="a release folder built by pickg publish")
    parser.add_argument("--clients", default="100", help="comma-separated numbers of concurrent clients")
    parser.add_argument("--rounds", type=int, default=2, help="visits per client")
    parser.add_argument("--label", default="", help="what is measured (kept in the JSON)")
    args = parser.parse_args()
    queries = catalogue_queries()
    port = free_port()
    process = start_serve(args.release.resolve(), port)
    rows = []
    try:
        for clients in (int(c) for c in args.clients.split(",")):
            row = burst(port, clients)
            row |= load(port, process.pid, args.release.resolve(), queries, clients, args.rounds)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        process.terminate()
        process.wait(timeout=30)
    WORK.mkdir(parents=True, exist_ok=True)
    record = {"label": args.label, "machine": f"{platform.machine()}, {psutil.cpu_count()} cores", "rows": rows}
    (WORK / "serve_load.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(
        "\n| clients | requests | errors | p50 ms | p99 ms | max ms | files p99 ms | queries p99 ms "
        "| wall s | peak RSS MB | peak threads | burst errors | burst max ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['clients']} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} "
            f"| {r['by_kind']['files']['p99_ms']} | {r['by_kind']['queries']['p99_ms']} "
            f"| {r['wall_s']} | {r['peak_rss_mb']} | {r['peak_threads']} | {r['burst_errors']} | {r['burst_max_ms']} |"
        )


if __name__ == "__main__":
    main()
