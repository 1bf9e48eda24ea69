"""The part of a resource's page written for readers: a summary, key facts, related
records grouped by meaning, long texts in the reader's language, numbered sources.

:func:`profile` turns one resource of :class:`pickg.site.resources.SiteGraph` into the
plain values the template ``resource.html.j2`` lays out above its collapsed "For data
users" section. Every sentence is a template of the message catalogue (``[profile]``)
filled from the graph; no IRI, prefixed name or editorial note reaches this part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.messages import translate
from pickg.graph.namespaces import DCTERMS, PIC, RDF, RDFS, SCHEMA, SKOS
from pickg.site.context import PageContext, quoted_html, value_html

__all__ = [
    "PROSE",
    "Citations",
    "badge_html",
    "count_sentence",
    "kind_of",
    "name_html",
    "names_html",
    "LIST_OF_KIND",
    "list_page",
    "key_facts",
    "related",
    "prose",
    "prose_html",
    "sentence",
]

#: Long texts shown as paragraphs, each in the reader's language where the graph has it.
PROSE = (PIC.desiredChange, PIC.text, DCTERMS.abstract, DCTERMS.description, SKOS.definition)
#: The kinds of page, by class (a subclass takes its superclass's kind), most specific first.
KINDS: tuple[tuple[URIRef, str], ...] = (
    (PIC.Neighbourhood, "neighbourhood"),
    (PIC.Initiative, "initiative"),
    (PIC.Roundtable, "roundtable"),
    (PIC.Organisation, "organisation"),
    (PIC.Event, "event"),
    (PIC.Limit, "limit"),
    (PIC.Finding, "finding"),
    (PIC.ProgrammeChange, "change"),
    (PIC.Figure, "figure"),
    (PIC.MonetaryAmount, "amount"),
    (PIC.AssessmentReport, "report"),
    (PIC.Publication, "publication"),
    (PIC.Source, "source"),
    (PIC.Territory, "territory"),
    (PIC.Phase, "phase"),
    (PIC.Programme, "programme"),
    (PIC.Participation, "participation"),
    (PIC.ConditionLink, "link"),
    (PIC.RoleAssignment, "role"),
    (RDF.Statement, "statement"),
    (URIRef("http://xmlns.com/foaf/0.1/Person"), "person"),
)
#: The concept schemes whose concepts are themes and conditions of systems change.
SCHEME_KINDS = {
    URIRef("https://w3id.org/pickg/vocab/theme"): "theme",
    URIRef("https://w3id.org/pickg/vocab/systems-change"): "condition",
}
#: Properties never shown as key facts: names, provenance, notes for stewards, and what
#: the page shows elsewhere (long texts, the source's address, internal numbering).
_NOT_FACTS = frozenset(
    {
        RDF.type,
        RDFS.label,
        SKOS.prefLabel,
        SKOS.altLabel,
        DCTERMS.title,
        DCTERMS.source,
        PIC.confidence,
        PIC.rationale,
        SKOS.editorialNote,
        PIC.gloss,
        PIC.ordinal,
        PIC.alias,
        SCHEMA.url,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.notation,
        RDFS.isDefinedBy,
        PIC.conflictsWith,
        *PROSE,
    }
)
#: The list page each kind of record belongs to (its breadcrumb and menu entry).
LIST_OF_KIND = {
    "neighbourhood": "neighbourhoods",
    "initiative": "initiatives",
    "organisation": "organisations",
    "roundtable": "organisations",
    "theme": "themes",
    "condition": "systems-change",
    "finding": "findings",
    "limit": "findings",
    "change": "findings",
    "event": "timeline",
}
#: The pages of :data:`LIST_OF_KIND` that are not a list's ``<name>/index``.
_OWN_PAGES = frozenset({"timeline"})


def list_page(name: str) -> str:
    """The page path of the list ``name`` of :data:`LIST_OF_KIND` (the timeline is a page of its own)."""
    return name if name in _OWN_PAGES else f"{name}/index"


#: Key facts asked first, by kind; the others follow in the order of their names.
_FIRST: dict[str, tuple[URIRef, ...]] = {
    "initiative": (PIC.neighbourhood, PIC.phase, PIC.theme, PIC.leadOrganisation, SCHEMA.startDate),
    "event": (SCHEMA.startDate, PIC.concerns, SCHEMA.organizer, DCTERMS.contributor),
    "figure": (SCHEMA.value, PIC.unit, PIC.referencePeriod, PIC.about),
    "report": (DCTERMS.creator, DCTERMS.publisher, DCTERMS.issued),
    "publication": (DCTERMS.creator, DCTERMS.publisher, DCTERMS.issued),
}
#: Records that link two others (a link to a condition, a participation, a role): shown
#: by their own readable label, in a group of their own.
_INTERMEDIATE = (PIC.ConditionLink, PIC.Participation, PIC.RoleAssignment)
_SAFE_SCHEMES = ("https://", "http://")
_ORG_ROLE = URIRef("http://www.w3.org/ns/org#role")
_TRANSLATION_OF = PIC.translationOf


def sentence(ctx: PageContext, key: str, **parts: Markup | str) -> Markup:
    """The catalogue's template ``profile.<key>`` for this page, filled with HTML ``parts``
    (names already marked with their language by :func:`name_html`; text escaped)."""
    template = translate(ctx.lang, f"portal.{key}")
    return Markup(escape(template)).format(**parts)


def count_sentence(ctx: PageContext, key: str, n: int) -> Markup:
    """The catalogue's text ``profile.<key>`` for the count ``n`` (its plural form)."""
    return Markup(escape(translate(ctx.lang, f"portal.{key}", n=n)))


