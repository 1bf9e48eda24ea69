"""The facets of the list pages, indexed: what each initiative or neighbourhood is
filtered, compared and summarised by (``sparql/<list>-facets.rq``, run by
:func:`pickg.site.collect.collect_site`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import URIRef

from pickg.site.context import PageContext

__all__ = ["FACETS", "facets_of", "items_of", "items_with"]

#: The facets of each list, in the order its table shows them.
FACETS: dict[str, tuple[str, ...]] = {
    "initiative": ("neighbourhood", "theme", "condition", "phase", "tier"),
    "neighbourhood": ("borough", "roundtable", "phase", "tier", "initiative", "theme", "condition"),
}


def _index(ctx: PageContext) -> dict[str, Any]:
    found = ctx.site.memo.get("facets")
    if found is None:
        by_item: dict[tuple[str, URIRef], dict[str, list[URIRef]]] = defaultdict(lambda: defaultdict(list))
        by_value: dict[tuple[str, str, URIRef], list[URIRef]] = defaultdict(list)
        items: dict[str, set[URIRef]] = defaultdict(set)
        for name, item, facet, value in ctx.site_data.facets:
            by_item[(name, item)][facet].append(value)
            by_value[(name, facet, value)].append(item)
            items[name].add(item)
        for name in FACETS:
            for item in ctx.site.instances(_CLASSES[name]):
                items[name].add(item)
        found = ctx.site.memo["facets"] = {"item": by_item, "value": by_value, "items": items}
    return found


_CLASSES = {
    "initiative": URIRef("https://w3id.org/pickg/ontology#Initiative"),
    "neighbourhood": URIRef("https://w3id.org/pickg/ontology#Neighbourhood"),
}


def facets_of(ctx: PageContext, name: str, item: URIRef) -> dict[str, list[URIRef]]:
    """Each facet of ``item`` in the list ``name`` → its values (an empty list when it has none)."""
    found = _index(ctx)["item"].get((name, item), {})
    return {facet: list(found.get(facet, [])) for facet in FACETS[name]}


def items_with(ctx: PageContext, name: str, facet: str, value: URIRef) -> list[URIRef]:
    """The items of the list ``name`` whose ``facet`` has ``value``."""
    return list(_index(ctx)["value"].get((name, facet, value), []))


def items_of(ctx: PageContext, name: str) -> list[URIRef]:
    """Every item of the list ``name`` (those with no facet included), sorted by IRI."""
    return sorted(_index(ctx)["items"][name])
