"""Where the graph is held while pickg works on it: one interface, two stores.

* :class:`MemoryStore` holds an rdflib :class:`~rdflib.Graph`. It is the right choice
  for the curated data (a few thousand triples): every library reads it directly.
* :class:`OxigraphStore` holds a pyoxigraph :class:`~pyoxigraph.Store`, in memory or
  on disk. Parsing, SPARQL and serialisation run in Rust, which keeps a graph of
  millions of triples within seconds.

Both speak in rdflib terms (``URIRef``, ``Literal``, ``BNode``), so callers get the
same rows whatever the store. :func:`open_store` chooses one from a specification
(``"auto"``, ``"oxigraph"``, ``"oxigraph:PATH"``, ``"rdflib"`` or ``"memory"``, read by
:mod:`pickg.graph.storespec`) and loads files into it; ``auto``, the default, is
Oxigraph in memory at every size.

Query parameters are always bound as terms (rdflib ``initBindings``, Oxigraph
``substitutions``), never pasted into the query text.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Identifier, Node

from pickg.graph.bindings import bind_values, binding_error, parse_error
from pickg.graph.errors import InputError, NotFoundError, PickgError
from pickg.graph.formats import format_named
from pickg.graph.inputs import is_stdin
from pickg.graph.namespaces import PREFIXES, bind_prefixes
from pickg.graph.quads import quads_from_rdflib
from pickg.graph.rdfio import load_into, parse_file
from pickg.graph.rdflibfixes import install as install_rdflib_fixes
from pickg.graph.sparqltext import query_form, with_values
from pickg.graph.storespec import (
    AUTO_THRESHOLD_BYTES,
    STORE_KINDS,
    StoreSpec,
    input_fingerprint,
    parse_store_spec,
)
from pickg.graph.terms import DecimalPointWriter, from_ox, to_ox

__all__ = [
    "AUTO_THRESHOLD_BYTES",
    "STORE_KINDS",
    "Bindings",
    "MemoryStore",
    "OxigraphStore",
    "Rows",
    "Store",
    "StoreSpec",
    "from_ox",
    "open_store",
    "parse_store_spec",
    "prepared_query",
    "query_form",
    "to_ox",
    "with_values",
]

#: Query parameters: variable name (without ``?``) → the RDF term bound to it.
Bindings = Mapping[str, Identifier]

#: The formats a store is written in (names of :func:`pickg.graph.formats.format_named`).
_OUTPUT_FORMATS = ("json-ld", "nt", "ntriples", "turtle", "xml")


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rows:
    """The solutions of a SELECT query: variable names and one tuple per solution.

    An unbound variable is ``None`` in its row. Rows keep the order the engine gave.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def as_dicts(self) -> list[dict[str, Node]]:
        """Each solution as ``{variable: term}``, unbound variables left out."""
        return [
            {name: value for name, value in zip(self.variables, row, strict=True) if value is not None}
            for row in self.rows
        ]


# --- the interface -----------------------------------------------------------------------


