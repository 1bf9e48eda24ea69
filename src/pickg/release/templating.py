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
IRI may hold (with the term writer of :mod:`pickg.graph.bindings`, the one that
binds query parameters), so a value can never change the shape of the document.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from pickg.graph.bindings import iri_n3, literal_n3, term_n3
from pickg.graph.namespaces import expand_curie

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "bytecode_cache",
    "markdown_cell",
    "render",
    "turtle_iri",
    "turtle_literal",
    "turtle_term",
]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def turtle_iri(value: object) -> str:
    """``value`` as a Turtle ``<IRI>`` (:func:`pickg.graph.bindings.iri_n3`), absolute.

    :raises ValueError: ``value`` is not an absolute IRI, or holds a character an
        IRI may not (space, control character, ``<>"{}|^`\\``).
    """
    text = str(value)
    written = iri_n3(text, "the address")
    if not _SCHEME.match(text):
        raise ValueError(f"{text!r} is not an absolute IRI")
    return written


def _lexical(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} has no lexical form here")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int):
        return str(value)
    raise ValueError(f"{value!r} ({type(value).__name__}) has no lexical form here")


def turtle_literal(value: object, lang: str | None = None, datatype: str | None = None) -> str:
    """``value`` as a Turtle literal: ``"text"``, ``"text"@lang`` or ``"lexical"^^<datatype>``
    (:func:`pickg.graph.bindings.literal_n3`).

    :param value: a string, an int or a date (written as its ISO form).
    :param lang: a language tag; not with ``datatype``.
    :param datatype: a prefixed name (``xsd:date``) of :data:`~pickg.graph.namespaces.PREFIXES`.
    :raises ValueError: the value, tag or datatype cannot be written.
    """
    iri = None
    if datatype is not None:
        iri = expand_curie(datatype)
        if iri is None:
            raise ValueError(f"{datatype!r} is not a prefixed name of a known prefix")
    return literal_n3(_lexical(value), lang, iri)


def turtle_term(term: URIRef | Literal) -> str:
    """An rdflib IRI or literal as Turtle (:func:`pickg.graph.bindings.term_n3`), its
    language tag or datatype kept; an IRI must be absolute."""
    if isinstance(term, URIRef):
        return turtle_iri(term)
    if isinstance(term, Literal):
        return term_n3(term)
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

    import jinja2

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
    """The release's environment, made once; Jinja2 is imported here, not with this module
    (22 ms of CPU that a release left in place, :mod:`pickg.release.reuse`, never needs)."""
    import jinja2

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
