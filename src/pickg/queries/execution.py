"""Run a catalogue query with bound parameters.

:func:`run_query` finds the query, turns each parameter value into a typed RDF term
(:func:`bind_params`), and hands the query text and the terms to a *backend*:

* with no graph, endpoint or backend, the workspace's files are loaded into an
  Oxigraph store, the engine that answers by default;
* :class:`LocalBackend` runs it on an rdflib graph with ``prepareQuery`` and
  ``initBindings`` (the prepared query is parsed once per text and never changes);
* any object with the same ``select(query_text, bindings)`` method can take its
  place: a remote endpoint (``run_query(..., endpoint=URL)`` loads the backend named
  by :data:`REMOTE_BACKEND`, which binds the terms as a ``VALUES`` block at the head
  of the ``WHERE`` group), or an Oxigraph store.

A value never becomes query text: it is parsed and checked for its declared type
(:data:`pickg.queries.catalogue.PARAM_TYPES`) and bound as a term, so a quote, a brace or
``} ; DROP ALL`` in it is just characters of a literal.

Catalogue queries use their parameters in the outermost ``WHERE`` group only (never
inside a sub-select), so a pre-bound variable (``initBindings``) and a ``VALUES`` row
at the head of the group give the same answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from pickg.graph.errors import InputError, ParseError, PickgError
from pickg.graph.inputs import iri_error
from pickg.graph.messages import reader_language
from pickg.graph.namespaces import expand_curie
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import LANG_PARAM, Param, Query, get_query
from pickg.queries.results import Result, solution_rows

if TYPE_CHECKING:  # rdflib's SPARQL engine (pyparsing, 50-100 ms) is imported when a query runs on rdflib
    from rdflib.plugins.sparql.sparql import Query as PreparedQuery

__all__ = [
    "REMOTE_BACKEND",
    "Backend",
    "LocalBackend",
    "bind_params",
    "check_syntax",
    "normalise_search",
    "parse_value",
    "prepare",
    "remote_backend",
    "run_catalog_query",
    "run_query",
    "text_in_language",
]

#: The backend for ``endpoint=URL``: ``"module:attribute"``, a class taking the URL.
REMOTE_BACKEND = "pickg.queries.remote:RemoteBackend"

#: Bindings handed to a backend: variable name (``_name``, without ``?``) → term.
Bindings = Mapping[str, Identifier]


@runtime_checkable
class Backend(Protocol):
    """Where a query runs. ``select`` returns the rows (``variables`` and ``rows``)."""

    def select(self, query_text: str, bindings: Bindings) -> Any:  # pragma: no cover - protocol
        """Run a SELECT query with ``?name`` variables pre-bound to terms."""
        ...


# --- parameter values ------------------------------------------------------------------

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EXAMPLES = {
    "iri": "an absolute IRI such as https://w3id.org/pickg/id/neighbourhood/saint-michel (or nbh:saint-michel)",
    "string": "any text",
    "search": "any text",
    "integer": "a whole number such as 10",
    "decimal": "a number such as 2.5",
    "date": "a date written YYYY-MM-DD, such as 2023-06-01",
}

#: Letters a search folds, lower-cased, to the ASCII they stand for. The queries do
#: the same with ``LCASE`` and ``REPLACE`` (see ``search-desired-changes.rq``).
SEARCH_FOLDS: dict[str, str] = {
    "a": "àâäáãå",
    "ae": "æ",
    "c": "ç",
    "e": "éèêë",
    "i": "îïíì",
    "n": "ñ",
    "o": "ôöóòõ",
    "oe": "œ",
    "u": "ùûüú",
    "y": "ÿý",
    "'": "’‘ʼ",
}
_FOLD_TABLE = str.maketrans({letter: ascii for ascii, letters in SEARCH_FOLDS.items() for letter in letters})
_SPACES = re.compile(r"[ \t\n\r\u00a0\u202f]+")


def normalise_search(text: str) -> str:
    """A search text as the queries compare it: lower case, accents folded
    (:data:`SEARCH_FOLDS`), typographic apostrophes straightened, runs of spaces
    (no-break ones too) made one space, trimmed."""
    folded = unicodedata.normalize("NFC", text).lower().translate(_FOLD_TABLE)
    return _SPACES.sub(" ", folded).strip(" ")


def _bad(query: Query, param: Param, value: object, reason: str) -> InputError:
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "…'"
    return InputError(
        f"parameter {param.name!r} of query {query.name!r} is {param.type}, and {shown} {reason}; "
        f"give {_EXAMPLES[param.type]}"
    )


def _expand(value: str) -> str:
    """``prefix:local`` with a project prefix → the full IRI; ``<iri>`` → ``iri``."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return expand_curie(value) or value


