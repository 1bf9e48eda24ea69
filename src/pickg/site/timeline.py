"""The website's timeline page: every dated event and phase, in date order, each date
written as precisely as the data gives it (a year, a month or a day) and said so.

The rows come from the site's query ``sparql/timeline.rq`` (:attr:`SiteData.timeline`);
dates are written by Babel in the reader's language; the page links each row to its
record and offers the same rows as CSV (:func:`timeline_csv`).
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from pickg.graph.messages import translate
from pickg.graph.namespaces import XSD
from pickg.site.collect import SiteData
from pickg.site.context import PageContext

__all__ = ["TIMELINE_CSV", "date_text", "timeline_csv", "timeline_rows"]

#: The timeline's rows as CSV, at the site's root (``{lang}`` replaced).
TIMELINE_CSV = "data/timeline.{lang}.csv"


def _precision(node: Node) -> str:
    """``year``, ``month`` or ``day``: how precisely the data dates ``node``."""
    if isinstance(node, Literal) and node.datatype in (XSD.date, XSD.dateTime):
        return "day"
    if isinstance(node, Literal) and node.datatype == XSD.gYearMonth:
        return "month"
    text = str(node)
    return "day" if text.count("-") >= 2 else "month" if "-" in text else "year"


def date_text(node: Node, lang: str) -> tuple[str, str, str]:
    """``(sort key, date for people, precision)`` of a date of the data, written by Babel:
    ``2022-04-27`` → ``27 avril 2022`` / ``April 27, 2022``; ``2015-10`` → ``octobre 2015``."""
    from babel.dates import format_date, format_skeleton

    precision = _precision(node)
    text = str(node)
    try:
        parts = [int(p) for p in text[:10].split("-")]
        if precision == "day":
            shown = format_date(datetime.date(*parts[:3]), format="long", locale=lang)
        elif precision == "month":
            shown = format_skeleton("yMMMM", datetime.date(parts[0], parts[1], 1), locale=lang)
        else:
            shown = str(parts[0])
    except (ValueError, TypeError):
        shown = text
    return text, shown, precision


def timeline_rows(data: SiteData, ctx: PageContext) -> list[dict[str, Any]]:
    """Every event and phase of the timeline, in date order, as the page shows it."""
    rows: list[dict[str, Any]] = []
    for item, kind, start, end in data.timeline:
        key, shown, precision = date_text(start, ctx.lang)
        until = date_text(end, ctx.lang)[1] if end is not None else None
        rows.append(
            {
                "key": key,
                "date": shown,
                "until": until,
                "precision": translate(ctx.lang, f"portal.precision_{precision}"),
                "kind": translate(ctx.lang, f"portal.timeline_{kind}"),
                "link": ctx.link(item),
                "confidence": ctx.confidence(item),
                "iri": str(item),
            }
        )
    rows.sort(key=lambda r: (r["key"], r["link"]["text"].lower()))
    return rows


def timeline_csv(rows: list[dict[str, Any]], lang: str) -> str:
    """The timeline's rows as CSV: date, precision, kind, name, confidence, IRI."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ("date", "precision", "kind", "name", "confidence")
    writer.writerow([translate(lang, f"portal.csv_{c}") for c in columns] + ["iri"])
    for row in rows:
        conf = row["confidence"]["notation"] if row["confidence"] else ""
        writer.writerow([row["key"], row["precision"], row["kind"], row["link"]["text"], conf, row["iri"]])
    return out.getvalue()
