"""The website's "Ask the data" page (``queries/index``): each catalogue query with the
question it answers, its answer on this release (made at build time, with its defaults,
then for each other value of a parameter that has some: :func:`pickg.site.collect.collect_variants`),
each answer's CSV, its SPARQL, and a link to run it live on ``pickg serve``'s query page
with the values that answer was computed with (the defaults, or the one value shown).

The answer's table shows a reader's columns (:meth:`Result.display_variables`: an IRI
column gives way to its label column, which links to the record's page) and its first
:data:`SHOWN` rows; the CSV holds them all, as SPARQL 1.1 CSV results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import Literal, URIRef

from pickg.graph.namespaces import SKOS
from pickg.queries.catalogue import Query
from pickg.queries.results import Result
from pickg.site.collect import Variant
from pickg.site.context import LIST_SEPARATOR, PageContext
from pickg.site.resources import NAME_PROPERTIES, SiteGraph

__all__ = [
    "ANSWER_CSV",
    "SHOWN",
    "VARIANT_CSV",
    "answer_rows",
    "ask_queries",
    "variant_csv",
    "variant_files",
    "variant_name",
]

#: The rows of an answer the page shows; the CSV has them all.
SHOWN = 12
#: Each answer as CSV, at the site's root (``{name}``, ``{lang}`` replaced).
ANSWER_CSV = "data/queries/{name}.{lang}.csv"
#: The answer for one value of a parameter as CSV (``{stem}``: :func:`variant_name`).
VARIANT_CSV = "data/queries/{stem}.{lang}.csv"
_LABEL = "Label"


def _name_languages(site: SiteGraph) -> dict[str, set[str]]:
    """The languages each name of the graph is written in (its labels, other names and
    glosses), by its text: once per site."""
    found = site.memo.get("name_languages")
    if found is None:
        found = site.memo["name_languages"] = {}
        properties = (*NAME_PROPERTIES, SKOS.altLabel, *site.gloss_properties)
        for props in site.out.values():
            for prop in properties:
                for name in props.get(prop, ()):
                    if isinstance(name, Literal) and name.language:
                        found.setdefault(str(name), set()).add(name.language)
    return found


def _list_value(ctx: PageContext, term: Literal) -> dict[str, Any]:
    """A cell of the answer: a list of names (a ``GROUP_CONCAT``) without a language of its
    own gives each name its language, so that a name in another language than the page's
    is marked with it (WCAG 3.1.2)."""
    value = ctx.value(term)
    if term.language or term.datatype or LIST_SEPARATOR not in str(term) and str(term) not in _name_languages(ctx.site):
        return value
    names = _name_languages(ctx.site)
    parts = []
    for item in str(term).split(LIST_SEPARATOR):
        langs = names.get(item, set())
        parts.append({"text": item, "lang": None if not langs or ctx.lang in langs else min(langs)})
    return {**value, "parts": parts}


def answer_rows(ctx: PageContext, result: Result) -> tuple[list[str], list[list[dict[str, Any]]]]:
    """The headers and the first :data:`SHOWN` rows of ``result`` as values of the page:
    a label cell links to the page of the record in the column it names."""
    shown = result.display_variables()
    index = {v: i for i, v in enumerate(result.variables)}
    rows = []
    for row in result.rows[:SHOWN]:
        cells = []
        for variable in shown:
            term = row[index[variable]]
            iri = variable[: -len(_LABEL)] if variable.endswith(_LABEL) else None
            subject = row[index[iri]] if iri is not None and iri in index else None
            if isinstance(subject, URIRef):
                link = ctx.link(subject)
                own = term.language if isinstance(term, Literal) else None
                if term is None:
                    cells.append(link)
                else:  # the answer's label, marked with its own language (the page's label's when the same text)
                    same = str(term) == link["text"]
                    cells.append({**link, "text": str(term), "lang": own or (link["lang"] if same else None)})
            elif term is None:
                cells.append({"text": "", "lang": None, "href": None, "external": False})
            elif isinstance(term, Literal):
                cells.append(_list_value(ctx, term))
            else:
                cells.append(ctx.value(term))
        rows.append(cells)
    headers = [v[: -len(_LABEL)] if v.endswith(_LABEL) and len(v) > len(_LABEL) else v for v in shown]
    return headers, rows


def variant_name(name: str, variant: Variant) -> str:
    """The stable name of ``variant``, an answer of the query ``name``: ``{name}.{param}-{value}``
    (``value`` the last two steps of its IRI), the stem of its CSV and its example's anchor
    on the query page (``neighbourhoods-of-phase.phase-phase-2``)."""
    value = "-".join(str(variant.value).rstrip("/").rsplit("/", 2)[-2:])
    return f"{name}.{variant.param}-{value}"


def variant_csv(name: str, variant: Variant, lang: str) -> str:
    """The path of the CSV of ``variant``, an answer of the query ``name``, in ``lang``."""
    return VARIANT_CSV.format(stem=variant_name(name, variant), lang=lang)


def variant_files(variants: Mapping[tuple[str, str], Sequence[Variant]]) -> dict[str, str]:
    """The CSV of every answer for a parameter's value, by path."""
    return {
        variant_csv(name, variant, lang): variant.result.to_csv()
        for (name, lang), answers in sorted(variants.items())
        for variant in answers
    }


def ask_queries(
    ctx: PageContext,
    catalogue: Sequence[Query],
    answers: Mapping[tuple[str, str], Result],
    variants: Mapping[tuple[str, str], Sequence[Variant]] | None = None,
) -> list[dict[str, Any]]:
    """Every catalogue query as the page shows it: question, description, answer, the
    answer for each other value of a parameter, SPARQL."""
    queries = []
    for query in sorted(catalogue, key=lambda q: q.name):
        result = answers.get((query.name, ctx.lang))
        headers, rows = answer_rows(ctx, result) if result is not None else ([], [])
        others = []
        for variant in (variants or {}).get((query.name, ctx.lang), ()):
            cells = answer_rows(ctx, variant.result)
            others.append(
                {
                    "param": variant.param,
                    "value": ctx.link(variant.value),
                    "count": len(variant.result.rows),
                    "headers": cells[0],
                    "rows": cells[1],
                    "csv": ctx.asset(variant_csv(query.name, variant, ctx.lang)),
                    "live": ctx.href("sparql/index", anchor=variant_name(query.name, variant)),
                }
            )
        queries.append(
            {
                "name": query.name,
                "summary": query.summary_in(ctx.lang),
                "description": query.description_in(ctx.lang),
                "text": query.text,
                "params": [p.name for p in query.params],
                "answered": result is not None,
                "count": len(result.rows) if result is not None else 0,
                "headers": headers,
                "rows": rows,
                "csv": ctx.asset(ANSWER_CSV.format(name=query.name, lang=ctx.lang)),
                "variants": others,
            }
        )
    return queries
