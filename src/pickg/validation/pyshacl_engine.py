"""The reference engine: pySHACL on a private rdflib copy, with OWL-RL for inference.

The only module that runs pySHACL and OWL-RL. :func:`validate_graph` validates a graph
already in memory; :func:`validate_dataset` a dataset of one named graph per file, so
every result names the file that describes its focus node; :func:`validate_shapes`
checks the shapes themselves. :func:`run_pyshacl` and :func:`shacl_results` are shared
with the fast engine, which falls back on pySHACL for a shape it does not compile.

The input is never modified: validation, and inference when asked for, run on a
private copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.errors import InputError, PickgError
from pickg.graph.labels import preferred_label
from pickg.graph.namespaces import FILE_GRAPH, RDF, SH, bind_prefixes
from pickg.graph.rdfio import parse_file
from pickg.graph.subjectlines import described_lines
from pickg.graph.workspace import Workspace
from pickg.queries.deadline import step
from pickg.validation.checks import check_results
from pickg.validation.report import Report, ValidationResult
from pickg.validation.shapes import check_options, load_shapes

__all__ = [
    "ValidationGraph",
    "infer_closure",
    "run_pyshacl",
    "shacl_results",
    "shape_messages",
    "validate_dataset",
    "validate_graph",
    "validate_shapes",
]


# --- the graph pySHACL works on ------------------------------------------------------------


class ValidationGraph(Graph):
    """The private copy that is validated; each SPARQL text is parsed only once.

    pySHACL hands the text of a SPARQL constraint to :meth:`query` once per focus
    node, and rdflib would parse it every time (about 20 ms per call, most of the
    validation time); here each distinct text is parsed and translated once.
    """

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self._prepared: dict[str, Any] = {}

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # rdflib's name
        initBindings: Any = None,  # rdflib's name
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not initNs:
            prepared = self._prepared.get(query_object)
            if prepared is None:
                from rdflib.plugins.sparql import prepareQuery

                prepared = prepareQuery(query_object, initNs=dict(self.namespaces()))
                self._prepared[query_object] = prepared
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def infer_closure(graph: Graph, mode: str) -> None:
    """Add to ``graph`` (a private copy) what RDFS or OWL 2 RL entails."""
    if mode == "none":
        return
    import owlrl
    from owlrl.RDFSClosure import RDFS_Semantics

    class _RDFSSemantics(RDFS_Semantics):  # type: ignore[misc]  # owlrl has no types: Any to mypy
        """RDFS without its one-time rules, which add a typed proxy for every literal
        and so make every literal-valued property look multi-valued to SHACL (pySHACL
        runs the same variant)."""

        def one_time_rules(self) -> None:
            return None

    semantics = _RDFSSemantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics).expand(graph)


# --- running pySHACL ----------------------------------------------------------------------


def run_pyshacl(data: Graph, shapes: Graph) -> tuple[Graph, str]:
    import pyshacl
    from pyshacl.errors import ReportableRuntimeError

    try:
        _, report_graph, text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            inplace=True,  # ``data`` is already a private copy
            allow_warnings=True,
            allow_infos=True,
        )
    except ReportableRuntimeError as exc:
        raise InputError(
            f"the shapes of ontology/shapes/ cannot be applied: {str(exc.message).strip()}; "
            "fix the shape it names (test with tests/validation/test_shapes.py)"
        ) from None
    return report_graph, str(text)


# --- reading pySHACL's report -----------------------------------------------------------------


def shape_messages(literals: Iterable[Node]) -> dict[str, str]:
    """Language tag → text of ``literals`` (untagged text counts as English)."""
    messages: dict[str, str] = {}
    for literal in sorted(literals, key=str):
        if isinstance(literal, Literal) and str(literal).strip():
            messages.setdefault(literal.language or "en", str(literal))
    return messages


def shacl_results(report_graph: Graph, shapes: Graph) -> list[ValidationResult]:
    """The top-level results of ``report_graph`` (nested ``sh:detail`` results excluded).

    Messages are read from the shapes (the SPARQL constraint's, else the shape's), with
    their language tags, which pySHACL drops from SPARQL-based results; the report's
    own messages are the fallback (for a shape without ``sh:message``).
    """
    results = []
    for report in report_graph.subjects(RDF.type, SH.ValidationReport):
        for node in report_graph.objects(report, SH.result):
            severity = report_graph.value(node, SH.resultSeverity)
            focus = report_graph.value(node, SH.focusNode)
            shape = report_graph.value(node, SH.sourceShape)
            if focus is None or shape is None:
                raise PickgError(f"pySHACL gave a result without a focus node or a source shape ({node})")
            constraint = report_graph.value(node, SH.sourceConstraint)
            messages = shape_messages(shapes.objects(constraint, SH.message)) if constraint is not None else {}
            messages = messages or shape_messages(shapes.objects(shape, SH.message))
            messages = messages or shape_messages(report_graph.objects(node, SH.resultMessage))
            results.append(
                ValidationResult(
                    focus_node=focus,
                    severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                    source=shape,
                    messages=messages,
                    path=report_graph.value(node, SH.resultPath),
                    value=report_graph.value(node, SH.value),
                    component=report_graph.value(node, SH.sourceConstraintComponent),
                )
            )
    return results


# --- putting it together ---------------------------------------------------------------------


def _file_name(graph_iri: Node) -> str:
    return unquote(str(graph_iri)[len(str(FILE_GRAPH)) :])


def _describing_files(dataset: Dataset, order: Sequence[URIRef]) -> dict[Node, str]:
    """Node → the file that describes it: the first file that types it, else the first
    that states anything about it (files taken in ``order``)."""
    graphs = [(_file_name(iri), dataset.graph(iri)) for iri in order]
    describing: dict[Node, str] = {}
    for name, graph in graphs:
        for subject in graph.subjects(RDF.type, None):
            describing.setdefault(subject, name)
    for name, graph in graphs:
        for subject in graph.subjects():
            describing.setdefault(subject, name)
    return describing


def validate_dataset(
    data: Graph,
    order: Sequence[URIRef],
    *,
    inference: str,
    lang: str | None,
    include_ontology: bool,
    checks: bool,
    workspace: Workspace,
    sources: Mapping[str, str | os.PathLike[str]] | None = None,
) -> Report:
    """Validate ``data`` (a :class:`~rdflib.Dataset` of one graph per file, the graphs of
    ``order`` taken in that order, or a plain graph) with pySHACL.

    :param sources: the label of each file (as results name it) → its path, where the
        line of each focus node is looked up; without it, results name no line.
    """
    check_options(inference, lang)
    shapes = load_shapes(workspace)
    copy = ValidationGraph()
    bind_prefixes(copy)
    if isinstance(data, Dataset):
        copy += ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
        describing = _describing_files(data, order)
    else:
        copy += data.triples((None, None, None))
        describing = {}
    files = [_file_name(iri) for iri in order]
    if include_ontology:
        extra = workspace.ontology_files() + workspace.vocabulary_files()
        for path in extra:
            parse_file(path, copy)
        files = [workspace.relative(path) for path in extra if workspace.relative(path) not in files] + files
    found: list[ValidationResult] = []
    check_names: list[str] = []
    if checks:  # on the asserted data, before any inference
        found, check_names = check_results(copy, workspace, lang)
    if inference != "none":
        step(f"the {'RDFS' if inference == 'rdfs' else 'OWL 2 RL'} inference")
    infer_closure(copy, inference)
    step("pySHACL's run of the shapes of ontology/shapes/")
    report_graph, text = run_pyshacl(copy, shapes)
    step(None)
    found += shacl_results(report_graph, shapes)
    focus_nodes = {result.focus_node for result in found}
    lines = described_lines({n: f for n, f in describing.items() if n in focus_nodes}, sources or {})
    placed = [
        replace(
            result,
            file=describing.get(result.focus_node),
            line=lines.get(result.focus_node),
            focus_label=preferred_label(copy, result.focus_node, lang or "fr"),
        )
        for result in found
    ]
    return Report.build(
        placed,
        graph=report_graph,
        text=text,
        files=tuple(files),
        inference=inference,
        lang=lang,
        checks=tuple(check_names),
    )


def validate_graph(
    data: Graph,
    *,
    inference: str = "none",
    lang: str | None = None,
    include_ontology: bool = True,
    checks: bool = True,
    workspace: Workspace | None = None,
) -> Report:
    """Validate a graph already in memory; it is copied, never modified.

    :param data: the graph; when it is a :class:`~rdflib.Dataset` made by
        :func:`pickg.graph.rdfio.load_dataset`, each result names the file that describes
        its focus node.
    :param inference: ``"none"``, ``"rdfs"`` or ``"owlrl"``, run on the copy.
    :param lang: the preferred language of messages and labels (``"fr"``, ``"en"``),
        or None for French first.
    :param include_ontology: add the workspace's ontology and vocabularies to the copy.
    :param checks: also run the data checks ``queries/checks/*-violation.rq``.
    :param workspace: where the shapes, checks and ontology live.
    :raises InputError: an unknown inference mode or language.
    :raises PickgError: a shapes, ontology or check file cannot be read.
    """
    order: list[URIRef] = []
    if isinstance(data, Dataset):
        order = sorted(
            (iri for g in data.graphs() if isinstance(iri := g.identifier, URIRef) and iri.startswith(FILE_GRAPH)),
            key=str,
        )
    return validate_dataset(
        data,
        order,
        inference=inference,
        lang=lang,
        include_ontology=include_ontology,
        checks=checks,
        workspace=workspace or Workspace.discover(),
    )


def validate_shapes(workspace: Workspace | None = None) -> Report:
    """Check the shapes themselves against the SHACL-for-SHACL shapes (W3C SHACL, appendix C).

    :returns: a report whose results name the shape at fault as their focus node, and
        the shapes file and line that describe it.
    """
    from pyshacl.entrypoints import meta_validate

    ws = workspace or Workspace.discover()
    shapes = load_shapes(ws)
    _, report_graph, text = meta_validate(shapes)
    describing: dict[Node, str] = {}
    for path in ws.shape_files():
        for subject in parse_file(path).subjects():
            describing.setdefault(subject, ws.relative(path))
    found = shacl_results(report_graph, _shacl_shacl_graph())
    focus_nodes = {r.focus_node for r in found}
    lines = described_lines(
        {n: f for n, f in describing.items() if n in focus_nodes}, {ws.relative(p): p for p in ws.shape_files()}
    )
    placed = [replace(r, file=describing.get(r.focus_node), line=lines.get(r.focus_node)) for r in found]
    files = tuple(ws.relative(path) for path in ws.shape_files())
    return Report.build(placed, graph=report_graph, text=str(text), files=files)


def _shacl_shacl_graph() -> Graph:
    """pySHACL's copy of the SHACL-for-SHACL shapes (for their messages)."""
    from pyshacl.entrypoints import meta_validate

    cached = getattr(meta_validate, "graph_cache", None)
    return cached if isinstance(cached, Graph) else Graph()
