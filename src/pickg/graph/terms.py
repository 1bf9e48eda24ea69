"""rdflib terms and pyoxigraph terms, and the decimals Oxigraph rewrites.

Oxigraph keeps numbers in their XSD 1.1 canonical form: the decimal written
``23000000.0`` in a Turtle file comes back as ``"23000000"^^xsd:decimal``. rdflib, the
curated files and every release write it with its decimal point. :func:`from_ox` and
:class:`DecimalPointWriter` put the point back, so both stores give the same terms.
"""

from __future__ import annotations

from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from pickg.graph.errors import InputError

__all__ = ["XSD_DECIMAL", "DecimalPointWriter", "from_ox", "to_ox", "with_decimal_point", "with_decimal_points"]


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term.

    :raises InputError: ``term`` is not an IRI, a blank node or a literal.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise InputError(f"{term!r} is not an IRI, a blank node or a literal; give an RDF term")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


#: Terms already converted: rows repeat the same IRIs and labels, and building an
#: rdflib term (a literal above all) costs far more than a dictionary lookup.
_CONVERTED: dict[Any, Node] = {}
_CACHE_LIMIT = 1 << 18


def from_ox(term: Any) -> Node:
    """The rdflib term for a pyoxigraph term.

    ``xsd:string`` literals become plain literals. Oxigraph keeps numbers in their
    XSD 1.1 canonical form (``23000000`` for the decimal ``23000000.0``); decimals
    come back with their decimal point, as rdflib and the Turtle files write them,
    so both stores give the same terms.
    """
    found = _CONVERTED.get(term)
    if found is not None:
        return found
    converted = _convert(term)
    if len(_CONVERTED) >= _CACHE_LIMIT:
        _CONVERTED.clear()
    _CONVERTED[term] = converted
    return converted


def _convert(term: Any) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        if datatype == XSD_DECIMAL and "." not in term.value:
            return Literal(term.value + ".0", datatype=URIRef(datatype))
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported pyoxigraph term {term!r}")


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
