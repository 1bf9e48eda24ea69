"""pickg: the open RDF knowledge graph of Montréal's Projet impact collectif (PIC).

>>> import pickg
>>> graph = pickg.load()          # ontology + vocabularies + data of the workspace
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from pickg.rdfio import load, load_dataset

__all__ = ["__version__", "load", "load_dataset"]

try:
    __version__: str = version("pickg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
