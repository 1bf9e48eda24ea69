"""Data checks: ``queries/checks/*-violation.rq`` queries that must return no rows.

Each check is a catalogue-style query file (same header) whose rows are the
violations it finds, the offending resource first (``?focus``). :func:`run_checks`
runs them all on a graph; ``pickg validate`` reports them with the SHACL results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from pickg.catalog import Query, load_checks
from pickg.results import Result
from pickg.sparql import LocalBackend, run_catalog_query
from pickg.workspace import Workspace

__all__ = ["CheckResult", "run_checks"]


@dataclass(frozen=True)
class CheckResult:
    """What one check found: its violations (the rows), none when the data passes."""

    check: Query
    result: Result

    @property
    def name(self) -> str:
        """The check's name (the file stem, ``…-violation``)."""
        return self.check.name

    @property
    def path(self) -> Path:
        return self.check.path

    @property
    def passed(self) -> bool:
        """True when the check found nothing."""
        return len(self.result) == 0

    @property
    def count(self) -> int:
        """The number of violations (rows)."""
        return len(self.result)

    def focus_nodes(self) -> list[Node]:
        """The offending resources (first column), in row order, without repeats."""
        if not self.result.variables:
            return []
        seen: list[Node] = []
        for node in self.result.column(self.result.variables[0]):
            if node is not None and node not in seen:
                seen.append(node)
        return seen

    def message(self, lang: str = "fr") -> str:
        """The rule the violations break, in ``lang`` (the check's description)."""
        return self.check.description_in(lang)

    def summary(self, lang: str = "fr") -> str:
        return self.check.summary_in(lang)


def run_checks(
    graph: Graph,
    workspace: Workspace | None = None,
    names: Iterable[str] | None = None,
    lang: str = "fr",
) -> list[CheckResult]:
    """Run the data checks on ``graph`` (which should hold the ontology and the data).

    :param graph: the graph to check; it is not modified.
    :param workspace: where ``queries/checks/`` lives; :meth:`Workspace.discover` if None.
    :param names: run only these checks (names with the ``-violation`` suffix).
    :param lang: the language of labels in the rows.
    :returns: one result per check, in name order; ``passed`` tells which found nothing.
    :raises ParseError: a check file is malformed.
    """
    checks = load_checks(workspace)
    wanted = set(names) if names is not None else None
    backend = LocalBackend(graph)
    results = []
    for name, check in checks.items():
        if wanted is not None and name not in wanted:
            continue
        result = run_catalog_query(check, lang=lang, backend=backend)
        results.append(CheckResult(check, result.canonical()))
    return results
