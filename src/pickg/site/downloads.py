"""The website's "Data & downloads" page: every file of the release with its format, size,
checksum and purpose, the licences, how to cite, the version and its changes.

The page is made twice: with the site (``pickg site``: no release around it, so it
names the release's files without sizes), and again by the release build once every
other file of the release is made (:func:`downloads_files`, an addition's ``late``
files, :class:`pickg.release.publish.Addition`), with each file's size and SHA-256. The
release's README, catalogue and checksums are made after the site (they list its files),
so the page names them and points at ``SHA256SUMS`` for their checksums.
"""

from __future__ import annotations

import posixpath
from typing import Any

from rdflib import URIRef

from pickg.graph.messages import format_number, translate
from pickg.graph.namespaces import DCTERMS, OWL
from pickg.release.files import ReleaseFiles
from pickg.site.context import PageContext
from pickg.site.resources import SiteGraph
from pickg.site.webdata import dataset_jsonld

__all__ = ["DOWNLOADS_PAGE", "LATER_FILES", "downloads_context", "site_citation"]

#: The page, as a path without extension.
DOWNLOADS_PAGE = "downloads"
#: The release's files made after the site, which the page can only name.
LATER_FILES = ("README.md", "catalog.ttl", "SHA256SUMS")
#: The licences a reader may know by name, by IRI.
_LICENCES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
}
#: Formats by file extension, for the files the catalogue does not describe.
_FORMATS = {
    ".md": "Markdown",
    ".json": "JSON",
    ".cff": "YAML (CFF 1.2.0)",
    ".ttl": "Turtle",
    ".csv": "CSV",
    "": "text",
}


def _ontology(site: SiteGraph) -> URIRef | None:
    found = site.instances(OWL.Ontology)
    return found[0] if found else None


def _licence(site: SiteGraph) -> tuple[str, str | None]:
    """The data's licence: its name and address (from the ontology's header)."""
    ontology = _ontology(site)
    licence = site.value(ontology, DCTERMS.license) if ontology is not None else None
    if licence is None:
        return "", None
    return _LICENCES.get(str(licence), str(licence)), str(licence)


def site_citation(site: SiteGraph, version: str, lang: str) -> str:
    """The "cite this" line of the release: creators, title, version, licence."""
    ontology = _ontology(site)
    creators = [str(c) for c in site.values(ontology, DCTERMS.creator)] if ontology is not None else []
    name, _ = _licence(site)
    return translate(
        lang,
        "portal.cite_line",
        creators=", ".join(creators) or "pickg",
        title=translate(lang, "release.dataset_title"),
        version=version,
        licence=name,
    )


def _size(size: int, lang: str) -> str:
    if size < 10_000:
        return translate(lang, "portal.bytes", n=size)
    return translate(lang, "portal.kilobytes", size=format_number(round(size / 1024), lang))


def _rows(ctx: PageContext, files: ReleaseFiles | None) -> list[dict[str, Any]]:
    """One row per file of the release (the site's own files summed as one row)."""
    if files is None:
        return []
    described = {f.name: f for f in files.described}
    rows = []
    site_size = site_count = 0
    for name, data in sorted(files.data.items()):
        if name.startswith("site/"):
            site_size += len(data)
            site_count += 1
            continue
        facts = described.get(name)
        ext = posixpath.splitext(name)[1]
        purpose_key = f"portal.file_{name.replace('.', '_').replace('-', '_')}"
        rows.append(
            {
                "name": name,
                "href": ctx.release(name),
                "format": facts.media_type if facts is not None else _FORMATS.get(ext, ext.lstrip(".")),
                "size": _size(len(data), ctx.lang),
                "sha256": files.sha256(name),
                "purpose": facts.description if facts is not None else _purpose(ctx.lang, purpose_key),
                "purpose_lang": "en" if facts is not None else ctx.lang,
                "rows": facts.rows if facts is not None else None,
                "triples": facts.triples if facts is not None else None,
            }
        )
    for name in LATER_FILES:
        rows.append(
            {
                "name": name,
                "href": ctx.release(name),
                "format": _FORMATS.get(posixpath.splitext(name)[1], "text"),
                "size": None,
                "sha256": None,
                "purpose": _purpose(ctx.lang, f"portal.file_{name.replace('.', '_')}"),
                "purpose_lang": ctx.lang,
                "rows": None,
                "triples": None,
            }
        )
    rows.append(
        {
            "name": "site/",
            "href": ctx.href("index"),
            "format": "HTML",
            "size": _size(site_size, ctx.lang),
            "sha256": None,
            "purpose": translate(ctx.lang, "portal.file_site", n=site_count),
            "purpose_lang": ctx.lang,
            "rows": None,
            "triples": None,
        }
    )
    return rows


def _purpose(lang: str, key: str) -> str:
    try:
        return translate(lang, key)
    except KeyError:
        return ""


def downloads_context(ctx: PageContext, files: ReleaseFiles | None) -> dict[str, Any]:
    """What the downloads page shows, from the release's files when it is made in one."""
    name, href = _licence(ctx.site)
    context = {
        "files": _rows(ctx, files),
        "in_release": files is not None,
        "licence": {"name": name, "href": href},
        "citation": site_citation(ctx.site, ctx.version, ctx.lang),
        "version": ctx.version,
        "changes": ctx.release("CHANGES.md"),
        "cff": ctx.release("CITATION.cff"),
        "sums": ctx.release("SHA256SUMS"),
        "vendored": [
            {"name": "MiniSearch", "licence": "MIT", "href": ctx.asset("vendor/minisearch/LICENSE.txt")},
            {"name": "YASGUI", "licence": "MIT", "href": ctx.asset("vendor/yasgui/LICENSE")},
        ],
    }
    title, description = (translate(ctx.lang, f"release.dataset_{k}") for k in ("title", "description"))
    context["jsonld"] = dataset_jsonld(ctx, context, description, title)
    return context
