"""A data file in canonical form with a few subjects changed, without serialising it again.

:func:`splice` gives the text :func:`pickg.graph.canonical.canonical_turtle` would give
for the file with the workbook's changes, by writing again only the blocks of the
subjects that changed and putting every block where the canonical order puts it. It
answers None whenever it cannot be sure of that text (blank nodes, a file not in
canonical form, a prefix that would appear), and the caller serialises the whole graph
as before. The file is held as its bytes and its blocks as places in them: the new
text is written piece by piece (:meth:`Splice.write`), never held whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from pickg.graph.canonical import canonical_turtle
from pickg.graph.rdfio import oxigraph_would_differ, read_quads
from pickg.graph.terms import rdflib_term, to_ox
from pickg.sheets.review import Triple

__all__ = ["Splice", "splice", "spliced_turtle"]

_RDFS_CLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#Class")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Past this many changed subjects, serialising the whole file is as quick.
_MOST = 2000


_END = b"\n.\n\n"  # the end of a block and the blank line after it


def _split(data: bytes) -> tuple[dict[str, str], list[tuple[int, int]]] | None:
    """The prefixes of a canonical file and the place (start, end) of each subject
    block in ``data`` (each block ends with ``.``)."""
    prefixes: dict[str, str] = {}
    at = 0
    while data.startswith(b"PREFIX ", at):  # the header canonical Turtle writes: PREFIX name: <iri>
        end = data.find(b"\n", at)
        try:
            line = data[at + len(b"PREFIX ") : end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        name, colon, iri = line.partition(": <")
        if end < 0 or not colon or not iri.endswith(">"):
            return None
        prefixes[name] = iri[:-1]
        at = end + 1
    if not data.startswith(b"\n", at) or not data.endswith(b"\n.\n"):
        return None
    blocks = []
    start, end = at + 1, len(data) - 1
    while (cut := data.find(_END, start, end)) >= 0:
        blocks.append((start, cut + 2))
        start = cut + len(_END)
    blocks.append((start, end))
    return prefixes, blocks


def _would_differ(data: bytes, blocks: list[tuple[int, int]]) -> bool:
    """:func:`pickg.graph.rdfio.oxigraph_would_differ` on the blocks, read a few
    megabytes at a time (a term never spans two blocks): the file is never held as text."""
    first = 0
    for index, (_start, end) in enumerate(blocks):
        if end - blocks[first][0] >= 1 << 22 or index == len(blocks) - 1:
            if oxigraph_would_differ(data[blocks[first][0] : end].decode("utf-8")):
                return True
            first = index + 1
    return False


def _namespaces(
    terms: tuple[object, object, object], prefixes: dict[str, str], memo: dict[str, list[str]]
) -> list[str]:
    """The prefixes whose namespace holds an IRI of ``terms`` or a literal's datatype: the
    serializer declares a prefix it names any of them with (even a number written bare).
    ``memo`` keeps each IRI's answer: a file repeats the same IRIs."""
    found = []
    for term in terms:
        iri = term.datatype.value if isinstance(term, ox.Literal) else getattr(term, "value", "")
        if iri not in memo:
            memo[iri] = [p for p, space in prefixes.items() if iri.startswith(space)]
        found += memo[iri]
    return found


def _names(head: bytes, subject: str, prefixes: dict[str, str]) -> bool:
    """Whether the block whose first line is ``head`` writes ``subject`` (as ``<iri>`` or ``prefix:local``)."""
    line = head.decode("utf-8", "replace")
    if line.startswith("<"):
        return line == f"<{subject}>"
    prefix, _, local = line.partition(":")
    return prefix in prefixes and prefixes[prefix] + local == subject


def _head(data: bytes, block: tuple[int, int]) -> bytes:
    end = data.find(b"\n", block[0], block[1])
    return data[block[0] : block[1] if end < 0 else end]


@dataclass
class Splice:
    """A file's new text: its header, then each block, either a place in the old bytes
    ``data`` or new text."""

    data: bytes
    header: bytes
    pieces: list[tuple[int, int] | bytes]

    def chunks(self) -> Iterator[bytes | memoryview]:
        """The new text, piece by piece (no copy of a kept block)."""
        view = memoryview(self.data)
        yield self.header
        for piece in self.pieces:
            yield b"\n"
            yield view[piece[0] : piece[1]] if isinstance(piece, tuple) else piece
            yield b"\n"

    def write(self, handle: BinaryIO) -> None:
        """Write the new text into ``handle``."""
        for chunk in self.chunks():
            handle.write(chunk)

    def unchanged(self) -> bool:
        """Whether the new text is the old one, byte for byte."""
        at = 0
        for chunk in self.chunks():
            if self.data[at : at + len(chunk)] != chunk:
                return False
            at += len(chunk)
        return at == len(self.data)


def spliced_turtle(path: Path, text: str, adding: set[Triple], removing: set[Triple]) -> str | None:
    """:func:`splice` of the file's text, as text."""
    done = splice(path, text.encode("utf-8"), adding, removing)
    return None if done is None else b"".join(done.chunks()).decode("utf-8")


