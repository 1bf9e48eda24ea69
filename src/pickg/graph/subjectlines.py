"""Where a resource is described in a Turtle file: the line of its first statement.

No RDF parser that pickg uses gives the position of a triple, yet someone fixing a
problem in a Turtle file needs the line. :func:`subject_lines` finds it with a light
scan of the text: a lexer that knows Turtle's strings, IRIs, comments, brackets and
statement ends, and notes the line on which each statement's subject begins (an IRI
written in full, relative or prefixed, resolved as the parser resolves it). Nothing
else is parsed: the triples themselves come from :mod:`pickg.graph.rdfio`.

It reads Turtle, N-Triples and N-Quads (whose statements begin with their subject too);
for another format, a blank node, or a subject the scan cannot place, it gives no line
rather than a wrong one. Measured on the shipped data: 4 ms to place the 17 focus
nodes of its warnings in ``data/neighbourhoods.ttl`` (38 KB); 7 ms for all 58 of the
file's subjects; 0.17 s for the 1,328 subjects of the 216 Turtle files of the data,
the ontology and the shape tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from urllib.parse import urljoin

from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.formats import formats_of
from pickg.graph.inputs import input_base, input_bytes

__all__ = ["LINE_FORMATS", "described_lines", "subject_lines"]

#: The formats (rdflib names, as :func:`pickg.graph.formats.formats_of` gives them) whose
#: statements begin with their subject, where a line can be found.
LINE_FORMATS = frozenset({"turtle", "nt", "nquads"})

# A character that may stand in a prefixed name, number or keyword (Turtle's PN_CHARS and
# friends, loosely): anything but white space and the characters that end a name.
_NAME_CHAR = r"[^\s<>\"'()\[\],;{}#^|\\.]"
# An escaped character of a local name (Turtle's PN_LOCAL_ESC).
_NAME_ESCAPE = r"\\[_~.\-!$&'()*+,;=/?\#@%]"
_TOKENS = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<open>\[|\(|<<|\{\|)
    | (?P<close>\]|\)|>>|\|\})
    | (?P<end>\.)
    | (?P<punct>[;,]|\^\^|[{}])
    | (?P<name>(?:NC|ESC|\.(?=[0-9]))(?:NC|ESC|\.+(?=NC))*)
    """.replace("NC", _NAME_CHAR).replace("ESC", _NAME_ESCAPE),
    re.VERBOSE | re.DOTALL,
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


def _iri(token: str, base: str) -> str:
    """The IRI of an ``<…>`` token, escapes decoded and resolved against ``base``."""
    text = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])
    return text if _SCHEME.match(text) else urljoin(base, text)


_DIRECTIVES = ("@prefix", "@base", "prefix", "base")


def _subject(kind: str | None, token: str, base: str, prefixes: dict[str, str]) -> str | None:
    """The IRI a statement's first token names, or None (a blank node, a list, a literal)."""
    if kind == "iri":
        return _iri(token, base)
    if kind == "name" and ":" in token and not token.startswith("_:"):
        prefix, local = token.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


def _scan(text: str, base: str, wanted: Collection[str]) -> dict[str, int]:
    """IRI → line (from 1) of the first statement whose subject it is, for the IRIs of ``wanted``."""
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    line, pos, depth = 1, 0, 0
    at_start = True  # the next token begins a statement
    directive: list[str] = []  # the tokens of an @prefix, @base, PREFIX or BASE so far
    for match in _TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group()
        if match.start() != pos:
            break  # a character no Turtle token begins with: what was found so far stands
        pos = match.end()
        if kind in ("space", "comment"):
            line += token.count("\n")
            continue
        if directive:
            directive.append(token)
            keyword = directive[0].lower()
            if kind == "iri" and len(directive) == (3 if keyword.endswith("prefix") else 2):
                if keyword.endswith("prefix"):
                    prefixes[directive[1].removesuffix(":")] = _iri(token, base)
                else:
                    base = _iri(token, base)
                at_start = not keyword.startswith("@")  # PREFIX and BASE end without a full stop
                directive = []
            elif len(directive) >= 3:
                break  # not a directive as Turtle writes it
            continue
        if at_start:
            at_start = False
            if kind == "name" and token.lower() in _DIRECTIVES:
                directive = [token]
                continue
            iri = _subject(kind, token, base, prefixes)
            if iri is not None and iri in wanted and iri not in found:
                found[iri] = line
                if len(found) == len(wanted):
                    break
        if kind == "string":
            line += token.count("\n")
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "end" and depth == 0:
            at_start = True
    return found


def subject_lines(path: str | os.PathLike[str], nodes: Collection[Node]) -> dict[Node, int]:
    """Node → the line (from 1) of the first statement of ``path`` whose subject it is.

    Only IRIs of ``nodes`` are looked for; a blank node, a file in another format than
    :data:`LINE_FORMATS`, or an IRI the scan does not find as a subject gets no entry.

    :raises PickgError: the file cannot be read (as :func:`pickg.graph.inputs.input_bytes`).
    """
    wanted = {str(node) for node in nodes if isinstance(node, URIRef)}
    if not wanted or formats_of(path)[0] not in LINE_FORMATS:
        return {}
    text = input_bytes(path).decode("utf-8", errors="replace")
    return {URIRef(iri): line for iri, line in _scan(text, input_base(path), wanted).items()}


def described_lines(describing: Mapping[Node, str], sources: Mapping[str, str | os.PathLike[str]]) -> dict[Node, int]:
    """Node → its line in the file that describes it, each file read once.

    :param describing: node → the label of the file that describes it (as the reports
        name files: :func:`pickg.graph.inputs.input_label`).
    :param sources: label → the path of that file; a label not in it gets no line.
    """
    by_file: dict[str, set[Node]] = {}
    for node, label in describing.items():
        if label in sources:
            by_file.setdefault(label, set()).add(node)
    lines: dict[Node, int] = {}
    for label, nodes in by_file.items():
        lines.update(subject_lines(sources[label], nodes))
    return lines
