"""`make run` on the curated data, this checkout against another, in alternation.

    .venv/bin/python bench/makerun.py --against ../pickg-at-an-earlier-commit --repeat 5

Times, in turn: the bare import floor (``import rdflib, pyshacl, pyoxigraph``), then
``pickg run --force`` (what ``make run`` runs) with this checkout's code and with the
other checkout's (its ``src`` first on ``PYTHONPATH``, in its own folder, so each
replaces its own ``dist/``), each with the cache of ``build/cache/`` warm (filled by a
first run) and off (``PICKG_CACHE_DIR=off``). Alternating puts a busy moment of the
machine on all of them alike. Prints the medians of the wall time and of the CPU time
(user + sys, the forked child included), and the steps ``pickg run --timings``
reports for this checkout's last warm run; ``bench/RESULTS.md`` records them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PICKG = [sys.executable, "-m", "pickg.cli"]


def _cpu() -> float:
    """CPU seconds (user + sys) of the children waited for so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(checkout: Path, env: dict[str, str]) -> tuple[float, float, str]:
    start, cpu = time.perf_counter(), _cpu()
    done = subprocess.run(
        [*PICKG, "run", "--force", "--timings"], cwd=checkout, capture_output=True, text=True, env=env, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"pickg run failed in {checkout} (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, _cpu() - cpu, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--against", type=Path, required=True, help="another checkout (an earlier commit's worktree)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    other = args.against.resolve()
    envs = {
        "now": {k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "before": {**os.environ, "PYTHONPATH": str(other / "src")},
    }
    where = {"now": ROOT, "before": other}
    for name in envs:  # fills each checkout's cache
        _run(where[name], envs[name])
    times: dict[str, list[float]] = {"floor": []}
    cpus: dict[str, list[float]] = {"floor": []}
    last = ""
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), _cpu()
        subprocess.run([sys.executable, "-c", "import rdflib, pyshacl, pyoxigraph"], check=True)
        times["floor"].append(time.perf_counter() - start)
        cpus["floor"].append(_cpu() - cpu)
        for name, env in envs.items():
            for cache, extra in (("warm", {}), ("off", {"PICKG_CACHE_DIR": "off"})):
                elapsed, used, timings = _run(where[name], {**env, **extra})
                times.setdefault(f"{name}, cache {cache}", []).append(elapsed)
                cpus.setdefault(f"{name}, cache {cache}", []).append(used)
                if name == "now" and cache == "warm":
                    last = timings
    floor = statistics.median(times["floor"])
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores; {args.repeat} runs each")
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"{name:20} median {median:.2f} s ({median / floor:.2f}× the floor), runs {[round(v, 2) for v in values]}"
        )
    # CPU (user + sys, the forked child included) depends far less on what else the
    # machine runs than the wall time does: the figure to compare on a shared machine.
    for name, values in cpus.items():
        print(f"{name:20} CPU median {statistics.median(values):.2f} s, runs {[round(v, 2) for v in values]}")
    print(last)


if __name__ == "__main__":
    main()
