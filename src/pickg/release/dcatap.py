"""A release's catalogue checked against the DCAT-AP 3 shapes, as European portals check it.

The shapes are SEMIC's own SHACL files for DCAT-AP 3.0.1, shipped in
``pickg/release/dcat-ap-3/`` (see the README there for their version and licence):
the mandatory shapes (``shapes.ttl``), the range shapes (``range.ttl``) and the
recommended ones (``shapes_recommended.ttl``, severity Warning). They are read from
the package, never fetched; the shapes need no import, because the catalogue gives
each thing it points to (licence, file types, languages, …) the class DCAT-AP expects.

:func:`check_catalogue` validates with pySHACL; :func:`refuse_unless_dcat_ap` is the
gate of ``pickg publish``: a catalogue with a violation is never published. A conforming
verdict is cached (:func:`pickg.graph.cache.cached_text`) under the catalogue's Turtle,
the shapes' bytes and pySHACL's and rdflib's versions; a violation is never cached.
"""

from __future__ import annotations

import functools
import json
from dataclasses import astuple, dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from pickg.graph.errors import NonConformingError
from pickg.graph.rdfio import parse_data

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


def _shapes_text(name: str) -> str:
    return (files("pickg.release") / "dcat-ap-3" / name).read_text(encoding="utf-8")


@functools.cache
def _shapes(name: str) -> Graph:
    return parse_data(_shapes_text(name))


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


def _refusal(report: DcatApReport) -> NonConformingError:
    first = report.violations[0]
    return NonConformingError(
        f"the release's catalog.ttl does not conform to DCAT-AP 3: {len(report.violations)} violation(s) "
        f"(first: {first}); nothing was published. A missing publisher is configured with "
        'publisher = "…" in [publish] of pickg.toml (see docs/releases.md, Publishing on a portal)'
    )


def refuse_unless_dcat_ap(catalogue: Graph, *, text: str | None = None, cache: Path | None = None) -> DcatApReport:
    """The gate: raise unless ``catalogue`` has no DCAT-AP 3 violation; the report otherwise.

    :param text: the catalogue as the release writes it (:func:`pickg.release.dumps.turtle`:
        sorted, blank nodes canonical), the key of a cached verdict.
    :param cache: a cache folder (:func:`pickg.graph.cache.cache_dir`): a catalogue found
        conforming before, with the same shapes and library versions, is not validated
        again (pySHACL's 0.2-0.3 s of ``make run`` on the shipped data, ``bench/RESULTS.md``).
        A violation is never cached: it is found and reported every time.
    :raises NonConformingError: with the number of violations and the first one.
    """
    if cache is None or text is None:
        report = check_catalogue(catalogue)
        if not report.conforms:
            raise _refusal(report)
        return report
    from pickg.graph.cache import cache_key, cached_text, library_versions

    def verdict() -> str:
        report = check_catalogue(catalogue)
        if not report.conforms:
            raise _refusal(report)  # raised before anything is cached
        return json.dumps([astuple(f) for f in report.findings], ensure_ascii=False)

    shapes = [_shapes_text(name) for name in DCAT_AP_SHAPES]
    key = cache_key("dcat-ap verdict 1", library_versions("pyshacl", "rdflib"), *DCAT_AP_SHAPES, *shapes, text)
    findings = tuple(DcatApFinding(*row) for row in json.loads(cached_text(cache, "dcat-ap", key, verdict)))
    report = DcatApReport(findings)
    if not report.conforms:  # a damaged or foreign entry: validate again
        return refuse_unless_dcat_ap(catalogue)
    return report
