"""The list pages a reader filters and sorts (initiatives, neighbourhoods, funders and
partners, themes, conditions of systems change, findings), the comparison of
neighbourhoods, and each list's CSV.

A list is a table whose rows carry, for each facet, the values they have (``data-*``
attributes); ``static/lists.js`` filters and sorts them and keeps the filters in the URL.
Without JavaScript the page shows the whole table. Nothing here writes HTML but the
cells' values (:func:`pickg.site.context.value_html`, :func:`pickg.site.profile.badge_html`).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape
from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.namespaces import PIC, SKOS
from pickg.site.context import PageContext, value_html
from pickg.site.facets import facets_of, items_of, items_with
from pickg.site.profile import Citations, badge_html, kind_of
from pickg.site.summaries import funding_of, participations

__all__ = ["LISTS", "compare_page", "list_csv", "list_page", "slug"]

_ORG_ROLE, _ORG_MEMBER = URIRef("http://www.w3.org/ns/org#role"), URIRef("http://www.w3.org/ns/org#member")


def slug(node: Node) -> str:
    """The short name of a resource in a URL's query (the last part of its IRI)."""
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Table:
    """A list being built: its facets, columns and rows (cells as HTML, CSV as text)."""

    def __init__(self, ctx: PageContext, facets: tuple[str, ...], columns: tuple[str, ...]) -> None:
        self.ctx = ctx
        self.cite = Citations(ctx)
        self.facets = facets
        self.columns = columns
        self.rows: list[dict[str, Any]] = []
        self.options: dict[str, dict[str, Node]] = {f: {} for f in facets}
        self.counts: dict[str, Counter[str]] = {f: Counter() for f in facets}

    def names(self, nodes: list[Node]) -> tuple[Markup, str, str]:
        ctx = self.ctx
        shown = sorted(set(nodes), key=lambda n: ctx.label(n).text.lower())
        html = Markup(", ").join(value_html(ctx.link(n), ctx.lang) for n in shown)
        text = ", ".join(ctx.label(n).text for n in shown)
        return html, text, text.lower()

    def add(self, node: URIRef, facets: Mapping[str, Sequence[Node]], cells: list[tuple[Markup, str, str]]) -> None:
        ctx = self.ctx
        link = ctx.link(node)
        first = (value_html(link, ctx.lang), link["text"], link["text"].lower())
        row_facets = {}
        for facet in self.facets:
            values = sorted({slug(v) for v in facets.get(facet, [])})
            for value in facets.get(facet, []):
                self.options[facet].setdefault(slug(value), value)
            self.counts[facet].update(values)
            row_facets[facet] = " ".join(values)
        badge = badge_html(ctx, self.cite.badge(node))
        self.rows.append({"cells": [first, *cells], "facets": row_facets, "badge": badge, "id": slug(node)})

    def context(self, name: str) -> dict[str, Any]:
        ctx = self.ctx
        facets = []
        for facet in self.facets:
            options: list[dict[str, Any]] = [
                {
                    "value": key,
                    "label": ctx.label(node).text,
                    "lang": ctx.label(node).lang if ctx.label(node).translated_for(ctx.lang) else None,
                    "count": self.counts[facet][key],
                }
                for key, node in self.options[facet].items()
            ]
            options.sort(key=lambda o: o["label"].lower())
            facets.append({"name": facet, "label": ctx.tp(f"facet_{facet}"), "options": options})
        self.rows.sort(key=lambda r: r["cells"][0][2])
        return {
            "name": name,
            "title": ctx.tp(f"list_{name}"),
            "intro": ctx.tp(f"intro_{name}"),
            "columns": [ctx.tp(f"col_{c}") for c in ("name", *self.columns)],
            "facets": facets,
            "rows": self.rows,
            "csv": f"{name}.{ctx.lang}.csv",
            "sources": self.cite.entries(),
        }


def _initiatives(ctx: PageContext) -> _Table:
    table = _Table(
        ctx,
        ("neighbourhood", "theme", "condition", "phase", "tier"),
        ("neighbourhood", "theme", "condition", "phase", "tier"),
    )
    for item in items_of(ctx, "initiative"):
        facets = facets_of(ctx, "initiative", item)
        table.add(item, facets, [table.names(list(facets[f])) for f in table.columns])
    return table


def _neighbourhoods(ctx: PageContext) -> _Table:
    columns = ("borough", "tier", "phase", "initiatives", "theme", "funding")
    table = _Table(ctx, ("borough", "tier", "phase", "theme"), columns)
    for item in items_of(ctx, "neighbourhood"):
        facets = facets_of(ctx, "neighbourhood", item)
        count = len(set(facets["initiative"]))
        funding = funding_of(ctx, item)
        amount = ctx.amount(funding) if funding is not None else None
        money = (
            (Markup(escape(amount["text"])), amount["text"], f"{count:06d}")
            if amount is not None
            else (Markup(f'<span class="unknown">{escape(ctx.t("unknown"))}</span>'), ctx.t("unknown"), "")
        )
        cells = [
            table.names(list(facets["borough"])),
            table.names(list(facets["tier"])),
            table.names(list(facets["phase"])),
            (Markup(str(count)), str(count), f"{count:06d}"),
            table.names(list(facets["theme"])),
            money,
        ]
        table.add(item, facets, cells)
    return table