class Store(ABC):
    """A graph pickg can load, query, serialise and hand to rdflib-based libraries."""

    #: ``"memory"`` or ``"oxigraph"``.
    kind: str = ""

    @abstractmethod
    def load(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Add the triples of RDF files (format from the suffix).

        :raises PickgError: as :func:`pickg.graph.rdfio.parse_file` (``path:line:col``).
        """

    @abstractmethod
    def add_graph(self, graph: Graph) -> None:
        """Add the triples of an rdflib graph (the graph is not modified)."""

    @abstractmethod
    def __len__(self) -> int:
        """The number of triples."""

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> Rows:
        """Run a SELECT query with ``?name`` variables bound to terms."""

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        """Run an ASK query."""

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        """Run a CONSTRUCT (or DESCRIBE) query; the triples as a new rdflib graph."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update (INSERT/DELETE) on the store."""

    @abstractmethod
    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node]]:
        """The triples matching ``(s, p, o)``, ``None`` standing for any term."""

    @abstractmethod
    def serialize(self, destination: str | os.PathLike[str] | IO[bytes], format: str = "turtle") -> None:
        """Write every triple to a file or binary stream (``turtle``, ``nt``, ``xml``, ``json-ld``).

        Turtle uses the project's prefixes. The order of the triples is the store's:
        for canonical Turtle of small graphs use :func:`pickg.graph.canonical.canonical_turtle`.
        """

    @abstractmethod
    def to_rdflib(self) -> Graph:
        """The triples as an rdflib graph, for a library that needs one.

        For :class:`MemoryStore` this is the graph itself (do not modify it); for
        :class:`OxigraphStore` a copy, which costs time and memory on big graphs.
        """

    def close(self) -> None:  # noqa: B027 -- optional hook
        """Release the store's resources (files, locks)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, query: str, bindings: Bindings | None = None) -> Rows | Graph | bool:
        """Run any query form; the result type follows the form (SELECT, CONSTRUCT, ASK)."""
        form = query_form(query)
        if form == "SELECT":
            return self.select(query, bindings)
        if form == "ASK":
            return self.ask(query, bindings)
        return self.construct(query, bindings)


def _sparql_error(exc: Exception | str, what: str = "query") -> InputError:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(f"the SPARQL {what} is not valid: {detail}; correct the {what} text")


# --- rdflib ------------------------------------------------------------------------------


class MemoryStore(Store):
    """The graph in an rdflib :class:`~rdflib.Graph` (pure Python, in memory)."""

    kind = "memory"

    def __init__(self, graph: Graph | None = None) -> None:
        self.graph = graph if graph is not None else bind_prefixes(Graph(bind_namespaces="none"))

    def load(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        for path in paths:
            parse_file(path, self.graph)

    def add_graph(self, graph: Graph) -> None:
        self.graph.addN((s, p, o, self.graph) for s, p, o in graph)

    def __len__(self) -> int:
        return len(self.graph)

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        install_rdflib_fixes()
        try:
            prepared = prepared_query(query, tuple(sorted((str(p), str(n)) for p, n in self.graph.namespaces())))
            return self.graph.query(prepared, initBindings=dict(bindings or {}))
        except PickgError:
            raise
        except Exception as exc:  # rdflib raises pyparsing and many other types
            raise _sparql_error(exc) from exc

    def select(self, query: str, bindings: Bindings | None = None) -> Rows:
        result = self._run(query, bindings)
        variables = tuple(str(v) for v in result.vars or ())
        return Rows(variables, tuple(tuple(row) for row in result))

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return bool(self._run(query, bindings).askAnswer)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        out = bind_prefixes(Graph(bind_namespaces="none"))
        result = self._run(query, bindings)
        out.addN((s, p, o, out) for s, p, o in result.graph)
        return out

    def update(self, update: str) -> None:
        try:
            self.graph.update(update)
        except Exception as exc:
            raise _sparql_error(exc, "update") from exc

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node]]:
        return self.graph.triples(pattern)

    def serialize(self, destination: str | os.PathLike[str] | IO[bytes], format: str = "turtle") -> None:
        name = _output_format(format)[0]
        if isinstance(destination, (str, os.PathLike)):
            self.graph.serialize(destination=str(destination), format=name, encoding="utf-8")
        else:
            destination.write(self.graph.serialize(format=name, encoding="utf-8"))

    def to_rdflib(self) -> Graph:
        return self.graph


@lru_cache(maxsize=256)
def prepared_query(query: str, namespaces: tuple[tuple[str, str], ...] = ()) -> Any:
    """``query`` parsed and translated by rdflib once per text (and prefixes, such as a graph's,
    which rdflib lets a query use undeclared, as ``Graph.query`` does): parsing is about a third
    of the time of a catalogue query on rdflib's engine, and the same text runs again with
    other bindings. The one cache of rdflib's parsed queries.

    :raises pyparsing.ParseBaseException: the text is not valid SPARQL.
    """
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(query, initNs=dict(namespaces))


# --- Oxigraph ----------------------------------------------------------------------------

#: Named graph holding the fingerprint of the files an on-disk store was loaded from;
#: queries read the default graph only, so it never shows in results.
_META_GRAPH = ox.NamedNode("urn:pickg:store:meta")
_META_FINGERPRINT = ox.NamedNode("urn:pickg:store:fingerprint")


def _output_format(format: str) -> tuple[str, ox.RdfFormat]:
    if format.lower() not in _OUTPUT_FORMATS:
        known = ", ".join(_OUTPUT_FORMATS)
        raise InputError(f"unknown RDF output format {format!r}; use one of {known}")
    return format_named(format)


def _substitutions(bindings: Bindings | None) -> dict[ox.Variable, Any]:
    return {ox.Variable(name.lstrip("?$")): to_ox(term) for name, term in (bindings or {}).items()}


class OxigraphStore(Store):
    """The graph in a pyoxigraph :class:`~pyoxigraph.Store`, in memory or on disk.

    Triples live in the store's default graph. Files are read with Oxigraph's bulk
    loader; a parse error names ``path:line:col`` like :func:`pickg.graph.rdfio.parse_file`.

    :param path: a folder for an on-disk store (created when missing), or None for
        an in-memory store.
    """

    kind = "oxigraph"

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        try:
            self.inner = ox.Store(str(self.path)) if self.path is not None else ox.Store()
        except OSError as exc:
            raise InputError(
                f"{self.path}: cannot open an Oxigraph store there ({exc}); "
                "name a folder you can write to that no other process is using"
            ) from None

    # loading ----------------------------------------------------------------------------
    def load(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        for path in paths:
            load_into(self.inner, path, bulk=self.path is not None)  # in memory: the lighter loader

    def add_graph(self, graph: Graph) -> None:
        self.inner.bulk_extend(quads_from_rdflib(graph))

    def fingerprint(self) -> str | None:
        """The fingerprint recorded by :meth:`mark_loaded`, or None."""
        for quad in self.inner.quads_for_pattern(None, _META_FINGERPRINT, None, _META_GRAPH):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def mark_loaded(self, fingerprint: str) -> None:
        """Record which inputs the store holds, so a later run can reuse it."""
        if self.inner.contains_named_graph(_META_GRAPH):
            self.inner.remove_graph(_META_GRAPH)
        self.inner.add(ox.Quad(_META_GRAPH, _META_FINGERPRINT, ox.Literal(fingerprint), _META_GRAPH))

    def clear(self) -> None:
        """Remove every triple (and the recorded fingerprint)."""
        self.inner.clear()

    # reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        meta = sum(1 for _ in self.inner.quads_for_pattern(None, None, None, _META_GRAPH))
        return len(self.inner) - meta

    def _run(self, query: str, bindings: Bindings | None) -> Any:
        """Parse and start ``query``; a SELECT takes its bindings as a ``VALUES`` row.

        Oxigraph's substitutions only reach projected variables, and catalogue
        parameters are not projected, so a SELECT gets a ``VALUES`` row of escaped
        terms (:func:`pickg.graph.bindings.bind_values`). Oxigraph parses the bound text
        before evaluating anything, so that parse is the syntax check: a text the
        binding broke is refused with :func:`pickg.graph.bindings.binding_error`.
        """
        substitutions = _substitutions(bindings)  # checks the terms first
        text = query
        if bindings and query_form(query) == "SELECT":
            text, substitutions = bind_values(query, bindings, check=False), {}
        try:
            return self.inner.query(text, substitutions=substitutions)
        except SyntaxError as exc:
            if text is query:
                raise _sparql_error(exc) from None
            detail = parse_error(query)  # the text as written, so a position points into it
            raise (binding_error(exc) if detail is None else _sparql_error(detail)) from None
        except (OSError, ValueError, TypeError) as exc:
            raise _sparql_error(exc) from None

    def select(self, query: str, bindings: Bindings | None = None) -> Rows:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("the query is not a SELECT query; use ask() or construct() for it")
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(None if value is None else from_ox(value) for value in solution) for solution in result)
        return Rows(variables, rows)

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise InputError("the query is not an ASK query; use select() or construct() for it")
        return bool(result)

    def construct(self, query: str, bindings: Bindings | None = None) -> Graph:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise InputError("the query is not a CONSTRUCT or DESCRIBE query; use select() or ask() for it")
        out = bind_prefixes(Graph(bind_namespaces="none"))
        out.addN((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object), out) for t in result)
        return out

    def construct_triples(self, query: str, bindings: Bindings | None = None) -> Iterator[ox.Triple]:
        """Run a CONSTRUCT query; the triples as pyoxigraph terms, streamed (no rdflib)."""
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise InputError("the query is not a CONSTRUCT or DESCRIBE query")
        return iter(result)

    def update(self, update: str) -> None:
        try:
            self.inner.update(update)
        except SyntaxError as exc:
            raise _sparql_error(exc, "update") from None
        except (OSError, ValueError) as exc:
            raise _sparql_error(exc, "update") from None

    def triples(self, pattern: tuple[Node | None, Node | None, Node | None]) -> Iterator[tuple[Node, Node, Node]]:
        s, p, o = (None if term is None else to_ox(term) for term in pattern)
        if isinstance(s, ox.Literal) or isinstance(p, ox.BlankNode | ox.Literal):
            return  # no triple has a literal subject or a predicate that is not an IRI
        for quad in self.inner.quads_for_pattern(s, p, o, ox.DefaultGraph()):
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)

    def serialize(self, destination: str | os.PathLike[str] | IO[bytes], format: str = "turtle") -> None:
        rdf_format = _output_format(format)[1]
        prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
        if isinstance(destination, (str, os.PathLike)):
            with open(destination, "wb") as handle:
                self._dump(handle, rdf_format, prefixes)
        else:
            self._dump(destination, rdf_format, prefixes)

    def _dump(self, handle: IO[bytes], rdf_format: ox.RdfFormat, prefixes: dict[str, str] | None) -> None:
        """Oxigraph's own dump, decimals given back their decimal point on the way (see :func:`from_ox`)."""
        writer = DecimalPointWriter(handle)
        # The stub asks for IO[bytes]; Oxigraph calls only write(), which the writer has.
        self.inner.dump(writer, rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)  # type: ignore[arg-type]
        writer.close()

    def to_rdflib(self) -> Graph:
        out = bind_prefixes(Graph(bind_namespaces="none"))
        out.addN(
            (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), out)
            for q in self.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
        )
        return out

    def close(self) -> None:
        if self.path is not None:
            self.inner.flush()
        del self.inner


