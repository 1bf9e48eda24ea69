"""Labels for the IRIs of a result, looked up when the result is shown to a reader.

A catalogue query projects its own labels (``?neighbourhoodLabel`` beside
``?neighbourhood``, chosen in the SPARQL text), and a table shows the label in place of
the IRI (:meth:`pickg.queries.results.Result.display`). A query of the user's own
(``pickg sparql``) projects none; :func:`with_labels` gives each of its IRI columns a
label column the same way, so its table reads as ``pickg query run``'s. And where a
catalogue query's label column holds the French name of a resource that has an English
gloss (``pic:gloss``, a translation made for this graph), :func:`with_glosses` puts the
English form in its place for a reader of English.

The labels come from one query, ``sparql/labels.rq``, run on the store or the endpoint
the result came from, with the IRIs bound in a ``VALUES`` block written term by term
(:func:`pickg.graph.bindings.bind_list`), never pasted; the choice among them is
:func:`pickg.graph.labels.display_label`. Only tables and Markdown show them: CSV and
JSON stay the query's own results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.bindings import bind_list
from pickg.graph.labels import display_label
from pickg.graph.messages import DATA_LANGUAGE, format_money, format_number
from pickg.queries.catalogue import packaged_query
from pickg.queries.results import LABEL_SUFFIX, Result, solution_rows

__all__ = [
    "BATCH",
    "Fetch",
    "as_money",
    "endpoint_fetch",
    "for_readers",
    "labels_of",
    "store_fetch",
    "with_glosses",
    "with_labels",
    "without_identifiers",
]

#: Runs a SELECT text (the labels query, bound) and gives its rows.
Fetch = Callable[[str], Iterable[Sequence[Node | None]]]

#: IRIs bound in one labels query: a request of a few kilobytes to an endpoint.
BATCH = 200


def store_fetch(store: Any) -> Fetch:
    """A :data:`Fetch` on a :class:`pickg.graph.store.Store`."""
    return lambda text: store.select(text).rows


def endpoint_fetch(endpoint: Any) -> Fetch:
    """A :data:`Fetch` on a :class:`pickg.queries.client.Endpoint` (its deadline, its retries)."""
    from pickg.queries.client import run

    return lambda text: solution_rows(run(endpoint, text))


def _found(iris: Iterable[URIRef], fetch: Fetch) -> dict[Node, list[tuple[Node, str | None, str]]]:
    """Resource → its ``(property, language tag, text)`` labels and glosses."""
    wanted = sorted(set(iris))
    found: dict[Node, list[tuple[Node, str | None, str]]] = {}
    if not wanted:
        return found
    query = packaged_query("pickg.queries", "labels")
    for start in range(0, len(wanted), BATCH):
        for resource, prop, label in fetch(bind_list(query, "resource", wanted[start : start + BATCH])):
            if resource is not None and prop is not None and isinstance(label, Literal):
                found.setdefault(resource, []).append((prop, label.language, str(label)))
    return found


def labels_of(iris: Iterable[URIRef], fetch: Fetch, lang: str) -> dict[URIRef, str]:
    """The label to show a reader of ``lang`` for each of ``iris`` that has one
    (:func:`~pickg.graph.labels.display_label`).

    :raises InputError: an IRI that cannot be written into SPARQL (it came from a result).
    :raises EndpointError: the endpoint failed.
    """
    chosen = {iri: display_label(entries, lang) for iri, entries in _found(iris, fetch).items()}
    return {iri: text for iri, text in chosen.items() if isinstance(iri, URIRef) and text is not None}


def _iri_columns(result: Result) -> list[int]:
    return [i for i in range(len(result.variables)) if any(isinstance(row[i], URIRef) for row in result.rows)]


def with_labels(result: Result, fetch: Fetch, lang: str) -> Result:
    """``result`` with a ``<name>Label`` column after each column ``name`` holding IRIs
    that has none yet, holding the label of each IRI (None where it has none, so a table
    shows the IRI). Columns that are labels already are left alone."""
    names = set(result.variables)
    columns = [
        i
        for i in _iri_columns(result)
        if not result.variables[i].endswith(LABEL_SUFFIX) and result.variables[i] + LABEL_SUFFIX not in names
    ]
    if not columns:
        return result
    labels = labels_of((iri for row in result.rows for i in columns if isinstance(iri := row[i], URIRef)), fetch, lang)

    def label(term: Node | None) -> Literal | None:
        text = labels.get(term) if isinstance(term, URIRef) else None
        return None if text is None else Literal(text, lang=lang)

    variables: list[str] = []
    for i, name in enumerate(result.variables):
        variables.append(name)
        if i in columns:
            variables.append(name + LABEL_SUFFIX)
    rows = []
    for row in result.rows:
        cells: list[Node | None] = []
        for i, term in enumerate(row):
            cells.append(term)
            if i in columns:
                cells.append(label(term))
        rows.append(tuple(cells))
    return replace(result, variables=tuple(variables), rows=tuple(rows))


def with_glosses(result: Result, fetch: Fetch, lang: str) -> Result:
    """``result`` with each label column (``<name>Label`` beside an IRI column ``name``)
    given, for a reader of ``lang`` other than the data's own (French), the resource's
    label in ``lang`` or its gloss in ``lang`` where the query fell back on another
    language and the resource has one; other cells unchanged. In the data's language, the
    query's own labels are the ones: ``result`` itself."""
    if lang == DATA_LANGUAGE:
        return result
    index = {name: i for i, name in enumerate(result.variables)}
    pairs = [
        (index[name[: -len(LABEL_SUFFIX)]], i)
        for i, name in enumerate(result.variables)
        if name.endswith(LABEL_SUFFIX) and name[: -len(LABEL_SUFFIX)] in index
    ]
    if not pairs:
        return result
    iris = {term for row in result.rows for iri, _ in pairs if isinstance(term := row[iri], URIRef)}
    english = {
        iri: display_label(entries, lang)
        for iri, entries in _found(iris, fetch).items()
        if any(tag == lang for _prop, tag, _text in entries)  # a label or gloss in lang, no fallback
    }
    rows = []
    for row in result.rows:
        cells = list(row)
        for iri, label in pairs:
            term = row[iri]
            text = english.get(term) if isinstance(term, URIRef) else None
            shown = cells[label]
            if text is not None and not (isinstance(shown, Literal) and shown.language == lang):
                cells[label] = Literal(text, lang=lang)
        rows.append(tuple(cells))
    return replace(result, rows=tuple(rows))


