"""The CSV tables of a release, each the result of a query of ``queries/extracts/``.

An extract query is a catalogue file (its ``#+`` header is read by
:func:`pickg.queries.catalogue.parse_query_file`: French and English summary and description,
all prefixes declared, no parameters) whose columns are documented in a comment
block right after the header, one entry per selected variable, in order::

    # Columns of the CSV table, one per selected variable, in order:
    #   neighbourhood: IRI of the neighbourhood.
    #   name: French name of the neighbourhood.

The block is checked against the query, so the release README (which prints it)
never describes a column that is not there. Cells: an IRI or a literal's text as
is, an unbound value empty; several values in one cell are separated by
:data:`MULTI_VALUE_SEPARATOR` (the queries' ``GROUP_CONCAT``), in sorted order:
SPARQL leaves the order of ``GROUP_CONCAT`` to the engine, and sorting makes a table
the same bytes whether rdflib or Oxigraph ran it. Files are UTF-8 CSV (RFC 4180:
comma, double quotes, CRLF) with a header row.

Queries are checked with Oxigraph's parser (a millisecond) and run on an Oxigraph
store (:class:`pickg.graph.store.OxigraphStore`) or any object with a ``select`` method;
an rdflib graph is accepted too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from pickg.graph.errors import InputError, ParseError
from pickg.graph.sparqltokens import closing, leading_comments, tokens
from pickg.queries.catalogue import parse_query_file

__all__ = ["MULTI_VALUE_SEPARATOR", "Extract", "ExtractQuery", "read_extract_query", "run_extract"]

#: How the extract queries join several values in one cell.
MULTI_VALUE_SEPARATOR = " | "

_COLUMNS_TITLE = "columns"


@dataclass(frozen=True)
class ExtractQuery:
    """An extract query file and its documentation."""

    path: Path
    name: str
    summary: str
    description: str
    columns: tuple[tuple[str, str], ...]
    text: str
    #: The columns made with ``GROUP_CONCAT(… ; SEPARATOR=" | ")``: their values are sorted.
    multi_valued: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Extract:
    """The result of an extract query: its columns and rows of cells."""

    query: ExtractQuery
    rows: tuple[tuple[str, ...], ...]

    @property
    def file_name(self) -> str:
        """``<name>.csv``."""
        return f"{self.query.name}.csv"

    def to_csv(self) -> str:
        """The table as CSV text (header row first)."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([name for name, _ in self.query.columns])
        writer.writerows(self.rows)
        return buffer.getvalue()


def _entry(body: str) -> tuple[str, str] | None:
    """``(column, description)`` of a line ``#   column: description`` (three spaces), or None."""
    name, colon, rest = body[3:].partition(":")
    if body[:3] != "   " or not colon or not (name.isascii() and name.isidentifier()) or not rest[:1].isspace():
        return None
    return name, rest.strip()


def _columns(path: Path, text: str) -> list[tuple[str, str]]:
    """The ``# Columns`` block: (column, description) pairs, in order."""
    columns: list[tuple[str, str]] = []
    inside = False
    for number, stripped in leading_comments(text):
        if stripped.startswith("#+"):
            continue
        body = stripped[1:]
        if not inside:
            inside = body.strip().lower().startswith(_COLUMNS_TITLE)
            continue
        if not body.strip():
            continue
        entry = _entry(body)
        if entry:
            columns.append(entry)
        elif body.startswith("     ") and columns:
            name, doc = columns[-1]
            columns[-1] = (name, f"{doc} {body.strip()}")
        else:
            raise ParseError(
                path,
                number,
                None,
                f"cannot read the column line {stripped!r}",
                hint="write '#   column: description', continuation lines indented further",
            )
    return columns


def read_extract_query(path: Path) -> ExtractQuery:
    """Read an extract query and check that its columns are documented, in order.

    :raises ParseError: the header or the columns block cannot be read, or the query
        is not valid SPARQL.
    :raises InputError: it is not a SELECT query, it has parameters, or its columns
        block does not name exactly the selected variables.
    """
    header = parse_query_file(path)
    if header.params:
        raise InputError(f"{path}: an extract cannot take parameters ({', '.join(header.param_names)}); remove them")
    columns = _columns(path, header.text)
    variables = _selected(header)
    documented = [name for name, _ in columns]
    if variables != documented:
        raise InputError(
            f"{path}: the comment block documents the columns {', '.join(documented) or '(none)'} but the query "
            f"selects {', '.join(variables)}; make '# Columns …' name each selected variable, in order"
        )
    for name, doc in columns:
        if not doc:
            raise InputError(f"{path}: the column {name} has no description; write one after its name")
    return ExtractQuery(
        path=path,
        name=header.name,
        summary=header.summary_in("en"),
        description=header.description_in("en"),
        columns=tuple(columns),
        text=header.text,
        multi_valued=_multi_valued(header.text) & set(variables),
    )


def _multi_valued(text: str) -> frozenset[str]:
    """The variables bound to ``GROUP_CONCAT(…; SEPARATOR=" | ") AS ?name``: columns of several values."""
    found = tokens(text)
    names = set()
    for index, token in enumerate(found[:-1]):
        if not (token.is_word("GROUP_CONCAT") and found[index + 1].text == "("):
            continue
        close = closing(found, index + 1)
        inner, after = found[index + 2 : close], found[close + 1 : close + 3]
        if (
            len(inner) >= 3
            and inner[-3].is_word("SEPARATOR")
            and inner[-2].text == "="
            and inner[-1].text == f'"{MULTI_VALUE_SEPARATOR}"'
            and len(after) == 2
            and after[0].is_word("AS")
            and after[1].kind == "var"
        ):
            names.add(after[1].name)
    return frozenset(names)


def _selected(header: Any) -> list[str]:
    """The variables a SELECT query projects, read by Oxigraph's parser (no data needed).

    :raises ParseError: the text is not valid SPARQL (names the file, line and column).
    :raises InputError: it is not a SELECT query.
    """
    import pyoxigraph as ox

    from pickg.queries.execution import check_syntax

    check_syntax(header)
    result = ox.Store().query(header.text)  # parsed now, evaluated only when read (never)
    if not isinstance(result, ox.QuerySolutions):
        form = "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT or DESCRIBE"
        raise InputError(f"{header.path}: an extract must be a SELECT query, not {form}")
    return [variable.value for variable in result.variables]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, URIRef | Literal):
        return str(value)
    raise TypeError(f"not an RDF term: {value!r}")


def _sorted_values(cell: str) -> str:
    return MULTI_VALUE_SEPARATOR.join(sorted(cell.split(MULTI_VALUE_SEPARATOR)))


def run_extract(query: ExtractQuery, source: Any) -> Extract:
    """Run ``query`` on ``source`` (not modified) and keep its rows as text cells.

    :param source: a store (:class:`pickg.graph.store.Store`, or anything whose
        ``select(text)`` gives rows of rdflib terms), or an rdflib graph.
    """
    if isinstance(source, Graph):
        from pickg.queries.execution import prepare

        found: Any = source.query(prepare(query.text))
    else:
        found = source.select(query.text).rows
    width = len(query.columns)
    multi = [i for i, (name, _) in enumerate(query.columns) if name in query.multi_valued]
    rows = []
    for row in found:
        cells = [_cell(row[i]) for i in range(width)]
        for i in multi:
            if MULTI_VALUE_SEPARATOR in cells[i]:
                cells[i] = _sorted_values(cells[i])
        rows.append(tuple(cells))
    return Extract(query=query, rows=tuple(rows))
