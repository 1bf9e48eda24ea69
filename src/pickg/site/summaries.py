"""The plain-language summary at the top of each profile page, one function per kind.

Each sentence is a template of the message catalogue (``[profile]``) filled with names
and counts read from the graph (the site's triples and its facet queries,
``sparql/*-facets.rq``); a fact the graph does not hold is said to be unknown, never
left out as if it were nothing, and never written here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup
from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDF, SCHEMA
from pickg.site.context import PageContext, value_html
from pickg.site.facets import facets_of, items_with
from pickg.site.profile import Citations, count_sentence, name_html, names_html, sentence

__all__ = ["funding_of", "own_name", "participations", "summary"]

_ORG = "http://www.w3.org/ns/org#"
_MEMBER, _ROLE = URIRef(_ORG + "member"), URIRef(_ORG + "role")


def summary(ctx: PageContext, node: URIRef, kind: str, cite: Citations) -> list[Markup]:
    """The summary of ``node``'s page, a list of sentences (empty for a kind without one)."""
    made = _SUMMARIES.get(kind)
    return made(ctx, node) if made is not None else []


def _neighbourhood(ctx: PageContext, node: URIRef) -> list[Markup]:
    facets = facets_of(ctx, "neighbourhood", node)
    said = []
    name = own_name(ctx, node)
    if facets["phase"]:
        said.append(sentence(ctx, "took_part", name=name, phases=names_html(ctx, facets["phase"])))
    for _participation, phase, tier in participations(ctx, node):
        if tier is not None:
            said.append(sentence(ctx, "tier", phase=name_html(ctx, phase), tier=_lower(ctx, tier)))
    said += _listing(ctx, "roundtable", "roundtable", facets["roundtable"])
    said += _listing(ctx, "borough", "boroughs", facets["borough"])
    said.append(count_sentence(ctx, "initiatives", len(facets["initiative"])))
    said += _listing(ctx, "themes", "themes", facets["theme"])
    funding = funding_of(ctx, node)
    if funding is not None:
        amount = ctx.amount(funding)
        said.append(sentence(ctx, "funding_known", amount=amount["text"] if amount else ""))
    else:
        said.append(sentence(ctx, "funding_unknown"))
    return said


def _listing(ctx: PageContext, key: str, name: str, nodes: Sequence[Node]) -> list[Markup]:
    """The sentence ``key`` naming ``nodes`` as its ``name`` (none when there are none)."""
    return [sentence(ctx, key, **{name: names_html(ctx, nodes)})] if nodes else []


def own_name(ctx: PageContext, node: URIRef) -> Markup:
    """The page's own name in its summary: not a link to itself, marked with its language."""
    link = dict(ctx.link(node))
    link["href"] = None
    return value_html(link, ctx.lang)


def participations(ctx: PageContext, node: URIRef) -> list[tuple[Node, Node, Node | None]]:
    """``(participation, phase, support tier or None)`` of a neighbourhood, by phase."""
    site = ctx.site
    found = []
    for subject, prop in site.referrers(node):
        if prop == PIC.neighbourhood and PIC.Participation in site.types(subject):
            phase = site.value(subject, PIC.phase)
            if phase is not None:
                found.append((subject, phase, site.value(subject, PIC.supportTier)))
    return sorted(found, key=lambda row: str(row[1]))


def funding_of(ctx: PageContext, node: URIRef) -> Node | None:
    """The amount of a neighbourhood's funding the graph holds (``pic:NeighbourhoodFunding``)."""
    site = ctx.site
    for subject, prop in site.referrers(node):
        if prop == PIC.neighbourhood and PIC.NeighbourhoodFunding in site.types(subject):
            return subject
    return None


def _lower(ctx: PageContext, node: Node) -> Markup:
    """A concept's name inside a sentence (``intensive support``), linked to its page."""
    link = dict(ctx.link(node))
    link["text"] = link["text"][:1].lower() + link["text"][1:]
    return value_html(link, ctx.lang)


def _initiative(ctx: PageContext, node: URIRef) -> list[Markup]:
    facets = facets_of(ctx, "initiative", node)
    said = []
    if facets["neighbourhood"] and facets["phase"]:
        said.append(
            sentence(
                ctx,
                "initiative_of",
                name=own_name(ctx, node),
                neighbourhood=names_html(ctx, facets["neighbourhood"]),
                phase=names_html(ctx, facets["phase"]),
            )
        )
    said += _listing(ctx, "its_themes", "themes", facets["theme"])
    said += _listing(ctx, "its_conditions", "conditions", facets["condition"])
    leads = ctx.site.values(node, PIC.leadOrganisation)
    said += _listing(ctx, "led_by", "organisations", leads)
    return said


