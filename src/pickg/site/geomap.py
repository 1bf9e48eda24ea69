"""The website's map of the neighbourhoods: an SVG drawn at build time from the boundaries
of ``data/geo/neighbourhoods.geojson`` (open data of the Ville de Montréal, CC BY 4.0,
simplified; see ``data/geo/README.md``).

Each neighbourhood of the graph names its boundary (``pic:boundary``), and the boundary
its source and confidence: a boundary drawn as the union of several districts is an
inference (``INF``), drawn hatched, and the map says so. The map is inline SVG: each
neighbourhood is a link to its page with its name, the map has a title and a
description, and a table gives the same facts to those who do not see it. A choropleth
colours the neighbourhoods by a value (support tier, initiatives, known funding), an
unknown value shown as unknown, never as zero.

:func:`neighbourhood_map` is the template global ``neighbourhood_map(ctx, highlight=None,
measure=None, table=True, shapes_of=None)`` that any page calls (the home page, each
neighbourhood's page).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from markupsafe import Markup, escape
from rdflib import Literal, URIRef

from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC
from pickg.site.context import PageContext, format_number
from pickg.site.resources import SiteGraph

__all__ = ["MEASURES", "Shapes", "map_context", "neighbourhood_map", "read_shapes"]

#: What a choropleth may colour the neighbourhoods by.
MEASURES = ("tier", "initiatives", "funding")
_WIDTH = 640.0
_PHASE_1 = URIRef("https://w3id.org/pickg/id/phase/1")
_PALETTE = ("#deebf7", "#9ecae1", "#4292c6", "#08519c")


@dataclass(frozen=True)
class Shapes:
    """The boundaries projected for drawing: SVG path data by boundary IRI, the island's
    outline, and the drawing's height for :data:`_WIDTH`."""

    paths: Mapping[str, str]
    labels: Mapping[str, tuple[float, float]]
    island: str
    height: float


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _tenths(n: int) -> str:
    """``n`` tenths as SVG path data writes them shortest: ``12``, ``1.5``, ``.5``, ``-.5``."""
    sign, whole, tenth = "-" if n < 0 else "", abs(n) // 10, abs(n) % 10
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _ring_path(points: list[tuple[int, int]]) -> str:
    """A closed ring of points in tenths of a pixel as SVG path data: its first point, then
    each step from the one before (``l``), a repeated point and the closing one left out. Relative steps are
    short numbers: the map's paths take a third less room than absolute ones (the home
    page, drawing the map four times, went from 206 to 163 kB)."""
    kept = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    if len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()  # the closing point: ``z`` draws that step
    steps = []
    for (x0, y0), (x1, y1) in zip(kept, kept[1:], strict=False):
        dx, dy = _tenths(x1 - x0), _tenths(y1 - y0)
        steps.append(dx + ("" if dy.startswith("-") else " ") + dy)
    start = f"M{_tenths(kept[0][0])} {_tenths(kept[0][1])}"
    return start + ("l" + " ".join(steps) if steps else "") + "z"


@cache
def read_shapes(text: str) -> Shapes:
    """``neighbourhoods.geojson`` projected for drawing (equirectangular at the island's
    latitude, north up), each ring an SVG path in whole tenths of a pixel
    (:func:`_ring_path`)."""
    features = json.loads(text)["features"] if text else []
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    if not points:
        return Shapes({}, {}, "", 0.0)
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    scale = _WIDTH / ((east - west) * squeeze)

    def path(geometry: Mapping[str, Any]) -> str:
        parts = []
        for ring in _rings(geometry):
            tenths = [(round((x - west) * squeeze * scale * 10), round((north - y) * scale * 10)) for x, y in ring]
            parts.append(_ring_path(tenths))
        return "".join(parts)

    paths, labels, island = {}, {}, ""
    for feature in features:
        props = feature.get("properties", {})
        if props.get("context"):
            island = path(feature["geometry"])
            continue
        boundary = str(props["boundary"])
        paths[boundary] = path(feature["geometry"])
        ring = max(_rings(feature["geometry"]), key=len)
        cx = sum(p[0] for p in ring) / len(ring)
        cy = sum(p[1] for p in ring) / len(ring)
        labels[boundary] = ((cx - west) * squeeze * scale, (north - cy) * scale)
    return Shapes(paths, labels, island, round((north - south) * scale, 1))


