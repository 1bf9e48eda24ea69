"""The differential manifest: every catalogue query × its parameter grid × four engines.

In the manner of the W3C SPARQL test suites, each case is a query, its parameters and
the data (the session's release, ``pic.nt``), and the expected result is the one
Oxigraph in memory gives. Every other engine must give the same rows:

* ``rdflib``: rdflib's engine on its in-memory graph (``--store rdflib``);
* ``oxigraph``: pyoxigraph in memory (the default engine), the reference;
* ``oxigraph-server``: the Oxigraph server over HTTP (``--endpoint``), the release
  pushed into its default graph;
* ``virtuoso``: Virtuoso Open Source over HTTP, the release loaded by ``pickg push``
  (Graph Store Protocol, digest credentials) into a named graph that the endpoint URL
  makes the default one (``default-graph-uri``).

The grid of a query: its defaults, labels in English, every declared choice, each
phase for a parameter that takes one, a well-formed IRI of the right kind that does
not exist, a real value for a parameter without a default, and for a text parameter an
empty and a no-match text. Rows are compared as multisets of RDF terms, in order when
the query orders them. A cell that differs for a known reason is listed in
:data:`EXPECTED_TO_DIFFER` with that reason; a listed cell that agrees fails, so the
list never outlives its reason. The size of the manifest is printed at the end of the
run (``conftest.pytest_terminal_summary``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal
from rdflib.namespace import XSD
from rdflib.term import Node

from pickg.endpoints.server import Server
from pickg.graph.errors import PickgError
from pickg.graph.namespaces import PREFIXES
from pickg.graph.store import MemoryStore, OxigraphStore
from pickg.queries.catalogue import Query, load_catalog
from pickg.queries.execution import run_catalog_query
from pickg.queries.remote import RemoteBackend
from pickg.queries.results import Result
from tests.support.runs import PublishedRelease
from tests.support.servers import VIRTUOSO_PASSWORD, VIRTUOSO_USER, oxigraph, virtuoso

CATALOG = load_catalog()
ENGINES = ("rdflib", "oxigraph", "oxigraph-server", "virtuoso")
REFERENCE = "oxigraph"
VIRTUOSO_GRAPH = "https://w3id.org/pickg/graph/release"

#: The namespace of a parameter's values, for those without a default to take it from.
KIND_OF_PARAM = {
    "theme": "theme",
    "neighbourhood": "nbh",
    "phase": "phase",
    "first": "phase",
    "second": "phase",
    "measure": "measure",
    "about": "nbh",
}
#: A real value for a parameter without a default (the grid then has a case that selects rows).
REAL_VALUE = {
    "theme": "theme:food",
    "neighbourhood": "nbh:verdun",
    "phase": "phase:1",
    "measure": "measure:low-income-rate",
    "about": "nbh:peter-mcgill",
}
PHASES = ("phase:1", "phase:2")
#: The two reproductions of issue 14, run as cases of their own.
EXTRA_CASES = {
    "neighbourhoods-by-theme": [
        {"theme": "theme:food", "phase": "phase:2"},
        {"theme": "theme:foood", "phase": "phase:2"},
    ],
}

#: (engine, query, or "*" for every query) → (how the cells differ, why). The kind is
#: ``order`` (the same rows in another order), ``list-order`` (the same rows once the
#: items of each "; "-separated list are sorted), ``rows`` (other rows) or ``error`` (the
#: engine refuses the query). A cell that differs in another way fails; an entry no
#: cell needs fails too, but for the kinds of :data:`VARYING` (an engine whose order
#: changes from run to run agrees on some runs). docs/engines.md gives each reason.
EXPECTED_TO_DIFFER: dict[tuple[str, str], tuple[str, str]] = {
    ("virtuoso", "roundtables"): (
        "list-order",
        "GROUP_CONCAT's order is not defined by SPARQL 1.1 (18.5.1.7): Virtuoso lists a roundtable's "
        "sources in the sub-select's order on some runs and not on others",
    ),
    ("virtuoso", "*"): (
        "order",
        "Virtuoso 7.2.5 sorts by a string function such as LCASE(STR(?label)) out of order when the query has "
        "no LIMIT (ORDER BY ?label, or the same with a LIMIT, sorts right)",
    ),
    ("virtuoso", "collaboration-partners"): (
        "error",
        "Virtuoso 7.2.5 stops it with SQ156 (Bad dfe in sqlo_place_exp: expressions over aggregates beside "
        "grouped labels) and, without those expressions, does not answer within 60 s; the pairs are grouped by the "
        "outermost query, where the bound neighbourhood meets its table",
    ),
    ("virtuoso", "search-desired-changes"): (
        "rows",
        'Virtuoso 7.2.5 answers CONTAINS(?text, "") with 0 instead of true, so the empty search finds nothing, '
        "and misses a label whose accents the REPLACE chain folds (Comité de promotion du logement social)",
    ),
    ("virtuoso", "conflicting-figures"): (
        "rows",
        "Virtuoso 7.2.5 answers BIND(true AS ?recorded) with the integer 1, not the boolean true",
    ),
    ("virtuoso", "identical-texts"): (
        "rows",
        "Virtuoso 7.2.5 binds ?first to a resource of another UNION branch when the FILTER on STR(?first) and "
        "STR(?second) follows the UNION: it pairs initiative:ahuntsic-ecole-de-la-citoyennete with LaSalle's label",
    ),
    ("virtuoso", "neighbourhood-profile"): (
        "rows",
        "Virtuoso 7.2.5 joins the grouped sub-selects of the profile (each a UNION with an empty item) to the "
        "participations wrongly: 96 rows instead of one per neighbourhood and phase, or 1 instead of 17",
    ),
    ("virtuoso", "theme-summary"): (
        "list-order",
        "GROUP_CONCAT's order is not defined by SPARQL 1.1 (18.5.1.7): Virtuoso lists the English "
        "neighbourhood names in another order than the sub-select's ORDER BY",
    ),
}

#: Filled as the cases run; printed by ``pytest_terminal_summary`` in conftest.py.
SUMMARY: dict[str, Any] = {
    "queries": set(),
    "cases": 0,
    "cells": 0,
    "agree": 0,
    "expected": [],
    "used": set(),
    "engines": ENGINES,
}


@dataclass(frozen=True)
class Case:
    query: str
    params: dict[str, str] = field(default_factory=dict)
    lang: str = "fr"

    @property
    def id(self) -> str:
        parts = [f"{k}={v}" for k, v in sorted(self.params.items())] or ["defaults"]
        if self.lang != "fr":
            parts.append(f"lang={self.lang}")
        return f"{self.query}[{','.join(parts)}]"


def _kind_namespace(query: Query, name: str) -> str:
    param = query.param(name)
    assert param is not None
    if param.default:
        iri = param.default
        cut = max(iri.rfind("/"), iri.rfind("#"))
        return iri[: cut + 1]
    return PREFIXES[KIND_OF_PARAM[name]]


def grid(query: Query) -> list[Case]:
    """The cases of one query, without duplicates, in a stable order."""
    cases = [Case(query.name), Case(query.name, lang="en")]
    for param in query.params:
        if param.name == "lang":
            continue
        if param.choices:  # any other value is refused before it runs
            cases += [Case(query.name, {param.name: choice}) for choice in param.choices]
        elif param.type == "iri":
            namespace = _kind_namespace(query, param.name)
            if namespace == PREFIXES["phase"]:
                cases += [Case(query.name, {param.name: phase}) for phase in PHASES]
            if param.default is None and param.name in REAL_VALUE:
                cases.append(Case(query.name, {param.name: REAL_VALUE[param.name]}))
            cases.append(Case(query.name, {param.name: namespace + "does-not-exist"}))
        elif param.type in ("string", "search"):
            cases += [Case(query.name, {param.name: ""}), Case(query.name, {param.name: "zqxjv-no-such-text"})]
        elif param.type == "integer":
            cases += [Case(query.name, {param.name: "2021"}), Case(query.name, {param.name: "1800"})]
    cases += [Case(query.name, params) for params in EXTRA_CASES.get(query.name, [])]
    unique: dict[str, Case] = {}
    for case in cases:
        unique.setdefault(case.id, case)
    return list(unique.values())


CASES = [case for name in sorted(CATALOG) for case in grid(CATALOG[name])]


# --- the engines -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def release_nt(published_release: PublishedRelease) -> Path:
    return published_release.path / "pic.nt"


@pytest.fixture(scope="module")
def endpoints(
    tmp_path_factory: pytest.TempPathFactory, published_release: PublishedRelease
) -> Iterator[tuple[Server, str]]:
    """The two servers, started and loaded side by side (Virtuoso's start-up is mostly waiting):

    * an Oxigraph server of the manifest's own, the release pushed into its default graph by `pickg push`;
    * Virtuoso with the release in a named graph, pushed by `pickg push` with digest credentials.
    """
    release = published_release.path

    def virtuoso_loaded(stack: ExitStack) -> str:
        server = stack.enter_context(virtuoso(tmp_path_factory.mktemp("manifest-virtuoso")))
        credentials = {"PICKG_ENDPOINT_USER": VIRTUOSO_USER, "PICKG_ENDPOINT_PASSWORD": VIRTUOSO_PASSWORD}
        _push(server.sparql_url, release, graph=VIRTUOSO_GRAPH, env=credentials)
        return server.query_url(VIRTUOSO_GRAPH)

    with ExitStack() as stack:
        # the Oxigraph server starts in this thread: its process ends with the thread that started it
        server = stack.enter_context(oxigraph(tmp_path_factory.mktemp("manifest-oxigraph")))
        with ThreadPoolExecutor(max_workers=2) as pool:
            pushed = pool.submit(_push, server.query_url, release)
            loaded = pool.submit(virtuoso_loaded, stack)
        pushed.result()
        yield server, loaded.result()


@pytest.fixture(scope="module")
def oxigraph_http(endpoints: tuple[Server, str]) -> Server:
    return endpoints[0]


@pytest.fixture(scope="module")
def virtuoso_url(endpoints: tuple[Server, str]) -> str:
    return endpoints[1]


def _push(url: str, release: Path, graph: str | None = None, env: dict[str, str] | None = None) -> None:
    args = [sys.executable, "-m", "pickg.cli", "push", "--endpoint", url, "--release", str(release)]
    if graph:
        args += ["--graph", graph]
    done = subprocess.run(
        args, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def backends(release_nt: Path, oxigraph_http: Server, virtuoso_url: str) -> Iterator[dict[str, Any]]:
    memory = MemoryStore()
    memory.load([release_nt])
    store = OxigraphStore()
    store.load([release_nt])
    yield {
        "rdflib": memory,
        "oxigraph": store,
        "oxigraph-server": RemoteBackend(oxigraph_http.query_url, timeout=60),
        "virtuoso": RemoteBackend(virtuoso_url, timeout=60),
    }
    store.close()


# --- comparing ---------------------------------------------------------------------------


def _term(term: Node | None) -> Node | None:
    """A term as SPARQL 1.1 compares it: a simple literal and an ``xsd:string`` are one."""
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


def _rows(result: Result) -> list[tuple[Node | None, ...]]:
    return [tuple(_term(t) for t in row) for row in result.rows]


#: Kinds of difference an engine shows on some runs only.
VARYING = frozenset({"list-order"})


def _listed(row: tuple[Node | None, ...]) -> tuple[Node | None, ...]:
    """``row`` with the items of every "; "-separated list sorted."""
    return tuple(
        Literal("; ".join(sorted(str(t).split("; "))), lang=t.language, datatype=t.datatype)
        if isinstance(t, Literal) and "; " in str(t)
        else t
        for t in row
    )


def _difference(query: Query, expected: Result, got: Result) -> tuple[str, str] | None:
    """How and why ``got`` is not ``expected`` (kind, detail), or None when they are the same answer."""
    if got.variables != expected.variables:
        return "rows", f"variables {got.variables} instead of {expected.variables}"
    want, have = _rows(expected), _rows(got)
    if query.has_order_by and want == have:
        return None
    if Counter(want) != Counter(have) and Counter(map(_listed, want)) == Counter(map(_listed, have)):
        return "list-order", "the same rows once the items of each list are sorted"
    if Counter(want) != Counter(have):
        missing = list((Counter(want) - Counter(have)).elements())[:2]
        extra = list((Counter(have) - Counter(want)).elements())[:2]
        return "rows", f"{len(have)} rows instead of {len(want)}; missing e.g. {missing}; extra e.g. {extra}"
    if query.has_order_by:
        first = next(i for i, (a, b) in enumerate(zip(want, have, strict=True)) if a != b)
        return "order", f"the same rows in another order (first difference at row {first + 1})"
    return None


def _expected(engine: str, query: str, kind: str) -> tuple[tuple[str, str], str] | None:
    """The EXPECTED_TO_DIFFER entry (key, reason) for a cell that differs by ``kind``, the query's own first."""
    for key in ((engine, query), (engine, "*")):
        if key in EXPECTED_TO_DIFFER and EXPECTED_TO_DIFFER[key][0] == kind:
            return key, EXPECTED_TO_DIFFER[key][1]
    return None


@pytest.mark.system
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_engine_gives_the_reference_rows(case: Case, backends: dict[str, Any]) -> None:
    query = CATALOG[case.query]
    results: dict[str, Result | str] = {}
    for engine in ENGINES:
        try:
            results[engine] = run_catalog_query(
                query, case.params, lang=case.lang, backend=backends[engine], check_resources=False
            )
        except PickgError as error:  # an engine that cannot run the query is a cell that differs
            results[engine] = f"error: {str(error)[:300]}"
    reference = results[REFERENCE]
    assert isinstance(reference, Result), f"the reference engine failed: {reference}"
    SUMMARY["queries"].add(case.query)
    SUMMARY["cases"] += 1
    failures = []
    for engine in ENGINES:
        if engine == REFERENCE:
            continue
        SUMMARY["cells"] += 1
        got = results[engine]
        difference = ("error", got) if isinstance(got, str) else _difference(query, reference, got)
        if difference is None:
            SUMMARY["agree"] += 1
            continue
        expected = _expected(engine, case.query, difference[0])
        if expected is not None:
            SUMMARY["expected"].append((case.id, engine, expected[1]))
            SUMMARY["used"].add(expected[0])
        else:
            failures.append(f"{engine}: {difference[1]}")
    assert not failures, f"{case.id}:\n  " + "\n  ".join(failures)


@pytest.mark.system
def test_the_issue_14_reproductions_are_empty_everywhere(backends: dict[str, Any]) -> None:
    query = CATALOG["neighbourhoods-by-theme"]
    for params in EXTRA_CASES["neighbourhoods-by-theme"]:
        for engine in ENGINES:
            assert len(run_catalog_query(query, params, backend=backends[engine], check_resources=False)) == 0, (
                engine,
                params,
            )


@pytest.mark.system
def test_every_expected_difference_is_still_needed(backends: dict[str, Any]) -> None:
    """Runs after the cases (file order): an entry of EXPECTED_TO_DIFFER no cell needed must go."""
    if SUMMARY["cases"] < len(CASES):
        pytest.skip("only part of the manifest ran (-k or a failure before); nothing to conclude")
    unused = sorted(k for k in set(EXPECTED_TO_DIFFER) - SUMMARY["used"] if EXPECTED_TO_DIFFER[k][0] not in VARYING)
    assert not unused, f"these engines now agree; remove their EXPECTED_TO_DIFFER entries: {unused}"


def test_the_grid_covers_every_query() -> None:
    assert {case.query for case in CASES} == set(CATALOG)
    assert all(any(c.query == name and not c.params for c in CASES) for name in CATALOG)


@pytest.mark.system
def test_query_run_and_sparql_on_virtuoso_with_credentials(virtuoso_url: str, backends: dict[str, Any]) -> None:
    """`pickg query run --endpoint` on Virtuoso, and `pickg sparql` on its digest-protected
    endpoint (/sparql-auth) with the credentials of the environment: the reference's rows."""
    from click.testing import CliRunner

    from pickg.cli import main

    expected = run_catalog_query(CATALOG["phase-budgets"], lang="fr", backend=backends[REFERENCE]).to_csv()
    ran = CliRunner().invoke(
        main, ["query", "run", "phase-budgets", "--endpoint", virtuoso_url, "-f", "csv", "--lang", "fr"]
    )
    assert ran.exit_code == 0, ran.output
    assert ran.output.splitlines() == expected.splitlines()
    protected = virtuoso_url.replace("/sparql?", "/sparql-auth?")
    credentials = {"PICKG_ENDPOINT_USER": VIRTUOSO_USER, "PICKG_ENDPOINT_PASSWORD": VIRTUOSO_PASSWORD}
    count = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
    answered = CliRunner().invoke(main, ["sparql", "--endpoint", protected, "-f", "csv"], input=count, env=credentials)
    assert answered.exit_code == 0, answered.output
    assert int(answered.output.splitlines()[1]) == len(backends[REFERENCE])
    refused = CliRunner().invoke(
        main,
        ["sparql", "--endpoint", protected],
        input=count,
        env={"PICKG_ENDPOINT_USER": "", "PICKG_ENDPOINT_PASSWORD": ""},
    )
    assert refused.exit_code != 0 and "401" in refused.output
