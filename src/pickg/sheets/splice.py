"""A data file in canonical form with a few subjects changed, without serialising it again.

:func:`splice` gives the text :func:`pickg.graph.canonical.canonical_turtle` would give
for the file with the workbook's changes, by writing again only the blocks of the
subjects that changed and putting every block where the canonical order puts it. It
answers None whenever it cannot be sure of that text (blank nodes, a file not in
canonical form, a prefix that would appear), and the caller serialises the whole graph
as before. The file is never held whole: it is read line by line once for its blocks'
places, and the new text is written piece by piece (:meth:`Splice.write`), each kept
block read again from the file at its place.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node, URIRef

from pickg.graph.canonical import canonical_turtle
from pickg.graph.rdfio import oxigraph_would_differ, read_quads
from pickg.graph.terms import rdflib_term, to_ox
from pickg.sheets.review import Triple

__all__ = ["FileChanged", "Splice", "splice", "spliced_turtle"]

_RDFS_CLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#Class")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Past this many changed subjects, serialising the whole file is as quick.
_MOST = 2000


_END = b"\n.\n\n"  # the end of a block and the blank line after it


@dataclass
class _Layout:
    """A canonical file's prefixes, and each subject block's place (start, end: the
    block ends with its ``.``) and first line."""

    prefixes: dict[str, str]
    blocks: list[tuple[int, int]]
    heads: list[bytes]


def _layout(handle: BinaryIO) -> _Layout | None:
    """The :class:`_Layout` of the canonical file open in ``handle``, read line by line
    (never held whole), or None when it is not laid out as canonical Turtle is or holds a
    term pyoxigraph reads differently from rdflib
    (:func:`pickg.graph.rdfio.oxigraph_would_differ`, asked a few megabytes of whole
    blocks at a time: a term never spans two blocks)."""
    prefixes: dict[str, str] = {}
    lines = iter(handle)
    at = 0
    line = next(lines, b"")
    while line.startswith(b"PREFIX "):  # the header canonical Turtle writes: PREFIX name: <iri>
        try:
            text = line[len(b"PREFIX ") :].decode("utf-8")
        except UnicodeDecodeError:
            return None
        name, colon, iri = text.partition(": <")
        if not text.endswith(">\n") or not colon:
            return None
        prefixes[name] = iri[:-2]
        at += len(line)
        line = next(lines, b"")
    if line != b"\n":
        return None
    at += 1
    blocks: list[tuple[int, int]] = []
    heads: list[bytes] = []
    window: list[bytes] = []
    window_size = 0
    start, head, last = at, None, b""
    for line in lines:
        if head is None:
            head = line.rstrip(b"\n")
        elif line == b"\n" and last == b".\n":  # "\n.\n\n": the block ends
            blocks.append((start, at - 1))
            heads.append(head)
            if window_size >= 1 << 22:
                if oxigraph_would_differ(b"".join(window).decode("utf-8", "replace")):
                    return None
                window, window_size = [], 0
            start, head = at + 1, None
            at, last = at + 1, line
            continue
        window.append(line)
        window_size += len(line)
        at += len(line)
        last = line
    if head is None or last != b".\n":
        return None  # the file ends as canonical Turtle does: a block, then "\n.\n"
    blocks.append((start, at - 1))
    heads.append(head)
    if oxigraph_would_differ(b"".join(window).decode("utf-8", "replace")):
        return None
    return _Layout(prefixes, blocks, heads)


def _read(handle: BinaryIO, place: tuple[int, int]) -> bytes:
    handle.seek(place[0])
    return handle.read(place[1] - place[0])


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


class FileChanged(Exception):
    """The file a :class:`Splice` keeps blocks of is no longer the one it read."""


def _stamp(handle: BinaryIO) -> tuple[int, int, int]:
    status = os.fstat(handle.fileno())
    return status.st_ino, status.st_size, status.st_mtime_ns


@dataclass
class Splice:
    """A file's new text: its header, then each block, either a place in the file at
    ``path`` (read again from it when written) or new text. ``stamp`` is the file's
    inode, size and time when it was read: another file there is never read by place."""

    path: Path
    stamp: tuple[int, int, int]
    header: bytes
    pieces: list[tuple[int, int] | bytes]

    def chunks(self) -> Iterator[bytes]:
        """The new text, piece by piece (a kept block read from the file as it comes).

        :raises FileChanged: the file was changed or replaced since it was read.
        """
        with open(self.path, "rb") as handle:
            if _stamp(handle) != self.stamp:
                raise FileChanged(self.path)
            yield self.header
            for piece in self.pieces:
                yield b"\n"
                yield _read(handle, piece) if isinstance(piece, tuple) else piece
                yield b"\n"

    def write(self, handle: BinaryIO) -> None:
        """Write the new text into ``handle``."""
        for chunk in self.chunks():
            handle.write(chunk)

    def unchanged(self) -> bool:
        """Whether the new text is the file's, byte for byte."""
        with open(self.path, "rb") as old:
            return all(old.read(len(chunk)) == chunk for chunk in self.chunks()) and old.read(1) == b""