def kind_of(ctx: PageContext, node: Node) -> str:
    """The kind of page ``node`` gets (``neighbourhood``, ``theme``…; ``other``), once per node."""
    kinds: dict[Node, str] = ctx.site.memo.setdefault("kinds", {})
    found = kinds.get(node)
    if found is None:
        found = kinds[node] = _kind_of(ctx, node)
    return found


def _kind_of(ctx: PageContext, node: Node) -> str:
    site = ctx.site
    seen = set(site.classes(node))
    for cls, kind in KINDS:
        if cls in seen:
            return kind
    for scheme in site.values(node, SKOS.inScheme):
        if isinstance(scheme, URIRef) and scheme in SCHEME_KINDS:
            return SCHEME_KINDS[scheme]
    return "other"


class Citations:
    """The sources of one page, numbered in the order the page first cites them."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        self.numbers: dict[Node, int] = {}

    def cite(self, sources: Iterable[Node]) -> list[int]:
        found = []
        for source in sources:
            number = self.numbers.setdefault(source, len(self.numbers) + 1)
            if number not in found:
                found.append(number)
        return found

    def badge(self, node: Node, fallback: Node | None = None) -> dict[str, Any]:
        """``node``'s confidence and the numbers of its sources (``fallback``'s when it has none)."""
        ctx = self.ctx
        mark = ctx.confidence(node)
        sources = ctx.site.values(node, DCTERMS.source)
        if fallback is not None and mark is None and not sources:
            mark, sources = ctx.confidence(fallback), ctx.site.values(fallback, DCTERMS.source)
        return {"mark": mark, "refs": self.cite(sources)}

    def entries(self) -> list[dict[str, Any]]:
        site, ctx = self.ctx.site, self.ctx
        rows = []
        for source, number in sorted(self.numbers.items(), key=lambda item: item[1]):
            urls = [str(u) for u in site.values(source, SCHEMA.url) if str(u).startswith(_SAFE_SCHEMES)]
            rows.append({"n": number, "link": ctx.link(source), "urls": urls})
        return rows


def badge_html(ctx: PageContext, badge: dict[str, Any] | None) -> Markup:
    """A confidence badge pointing at the page's numbered sources, with the reasoning of an
    inferred fact behind a click."""
    if not badge or (not badge["mark"] and not badge["refs"]):
        return Markup("")
    mark, refs = badge["mark"], badge["refs"]
    html = ""
    if mark:
        target = f"#src-{refs[0]}" if refs else "#sources"
        hidden = escape(translate(ctx.lang, "site.confidence") + translate(ctx.lang, "site.colon"))
        html += (
            f'<a class="conf conf-{escape(mark["css"])}" href="{target}" title="{escape(mark["name"])}">'
            f'<span class="visually-hidden">{hidden} </span>{escape(mark["notation"])}</a>'
        )
    if refs:
        label = escape(translate(ctx.lang, "portal.source_n"))
        links = ", ".join(f'<a href="#src-{n}" aria-label="{label} {n}">{n}</a>' for n in refs)
        html += f'<sup class="refs">[{links}]</sup>'
    if mark and mark["rationale"]:
        html += (
            f'<details class="rationale"><summary>{escape(translate(ctx.lang, "site.rationale"))}</summary>'
            f"<p>{value_html(mark['rationale'], ctx.lang)}</p></details>"
        )
    return Markup(f'<span class="badge">{html}</span>')


def name_html(ctx: PageContext, node: Node) -> Markup:
    """A name in running text: a link to its page, marked with its language when not the reader's."""
    return value_html(ctx.link(node), ctx.lang)


