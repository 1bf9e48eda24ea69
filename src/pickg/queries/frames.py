"""A :class:`~pickg.queries.results.Result` as a typed pandas DataFrame, for notebooks.

Each column gets the pandas type of its RDF terms, so a notebook computes without a
CSV round trip: whole numbers (``xsd:integer`` and its kin, ``xsd:gYear``) as
``Int64``, decimals and floating-point numbers as ``Float64``, ``xsd:boolean`` as
``boolean``, ``xsd:date`` and ``xsd:dateTime`` as ``datetime64``, IRIs and text as
``string`` (IRIs in full or as CURIEs with the project's prefixes); a column of whole
numbers and decimals is ``Float64``. An unbound cell is
``<NA>`` (``NaT`` for a date): unknown stays unknown, never 0. A column whose terms are
of different kinds is left as text.

pandas is an optional dependency: ``pip install 'pickg[analysis]'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from rdflib import Literal as RdfLiteral
from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.namespaces import XSD, compact_iri

__all__ = ["LABEL_MODES", "to_pandas"]

#: How label columns (``<name>Label`` beside an IRI column ``name``) appear in a frame.
LABEL_MODES = ("beside", "only", "none")

_INTEGERS = {
    XSD[name]
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte", "gYear",
    )
}  # fmt: skip
_FLOATS = {XSD.decimal, XSD.double, XSD.float}
_DATES = {XSD.date, XSD.dateTime}


def _kind(term: Node) -> str:
    """The pandas kind of one term: ``Int64``, ``Float64``, ``boolean``, ``datetime``, ``iri`` or ``string``."""
    if isinstance(term, URIRef):
        return "iri"
    if isinstance(term, RdfLiteral):
        if term.datatype in _INTEGERS:
            return "Int64"
        if term.datatype in _FLOATS:
            return "Float64"
        if term.datatype == XSD.boolean:
            return "boolean"
        if term.datatype in _DATES:
            return "datetime"
    return "string"


def _is_year(term: Node) -> bool:
    return isinstance(term, RdfLiteral) and term.datatype == XSD.gYear


def _column(terms: Sequence[Node | None], iris: str) -> tuple[list[Any], str]:
    """The values of one column and its pandas dtype."""
    kinds = {_kind(term) for term in terms if term is not None}
    if kinds == {"Int64", "Float64"}:  # whole numbers beside decimals: all decimals
        kinds = {"Float64"}
    kind = kinds.pop() if len(kinds) == 1 else "string"
    values: list[Any] = []
    for term in terms:
        if term is None:
            values.append(None)
        elif kind == "Int64":
            values.append(int(str(term)[:4]) if _is_year(term) else int(str(term)))
        elif kind == "Float64":
            values.append(float(str(term)))
        elif kind == "boolean":
            values.append(str(term) in ("true", "1"))
        elif kind == "datetime":
            values.append(str(term))
        elif isinstance(term, URIRef):
            values.append(compact_iri(str(term)) if iris == "curie" else str(term))
        else:
            values.append(str(term))
    dtype = {"iri": "string", "datetime": "datetime64[ns]"}.get(kind, kind)
    return values, dtype


def _import_pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise InputError(
            "pandas is not installed, and a DataFrame needs it; install pickg's analysis extra: "
            "pip install 'pickg[analysis]'"
        ) from None
    return pandas


def to_pandas(
    variables: Sequence[str],
    rows: Sequence[Sequence[Node | None]],
    labels: Literal["beside", "only", "none"] = "beside",
    iris: Literal["full", "curie"] = "full",
) -> Any:  # a pandas.DataFrame (pandas ships no type stubs)
    """A DataFrame of the rows, one typed column per variable.

    :param labels: ``beside`` keeps each label column ``<name>Label`` next to its IRI
        column ``name``; ``only`` puts the label in the IRI column's place, under its
        name (the IRI where there is no label); ``none`` drops the label columns.
    :param iris: ``full`` IRIs, or ``curie`` (``nbh:verdun``) with the project's prefixes.
    :raises InputError: an unknown mode, or pandas is not installed.
    """
    if labels not in LABEL_MODES:
        raise InputError(f"labels={labels!r} is not a way to show labels; use one of {', '.join(LABEL_MODES)}")
    if iris not in ("full", "curie"):
        raise InputError(f"iris={iris!r} is not a way to write IRIs; use full or curie")
    pandas = _import_pandas()
    names = list(variables)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    labelled = {name for name in names if name + "Label" in columns}
    shown: dict[str, list[Node | None]] = {}
    for name in names:
        if name.endswith("Label") and name[: -len("Label")] in labelled and labels != "beside":
            continue
        if name in labelled and labels == "only":
            shown[name] = [
                label if label is not None else iri
                for iri, label in zip(columns[name], columns[name + "Label"], strict=True)
            ]
        else:
            shown[name] = columns[name]
    data = {}
    for name, terms in shown.items():
        values, dtype = _column(terms, iris)
        data[name] = pandas.Series(values, dtype=dtype) if dtype != "datetime64[ns]" else pandas.to_datetime(values)
    return pandas.DataFrame(data, columns=list(shown))