# --- opening ----------------------------------------------------------------------------


def open_store(
    spec: str | StoreSpec | None,
    paths: Sequence[str | os.PathLike[str]] = (),
    threshold: int = AUTO_THRESHOLD_BYTES,
) -> Store:
    """A store of the kind ``spec`` names, holding the triples of ``paths``.

    ``auto`` (or None) is :class:`OxigraphStore` in memory at every size: Oxigraph
    answers every query, check and statistic by default, since rdflib 7.6's engine
    gave wrong answers the project's queries met (see :mod:`pickg.graph.rdflibfixes`)
    and is 40 to 1,000 times slower (``bench/RESULTS.md``). ``memory`` (or
    ``rdflib``) is :class:`MemoryStore`. ``threshold`` is kept for callers that
    still pass it and no longer chooses anything. An on-disk store
    (``oxigraph:PATH``) that was already loaded from the same files (same paths,
    sizes and modification times) is reused as it is; otherwise it is emptied and
    reloaded.

    :raises InputError: ``spec`` is not a store specification, or the folder cannot be
        opened.
    :raises PickgError: as :meth:`Store.load`, for the first file that fails; the
        in-memory store is then dropped, an on-disk one emptied.
    """
    parsed = spec if isinstance(spec, StoreSpec) else parse_store_spec(spec)
    files = [Path(p) for p in paths]
    kind = parsed.kind
    if kind == "auto":
        kind = "oxigraph"
    if kind == "memory":
        store: Store = MemoryStore()
        store.load(files)
        return store
    oxi = OxigraphStore(parsed.path)
    if parsed.path is not None:
        for path in files:  # fingerprinting needs every file: report a missing one first
            if not path.is_file() and not is_stdin(path):
                oxi.close()
                raise NotFoundError(f"{path}: no such file; check the path")
        fingerprint = input_fingerprint(files)
        if oxi.fingerprint() == fingerprint:
            return oxi
        oxi.clear()
    try:
        oxi.load(files)
    except BaseException:
        if parsed.path is not None:
            oxi.clear()
        oxi.close()
        raise
    if parsed.path is not None:
        oxi.mark_loaded(fingerprint)
    return oxi
