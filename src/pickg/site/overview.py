"""The website's pages about the whole graph: the home page, the data dictionary, the
catalogue queries and the query page (the pages of one resource are
in :mod:`pickg.site.pages`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rdflib import BNode, URIRef
from rdflib.term import Node

from pickg.graph.bindings import bind_values
from pickg.graph.namespaces import DCTERMS, PIC, PREFIXES, RDF, SKOS
from pickg.queries.catalogue import Query
from pickg.queries.execution import bind_params
from pickg.queries.header import header_lines
from pickg.site.ask import variant_name
from pickg.site.collect import SiteData, Variant
from pickg.site.context import PageContext, figure, format_number, rows_of, said
from pickg.site.profile import prose
from pickg.site.resources import SiteGraph

__all__ = ["dictionary_page", "home_page", "sparql_examples", "sparql_prefixes"]


def _rows(ctx: PageContext, name: str) -> list[dict[str, Node]]:
    return rows_of(ctx.site_data.catalogue[(name, ctx.lang)])


def home_page(ctx: PageContext, data: SiteData, site: SiteGraph, charts: dict[str, str]) -> dict[str, Any]:
    programmes = site.instances(PIC.Programme)
    what = []
    for programme in programmes:
        what.append(
            {
                "link": ctx.link(programme),
                "description": prose(ctx, programme, DCTERMS.description),
                "confidence": ctx.confidence(programme),
                "sources": ctx.sources(programme),
            }
        )
    roles: dict[str, dict[str, Any]] = {}
    for row in _rows(ctx, "roles-in-phase"):
        role = roles.setdefault(str(row["role"]), {"role": ctx.link(row["role"]), "members": []})
        assignment = row.get("assignment")
        role["members"].append(
            {
                "link": ctx.link(row["organisation"]),
                "confidence": ctx.confidence(assignment) if assignment is not None else None,
                "sources": ctx.sources(assignment) if assignment is not None else [],
            }
        )
    budgets = []
    for row in _rows(ctx, "phase-budgets"):
        budget = row.get("budget")
        budgets.append(
            {
                "phase": ctx.link(row["phase"]),
                "period": "–".join(str(row[k]) for k in ("startYear", "endYear") if k in row),
                "amount": ctx.amount(budget) if budget is not None else None,
                "budget": ctx.link(budget) if budget is not None else None,
                "confidence": ctx.confidence(budget) if budget is not None else None,
                "sources": ctx.sources(budget) if budget is not None else [],
                "conflict": "conflictsWith" in row,
            }
        )
    where = [
        {"link": ctx.link(row["neighbourhood"]), "confidence": ctx.confidence(row["participation"])}
        for row in _rows(ctx, "neighbourhoods-of-phase")
    ]
    funding = _rows(ctx, "neighbourhood-funding")
    known = [row for row in funding if "value" in row]
    total = sum(Decimal(str(row["value"])) for row in known)
    changes = [figure(ctx, change) for change in site.instances(PIC.ProgrammeChange)]
    changes.sort(key=lambda r: r["link"]["text"].lower())
    limits = [figure(ctx, limit) for limit in site.instances(PIC.Limit)]
    return {
        "what": what,
        "roles": list(roles.values()),
        "budgets": budgets,
        "where": where,
        "funding": {
            "known": len(known),
            "total": len(funding),
            "unknown": len(funding) - len(known),
            "amount": format_number(total, ctx.lang) + " CAD",
            "rows": [
                {
                    "link": ctx.link(row["neighbourhood"]),
                    "amount": ctx.amount(row["amount"]) if "amount" in row else None,
                    "confidence": ctx.confidence(row["amount"]) if "amount" in row else None,
                }
                for row in funding
            ],
        },
        "changes": changes,
        "limits": limits,
        "charts": [
            {"title": ctx.t(f"chart_{name}"), "src": ctx.asset(f"charts/{name}.{ctx.lang}.svg"), "name": name}
            for name in ("themes", "funding", "timeline")
            if f"charts/{name}.{ctx.lang}.svg" in charts
        ],
        "downloads": [
            {"href": ctx.release(name), "name": name}
            for name in ("pic.ttl", "pic.nt", "pic.jsonld", "pic.trig", "ontology.html", "README.md")
        ],
    }


def dictionary_page(ctx: PageContext, data: SiteData, site: SiteGraph) -> dict[str, Any]:
    examples: dict[URIRef, tuple[URIRef, list[Node]]] = {}
    for s, props in site.out.items():
        for p, objects in props.items():
            named = [o for o in objects if not isinstance(o, BNode)]
            if named and (p not in examples or str(s) < str(examples[p][0])):
                examples[p] = (s, named)
    class_examples: dict[URIRef, URIRef] = {}
    for s, props in site.out.items():
        for cls in props.get(RDF.type, []):
            if isinstance(cls, URIRef) and (cls not in class_examples or str(s) < str(class_examples[cls])):
                class_examples[cls] = s

    def entry(term: URIRef, uses: int, kind: str) -> dict[str, Any]:
        example: dict[str, Any] | None = None
        if kind == "property" and term in examples:
            subject, objects = examples[term]
            # a text in the reader's language when the example has one
            obj = next((o for o in objects if getattr(o, "language", None) == ctx.lang), objects[0])
            example = {"subject": ctx.link(subject), "object": ctx.value(obj)}
        elif kind == "class" and term in class_examples:
            example = {"subject": ctx.link(class_examples[term]), "object": None}
        return {
            "iri": str(term),
            "curie": site.curie(term),
            "anchor": site.anchor(term),
            "label_fr": site.label_in(term, "fr"),
            "label_en": site.label_in(term, "en"),
            "definition": said(site.definition(term, ctx.lang)),
            "uses": uses,
            "example": example,
        }

    classes = [entry(t, n, k) for t, k, n in data.uses if k == "class"]
    properties = [entry(t, n, k) for t, k, n in data.uses if k == "property"]
    concepts: list[dict[str, Any]] = []
    for concept in site.instances(SKOS.Concept):
        scheme = site.value(concept, SKOS.inScheme)
        concepts.append(
            {
                "link": ctx.link(concept),
                "iri": str(concept),
                "curie": site.curie(concept),
                "notation": site.value(concept, SKOS.notation),
                "scheme": ctx.link(scheme) if scheme is not None else None,
                "label_fr": site.label_in(concept, "fr"),
                "label_en": site.label_in(concept, "en"),
                "definition": said(site.definition(concept, ctx.lang)),
            }
        )
    concepts.sort(key=lambda c: (c["scheme"]["text"] if c["scheme"] else "", c["iri"]))
    return {
        "classes": sorted(classes, key=lambda e: e["curie"]),
        "properties": sorted(properties, key=lambda e: e["curie"]),
        "concepts": concepts,
    }


def sparql_examples(
    ctx: PageContext,
    catalogue: Sequence[Query],
    variants: Mapping[tuple[str, str], Sequence[Variant]] | None = None,
) -> list[dict[str, str]]:
    """The query page's examples: every catalogue query, by name, as the endpoint receives
    it from ``pickg query run NAME --endpoint URL`` in the page's language: its header
    left out, its parameters bound to their defaults as a ``VALUES`` row
    (:func:`pickg.queries.execution.bind_params`, :func:`pickg.graph.bindings.bind_values`);
    after each, the same query for each value "Ask the data" shows its answer for
    (``variants``), named as that answer (:func:`pickg.site.ask.variant_name`), so that
    "run it live" runs what the reader read. Each is ``of`` its query's name."""
    examples = []
    for query in sorted(catalogue, key=lambda q: q.name):
        header = {number for number, _ in header_lines(query.text)}
        body = "\n".join(line for number, line in enumerate(query.text.splitlines(), 1) if number not in header)
        summary = query.summary_in(ctx.lang)
        examples.append(
            {
                "name": query.name,
                "of": query.name,
                "summary": summary,
                "text": bind_values(body.strip() + "\n", bind_params(query, None, ctx.lang)),
            }
        )
        for variant in (variants or {}).get((query.name, ctx.lang), ()):
            bound = bind_params(query, {variant.param: variant.value}, ctx.lang)
            examples.append(
                {
                    "name": variant_name(query.name, variant),
                    "of": query.name,
                    "summary": f"{summary} — {ctx.label(variant.value).text}",
                    "text": bind_values(body.strip() + "\n", bound),
                }
            )
    return examples


def sparql_prefixes() -> dict[str, str]:
    """The project's prefixes (``pickg.graph.namespaces.PREFIXES``), prefix → IRI, sorted:
    what the query page's editor completes ``PREFIX`` lines from and shows IRIs with.
    Written into the page, not fetched: a page that fetches nothing once loaded can be
    left at any moment without an aborted request."""
    return dict(sorted(PREFIXES.items()))
