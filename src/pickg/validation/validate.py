"""SHACL validation of the knowledge graph: one function, two engines.

>>> report = validate()                                  # doctest: +SKIP
>>> report.conforms, len(report.violations)              # doctest: +SKIP
(True, 0)

:func:`validate` validates the union of the data, the ontology and the vocabularies
against the shapes of ``ontology/shapes/`` (the vocabularies take part in full: the
shapes check that a concept comes from the right SKOS scheme, which pySHACL's
``ont_graph`` would not see, as it mixes in only RDFS and OWL axioms). Then it runs
the data checks ``queries/checks/*-violation.rq``, every row of which is a violation,
and folds both into one :class:`~pickg.validation.report.Report`, every result of which
names the file and the line where its focus node is described.

The engines: :mod:`pickg.validation.fast_engine` (the shapes compiled to SPARQL, run in
an Oxigraph store: the default, at every size) and :mod:`pickg.validation.pyshacl_engine`
(the reference, which gives the same results and alone runs OWL 2 RL inference).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from pickg.graph.errors import InputError
from pickg.graph.inputs import input_label
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
    "chosen_engine",
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
    engine: str | None = None,
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
    :param engine: ``"fast"`` (the shapes compiled to SPARQL, run in ``store``) or
        ``"pyshacl"``; None: ``fast``, except for ``inference="owlrl"``, which only
        pySHACL runs.
    :param store: for the fast engine, the store specification of
        :func:`pickg.graph.store.open_store` (``"auto"``, ``"memory"``, ``"oxigraph[:PATH]"``).
    :returns: the report; ``report.conforms`` is False when any result is a violation.
    :raises InputError: an unknown engine, inference mode or language, an unreadable
        path, or ``inference="owlrl"`` with the fast engine.
    :raises NotFoundError: a file does not exist.
    :raises ParseError: a file is empty or not valid RDF (names ``path:line:col``).
    """
    check_options(inference, lang)
    chosen = chosen_engine(engine, inference)
    ws = workspace or Workspace.discover()
    files = workspace_files(paths, True, ws)
    if chosen == "fast":
        from pickg.graph.store import open_store
        from pickg.validation.fast_engine import validate_store

        kind = "oxigraph" if store is None or str(store) == "auto" else store  # compiled SPARQL needs a fast store
        with open_store(kind, files) as opened:
            return validate_store(opened, inference=inference, lang=lang, checks=checks, workspace=ws, paths=paths)
    dataset = load_dataset(paths, include_ontology=True, workspace=ws)
    return validate_dataset(
        dataset,
        [file_graph_iri(path, ws) for path in files],
        inference=inference,
        lang=lang,
        include_ontology=False,
        checks=checks,
        workspace=ws,
        sources={input_label(path, ws): path for path in files},
    )


def chosen_engine(engine: str | None, inference: str = "none") -> str:
    """The engine that runs: ``engine``, or for None ``fast``, unless ``inference`` is
    ``owlrl``, which only pySHACL runs.

    :raises InputError: an engine not in :data:`ENGINES`.
    """
    if engine is None:
        return "pyshacl" if inference == "owlrl" else "fast"
    if engine not in ENGINES:
        raise InputError(f"unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}")
    return engine
