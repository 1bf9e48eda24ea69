"""What the website asks of the graph: its own queries and catalogue queries, run once.

:func:`collect_site` runs the site's queries (``sparql/*.rq`` beside this module) and the
catalogue queries its home page and charts show, in both languages, on a store holding
the workspace's sources. The answers (:class:`SiteData`) are plain terms, so the build
of a release can ask them of the store in one process and render the pages later.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.errors import InputError
from pickg.graph.messages import LANGUAGES
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import LANG_PARAM, Query, get_query, load_catalog
from pickg.queries.execution import run_catalog_query
from pickg.queries.results import Result

__all__ = [
    "CATALOGUE_QUERIES",
    "FACET_QUERIES",
    "SiteData",
    "Variant",
    "collect_answers",
    "collect_site",
    "collect_variants",
    "parameter_values",
    "site_query",
]

#: The catalogue queries the site shows (home page, charts), by name, with their parameters.
CATALOGUE_QUERIES: dict[str, dict[str, str]] = {
    "neighbourhoods-of-phase": {},
    "phase-budgets": {},
    "roles-in-phase": {},
    "neighbourhood-funding": {},
    "theme-summary": {},
    "systems-change-matrix": {},
    "assessment-limits": {},
}


#: The list pages' queries (``sparql/<list>-facets.rq``), by list: each answers
#: ``?item ?facet ?value``, what a reader filters and compares the list's items by.
FACET_QUERIES = ("initiative", "neighbourhood")


@dataclass(frozen=True)
class SiteData:
    """The answers the website is built from.

    :ivar triples: every triple with an IRI subject.
    :ivar uses: ``(term, "class" | "property", number of uses)``.
    :ivar timeline: ``(item, "event" | "phase", start, end or None)``.
    :ivar themes: ``(neighbourhood, theme)`` for every theme of a neighbourhood's initiatives.
    :ivar catalogue: ``(query name, language) → result``.
    :ivar facets: ``(list, item, facet, value)`` for each list page of :data:`FACET_QUERIES`.
    :ivar geometry: the text of the workspace's ``data/geo/neighbourhoods.geojson`` (the
        boundaries the map draws; empty when there is none).
    """

    triples: tuple[tuple[URIRef, URIRef, Node], ...]
    uses: tuple[tuple[URIRef, str, int], ...]
    timeline: tuple[tuple[URIRef, str, Node, Node | None], ...]
    themes: tuple[tuple[URIRef, URIRef], ...]
    catalogue: dict[tuple[str, str], Result]
    facets: tuple[tuple[str, URIRef, str, URIRef], ...] = ()
    geometry: str = ""


@cache
def site_query(name: str) -> str:
    """The text of the site's query ``sparql/<name>.rq``."""
    return resources.files("pickg.site").joinpath("sparql", f"{name}.rq").read_text(encoding="utf-8")


def collect_site(store: Any, workspace: Workspace | None = None) -> SiteData:
    """Ask ``store`` (a :class:`pickg.graph.store.Store` holding the workspace's sources)
    everything the website shows.

    :raises NotFoundError: a catalogue query the site shows is missing from the workspace.
    """
    ws = workspace or Workspace.discover()
    triples = tuple(
        (s, p, o)
        for s, p, o in store.select(site_query("triples")).rows
        if isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None
    )
    uses = []
    for term, kind, count in store.select(site_query("term-uses")).rows:
        if isinstance(term, URIRef) and isinstance(count, Literal):
            uses.append((term, str(kind), int(count.toPython())))
    timeline = tuple(
        (item, str(kind), start, end)
        for item, kind, start, end in store.select(site_query("timeline")).rows
        if isinstance(item, URIRef) and start is not None
    )
    themes = tuple(
        sorted(
            (n, t)
            for n, t in store.select(site_query("neighbourhood-themes")).rows
            if isinstance(n, URIRef) and isinstance(t, URIRef)
        )
    )
    catalogue: dict[tuple[str, str], Result] = {}
    for name, params in CATALOGUE_QUERIES.items():
        query = get_query(name, ws)
        for lang in LANGUAGES:
            catalogue[(name, lang)] = run_catalog_query(query, params, lang=lang, backend=store)
    facets = tuple(
        sorted(
            (name, item, str(facet), value)
            for name in FACET_QUERIES
            for item, facet, value in store.select(site_query(f"{name}-facets")).rows
            if isinstance(item, URIRef) and isinstance(value, URIRef)
        )
    )
    if not triples:
        raise InputError("the store holds no triple about a named resource, so there is no website to build")
    shapes = ws.data_dir / "geo" / "neighbourhoods.geojson"
    geometry = shapes.read_text(encoding="utf-8") if shapes.is_file() else ""
    ordered = tuple(sorted(uses, key=lambda u: (str(u[0]), u[1])))
    return SiteData(triples, ordered, timeline, themes, catalogue, facets, geometry)


