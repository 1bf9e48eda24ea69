"""The shapes and the options of a validation: what every engine starts from.

:func:`load_shapes` reads ``ontology/shapes/*.shapes.ttl``; :func:`check_options`
refuses an unknown inference mode or message language before any engine runs.
"""

from __future__ import annotations

from rdflib import Graph

from pickg.graph.errors import InputError, NotFoundError
from pickg.graph.namespaces import bind_prefixes
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace

__all__ = ["ENGINES", "INFERENCE_MODES", "LANGS", "check_options", "load_shapes"]

#: Inference run on (a copy of) the data before validation: none, RDFS, or OWL 2 RL.
INFERENCE_MODES = ("none", "rdfs", "owlrl")

#: Validation engines: ``fast``, the default, the shapes compiled to SPARQL and run inside
#: an Oxigraph store (:mod:`pickg.validation.compiler`: under a second for the shipped
#: data, seconds for a million triples); or ``pyshacl``, the reference, on an rdflib copy
#: (the same results, and the only one to run OWL 2 RL inference).
ENGINES = ("fast", "pyshacl")

#: Languages a report can prefer for its messages.
LANGS = ("fr", "en")


def check_options(inference: str, lang: str | None) -> None:
    if inference not in INFERENCE_MODES:
        raise InputError(
            f"unknown inference mode {inference!r}; use one of {', '.join(INFERENCE_MODES)} "
            "(none is the fastest and the default)"
        )
    if lang is not None and lang not in LANGS:
        raise InputError(f"unknown message language {lang!r}; use fr or en")


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
