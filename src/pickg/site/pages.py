"""The website's pages: what each one shows, rendered by the Jinja2 templates beside this module.

:func:`render_site` turns :class:`pickg.site.collect.SiteData` into the site's files
(path → text): one page per resource in French and English at the path of its IRI,
an index per IRI folder, the home page, the charts, the data dictionary and the list of
catalogue queries. Nothing here writes HTML: the functions build plain dictionaries
(a *value* is ``{"text", "lang", "href"}``) and the templates lay them out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDF, RDFS, SCHEMA, SKOS, XSD
from pickg.queries.catalogue import Query
from pickg.site.collect import SiteData, glossary
from pickg.site.resources import DICTIONARY_PAGE, LANGUAGES, Label, SiteGraph, page_file, relative
from pickg.site.resources import NAME_PROPERTIES as _NAME_PROPERTIES
from pickg.site.words import word

__all__ = ["PageContext", "format_number", "render_site", "search_index", "value_html"]

#: Properties shown in a page's header or its own section, not in its table of facts.
_HEADER = {
    RDF.type,
    RDFS.label,
    SKOS.prefLabel,
    DCTERMS.title,
    DCTERMS.source,
    PIC.confidence,
    PIC.rationale,
    SKOS.editorialNote,
    PIC.conflictsWith,
}
#: A predicate that more than this share of a class's resources have is expected of all:
#: a resource of the class without it says "unknown".
_EXPECTED_SHARE = 0.5
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
_CSS = {"C2": "c2", "C1": "c1", "INF": "inf"}
_FIGURE_SHOWN = 8


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pickg.site", "templates"),
        autoescape=select_autoescape(["html", "j2", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["v"] = value_html
    return env


_LANG_MARKS = {("fr", "fr"): "", ("fr", "en"): "en anglais", ("en", "fr"): "in French", ("en", "en"): ""}


def value_html(value: dict[str, Any], reader: str | None = None) -> Markup:
    """One value of a page (``{"text", "lang", "href", "external"}``) as an HTML fragment: a link,
    or a text marked with its language when it is not the reader's.

    The one piece of HTML written outside the templates: a value is shown some 45 000
    times on the shipped data's site, and as a Jinja2 macro it took 2.2 s of a 6 s build
    (cProfile), as this function 0.1 s.
    """
    text, lang, href = escape(value["text"]), value["lang"], value["href"]
    foreign = lang is not None and reader is not None and lang != reader
    if href is not None and value.get("external"):
        return Markup(f'<a class="ext" href="{escape(href)}" rel="nofollow noreferrer">{text}</a>')
    if href is not None:
        lang_attr = f' lang="{escape(lang)}"' if foreign else ""
        return Markup(f'<a href="{escape(href)}"{lang_attr}>{text}</a>')
    if foreign:
        mark = _LANG_MARKS.get((reader, lang), lang)
        return Markup(f'<span lang="{escape(lang)}">{text}</span> <small class="lang-mark">({escape(mark)})</small>')
    return Markup(text)


def format_number(value: Decimal | int | float, lang: str) -> str:
    """A number for people: ``23 000 000`` in French, ``23,000,000`` in English; decimals kept."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        text = f"{number.normalize():,f}"
    if lang == "fr":
        return text.replace(",", "\u202f").replace(".", ",")
    return text


#: Link targets by site and language (filled as pages are rendered; cleared by render_site).
_TARGETS: dict[tuple[int, str], dict[Node, str | None]] = {}


