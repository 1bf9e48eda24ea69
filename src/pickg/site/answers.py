"""The website's charts that answer a question, each with the table of its figures, its
CSV, an alternative text that says what it shows, and the query that computed it.

- ``matrix``: conditions of systems change × neighbourhoods (the catalogue's
  ``systems-change-matrix``), with the total of each row and column; every link counted
  is a reasoned judgment (inferred), and the chart says so;
- ``conditions``: the conditions ranked by how many initiatives are linked to them
  (the matrix's column totals);
- ``shared``: neighbourhoods × neighbourhoods, how many themes each pair's initiatives
  share (the site's query ``neighbourhood-themes``), instead of a network.

:func:`answer_tables` gives the figures once per language; :func:`answer_specs` draws
them as Vega-Lite; :func:`answer_blocks` gives what a page shows of each (the template
``chart.html.j2`` lays one out).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from pickg.graph.messages import translate, words
from pickg.site.collect import SiteData
from pickg.site.context import PageContext, rows_of
from pickg.site.resources import SiteGraph

__all__ = ["ANSWERS", "AnswerTable", "answer_blocks", "answer_csv", "answer_specs", "answer_tables"]

#: The charts of this module, by file stem (``charts/<name>.<lang>.svg``, ``data/<name>.<lang>.csv``).
ANSWERS = ("matrix", "conditions", "shared")
CONDITIONS = ("policies", "practices", "resourceFlows", "relationships", "powerDynamics", "mentalModels")
#: The query each chart is computed by: a catalogue query (on the queries page) or one of the site's.
QUERIES = {"matrix": "systems-change-matrix", "conditions": "systems-change-matrix", "shared": "neighbourhood-themes"}
_SITE_QUERIES = frozenset({"neighbourhood-themes"})
_INFERRED = "INF"


@dataclass(frozen=True)
class AnswerTable:
    """The figures of one chart: column headers, rows of (label, IRI or None, cells), totals."""

    name: str
    columns: list[str]
    rows: list[tuple[str, str | None, list[int | None]]]
    totals: list[int] | None
    alt: str
    title: str
    inferred: bool


def _p(lang: str, key: str, **values: object) -> str:
    return translate(lang, f"portal.{key}", **values)


def _matrix(data: SiteData, site: SiteGraph, lang: str) -> tuple[AnswerTable, AnswerTable]:
    names = words(lang, "conditions")
    result = rows_of(data.catalogue[("systems-change-matrix", lang)])
    rows: list[tuple[str, str | None, list[int | None]]] = []
    inferred = bool(result)
    for row in result:
        counts = [int(c.toPython()) if isinstance(c := row.get(k), Literal) else 0 for k in CONDITIONS]
        rows.append((str(row["neighbourhoodLabel"]), str(row["neighbourhood"]), [*counts, sum(counts)]))
        level = row.get("confidence")
        inferred = inferred and level is not None and str(site.value(level, _NOTATION) or level) == _INFERRED
    totals = [sum(r[2][i] or 0 for r in rows) for i in range(len(CONDITIONS) + 1)]
    columns = [names[k] for k in CONDITIONS] + [_p(lang, "total")]
    ranked = sorted(zip(columns[:-1], totals[:-1], strict=True), key=lambda ct: (-ct[1], ct[0]))
    top, bottom = ranked[0], ranked[-1]
    busiest = max(rows, key=lambda r: r[2][-1] or 0) if rows else ("", None, [0])
    matrix = AnswerTable(
        "matrix",
        columns,
        rows,
        totals,
        _p(lang, "alt_matrix", n=len(rows), top=top[0], most=busiest[0], links=busiest[2][-1] or 0, total=totals[-1]),
        _p(lang, "title_matrix", top=top[0]),
        inferred,
    )
    order = ", ".join(f"{c} ({n})" for c, n in ranked)
    conditions = AnswerTable(
        "conditions",
        [_p(lang, "initiatives_label")],
        [(c, None, [n]) for c, n in ranked],
        None,
        _p(lang, "alt_conditions", top=top[0], n=top[1], bottom=bottom[0], low=bottom[1], order=order),
        _p(lang, "title_conditions", top=top[0], n=top[1]),
        inferred,
    )
    return matrix, conditions


def _shared(data: SiteData, site: SiteGraph, lang: str) -> AnswerTable:
    themes: dict[URIRef, set[URIRef]] = {}
    for neighbourhood, theme in data.themes:
        themes.setdefault(neighbourhood, set()).add(theme)
    order = sorted(themes, key=lambda n: (site.label(n, lang).text.lower(), str(n)))
    labels = [site.label(n, lang).text for n in order]
    rows: list[tuple[str, str | None, list[int | None]]] = []
    best = ("", "", -1)
    for i, a in enumerate(order):
        cells: list[int | None] = []
        for j, b in enumerate(order):
            shared = None if i == j else len(themes[a] & themes[b])
            cells.append(shared)
            if shared is not None and j > i and shared > best[2]:
                best = (labels[i], labels[j], shared)
        rows.append((labels[i], str(a), cells))
    alt = _p(lang, "alt_shared", n=len(order), a=best[0], b=best[1], shared=max(best[2], 0))
    return AnswerTable("shared", labels, rows, None, alt, _p(lang, "title_shared", a=best[0], b=best[1]), False)


_NOTATION = URIRef("http://www.w3.org/2004/02/skos/core#notation")


def answer_tables(data: SiteData, site: SiteGraph, lang: str) -> dict[str, AnswerTable]:
    """The figures of every chart of this module in ``lang``, by name."""
    matrix, conditions = _matrix(data, site, lang)
    return {"matrix": matrix, "conditions": conditions, "shared": _shared(data, site, lang)}


def answer_csv(table: AnswerTable, lang: str) -> str:
    """A chart's figures as CSV: the row's name, its IRI, one column per header."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_p(lang, "csv_name"), "iri", *table.columns])
    for label, iri, cells in table.rows:
        writer.writerow([label, iri or "", *("" if c is None else c for c in cells)])
    if table.totals is not None:
        writer.writerow([_p(lang, "total"), "", *table.totals])
    return out.getvalue()


