"""SPARQL of the user's own (``pickg sparql``): any query form, on a store or an endpoint.

:func:`read_sparql` takes the text as the user wrote it and

* refuses an update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP`` …): the
  command reads the graph, it never changes it;
* declares the project's prefixes (:data:`pickg.graph.namespaces.PREFIXES`) the text
  does not declare itself, on one line before it, so ``nbh:verdun`` or ``pic:phase``
  work without a ``PREFIX`` line;
* checks the syntax with Oxigraph's strict SPARQL 1.1 parser; a syntax error names
  the line and column of the user's text (the added line is not counted).

:func:`run_sparql` runs the query on a :class:`pickg.graph.store.Store` or a SPARQL
endpoint: a SELECT gives a :class:`~pickg.queries.results.Result` (the rows of
``pickg query run``), an ASK a ``bool``, a CONSTRUCT or DESCRIBE an rdflib graph.
The language of labels is bound to ``?_lang`` when the text uses it, as the catalogue
does; nothing else of the user's is ever bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from pickg.graph.bindings import error_position, parse_error
from pickg.graph.errors import InputError, ParseError
from pickg.graph.messages import reader_language
from pickg.graph.namespaces import PREFIXES
from pickg.graph.sparqltokens import FORMS, prefixes_declared, tokens, variable_names
from pickg.queries.catalogue import query_variables
from pickg.queries.deadline import DEFAULT_QUERY_TIMEOUT
from pickg.queries.results import Result, solution_rows

__all__ = ["UPDATE_KEYWORDS", "SparqlText", "read_sparql", "run_sparql", "source_name", "sparql"]

#: The first keyword of a SPARQL 1.1 Update operation.
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_KEYWORDS = (*FORMS, *UPDATE_KEYWORDS)


@dataclass(frozen=True)
class SparqlText:
    """A user's query, ready to run.

    :param source: where it came from (a file name, or ``<stdin>``), for messages.
    :param written: the text as the user wrote it.
    :param text: the text that runs: the missing project prefixes, then ``written``.
    :param form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    :param ordered: whether the outermost query has an ``ORDER BY``.
    """

    source: str
    written: str
    text: str
    form: str
    ordered: bool

    @property
    def uses_lang(self) -> bool:
        """Whether the text reads the language of labels from ``?_lang``."""
        return "_lang" in variable_names(self.written)


def _form(text: str, source: str) -> str:
    found = next((token for token in tokens(text) if token.is_word(*_KEYWORDS)), None)
    if found is None:
        raise InputError(f"{source} is not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE); give a query")
    keyword = found.text.upper()
    if keyword in UPDATE_KEYWORDS:
        line = text.count("\n", 0, found.start) + 1
        raise InputError(
            f"{source}:{line}: {keyword} is a SPARQL Update, and pickg sparql only reads the graph; "
            "run a SELECT, ASK, CONSTRUCT or DESCRIBE query (change the data files and reload them instead)"
        )
    return keyword


def read_sparql(text: str, source: str = "<stdin>") -> SparqlText:
    """Check a user's query and declare the project's prefixes for it.

    :param text: the query as written (a file's content, or standard input).
    :param source: its name in messages.
    :raises InputError: the text is empty, is an update, or is not a query.
    :raises ParseError: the text is not valid SPARQL 1.1; names ``source:line:col``
        in the user's own text.
    """
    if not text.strip():
        raise InputError(f"{source} is empty; give a SPARQL query")
    form = _form(text, source)
    declared = prefixes_declared(text)
    missing = " ".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items() if name not in declared)
    full = f"{missing}\n{text}" if missing else text
    added_lines = 1 if missing else 0
    detail = parse_error(full)
    if detail is not None:
        position = error_position(detail)
        if position is None:
            raise ParseError(source, None, None, f"not valid SPARQL: {detail}", hint="correct the query")
        line = position[0] - added_lines
        message = f"not valid SPARQL: {position[2]}"
        if "Prefix not found" in position[2]:
            known = ", ".join(f"{name}:" for name in PREFIXES)
            message = f"the prefix before here is not declared; declare it with PREFIX, or use one of {known}"
        raise ParseError(source, max(line, 1), position[1], message, hint="correct the query")
    return SparqlText(source, text, full, form, query_variables(text)[1])


def run_sparql(
    query: SparqlText, store: Any = None, *, endpoint: Any = None, lang: str | None = None
) -> Result | Graph | bool:
    """Run a user's query on ``store`` (a :class:`pickg.graph.store.Store`) or ``endpoint``.

    :param endpoint: a :class:`pickg.queries.client.Endpoint` to run it on instead.
    :param lang: ``fr`` or ``en``, bound to ``?_lang`` when the text uses it; None for
        the reader's (:func:`pickg.graph.messages.reader_language`).
    :returns: the rows of a SELECT (ordered when the query orders them), the answer
        of an ASK, or the graph of a CONSTRUCT or DESCRIBE.
    :raises InputError: neither or both of ``store`` and ``endpoint``; an unknown language.
    :raises EndpointError: the endpoint failed (see :mod:`pickg.queries.client`).
    """
    if (store is None) == (endpoint is None):
        raise InputError("run the query on a store or on an endpoint, one of the two")
    lang = reader_language(lang)
    bindings = {"_lang": Literal(lang)} if query.uses_lang else {}
    if endpoint is not None:
        from pickg.queries.client import run

        remote = run(endpoint, query.text, bindings)
        if remote.type == "SELECT":
            return Result(tuple(str(v) for v in remote.vars or ()), solution_rows(remote), ordered=query.ordered)
        if remote.type == "ASK":
            return bool(remote.askAnswer)
        assert remote.graph is not None  # run() reads a CONSTRUCT or DESCRIBE answer into a graph
        return remote.graph
    answer = store.query(query.text, bindings)
    if isinstance(answer, (bool, Graph)):
        return answer
    return Result(answer.variables, answer.rows, ordered=query.ordered)


def source_name(path: Path | None) -> str:
    """The name of a query's source in messages: the file's path, or ``<stdin>``."""
    return "<stdin>" if path is None else str(path)


def sparql(
    text: str,
    lang: str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    *,
    store: Any = "oxigraph",
    files: Sequence[str | PathLike[str]] | None = None,
    labels: bool = True,
) -> Result | Graph | bool:
    """Run a SPARQL query of your own with the command line's conveniences (``pickg sparql``).

    >>> rows = pickg.sparql("SELECT ?n WHERE { ?n a pic:Neighbourhood }", lang="en")  # doctest: +SKIP
    >>> frame = rows.to_pandas(labels="only")                                      # doctest: +SKIP

    The project's prefixes are declared for you; an update is refused. A SELECT gives
    the catalogue's :class:`~pickg.queries.results.Result`, each IRI column with a
    ``<name>Label`` column beside it (its label in ``lang``) unless ``labels`` is
    False; an ASK gives a ``bool``; a CONSTRUCT or DESCRIBE an rdflib graph.

    :param lang: ``fr`` or ``en``, the language of labels (bound to ``?_lang`` when the
        text uses it); None follows the command line's rule (:func:`pickg.graph.messages.reader_language`).
    :param endpoint: the URL of a SPARQL endpoint to run it on instead of the local data.
    :param timeout: seconds before the query is stopped (the endpoint's answer, or the
        local engine).
    :param store: a store specification (``oxigraph``, the fast default; ``rdflib``;
        ``oxigraph:PATH``) loaded with the workspace's files, or a
        :class:`pickg.graph.store.Store` already open (left open), to query many times
        without loading the data each time.
    :param files: data files to query instead of the workspace's (with the ontology).
    :raises InputError: an update, an unknown language, or both ``endpoint`` and ``files``.
    :raises ParseError: the text is not SPARQL 1.1 (line and column of your text).
    :raises QueryTimeoutError: the local engine ran past ``timeout``.
    :raises EndpointError: the endpoint failed.
    """
    from pickg.queries.labelling import endpoint_fetch, store_fetch, with_labels

    chosen = reader_language(lang)
    query = read_sparql(text, "<sparql>")
    if endpoint is not None:
        if files is not None:
            raise InputError("give either files (query local files) or endpoint (query a remote store), not both")
        from pickg.queries.client import Credentials, Endpoint

        remote = Endpoint(endpoint, timeout=timeout, credentials=Credentials.from_env())
        answer = run_sparql(query, endpoint=remote, lang=chosen)
        if labels and isinstance(answer, Result):
            answer = with_labels(answer, endpoint_fetch(remote), chosen)
        return answer
    from pickg.queries.deadline import within

    if not isinstance(store, str):
        answer = within(timeout, "the query", partial(run_sparql, query, store, lang=chosen))
        return with_labels(answer, store_fetch(store), chosen) if labels and isinstance(answer, Result) else answer
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store

    with open_store(store, workspace_files(files)) as opened:
        answer = within(timeout, "the query", partial(run_sparql, query, opened, lang=chosen))
        if labels and isinstance(answer, Result):
            answer = with_labels(answer, store_fetch(opened), chosen)
    return answer
