"""The website's pages: what each one shows, rendered by the Jinja2 templates beside this module.

:func:`render_site` turns :class:`pickg.site.collect.SiteData` into the site's files
(path → text): one page per resource in French and English at the path of its IRI,
its description as Turtle and JSON-LD beside them, an index per IRI folder, and (from
:mod:`pickg.site.overview`) the home page, the data dictionary, the catalogue queries
and the search. Nothing here writes HTML: the functions build plain dictionaries of
values (:mod:`pickg.site.context`) and the templates lay them out.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDF, RDFS, SKOS
from pickg.graph.terms import triple_to_ox
from pickg.queries.catalogue import Query
from pickg.queries.results import Result
from pickg.release.dumps import jsonld_ox, turtle_ox
from pickg.site.charts import CHARTS, chart_svgs
from pickg.site.collect import SiteData, Variant
from pickg.site.context import PageContext, figure, rows_of, said
from pickg.site.environment import TEMPLATES, environment
from pickg.site.features import ask_page, feature_files, feature_home, feature_pages
from pickg.site.listing import LISTS, list_csv
from pickg.site.overview import dictionary_page, home_page, sparql_examples, sparql_prefixes
from pickg.site.portal import PORTAL_PAGES
from pickg.site.profile import kind_of
from pickg.site.resources import DICTIONARY_PAGE, LANGUAGES, SiteGraph, page_file
from pickg.site.sections import profile, sections
from pickg.site.webdata import sitemap_xml

__all__ = ["SPARQL_PAGE", "VENDORED", "render_page", "render_site"]

#: The query page (a SPARQL editor on the endpoint of ``pickg serve``), without extension.
SPARQL_PAGE = "sparql/index"
#: The files of ``static/`` that come from elsewhere, copied unchanged (see their README):
#: the query page's editor (YASGUI) and the search's library (MiniSearch).
VENDORED = (
    "vendor/yasgui/yasgui.min.js",
    "vendor/yasgui/yasgui.min.css",
    "vendor/yasgui/LICENSE",
    "vendor/minisearch/index.js",
    "vendor/minisearch/index.js.map",
    "vendor/minisearch/LICENSE.txt",
)

#: Properties shown in a page's header or its own section, not in its table of facts.
_HEADER = frozenset(
    {
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
)
#: The templates of the pages (``templates/``).
#: A predicate that more than this share of a class's resources have is expected of all:
#: a resource of the class without it says "unknown".
_EXPECTED_SHARE = 0.5
#: Properties read for every resource, as constants (a namespace's attribute is a new URIRef each time).
_CONFLICTS, _SUBJECT, _OBJECT = PIC.conflictsWith, RDF.subject, RDF.object
_NOT_REFERRERS = frozenset({_SUBJECT, _OBJECT, _CONFLICTS})


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
    funding: dict[Node, dict[str, Node]],
) -> dict[str, Any]:
    site = ctx.site
    props = site.out.get(resource, {})
    own_conf = ctx.confidence(resource)
    own_sources = ctx.sources(resource)
    facts: list[dict[str, Any]] = []
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
    for other in site.values(resource, _CONFLICTS):
        conflicts.append([figure(ctx, resource), figure(ctx, other)])
    referred: dict[URIRef, list[URIRef]] = defaultdict(list)
    for subject, prop in site.referrers(resource):
        if prop in _NOT_REFERRERS or subject not in site.pages:
            continue
        if subject not in referred[prop]:
            referred[prop].append(subject)
    groups = []
    for prop in sorted(referred, key=lambda p: (ctx.label(p).text.lower(), str(p))):
        subjects = referred[prop]
        groups.append({"property": ctx.link(prop), "rows": [figure(ctx, s) for s in subjects]})
    about = [
        {
            "text": ctx.label(statement),
            "href": ctx.link(statement)["href"],
            "confidence": ctx.confidence(statement),
            "sources": ctx.sources(statement),
            "notes": ctx.notes(statement),
        }
        for statement, prop in site.referrers(resource)
        if prop == _SUBJECT
    ]
    sourced = bool(own_conf or own_sources) or any(
        row["confidence"] or row["sources"] for fact in facts for row in fact["rows"]
    )
    return {
        "sourced": sourced,
        "iri": str(resource),
        "title": ctx.label(resource),
        "original": site.original(resource, ctx.lang),
        "types": [ctx.link(t) for t in site.types(resource)],
        "definition": said(site.definition(resource, ctx.lang)),
        "confidence": own_conf,
        "sources": own_sources,
        "notes": ctx.notes(resource),
        "facts": facts,
        "unknown": [ctx.link(p) for p in unknown],
        "conflicts": conflicts,
        "about": about,
        "groups": groups,
        "funding": _neighbourhood_funding(ctx, resource, funding),
        "profile": profile(ctx, resource, sections(ctx, resource)),
    }


def _funding_rows(data: SiteData, lang: str) -> dict[Node, dict[str, Node]]:
    """The first row of the catalogue's ``neighbourhood-funding`` for each neighbourhood."""
    rows: dict[Node, dict[str, Node]] = {}
    for row in rows_of(data.catalogue[("neighbourhood-funding", lang)]):
        if "neighbourhood" in row:
            rows.setdefault(row["neighbourhood"], row)
    return rows


