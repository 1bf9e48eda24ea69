"""An rdflib :class:`~rdflib.Graph` that reads the default graph of an Oxigraph store.

Code written against rdflib's triple patterns (``objects``, ``value``, ``subjects``,
``in``) can read a :class:`pickg.graph.store.OxigraphStore` without an rdflib copy of
its triples: :func:`store_graph` wraps the store in an rdflib graph whose store plug-in
asks the store for each pattern (:meth:`pickg.graph.store.OxigraphStore.triples`, which
converts the terms with :func:`pickg.graph.terms.from_ox`, the one conversion, cached).

Terms come back as the store holds them: Oxigraph keeps numbers by value (a decimal
written ``1.50`` comes back ``1.5``; ``23000000.0`` keeps its point, see
:func:`~pickg.graph.terms.from_ox`), so a caller that must name a triple exactly as a
file writes it compares numbers by value.

``pickg sheet import`` reads the rows of a workbook against the same store that then
validates them (``bench/SHEETS.md``: at 19,208 rows the rdflib graph of the data took
about 8 s of CPU to build and 1.5 KB a triple).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.store import Store
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.namespaces import bind_prefixes
from pickg.graph.store import OxigraphStore
from pickg.graph.terms import to_ox

__all__ = ["store_graph"]

_Pattern = tuple[Node | None, Node | None, Node | None]
_DEFAULT = ox.DefaultGraph()


class _OxigraphPatterns(Store):
    """rdflib's store plug-in interface over the default graph of a pyoxigraph store."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, store: OxigraphStore) -> None:
        super().__init__()
        self.store = store
        self.inner = store.inner
        self._namespaces: dict[str, URIRef] = {}

    def triples(self, triple_pattern: _Pattern, context: Any = None) -> Iterator[tuple[tuple[Node, Node, Node], Any]]:
        try:
            for triple in self.store.triples(triple_pattern):
                yield triple, iter(())
        except InputError:  # a term that is not RDF matches nothing
            return

    def __len__(self, context: Any = None) -> int:
        return len(self.store)

    def add(self, triple: tuple[Node, Node, Node], context: Any, quoted: bool = False) -> None:
        s, p, o = (to_ox(t) for t in triple)
        self.inner.add(ox.Quad(s, p, o, _DEFAULT))  # type: ignore[arg-type]  # checked by pyoxigraph

    def remove(self, triple: _Pattern, context: Any = None) -> None:
        for (s, p, o), _ in list(self.triples(triple)):
            self.inner.remove(ox.Quad(to_ox(s), to_ox(p), to_ox(o), _DEFAULT))  # type: ignore[arg-type]

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if override or prefix not in self._namespaces:
            self._namespaces[prefix] = namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return next((p for p, n in self._namespaces.items() if n == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespaces.items()


def store_graph(store: OxigraphStore) -> Graph:
    """An rdflib graph reading (and writing) the default graph of ``store``, with the
    project's prefixes; no triple is copied. Its patterns are answered by
    :meth:`pickg.graph.store.OxigraphStore.triples`."""
    return bind_prefixes(Graph(store=_OxigraphPatterns(store), bind_namespaces="none"))
