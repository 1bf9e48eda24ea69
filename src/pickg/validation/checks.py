"""Data checks: ``queries/checks/*-violation.rq`` queries that must return no rows.

Each check is a catalogue-style query file (same header) whose rows are the
violations it finds, the offending resource first (``?focus``). :func:`run_checks`
runs them all on a graph; ``pickg validate`` reports them with the SHACL results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import SH
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import Query, load_checks
from pickg.queries.deadline import step
from pickg.queries.execution import run_catalog_query
from pickg.queries.results import Result
from pickg.validation.reach import Reach, bound_to
from pickg.validation.report import ValidationResult, file_iri

if TYPE_CHECKING:
    from pickg.graph.store import OxigraphStore

__all__ = ["FOCUS_VARIABLES", "WARNING_TAG", "CheckResult", "check_results", "graph_store", "run_checks"]

#: The tag of a check whose rows are warnings (what is merely incomplete, as in
#: ``recommended.shapes.ttl``), not violations: ``pickg validate --strict`` fails on them.
WARNING_TAG = "warning"

#: Names a data check may give the variable holding the resource at fault, in order
#: of preference; without any of them, the first IRI of the row is the focus node.
FOCUS_VARIABLES = ("this", "focus", "focus_node", "resource", "node", "subject", "s")


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
    results = []
    with graph_store(graph) as backend:
        for name, check in checks.items():
            if wanted is not None and name not in wanted:
                continue
            step(f"the data check {name!r} ({check.path.name})")
            result = run_catalog_query(check, lang=lang, backend=backend)
            results.append(CheckResult(check, result.canonical()))
    return results


def graph_store(graph: Graph) -> OxigraphStore:
    """An Oxigraph store holding a copy of ``graph``'s triples: the engine that runs the
    checks by default, whatever graph they are given (rdflib's gave wrong answers to
    grouped queries, see :mod:`pickg.graph.rdflibfixes`, and is slower)."""
    from pickg.graph.store import OxigraphStore

    store = OxigraphStore()
    store.add_graph(graph)
    return store


def check_results(
    graph: Graph | None, workspace: Workspace, lang: str | None, backend: Any = None, reach: Reach | None = None
) -> tuple[list[ValidationResult], list[str]]:
    """Run ``queries/checks/*-violation.rq`` on ``graph`` (or ``backend``, a store): every row is a
    violation, or a warning for a check tagged :data:`WARNING_TAG`.

    :param reach: ask a warning check only about the resources that changed (its focus
        variable bound to them, :mod:`pickg.validation.reach`); a violation check is
        asked about all. None: every check about all.
    """
    results: list[ValidationResult] = []
    checks = load_checks(workspace)
    if backend is None and graph is not None:
        with graph_store(graph) as store:
            return check_results(None, workspace, lang, backend=store, reach=reach)
    for name, check in checks.items():
        severity = "Warning" if WARNING_TAG in check.tags else "Violation"
        query = check
        if reach is not None and severity == "Warning":
            if not reach.changed:
                continue
            bound = bound_to(check.text, FOCUS_VARIABLES, reach.changed)
            query = check if bound is None else replace(check, text=bound)
        step(f"the data check {name!r} ({workspace.relative(check.path)})")
        rows = run_catalog_query(query, graph=graph, lang=lang or "fr", backend=backend)
        variables = list(rows.variables)
        messages = {tag: text for tag, text in check.description.items() if text} or dict(check.summary)
        source = file_iri(workspace.relative(check.path))
        for row in rows.rows:
            cells = dict(zip(variables, row, strict=False))
            focus = next((cells[v] for v in FOCUS_VARIABLES if cells.get(v) is not None), None)
            if focus is None:
                focus = next((c for c in row if isinstance(c, (URIRef, BNode))), None)
            if focus is None:
                focus = source
            results.append(
                ValidationResult(
                    focus_node=focus,
                    severity=severity,
                    source=source,
                    messages=messages,
                    path=cells.get("path"),
                    value=cells.get("value", next((c for v, c in cells.items() if c is not None and c != focus), None)),
                    component=SH.SPARQLConstraintComponent,
                    check=name,
                )
            )
    return results, list(checks)
