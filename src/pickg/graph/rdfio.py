"""Reading RDF files: the only module that parses them (the formats are
:mod:`pickg.graph.formats`'s).

* :func:`read_quads` (streamed pyoxigraph quads), :func:`load_into` (an Oxigraph
  store's bulk loader) and :func:`quads_as_read` read a file as pyoxigraph does, with
  the same input checks and the same ``path:line:col`` errors as :func:`parse_file`;
  :func:`parse_data` reads RDF the program holds in memory.

* :func:`parse_file` turns every failure (missing, empty, undecodable, malformed file)
  into a :class:`~pickg.graph.errors.PickgError` naming ``path:line:col``. Turtle and
  N-Triples are read by pyoxigraph (Rust, a hundred times faster than rdflib's parser)
  into the same rdflib terms rdflib's parser would make; other formats, and the rare
  files whose terms pyoxigraph would change, are read by rdflib.
* A literal or IRI longer than :data:`~pickg.graph.inputs.MAX_TERM_BYTES` (16 MiB,
  Oxigraph's fixed buffer) is refused by every reader, naming the file, on every store
  (:func:`~pickg.graph.inputs.terms_within_bounds`).
* The canonical Turtle the project writes is :mod:`pickg.graph.canonical`'s.
* :func:`load` and :func:`load_dataset` read the workspace.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from pickg.graph.errors import InputError, ParseError
from pickg.graph.formats import FORMATS, formats_of, guess_format
from pickg.graph.inputs import (
    STDIN_NAME,
    XML_SUFFIXES,
    check_input_file,
    check_xml_entities,
    input_base,
    input_name,
    is_stdin,
    read_text,
    standard_input,
    terms_within_bounds,
)
from pickg.graph.namespaces import FILE_GRAPH, bind_prefixes
from pickg.graph.quads import paused_gc
from pickg.graph.terms import converted_triples, rdflib_term
from pickg.graph.workspace import Workspace

__all__ = [
    "file_graph_iri",
    "load",
    "load_dataset",
    "load_into",
    "oxigraph_would_differ",
    "parse_data",
    "parse_file",
    "quads_as_read",
    "read_quads",
    "workspace_files",
]

_RDFLIB_TO_OXIGRAPH = {name: oxi for name, oxi in FORMATS.values()}

#: rdflib parser names whose files pyoxigraph reads into the same triples and prefixes.
#: (rdflib reads only the default graph of TriG and N-Quads into a graph; N3, RDF/XML
#: and JSON-LD have corner cases the parsers disagree on: rdflib reads those.)
_READ_BY_OXIGRAPH = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ttl": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nt11": pyoxigraph.RdfFormat.N_TRIPLES,
}


# --- reading ---------------------------------------------------------------------------


_OXIGRAPH_PREFIX = re.compile(r"^Parser error[^:]*:\s*")


def _locate_with_oxigraph(text: str, rdflib_format: str, base: str) -> tuple[int | None, int | None, str] | None:
    """Re-parse with pyoxigraph, whose errors carry a location: (line, col, detail)."""
    oxi_format = _RDFLIB_TO_OXIGRAPH.get(rdflib_format)
    if oxi_format is None:
        return None
    try:
        for _ in pyoxigraph.parse(text.encode("utf-8"), format=oxi_format, base_iri=base):
            pass
    except SyntaxError as exc:
        detail = _OXIGRAPH_PREFIX.sub("", str(exc.msg or exc))
        return exc.lineno, exc.offset, detail
    except MemoryError:
        raise  # an over-long term: refused by every reader (:func:`terms_within_bounds`)
    except Exception:  # only a locator: rdflib's own error is the fallback
        return None
    return None


def _rdflib_location(exc: Exception) -> tuple[int | None, int | None, str]:
    """Line, column and reason from an rdflib error (exact for Turtle/N3 ``BadSyntax``)."""
    if isinstance(exc, BadSyntax):
        source: bytes = exc._str  # the whole document, as rdflib read it
        index: int = exc._i
        col = index - (source.rfind(b"\n", 0, index) + 1) + 1
        return exc.lines + 1, col, str(exc._why)
    line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (line if isinstance(line, int) else None), None, detail


def _oxigraph_error(path: Path, exc: SyntaxError) -> ParseError:
    return ParseError(path, exc.lineno, exc.offset, _OXIGRAPH_PREFIX.sub("", str(exc.msg or exc)))


def _refuse_what_oxigraph_refuses(path: Path, text: str, rdflib_format: str, base: str) -> None:
    """Refuse a document Oxigraph finds invalid, though rdflib would read it.

    rdflib's parsers let through IRIs with spaces (``<http://x/a b>``), bad escapes
    (``"\\uZZZZ"``) and more, with a warning at most; Oxigraph follows the W3C grammars.
    Whatever rdflib reads, the same files are refused on every store, at the same
    ``path:line:col``.

    :raises ParseError: the first error Oxigraph finds.
    """
    located = _locate_with_oxigraph(text, rdflib_format, base)
    if located is not None:
        line, col, detail = located
        raise ParseError(path, line, col, detail)


def _parse_error(path: Path, text: str, rdflib_format: str, base: str, exc: Exception) -> ParseError:
    located = _locate_with_oxigraph(text, rdflib_format, base)
    line, col, detail = located if located is not None else _rdflib_location(exc)
    return ParseError(path, line, col, detail)


# Where pyoxigraph's terms would differ from rdflib's: pyoxigraph writes language tags in
# lower case and reads ``"x"^^xsd:string`` as the plain literal ``"x"`` (RDF 1.1), while
# rdflib keeps both as written. Both patterns start with a fixed string, so a search of
# a large file takes milliseconds; a tag with a capital is then checked by hand.
_TAG_WITH_CAPITAL = re.compile(r"@[A-Za-z0-9-]*[A-Z]")
_STRING_DATATYPE = re.compile(r"\^\^\s*(?:<[^>]*#string>|[\w.-]*:string\b)")


def oxigraph_would_differ(text: str) -> bool:
    """Whether ``text`` may hold a term pyoxigraph reads differently from rdflib."""
    if "^^" in text and _STRING_DATATYPE.search(text):
        return True
    return any(text[m.start() - 1 : m.start()] in ('"', "'") for m in _TAG_WITH_CAPITAL.finditer(text))


def _read_with_oxigraph(
    text: str, oxi_format: pyoxigraph.RdfFormat, base: str
) -> tuple[list[tuple[Node, Node, Node]], dict[str, str]]:
    """The triples (rdflib terms) and the prefixes of a document, read by pyoxigraph.

    Literals are the ones rdflib's parser makes for the same lexical form and datatype
    (:func:`~pickg.graph.terms.rdflib_term`, decimals as written). Every blank node gets
    a new rdflib label, as rdflib's parser gives, so blank nodes of two files never merge.

    :raises SyntaxError: the document is not valid (pyoxigraph's error, with a location).
    :raises ValueError: it holds an RDF 1.2 triple term, which rdflib has not.
    """
    data = text.encode("utf-8")
    key = (hashlib.blake2b(data, digest_size=20).digest(), str(oxi_format), base)
    if key in _READ:
        _READ.move_to_end(key)
        return _READ[key]
    parser = pyoxigraph.parse(data, format=oxi_format, base_iri=base)
    with paused_gc():
        triples = converted_triples(parser, partial(rdflib_term, decimal_point=False, new_bnodes=True))
    read = triples, dict(parser.prefixes)
    if len(triples) <= _READ_TRIPLES and not any(isinstance(term, BNode) for triple in triples for term in triple):
        _READ[key] = read
        while len(_READ) > _READ_DOCUMENTS:
            _READ.popitem(last=False)
    return read


#: Documents :func:`_read_with_oxigraph` read lately, by the digest of their text, format
#: and base: a process that reads the workspace again (the stewards' import, a test
#: session, ``pickg serve`` reloading) converts each unchanged file once. Terms are
#: immutable, so two graphs may share them; a document with blank nodes is never kept,
#: since each reading must give it new ones, nor one of more than :data:`_READ_TRIPLES`.
_READ: OrderedDict[tuple[bytes, str, str], tuple[list[tuple[Node, Node, Node]], dict[str, str]]] = OrderedDict()
_READ_DOCUMENTS = 128
_READ_TRIPLES = 50_000


def _merge_prefixes(target: Graph, source: Graph | Iterable[tuple[str, str]]) -> None:
    """Bind on ``target`` the prefixes of ``source`` that clash with none it has."""
    bound = dict(target.namespaces())
    iris = {str(iri) for iri in bound.values()}
    pairs = source.namespaces() if isinstance(source, Graph) else source
    for prefix, iri in sorted((p, URIRef(i)) for p, i in pairs):
        if prefix and prefix not in bound and str(iri) not in iris:
            target.bind(prefix, iri)
            bound[prefix] = iri
            iris.add(str(iri))


def parse_file(
    path: str | os.PathLike[str],
    graph: Graph | None = None,
    format: str | None = None,
) -> Graph:
    """Parse one RDF file.

    The file is parsed on its own first, so a failure leaves ``graph`` untouched.

    :param path: the file; its suffix gives the format unless ``format`` is set.
    :param graph: a graph to add the triples to (and the file's prefixes that clash
        with none of its own); a new graph holding only the file's prefixes if None.
    :param format: an rdflib parser name (``"turtle"``, ``"nt"``, …).
    :returns: ``graph``, or the new graph.
    :raises NotFoundError: the file does not exist.
    :raises ParseError: the file is empty, not UTF-8, not valid RDF, or holds no triple;
        the message names ``path:line:col``.
    :raises InputError: the format cannot be told, or the path is not a readable file.
    """
    rdflib_format = format or guess_format(path)
    text = read_text(Path(path))
    base = input_base(path)
    path = input_name(path)
    with terms_within_bounds(path):
        return _parse_text(path, text, rdflib_format, base, graph)


def _parse_text(path: Path, text: str, rdflib_format: str, base: str, graph: Graph | None) -> Graph:
    """:func:`parse_file` once the file is read."""
    if rdflib_format == "xml" or path.suffix.lower() in XML_SUFFIXES:
        check_xml_entities(path, text.encode("utf-8"))
    oxi_format = _READ_BY_OXIGRAPH.get(rdflib_format)
    if oxi_format is not None and not oxigraph_would_differ(text):
        try:
            triples, prefixes = _read_with_oxigraph(text, oxi_format, base)
        except SyntaxError as exc:
            raise _oxigraph_error(path, exc) from None
        except ValueError:
            pass  # an RDF 1.2 triple term: rdflib reads it, or raises the error located below
        else:
            return _add_parsed(path, triples, prefixes, graph)
    else:
        _refuse_what_oxigraph_refuses(path, text, rdflib_format, base)
    parsed = Graph(bind_namespaces="none")
    try:
        parsed.parse(data=text, format=rdflib_format, publicID=base)
    except Exception as exc:  # rdflib's parsers raise many types
        raise _parse_error(path, text, rdflib_format, base, exc) from exc
    if len(parsed) == 0:
        raise _no_triples(path)
    if graph is None:
        return parsed
    graph.addN((s, p, o, graph) for s, p, o in parsed)
    _merge_prefixes(graph, parsed)
    return graph


def _no_triples(path: Path) -> ParseError:
    return ParseError(
        path, None, None, "file holds no triples (only prefixes or comments)", hint="add triples to it or delete it"
    )


def _add_parsed(
    path: Path, triples: list[tuple[Node, Node, Node]], prefixes: dict[str, str], graph: Graph | None
) -> Graph:
    """Put the triples pyoxigraph read in ``graph`` (a new one if None), as :func:`parse_file`."""
    if not triples:
        raise _no_triples(path)
    if graph is None:
        graph = Graph(bind_namespaces="none")
        for prefix, iri in prefixes.items():  # as rdflib's parser binds them
            graph.bind(prefix, URIRef(iri))
    else:
        _merge_prefixes(graph, prefixes.items())
    with paused_gc():
        graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _oxigraph_source(path: str | os.PathLike[str]) -> tuple[Path, pyoxigraph.RdfFormat, dict[str, Any]]:
    """How pyoxigraph reads one input: its name in messages, its format, and the
    arguments naming what to read (the file's path, or standard input's bytes) and its
    base IRI; the checks of :mod:`pickg.graph.inputs` made first.

    :raises PickgError: as :func:`parse_file`, for a file that is missing, special,
        too large, empty, or RDF/XML whose entities would blow up.
    """
    name = input_name(path)  # ``-``, standard input, is <stdin> in messages
    oxi_format = formats_of(path)[1]
    if check_input_file(path) == 0:
        raise ParseError(name, 1, 1, "file is empty", hint="add triples to it or delete it")
    data = standard_input() if is_stdin(path) else None
    if oxi_format == pyoxigraph.RdfFormat.RDF_XML:
        check_xml_entities(name, data)
    source: dict[str, Any] = {"input": data} if data is not None else {"path": str(path)}
    return name, oxi_format, {**source, "base_iri": input_base(path)}


def read_quads(path: str | os.PathLike[str]) -> Iterator[pyoxigraph.Quad]:
    """The quads of one RDF file (or standard input), streamed as pyoxigraph reads them.

    :raises PickgError: as :func:`parse_file`; a syntax error names ``path:line:col``.
    """
    name, oxi_format, source = _oxigraph_source(path)
    try:
        with terms_within_bounds(name):
            yield from pyoxigraph.parse(format=oxi_format, **source)
    except SyntaxError as exc:
        raise _oxigraph_error(name, exc) from None


def load_into(store: pyoxigraph.Store, path: str | os.PathLike[str], *, bulk: bool = True) -> None:
    """Add the triples of one RDF file to the default graph of ``store``, with Oxigraph's
    bulk loader (several times faster than adding parsed quads), or with its ordinary
    loader (``bulk=False``): for a store in memory as quick, and without the bulk
    loader's buffers (805,670 triples of synthetic data: 2.4 s and a peak of 345 MB
    against 2.8 s and 535 MB; 324,081 triples: 0.9 s both, 164 MB against 240 MB).

    :raises PickgError: as :func:`parse_file`; a syntax error names ``path:line:col``.
    """
    name, oxi_format, source = _oxigraph_source(path)
    loader = store.bulk_load if bulk else store.load
    try:
        with terms_within_bounds(name):
            loader(format=oxi_format, to_graph=pyoxigraph.DefaultGraph(), **source)
    except SyntaxError as exc:
        raise _oxigraph_error(name, exc) from None
    except PermissionError:
        raise InputError(f"{name} cannot be read (permission denied); fix its permissions") from None
    except (OSError, ValueError) as exc:
        raise ParseError(name, None, None, str(exc)) from None


def quads_as_read(path: str | os.PathLike[str]) -> list[pyoxigraph.Quad] | None:
    """The triples of a Turtle or N-Triples file as pyoxigraph quads of the default graph,
    read from its text (:func:`read_text`); None when pyoxigraph would read a term
    differently from rdflib (:func:`oxigraph_would_differ`) or cannot read the file:
    :func:`parse_file` then reads it, or locates its error.

    :raises PickgError: as :func:`read_text`.
    """
    oxi_format = _READ_BY_OXIGRAPH.get(guess_format(path))
    if oxi_format is None:
        return None
    text = read_text(Path(path))
    if oxigraph_would_differ(text):
        return None
    try:
        with paused_gc(), terms_within_bounds(input_name(path)):
            return list(pyoxigraph.parse(text.encode("utf-8"), format=oxi_format, base_iri=input_base(path)))
    except (SyntaxError, ValueError):
        return None


def parse_data(data: str | bytes, format: str = "turtle", graph: Graph | None = None) -> Graph:
    """RDF the program holds in memory (a rendered template, a vendored file, an
    endpoint's answer), read by rdflib's parser ``format`` into ``graph`` (a new one if
    None), triples in the order of the text. Not for a user's file: that is
    :func:`parse_file`, whose errors name the file and line.

    :raises Exception: rdflib's parsers raise many types; the caller says what failed.
    """
    target = graph if graph is not None else Graph()
    return target.parse(data=data, format=format)


# --- loading the workspace -------------------------------------------------------------


def workspace_files(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    include_ontology: bool = True,
    workspace: Workspace | None = None,
) -> list[Path]:
    """The files :func:`load` reads, in order, without duplicates.

    :param paths: files to read instead of the workspace's data files.
    :param include_ontology: put the ontology and vocabularies first.
    :param workspace: the workspace; :meth:`Workspace.discover` if None.
    """
    ws = workspace or Workspace.discover()
    chosen: list[Path] = []
    if include_ontology:
        chosen += ws.ontology_files() + ws.vocabulary_files()
    chosen += ws.data_files() if paths is None else [Path(p) for p in paths]
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in chosen:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    include_ontology: bool = True,
    workspace: Workspace | None = None,
) -> Graph:
    """Load the knowledge graph into one graph (the union of the files).

    :param paths: files to read instead of the workspace's ``data/`` files.
    :param include_ontology: also read ``ontology/*.ttl`` and the vocabularies (never
        the shapes).
    :param workspace: the workspace; :meth:`Workspace.discover` if None.
    :returns: a new graph with the prefixes of :data:`~pickg.graph.namespaces.PREFIXES`.
    :raises PickgError: as :func:`parse_file`, for the first file that fails.
    """
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for path in workspace_files(paths, include_ontology, workspace):
        parse_file(path, graph)
    return graph


def file_graph_iri(path: str | os.PathLike[str], workspace: Workspace | None = None) -> URIRef:
    """The named graph of one file in :func:`load_dataset`: ``urn:pickg:file:<relative path>``
    (``urn:pickg:file:%3Cstdin%3E`` for standard input)."""
    if is_stdin(path):
        return FILE_GRAPH[quote(STDIN_NAME, safe="/-._~")]
    ws = workspace or Workspace.discover()
    return FILE_GRAPH[quote(ws.relative(Path(path)), safe="/-._~")]


def load_dataset(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    include_ontology: bool = True,
    workspace: Workspace | None = None,
) -> Dataset:
    """Load the knowledge graph with each file in its own named graph.

    The graph of a file is :func:`file_graph_iri` (its path relative to the workspace),
    so any triple can be traced to the file that states it. The default graph is the
    union of them all.

    :param paths: files to read instead of the workspace's ``data/`` files.
    :param include_ontology: also read the ontology and the vocabularies.
    :param workspace: the workspace; :meth:`Workspace.discover` if None.
    :raises PickgError: as :func:`parse_file`, for the first file that fails.
    """
    ws = workspace or Workspace.discover()
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for path in workspace_files(paths, include_ontology, ws):
        parse_file(path, dataset.graph(file_graph_iri(path, ws)))
    return dataset
