"""A data file in canonical form with a few subjects changed, without serialising it again.

:func:`spliced_turtle` gives the text :func:`pickg.graph.canonical.canonical_turtle`
would give for the file with the workbook's changes, by writing again only the blocks
of the subjects that changed and putting every block where the canonical order puts
it. It answers None whenever it cannot be sure of that text (blank nodes, a file not
in canonical form, a prefix that would appear), and the caller serialises the whole
graph as before.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from pickg.graph.canonical import canonical_turtle
from pickg.graph.rdfio import oxigraph_would_differ, read_quads
from pickg.graph.terms import rdflib_term, to_ox
from pickg.sheets.review import Triple

__all__ = ["spliced_turtle"]

_RDFS_CLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#Class")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Past this many changed subjects, serialising the whole file is as quick.
_MOST = 2000


def _split(text: str) -> tuple[dict[str, str], list[str]] | None:
    """The prefixes and the subject blocks of a canonical file (each block ends with ``.``)."""
    prefixes: dict[str, str] = {}
    at = 0
    while text.startswith("PREFIX ", at):  # the header canonical Turtle writes: PREFIX name: <iri>
        end = text.find("\n", at)
        name, colon, iri = text[at + len("PREFIX ") : end].partition(": <")
        if end < 0 or not colon or not iri.endswith(">"):
            return None
        prefixes[name] = iri[:-1]
        at = end + 1
    if not text.startswith("\n", at) or not text.endswith("\n.\n"):
        return None
    blocks = []  # each cut from the text once (a split, then each block with its dot, held three copies)
    start, end = at + 1, len(text) - 1
    while (cut := text.find("\n.\n\n", start, end)) >= 0:
        blocks.append(text[start : cut + 2])
        start = cut + 4
    blocks.append(text[start:end])
    return prefixes, blocks


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


def _names(block: str, subject: str, prefixes: dict[str, str]) -> bool:
    """Whether the block's first line writes ``subject`` (as ``<iri>`` or ``prefix:local``)."""
    head = block.split("\n", 1)[0]
    if head.startswith("<"):
        return head == f"<{subject}>"
    prefix, _, local = head.partition(":")
    return prefix in prefixes and prefixes[prefix] + local == subject


def spliced_turtle(path: Path, text: str, adding: set[Triple], removing: set[Triple]) -> str | None:
    """The canonical Turtle of the file at ``path`` (whose text is ``text``) once ``removing``
    leaves it and ``adding`` joins it; None when only a whole serialisation can tell.

    The canonical form (rdflib's ``longturtle``) writes one block per subject, ordered by
    the number of triples naming the subject as their object, then by IRI; the prefixes
    it uses come first. The file is read once as a stream (Oxigraph's parser) for those
    counts and the changed subjects' triples; their blocks are written by
    :func:`~pickg.graph.canonical.canonical_turtle` on their triples alone; every other
    block is kept as its text. On the 5k-row synthetic workspace of ``bench/sheet_rows.py``
    (one file of 80,573 triples), a ``--write`` of one edited cell spends 1.2 s here
    instead of 6.4 s parsing the file into rdflib and serialising it (``bench/SHEETS.md``).
    """
    split = _split(text)
    changed = {t[0] for t in adding | removing}
    if split is None or len(changed) > _MOST or oxigraph_would_differ(text):
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
    old_order = sorted(subjects, key=lambda s: (refs[s], str(s.value)))  # type: ignore[attr-defined]
    if len(old_order) != len(blocks):
        return None
    text_of: dict[object, str] = {}
    for subject, block in zip(old_order, blocks, strict=True):
        if not _names(block, subject.value, prefixes):  # type: ignore[attr-defined]
            return None
        text_of[subject] = block
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
        small = _split(canonical_turtle(graph))
        if small is None or len(small[1]) != 1 or not _names(small[1][0], str(subject), prefixes):
            return None
        if any(prefixes.get(prefix) != iri for prefix, iri in small[0].items()):
            return None  # a prefix the file has not: the whole file tells the header
        text_of[subject_ox] = small[1][0]
    order = sorted(subjects, key=lambda s: (refs[s], str(s.value)))  # type: ignore[attr-defined]
    used = [p for p in prefixes if uses[p] > 0]
    if not order:
        return ""
    parts = [f"PREFIX {p}: <{prefixes[p]}>\n" for p in used]
    for subject in order:  # joined once: the body, then the whole, would copy every block twice
        parts += ["\n", text_of[subject], "\n"]
    return "".join(parts)
