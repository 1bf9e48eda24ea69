"""The validation gate of a release: nothing is published from data that does not conform.

:func:`check_conforms` validates the sources with the fast engine (the shapes compiled
to SPARQL and run in the release's Oxigraph store, :func:`pickg.validation.fast_engine.validate_store`,
tested to give pySHACL's results) in a few hundred milliseconds, so it runs in the
publishing process before anything is written. A caller that has just validated the
same sources in the same process hands its report to :func:`refuse_unless_conforms`
instead of validating twice.
"""

from __future__ import annotations

from typing import Any

from pickg.graph.errors import NonConformingError
from pickg.graph.workspace import Workspace
from pickg.validation.report import Report

__all__ = ["check_conforms", "refuse_unless_conforms"]


def refuse_unless_conforms(report: Report) -> None:
    """Raise unless ``report`` says the data conforms.

    :raises NonConformingError: with the number of violations and the first one.
    """
    if report.conforms:
        return
    violations = report.violations
    example = ""
    if violations:
        first = violations[0]
        where = f"{first.place}: " if first.place else ""
        example = f" (first: {where}{first.focus_label or first.focus_node}: {first.message('en').rstrip('.')})"
    raise NonConformingError(
        f"the data does not conform to the shapes: {len(violations)} violation(s){example}; "
        "nothing was published. Run `pickg validate` to see them all, fix the data and publish again"
    )


def check_conforms(ws: Workspace, store: Any = None) -> Report:
    """Validate the workspace's sources; refuse data that does not conform or fails a data check.

    :param store: a :class:`pickg.graph.store.Store` already holding the workspace's
        ontology, vocabularies and data (not modified); they are loaded if None.
    :returns: the report, when the data conforms.
    :raises NonConformingError: with the number of violations and the first one.
    """
    from pickg.validation.fast_engine import validate_store

    if store is None:
        from pickg.graph.rdfio import workspace_files
        from pickg.graph.store import open_store

        with open_store("oxigraph", workspace_files(None, True, ws)) as opened:
            report = validate_store(opened, workspace=ws)
    else:
        report = validate_store(store, workspace=ws)
    refuse_unless_conforms(report)
    return report
