"""A reference library's answer kept in the project's cache, computed again only when what
it depends on changes.

Some tests compare pickg with a reference library given the same input: owlrl's closure
of the shipped graph is seconds of pure Python, the same seconds every run while neither
the data nor owlrl changes. :func:`reference_triples` keeps such a set of triples in the
cache of :mod:`pickg.graph.cache` (``build/cache/`` of the checkout, ``PICKG_CACHE_DIR``
elsewhere, ``off`` to compute every time) under a key of everything the answer depends on:
the bytes of each input file, the versions of the libraries, and the test module's own
text (which says how the answer is computed and filtered). pickg's side is computed every
run; only the reference is read back.

A set holding a blank node is never kept: a blank node read back is a new one, which
could not equal the one the test parsed. Nor is a set whose N-Triples text does not read
back as the same set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from pickg.graph.cache import cache_dir, cache_key, library_versions, read_entry, write_entry

Triple = tuple[Node, Node, Node]

#: The cache's subfolder for reference answers.
KIND = "test-references"


def reference_key(name: str, module: str | Path, inputs: Iterable[Path], libraries: Iterable[str]) -> str:
    """The key of reference ``name`` computed by the test module ``module`` from the files
    ``inputs`` with the distributions ``libraries``."""
    parts: list[str | bytes] = [name, library_versions("rdflib", *libraries), Path(module).read_bytes()]
    for path in inputs:
        parts += [path.name, path.read_bytes()]
    return cache_key(*parts)


def _ntriples(triples: set[Triple]) -> bytes:
    graph = Graph(bind_namespaces="none")
    for triple in triples:
        graph.add(triple)
    return graph.serialize(format="nt", encoding="utf-8")


def reference_triples(key: str, compute: Callable[[], set[Triple]]) -> set[Triple]:
    """The set of triples kept under ``key``, else ``compute()`` (then kept when it can be)."""
    folder = cache_dir()
    found = read_entry(folder, KIND, key)
    if found is not None:
        return set(Graph().parse(data=found, format="nt"))
    triples = compute()
    if not any(isinstance(term, BNode) for triple in triples for term in triple):
        body = _ntriples(triples)
        if set(Graph().parse(data=body, format="nt")) == triples:
            write_entry(folder, KIND, key, body)
    return triples