def collect_answers(store: Any, workspace: Workspace | None = None) -> dict[tuple[str, str], Result]:
    """Every catalogue query's answer with its defaults, in both languages: what "Ask the
    data" (the queries page) shows and offers as CSV.

    Asked only when the site's pages are rendered, not when a cached site is read back
    (:func:`pickg.site.build.build_site`): its answers follow from the graph and the
    queries' texts, which the cache key holds, and asking them took 1.7-3.3 s of which
    ``search-desired-changes`` alone 1.1 s per language (a regular expression per text).
    """
    ws = workspace or Workspace.discover()
    answers = {}
    for name, query in sorted(load_catalog(ws).items()):
        for lang in LANGUAGES:
            answers[(name, lang)] = run_catalog_query(query, {}, lang=lang, backend=store)
    return answers


@dataclass(frozen=True)
class Variant:
    """A catalogue query's answer for one value of one of its parameters, the others at
    their defaults."""

    param: str
    value: URIRef
    result: Result


def parameter_values(store: Any, query: Query) -> list[tuple[str, URIRef]]:
    """The values "Ask the data" answers ``query`` for, beside its defaults: for each
    parameter but the language, its enumerated choices, else every resource of the class of
    its default IRI (``sparql/parameter-values.rq``). A parameter with neither (left unbound,
    the default answer already ranges over every value; or a free text) gives none; a value
    that is a parameter's default, or another parameter's, is left out (it is the default
    answer, or a degenerate comparison)."""
    defaults = {p.default for p in query.params if p.default is not None}
    values: list[tuple[str, URIRef]] = []
    for param in query.params:
        if param.name == LANG_PARAM or param.type != "iri":
            continue
        if param.choices:
            found = [URIRef(choice) for choice in param.choices]
        elif param.default is not None:
            rows = store.select(site_query("parameter-values"), {"_default": URIRef(param.default)}).rows
            found = [row[0] for row in rows if isinstance(row[0], URIRef)]
        else:
            found = []
        values += [(param.name, value) for value in found if str(value) not in defaults]
    return values


def collect_variants(store: Any, workspace: Workspace | None = None) -> dict[tuple[str, str], list[Variant]]:
    """Each catalogue query's answers for the values of :func:`parameter_values`, in both
    languages, by (query, language); a value whose answer is empty is left out. Asked with
    :func:`collect_answers`, only when the site's pages are rendered."""
    ws = workspace or Workspace.discover()
    variants: dict[tuple[str, str], list[Variant]] = {}
    for name, query in sorted(load_catalog(ws).items()):
        values = parameter_values(store, query)
        for lang in LANGUAGES:
            answers = [
                Variant(param, value, run_catalog_query(query, {param: value}, lang=lang, backend=store))
                for param, value in values
            ]
            kept = [variant for variant in answers if variant.result.rows]
            if kept:
                variants[(name, lang)] = kept
    return variants
