"""Which facts of the graph each sheet of the workbook carries.

A resource belongs to the first sheet that lists one of its classes; a column carries
the values of its property that it can show exactly (:meth:`Column.carries`,
:meth:`Column.representable`). Export writes exactly these facts and import replaces
exactly these facts: everything else about a resource (editorial notes, statements
about single triples, conflicts, properties without a column) is left as it is.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import RDF
from pickg.sheets.layout import Column, Layout, SheetLayout

__all__ = ["carried", "resources_by_sheet", "sheet_of", "shown_values"]


def sheet_of(layout: Layout, graph: Graph, resource: URIRef) -> SheetLayout | None:
    """The sheet a resource of ``graph`` is a row of, if any."""
    types = set(graph.objects(resource, RDF.type))
    return next((s for s in layout.sheets if types & set(s.classes)), None)


def resources_by_sheet(layout: Layout, graph: Graph) -> dict[str, list[URIRef]]:
    """Sheet key → the resources of ``graph`` that are its rows, sorted by IRI."""
    found: dict[str, set[URIRef]] = {s.key: set() for s in layout.sheets}
    for sheet in layout.sheets:
        for cls in sheet.classes:
            for subject in graph.subjects(RDF.type, cls):
                if isinstance(subject, URIRef) and sheet_of(layout, graph, subject) is sheet:
                    found[sheet.key].add(subject)
    return {key: sorted(values, key=str) for key, values in found.items()}


def carried(graph: Graph, sheet: SheetLayout, column: Column, resource: URIRef) -> list[Node] | None:
    """The values of ``resource`` that ``column`` shows, sorted; None when one cell cannot hold them.

    The ``type`` column shows the resource's classes among the sheet's; the ``id``
    column carries no fact.
    """
    if column.predicate is None:
        return []
    values = [v for v in graph.objects(resource, column.predicate) if column.carries(v)]
    if column.kind == "type":
        values = [v for v in values if v in sheet.classes]
    values.sort(key=lambda v: (type(v).__name__, str(v), str(getattr(v, "datatype", "") or "")))
    return values if column.representable(values) else None


def shown_values(graph: Graph, sheet: SheetLayout, resource: URIRef) -> dict[str, list[Node]]:
    """Column key → the values a row of ``resource`` shows (none where a cell cannot hold them)."""
    return {c.key: carried(graph, sheet, c, resource) or [] for c in sheet.columns if c.predicate is not None}