class PageContext:
    """What every template of one page needs: the language, the page's file, words, links."""

    def __init__(self, data: SiteData, site: SiteGraph, lang: str, file: str, page: str, version: str) -> None:
        self.site_data = data
        self.site = site
        self.lang = lang
        self.file = file
        self.page = page
        self.version = version
        self._up = "../" * file.count("/")
        self._targets = _TARGETS.setdefault((id(site), lang), {})

    def t(self, key: str, **values: object) -> str:
        """The word ``key`` in this page's language."""
        return word(key, self.lang, **values)

    def href(self, page: str, lang: str | None = None, anchor: str | None = None) -> str:
        """The link from this page to ``page`` (a path without extension) in ``lang``."""
        target = relative(page_file(page, lang or self.lang), self.file)
        return f"{target}#{anchor}" if anchor else target

    def asset(self, name: str) -> str:
        """The link to a file of the site's root (``site.css``, ``charts/…``)."""
        return relative(name, self.file)

    def release(self, name: str) -> str:
        """The link to a file of the release beside the site (``pic.ttl``, ``SHA256SUMS``)."""
        return relative(f"../{name}", self.file)

    def other(self, lang: str) -> str:
        return self.href(self.page, lang)

    def label(self, node: Node) -> Label:
        return self.site.label(node, self.lang)

    def link(self, node: Node) -> dict[str, Any]:
        """A value naming ``node``: its label, the language of that label, its page if it has one."""
        label = self.label(node)
        target = self._targets.get(node, "")
        if target == "":
            target = self._targets[node] = self._target(node)
        href = self._up + target if target is not None else None
        return {"text": label.text, "lang": label.lang, "href": href, "external": False}

    def _target(self, node: Node) -> str | None:
        page = self.site.page_path(node)
        if page is not None:
            return page_file(page, self.lang)
        if self.site.is_term(node) and isinstance(node, URIRef):
            return f"{page_file(DICTIONARY_PAGE, self.lang)}#{self.site.anchor(node)}"
        return None

    def value(self, node: Node) -> dict[str, Any]:
        """A value of a fact for people: a link, a number, yes/no, a date or a text."""
        if isinstance(node, URIRef):
            if self.site.page_path(node) is None and not self.site.is_term(node) and node not in self.site.out:
                return {"text": str(node), "lang": None, "href": str(node), "external": True}
            return self.link(node)
        if isinstance(node, Literal):
            if node.datatype in _NUMERIC:
                try:
                    return _text(format_number(Decimal(str(node)), self.lang))
                except ArithmeticError:
                    return _text(str(node))
            if node.datatype == XSD.boolean:
                return _text(self.t("yes") if str(node).lower() in ("true", "1") else self.t("no"))
            return {"text": str(node), "lang": node.language, "href": None, "external": False}
        return _text(self.t("anonymous"))  # a blank node: its label changes from one load to the next

    def confidence(self, node: Node) -> dict[str, Any] | None:
        """The confidence mark of ``node`` (``C2``, ``C1``, ``INF``) with its name and reasoning."""
        level = self.site.value(node, PIC.confidence)
        if level is None:
            return None
        notation = str(self.site.value(level, SKOS.notation) or self.label(level).text)
        rationale = self.site.value(node, PIC.rationale)
        return {
            "notation": notation,
            "css": _CSS.get(notation, "other"),
            "name": self.label(level).text,
            "href": self.link(level)["href"],
            "rationale": self.value(rationale) if rationale is not None else None,
        }

    def sources(self, node: Node) -> list[dict[str, Any]]:
        return [self.link(s) for s in self.site.values(node, DCTERMS.source)]

    def notes(self, node: Node) -> list[dict[str, Any]]:
        return [self.value(n) for n in self.site.values(node, SKOS.editorialNote)]

    def amount(self, node: Node) -> dict[str, Any] | None:
        """The value of a figure or amount with its unit or currency, None when it has none."""
        value = self.site.value(node, SCHEMA.value)
        if value is None:
            return None
        text = self.value(value)["text"]
        unit = self.site.value(node, SCHEMA.currency) or self.site.value(node, PIC.unit)
        if unit is not None:
            text = f"{text} {unit}"
        if str(self.site.value(node, PIC.approximate)).lower() == "true":
            text = ("environ " if self.lang == "fr" else "about ") + text
        if str(self.site.value(node, PIC.isLowerBound)).lower() == "true":
            text = ("plus de " if self.lang == "fr" else "more than ") + text
        return _text(text)


def _text(text: str) -> dict[str, Any]:
    return {"text": text, "lang": None, "href": None, "external": False}


def _said(label: Label | None) -> dict[str, Any] | None:
    """A label or definition as a value (its text and language), None stays None."""
    if label is None:
        return None
    return {"text": label.text, "lang": label.lang, "href": None, "external": False}


# --- resource pages ------------------------------------------------------------------------


