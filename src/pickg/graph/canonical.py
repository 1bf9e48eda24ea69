"""Canonical Turtle: the one form in which the project writes its RDF files.

* :func:`canonical_turtle` gives deterministic Turtle (rdflib ``longturtle`` on the
  canonicalised graph, the project's prefixes), the same bytes in every run and
  process, so files diff well and can be checked.
* :func:`write_canonical` writes a graph in that form, atomically; :func:`format_file`
  brings a Turtle file to it (``pickg fmt``).
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import BNode, Graph

from pickg.graph.files import write_atomically
from pickg.graph.namespaces import PREFIXES, bind_prefixes
from pickg.graph.rdfio import parse_file

__all__ = ["canonical_turtle", "format_file", "write_canonical"]


def canonical_turtle(graph: Graph) -> str:
    """Serialise ``graph`` as deterministic Turtle.

    rdflib ``longturtle`` with ``canon=True`` (blank nodes relabelled from the graph's
    structure, subjects sorted), the prefixes of :data:`~pickg.graph.namespaces.PREFIXES`
    plus those of ``graph`` that clash with none of them, and generated prefixes
    (``ns1``, …) assigned in sorted order. Byte-identical for isomorphic graphs with
    the same prefixes, whatever the process or hash seed. Comments are not kept.

    :param graph: the graph to write; it is not modified.
    :returns: the Turtle text, ending with one newline (empty for an empty graph).
    """
    out = bind_prefixes(Graph(bind_namespaces="none"))
    taken_prefixes = set(PREFIXES)
    taken_iris = set(PREFIXES.values())
    for prefix, iri in sorted(graph.namespaces()):
        if prefix and prefix not in taken_prefixes and str(iri) not in taken_iris:
            out.bind(prefix, iri, override=False)
            taken_prefixes.add(prefix)
            taken_iris.add(str(iri))
    out.addN((s, p, o, out) for s, p, o in graph.triples((None, None, None)))
    # The serializer names unknown predicate namespaces in the order it meets them,
    # which follows set iteration: name them first, in sorted order.
    for predicate in sorted({str(p) for p in out.predicates()}):
        try:
            out.namespace_manager.compute_qname(predicate, generate=True)
        except ValueError:
            continue
    text = out.serialize(format="longturtle", canon=_has_blank_nodes(out))
    text = text.strip("\n")
    return text + "\n" if text else ""


def _has_blank_nodes(graph: Graph) -> bool:
    """Whether ``longturtle`` must canonicalise ``graph`` (``canon=True``) for its Turtle to be deterministic.

    Canonicalisation relabels blank nodes; it also writes the whole graph as N-Triples,
    sorts and parses it again. Without a blank node it leaves the same triples, and the
    serializer sorts subjects, properties and objects itself: the same bytes (checked on
    246 blank-node-free files of the repository), in half the time: 5.5 s instead of
    12.1 s of CPU for the 80,573 triples of the 5k-row synthetic workspace of
    ``bench/sheet_rows.py`` (``bench/SHEETS.md``).
    """
    return any(isinstance(term, BNode) for triple in graph for term in triple)


def write_canonical(path: str | os.PathLike[str], graph: Graph) -> bool:
    """Write ``graph`` to ``path`` as :func:`canonical_turtle`, atomically.

    :returns: True when the file changed; an identical file is left untouched.
    """
    path = Path(path)
    text = canonical_turtle(graph)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_atomically(path, text.encode("utf-8"), durable=True)
    return True


def format_file(path: str | os.PathLike[str], *, check: bool = False) -> bool:
    """Bring a Turtle file to its canonical form.

    :param path: the file.
    :param check: only tell, never write.
    :returns: True when the file differs from its canonical form (and, unless
        ``check``, was rewritten).
    :raises PickgError: as :func:`parse_file`.
    """
    path = Path(path)
    graph = parse_file(path)
    text = canonical_turtle(graph)
    if path.read_text(encoding="utf-8") == text:
        return False
    if not check:
        write_atomically(path, text.encode("utf-8"), durable=True)
    return True
