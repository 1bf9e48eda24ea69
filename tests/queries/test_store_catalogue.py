"""Every catalogue query answers the same on rdflib and on the Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from pickg.graph.namespaces import NBH, ORGANISATION, PHASE
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import MemoryStore, OxigraphStore, open_store
from pickg.queries.catalogue import load_catalog
from pickg.queries.execution import run_catalog_query
from tests.support.references import reference_key, reference_value
from tests.support.runs import run_pickg

CATALOGUE = load_catalog()
SYNTHETIC_PARAMS = {
    str(PHASE["1"]): PHASE["synth-1"],
    str(PHASE["2"]): PHASE["synth-2"],
    str(ORGANISATION["centraide-du-grand-montreal"]): ORGANISATION["synth-operator"],
}


class Stores:
    """The same files in both stores; rdflib's store read only when an answer is not kept."""

    def __init__(self, which: str, files: list[Path]) -> None:
        self.which, self.files = which, files
        oxigraph = open_store("oxigraph", files)
        assert isinstance(oxigraph, OxigraphStore)
        self.oxigraph = oxigraph
        self._memory: MemoryStore | None = None

    @property
    def memory(self) -> MemoryStore:
        if self._memory is None:
            memory = open_store("memory", self.files)
            assert isinstance(memory, MemoryStore)
            self._memory = memory
        return self._memory


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def stores(request: pytest.FixtureRequest, synthetic_file: Path) -> Stores:
    files = workspace_files() if request.param == "shipped" else workspace_files([synthetic_file])
    return Stores(request.param, files)


def _rows(result: object) -> list[tuple]:
    """Rows in a comparable order; GROUP_CONCAT lists are compared as sets of items."""
    out = []
    for row in result.canonical().rows:  # type: ignore[attr-defined]
        out.append(tuple(sorted(str(t).split("; ")) if t is not None and "; " in str(t) else t for t in row))
    return out if result.ordered else sorted(out, key=repr)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_same_answer_on_both_stores(stores: Stores, name: str) -> None:
    """rdflib's answer is the reference: kept in the project's cache under a key of the
    files, the libraries, pickg's code and this module (:mod:`tests.support.references`)."""
    query = CATALOGUE[name]
    params: dict[str, object] = {}
    if stores.which == "synthetic":
        params = {p.name: SYNTHETIC_PARAMS[p.default] for p in query.params if p.default in SYNTHETIC_PARAMS}
        if query.param("neighbourhood") is not None:
            params["neighbourhood"] = URIRef(NBH["synth-000001"])
    key = reference_key(f"rdflib {name} {stores.which}", __file__, stores.files, pickg=True)
    expected = reference_value(key, lambda: run_catalog_query(query, params, stores.memory.to_rdflib()))
    got = run_catalog_query(query, params, backend=stores.oxigraph)
    assert got.variables == expected.variables
    assert _rows(got) == _rows(expected)


@pytest.mark.system
def test_cli_query_store_option(synthetic_file: Path) -> None:
    outputs = []
    for store in ("memory", "oxigraph"):
        done = run_pickg(
            "query",
            "run",
            "initiatives-per-neighbourhood",
            "-p",
            "phase=phase:synth-1",
            "-f",
            "csv",
            "--store",
            store,
            str(synthetic_file),
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") > 5
    bad = run_pickg("query", "run", "neighbourhoods-of-phase", "--store", "oxigraph:")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
