"""The website's charts: Vega-Lite specifications (Altair) drawn as static SVG at build time.

Each chart is drawn once per language from catalogue answers (:class:`SiteData`) by
``vl-convert`` (Vega's own renderer, no browser, no network); the same answers give the
same SVG bytes. The pages show the same figures in a table beside each chart, so the
charts are never the only way to read them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from pickg.graph.messages import translate
from pickg.site.answers import ANSWERS, answer_specs, answer_tables
from pickg.site.collect import SiteData
from pickg.site.resources import LANGUAGES, SiteGraph

__all__ = ["CHARTS", "chart_specs", "chart_svg", "chart_svgs", "stable_ids"]

#: The charts, by file stem (``charts/<name>.<lang>.svg``): these and those of
#: :mod:`pickg.site.answers` (the matrix with totals, the ranked conditions, the shared themes).
CHARTS = ("themes", "funding", "timeline", *ANSWERS)

_FONT = "sans-serif"


def _rows(data: SiteData, name: str, lang: str) -> list[dict[str, Node]]:
    result = data.catalogue[(name, lang)]
    return [{k: v for k, v in zip(result.variables, row, strict=True) if v is not None} for row in result.rows]


def _words(lang: str) -> Callable[[str], str]:
    return lambda key: translate(lang, f"site.{key}")


def _themes(data: SiteData, site: SiteGraph, lang: str) -> Any:
    import altair as alt

    t = _words(lang)
    values = [
        {"theme": str(r["themeLabel"]), "neighbourhoods": int(count.toPython())}
        for r in _rows(data, "theme-summary", lang)
        if isinstance(count := r.get("neighbourhoods"), Literal)
    ]
    return (
        alt.Chart(alt.Data(values=values), title=t("chart_themes"))
        .mark_bar(color="#2b6cb0")
        .encode(
            x=alt.X("neighbourhoods:Q", title=t("neighbourhoods_axis"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("theme:N", title=t("theme_axis"), sort="-x"),
        )
        .properties(width=420)
    )


def _funding(data: SiteData, site: SiteGraph, lang: str) -> Any:
    import altair as alt

    t = _words(lang)
    known = sum(
        (Decimal(str(r["value"])) for r in _rows(data, "neighbourhood-funding", lang) if "value" in r), Decimal(0)
    )
    budgets = [r for r in _rows(data, "phase-budgets", lang) if str(r.get("phase", "")).endswith("/phase/1")]
    budget = Decimal(str(budgets[0]["value"])) if budgets and "value" in budgets[0] else None
    values = [{"part": t("known_part"), "amount": float(known / Decimal(1_000_000)), "order": 1}]
    if budget is not None:
        values.append({"part": t("unknown_part"), "amount": float((budget - known) / Decimal(1_000_000)), "order": 2})
    return (
        alt.Chart(alt.Data(values=values), title=t("chart_funding"))
        .mark_bar()
        .encode(
            x=alt.X("sum(amount):Q", title=t("amount_axis"), stack="zero"),
            color=alt.Color(
                "part:N",
                title=t("part_axis"),
                sort=[str(v["part"]) for v in values],
                scale=alt.Scale(range=["#2b6cb0", "#cbd5e0"]),
            ),
            order=alt.Order("order:Q"),
        )
        .properties(width=420, height=60)
    )


def _year(node: Node) -> float | None:
    """A date of the data as a fractional year: ``2016`` → 2016.0, ``2018-06`` → 2018.42."""
    text = str(node)
    parts = text.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2][:2]) if len(parts) > 2 else None
    except ValueError:
        return None
    if month is None:
        return float(year)
    return round(year + (month - 1) / 12 + ((day or 1) - 1) / 365, 4)


def _timeline(data: SiteData, site: SiteGraph, lang: str) -> Any:
    import altair as alt

    t = _words(lang)
    events: list[dict[str, str | float]] = []
    phases: list[dict[str, str | float]] = []
    years: list[float] = []
    for item, kind, start, end in data.timeline:
        begin = _year(start)
        if begin is None:
            continue
        name = site.label(item, lang).text
        if kind == "phase":
            finish = _year(end) if end is not None else None
            stop = (finish + 1) if finish is not None else begin + 1
            phases.append({"name": name, "start": begin, "end": stop})
            years += [begin, stop]
        else:
            events.append({"name": f"{start} · {name}", "start": begin})
            years.append(begin)
    events.sort(key=lambda e: (e["start"], e["name"]))
    phases.sort(key=lambda p: (p["start"], p["name"]))
    domain = [math.floor(min(years)) - 1, math.ceil(max(years)) + 1] if years else [0, 1]
    x = alt.X(
        "start:Q",
        title=t("year_axis"),
        axis=alt.Axis(format="d", tickMinStep=1),
        scale=alt.Scale(domain=domain, zero=False, nice=False),
    )
    bars = (
        alt.Chart(alt.Data(values=phases))
        .mark_bar(opacity=0.8, color="#90cdf4", height=14)
        .encode(x=x, x2="end:Q", y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=0)))
    )
    dots = (
        alt.Chart(alt.Data(values=events))
        .mark_point(filled=True, color="#1a365d", size=60)
        .encode(x=x, y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=0)))
    )
    return alt.vconcat(bars.properties(width=520), dots.properties(width=520), title=t("chart_timeline"))


_BUILDERS = {"themes": _themes, "funding": _funding, "timeline": _timeline}


def chart_specs(data: SiteData, site: SiteGraph, lang: str) -> dict[str, dict[str, Any]]:
    """The Vega-Lite specification of every chart in ``lang``, by name."""
    specs = {}
    for name, build in _BUILDERS.items():
        chart = build(data, site, lang).configure(font=_FONT).configure_view(stroke=None)
        specs[name] = chart.to_dict(validate=False)
    specs.update(answer_specs(answer_tables(data, site, lang), lang))
    return specs


_NUMBERED_ID = re.compile(r'id="((gradient|clip|pattern)_?)(\d+)"')


def stable_ids(svg: str) -> str:
    """``svg`` with the ids Vega numbers across a process (``gradient_7``) numbered from 0 in
    the file, so a chart is the same bytes whatever was drawn before it."""
    renamed: dict[str, str] = {}
    for match in _NUMBERED_ID.finditer(svg):
        old = match.group(1) + match.group(3)
        if old not in renamed:
            renamed[old] = f"{match.group(1)}{len(renamed)}"
    if not renamed:
        return svg
    pattern = re.compile(r'(id="|#)(' + "|".join(re.escape(old) for old in renamed) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + renamed[m.group(2)], svg)


def chart_svg(spec: dict[str, Any], cache: Path | None = None) -> str:
    """The SVG of one chart's Vega-Lite specification, from the cache when it was drawn before.

    The SVG depends only on the specification (which holds the chart's data) and on
    vl-convert's version, so it is kept in the cache of :mod:`pickg.graph.cache` under
    both: drawing the ten charts of the shipped data took 1.0-1.3 s of a 2.3 s build of
    the site's pages (``bench/RESULTS.md``), reading them back a few milliseconds.

    :param cache: a cache folder (:func:`pickg.graph.cache.cache_dir`), None to draw it.
    """
    import vl_convert

    from pickg.graph.cache import cache_key, cached_text

    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = cache_key("chart.svg", version("vl-convert-python"), text)
    return cached_text(cache, "chart-svg", key, lambda: stable_ids(vl_convert.vegalite_to_svg(spec)))


def chart_svgs(data: SiteData, site: SiteGraph, cache: Path | None = None) -> dict[str, str]:
    """Every chart as SVG in every language: ``charts/<name>.<lang>.svg`` → text.

    :param cache: a cache folder for the drawings (:func:`chart_svg`), None to draw them all.
    """
    files = {}
    for lang in LANGUAGES:
        for name, spec in chart_specs(data, site, lang).items():
            files[f"charts/{name}.{lang}.svg"] = chart_svg(spec, cache)
    return files
