"""The outcome of a validation: what is wrong, where, and how to fix it.

A :class:`Report` holds one :class:`ValidationResult` per problem, each naming the
file that describes the focus node and the line where it does, the focus node, the path, the value, the shape
(or data check) that found it, its severity and its message in French and English.
It renders itself as JSON (:meth:`Report.to_json`) and as a standard SHACL validation
report graph (:meth:`Report.to_graph`). :mod:`pickg.validation.validate` builds it; nothing here
runs a validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, FILE_GRAPH, RDF, SH, XSD, bind_prefixes, compact_iri

__all__ = ["SEVERITIES", "Report", "ValidationResult", "file_iri", "term_text"]

#: Severity names, most serious first, as the local names of ``sh:Violation`` & co.
SEVERITIES = ("Violation", "Warning", "Info")

_MESSAGE_LANGS = ("fr", "en")

_BARE_DATATYPES = frozenset({XSD.integer, XSD.decimal, XSD.boolean})


def term_text(term: Node | None) -> str:
    """A short, readable form of ``term``: ``prefix:local`` for IRIs, N3 for literals."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term))
    if isinstance(term, Literal) and term.datatype is not None:
        if term.datatype in _BARE_DATATYPES and not term.ill_typed:
            return str(term)  # as Turtle writes it: 17, 23000000.0, true
        return Literal(str(term)).n3() + "^^" + compact_iri(str(term.datatype))
    return term.n3()


def file_iri(relative_path: str) -> URIRef:
    """The IRI naming a workspace file: ``urn:pickg:file:<relative path>`` (as in load_dataset)."""
    return FILE_GRAPH[quote(relative_path, safe="/-._~")]


def _term_json(term: Node | None) -> str | None:
    """An N3 form of ``term`` with full IRIs, for machines (None stays None)."""
    return None if term is None else term.n3()