def _tier(site: SiteGraph, neighbourhood: URIRef) -> URIRef | None:
    for participation, prop in site.referrers(neighbourhood):
        if prop == PIC.neighbourhood and site.value(participation, PIC.phase) == _PHASE_1:
            tier = site.value(participation, PIC.supportTier)
            if isinstance(tier, URIRef):
                return tier
    return None


def _initiatives(site: SiteGraph, neighbourhood: URIRef) -> int:
    return sum(
        1 for s, prop in site.referrers(neighbourhood) if prop == PIC.neighbourhood and PIC.Initiative in site.types(s)
    )


def _funding(ctx: PageContext, neighbourhood: URIRef) -> Decimal | None:
    for row in ctx.site_data.catalogue[("neighbourhood-funding", ctx.lang)].rows:
        named = dict(zip(ctx.site_data.catalogue[("neighbourhood-funding", ctx.lang)].variables, row, strict=True))
        if named.get("neighbourhood") == neighbourhood and isinstance(named.get("value"), Literal):
            return Decimal(str(named["value"]))
    return None


#: The language of the districts' names (``pic:sourceDistrict``): the City's datasets
#: name them in French, and a page in another language marks them so.
DISTRICTS_LANG = "fr"


def map_context(ctx: PageContext, measure: str | None = None) -> list[dict[str, Any]]:
    """One row per neighbourhood with a boundary: its link, boundary, whether the boundary
    is inferred, its source districts and, for a choropleth, its value and class."""
    site = ctx.site
    rows = []
    for neighbourhood in site.instances(PIC.Neighbourhood):
        boundary = site.value(neighbourhood, PIC.boundary)
        if boundary is None:
            continue
        level = ctx.confidence(boundary)
        row: dict[str, Any] = {
            "iri": str(neighbourhood),
            "boundary": str(boundary),
            "link": ctx.link(neighbourhood),
            "confidence": level,
            "inferred": level is not None and level["notation"] == "INF",
            "districts": [str(d) for d in site.values(boundary, PIC.sourceDistrict)],
            "sources": ctx.sources(boundary),
            "value": None,
            "shade": None,
        }
        if measure == "tier":
            tier = _tier(site, neighbourhood)
            row["value"] = ctx.label(tier).text if tier is not None else None
            row["shade"] = (
                3 if tier is not None and str(tier).endswith("intensive") else 1 if tier is not None else None
            )
        elif measure == "initiatives":
            n = _initiatives(site, neighbourhood)
            row["value"], row["shade"] = format_number(n, ctx.lang), min(n, 3)
        elif measure == "funding":
            amount = _funding(ctx, neighbourhood)
            if amount is not None:
                row["value"] = format_number(amount, ctx.lang) + " CAD"
                row["shade"] = min(3, int(amount // Decimal(700_000)))
        rows.append(row)
    rows.sort(key=lambda r: r["link"]["text"].lower())
    return rows


def _shape_id(shapes_of: str, boundary: str) -> str:
    """The id of ``boundary``'s outline among the shapes the map ``shapes_of`` defines."""
    return f"{shapes_of}-{boundary.rstrip('/').rsplit('/', 1)[-1]}"


def neighbourhood_map(
    ctx: PageContext,
    highlight: str | None = None,
    measure: str | None = None,
    table: bool = True,
    shapes_of: str | None = None,
) -> Markup:
    """The map as HTML (inline SVG, legend, attribution, table); ``highlight`` an IRI of a
    neighbourhood drawn apart (its own page), ``measure`` one of :data:`MEASURES`.

    The outlines are drawn once per page: a map defines them (``<defs>``) and draws each
    with ``<use>``; another map of the same page names that map's id in ``shapes_of``
    (``map-plain``) and draws the same outlines in its own colours. The home page, four
    maps, went from 163 to 110 kB."""
    if highlight is not None and ctx.site.value(URIRef(highlight), PIC.boundary) is None:
        return Markup("")  # not a neighbourhood, or one without a boundary
    shapes = read_shapes(ctx.site_data.geometry)
    if not shapes.paths:
        return Markup("")
    rows = map_context(ctx, measure)

    def p(key: str, **values: object) -> str:
        return translate(ctx.lang, f"portal.{key}", **values)

    ident = f"map-{measure or 'plain'}"
    owner = shapes_of or ident
    title = p(f"map_title_{measure or 'plain'}")
    defs = [
        '<pattern id="hatch-' + ident + '" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#4a5568" stroke-width="1.5"/>'
        "</pattern>"
    ]
    if shapes_of is None:
        defs.append(f'<path id="{owner}-island" d="{shapes.island}"/>')
        defs += [f'<path id="{_shape_id(owner, b)}" d="{d}"/>' for b, d in shapes.paths.items()]
    parts = [
        f'<figure class="map{" small" if highlight else ""}" id="{ident}">',
        f'<svg viewBox="0 0 {_WIDTH:.0f} {shapes.height:.0f}" role="group" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(p("map_desc"))}</desc>',
        "<defs>" + "".join(defs) + "</defs>",
        f'<use href="#{owner}-island" class="island"/>',
    ]
    overlays = []
    for row in rows:
        if row["boundary"] not in shapes.paths:
            continue
        shape = "#" + _shape_id(owner, row["boundary"])
        shade = row["shade"]
        fill = _PALETTE[shade] if shade is not None else ("#ffffff" if measure is not None else "#bee3f8")
        if measure is not None and shade is None:
            fill = f"url(#hatch-{ident})"
        classes = "nbh" + (" here" if row["iri"] == highlight else "")
        name = row["link"]["text"] + (f" — {row['value']}" if row["value"] else "")
        if measure is not None and row["value"] is None:
            name += " — " + p("unknown")
        if row["inferred"]:
            name += " (" + p("map_inferred_short") + ")"
        href = row["link"]["href"] or "#"
        parts.append(
            f'<a href="{escape(href)}" aria-label="{escape(name)}"><use href="{shape}" class="{classes}" fill="{fill}">'
            f"<title>{escape(name)}</title></use></a>"
        )
        if row["inferred"] and measure is None:
            overlays.append(f'<use href="{shape}" class="inferred" fill="url(#hatch-{ident})" aria-hidden="true"/>')
    parts += overlays
    parts.append("</svg>")
    legend = [p("map_legend_inferred")]
    if measure is not None:
        legend.append(p(f"map_legend_{measure}"))
        legend.append(p("map_legend_unknown"))
    parts.append(f"<figcaption><strong>{escape(title)}</strong> {escape(' '.join(legend))}<br>")
    parts.append(f'<small class="attribution">{escape(p("map_attribution"))}</small></figcaption>')
    if table:
        parts.append(_table(ctx, rows, measure, title, p))
    parts.append("</figure>")
    return Markup("".join(parts))


def _table(ctx: PageContext, rows: list[dict[str, Any]], measure: str | None, title: str, p: Callable[..., str]) -> str:
    from pickg.site.context import mark_html, value_html

    head = [p("csv_name"), p("map_districts"), p("csv_confidence")]
    if measure is not None:
        head.append(p(f"map_value_{measure}"))
    cells = ['<details class="map-table"><summary>', escape(p("map_table")), "</summary>"]
    cells.append('<div class="table-scroll" tabindex="0" role="region" aria-label="' + str(escape(title)) + '">')
    cells.append('<table class="list"><thead><tr>')
    cells += [f'<th scope="col">{escape(h)}</th>' for h in head]
    cells.append("</tr></thead><tbody>")
    context = {"ctx": ctx}
    districts_lang = f' lang="{DISTRICTS_LANG}"' if ctx.lang != DISTRICTS_LANG else ""
    for row in rows:
        conf = mark_html(context, row["confidence"])
        cells.append(f'<tr><th scope="row">{value_html(row["link"], ctx.lang)}</th>')
        cells.append(f"<td{districts_lang}>{escape(', '.join(row['districts']))}</td><td>{conf}</td>")
        if measure is not None:
            shown = row["value"] if row["value"] is not None else p("unknown")
            cells.append(f"<td>{escape(shown)}</td>")
        cells.append("</tr>")
    cells.append("</tbody></table></div></details>")
    return "".join(str(c) for c in cells)
