"""pickg: the open RDF knowledge graph of Montréal's Projet impact collectif (PIC).

>>> import pickg
>>> graph = pickg.load()          # ontology + vocabularies + data of the workspace
>>> rows = pickg.run_query("neighbourhoods-of-phase", graph=graph)   # a catalogue query
>>> report = pickg.validate()      # SHACL shapes and data checks; report.conforms
"""

from __future__ import annotations

from typing import Any

from pickg.graph.rdfio import load, load_dataset
from pickg.graph.workspace import package_version
from pickg.validation.validate import validate  # pySHACL itself is imported only when it runs

__all__ = ["__version__", "load", "load_dataset", "run_query", "validate"]

__version__: str = package_version()


def __getattr__(name: str) -> Any:
    """``pickg.run_query`` is imported on first use: the SPARQL engine loads only when needed."""
    if name == "run_query":
        from pickg.queries.execution import run_query

        return run_query
    raise AttributeError(f"module 'pickg' has no attribute {name!r}")
