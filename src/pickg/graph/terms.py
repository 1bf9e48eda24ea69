"""rdflib terms and pyoxigraph terms, and the decimals Oxigraph rewrites.

The one place where terms cross between the two libraries:

* :func:`to_ox` (rdflib → pyoxigraph) and :func:`rdflib_term` (pyoxigraph → rdflib)
  convert one term; their parameters are where callers really differ (a prefix for
  blank node labels, new blank nodes for each file read, decimals as written or with
  their point put back);
* :func:`from_ox` is :func:`rdflib_term` for what a store gives back, through a cache
  kept between calls;
* :func:`converted_triples` converts every term of many triples, each distinct term once;
* :func:`term_json` and :func:`json_term` write an rdflib term as a JSON list and read it
  back, for what a cache keeps (never pickle).

Oxigraph keeps numbers in their XSD 1.1 canonical form: the decimal written
``23000000.0`` in a Turtle file comes back as ``"23000000"^^xsd:decimal``. rdflib, the
curated files and every release write it with its decimal point. :func:`from_ox` and
:class:`DecimalPointWriter` put the point back, so both stores give the same terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from pickg.graph.errors import InputError

__all__ = [
    "XSD_DECIMAL",
    "DecimalPointWriter",
    "converted_triples",
    "bounded_conversions",
    "forget_converted",
    "from_ox",
    "json_term",
    "rdflib_term",
    "term_json",
    "to_ox",
    "triple_to_ox",
    "with_decimal_point",
    "with_decimal_points",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def term_json(node: Node | None) -> list[str] | None:
    """``node`` as a JSON-ready list (``["u", iri]``, ``["b", label]``, ``["l", lexical,
    language, datatype]``), None as None: :func:`json_term` reads it back."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ["u", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), node.language or "", str(node.datatype or "")]
    raise TypeError(f"not an RDF term: {node!r}")


def json_term(data: list[str] | None) -> Any:
    """The term :func:`term_json` wrote (None for None).

    :raises ValueError, TypeError: ``data`` is not such a list.
    """
    if data is None:
        return None
    kind, value, *rest = data
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    if kind == "l":
        lang, datatype = rest
        return Literal(value, lang=lang or None, datatype=URIRef(datatype) if datatype else None)
    raise ValueError(f"unknown term kind {kind!r}")


_From = TypeVar("_From")
_To = TypeVar("_To")


def to_ox(term: Node, bnode_prefix: str = "") -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term; blank node labels get ``bnode_prefix``.

    :raises InputError: ``term`` is not an IRI, a blank node or a literal, or is not
        valid RDF (an IRI with a space, a bad language tag).
    """
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(bnode_prefix + str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise InputError(f"the term {term.n3()} is not valid RDF ({exc}); correct it in the data") from None
    raise InputError(f"{term!r} is not an IRI, a blank node or a literal; give an RDF term")


def triple_to_ox(s: Node, p: Node, o: Node, bnode_prefix: str = "") -> ox.Triple:
    """The pyoxigraph triple for an rdflib triple (:func:`to_ox` for each term).

    :raises InputError: a term is not valid RDF, the subject is a literal or the
        predicate is not an IRI (rdflib allows both, RDF does not).
    """
    subject, predicate = to_ox(s, bnode_prefix), to_ox(p, bnode_prefix)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise InputError(f"({s.n3()} {p.n3()} …) is not an RDF triple: a literal subject or a predicate that is no IRI")
    return ox.Triple(subject, predicate, to_ox(o, bnode_prefix))


#: The lexical form of an integer: a decimal Oxigraph wrote without its point (an
#: ill-typed one, such as ``"abc"``, is left as it is).
_INTEGER_FORM = re.compile(r"[+-]?[0-9]+")


def rdflib_term(term: Any, *, decimal_point: bool = True, new_bnodes: bool = False) -> Node:
    """The rdflib term for a pyoxigraph term, as rdflib's parser makes it from Turtle.

    ``xsd:string`` literals become plain literals; ``Literal(lexical, datatype=…)``
    normalises as the parser does (``"01"^^xsd:integer`` becomes ``"1"``, ``1e3``
    becomes ``"1000.0"``, ``1.50`` stays ``"1.50"``).

    :param decimal_point: write a decimal without a point ``"N.0"``: what a store gives
        back (Oxigraph's canonical ``23000000`` for the ``23000000.0`` of the data).
        Terms read from a file keep their lexical form as written: pass False for them.
    :param new_bnodes: a new rdflib blank node for every blank node (call it once per
        distinct term: rdflib's parser does so, and the blank nodes of two files never
        merge); else the blank node keeps its label.
    :raises ValueError: an RDF 1.2 triple term, which rdflib has not.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode() if new_bnodes else BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        if decimal_point and datatype == XSD_DECIMAL and "." not in term.value and _INTEGER_FORM.fullmatch(term.value):
            return Literal(term.value + ".0", datatype=URIRef(datatype))
        return Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"unsupported pyoxigraph term {term!r}")


def converted_triples(statements: Iterable[Any], convert: Callable[[_From], _To]) -> list[tuple[_To, _To, _To]]:
    """The triples of ``statements``, each term through ``convert``, each distinct term once.

    ``statements``: rdflib triples, pyoxigraph triples or quads (graph names dropped).
    ``convert`` is called once per distinct term (the first time it is met); the
    triples of a graph repeat the same IRIs, so most terms are found in a dictionary,
    and the lookup is written inline (``get(t) or first(t)``), a function call only on
    a miss.

    Measured on 105,030 synthetic triples (``pickg synth -n 535``), pyoxigraph to
    rdflib, the cycle collector paused, medians of 7 alternating runs in one process:
    182 ms, against 448 ms converting every term (2.5× faster) and 203 ms calling a
    memoising function for every term (1.1×); on a busier machine 564 ms against
    981 ms converting every term (1.7×).
    """
    memo: dict[Any, Any] = {}
    get = memo.get

    def first(term: Any) -> Any:
        found = memo[term] = convert(term)
        return found

    return [(get(s) or first(s), get(p) or first(p), get(o) or first(o)) for s, p, o, *_ in statements]