def names_html(ctx: PageContext, nodes: Iterable[Node]) -> Markup:
    """Several names, sorted as the reader reads them, joined by the catalogue's separator."""
    shown = sorted(nodes, key=lambda n: ctx.label(n).text.lower())
    return Markup(escape(translate(ctx.lang, "portal.and"))).join(name_html(ctx, n) for n in shown)


def prose(ctx: PageContext, node: Node, prop: URIRef) -> list[dict[str, Any]]:
    """The texts of ``node prop ?text`` for this page's reader.

    The text in the reader's language where the graph has one (``prop`` itself, a
    property the ontology declares a sub-property of it, or a translation property, whose
    ``pic:translationOf`` is ``prop``), marked as the project's translation when it is a
    translation property's or an ``rdf:Statement`` describes it (as every ``pic:gloss`` is),
    with the other language's text one click away; otherwise the original, marked with its
    language.
    """
    site = ctx.site
    translations = translation_properties(ctx, prop)
    props = [prop, *sorted(s for s, p in site.referrers(prop) if p == RDFS.subPropertyOf), *translations]
    texts = [o for p in props for o in site.values(node, p) if isinstance(o, Literal)]
    if not texts:
        return []
    mine = [t for t in texts if t.language == ctx.lang]
    others = [t for t in texts if t.language != ctx.lang]
    described = {site.value(s, RDF.object) for s, p in site.referrers(node) if p == RDF.subject}
    described.update(o for p in translations for o in site.values(node, p))
    if not mine:
        return [{"text": _said(t), "original": None, "translated": False} for t in others]
    return [
        {
            "text": _said(t),
            "translated": t in described,
            "original": _said(others[0]) if others else None,
        }
        for t in mine
    ]


def translation_properties(ctx: PageContext, prop: URIRef) -> list[URIRef]:
    """The properties that hold the project's translations of ``prop``'s texts (``pic:translationOf``)."""
    return sorted(s for s, p in ctx.site.referrers(prop) if p == _TRANSLATION_OF)


def _said(literal: Literal) -> dict[str, Any]:
    return {"text": str(literal), "lang": literal.language, "href": None, "external": False}


def key_facts(ctx: PageContext, node: URIRef, kind: str, cite: Citations) -> list[dict[str, Any]]:
    """The facts of ``node`` a reader asks first, each value with its badge."""
    site = ctx.site
    props = site.out.get(node, {})
    statements = {
        (site.value(s, RDF.predicate), site.value(s, RDF.object)): s
        for s, p in site.referrers(node)
        if p == RDF.subject
    }
    first = _FIRST.get(kind, ())
    order = [p for p in first if p in props]
    order += sorted(
        (
            p
            for p in props
            if p not in _NOT_FACTS
            and p not in first
            and p not in site.gloss_properties
            and site.value(p, _TRANSLATION_OF) is None
        ),
        key=lambda p: ctx.label(p).text.lower(),
    )
    facts = []
    for prop in order:
        objects = list(props[prop]) + [o for t in translation_properties(ctx, prop) for o in props.get(t, [])]
        if any(isinstance(o, Literal) and o.language == ctx.lang for o in objects):  # the reader's words only
            objects = [o for o in objects if not isinstance(o, Literal) or o.language in (None, ctx.lang)]
        values = []
        for obj in objects:
            statement = statements.get((prop, obj))
            values.append(
                {
                    "value": ctx.value(obj) if not isinstance(obj, URIRef) else ctx.link(obj),
                    "badge": cite.badge(statement, node) if statement is not None else None,
                }
            )
        label = ctx.label(prop).text
        # a fact no statement describes rests on the record's own sources
        shared = cite.badge(node) if any(v["badge"] is None for v in values) else None
        facts.append({"label": label[:1].upper() + label[1:], "values": values, "badge": shared})
    return facts