def _expected(site: SiteGraph) -> dict[URIRef, list[URIRef]]:
    """For each class, the predicates most of its resources have (an absent one is unknown)."""
    expected: dict[URIRef, list[URIRef]] = {}
    for cls in sorted({t for r in site.resources() for t in site.types(r)}):
        members = [r for r in site.instances(cls) if r in site.pages]
        if len(members) < 3:
            continue
        counts: dict[URIRef, int] = defaultdict(int)
        for member in members:
            for prop in site.out.get(member, {}):
                counts[prop] += 1
        expected[cls] = sorted(p for p, n in counts.items() if n / len(members) > _EXPECTED_SHARE and p not in _HEADER)
    return expected


def _statements(site: SiteGraph) -> dict[tuple[Node, Node, Node], URIRef]:
    """The statement describing each reified triple, by ``(subject, predicate, object)``."""
    found = {}
    for statement in site.instances(RDF.Statement):
        s, p, o = (site.value(statement, prop) for prop in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            found[(s, p, o)] = statement
    return found


def _resource_context(
    ctx: PageContext,
    resource: URIRef,
    expected: dict[URIRef, list[URIRef]],
    statements: dict[tuple[Node, Node, Node], URIRef],
) -> dict[str, Any]:
    site = ctx.site
    props = site.out.get(resource, {})
    own_conf = ctx.confidence(resource)
    own_sources = ctx.sources(resource)
    facts = []
    for prop in sorted(props, key=lambda p: (ctx.label(p).text.lower(), str(p))):
        if prop in _HEADER:
            continue
        rows = []
        for obj in props[prop]:
            statement = statements.get((resource, prop, obj))
            if statement is not None:
                rows.append(
                    {
                        "value": ctx.value(obj),
                        "confidence": ctx.confidence(statement) or own_conf,
                        "sources": ctx.sources(statement) or own_sources,
                        "statement": ctx.link(statement),
                        "notes": ctx.notes(statement),
                    }
                )
            else:
                rows.append(
                    {
                        "value": ctx.value(obj),
                        "confidence": own_conf,
                        "sources": own_sources,
                        "statement": None,
                        "notes": [],
                    }
                )
        facts.append({"property": ctx.link(prop), "rows": rows})
    unknown = []
    for cls in site.types(resource):
        for prop in expected.get(cls, []):
            if prop not in props and prop not in unknown:
                unknown.append(prop)
    conflicts = []
    for other in site.values(resource, PIC.conflictsWith):
        conflicts.append([_figure(ctx, resource), _figure(ctx, other)])
    referred: dict[URIRef, list[URIRef]] = defaultdict(list)
    for subject, prop in site.referrers(resource):
        if prop in (RDF.subject, RDF.object, PIC.conflictsWith) or subject not in site.pages:
            continue
        if subject not in referred[prop]:
            referred[prop].append(subject)
    groups = []
    for prop in sorted(referred, key=lambda p: (ctx.label(p).text.lower(), str(p))):
        subjects = referred[prop]
        groups.append({"property": ctx.link(prop), "rows": [_figure(ctx, s) for s in subjects]})
    about = [
        {
            "text": ctx.label(statement),
            "href": ctx.link(statement)["href"],
            "confidence": ctx.confidence(statement),
            "sources": ctx.sources(statement),
            "notes": ctx.notes(statement),
        }
        for statement, prop in site.referrers(resource)
        if prop == RDF.subject
    ]
    return {
        "iri": str(resource),
        "title": ctx.label(resource),
        "original": site.original(resource) if ctx.lang != "fr" else None,
        "types": [ctx.link(t) for t in site.types(resource)],
        "definition": _said(site.definition(resource, ctx.lang)),
        "confidence": own_conf,
        "sources": own_sources,
        "notes": ctx.notes(resource),
        "facts": facts,
        "unknown": [ctx.link(p) for p in unknown],
        "conflicts": conflicts,
        "about": about,
        "groups": groups,
        "funding": _neighbourhood_funding(ctx, resource),
    }


def _figure(ctx: PageContext, node: URIRef) -> dict[str, Any]:
    """A resource in a list: its name, its value if it is a figure, its confidence and sources."""
    return {
        "link": ctx.link(node),
        "amount": ctx.amount(node),
        "confidence": ctx.confidence(node),
        "sources": ctx.sources(node),
    }


def _neighbourhood_funding(ctx: PageContext, resource: URIRef) -> dict[str, Any] | None:
    """A neighbourhood's Phase-1 funding as the catalogue's ``neighbourhood-funding`` gives it."""
    result = ctx.site_data.catalogue[("neighbourhood-funding", ctx.lang)]
    for row in _dicts(result):
        if row.get("neighbourhood") == resource:
            amount = row.get("amount")
            return {
                "amount": ctx.amount(amount) if amount is not None else None,
                "link": ctx.link(amount) if amount is not None else None,
                "confidence": ctx.confidence(amount) if amount is not None else None,
                "sources": ctx.sources(amount) if amount is not None else [],
            }
    return None


def _dicts(result: Any) -> list[dict[str, Node]]:
    return [
        {name: value for name, value in zip(result.variables, row, strict=True) if value is not None}
        for row in result.rows
    ]


# --- the site ------------------------------------------------------------------------------


def render_site(data: SiteData, version: str, catalogue: Sequence[Query] = (), charts: bool = True) -> dict[str, str]:
    """Every file of the website, by path relative to the site's root.

    :param data: what the graph answered (:func:`pickg.site.collect.collect_site`).
    :param version: the data release the site belongs to (shown on every page).
    :param catalogue: the catalogue queries to list on the queries page.
    :param charts: draw the charts (SVG); False leaves them out (faster, for tests of pages).
    """
    from pickg.site.charts import chart_svgs

    site = SiteGraph(data.triples, glossary())
    _TARGETS.clear()
    env = _environment()
    files: dict[str, str] = {}
    files["site.css"] = resources.files("pickg.site").joinpath("static", "site.css").read_text(encoding="utf-8")
    expected = _expected(site)
    statements = _statements(site)
    chart_files = chart_svgs(data, site) if charts else {}
    taken = set(site.pages.values())
    files.update(chart_files)

    def page(template: str, page_path: str, lang: str, **context: Any) -> None:
        file = page_file(page_path, lang)
        ctx = PageContext(data, site, lang, file, page_path, version)
        files[file] = env.get_template(template).render(ctx=ctx, t=ctx.t, **_call(context, ctx))

    for lang in LANGUAGES:
        for resource in site.resources():
            path = site.pages[resource]
            page(
                "resource.html.j2",
                path,
                lang,
                resource=lambda ctx, r=resource: _resource_context(ctx, r, expected, statements),
            )
        for folder, members in site.folders().items():
            if not folder or f"{folder}/index" in taken:  # a scheme's page lists its concepts itself
                continue
            page(
                "folder.html.j2",
                f"{folder}/index",
                lang,
                folder=folder,
                members=lambda ctx, m=members: _members(ctx, m),
            )
        page("home.html.j2", "index", lang, home=lambda ctx: _home(ctx, data, site, chart_files))
        page("dictionary.html.j2", DICTIONARY_PAGE, lang, dictionary=lambda ctx: _dictionary(ctx, data, site))
        page("queries.html.j2", "queries/index", lang, queries=lambda ctx: _queries(ctx, catalogue))
        page("search.html.j2", "search/index", lang)
    files["search.js"] = resources.files("pickg.site").joinpath("static", "search.js").read_text(encoding="utf-8")
    files["search-index.js"] = search_index(site)
    return dict(sorted(files.items()))


#: What the search looks in, besides the names: other names and the desired changes.
_SEARCHED = (SKOS.altLabel, PIC.alias, PIC.desiredChange)


def search_index(site: SiteGraph) -> str:
    """The search's index as a script (``window.PICKG_SEARCH = [...]``): for every page its
    names in both languages, files, kind, and the text searched (names, other names,
    desired changes, in every language). A script, not JSON, so that it loads from files."""
    entries = []
    for resource in site.resources():
        texts = []
        for prop in (*_NAME_PROPERTIES, *_SEARCHED):
            texts += [str(o) for o in site.values(resource, prop) if isinstance(o, Literal)]
        kinds = site.types(resource)
        kind = kinds[0] if kinds else None
        entries.append(
            {
                "tf": site.label(resource, "fr").text,
                "te": site.label(resource, "en").text,
                "uf": page_file(site.pages[resource], "fr"),
                "ue": page_file(site.pages[resource], "en"),
                "kf": site.label(kind, "fr").text if kind is not None else "",
                "ke": site.label(kind, "en").text if kind is not None else "",
                "x": " · ".join(dict.fromkeys(texts)),
            }
        )
    body = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.PICKG_SEARCH = {body};\n"


def _call(context: dict[str, Any], ctx: PageContext) -> dict[str, Any]:
    return {key: value(ctx) if callable(value) else value for key, value in context.items()}


def _members(ctx: PageContext, members: list[URIRef]) -> list[dict[str, Any]]:
    rows = [
        {
            "link": ctx.link(m),
            "types": [ctx.link(t) for t in ctx.site.types(m)],
            "amount": ctx.amount(m),
            "confidence": ctx.confidence(m),
        }
        for m in members
    ]
    return sorted(rows, key=lambda r: (r["link"]["text"].lower(), r["link"]["href"]))


def _rows(ctx: PageContext, name: str) -> list[dict[str, Node]]:
    return _dicts(ctx.site_data.catalogue[(name, ctx.lang)])


def _home(ctx: PageContext, data: SiteData, site: SiteGraph, charts: dict[str, str]) -> dict[str, Any]:
    programmes = site.instances(PIC.Programme)
    what = []
    for programme in programmes:
        description = [o for o in site.values(programme, DCTERMS.description) if isinstance(o, Literal)]
        what.append(
            {
                "link": ctx.link(programme),
                "description": [ctx.value(d) for d in description],
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
    changes = [_figure(ctx, change) for change in site.instances(PIC.ProgrammeChange)]
    changes.sort(key=lambda r: r["link"]["text"].lower())
    limits = [_figure(ctx, limit) for limit in site.instances(PIC.Limit)]
    folders = [
        {"href": ctx.href(f"{folder}/index"), "name": folder, "count": len(members)}
        for folder, members in site.folders().items()
        if folder
    ]
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
        "folders": folders,
        "charts": [
            {"title": ctx.t(f"chart_{name}"), "src": ctx.asset(f"charts/{name}.{ctx.lang}.svg"), "name": name}
            for name in ("themes", "matrix", "funding", "network", "timeline")
            if f"charts/{name}.{ctx.lang}.svg" in charts
        ],
        "downloads": [
            {"href": ctx.release(name), "name": name}
            for name in ("pic.ttl", "pic.nt", "pic.jsonld", "pic.trig", "ontology.html", "README.md")
        ],
    }


def _dictionary(ctx: PageContext, data: SiteData, site: SiteGraph) -> dict[str, Any]:
    examples: dict[URIRef, tuple[URIRef, Node]] = {}
    for s, props in site.out.items():
        for p, objects in props.items():
            named = [o for o in objects if not isinstance(o, BNode)]
            if named and (p not in examples or str(s) < str(examples[p][0])):
                examples[p] = (s, named[0])
    class_examples: dict[URIRef, URIRef] = {}
    for s, props in site.out.items():
        for cls in props.get(RDF.type, []):
            if isinstance(cls, URIRef) and (cls not in class_examples or str(s) < str(class_examples[cls])):
                class_examples[cls] = s

    def entry(term: URIRef, uses: int, kind: str) -> dict[str, Any]:
        example: dict[str, Any] | None = None
        if kind == "property" and term in examples:
            subject, obj = examples[term]
            example = {"subject": ctx.link(subject), "object": ctx.value(obj)}
        elif kind == "class" and term in class_examples:
            example = {"subject": ctx.link(class_examples[term]), "object": None}
        return {
            "iri": str(term),
            "curie": site.curie(term),
            "anchor": site.anchor(term),
            "label_fr": site.label_in(term, "fr"),
            "label_en": site.label_in(term, "en"),
            "definition": _said(site.definition(term, ctx.lang)),
            "uses": uses,
            "example": example,
        }

    classes = [entry(t, n, k) for t, k, n in data.uses if k == "class"]
    properties = [entry(t, n, k) for t, k, n in data.uses if k == "property"]
    concepts = []
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
                "definition": _said(site.definition(concept, ctx.lang)),
            }
        )
    concepts.sort(key=lambda c: (c["scheme"]["text"] if c["scheme"] else "", c["iri"]))
    return {
        "classes": sorted(classes, key=lambda e: e["curie"]),
        "properties": sorted(properties, key=lambda e: e["curie"]),
        "concepts": concepts,
    }


def _queries(ctx: PageContext, catalogue: Sequence[Query]) -> list[dict[str, Any]]:
    return [
        {
            "name": query.name,
            "summary": query.summary_in(ctx.lang),
            "description": query.description_in(ctx.lang),
            "text": query.text,
        }
        for query in sorted(catalogue, key=lambda q: q.name)
    ]
