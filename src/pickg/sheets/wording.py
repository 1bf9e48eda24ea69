"""A validation result in a steward's words: the column as the sheet heads it, the row by its name.

The shapes' own messages are written for people who edit Turtle (``pic:supportTier``,
``tier:intensive``). At a cell of the workbook, a steward reads instead what the
column needs: « Niveau de soutien » est vide pour « … » : remplissez la cellule
(choix dans la liste). The constraint says which words fit: a required cell left
empty, a one-value cell holding several; any other result keeps the shape's message
with every project name (``prefix:local``) replaced by its label and file paths
dropped. The shape's message itself stays in the result, for ``--verbose``.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef

from pickg.graph.labels import preferred_label
from pickg.graph.messages import translate
from pickg.graph.namespaces import PREFIXES, SH
from pickg.sheets.export import what_to_write
from pickg.sheets.layout import Column

__all__ = ["plain", "steward_message"]

_CURIE = re.compile(
    r"\b("
    + "|".join(sorted(PREFIXES, key=len, reverse=True))
    + r"):([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|[A-Za-z0-9_])"
)
_PATHS = re.compile(r"\s*\((?:ontology|data|queries)/[^)]*\)")
_IRI = re.compile(r"<?https?://w3id\.org/pickg/\S+?>?(?=[\s,.;:)]|$)")


def plain(text: str, graph: Graph, lang: str) -> str:
    """``text`` with each project name (``pic:supportTier``) replaced by its label and paths to files dropped."""

    def label(match: re.Match[str]) -> str:
        iri = URIRef(PREFIXES[match.group(1)] + match.group(2))
        found = preferred_label(graph, iri, lang)
        return found if found else match.group(2).replace("-", " ")

    return _IRI.sub("", _CURIE.sub(label, _PATHS.sub("", text))).strip()


def steward_message(
    component: object, shape_message: str, column: Column | None, label: str, graph: Graph, lang: str
) -> str:
    """The message a steward reads for one validation result about the row named ``label``.

    :param component: the result's SHACL constraint component.
    :param shape_message: the shape's message in ``lang``.
    :param column: the column the result is about, None when it is about the row.
    """
    if column is None:
        return translate(lang, "review.result_row", label=label, message=plain(shape_message, graph, lang))
    if component == SH.MinCountConstraintComponent:
        return translate(
            lang, "review.result_empty", column=column.headers, label=label, what=what_to_write(column, lang)
        )
    if component == SH.MaxCountConstraintComponent:
        return translate(lang, "review.result_one", column=column.headers, label=label)
    message = plain(shape_message, graph, lang)
    return translate(lang, "review.result_cell", column=column.headers, label=label, message=message)
