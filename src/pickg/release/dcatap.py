"""A release's catalogue checked against the DCAT-AP 3 shapes, as European portals check it.

The shapes are SEMIC's own SHACL files for DCAT-AP 3.0.1, shipped in
``pickg/release/dcat-ap-3/`` (see the README there for their version and licence):
the mandatory shapes (``shapes.ttl``), the range shapes (``range.ttl``) and the
recommended ones (``shapes_recommended.ttl``, severity Warning). They are read from
the package, never fetched; the shapes need no import, because the catalogue gives
each thing it points to (licence, file types, languages, …) the class DCAT-AP expects.

:func:`check_catalogue` validates with pySHACL; :func:`refuse_unless_dcat_ap` is the
gate of ``pickg publish``: a catalogue with a violation is never published.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from pickg.graph.errors import NonConformingError

__all__ = ["DCAT_AP_SHAPES", "DcatApFinding", "DcatApReport", "check_catalogue", "refuse_unless_dcat_ap"]

#: The SEMIC shape files, in the order they are checked.
DCAT_AP_SHAPES = ("shapes.ttl", "range.ttl", "shapes_recommended.ttl")


@dataclass(frozen=True, order=True)
class DcatApFinding:
    """One result of the DCAT-AP shapes: its severity, the node, the property, the message."""

    severity: str  #: ``Violation``, ``Warning`` or ``Info``
    focus: str
    path: str
    message: str
    shapes: str  #: the file of the shape that gave it

    def __str__(self) -> str:
        return f"{self.severity} ({self.shapes}): {self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class DcatApReport:
    """What the DCAT-AP 3 shapes say about a catalogue."""

    findings: tuple[DcatApFinding, ...]

    @property
    def violations(self) -> tuple[DcatApFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "Violation")

    @property
    def warnings(self) -> tuple[DcatApFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "Warning")

    @property
    def conforms(self) -> bool:
        return not self.violations


@functools.cache
def _shapes(name: str) -> Graph:
    text = (files("pickg.release") / "dcat-ap-3" / name).read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


def _name(graph: Graph, node: Node | None) -> str:
    """``node`` for people: a prefixed name where ``graph`` (the shapes) binds one (``dcat:theme``)."""
    return "" if node is None else node.n3(graph.namespace_manager)


def check_catalogue(catalogue: Graph) -> DcatApReport:
    """Validate ``catalogue`` against each DCAT-AP 3 shape file (pySHACL, no inference)."""
    import pyshacl

    findings = []
    for name in DCAT_AP_SHAPES:
        _, report, _ = pyshacl.validate(catalogue, shacl_graph=_shapes(name), inference="none", advanced=True)
        for result in report.subjects(SH.resultSeverity, None):
            severity = report.value(result, SH.resultSeverity)
            findings.append(
                DcatApFinding(
                    severity=str(severity).rsplit("#", 1)[-1],
                    focus=_name(_shapes(name), report.value(result, SH.focusNode)),
                    path=_name(_shapes(name), report.value(result, SH.resultPath)),
                    message=str(report.value(result, SH.resultMessage) or ""),
                    shapes=name,
                )
            )
    return DcatApReport(tuple(sorted(findings)))


def refuse_unless_dcat_ap(catalogue: Graph) -> DcatApReport:
    """The gate: raise unless ``catalogue`` has no DCAT-AP 3 violation; the report otherwise.

    :raises NonConformingError: with the number of violations and the first one.
    """
    report = check_catalogue(catalogue)
    if not report.conforms:
        first = report.violations[0]
        raise NonConformingError(
            f"the release's catalog.ttl does not conform to DCAT-AP 3: {len(report.violations)} violation(s) "
            f"(first: {first}); nothing was published. A missing publisher is configured with "
            'publisher = "…" in [publish] of pickg.toml (see docs/releases.md, Publishing on a portal)'
        )
    return report