def answer_blocks(ctx: PageContext, tables: dict[str, AnswerTable]) -> list[dict[str, Any]]:
    """What a page shows of each chart: title, image, alternative text, table, CSV, query."""
    blocks = []
    for name in ANSWERS:
        table = tables[name]
        query = QUERIES[name]
        href = (
            ctx.asset(f"data/queries/{query}.rq") if query in _SITE_QUERIES else ctx.href("queries/index", anchor=query)
        )
        blocks.append(
            {
                "name": name,
                "title": table.title,
                "src": ctx.asset(f"charts/{name}.{ctx.lang}.svg"),
                "alt": table.alt,
                "csv": ctx.asset(f"data/{name}.{ctx.lang}.csv"),
                "query": {"name": query, "href": href},
                "columns": table.columns,
                "rows": [
                    {"label": label, "link": ctx.link(URIRef(iri)) if iri else None, "cells": cells}
                    for label, iri, cells in table.rows
                ],
                "totals": table.totals,
                "inferred": table.inferred,
            }
        )
    return blocks


def answer_specs(tables: dict[str, AnswerTable], lang: str) -> dict[str, dict[str, Any]]:
    """The Vega-Lite specification of each chart of this module, drawn full width."""
    import altair as alt

    specs = {}
    labels = alt.Axis(labelLimit=0)  # whole labels, never cut
    greens = alt.Scale(scheme="greens")
    matrix = tables["matrix"]
    cells = []
    lines: list[tuple[str, str | None, list[int | None]]] = [
        *matrix.rows,
        (_p(lang, "total"), None, [*(matrix.totals or [])]),
    ]
    for label, _, counts in lines:
        for column, count in zip(matrix.columns, counts, strict=True):
            total = column == matrix.columns[-1] or label == _p(lang, "total")
            cells.append({"row": label, "column": column, "n": count or 0, "total": total})
    subtitle = _p(lang, "inferred_note") if matrix.inferred else ""
    base = alt.Chart(alt.Data(values=cells), title=alt.Title(matrix.title, subtitle=subtitle)).encode(
        x=alt.X("column:N", title=None, sort=matrix.columns, axis=alt.Axis(labelAngle=-30, orient="top", labelLimit=0)),
        y=alt.Y("row:N", title=None, sort=[*(r[0] for r in matrix.rows), _p(lang, "total")], axis=labels),
    )
    heat = (
        base.transform_filter("!datum.total")
        .mark_rect()
        .encode(
            color=alt.Color("n:Q", title=_p(lang, "initiatives_label"), scale=alt.Scale(scheme="blues"), legend=None)
        )
    )
    totals = base.transform_filter("datum.total").mark_rect(color="#edf2f7")
    text = base.mark_text(fontSize=12).encode(
        text="n:Q", color=alt.condition("datum.n > 2 && !datum.total", alt.value("white"), alt.value("black"))
    )
    specs["matrix"] = (heat + totals + text).properties(width=640, height={"step": 24})

    conditions = tables["conditions"]
    values = [{"condition": label, "n": cells[0]} for label, _, cells in conditions.rows]
    bars = alt.Chart(alt.Data(values=values), title=alt.Title(conditions.title, subtitle=subtitle)).encode(
        x=alt.X("n:Q", title=_p(lang, "initiatives_label"), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("condition:N", title=None, sort="-x", axis=alt.Axis(labelLimit=0)),
    )
    labelled = bars.mark_bar(color="#2b6cb0") + bars.mark_text(align="left", dx=4).encode(text="n:Q")
    specs["conditions"] = labelled.properties(width=640)

    shared = tables["shared"]
    pairs = [
        {"a": label, "b": shared.columns[j], "n": n}
        for label, _, row in shared.rows
        for j, n in enumerate(row)
        if n is not None
    ]
    grid = alt.Chart(alt.Data(values=pairs), title=shared.title).encode(
        x=alt.X("b:N", title=None, sort=shared.columns, axis=alt.Axis(labelAngle=-45, orient="top", labelLimit=0)),
        y=alt.Y("a:N", title=None, sort=shared.columns, axis=alt.Axis(labelLimit=0)),
    )
    specs["shared"] = (
        grid.mark_rect().encode(color=alt.Color("n:Q", title=_p(lang, "shared_themes"), scale=greens))
        + grid.mark_text(fontSize=11).encode(
            text="n:Q", color=alt.condition("datum.n > 3", alt.value("white"), alt.value("black"))
        )
    ).properties(width={"step": 30}, height={"step": 22})
    for name, chart in list(specs.items()):
        # The padding leaves room for labels that a browser's font draws wider than the
        # renderer measured them.
        chart = chart.properties(padding={"left": 48, "top": 8, "right": 24, "bottom": 8})
        specs[name] = chart.configure(font="sans-serif").configure_view(stroke=None).to_dict(validate=False)
    return specs
