"""The portal's pages besides the profiles: which ones the site builds (:data:`PORTAL_PAGES`,
the one place they are registered) and the About page; search, the timeline and the
downloads page are :mod:`pickg.site.features`'s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import URIRef

from pickg.graph.namespaces import PIC, SKOS
from pickg.site.context import PageContext, said
from pickg.site.listing import LISTS, compare_page, list_page

__all__ = ["PORTAL_PAGES", "about_page"]

_CONFIDENCE_SCHEME = "https://w3id.org/pickg/vocab/confidence"
_CSS = {"C2": "c2", "C1": "c1", "INF": "inf"}


def about_page(ctx: PageContext) -> dict[str, Any]:
    """The About page: how many sources, and each confidence level with its count and an example."""
    site = ctx.site
    levels: list[dict[str, Any]] = []
    for level in site.instances(SKOS.Concept):
        if str(site.value(level, SKOS.inScheme)) != _CONFIDENCE_SCHEME:
            continue
        holders = sorted(s for s, p in site.referrers(level) if p == PIC.confidence and s in site.pages)
        example = next(
            (s for s in holders if URIRef(str(PIC.Initiative)) in site.types(s)), holders[0] if holders else None
        )
        notation = str(site.value(level, SKOS.notation) or "")
        levels.append(
            {
                "notation": notation,
                "css": _CSS.get(notation, "other"),
                "link": ctx.link(level),
                "definition": said(site.definition(level, ctx.lang)),
                "count": len(holders),
                "example": ctx.link(example) if example is not None else None,
            }
        )
    levels.sort(
        key=lambda lv: (list(_CSS).index(lv["notation"]) if lv["notation"] in _CSS else len(_CSS), lv["notation"])
    )
    return {"levels": levels, "sources": len(site.instances(PIC.Source))}


#: The portal's pages: (template, page path, name of the template's value, what makes it).
PORTAL_PAGES: tuple[tuple[str, str, str, Callable[[PageContext], Any]], ...] = (
    *(("list.html.j2", f"{name}/index", "listing", lambda ctx, n=name: list_page(ctx, n)) for name in LISTS),
    ("compare.html.j2", "compare/index", "compare", compare_page),
    ("about.html.j2", "about/index", "about", about_page),
)