def without_identifiers(result: Result) -> Result:
    """``result`` without the columns of resources that have no name: an IRI column
    whose label column (``<name>Label``) is empty on every row, with that label column.

    Such IRIs (a participation, a membership, an amount, a link) identify a record for a
    program, and a reader finds the record's facts in the other columns; CSV and JSON keep
    them."""
    index = {name: i for i, name in enumerate(result.variables)}
    dropped: set[int] = set()
    for name, i in index.items():
        label = index.get(name + LABEL_SUFFIX)
        if label is None:
            continue
        values = [row[i] for row in result.rows if row[i] is not None]
        if values and all(isinstance(v, URIRef) for v in values) and all(row[label] is None for row in result.rows):
            dropped |= {i, label}
    if not dropped:
        return result
    keep = [i for i in range(len(result.variables)) if i not in dropped]
    return replace(
        result,
        variables=tuple(result.variables[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in result.rows),
    )


def as_money(result: Result, columns: Sequence[tuple[str, str]], lang: str) -> Result:
    """``result`` with each amount of ``columns`` (amount column, currency column) written
    as money in ``lang`` (:func:`~pickg.graph.messages.format_money`), its currency
    column then left out; an amount without a currency is written as a number."""
    index = {name: i for i, name in enumerate(result.variables)}
    pairs = [(index[amount], index[currency]) for amount, currency in columns if amount in index and currency in index]
    if not pairs:
        return result
    rows = []
    for row in result.rows:
        cells = list(row)
        for amount, currency in pairs:
            value = row[amount]
            if isinstance(value, Literal) and isinstance(number := value.toPython(), int | float | Decimal):
                code = row[currency]
                shown = format_money(number, str(code), lang) if code is not None else format_number(number, lang)
                cells[amount] = Literal(shown)
        rows.append(tuple(cells))
    dropped = {currency for _, currency in pairs}
    keep = [i for i in range(len(result.variables)) if i not in dropped]
    return replace(
        result,
        variables=tuple(result.variables[i] for i in keep),
        rows=tuple(tuple(row[i] for i in keep) for row in rows),
    )


def for_readers(result: Result, fetch: Fetch, lang: str, money: Sequence[tuple[str, str]] = ()) -> Result:
    """``result`` as a table shows it to a reader of ``lang``: a label for each IRI
    (:func:`with_labels`, :func:`with_glosses`), no column of nameless identifiers
    (:func:`without_identifiers`), amounts as money (:func:`as_money`). A result for
    reading only: CSV and JSON are written from the query's own result."""
    readable = with_glosses(with_labels(result, fetch, lang), fetch, lang)
    return as_money(without_identifiers(readable), money, lang)
