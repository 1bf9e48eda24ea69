"""Build the website of the graph: ``pickg site`` and the ``site/`` folder of every release.

:func:`build_site` asks a store everything the site shows (:func:`collect_site`) and
renders the pages and, beside each resource's pages, its description as Turtle and
JSON-LD (``index.ttl``, ``index.jsonld``: what the pages' ``<link rel="alternate">``
point at), by :func:`pickg.site.pages.render_site`. The result is a mapping path → text, the
same bytes for the same graph; :func:`write_site` writes it into a folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pickg.graph.errors import InputError
from pickg.graph.timing import Steps
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import load_catalog
from pickg.release.docs import FileKind
from pickg.release.publish import Addition, AdditionBuilder
from pickg.site.collect import SiteData, collect_site
from pickg.site.pages import render_site

__all__ = ["SITE_FOLDER", "SITE_KIND", "SiteFiles", "build_site", "release_additions", "render_collected", "write_site"]

#: The site's folder inside a release.
SITE_FOLDER = "site"

#: What the release's catalogue and README say of the site's home page.
SITE_KIND = FileKind(
    "text/html",
    "Website of the graph (HTML, French and English)",
    "One page per neighbourhood, initiative, organisation, finding, source and every other resource, "
    "at the path of its IRI, each fact with its source and confidence; charts, a data dictionary of "
    "every class, property and concept, and the catalogue queries. Open site/index.html; "
    "no server or network needed.",
)


@dataclass(frozen=True)
class SiteFiles:
    """The files of a website, by path relative to its root, and how many are HTML pages."""

    files: Mapping[str, str]

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))

    @property
    def size(self) -> int:
        return sum(len(text.encode("utf-8")) for text in self.files.values())


def render_collected(
    data: SiteData,
    version: str,
    workspace: Workspace | None = None,
    charts: bool = True,
    cache: Path | None = None,
) -> SiteFiles:
    """The website's files from what the graph answered (the second half of :func:`build_site`)."""
    ws = workspace or Workspace.discover()
    catalogue = list(load_catalog(ws).values())
    return SiteFiles(render_site(data, version, catalogue, charts=charts, cache=cache))


def build_site(
    store: Any,
    version: str,
    *,
    workspace: Workspace | None = None,
    charts: bool = True,
    steps: Steps | None = None,
    cache: Path | None = None,
) -> SiteFiles:
    """The website of the graph held by ``store`` (the workspace's sources).

    :param store: a :class:`pickg.graph.store.Store` with the ontology, vocabularies and data.
    :param version: the data release the site belongs to.
    :param charts: draw the charts (off: a faster build, for tests of the pages alone).
    :param cache: a cache folder (:func:`pickg.graph.cache.cache_dir`) for the charts'
        drawings, which depend only on their specification (:func:`pickg.site.charts.chart_svg`).
    :raises InputError: the store holds nothing to show.
    :raises NotFoundError: a catalogue query the site shows is missing.
    """
    steps = steps if steps is not None else Steps()
    with steps("site: queries"):
        data = collect_site(store, workspace)
    with steps("site: pages"):
        return render_collected(data, version, workspace, charts, cache)


def write_site(site: SiteFiles, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the site's files into the folder ``out`` (created); the folder.

    :raises InputError: ``out`` is a file, or a non-empty folder without ``force``.
    """
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file, not a folder; choose another --out")
    if target.exists() and any(target.iterdir()) and not force:
        raise InputError(f"{target} is not empty; choose another --out, or give --force to write over it")
    for name, text in site.files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return target


def release_additions(workspace: Workspace | None = None, steps: Steps | None = None) -> AdditionBuilder:
    """What ``pickg publish`` and ``pickg run`` hand to the release build: the website, as
    the folder ``site/`` of the release, built from the release's store and version."""
    from pickg.graph.cache import cache_dir

    cache = cache_dir(workspace)

    def additions(store: Any, version: str) -> list[Addition]:
        site = build_site(store, version, workspace=workspace, steps=steps, cache=cache)
        return [Addition(SITE_FOLDER, site.files, "index.html", SITE_KIND)]

    return additions
