"""``pickg.sparql`` and ``Result.to_pandas()`` on the catalogue, against bare pyoxigraph + pandas.

    .venv/bin/python bench/analysis.py                 # ~100k synthetic triples
    .venv/bin/python bench/analysis.py --size shipped

The graph (the synthetic one of ``bench/catalogue.py``, or the shipped data) is loaded
once into an Oxigraph store. Each catalogue query's text, its synthetic parameters
bound as a ``VALUES`` row, then runs in alternation, three times each after one
untimed run:

* **pickg**: ``pickg.sparql(text, store=store, lang="en")`` (prefixes, the deadline's
  forked child, a label column beside each IRI column) then ``.to_pandas()`` (typed
  columns);
* **bare**: ``store.inner.query(text)`` read into ``pandas.DataFrame`` of the terms'
  plain values (no labels, every column text);
* **pickg, no labels**: ``pickg.sparql(..., labels=False).to_pandas()``.

The catalogue's time for each is the sum of the queries' medians. Results:
``bench/ANALYSIS.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from catalogue import _entries, _files  # noqa: E402 -- the same graphs and parameters

RUNS = 3


def _bare(store: Any, text: str) -> Any:
    import pandas

    answer = store.inner.query(text)
    names = [variable.value for variable in answer.variables]
    rows = [[None if term is None else term.value for term in solution] for solution in answer]
    return pandas.DataFrame(rows, columns=names)


def measure(size: str) -> list[tuple[str, int, float, float, float]]:
    import pickg
    from pickg.graph.sparqltext import with_values
    from pickg.graph.store import open_store
    from pickg.queries.execution import bind_params

    store = open_store("oxigraph", _files(size))
    out = []
    for name, query, params in _entries(size):
        text = with_values(query.text, bind_params(query, params, "en"))
        calls = {
            "pickg": lambda text=text: pickg.sparql(text, store=store, lang="en").to_pandas(),
            "bare": lambda text=text: _bare(store, text),
            "pickg-no-labels": lambda text=text: pickg.sparql(text, store=store, lang="en", labels=False).to_pandas(),
        }
        times: dict[str, list[float]] = {key: [] for key in calls}
        rows = len(calls["bare"]())
        for call in calls.values():
            call()
        for _ in range(RUNS):
            for key, call in calls.items():
                start = time.perf_counter()
                call()
                times[key].append(time.perf_counter() - start)
        medians = [statistics.median(times[key]) for key in calls]
        out.append((name, rows, *medians))
        print(f"{name}: {rows} rows, " + ", ".join(f"{m * 1000:.0f} ms" for m in medians), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k", choices=["shipped", "100k"])
    size = parser.parse_args().size
    results = measure(size)
    total = [sum(r[i] for r in results) for i in (2, 3, 4)]
    lines = [
        "# pickg.sparql + to_pandas() on the catalogue",
        "",
        f"Graph: {size} ({'the shipped data' if size == 'shipped' else 'synthetic, bench/catalogue.py'}); "
        f"Python {platform.python_version()}; medians of {RUNS} runs; produced by `bench/analysis.py`.",
        "",
        "| query | rows | pickg.sparql + to_pandas (ms) | bare pyoxigraph + pandas (ms) | pickg, no labels (ms) |",
        "|---|---:|---:|---:|---:|",
        *(f"| {n} | {r} | {a * 1000:.1f} | {b * 1000:.1f} | {c * 1000:.1f} |" for n, r, a, b, c in results),
        f"| **catalogue** | | **{total[0] * 1000:.0f}** | **{total[1] * 1000:.0f}** | **{total[2] * 1000:.0f}** |",
        "",
        f"pickg / bare: {total[0] / total[1]:.2f}× with labels, {total[2] / total[1]:.2f}× without.",
        "",
    ]
    (ROOT / "bench" / "ANALYSIS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