def spliced_turtle(path: Path, adding: set[Triple], removing: set[Triple]) -> str | None:
    """:func:`splice` of the file, as text."""
    done = splice(path, adding, removing)
    return None if done is None else b"".join(done.chunks()).decode("utf-8")


def splice(path: Path, adding: set[Triple], removing: set[Triple]) -> Splice | None:
    """The canonical Turtle of the file at ``path`` once ``removing``
    leaves it and ``adding`` joins it; None when only a whole serialisation can tell.

    The canonical form (rdflib's ``longturtle``) writes one block per subject, ordered by
    the number of triples naming the subject as their object, then by IRI; the prefixes
    it uses come first. The file is read once as a stream (Oxigraph's parser) for those
    counts and the changed subjects' triples; their blocks are written by
    :func:`~pickg.graph.canonical.canonical_turtle` on their triples alone; every other
    block is kept as a place in the file. On the 5k-row synthetic workspace of
    ``bench/sheet_rows.py`` (one file of 80,573 triples), a ``--write`` of one edited cell
    spends 1.2 s here instead of 6.4 s parsing the file into rdflib and serialising it;
    at 47,899 rows (a file of 47 MB), holding the blocks' places instead of the text
    (held as UCS-2, twice) and its blocks lowers the write's peak by about 200 MiB
    (``bench/SHEETS.md``).
    """
    changed = {t[0] for t in adding | removing}
    if len(changed) > _MOST:
        return None
    with open(path, "rb") as handle:
        layout = _layout(handle)
        return None if layout is None else _splice(path, handle, layout, changed, adding, removing)


def _splice(
    path: Path, handle: BinaryIO, layout: _Layout, changed: set[URIRef], adding: set[Triple], removing: set[Triple]
) -> Splice | None:
    prefixes, blocks = layout.prefixes, layout.blocks
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
    for subject, block, head in zip(old_order, blocks, layout.heads, strict=True):
        if not _names(head, subject.value, prefixes):  # type: ignore[attr-defined]
            return None
        place[subject] = block
    del old_order, layout
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
        small = _layout(io.BytesIO(small_text))
        if small is None or len(small.blocks) != 1:
            return None
        block_bytes = small_text[small.blocks[0][0] : small.blocks[0][1]]
        if not _names(block_bytes.split(b"\n", 1)[0], str(subject), prefixes):
            return None
        if any(prefixes.get(prefix) != iri for prefix, iri in small.prefixes.items()):
            return None  # a prefix the file has not: the whole file tells the header
        old = place.get(subject_ox)
        same = isinstance(old, tuple) and _read(handle, old) == block_bytes
        place[subject_ox] = old if same and old is not None else block_bytes
    order = sorted(subjects, key=lambda s: (refs[s], str(s.value)))  # type: ignore[attr-defined]
    used = [p for p in prefixes if uses[p] > 0]
    if not order:
        return Splice(path, _stamp(handle), b"", [])
    header = "".join(f"PREFIX {p}: <{prefixes[p]}>\n" for p in used).encode("utf-8")
    return Splice(path, _stamp(handle), header, [place[subject] for subject in order])
