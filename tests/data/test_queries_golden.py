"""Every catalogue query has a golden result on the shipped data: ``tests/data/golden/<name>.json``.

The golden is the SPARQL 1.1 JSON result of the query run by the engine that answers
by default (Oxigraph; ``tests/queries/test_queries_oxigraph.py`` and the differential
manifest hold rdflib and the endpoints to the same rows) with its defaults (and, for a
query taking a phase, for Phase 2 too: ``<name>@phase-2.json``), labels in
French, rows in the query's own order when it has an ``ORDER BY`` and sorted
otherwise. A query without a golden fails. After a deliberate change of a query or
of the data, rewrite the goldens and review their diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/data/test_queries_golden.py

Goldens are never rewritten when the ``CI`` environment variable is set.
"""

from __future__ import annotations

import difflib
import json
import os

import pytest
from rdflib import Graph

from pickg.queries.catalogue import load_catalog
from pickg.queries.results import Result
from tests.support.catalog import GOLDEN_DIR, answer

CATALOG = load_catalog()
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _lines(result: Result) -> list[str]:
    return ["\t".join(cells) for cells in result.to_table(compact=True)]


#: Each query with its defaults (``<name>.json``), and each query taking a phase for
#: Phase 2 too (``<name>@phase-2.json``), where most facts are not recorded (issue 14).
CASES = [(name, {}) for name in sorted(CATALOG)] + [
    (name, {"phase": "phase:2"}) for name in sorted(CATALOG) if any(p.name == "phase" for p in CATALOG[name].params)
]


def _golden_name(name: str, params: dict[str, str]) -> str:
    return name + "".join(f"@{key}-{value.rpartition(':')[2]}" for key, value in sorted(params.items()))


@pytest.mark.parametrize(("name", "params"), CASES, ids=[_golden_name(n, p) for n, p in CASES])
def test_query_matches_its_golden_result(graph: Graph, name: str, params: dict[str, str]) -> None:
    result = answer(graph, name, params).canonical()
    path = GOLDEN_DIR / f"{_golden_name(name, params)}.json"
    if UPDATE:
        if os.environ.get("CI"):
            pytest.fail("UPDATE_GOLDEN is refused in CI: goldens are rewritten by hand, and reviewed")
        GOLDEN_DIR.mkdir(exist_ok=True)
        path.write_text(_dump(result.to_json()), encoding="utf-8")
    assert path.is_file(), f"{name} has no golden result; create it with UPDATE_GOLDEN=1 and review it"
    golden = Result.from_json(json.loads(path.read_text(encoding="utf-8")), ordered=result.ordered)
    if golden.to_json() != result.to_json():
        diff = "\n".join(difflib.unified_diff(_lines(golden), _lines(result), "golden", "now", lineterm="", n=1))
        pytest.fail(
            f"{name} no longer gives its golden result ({path.name}).\n"
            f"variables: golden {golden.variables}, now {result.variables}\n{diff}\n"
            "If the change is intended, rewrite it with UPDATE_GOLDEN=1 and review the diff."
        )


def test_every_golden_belongs_to_a_query() -> None:
    wanted = {_golden_name(name, params) for name, params in CASES}
    stale = sorted(p.stem for p in GOLDEN_DIR.glob("*.json") if p.stem not in wanted)
    assert not stale, f"goldens of queries that no longer exist: {stale}; delete them"