def _neighbourhood_funding(
    ctx: PageContext, resource: URIRef, funding: dict[Node, dict[str, Node]]
) -> dict[str, Any] | None:
    """A neighbourhood's Phase-1 funding as the catalogue's ``neighbourhood-funding`` gives it."""
    row = funding.get(resource)
    if row is None:
        return None
    amount = row.get("amount")
    return {
        "amount": ctx.amount(amount) if amount is not None else None,
        "link": ctx.link(amount) if amount is not None else None,
        "confidence": ctx.confidence(amount) if amount is not None else None,
        "sources": ctx.sources(amount) if amount is not None else [],
    }


# --- the site ------------------------------------------------------------------------------


def render_site(
    data: SiteData,
    version: str,
    catalogue: Sequence[Query] = (),
    charts: bool = True,
    cache: Path | None = None,
    site: SiteGraph | None = None,
    answers: Mapping[tuple[str, str], Result] | None = None,
    variants: Mapping[tuple[str, str], Sequence[Variant]] | None = None,
) -> dict[str, str]:
    """Every file of the website, by path relative to the site's root.

    :param data: what the graph answered (:func:`pickg.site.collect.collect_site`).
    :param version: the data release the site belongs to (shown on every page).
    :param catalogue: the catalogue queries to list on the queries page.
    :param charts: draw the charts (SVG); False leaves them out (faster, for tests of pages).
    :param cache: a cache folder for the charts' drawings (:func:`pickg.site.charts.chart_svg`).
    :param site: ``data``'s triples indexed (:class:`SiteGraph`), if the caller has them.
    :param answers: every catalogue query's answer (:func:`pickg.site.collect.collect_answers`)
        for "Ask the data"; those of ``data`` alone when None.
    :param variants: their answers for each value of a parameter
        (:func:`pickg.site.collect.collect_variants`), shown under the default answers.
    """
    answers = {**data.catalogue, **(answers or {})}
    site = site if site is not None else SiteGraph(data.triples)
    env = environment()
    files: dict[str, str] = {}
    files["site.css"] = _static("site.css")
    expected = _expected(site)
    statements = _statements(site)
    chart_files = {f"charts/{name}.{lang}.svg": "" for name in CHARTS for lang in LANGUAGES} if charts else {}
    taken = set(site.pages.values())

    def page(template: str, page_path: str, lang: str, **context: Any) -> None:
        file = page_file(page_path, lang)
        ctx = PageContext(data, site, lang, file, page_path, version)
        files[file] = env.get_template(template).render(ctx=ctx, t=ctx.t, w=ctx.words, **_call(context, ctx))

    def pages_in(lang: str) -> None:
        funding = _funding_rows(data, lang)
        for resource in site.resources():
            path = site.pages[resource]
            page(
                "resource.html.j2",
                path,
                lang,
                resource=lambda ctx, r=resource, f=funding: _resource_context(ctx, r, expected, statements, f),
            )
        for folder, members in site.folders().items():
            if not folder or f"{folder}/index" in taken:  # a scheme's page lists its concepts itself
                continue
            page(
                "folder.html.j2",
                f"{folder}/index",
                lang,
                folder=folder,
                kind=lambda ctx, m=members: Counter(kind_of(ctx, r) for r in m).most_common(1)[0][0],
                members=lambda ctx, m=members: _members(ctx, m),
            )
        page(
            "home.html.j2",
            "index",
            lang,
            home=lambda ctx: home_page(ctx, data, site, chart_files),
            **feature_home(data, site, lang),
        )
        page("dictionary.html.j2", DICTIONARY_PAGE, lang, dictionary=lambda ctx: dictionary_page(ctx, data, site))
        page("queries.html.j2", "queries/index", lang, **ask_page(catalogue, answers, lang, variants))
        feature_pages(page, data, site, catalogue, lang)
        for template, portal_path, key, make in PORTAL_PAGES:
            page(template, portal_path, lang, **{key: make})
        for name in LISTS:
            ctx = PageContext(data, site, lang, page_file(f"{name}/index", lang), f"{name}/index", version)
            files[f"{name}/{name}.{lang}.csv"] = list_csv(ctx, name)
        page(
            "sparql.html.j2",
            SPARQL_PAGE,
            lang,
            examples=lambda ctx: sparql_examples(ctx, catalogue, variants),
            prefixes=sparql_prefixes(),
        )

    def first_half() -> None:
        pages_in(LANGUAGES[0])
        files.update(_descriptions(data, site))

    def second_half() -> dict[str, str]:
        made_before = set(files)
        if charts:
            files.update(chart_svgs(data, site, cache))
        for lang in LANGUAGES[1:]:
            pages_in(lang)
        return {name: text for name, text in files.items() if name not in made_before}

    if _can_fork_now():
        for template in TEMPLATES:  # compiled once, before the fork, for both processes
            env.get_template(template)
        files.update(_side_by_side(first_half, second_half))
    else:
        drawing = _draw_in_background(data, site, cache) if charts else None
        first_half()
        for lang in LANGUAGES[1:]:
            pages_in(lang)
        if drawing is not None:
            files.update(drawing.result())
    for name in ("search.js", "sparql.js", "lists.js", *VENDORED):
        files[name] = _static(name)
    files.update(feature_files(data, site, answers, variants))
    files["sitemap.xml"] = sitemap_xml([name for name in files if name.endswith(".html")])
    return dict(sorted(files.items()))