def _phase_of(ctx: PageContext, node: Node) -> dict[str, Any] | None:
    phase = ctx.site.value(node, PIC.phase)
    return ctx.link(phase) if phase is not None else None


def related(ctx: PageContext, node: URIRef, cite: Citations, skip: frozenset[str]) -> list[dict[str, Any]]:
    """The records that point at ``node``, grouped by their kind, each with its badge."""
    site = ctx.site
    groups: dict[str, list[Node]] = defaultdict(list)
    through: dict[Node, Node] = {}
    for subject, prop in site.referrers(node):
        if subject not in site.pages or prop in (RDF.subject, RDF.object, RDF.type, SKOS.inScheme, SKOS.hasTopConcept):
            continue
        kind = kind_of(ctx, subject)
        if kind in skip or kind == "statement" or subject in groups[kind]:
            continue
        if kind == "link":  # a link to a condition: shown as the record it links, with its badge
            linked = site.value(subject, PIC.linkedResource)
            if linked is not None and linked != node:
                through[subject] = linked
        if kind == "role":  # a role: shown by the role's name and its phase, with its badge
            role = site.value(subject, _ORG_ROLE)
            if role is not None:
                through[subject] = role
        groups[kind].append(subject)
    shown = []
    for kind in sorted(groups, key=lambda k: translate(ctx.lang, f"portal.kinds_{k}")):
        rows = sorted(groups[kind], key=lambda n: ctx.label(through[n] if n in through else n).text.lower())
        shown.append(
            {
                "kind": kind,
                "title": translate(ctx.lang, f"portal.kinds_{kind}"),
                "rows": [
                    {
                        "link": ctx.link(through[r] if r in through else r),
                        "amount": ctx.amount(r),
                        "phase": _phase_of(ctx, r) if kind == "role" else None,
                        "badge": cite.badge(r),
                    }
                    for r in rows
                ],
            }
        )
    return shown


def prose_html(ctx: PageContext, text: dict[str, Any]) -> Markup:
    """A long text (:func:`prose`) as paragraphs: marked with its language when it is not
    the reader's, marked as the project's translation when it is one, and the text in the
    other language one click away."""
    shown = text["text"]
    lang = shown["lang"]
    foreign = lang is not None and lang != ctx.lang
    attr = f' lang="{escape(lang)}"' if foreign else ""
    paragraphs = [p for p in str(shown["text"]).split("\n\n") if p.strip()]
    html = "".join(f"<p{attr}>{quoted_html(p, lang)}</p>" for p in paragraphs)
    if foreign:
        html += f'<p class="lang-mark">({escape(translate(ctx.lang, f"site.in_{lang}"))})</p>'
    if text["translated"] and text["original"] is not None:
        source = text["original"]["lang"]
        html += f'<p class="translated">{escape(translate(ctx.lang, f"portal.translated_from_{source}"))}</p>'
    original = text["original"]
    if original is not None:
        other = original["lang"]
        key = "original_in" if text["translated"] else "text_in"
        summary = escape(translate(ctx.lang, f"portal.{key}_{other}"))
        paragraphs = [p for p in str(original["text"]).split("\n\n") if p.strip()]
        body = "".join(f'<p lang="{escape(other)}">{quoted_html(p, other)}</p>' for p in paragraphs)
        html += f'<details class="original-text"><summary>{summary}</summary>{body}</details>'
    return Markup(html)
