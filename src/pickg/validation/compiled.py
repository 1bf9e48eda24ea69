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

from rdflib import Graph

from pickg.graph.terms import json_term, term_json
from pickg.graph.workspace import Workspace, package_version

__all__ = ["compiled_shapes"]

_KIND = "compiled-shapes"


def _encode(compiled: Any) -> str:
    checks = [
        [
            term_json(c.shape),
            term_json(c.path),
            term_json(c.severity),
            term_json(c.component),
            c.query,
            [term_json(m) for m in c.messages],
        ]
        for c in compiled.checks
    ]
    return json.dumps({"checks": checks}, ensure_ascii=False)


def _decode(text: str) -> Any:
    from pickg.validation.compiler import Check, Compiled

    checks = [
        Check(
            json_term(shape),
            json_term(path),
            json_term(severity),
            json_term(component),
            query,
            tuple(json_term(m) for m in messages),
        )
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