def parse_value(query: Query, param: Param, value: object) -> Identifier:
    """The RDF term for one parameter value, checked against the parameter's type.

    :param value: text (as typed on a command line), or a Python value (``int``,
        ``Decimal``, ``date``) or an rdflib term of the right kind.
    :raises InputError: the value does not fit; the message names the parameter, the
        value and the expected type.
    """
    if isinstance(value, URIRef | Literal):
        value = str(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal | date):
        raise _bad(query, param, value, "is not a text, a number or a date")
    if param.type == "iri":
        if not isinstance(value, str):
            raise _bad(query, param, value, "is not an IRI")
        iri = _expand(value)
        if not _IRI.fullmatch(iri):
            raise _bad(query, param, value, "is not an absolute IRI")
        reason = iri_error(iri)  # the rules of every engine, checked before any sees it
        if reason is not None:
            raise _bad(query, param, value, f"is not a valid IRI ({reason})")
        term: Identifier = URIRef(iri)
    elif param.type in ("string", "search"):
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise _bad(query, param, value, "is not valid Unicode text") from None
        term = Literal(normalise_search(text) if param.type == "search" else text)
    elif param.type == "integer":
        text = str(value).strip()
        if isinstance(value, float | Decimal) or not _INTEGER.fullmatch(text):
            raise _bad(query, param, value, "is not a whole number")
        term = Literal(int(text), datatype=XSD.integer)
    elif param.type == "decimal":
        text = str(value).strip()
        if isinstance(value, float):
            text = repr(value)
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not _DECIMAL.fullmatch(text):
            raise _bad(query, param, value, "is not a decimal number")
        term = Literal(number, datatype=XSD.decimal)
    else:  # date
        text = value.isoformat() if isinstance(value, date) else str(value).strip()
        try:
            day = date.fromisoformat(text) if _DATE.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise _bad(query, param, value, "is not a date")
        term = Literal(day, datatype=XSD.date)
    if param.choices and str(term) not in param.choices:
        raise InputError(
            f"parameter {param.name!r} of query {query.name!r} must be one of {', '.join(param.choices)}, "
            f"not {str(value)!r}"
        )
    return term


def text_in_language(query: Query, lang: str | None = None) -> str:
    """The text of ``query`` with the language of its labels written into it: a
    ``VALUES ?_lang { "en" }`` row at the head of its ``WHERE`` group (the one way
    parameters are bound for an endpoint), so that the text, pasted into any SPARQL UI
    or sent with curl, answers in ``lang`` (None: the reader's,
    :func:`pickg.graph.messages.reader_language`). A query without labels is its text.
    """
    from pickg.graph.bindings import bind_values

    lang = reader_language(lang)
    if not any(param.name == LANG_PARAM for param in query.params):
        return query.text
    return bind_values(query.text, {"_" + LANG_PARAM: Literal(lang)})


