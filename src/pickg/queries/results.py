"""The rows a query returns, and their renderings: table cells, CSV, JSON, Markdown.

A :class:`Result` holds RDF terms, never strings: renderings are computed from the
terms, so the same result gives the same CSV, JSON (the SPARQL 1.1 JSON results
format) and Markdown in every run. :meth:`Result.canonical` sorts the rows when their
order carries no meaning (the query has no ``ORDER BY``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result as SPARQLResult
from rdflib.query import ResultRow
from rdflib.term import Identifier, Node

from pickg.graph.errors import EndpointResponseError
from pickg.graph.namespaces import compact_iri

__all__ = ["LABEL_SUFFIX", "Result", "cell_text", "solution_rows", "term_from_json", "term_to_json"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: A column ``<name>Label`` holds the label of the IRI in column ``<name>``.
LABEL_SUFFIX = "Label"


def cell_text(term: Node | None, compact: bool = True) -> str:
    """How a term reads in a table cell: compact IRIs, lexical forms, empty when unbound."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact_iri(str(term)) if compact else str(term)
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def solution_rows(answer: SPARQLResult) -> tuple[tuple[Node | None, ...], ...]:
    """The rows of rdflib's answer to a SELECT query, one tuple of terms each (None where unbound)."""
    return tuple(tuple(row) for row in answer if isinstance(row, ResultRow))


def term_to_json(term: Node) -> dict[str, str]:
    """One term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"cannot write {term!r} as a SPARQL JSON term")


def _decimal_lexical(lexical: str) -> str:
    """XSD's canonical decimal form, as rdflib writes computed decimals (``12.0``, not ``12``)."""
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    if not value.is_finite():
        return lexical
    text = format(value, "f")
    return text if "." in text else text + ".0"


def term_from_json(cell: Mapping[str, Any], *, as_written: bool = False) -> Identifier:
    """One RDF term of a SPARQL 1.1 JSON results document, as rdflib builds it from a local graph.

    Language-tagged literals keep their tag; ``xsd:string`` (and ``rdf:langString``
    without a tag) is the plain literal (RDF 1.1, and what rdflib gives for
    ``"text"``); numeric literals take the lexical form rdflib gives them, so ``1.5E3``
    and ``1500.0`` are the same double, and decimals have their decimal point (a store
    in XSD 1.1 canonical form writes ``23000000`` for the ``23000000.0`` of the data).

    :param as_written: keep every literal's datatype and lexical form as the document
        gives them: the inverse of :func:`term_to_json`, for documents pickg wrote.
    :raises EndpointResponseError: a term without a string value, or of an unknown type.
    """
    kind = cell.get("type")
    value = cell.get("value")
    if not isinstance(value, str):
        raise EndpointResponseError(
            f"a result term has no string value ({dict(cell)!r}); the endpoint is not SPARQL 1.1"
        )
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = cell.get("xml:lang")
        datatype = cell.get("datatype")
        if lang:
            return Literal(value, lang=lang)
        if as_written:
            return Literal(value, datatype=URIRef(datatype) if datatype else None)
        if not datatype or datatype == _XSD_STRING or datatype == _RDF_LANGSTRING:
            return Literal(value)
        if datatype == _XSD_DECIMAL:
            value = _decimal_lexical(value)
        return Literal(value, datatype=URIRef(datatype))
    raise EndpointResponseError(
        f"a result holds a term of type {kind!r}, which pickg cannot read; "
        "query for IRIs and literals (not quoted triples)"
    )


def _sort_key(row: Sequence[Node | None]) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if term is None else (1, term.n3()) for term in row)


