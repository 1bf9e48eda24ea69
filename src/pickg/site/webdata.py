"""The website as part of the web of data: each page's record as schema.org JSON-LD, the
sitemap, and the Content-Security-Policy every page declares.

:func:`page_jsonld` is a template global (``{{ jsonld(ctx, iri) }}`` in a page's
``<head>``): the record of the page's resource with schema.org terms where they fit
(``Place`` for neighbourhoods and territories, ``Organization``, ``Event``, ``Dataset``
for the downloads page, ``Thing`` otherwise). It is written inside a
``<script type="application/ld+json">`` with every ``<``, ``>`` and ``&`` escaped as a
JSON ``\\u`` sequence, so no text of the data can end the script or open a tag.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup
from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDFS, SCHEMA
from pickg.site.context import PageContext
from pickg.site.resources import BASE, SiteGraph, page_file

__all__ = ["CSP", "dataset_jsonld", "json_script", "page_jsonld", "page_url", "schema_type", "sitemap_xml"]

#: The policy of every page (a ``<meta http-equiv>``): scripts, styles, images and
#: requests only from the site itself (the query page asks ``pickg serve``'s endpoint,
#: at the same address), no plug-in, no ``<base>``, forms sent only to the site.
#: Styles allow inline ``style`` attributes, which the query page's editor (YASGUI) sets.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-src 'none'"
)

#: schema.org types of the graph's classes, the most specific first (subclasses follow
#: their ``rdfs:subClassOf`` up to one of these).
_SCHEMA_TYPES: dict[URIRef, str] = {
    PIC.Event: "Event",
    PIC.Neighbourhood: "Place",
    PIC.Territory: "Place",
    PIC.Place: "Place",
    PIC.Organisation: "Organization",
    PIC.Programme: "Project",
    PIC.Initiative: "Project",
    PIC.Publication: "CreativeWork",
    PIC.Source: "CreativeWork",
}
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_script(value: Any) -> Markup:
    """``value`` as JSON-LD inside a ``<script>``, safe for any text it holds."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    return Markup('<script type="application/ld+json">' + text.translate(_ESCAPES) + "</script>")


def schema_type(site: SiteGraph, node: Node) -> str:
    """The schema.org type of ``node``: that of its class or of the nearest superclass."""
    return next((_SCHEMA_TYPES[cls] for cls in site.classes(node) if cls in _SCHEMA_TYPES), "Thing")


def _texts(site: SiteGraph, node: Node, prop: URIRef, lang: str) -> list[str]:
    found = [o for o in site.values(node, prop) if isinstance(o, Literal)]
    found.sort(key=lambda o: (o.language != lang, str(o)))
    return [str(o) for o in found]


def page_jsonld(ctx: PageContext, iri: str) -> Markup:
    """The record of the page's resource as schema.org JSON-LD, in a ``<script>``."""
    site, node = ctx.site, URIRef(iri)
    kind = schema_type(site, node)
    record: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": iri,
        "name": ctx.label(node).text,
        "inLanguage": ctx.lang,
    }
    names = [n for n in _texts(site, node, RDFS.label, ctx.lang) if n != record["name"]]
    if names:
        record["alternateName"] = names
    described = _texts(site, node, DCTERMS.description, ctx.lang)
    if described:
        record["description"] = described[0]
    if kind == "Event":
        start = site.value(node, SCHEMA.startDate)
        if start is not None:
            record["startDate"] = str(start)
    if kind == "Place":
        within = [ctx.label(t).text for t in site.values(node, PIC.territory)]
        if within:
            record["containedInPlace"] = [{"@type": "Place", "name": name} for name in within]
    sources = [str(s) for s in site.values(node, DCTERMS.source)]
    if sources:
        record["citation"] = [{"@id": s} for s in sources]
    return json_script(record)


def dataset_jsonld(ctx: PageContext, downloads: dict[str, Any], description: str, title: str) -> Markup:
    """The release as a schema.org ``Dataset`` (the downloads page), for dataset search engines."""
    record: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": title,
        "description": description,
        "version": downloads["version"],
        "inLanguage": ["fr", "en"],
        "isAccessibleForFree": True,
        "citation": downloads["citation"],
    }
    if downloads["licence"]["href"]:
        record["license"] = downloads["licence"]["href"]
    files = downloads["files"]
    if files:
        record["distribution"] = [
            {"@type": "DataDownload", "name": f["name"], "encodingFormat": f["format"], "contentUrl": f["name"]}
            for f in files
            if f["sha256"]
        ]
    return json_script(record)


def page_url(page: str, lang: str) -> str:
    """The published address of ``page`` (a path without extension) in ``lang``, under the
    project's base: what ``hreflang`` links and the sitemap give (they must be absolute)."""
    return BASE + page_file(page, lang)


def sitemap_xml(pages: list[str]) -> str:
    """``sitemap.xml``: the address of every page, under the project's base (the site's
    paths are those of the IRIs below it), sorted."""
    from xml.sax.saxutils import escape

    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"<url><loc>{escape(BASE + page)}</loc></url>" for page in sorted(pages)]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