def bind_params(
    query: Query, params: Mapping[str, object] | None = None, lang: str | None = None
) -> dict[str, Identifier]:
    """The bindings for running ``query``: given values, else the header's defaults.

    :param params: parameter name (without ``?_``) → value; None or missing names
        take their default, or stay unbound when they have none.
    :param lang: the language of labels, bound to ``?_lang`` when the query uses it;
        None for the reader's (:func:`pickg.graph.messages.reader_language`).
    :returns: variable name (``_name``) → term.
    :raises InputError: an unknown parameter (the message lists the known ones), a
        value that does not fit its type, a language other than fr or en.
    """
    params = dict(params or {})
    if LANG_PARAM in params:
        raise InputError(
            f"the language of labels is not a parameter of query {query.name!r}; set it with --lang (lang=…)"
        )
    lang = reader_language(lang)
    known = {p.name: p for p in query.params if p.name != LANG_PARAM}
    unknown = sorted(set(params) - set(known))
    if unknown:
        listing = ", ".join(sorted(known)) if known else "none"
        raise InputError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters are: {listing}")
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        if param.name == LANG_PARAM:
            bindings[param.variable] = Literal(lang)
            continue
        value = params.get(param.name)
        if value is None:
            value = param.default
        if value is not None:
            bindings[param.variable] = parse_value(query, param, value)
    return bindings


# --- backends ----------------------------------------------------------------------------


def prepare(query: Query | str) -> PreparedQuery:
    """The query parsed and translated once (cached by text).

    :raises ParseError: the text is not valid SPARQL; names the file, line and column.
    """
    from pyparsing import ParseBaseException

    from pickg.graph.store import prepared_query

    text = query.text if isinstance(query, Query) else query
    try:
        return cast("PreparedQuery", prepared_query(text))
    except ParseBaseException as exc:
        where = query.path if isinstance(query, Query) else "<query>"
        raise ParseError(where, exc.lineno, exc.col, f"not valid SPARQL: {exc.msg}") from None
    except Exception as exc:  # rdflib's translation raises many types
        where = query.path if isinstance(query, Query) else "<query>"
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ParseError(where, None, None, f"not a valid SPARQL query: {detail}") from None


class LocalBackend:
    """Runs queries on an rdflib graph, never modifying it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def select(self, query_text: str, bindings: Bindings) -> Result:
        from pickg.graph.rdflibfixes import install as install_rdflib_fixes

        install_rdflib_fixes()
        prepared = prepare(query_text)
        try:
            answer = self.graph.query(prepared, initBindings=dict(bindings))
            rows = solution_rows(answer)
        except PickgError:
            raise
        except Exception as exc:  # an evaluation error is reported, not shown as a traceback
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(f"the query failed while running: {detail}; check its parameters") from None
        return Result(tuple(str(v) for v in answer.vars or ()), rows)


def remote_backend(endpoint: str) -> Backend:
    """The backend of :data:`REMOTE_BACKEND` for a SPARQL endpoint URL.

    :raises InputError: this installation has no remote backend.
    """
    module_name, _, attribute = REMOTE_BACKEND.partition(":")
    try:
        factory = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError):
        raise InputError(
            f"this pickg cannot query a remote endpoint ({endpoint}); run the query on the local graph instead"
        ) from None
    backend: Backend = factory(endpoint)
    return backend


def check_syntax(query: Query | str) -> None:
    """Refuse a text that is not SPARQL 1.1, with Oxigraph's strict parser.

    The check for a query that does not run on rdflib (an Oxigraph store, a remote
    endpoint): it costs about a millisecond where rdflib's ``prepareQuery`` costs
    tens to hundreds, and is cached per text.

    :raises ParseError: names the file (or ``<query>``), line and column.
    """
    from pickg.graph.bindings import error_position, parse_error  # loads pyoxigraph only when needed

    text = query.text if isinstance(query, Query) else query
    detail = parse_error(text)
    if detail is None:
        return
    where = query.path if isinstance(query, Query) else "<query>"
    position = error_position(detail)
    if position is None:
        raise ParseError(where, None, None, f"not valid SPARQL: {detail}")
    line, column, rest = position
    raise ParseError(where, line, column, f"not valid SPARQL: {rest}")


def _runs_on_rdflib(backend: Backend | None, endpoint: str | None) -> bool:
    """Whether the query will be evaluated by rdflib (a graph, :class:`LocalBackend`,
    a :class:`pickg.graph.store.MemoryStore`), which then parses it with ``prepareQuery``."""
    if backend is None:
        return endpoint is None
    return isinstance(backend, LocalBackend) or getattr(backend, "kind", None) == "memory"


def _run_on_workspace(
    query: Query, params: Mapping[str, object] | None, lang: str, workspace: Workspace | None, check_resources: bool
) -> Result:
    """Run ``query`` on the workspace's files, held in an Oxigraph store for this one run."""
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store

    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        return run_query(query, params, lang=lang, backend=store, check_resources=check_resources)


