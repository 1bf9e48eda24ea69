"""The shapes compiled to SPARQL, cached by the shape files' bytes.

Compiling the shapes (:func:`pickg.validation.compiler.compile_shapes`) depends only on the
files of ``ontology/shapes/`` and on the compiler, never on the data, so
:func:`compiled_shapes` keeps the compiled checks in the content-addressed cache
(:mod:`pickg.graph.cache`) under a key made of the shape files' names and bytes, the
compiler's source, pickg's and rdflib's versions. A run with the same shapes then
neither parses the shape files nor compiles them. A set of shapes with a feature the
compiler leaves to pySHACL is never cached: pySHACL needs the parsed shapes anyway.
``PICKG_CACHE_DIR=off`` turns the cache off; a damaged entry is rebuilt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from pickg.graph.workspace import Workspace, package_version

__all__ = ["compiled_shapes"]

_KIND = "compiled-shapes"


def _term(node: Node | None) -> list[str] | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ["u", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), node.language or "", str(node.datatype or "")]
    raise TypeError(f"not an RDF term: {node!r}")


def _node(data: list[str] | None) -> Any:
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


def _encode(compiled: Any) -> str:
    checks = [
        [_term(c.shape), _term(c.path), _term(c.severity), _term(c.component), c.query, [_term(m) for m in c.messages]]
        for c in compiled.checks
    ]
    return json.dumps({"checks": checks}, ensure_ascii=False)


def _decode(text: str) -> Any:
    from pickg.validation.compiler import Check, Compiled

    checks = [
        Check(_node(shape), _node(path), _node(severity), _node(component), query, tuple(_node(m) for m in messages))
        for shape, path, severity, component, query, messages in json.loads(text)["checks"]
    ]
    return Compiled(checks=checks)


def _key(ws: Workspace) -> str:
    import rdflib

    from pickg.graph import sparqltext, sparqltokens
    from pickg.graph.cache import cache_key
    from pickg.validation import compiler

    parts: list[str | bytes] = [_KIND, package_version(), rdflib.__version__]
    for module in (compiler, sparqltext, sparqltokens):
        parts.append(Path(module.__file__ or "").read_bytes())
    parts.append(Path(__file__).read_bytes())
    for path in ws.shape_files():
        parts += [ws.relative(path), path.read_bytes()]
    return cache_key(*parts)


def compiled_shapes(ws: Workspace, environ: Mapping[str, str] | None = None) -> tuple[Graph | None, Any]:
    """The compiled shapes of ``ws`` (:class:`pickg.validation.compiler.Compiled`), and the parsed shapes.

    :returns: (shapes, compiled); ``shapes`` is None when the compiled checks were
        read from the cache (then every shape is compiled: none is left to pySHACL).
    :raises NotFoundError: the workspace has no shapes file.
    :raises ParseError: a shapes file is not valid Turtle.
    """
    from pickg.graph.cache import cache_dir, cached_text
    from pickg.validation.compiler import compile_shapes
    from pickg.validation.shapes import load_shapes

    folder = cache_dir(ws, environ)
    if folder is None or not ws.shape_files():
        shapes = load_shapes(ws)  # raises NotFoundError when there is none
        return shapes, compile_shapes(shapes)
    made: dict[str, tuple[Graph, Any]] = {}

    def compute() -> str:
        shapes = load_shapes(ws)
        made["shapes"] = (shapes, compile_shapes(shapes))
        return "" if made["shapes"][1].unsupported else _encode(made["shapes"][1])

    text = cached_text(folder, _KIND, _key(ws), compute)
    if "shapes" in made:
        return made["shapes"]
    if text:
        try:
            return None, _decode(text)
        except (ValueError, TypeError, KeyError):
            pass  # an entry of another form: compiled again below
    shapes = load_shapes(ws)
    return shapes, compile_shapes(shapes)