#: Terms already converted: rows repeat the same IRIs and labels, and building an
#: rdflib term (a literal above all) costs far more than a dictionary lookup.
_CONVERTED: dict[Any, Node] = {}
_cache_limit = 1 << 18  # bounded_conversions lowers it for a while


def from_ox(term: Any) -> Node:
    """The rdflib term for a pyoxigraph term a store gives back (:func:`rdflib_term`), cached.

    ``xsd:string`` literals become plain literals. Oxigraph keeps numbers in their
    XSD 1.1 canonical form (``23000000`` for the decimal ``23000000.0``); decimals
    come back with their decimal point, as rdflib and the Turtle files write them,
    so both stores give the same terms.

    The cache is kept between calls (up to 262,144 terms, then emptied): the rows of
    one query and of the next repeat the same IRIs and labels. Measured on a store of
    105,030 synthetic triples (``pickg synth -n 535``), converting every value of
    ``SELECT ?s ?p ?o``, medians of 7 alternating runs in one process: 993 ms with the
    cache emptied before the query and 758 ms with the cache filled by an earlier run
    of it, against 2,562 ms converting every value (2.6× and 3.4× faster).
    """
    found = _CONVERTED.get(term)
    if found is not None:
        return found
    converted = rdflib_term(term)
    if len(_CONVERTED) >= _cache_limit:
        _CONVERTED.clear()
    _CONVERTED[term] = converted
    return converted


def forget_converted() -> None:
    """Empty :func:`from_ox`'s cache: for a caller done with a store's terms (at 47,899
    rows of ``bench/sheet_rows.py``, a review's reading of its rows leaves 66,896 terms
    there, about 60 MB)."""
    _CONVERTED.clear()


@contextmanager
def bounded_conversions(limit: int) -> Iterator[None]:
    """Keep at most ``limit`` terms in :func:`from_ox`'s cache for a while, emptied on
    entry and on exit: for a caller that reads many distinct terms once each, where the
    cache would mostly hold memory. A review's reading of 47,899 rows
    (``bench/sheet_rows.py``) keeps the same CPU time with 16,384 terms and peaks
    about 11 MiB lower than with the 66,896 it would otherwise keep."""
    global _cache_limit
    before = _cache_limit
    _CONVERTED.clear()
    _cache_limit = limit
    try:
        yield
    finally:
        _cache_limit = before
        _CONVERTED.clear()


# How Oxigraph ends a decimal literal, in N-Triples and in Turtle with the xsd: prefix.
_DECIMAL_SUFFIXES = (b'"^^<http://www.w3.org/2001/XMLSchema#decimal>', b'"^^xsd:decimal')
_DIGITS = frozenset(b"0123456789")


def with_decimal_points(chunk: bytes) -> bytes:
    """``chunk`` with every ``"N"^^xsd:decimal`` written ``"N.0"^^xsd:decimal``.

    A literal's opening quote follows a space or a comma (inside a literal a quote is
    always escaped), so only real decimal literals match. Uses ``bytes.find``: the
    suffixes are rare next to the size of a dump.
    """
    parts: list[bytes] = []
    done = 0
    for suffix in _DECIMAL_SUFFIXES:
        if suffix not in chunk:
            continue
        edits: list[int] = []
        at = chunk.find(suffix)
        while at >= 0:
            i = at - 1
            while i >= 0 and chunk[i] in _DIGITS:
                i -= 1
            if i >= 0 and chunk[i] in b"+-":
                i -= 1
            if i < at - 1 and i >= 1 and chunk[i] == 0x22 and chunk[i - 1] in b" \t,":
                edits.append(at)
            at = chunk.find(suffix, at + len(suffix))
        if edits:
            parts, done = [], 0
            for position in edits:
                parts += [chunk[done:position], b".0"]
                done = position
            parts.append(chunk[done:])
            chunk = b"".join(parts)
    return chunk


class DecimalPointWriter:
    """A binary sink that rewrites ``"N"^^xsd:decimal`` as ``"N.0"^^xsd:decimal``, line by line."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.pending = b""

    def write(self, data: bytes) -> int:
        buffer = self.pending + bytes(data)
        cut = buffer.rfind(b"\n") + 1
        self.pending = buffer[cut:]
        if cut:
            self.target.write(with_decimal_points(buffer[:cut]))
        return len(data)

    def flush(self) -> None:
        self.target.flush()

    def close(self) -> None:
        if self.pending:
            self.target.write(with_decimal_points(self.pending))
            self.pending = b""
        self.target.flush()


def with_decimal_point(quad: ox.Quad) -> ox.Quad:
    """``quad`` with a decimal object written ``"N.0"`` when Oxigraph dropped its point.

    Quads read from an Oxigraph store have ``"23000000"^^xsd:decimal`` where the files
    say ``23000000.0``; the release writers (:mod:`pickg.release.dumps`) write terms as given.
    """
    obj = quad.object
    if isinstance(obj, ox.Literal) and obj.datatype.value == XSD_DECIMAL and "." not in obj.value:
        return ox.Quad(
            quad.subject, quad.predicate, ox.Literal(obj.value + ".0", datatype=obj.datatype), quad.graph_name
        )
    return quad