@dataclass(frozen=True)
class ValidationResult:
    """One problem found in the data.

    :ivar focus_node: the resource at fault.
    :ivar severity: ``"Violation"``, ``"Warning"`` or ``"Info"``.
    :ivar source: the shape that found the problem (``picsh:Phase-startYear``), or the
        data check (``urn:pickg:file:queries/checks/<name>-violation.rq``).
    :ivar messages: language tag → message (``{"fr": …, "en": …}``).
    :ivar path: the property concerned, when the shape has one.
    :ivar value: the offending value, when there is one.
    :ivar component: the SHACL constraint component (``sh:MinCountConstraintComponent``).
    :ivar file: the file that describes the focus node, relative to the workspace;
        None when no loaded file does.
    :ivar line: the line of that file (from 1) where the first statement about the
        focus node begins; None when it is not known (a blank node, a format other
        than Turtle, N-Triples or N-Quads).
    :ivar focus_label: the focus node's label, for display.
    :ivar check: the name of the data check that found the problem, if it was one.
    """

    focus_node: Node
    severity: str
    source: Node
    messages: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    path: Node | None = None
    value: Node | None = None
    component: Node | None = None
    file: str | None = None
    line: int | None = None
    focus_label: str | None = field(default=None, compare=False)
    check: str | None = None

    def message(self, lang: str | None = "fr") -> str:
        """The message in ``lang``, else in the other language, else an empty string."""
        order = [lang] if lang else []
        order += [tag for tag in (*_MESSAGE_LANGS, *sorted(self.messages)) if tag not in order]
        return next((self.messages[tag] for tag in order if self.messages.get(tag)), "")

    @property
    def place(self) -> str | None:
        """Where the focus node is described: ``data/x.ttl:12``, ``data/x.ttl`` when the
        line is not known, None when the file is not."""
        if self.file is None:
            return None
        return self.file if self.line is None else f"{self.file}:{self.line}"

    @property
    def source_name(self) -> str:
        """The shape as ``picsh:Local`` or the check as its workspace path."""
        if isinstance(self.source, URIRef) and str(self.source).startswith(str(FILE_GRAPH)):
            return unquote(str(self.source)[len(str(FILE_GRAPH)) :])
        return term_text(self.source)

    def sort_key(self) -> tuple[int, str, int, str, str, str, str, str]:
        """By file, then in the order of the file (line; unknown lines last), then by
        focus node, severity, shape, path, value and component (two components of one
        shape can fault the same value: without it their order changed from run to run)."""
        rank = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)
        return (
            0 if self.file else 1,
            self.file or "",
            self.line if self.line is not None else 1 << 62,
            str(self.focus_node),
            f"{rank}",
            self.source_name,
            term_text(self.path) + " " + term_text(self.value),
            term_text(self.component),
        )

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """A JSON-ready description; ``message`` is in ``lang`` (French if None)."""
        return {
            "file": self.file,
            "line": self.line,
            "focus_node": _term_json(self.focus_node),
            "focus": term_text(self.focus_node),
            "focus_label": self.focus_label,
            "path": _term_json(self.path),
            "value": _term_json(self.value),
            "source_shape": _term_json(self.source),
            "shape": self.source_name,
            "check": self.check,
            "component": _term_json(self.component),
            "severity": self.severity,
            "message": self.message(lang),
            "messages": dict(sorted(self.messages.items())),
        }


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`pickg.validation.validate.validate`.

    :ivar conforms: True when no result is a violation (warnings and infos allowed).
    :ivar results: every problem, sorted by file, line, focus node, severity and shape.
    :ivar graph: the raw SHACL report graph of pySHACL (data checks not included).
    :ivar text: pySHACL's own text rendering of that graph.
    :ivar files: the files validated (ontology, vocabularies, data), workspace-relative.
    :ivar inference: the inference mode used (``none``, ``rdfs`` or ``owlrl``).
    :ivar lang: the preferred language of messages (None: French first).
    :ivar checks: the names of the data checks that were run.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph = field(repr=False, compare=False)
    text: str = field(default="", repr=False, compare=False)
    files: tuple[str, ...] = ()
    inference: str = "none"
    lang: str | None = None
    checks: tuple[str, ...] = ()

    @classmethod
    def build(cls, results: Iterable[ValidationResult], **kwargs: Any) -> Report:
        """A report over ``results``, deduplicated and sorted; ``conforms`` is derived."""
        unique = sorted(set(results), key=ValidationResult.sort_key)
        conforms = not any(result.severity == "Violation" for result in unique)
        return cls(conforms=conforms, results=tuple(unique), **kwargs)

    def of_severity(self, severity: str) -> tuple[ValidationResult, ...]:
        return tuple(result for result in self.results if result.severity == severity)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return self.of_severity("Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return self.of_severity("Warning")

    @property
    def violation_count(self) -> int:
        return len(self.violations)

    @property
    def warning_count(self) -> int:
        return len(self.warnings)

    def conforms_strictly(self) -> bool:
        """True when there is no result at all, not even a warning."""
        return not self.results

    def counts(self) -> dict[str, int]:
        """Number of results per severity (every severity present, zero included)."""
        return {severity.lower() + "s": len(self.of_severity(severity)) for severity in SEVERITIES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "conforms": self.conforms,
            "inference": self.inference,
            "counts": self.counts(),
            "files": list(self.files),
            "checks": list(self.checks),
            "results": [result.as_dict(self.lang) for result in self.results],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON: conformance, counts, files and every result."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=indent)

    def to_graph(self) -> Graph:
        """A standard SHACL validation report (``sh:ValidationReport``) of every result.

        Data checks appear as results whose ``sh:sourceShape`` is the check file's IRI
        (``urn:pickg:file:queries/checks/…``) and whose component is
        ``sh:SPARQLConstraintComponent``. Each result also names, with
        ``dcterms:source``, the named graph (``urn:pickg:file:<path>``) of the file
        that describes its focus node.
        """
        graph = bind_prefixes(Graph(bind_namespaces="none"))
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for result in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus_node))
            graph.add((node, SH.resultSeverity, SH[result.severity]))
            graph.add((node, SH.sourceShape, result.source))
            graph.add((node, SH.sourceConstraintComponent, result.component or SH.SPARQLConstraintComponent))
            if result.path is not None:
                graph.add((node, SH.resultPath, result.path))
            if result.value is not None:
                graph.add((node, SH.value, result.value))
            for tag, text in sorted(result.messages.items()):
                graph.add((node, SH.resultMessage, Literal(text, lang=tag)))
            if result.file is not None:
                graph.add((node, DCTERMS.source, file_iri(result.file)))
        return graph