def _organisations(ctx: PageContext) -> _Table:
    table = _Table(ctx, ("kind", "role"), ("kind", "role"))
    site = ctx.site
    members = [r for r in site.resources() if kind_of(ctx, r) in ("organisation", "roundtable")]
    for item in members:
        roles = [
            role
            for subject, prop in site.referrers(item)
            if prop == _ORG_MEMBER
            for role in site.values(subject, _ORG_ROLE)
        ]
        kinds = site.types(item)
        table.add(item, {"kind": list(kinds), "role": roles}, [table.names(list(kinds)), table.names(roles)])
    return table


def _concepts(facet: str, scheme: str) -> Callable[[PageContext], _Table]:
    def made(ctx: PageContext) -> _Table:
        table = _Table(ctx, (), ("broader", "initiatives", "neighbourhoods"))
        for concept in ctx.site.instances(SKOS.Concept):
            if str(ctx.site.value(concept, SKOS.inScheme)) != scheme:
                continue
            initiatives = items_with(ctx, "initiative", facet, concept)
            places = {n for i in initiatives for n in facets_of(ctx, "initiative", i)["neighbourhood"]}
            cells = [
                table.names(list(ctx.site.values(concept, SKOS.broader))),
                (Markup(str(len(initiatives))), str(len(initiatives)), f"{len(initiatives):06d}"),
                (Markup(str(len(places))), str(len(places)), f"{len(places):06d}"),
            ]
            table.add(concept, {}, cells)
        return table

    return made


def _findings(ctx: PageContext) -> _Table:
    table = _Table(ctx, ("kind",), ("kind", "stated_in"))
    for item in ctx.site.resources():
        if kind_of(ctx, item) in ("finding", "limit", "change"):
            kinds = ctx.site.types(item)
            stated = list(ctx.site.values(item, PIC.statedIn))
            table.add(item, {"kind": list(kinds)}, [table.names(list(kinds)), table.names(stated)])
    return table


#: The list pages, by name (their folder): what builds each one's table.
LISTS: dict[str, Callable[[PageContext], _Table]] = {
    "neighbourhoods": _neighbourhoods,
    "initiatives": _initiatives,
    "organisations": _organisations,
    "themes": _concepts("theme", "https://w3id.org/pickg/vocab/theme"),
    "systems-change": _concepts("condition", "https://w3id.org/pickg/vocab/systems-change"),
    "findings": _findings,
}


def list_page(ctx: PageContext, name: str) -> dict[str, Any]:
    """What the list page ``name`` shows (``list.html.j2``)."""
    return LISTS[name](ctx).context(name)


def list_csv(ctx: PageContext, name: str) -> str:
    """The list ``name`` as CSV in ``ctx``'s language: one row per record, its columns' texts."""
    listed = list_page(ctx, name)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(listed["columns"])
    for row in listed["rows"]:
        writer.writerow([cell[1] for cell in row["cells"]])
    return out.getvalue()


def compare_page(ctx: PageContext) -> dict[str, Any]:
    """Every neighbourhood as a column the comparison page can show (``?n=…`` picks them)."""
    cite = Citations(ctx)
    columns = []
    for item in sorted(items_of(ctx, "neighbourhood"), key=lambda n: ctx.label(n).text.lower()):
        facets = facets_of(ctx, "neighbourhood", item)
        tiers = []
        for participation, phase, tier in participations(ctx, item):
            if tier is not None:
                tiers.append(
                    Markup("{} ({}) {}").format(
                        value_html(ctx.link(tier), ctx.lang),
                        ctx.label(phase).text,
                        badge_html(ctx, cite.badge(participation)),
                    )
                )
        funding = funding_of(ctx, item)
        amount = ctx.amount(funding) if funding is not None else None
        figures = []
        for subject, prop in ctx.site.referrers(item):
            if prop == PIC.about and kind_of(ctx, subject) == "figure":
                value = ctx.amount(subject)
                figures.append(
                    Markup("{}{} {} {}").format(
                        value_html(ctx.link(subject), ctx.lang),
                        ctx.t("colon"),
                        value["text"] if value else "",
                        badge_html(ctx, cite.badge(subject)),
                    )
                )
        columns.append(
            {
                "id": slug(item),
                "link": ctx.link(item),
                "tiers": tiers,
                "initiatives": sorted(
                    (ctx.link(i) for i in set(facets["initiative"])), key=lambda link: link["text"].lower()
                ),
                "themes": sorted((ctx.link(t) for t in set(facets["theme"])), key=lambda link: link["text"].lower()),
                "conditions": sorted(
                    (ctx.link(c) for c in set(facets["condition"])), key=lambda link: link["text"].lower()
                ),
                "funding": Markup("{} {}").format(amount["text"], badge_html(ctx, cite.badge(funding)))
                if amount and funding is not None
                else None,
                "figures": sorted(figures),
            }
        )
    return {"columns": columns, "sources": cite.entries()}
