"""Helpers shared by the query-catalogue tests: one run of each query per session."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph

from pickg.graph.store import OxigraphStore
from pickg.queries.execution import run_query
from pickg.queries.results import Result

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "golden"

_CACHE: dict[tuple[int, str, tuple[tuple[str, str], ...], str], Result] = {}
_ANSWERS: dict[tuple[int, str, tuple[tuple[str, str], ...], str], Result] = {}
_STORES: dict[int, OxigraphStore] = {}


def run_cached(graph: Graph, name: str, params: Mapping[str, str] | None = None, lang: str = "fr") -> Result:
    """``run_query`` on ``graph``, each (query, parameters, language) run once per session.

    The graph must not change during the session (the suite's ``graph`` fixture does not).
    """
    key = (id(graph), name, tuple(sorted((params or {}).items())), lang)
    if key not in _CACHE:
        _CACHE[key] = run_query(name, params, graph, lang=lang)
    return _CACHE[key]


def answer(graph: Graph, name: str, params: Mapping[str, str] | None = None, lang: str = "fr") -> Result:
    """The query's answer from the engine that answers by default (Oxigraph), on the
    triples of ``graph``, each (query, parameters, language) once per session: for the
    tests of what an answer says rather than of which engine says it (rdflib's engine
    takes up to a hundred times longer on the catalogue's text searches)."""
    if id(graph) not in _STORES:
        _STORES[id(graph)] = store = OxigraphStore()
        store.add_graph(graph)
    key = (id(graph), name, tuple(sorted((params or {}).items())), lang)
    if key not in _ANSWERS:
        _ANSWERS[key] = run_query(name, params, lang=lang, backend=_STORES[id(graph)])
    return _ANSWERS[key]


def labels(result: Result, variable: str) -> list[str]:
    """The text of one column, in row order (unbound cells left out)."""
    return [str(term) for term in result.column(variable) if term is not None]
