"""pickg: the open RDF knowledge graph of Montréal's Projet impact collectif (PIC).

>>> import pickg
>>> graph = pickg.load()          # ontology + vocabularies + data of the workspace
>>> rows = pickg.run_query("neighbourhoods-of-phase", graph=graph)   # a catalogue query
>>> report = pickg.validate()      # SHACL shapes and data checks; report.conforms
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pickg.rdfio import load, load_dataset
from pickg.validate import validate  # pySHACL itself is imported only when it runs

__all__ = ["__version__", "load", "load_dataset", "run_query", "validate"]

try:
    __version__: str = version("pickg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


def __getattr__(name: str) -> Any:
    """``pickg.run_query`` is imported on first use: the SPARQL engine loads only when needed."""
    if name == "run_query":
        from pickg.sparql import run_query

        return run_query
    raise AttributeError(f"module 'pickg' has no attribute {name!r}")
