"""The text files a release renders from templates, and the SPARQL its catalogue runs.

Both ship inside the package, next to the modules that use them:
``pickg/release/templates/*.j2`` are Jinja2 templates (``README.md``, ``CHANGES.md``,
``catalog.ttl``), ``pickg/release/sparql/*.rq`` the queries that count the graph for
the catalogue. Python prepares the values (counts, rows, labels); the templates hold
the text.

The environment is strict: a value a template names but is not given raises
:class:`jinja2.UndefinedError` instead of printing nothing. Nothing is escaped for
HTML; the Turtle template writes every IRI and literal through :func:`turtle_iri` and
:func:`turtle_literal`, which escape what a Turtle string needs and refuse what no
IRI may hold, so a value can never change the shape of the document.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

import jinja2
from rdflib import Literal, URIRef

from pickg.graph.namespaces import PREFIXES

__all__ = [
    "bytecode_cache",
    "markdown_cell",
    "render",
    "turtle_iri",
    "turtle_literal",
    "turtle_term",
]

# What an IRIREF may not hold (Turtle 1.1, production [18]); an IRI must also be absolute.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_PREFIXED = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_]+)")
# Escapes of a Turtle string (ECHAR), the rest of the control characters as UCHAR.
_ECHAR = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def turtle_iri(value: object) -> str:
    """``value`` as a Turtle ``<IRI>``.

    :raises ValueError: ``value`` is not an absolute IRI, or holds a character an
        IRI may not (space, control character, ``<>"{}|^`\\``).
    """
    text = str(value)
    bad = _NOT_IN_IRI.search(text)
    if bad is not None:
        raise ValueError(f"{text!r} is not an IRI: it holds {bad.group()!r}")
    if not _SCHEME.match(text):
        raise ValueError(f"{text!r} is not an absolute IRI")
    return f"<{text}>"


def _quoted(text: str) -> str:
    if _SURROGATE.search(text):
        raise ValueError(f"{text!r} holds a lone surrogate, which no RDF literal may")
    return '"' + _TO_ESCAPE.sub(lambda m: _ECHAR.get(m.group(), f"\\u{ord(m.group()):04X}"), text) + '"'


def _lexical(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} has no lexical form here")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int):
        return str(value)
    raise ValueError(f"{value!r} ({type(value).__name__}) has no lexical form here")


def _datatype_iri(name: str) -> str:
    """``xsd:date`` → the full IRI, by :data:`~pickg.graph.namespaces.PREFIXES`."""
    match = _PREFIXED.fullmatch(name)
    if match is None or match.group(1) not in PREFIXES:
        raise ValueError(f"{name!r} is not a prefixed name of a known prefix")
    return PREFIXES[match.group(1)] + match.group(2)


def turtle_literal(value: object, lang: str | None = None, datatype: str | None = None) -> str:
    """``value`` as a Turtle literal: ``"text"``, ``"text"@lang`` or ``"lexical"^^<datatype>``.

    :param value: a string, an int or a date (written as its ISO form).
    :param lang: a language tag; not with ``datatype``.
    :param datatype: a prefixed name (``xsd:date``) of :data:`~pickg.graph.namespaces.PREFIXES`.
    :raises ValueError: the value, tag or datatype cannot be written.
    """
    text = _quoted(_lexical(value))
    if lang is not None:
        if datatype is not None:
            raise ValueError("a literal has a language tag or a datatype, not both")
        if not _LANGUAGE_TAG.fullmatch(lang):
            raise ValueError(f"{lang!r} is not a language tag")
        return f"{text}@{lang}"
    if datatype is not None:
        return f"{text}^^{turtle_iri(_datatype_iri(datatype))}"
    return text


def turtle_term(term: URIRef | Literal) -> str:
    """An rdflib IRI or literal as Turtle, its language tag or datatype kept."""
    if isinstance(term, URIRef):
        return turtle_iri(term)
    if isinstance(term, Literal):
        if term.language:
            return turtle_literal(str(term), lang=term.language)
        text = _quoted(str(term))
        return f"{text}^^{turtle_iri(term.datatype)}" if term.datatype is not None else text
    raise ValueError(f"{term!r} is neither an IRI nor a literal")


def markdown_cell(text: str) -> str:
    """``text`` fit for one cell of a Markdown table: pipes escaped, line breaks made spaces."""
    return text.replace("|", "\\|").replace("\n", " ")


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Where Jinja2 keeps the templates it compiled, for the next process; None with the cache off.

    Compiling the release's five templates took 34 ms of each ``make run``, on its
    critical path (``bench/RESULTS.md``). Jinja2 checks each entry against the
    template's source and its own bytecode format; the folder is named after pickg's
    files (:func:`pickg.graph.cache.package_digest`, which holds the environments'
    options) and Jinja2's version, so no other compilation is ever reused.
    """
    from importlib.metadata import version

    from pickg.graph.cache import cache_dir, cache_key, package_digest

    try:
        folder = cache_dir()
    except Exception:  # no workspace: no cache, as for any unusable folder
        return None
    if folder is None:
        return None
    folder = folder / "jinja2" / cache_key(package_digest(), version("jinja2"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        bytecode_cache=bytecode_cache(),
        loader=jinja2.PackageLoader("pickg.release", "templates"),
        autoescape=False,  # Markdown and Turtle: the filters escape what each needs
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(iri=turtle_iri, literal=turtle_literal, term=turtle_term, cell=markdown_cell)
    return environment


def render(name: str, **values: Any) -> str:
    """The template ``pickg/release/templates/<name>`` rendered with ``values``.

    :raises jinja2.UndefinedError: the template uses a value that was not given.
    """
    return _environment().get_template(name).render(**values)