def run_query(
    name: str | Query,
    params: Mapping[str, object] | None = None,
    graph: Graph | None = None,
    *,
    lang: str | None = None,
    endpoint: str | None = None,
    backend: Backend | None = None,
    workspace: Workspace | None = None,
    check_resources: bool = True,
) -> Result:
    """Run the catalogue query ``name`` (or a query already read) with bound parameters.

    >>> result = run_query("neighbourhoods-of-phase")             # doctest: +SKIP
    >>> result = run_query("collaboration-partners", {"neighbourhood": "nbh:verdun"}, lang="en")  # doctest: +SKIP

    A syntax error names the query file and line before anything runs: rdflib's
    parser checks a query rdflib will run, Oxigraph's (:func:`check_syntax`) any
    other; both are cached per text.

    :param name: the query's public name (``pickg query list``), or the query itself
        (a catalogue file or a check, read by :mod:`pickg.queries.catalogue`).
    :param params: parameter name → value (text, number, date or rdflib term);
        parameters left out take their default.
    :param graph: an rdflib graph to query with rdflib's engine; if None (and no
        ``endpoint`` or ``backend``), the workspace's files loaded into Oxigraph,
        the engine that answers by default.
    :param lang: ``"fr"`` or ``"en"``: the language of labels, French when a label
        is missing in English; None for the reader's, by pickg's one rule
        (:func:`pickg.graph.messages.reader_language`: ``PICKG_LANG``, else the
        locale, else English).
    :param endpoint: run on this SPARQL endpoint instead of a local graph.
    :param backend: run with this backend (anything with ``select``) instead.
    :param workspace: where the catalogue lives; :meth:`Workspace.discover` if None.
    :param check_resources: refuse an IRI given in ``params`` that names no resource
        of the graph (:func:`pickg.queries.resources.check_named_resources`), rather
        than answer no rows; False runs the query as it is (engine comparisons).
    :returns: the rows; ``result.ordered`` tells whether their order is meaningful.
    :raises NotFoundError: no query has that name (the message lists close names), or
        an IRI parameter names no resource ("did you mean …").
    :raises InputError: an unknown parameter or a value of the wrong type.
    :raises ParseError: the query file is malformed.
    """
    query = name if isinstance(name, Query) else get_query(name, workspace)
    lang = reader_language(lang)
    bindings = bind_params(query, params, lang)
    if backend is None and endpoint is None and graph is None:
        return _run_on_workspace(query, params, lang, workspace, check_resources)
    if _runs_on_rdflib(backend, endpoint):
        prepare(query)
    else:
        check_syntax(query)
    if backend is None:
        if endpoint is not None:
            backend = remote_backend(endpoint)
        else:
            assert graph is not None  # with no graph either, the query ran on the workspace above
            backend = LocalBackend(graph)
    if check_resources and params:
        from pickg.queries.resources import check_named_resources

        check_named_resources(query, params, bindings, backend)
    return Result.of(backend.select(query.text, bindings), ordered=query.has_order_by, name=query.name)


#: :func:`run_query` on a query already read (the name callers of a :class:`Query` use).
run_catalog_query = run_query
