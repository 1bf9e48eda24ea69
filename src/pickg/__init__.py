"""pickg: the open RDF knowledge graph of Montréal's Projet impact collectif (PIC).

>>> import pickg
>>> graph = pickg.load()          # ontology + vocabularies + data of the workspace
>>> rows = pickg.run_query("neighbourhoods-of-phase", lang="en")   # a catalogue query
>>> frame = rows.to_pandas()       # typed columns (pip install 'pickg[analysis]')
>>> rows = pickg.sparql("SELECT ?n WHERE { ?n a pic:Neighbourhood }", lang="en")
>>> report = pickg.validate()      # SHACL shapes and data checks; report.conforms

The public API, one function per stage of the data (the rooms of
``docs/architecture.md``); the command line calls these and nothing private:

=====================  =====================================================================
``load``               the ontology, vocabularies and data as one rdflib ``Graph``
``load_dataset``       the same, one named graph per file (for results that name a file)
``open_store``         a store (rdflib or Oxigraph, in memory or on disk) holding the files
``load_catalog``       the catalogue of SPARQL queries (``queries/*.rq``), by name
``run_query``          run a catalogue query with bound parameters, locally or remotely
``sparql``             run a SPARQL query of your own, labels in a language; ``.to_pandas()``
``compute_stats``      counts per class and per source, and totals
``validate``           SHACL shapes and data checks, with either engine: a ``Report``
``infer``              the RDFS/OWL/SKOS rule closure, added to a store
``publish``            build a versioned release folder, completely or not at all
``push``               load a release into a remote store (Graph Store Protocol)
``synthesize``         synthetic data in the project's model, of any size
``Workspace``          where ``ontology/``, ``data/`` and ``queries/`` live
``PickgError``         the base of every error pickg raises on purpose
=====================  =====================================================================

A function that writes words for people takes ``lang="fr"`` or ``"en"``; left out
(``None``), the language is the reader's, by the rule the command line follows
(:func:`pickg.graph.messages.reader_language`: ``PICKG_LANG``, else the locale, else
English).

Each function is imported on first use, so ``import pickg`` (and ``pickg --help``)
stays cheap: rdflib, the SPARQL engine, pySHACL and the release writers load only when
a function that needs them is called.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from pickg.graph.errors import PickgError
from pickg.graph.workspace import Workspace, package_version

if TYPE_CHECKING:  # the names of _LAZY, for type checkers and editors
    from pickg.endpoints.push import push
    from pickg.graph.rdfio import load, load_dataset
    from pickg.graph.store import open_store
    from pickg.queries.catalogue import load_catalog
    from pickg.queries.execution import run_query
    from pickg.queries.stats import compute_stats
    from pickg.queries.usersparql import sparql
    from pickg.release.publish import publish
    from pickg.synth.generator import synthesize
    from pickg.validation.inference import infer
    from pickg.validation.validate import validate

__all__ = [
    "PickgError",
    "Workspace",
    "__version__",
    "compute_stats",
    "infer",
    "load",
    "load_catalog",
    "load_dataset",
    "open_store",
    "publish",
    "push",
    "run_query",
    "sparql",
    "synthesize",
    "validate",
]

__version__: str  # the installed version: read on first use (see __getattr__)

#: The names imported on first use: name → the module that defines it.
_LAZY: dict[str, str] = {
    "compute_stats": "pickg.queries.stats",
    "infer": "pickg.validation.inference",
    "load": "pickg.graph.rdfio",
    "load_catalog": "pickg.queries.catalogue",
    "load_dataset": "pickg.graph.rdfio",
    "open_store": "pickg.graph.store",
    "publish": "pickg.release.publish",
    "push": "pickg.endpoints.push",
    "run_query": "pickg.queries.execution",
    "sparql": "pickg.queries.usersparql",
    "synthesize": "pickg.synth.generator",
    "validate": "pickg.validation.validate",
}


def __getattr__(name: str) -> Any:
    """Import a public function of :data:`_LAZY`, or read ``__version__``, on first use."""
    module = _LAZY.get(name)
    if name == "__version__":
        value: Any = package_version()
    elif module is None:
        raise AttributeError(f"module 'pickg' has no attribute {name!r}")
    else:
        value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
