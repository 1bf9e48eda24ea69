"""Helpers shared by the query-catalogue tests: one run of each query per session."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rdflib import Graph

from pickg.queries.execution import run_query
from pickg.queries.results import Result

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "golden"

_CACHE: dict[tuple[int, str, tuple[tuple[str, str], ...], str], Result] = {}


def run_cached(graph: Graph, name: str, params: Mapping[str, str] | None = None, lang: str = "fr") -> Result:
    """``run_query`` on ``graph``, each (query, parameters, language) run once per session.

    The graph must not change during the session (the suite's ``graph`` fixture does not).
    """
    key = (id(graph), name, tuple(sorted((params or {}).items())), lang)
    if key not in _CACHE:
        _CACHE[key] = run_query(name, params, graph, lang=lang)
    return _CACHE[key]


def labels(result: Result, variable: str) -> list[str]:
    """The text of one column, in row order (unbound cells left out)."""
    return [str(term) for term in result.column(variable) if term is not None]