def render_page(
    template: str, page_path: str, lang: str, data: SiteData, site: SiteGraph, version: str, **context: Any
) -> tuple[str, str]:
    """One page of the site rendered on its own: its file and its text (a value of
    ``context`` that is callable is called with the page's :class:`PageContext`)."""
    file = page_file(page_path, lang)
    ctx = PageContext(data, site, lang, file, page_path, version)
    return file, environment().get_template(template).render(ctx=ctx, t=ctx.t, w=ctx.words, **_call(context, ctx))


def _static(name: str) -> str:
    """A file of ``static/``, its bytes as they are (decoded, no newline translation)."""
    return resources.files("pickg.site").joinpath("static", *name.split("/")).read_bytes().decode("utf-8")


def _can_fork_now() -> bool:
    """Whether this process may fork a helper: it runs one thread, counted by the system.

    A fork copies only the calling thread, so a lock another thread held stays held for
    ever in the child. Python's own count (``threading``) misses the threads of native
    libraries: once vl-convert has drawn a chart, its runtime's threads (tokio, V8) live on,
    and a child forked then hung in its next drawing. So the threads are counted in
    ``/proc/self/task`` (Linux); where that cannot be read, the build does not fork.
    """
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _side_by_side(here: Callable[[], None], there: Callable[[], dict[str, str]]) -> dict[str, str]:
    """What ``there()`` made, run in a forked process while ``here()`` runs in this one.

    The site's build is Python, one core's work; the machine that builds a release has
    two or more. The charts and the English pages are made in a forked process
    (:class:`pickg.release.ahead.Ahead`) while this one makes the French pages and the
    resources' descriptions: on the shipped data, with two free cores, about 0.8 s instead
    of 1.3 s elapsed for 0.1 s more CPU (fork, pickling the pages back); on a saturated
    machine, no gain (``bench/RESULTS.md``). An error in either is raised here, the forked
    process ended.
    """
    from pickg.release.ahead import Ahead

    ahead: Ahead[dict[str, str], dict[str, str]] = Ahead.start(lambda steps: there(), lambda made, steps: made)
    try:
        here()
        return ahead.finish()
    finally:
        ahead.cancel()


def _descriptions(data: SiteData, site: SiteGraph) -> dict[str, str]:
    """``<page folder>/index.ttl`` and ``index.jsonld``: each resource's own triples."""
    by_subject: dict[Node, list[Any]] = {}
    for s, p, o in data.triples:
        if s in site.pages:
            by_subject.setdefault(s, []).append((s, p, o))

    files = {}
    for resource in site.resources():
        triples = [triple_to_ox(s, p, o) for s, p, o in by_subject.get(resource, [])]
        triples.sort(key=str)
        folder = site.pages[resource][: -len("index")]
        files[f"{folder}index.ttl"] = turtle_ox(triples)
        files[f"{folder}index.jsonld"] = jsonld_ox(triples)
    return files


def _draw_in_background(data: SiteData, site: SiteGraph, cache: Path | None) -> Any:
    """The charts, drawn in a second thread while the pages are rendered (a future).

    vl-convert draws outside the GIL: on the shipped data its 0.5-5 s (one chart
    takes 0.05-0.5 s, by load) then overlap the pages' rendering instead of adding to it.
    """
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pickg-site-charts")
    future = pool.submit(chart_svgs, data, site, cache)
    pool.shutdown(wait=False)
    return future


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
