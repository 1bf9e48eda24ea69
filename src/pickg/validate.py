"""SHACL validation of the knowledge graph: the only module that runs pySHACL and OWL-RL.

>>> report = validate()                                  # doctest: +SKIP
>>> report.conforms, len(report.violations)              # doctest: +SKIP
(True, 0)

:func:`validate` loads each file into its own named graph
(:func:`pickg.rdfio.load_dataset`), so every result names the file that describes its
focus node. It validates the union of the data, the ontology and the vocabularies
against the shapes of ``ontology/shapes/`` (the vocabularies take part in full: the
shapes check that a concept comes from the right SKOS scheme, which pySHACL's
``ont_graph`` would not see, as it mixes in only RDFS and OWL axioms). Then it runs
the data checks ``queries/checks/*-violation.rq``, every row of which is a violation,
and folds both into one :class:`~pickg.report.Report`.

The input is never modified: validation, and inference when asked for, run on a
private copy.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import unquote

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.errors import InputError, NotFoundError
from pickg.labels import preferred_label
from pickg.namespaces import FILE_GRAPH, RDF, SH, bind_prefixes
from pickg.rdfio import file_graph_iri, load_dataset, parse_file, workspace_files
from pickg.report import Report, ValidationResult, file_iri
from pickg.workspace import Workspace

__all__ = [
    "ENGINES",
    "INFERENCE_MODES",
    "LANGS",
    "Report",
    "ValidationResult",
    "load_shapes",
    "validate",
    "validate_graph",
    "validate_shapes",
]

#: Inference run on (a copy of) the data before validation: none, RDFS, or OWL 2 RL.
INFERENCE_MODES = ("none", "rdfs", "owlrl")

#: Validation engines: pySHACL on an rdflib copy; or ``fast``, the shapes compiled to
#: SPARQL and run inside a store (:mod:`pickg.shaclsparql`: the same results, seconds
#: for a million triples); ``auto`` picks ``fast`` when the input is larger than
#: :data:`pickg.store.AUTO_THRESHOLD_BYTES`.
ENGINES = ("auto", "pyshacl", "fast")

#: Languages a report can prefer for its messages.
LANGS = ("fr", "en")

#: Names a data check may give the variable holding the resource at fault, in order
#: of preference; without any of them, the first IRI of the row is the focus node.
FOCUS_VARIABLES = ("this", "focus", "focus_node", "resource", "node", "subject", "s")


def _check_options(inference: str, lang: str | None) -> None:
    if inference not in INFERENCE_MODES:
        raise InputError(
            f"unknown inference mode {inference!r}; use one of {', '.join(INFERENCE_MODES)} "
            "(none is the fastest and the default)"
        )
    if lang is not None and lang not in LANGS:
        raise InputError(f"unknown message language {lang!r}; use fr or en")


# --- the graph pySHACL works on ------------------------------------------------------------


class _ValidationGraph(Graph):
    """The private copy that is validated; each SPARQL text is parsed only once.

    pySHACL hands the text of a SPARQL constraint to :meth:`query` once per focus
    node, and rdflib would parse it every time (about 20 ms per call, most of the
    validation time); here each distinct text is parsed and translated once.
    """

    def __init__(self) -> None:
        super().__init__(bind_namespaces="none")
        self._prepared: dict[str, Any] = {}

    def query(  # type: ignore[override]
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # noqa: N803 -- rdflib's name
        initBindings: Any = None,  # noqa: N803 -- rdflib's name
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


def _infer(graph: Graph, mode: str) -> None:
    """Add to ``graph`` (a private copy) what RDFS or OWL 2 RL entails."""
    if mode == "none":
        return
    import owlrl
    from owlrl.RDFSClosure import RDFS_Semantics

    class _RDFSSemantics(RDFS_Semantics):  # type: ignore[misc]
        """RDFS without its one-time rules, which add a typed proxy for every literal
        and so make every literal-valued property look multi-valued to SHACL (pySHACL
        runs the same variant)."""

        def one_time_rules(self) -> None:
            return None

    semantics = _RDFSSemantics if mode == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics).expand(graph)


# --- shapes ------------------------------------------------------------------------------------


def load_shapes(workspace: Workspace | None = None) -> Graph:
    """The SHACL shapes of the workspace: the union of ``ontology/shapes/*.shapes.ttl``.

    :raises NotFoundError: the workspace has no shapes file.
    :raises ParseError: a shapes file is not valid Turtle.
    """
    ws = workspace or Workspace.discover()
    files = ws.shape_files()
    if not files:
        raise NotFoundError(
            f"{ws.relative(ws.ontology_dir / 'shapes')} holds no *.shapes.ttl file; "
            "restore the shapes of the workspace before validating"
        )
    shapes = bind_prefixes(Graph(bind_namespaces="none"))
    for path in files:
        parse_file(path, shapes)
    return shapes


def _run_pyshacl(data: Graph, shapes: Graph) -> tuple[Graph, str]:
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
            "fix the shape it names (test with tests/test_shapes.py)"
        ) from None
    return report_graph, str(text)


# --- reading pySHACL's report -----------------------------------------------------------------


def _messages(literals: Iterable[Node]) -> dict[str, str]:
    """Language tag → text of ``literals`` (untagged text counts as English)."""
    messages: dict[str, str] = {}
    for literal in sorted(literals, key=str):
        if isinstance(literal, Literal) and str(literal).strip():
            messages.setdefault(literal.language or "en", str(literal))
    return messages


def _shacl_results(report_graph: Graph, shapes: Graph) -> list[ValidationResult]:
    """The top-level results of ``report_graph`` (nested ``sh:detail`` results excluded).

    Messages are read from the shapes (the SPARQL constraint's, else the shape's), with
    their language tags, which pySHACL drops from SPARQL-based results; the report's
    own messages are the fallback (for a shape without ``sh:message``).
    """
    results = []
    for report in report_graph.subjects(RDF.type, SH.ValidationReport):
        for node in report_graph.objects(report, SH.result):
            severity = report_graph.value(node, SH.resultSeverity)
            shape = report_graph.value(node, SH.sourceShape)
            constraint = report_graph.value(node, SH.sourceConstraint)
            messages = _messages(shapes.objects(constraint, SH.message)) if constraint is not None else {}
            messages = messages or _messages(shapes.objects(shape, SH.message))
            messages = messages or _messages(report_graph.objects(node, SH.resultMessage))
            results.append(
                ValidationResult(
                    focus_node=report_graph.value(node, SH.focusNode),
                    severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                    source=shape,
                    messages=messages,
                    path=report_graph.value(node, SH.resultPath),
                    value=report_graph.value(node, SH.value),
                    component=report_graph.value(node, SH.sourceConstraintComponent),
                )
            )
    return results


# --- data checks ---------------------------------------------------------------------------------


def _check_results(
    graph: Graph | None, workspace: Workspace, lang: str | None, backend: Any = None
) -> tuple[list[ValidationResult], list[str]]:
    """Run ``queries/checks/*-violation.rq`` on ``graph`` (or ``backend``, a store): every row is a violation."""
    from pickg.catalog import load_checks
    from pickg.sparql import run_catalog_query

    results: list[ValidationResult] = []
    checks = load_checks(workspace)
    for name, check in checks.items():
        rows = run_catalog_query(check, graph=graph, lang=lang or "fr", backend=backend)
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
                    severity="Violation",
                    source=source,
                    messages=messages,
                    path=cells.get("path"),
                    value=cells.get("value", next((c for v, c in cells.items() if c is not None and c != focus), None)),
                    component=SH.SPARQLConstraintComponent,
                    check=name,
                )
            )
    return results, list(checks)


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


def _validate(
    data: Graph,
    order: Sequence[URIRef],
    *,
    inference: str,
    lang: str | None,
    include_ontology: bool,
    checks: bool,
    workspace: Workspace,
) -> Report:
    _check_options(inference, lang)
    shapes = load_shapes(workspace)
    copy = _ValidationGraph()
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
        found, check_names = _check_results(copy, workspace, lang)
    _infer(copy, inference)
    report_graph, text = _run_pyshacl(copy, shapes)
    found += _shacl_results(report_graph, shapes)
    placed = [
        replace(
            result,
            file=describing.get(result.focus_node),
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
        :func:`pickg.rdfio.load_dataset`, each result names the file that describes
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
            (g.identifier for g in data.graphs() if str(g.identifier).startswith(str(FILE_GRAPH))),
            key=str,
        )
    return _validate(
        data,
        order,
        inference=inference,
        lang=lang,
        include_ontology=include_ontology,
        checks=checks,
        workspace=workspace or Workspace.discover(),
    )


def validate(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    inference: str = "none",
    lang: str | None = None,
    checks: bool = True,
    workspace: Workspace | None = None,
    engine: str = "pyshacl",
    store: Any = None,
) -> Report:
    """Validate the shipped data, or the files given, against the shapes.

    :param paths: data files to validate instead of the workspace's ``data/``; they
        are read on top of the ontology and the vocabularies.
    :param inference: ``"none"`` (default), ``"rdfs"`` or ``"owlrl"``: what to infer,
        on a copy, before validating.
    :param lang: the preferred language of messages (``"fr"`` or ``"en"``); None keeps
        French first. Every result carries both languages anyway.
    :param checks: also run the data checks ``queries/checks/*-violation.rq``.
    :param workspace: the workspace; :meth:`Workspace.discover` if None.
    :param engine: ``"pyshacl"``, ``"fast"`` (the shapes compiled to SPARQL, run in
        ``store``) or ``"auto"`` (``fast`` above the store size threshold).
    :param store: for the fast engine, the store specification of
        :func:`pickg.store.open_store` (``"auto"``, ``"memory"``, ``"oxigraph[:PATH]"``).
    :returns: the report; ``report.conforms`` is False when any result is a violation.
    :raises InputError: an unknown inference mode or language, or an unreadable path.
    :raises NotFoundError: a file does not exist.
    :raises ParseError: a file is empty or not valid RDF (names ``path:line:col``).
    """
    _check_options(inference, lang)
    ws = workspace or Workspace.discover()
    from pickg.validate_fast import chosen_engine, validate_store

    if chosen_engine(engine, workspace_files(paths, True, ws)) == "fast":
        from pickg.store import open_store

        chosen = "oxigraph" if store is None or str(store) == "auto" else store  # compiled SPARQL needs a fast engine
        with open_store(chosen, workspace_files(paths, True, ws)) as opened:
            return validate_store(opened, inference=inference, lang=lang, checks=checks, workspace=ws, paths=paths)
    dataset = load_dataset(paths, include_ontology=True, workspace=ws)
    order = [file_graph_iri(path, ws) for path in workspace_files(paths, True, ws)]
    return _validate(
        dataset, order, inference=inference, lang=lang, include_ontology=False, checks=checks, workspace=ws
    )


def validate_shapes(workspace: Workspace | None = None) -> Report:
    """Check the shapes themselves against the SHACL-for-SHACL shapes (W3C SHACL, appendix C).

    :returns: a report whose results name the shape at fault as their focus node and
        the shapes file that describes it.
    """
    from pyshacl.entrypoints import meta_validate

    ws = workspace or Workspace.discover()
    shapes = load_shapes(ws)
    _, report_graph, text = meta_validate(shapes)
    describing: dict[Node, str] = {}
    for path in ws.shape_files():
        for subject in parse_file(path).subjects():
            describing.setdefault(subject, ws.relative(path))
    placed = [replace(r, file=describing.get(r.focus_node)) for r in _shacl_results(report_graph, _shacl_shacl_graph())]
    files = tuple(ws.relative(path) for path in ws.shape_files())
    return Report.build(placed, graph=report_graph, text=str(text), files=files)


def _shacl_shacl_graph() -> Graph:
    """pySHACL's copy of the SHACL-for-SHACL shapes (for their messages)."""
    from pyshacl.entrypoints import meta_validate

    cached = getattr(meta_validate, "graph_cache", None)
    return cached if isinstance(cached, Graph) else Graph()
