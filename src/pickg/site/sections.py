"""A profile page's reader part put together (:func:`profile`), and the sections a kind
of page adds to the generic ones (:mod:`pickg.site.profile`):
a neighbourhood's initiatives, funding, figures and the neighbourhoods that share its
themes; an initiative's conditions of systems change with the reasoning behind each link.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef

from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC, SCHEMA, SKOS
from pickg.site.context import PageContext, format_number, rows_of
from pickg.site.facets import facets_of, items_of
from pickg.site.profile import LIST_OF_KIND, PROSE, Citations, key_facts, kind_of, list_page, prose, related
from pickg.site.summaries import funding_of, summary

__all__ = ["initiative_row", "profile", "sections"]

Sections = Callable[[Citations], dict[str, Any]]


def sections(ctx: PageContext, node: URIRef) -> Sections | None:
    """What ``node``'s kind of page adds, as a function of the page's citations."""
    kind = kind_of(ctx, node)
    if kind == "neighbourhood":
        return lambda cite: _neighbourhood(ctx, node, cite)
    if kind == "initiative":
        return lambda cite: _initiative(ctx, node, cite)
    return None


def initiative_row(ctx: PageContext, initiative: URIRef, cite: Citations) -> dict[str, Any]:
    """An initiative in a table: its name, themes, conditions, desired change and badge."""
    facets = facets_of(ctx, "initiative", initiative)
    desired = prose(ctx, initiative, PIC.desiredChange)
    return {
        "link": ctx.link(initiative),
        "themes": [ctx.link(t) for t in _by_name(ctx, facets["theme"])],
        "conditions": [ctx.link(c) for c in _by_name(ctx, facets["condition"])],
        "desired": desired[0] if desired else None,
        "badge": cite.badge(initiative),
    }


def _by_name(ctx: PageContext, nodes: list[URIRef]) -> list[URIRef]:
    return sorted(set(nodes), key=lambda n: ctx.label(n).text.lower())


def _neighbourhood(ctx: PageContext, node: URIRef, cite: Citations) -> dict[str, Any]:
    site = ctx.site
    facets = facets_of(ctx, "neighbourhood", node)
    initiatives = sorted(facets["initiative"], key=lambda i: ctx.label(i).text.lower())
    figures: list[dict[str, Any]] = []
    for subject, prop in site.referrers(node):
        if prop == PIC.about and kind_of(ctx, subject) == "figure":
            period = site.value(subject, PIC.referencePeriod)
            figures.append(
                {
                    "link": ctx.link(subject),
                    "value": ctx.amount(subject),
                    "period": str(period) if period is not None else None,
                    "badge": cite.badge(subject),
                }
            )
    figures.sort(key=lambda f: f["link"]["text"].lower())
    mine = set(facets["theme"])
    sharing: list[dict[str, Any]] = []
    for other in items_of(ctx, "neighbourhood"):
        shared = mine & set(facets_of(ctx, "neighbourhood", other)["theme"])
        if other != node and shared:
            sharing.append(
                {
                    "link": ctx.link(other),
                    "n": len(shared),
                    "themes": [ctx.link(t) for t in _by_name(ctx, list(shared))],
                }
            )
    sharing.sort(key=lambda s: (-s["n"], s["link"]["text"].lower()))
    return {
        "skip": ("initiative", "figure", "amount", "participation", "roundtable"),
        "initiatives": [initiative_row(ctx, i, cite) for i in initiatives],
        "funding": _funding(ctx, node, cite),
        "figures": figures,
        "sharing": sharing,
        "compare": ctx.href("compare/index") + "?n=" + str(node).rstrip("/").rsplit("/", 1)[-1],
    }


def _funding(ctx: PageContext, node: URIRef, cite: Citations) -> dict[str, Any]:
    """The neighbourhood's funding (known or unknown, never zero) against its phase's budget."""
    amount = funding_of(ctx, node)
    budget = None
    for row in rows_of(ctx.site_data.catalogue[("phase-budgets", ctx.lang)]):
        if "budget" in row and str(row["phase"]).endswith("/1"):
            budget = row["budget"]
            break
    share = None
    if amount is not None and budget is not None:
        mine, whole = ctx.site.value(amount, SCHEMA.value), ctx.site.value(budget, SCHEMA.value)
        if isinstance(mine, Literal) and isinstance(whole, Literal) and Decimal(str(whole)) > 0:
            share = format_number(round(Decimal(str(mine)) / Decimal(str(whole)) * 100, 1), ctx.lang)
    return {
        "amount": ctx.amount(amount) if amount is not None else None,
        "link": ctx.link(amount) if amount is not None else None,
        "badge": cite.badge(amount) if amount is not None else None,
        "budget": ctx.amount(budget) if budget is not None else None,
        "budget_link": ctx.link(budget) if budget is not None else None,
        "budget_badge": cite.badge(budget) if budget is not None else None,
        "share": share,
    }


def _initiative(ctx: PageContext, node: URIRef, cite: Citations) -> dict[str, Any]:
    site = ctx.site
    links: list[dict[str, Any]] = []
    for subject, prop in site.referrers(node):
        if prop == PIC.linkedResource:
            condition = site.value(subject, PIC.condition)
            if condition is not None:
                scheme = site.value(condition, SKOS.inScheme)
                links.append(
                    {
                        "link": ctx.link(condition),
                        "scheme": ctx.label(scheme).text if scheme is not None else None,
                        "badge": cite.badge(subject),
                    }
                )
    links.sort(key=lambda r: (r["scheme"] or "", r["link"]["text"].lower()))
    return {"skip": ("link",), "conditions": links}


def profile(ctx: PageContext, node: URIRef, extra: Sections | None = None) -> dict[str, Any]:
    """The reader's part of ``node``'s page: its kind, names, summary, key facts, texts,
    related records and numbered sources (``extra``: what a kind's own builder adds, for
    instance a neighbourhood's initiatives, figures and funding, see :func:`sections`)."""
    cite = Citations(ctx)
    kind = kind_of(ctx, node)
    own = cite.badge(node)
    label = ctx.label(node)
    original = ctx.site.original(node, ctx.lang)
    texts = []
    for prop in PROSE:
        for text in prose(ctx, node, prop):
            title = ctx.label(prop).text
            texts.append({"title": title[:1].upper() + title[1:], **text})
    sections = extra(cite) if extra is not None else {}
    skip = frozenset(sections.get("skip", ()))
    return {
        "kind": kind,
        "kind_name": translate(ctx.lang, f"portal.kind_{kind}"),
        "list": LIST_OF_KIND.get(kind),
        "list_page": list_page(LIST_OF_KIND[kind]) if kind in LIST_OF_KIND else None,
        "title": label,
        "gloss": label.gloss,
        "original": original,
        "badge": own,
        "summary": summary(ctx, node, kind, cite),
        "facts": key_facts(ctx, node, kind, cite),
        "texts": texts,
        "sections": sections,
        "related": related(ctx, node, cite, skip),
        "sources": cite,
    }
