"""SHACL validation of the knowledge graph: one function, two engines.

>>> report = validate()                                  # doctest: +SKIP
>>> report.conforms, len(report.violations)              # doctest: +SKIP
(True, 0)

:func:`validate` loads each file into its own named graph
(:func:`pickg.graph.rdfio.load_dataset`), so every result names the file that describes its
focus node. It validates the union of the data, the ontology and the vocabularies
against the shapes of ``ontology/shapes/`` (the vocabularies take part in full: the
shapes check that a concept comes from the right SKOS scheme, which pySHACL's
``ont_graph`` would not see, as it mixes in only RDFS and OWL axioms). Then it runs
the data checks ``queries/checks/*-violation.rq``, every row of which is a violation,
and folds both into one :class:`~pickg.validation.report.Report`.

The engines: :mod:`pickg.validation.pyshacl_engine` (the reference) and
:mod:`pickg.validation.fast_engine` (the shapes compiled to SPARQL, run in a store).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from pickg.graph.rdfio import file_graph_iri, load_dataset, workspace_files
from pickg.graph.workspace import Workspace
from pickg.validation.pyshacl_engine import validate_dataset, validate_graph, validate_shapes
from pickg.validation.report import Report, ValidationResult
from pickg.validation.shapes import ENGINES, INFERENCE_MODES, LANGS, check_options, load_shapes

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
        :func:`pickg.graph.store.open_store` (``"auto"``, ``"memory"``, ``"oxigraph[:PATH]"``).
    :returns: the report; ``report.conforms`` is False when any result is a violation.
    :raises InputError: an unknown inference mode or language, or an unreadable path.
    :raises NotFoundError: a file does not exist.
    :raises ParseError: a file is empty or not valid RDF (names ``path:line:col``).
    """
    check_options(inference, lang)
    ws = workspace or Workspace.discover()
    from pickg.validation.fast_engine import chosen_engine, validate_store

    if chosen_engine(engine, workspace_files(paths, True, ws)) == "fast":
        from pickg.graph.store import open_store

        chosen = "oxigraph" if store is None or str(store) == "auto" else store  # compiled SPARQL needs a fast engine
        with open_store(chosen, workspace_files(paths, True, ws)) as opened:
            return validate_store(opened, inference=inference, lang=lang, checks=checks, workspace=ws, paths=paths)
    dataset = load_dataset(paths, include_ontology=True, workspace=ws)
    order = [file_graph_iri(path, ws) for path in workspace_files(paths, True, ws)]
    return validate_dataset(
        dataset, order, inference=inference, lang=lang, include_ontology=False, checks=checks, workspace=ws
    )