@dataclass(frozen=True)
class Result:
    """The solutions of a SELECT query: variable names and one tuple of terms per row.

    :ivar variables: the projected variables, in the query's order (without ``?``).
    :ivar rows: one tuple per solution; an unbound variable is None.
    :ivar ordered: True when the query orders its rows (``ORDER BY``): their order
        is part of the answer.
    :ivar name: the catalogue name of the query, when there is one.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]
    ordered: bool = False
    name: str | None = None

    @classmethod
    def of(cls, rows: Any, ordered: bool = False, name: str | None = None) -> Result:
        """A Result from anything with ``variables`` and ``rows`` (a backend's answer)."""
        return cls(
            tuple(str(v) for v in rows.variables),
            tuple(tuple(row) for row in rows.rows),
            ordered=ordered,
            name=name,
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def column(self, variable: str) -> list[Node | None]:
        """Every value of one column, in row order."""
        index = self.variables.index(variable)
        return [row[index] for row in self.rows]

    def as_dicts(self) -> list[dict[str, Node]]:
        """Each row as ``{variable: term}``, unbound variables left out."""
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]

    def canonical(self) -> Result:
        """The same result with a deterministic row order: the query's own when it has
        an ``ORDER BY``, else sorted by the N-Triples form of the cells."""
        if self.ordered:
            return self
        return replace(self, rows=tuple(sorted(self.rows, key=_sort_key)))

    def to_pandas(
        self, labels: TypingLiteral["beside", "only", "none"] = "beside", iris: TypingLiteral["full", "curie"] = "full"
    ) -> Any:  # a pandas.DataFrame (pandas ships no type stubs)
        """The rows as a DataFrame with typed columns (``Int64``, ``Float64``, ``boolean``,
        ``datetime64``, ``string``); see :func:`pickg.queries.frames.to_pandas`.

        :param labels: ``beside`` (each ``<name>Label`` column next to its IRI column),
            ``only`` (the label in the IRI column's place) or ``none`` (no label columns).
        :param iris: ``full`` IRIs or ``curie`` (``nbh:verdun``).
        :raises InputError: pandas is not installed (``pip install 'pickg[analysis]'``).
        """
        from pickg.queries.frames import to_pandas

        return to_pandas(self.variables, self.rows, labels, iris)

    def head(self, limit: int | None) -> Result:
        """The first ``limit`` rows (all of them when ``limit`` is None)."""
        return self if limit is None else replace(self, rows=self.rows[: max(limit, 0)])

    # --- renderings ------------------------------------------------------------------

    def display_variables(self) -> tuple[str, ...]:
        """The columns worth showing to a reader: an IRI column whose label column
        (``<name>Label``) is also projected is left out, its label speaking for it."""
        names = set(self.variables)
        return tuple(v for v in self.variables if v + LABEL_SUFFIX not in names)

    def display(self) -> tuple[list[str], list[list[str]]]:
        """Headers and cells for a reader: the columns of :meth:`display_variables`,
        a label column headed by its IRI column's name (``neighbourhood`` for
        ``neighbourhoodLabel``) and falling back to the IRI (compacted) when the
        resource has no label."""
        shown = self.display_variables()
        indexes = {v: i for i, v in enumerate(self.variables)}
        rows = []
        for row in self.rows:
            cells = []
            for variable in shown:
                term = row[indexes[variable]]
                if term is None and variable.endswith(LABEL_SUFFIX):
                    iri = variable[: -len(LABEL_SUFFIX)]
                    if iri in indexes:
                        term = row[indexes[iri]]
                cells.append(cell_text(term))
            rows.append(cells)
        headers = [
            v[: -len(LABEL_SUFFIX)] if v.endswith(LABEL_SUFFIX) and len(v) > len(LABEL_SUFFIX) else v for v in shown
        ]
        return headers, rows

    def to_table(self, compact: bool = True, variables: Sequence[str] | None = None) -> list[list[str]]:
        """The cells as text, one list per row (columns of ``variables``, all by default)."""
        chosen = list(variables or self.variables)
        indexes = [self.variables.index(v) for v in chosen]
        return [[cell_text(row[i], compact) for i in indexes] for row in self.rows]

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV results: a header of variable names, full IRIs, lexical forms."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow([cell_text(term, compact=False) for term in row])
        return buffer.getvalue()

    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 JSON results: ``{"head": {"vars": …}, "results": {"bindings": …}}``."""
        bindings = [
            {v: term_to_json(t) for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], ordered: bool = False, name: str | None = None) -> Result:
        """The Result of a SPARQL 1.1 JSON results document (:meth:`to_json`'s inverse)."""
        variables = tuple(data["head"]["vars"])
        rows = tuple(
            tuple(term_from_json(b[v], as_written=True) if v in b else None for v in variables)
            for b in data["results"]["bindings"]
        )
        return cls(variables, rows, ordered=ordered, name=name)

    def as_text(self, output_format: str) -> str | None:
        """The rows in ``output_format``, as a command prints them: ``csv`` (:meth:`to_csv`),
        ``json`` (:meth:`to_json`, indented) or ``md`` (:meth:`to_markdown`); None for
        any other format (a table drawn for a terminal)."""
        if output_format == "csv":
            return self.to_csv()
        if output_format == "json":
            return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"
        if output_format == "md":
            return self.to_markdown()
        return None

    def to_markdown(self, readable: bool = True) -> str:
        """A Markdown (GitHub) table; ``|`` and line breaks in cells are escaped.

        :param readable: the columns of :meth:`display` (labels for IRIs); else
            every column, IRIs compacted.
        """
        if readable:
            headers, rows = self.display()
        else:
            headers, rows = list(self.variables), self.to_table()

        def escape(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
        lines += ["| " + " | ".join(escape(c) for c in cells) + " |" for cells in rows]
        return "\n".join(lines) + "\n"
