"""A reference engine's answer kept in the project's cache, computed again only when what
it depends on changes.

Some tests compare pickg with a reference engine given the same input: owlrl's closure
of the shipped graph is seconds of pure Python, rdflib's answers to the catalogue as many,
the same seconds every run while neither the data nor the engine changes.
:func:`reference_triples` and :func:`reference_value` keep such an answer in the cache of
:mod:`pickg.graph.cache` (``build/cache/`` of the checkout, ``PICKG_CACHE_DIR``
elsewhere, ``off`` to compute every time) under a key of everything the answer depends on
(:func:`reference_key`): the bytes of each input file, every installed library, the
test module's own text (which says how the answer is computed and filtered) and, when
pickg's code takes part in computing it, every file of the package. The side under test
is computed every run; only the reference is read back.

An answer holding a blank node is never kept: a blank node read back is a new one, which
could not equal the one the test parsed. Nor is an answer that does not read back equal.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from rdflib import BNode, Graph
from rdflib.term import Node

from pickg.graph.cache import cache_dir, cache_key, installed_distributions, package_digest, read_entry, write_entry

Triple = tuple[Node, Node, Node]
T = TypeVar("T")

#: The cache's subfolder for reference answers.
KIND = "test-references"


def reference_key(name: str, module: str | Path, inputs: Iterable[Path], pickg: bool = False) -> str:
    """The key of reference ``name`` computed by the test module ``module`` from the files
    ``inputs`` (and pickg's code, when ``pickg``), with the libraries installed now: any of
    them may take part (pySHACL reads with rdflib, owlrl and pyparsing)."""
    parts: list[str | bytes] = [name, installed_distributions(), Path(module).read_bytes()]
    if pickg:
        parts.append(package_digest())
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


def _holds_blank_node(value: Any) -> bool:
    if isinstance(value, BNode):
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return any(_holds_blank_node(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_blank_node(item) for item in value.items())
    fields = getattr(value, "__dataclass_fields__", None)
    return fields is not None and any(_holds_blank_node(getattr(value, name)) for name in fields)


def reference_value(key: str, compute: Callable[[], T]) -> T:
    """The value kept under ``key`` (pickled), else ``compute()`` (then kept when it can be)."""
    folder = cache_dir()
    found = read_entry(folder, KIND, key)
    if found is not None:
        kept: T = pickle.loads(found)
        return kept
    value = compute()
    if not _holds_blank_node(value):
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if pickle.loads(body) == value:
            write_entry(folder, KIND, key, body)
    return value
