"""The fast validation engine, the default: the shapes compiled to SPARQL and run inside a store.

:func:`validate_store` gives pySHACL's results on a :class:`pickg.graph.store.Store` (Oxigraph
or rdflib) without building a pySHACL data graph; :func:`pickg.validation.validate.validate`
calls it unless ``engine="pyshacl"``, and so do ``pickg run``, ``pickg publish`` and
``pickg sheet import``. It shares the reading of pySHACL's reports with
:mod:`pickg.validation.pyshacl_engine`, on which it falls back for a shape it does not
compile. Each result names the file and the line where its focus node is described.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.inputs import input_label, is_stdin
from pickg.graph.labels import preferred_label
from pickg.graph.namespaces import SH, compact_iri
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import Store
from pickg.graph.subjectlines import described_lines
from pickg.graph.workspace import Workspace
from pickg.queries.deadline import step
from pickg.validation.checks import check_results
from pickg.validation.compiler import Check, Compiled, Result, compile_shapes
from pickg.validation.pyshacl_engine import run_pyshacl, shacl_results, shape_messages
from pickg.validation.reach import Reach, bound_to
from pickg.validation.report import Report, ValidationResult
from pickg.validation.shapes import check_options, load_shapes

__all__ = ["run_compiled", "validate_sparql", "validate_store"]


def validate_store(
    store: Any,
    *,
    inference: str = "none",
    lang: str | None = None,
    checks: bool = True,
    workspace: Workspace | None = None,
    paths: Sequence[str | os.PathLike[str]] | None = None,
    keep: Callable[[ValidationResult], bool] | None = None,
    reach: Reach | None = None,
) -> Report:
    """Validate the triples of a :class:`pickg.graph.store.Store` with the fast engine.

    The shapes are compiled to SPARQL (:mod:`pickg.validation.compiler`) and run in the store,
    giving pySHACL's results; a shape using a feature the compiler does not translate
    is checked by pySHACL on an rdflib copy instead. ``inference="rdfs"`` adds the
    consequences of the ``rdfs`` rules of ``ontology/rules/`` *to the store*; OWL 2 RL
    needs the pySHACL engine. Each result names the file that describes its focus node
    (the first of the workspace's files, or of ``paths``, that types it, else the first
    that states anything about it) and the line where it does.

    :param keep: the results to report (None: all); the others are dropped before
        their files, lines and labels are looked up, which a caller that shows only
        some results (``pickg sheet import``: every violation, and the warnings about
        what the workbook changed) need not pay for.
    :param reach: ask the checks only about the focus nodes a few changed resources can
        concern (:mod:`pickg.validation.reach`); None: about every focus node.
    :raises InputError: ``inference="owlrl"``, or an unknown mode or language.
    """
    from pickg.graph.labels import LABEL_PROPERTIES
    from pickg.validation.compiled import compiled_shapes
    from pickg.validation.inference import infer, load_rules

    check_options(inference, lang)
    if inference == "owlrl":
        raise InputError("the fast engine infers RDFS only; use --engine pyshacl for --inference owlrl")
    ws = workspace or Workspace.discover()
    shapes, compiled = compiled_shapes(ws)  # None: the compiled shapes came from the cache
    found: list[ValidationResult] = []
    check_names: list[str] = []
    if checks:  # on the asserted data, before any inference
        found, check_names = check_results(None, ws, lang, backend=store, reach=reach)
    if inference == "rdfs":
        step("the RDFS inference (the rules of ontology/rules/)")
        infer(store, load_rules(["rdfs"], folder=ws.ontology_dir / "rules"))
    results, unsupported = run_compiled(store, compiled, reach), compiled.unsupported
    step(None)
    for result in results:
        found.append(
            ValidationResult(
                focus_node=result.focus,
                severity=str(result.severity).rsplit("#", 1)[-1],
                source=result.shape,
                messages=shape_messages(result.messages),
                path=result.path,
                value=result.value,
                component=result.component,
            )
        )
    if unsupported:
        shapes = shapes if shapes is not None else load_shapes(ws)  # never None: such shapes are not cached
        step("pySHACL's run of the shapes the compiler does not translate")
        report_graph, _ = run_pyshacl(store.to_rdflib(), shapes)
        step(None)
        found += [r for r in shacl_results(report_graph, shapes) if r.source in unsupported]
    if keep is not None:
        found = [result for result in found if keep(result)]
    labels = Graph()
    for node in {result.focus_node for result in found}:
        for prop in LABEL_PROPERTIES:
            labels += store.triples((node, prop, None))
    inputs = workspace_files(paths, True, ws)
    describing = _describing_files_streamed(inputs, {r.focus_node for r in found}, ws) if found else {}
    lines = described_lines(describing, {input_label(path, ws): path for path in inputs})
    placed = [
        replace(
            r,
            file=describing.get(r.focus_node),
            line=lines.get(r.focus_node),
            focus_label=preferred_label(labels, r.focus_node, lang or "fr"),
        )
        for r in found
    ]
    files = tuple(input_label(path, ws) for path in inputs)
    return Report.build(
        placed, graph=Graph(), text="", files=files, inference=inference, lang=lang, checks=tuple(check_names)
    )


def _describing_files_streamed(paths: Sequence[Any], nodes: set[Node], workspace: Workspace) -> dict[Node, str]:
    """Node → the file that describes it, as :func:`_describing_files` decides, for the
    nodes of ``nodes`` only, reading the files as a stream (no graph is built)."""
    import pyoxigraph as ox

    from pickg.graph.formats import FORMATS
    from pickg.graph.rdfio import read_quads
    from pickg.graph.store import from_ox

    rdf_type = ox.NamedNode(str(RDF.type))
    typed: dict[Node, str] = {}
    stated: dict[Node, str] = {}
    for path in paths:
        name = input_label(path, workspace)
        if not is_stdin(path) and os.path.splitext(str(path))[1].lower() not in FORMATS:
            continue
        for quad in read_quads(path):
            subject = from_ox(quad.subject)
            if subject not in nodes:
                continue
            stated.setdefault(subject, name)
            if quad.predicate == rdf_type:
                typed.setdefault(subject, name)
    return {node: typed.get(node) or stated[node] for node in nodes if node in typed or node in stated}


def _step_name(check: Check) -> str:
    """The compiled check in a message: its shape, the path it constrains, its component."""
    shape = compact_iri(str(check.shape)) if isinstance(check.shape, URIRef) else "an unnamed shape"
    path = f" on {compact_iri(str(check.path))}" if isinstance(check.path, URIRef) else ""
    component = compact_iri(str(check.component)).removeprefix("sh:")
    return f"the shape {shape}{path} ({component})"


def run_compiled(store: Store, compiled: Compiled, reach: Reach | None = None) -> list[Result]:
    """Run the compiled checks on ``store``; the results, sorted. Each query is a
    :func:`~pickg.queries.deadline.step`, bounded by ``pickg validate --timeout``.

    :param reach: ask each check only about the focus nodes a change can concern
        (:mod:`pickg.validation.reach`); None: about every focus node.
    """
    results: set[Result] = set()
    for check in compiled.checks:
        query = check.query
        if reach is not None:
            nodes = reach.near if check.severity == SH.Violation else reach.changed
            if check.severity == SH.Violation and check.component == SH.SPARQLConstraintComponent:
                nodes = None  # a SPARQL constraint joins other resources: asked about all
            if nodes is not None and not nodes:
                continue
            if nodes is not None:
                query = bound_to(check.query, ("this",), nodes) or check.query
        step(_step_name(check))
        rows = store.select(query)
        names = rows.variables
        for row in rows:
            bound = dict(zip(names, row, strict=True))
            focus = bound.get("this")
            if focus is None:
                continue
            value = bound.get("value")
            path = None
            if check.component == SH.SPARQLConstraintComponent:
                path = bound.get("path")
                if value is None and check.path is None:
                    value = focus  # SHACL 5.3.2: the value node, which a node shape's focus node is
            results.add(
                Result(
                    focus=focus,
                    path=path if path is not None else check.path,
                    shape=check.shape,
                    severity=check.severity,
                    component=check.component,
                    value=value,
                    messages=check.messages,
                )
            )
    return sorted(
        results,
        key=lambda r: tuple("" if t is None else t.n3() for t in (r.focus, r.shape, r.path, r.value, r.component)),
    )


def validate_sparql(store: Store, shapes: Graph) -> tuple[list[Result], dict[Node, str]]:
    """Validate ``store`` against ``shapes``: the results, and the shapes not checked (with why)."""
    compiled = compile_shapes(shapes)
    return run_compiled(store, compiled), compiled.unsupported