def splice(path: Path, data: bytes, adding: set[Triple], removing: set[Triple]) -> Splice | None:
    """The canonical Turtle of the file at ``path`` (whose bytes are ``data``) once ``removing``
    leaves it and ``adding`` joins it; None when only a whole serialisation can tell.

    The canonical form (rdflib's ``longturtle``) writes one block per subject, ordered by
    the number of triples naming the subject as their object, then by IRI; the prefixes
    it uses come first. The file is read once as a stream (Oxigraph's parser) for those
    counts and the changed subjects' triples; their blocks are written by
    :func:`~pickg.graph.canonical.canonical_turtle` on their triples alone; every other
    block is kept as a place in ``data``. On the 5k-row synthetic workspace of
    ``bench/sheet_rows.py`` (one file of 80,573 triples), a ``--write`` of one edited cell
    spends 1.2 s here instead of 6.4 s parsing the file into rdflib and serialising it;
    at 47,899 rows (a file of 47 MB), holding the bytes and the blocks' places instead of
    the text (held as UCS-2, twice) and its blocks lowers the write's peak by
    about 150 MiB (``bench/SHEETS.md``).
    """
    split = _split(data)
    changed = {t[0] for t in adding | removing}
    if split is None or len(changed) > _MOST or _would_differ(data, split[1]):
        return None
    prefixes, blocks = split
    spaces = sorted(prefixes.values())
    if any(b.startswith(a) for a, b in zip(spaces, spaces[1:], strict=False)):
        return None  # a namespace inside another: which prefix a name takes is the serializer's call
    uses: Counter[str] = Counter()
    memo: dict[str, list[str]] = {}
    changed_ox: dict[object, Node] = {to_ox(s): s for s in changed}
    refs: Counter[object] = Counter()
    subjects: dict[object, None] = {}
    kept: list[tuple[object, object, object]] = []
    named: dict[object, int] = {}  # IRI (a literal's datatype) → how many triples name it
    for quad in read_quads(path):
        s, p, o = quad.subject, quad.predicate, quad.object
        if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
            return None
        if p == _RDF_TYPE and o == _RDFS_CLASS:
            return None  # the serializer puts classes first
        if not isinstance(o, ox.Literal):  # only a subject's count orders: a literal is none
            refs[o] += 1
        subjects[s] = None
        for term in (s, p, o.datatype if isinstance(o, ox.Literal) else o):
            named[term] = named.get(term, 0) + 1
        if s in changed_ox:
            kept.append((s, p, o))
    for iri, count in named.items():  # each IRI's prefixes looked up once, not for every triple
        for prefix in _namespaces((iri, None, None), prefixes, memo):
            uses[prefix] += count
    del named
    old_order = sorted(subjects, key=lambda s: (refs[s], str(s.value)))  # type: ignore[attr-defined]
    if len(old_order) != len(blocks):
        return None
    place: dict[object, tuple[int, int] | bytes] = {}
    for subject, block in zip(old_order, blocks, strict=True):
        if not _names(_head(data, block), subject.value, prefixes):  # type: ignore[attr-defined]
            return None
        place[subject] = block
    del old_order
    graphs: dict[Node, Graph] = {s: Graph(bind_namespaces="none") for s in changed}
    convert = partial(rdflib_term, decimal_point=False)
    for ks, kp, ko in kept:
        graphs[changed_ox[ks]].add((convert(ks), convert(kp), convert(ko)))
    for triple in removing:
        graphs[triple[0]].remove(triple)
        terms = (to_ox(triple[0]), to_ox(triple[1]), to_ox(triple[2]))
        if not isinstance(terms[2], ox.Literal):
            refs[terms[2]] -= 1
        uses.subtract(_namespaces(terms, prefixes, memo))
    for triple in adding:
        graphs[triple[0]].add(triple)
        terms = (to_ox(triple[0]), to_ox(triple[1]), to_ox(triple[2]))
        if not isinstance(terms[2], ox.Literal):
            refs[terms[2]] += 1
        subjects[terms[0]] = None
        uses.update(_namespaces(terms, prefixes, memo))
    for subject_ox, subject in changed_ox.items():
        graph = graphs[subject]
        if not len(graph):
            subjects.pop(subject_ox, None)
            continue
        for prefix, iri in prefixes.items():
            graph.bind(prefix, iri, override=False)
        small_text = canonical_turtle(graph).encode("utf-8")
        small = _split(small_text)
        if small is None or len(small[1]) != 1:
            return None
        block_bytes = small_text[small[1][0][0] : small[1][0][1]]
        if not _names(_head(block_bytes, (0, len(block_bytes))), str(subject), prefixes):
            return None
        if any(prefixes.get(prefix) != iri for prefix, iri in small[0].items()):
            return None  # a prefix the file has not: the whole file tells the header
        old = place.get(subject_ox)
        same = isinstance(old, tuple) and data[old[0] : old[1]] == block_bytes
        place[subject_ox] = old if same and old is not None else block_bytes
    order = sorted(subjects, key=lambda s: (refs[s], str(s.value)))  # type: ignore[attr-defined]
    used = [p for p in prefixes if uses[p] > 0]
    if not order:
        return Splice(data, b"", [])
    header = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in used).encode("utf-8")
    return Splice(data, header, [place[subject] for subject in order])