def _organisation(ctx: PageContext, node: URIRef) -> list[Markup]:
    site = ctx.site
    said = []
    roles = []
    for subject, prop in site.referrers(node):
        if prop == _MEMBER:
            role, phase = site.value(subject, _ROLE), site.value(subject, PIC.phase)
            if role is not None:
                roles.append((role, phase))
    if roles:
        parts = Markup("; ").join(
            name_html(ctx, role) + (Markup(" (") + name_html(ctx, phase) + Markup(")") if phase is not None else "")
            for role, phase in sorted(set(roles), key=lambda r: (str(r[1]), ctx.label(r[0]).text))
        )
        said.append(sentence(ctx, "roles", roles=parts))
    served = [s for s, p in site.referrers(node) if p == PIC.roundtable]
    said += _listing(ctx, "roundtable_of", "neighbourhoods", served)
    led = [s for s, p in site.referrers(node) if p == PIC.leadOrganisation]
    said += _listing(ctx, "leads", "initiatives", led)
    return said


def _concept(facet: str) -> Callable[[PageContext, URIRef], list[Markup]]:
    def made(ctx: PageContext, node: URIRef) -> list[Markup]:
        initiatives = items_with(ctx, "initiative", facet, node)
        neighbourhoods = {n for i in initiatives for n in facets_of(ctx, "initiative", i)["neighbourhood"]}
        said = [
            count_sentence(ctx, f"{facet}_initiatives", len(initiatives)),
            count_sentence(ctx, "in_neighbourhoods", len(neighbourhoods)),
        ]
        if facet == "condition":
            said.append(sentence(ctx, "condition_inferred"))
        return said

    return made


def _event(ctx: PageContext, node: URIRef) -> list[Markup]:
    site = ctx.site
    said = []
    date = site.value(node, SCHEMA.startDate)
    if date is not None:
        said.append(sentence(ctx, "event_date", date=ctx.value(date)["text"]))
    concerns = site.values(node, PIC.concerns)
    said += _listing(ctx, "concerns", "things", concerns)
    return said


def _finding(ctx: PageContext, node: URIRef) -> list[Markup]:
    stated = ctx.site.values(node, PIC.statedIn)
    return [sentence(ctx, "stated_in", reports=names_html(ctx, stated))] if stated else []


def _figure(ctx: PageContext, node: URIRef) -> list[Markup]:
    site = ctx.site
    amount = ctx.amount(node)
    if amount is None:
        return []
    period = site.value(node, PIC.referencePeriod)
    said = [sentence(ctx, "figure_value", value=amount["text"])]
    if period is not None:
        said.append(sentence(ctx, "figure_period", period=str(period)))
    about = site.values(node, PIC.about)
    said += _listing(ctx, "figure_about", "things", about)
    return said


def _publication(ctx: PageContext, node: URIRef) -> list[Markup]:
    site = ctx.site
    said = []
    publishers = site.values(node, DCTERMS.publisher)
    said += _listing(ctx, "published_by", "publishers", publishers)
    issued = site.value(node, DCTERMS.issued)
    if issued is not None:
        said.append(sentence(ctx, "issued", date=ctx.value(issued)["text"]))
    return said


def _source(ctx: PageContext, node: URIRef) -> list[Markup]:
    site = ctx.site
    citing = {s for s, p in site.referrers(node) if p == DCTERMS.source and RDF.Statement not in site.types(s)}
    said = [count_sentence(ctx, "cited_by", len(citing))]
    addresses = [ctx.value(u) for u in site.values(node, SCHEMA.url)]
    links = [value_html(a, ctx.lang) for a in addresses if a["external"]]
    if links:
        said.append(sentence(ctx, "source_original", links=Markup(" · ").join(links)))
    return said


_SUMMARIES: dict[str, Callable[[PageContext, URIRef], list[Markup]]] = {
    "neighbourhood": _neighbourhood,
    "initiative": _initiative,
    "organisation": _organisation,
    "roundtable": _organisation,
    "theme": _concept("theme"),
    "condition": _concept("condition"),
    "event": _event,
    "finding": _finding,
    "limit": _finding,
    "figure": _figure,
    "report": _publication,
    "publication": _publication,
    "source": _source,
}
