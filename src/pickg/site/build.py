"""Build the website of the graph: ``pickg site`` and the ``site/`` folder of every release.

:func:`build_site` asks a store everything the site shows (:func:`collect_site`) and
renders the pages and, beside each resource's pages, its description as Turtle and
JSON-LD (``index.ttl``, ``index.jsonld``: what the pages' ``<link rel="alternate">``
point at), by :func:`pickg.site.pages.render_site`. The result is a mapping path → text, the
same bytes for the same graph; :func:`write_site` writes it into a folder.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, URIRef

from pickg.graph.errors import InputError
from pickg.graph.timing import Steps
from pickg.graph.workspace import Workspace
from pickg.queries.catalogue import Query, load_catalog
from pickg.release.docs import FileKind
from pickg.release.files import ReleaseFiles
from pickg.release.publish import Addition, AdditionBuilder

if TYPE_CHECKING:
    from pickg.site.collect import SiteData

# The modules that ask the store and render the pages are imported by the functions that
# use them: ``pickg run`` hands the site's builder to a release that, left in place
# (:mod:`pickg.release.reuse`), never calls it, and importing them (Jinja2 with them) took
# 28 ms of its CPU.

__all__ = [
    "SITE_FOLDER",
    "SITE_KIND",
    "SiteFiles",
    "build_site",
    "release_additions",
    "site_key",
    "write_site",
]

#: The libraries whose versions shape the site's bytes (with Python's and pickg's own).
SITE_LIBRARIES = ("pickg", "jinja2", "markupsafe", "rdflib", "pyoxigraph", "vl-convert-python")

#: The site's folder inside a release.
SITE_FOLDER = "site"

#: Built sites kept in the cache (about 18 MB each on the shipped data): the ones used
#: last, so that editing the data again and again does not fill the disk.
SITES_KEPT = 3

#: What the release's catalogue and README say of the site's home page.
SITE_KIND = FileKind(
    "text/html",
    "Website of the graph (HTML, French and English)",
    "One page per neighbourhood, initiative, organisation, finding, source and every other resource, "
    "at the path of its IRI, each fact with its source and confidence; charts, a data dictionary of "
    "every class, property and concept, and the catalogue queries. Open site/index.html; "
    "no server or network needed.",
)


class SiteFiles:
    """The files of a website, by path relative to its root, and how many are HTML pages.

    Made from text (a build) or from UTF-8 bytes (read back from the cache); each form is
    derived from the other only when asked for, so a release takes the cached bytes as
    they are (encoding and decoding the site's 18 MB took 25 ms).
    """

    def __init__(
        self,
        files: Mapping[str, str] | None = None,
        *,
        data: Mapping[str, bytes] | None = None,
        late: Callable[[ReleaseFiles], Mapping[str, str]] | None = None,
    ) -> None:
        if files is None and data is None:
            raise ValueError("a site needs its files, as text or as bytes")
        self._files = files
        self._data = data
        #: the pages made again once the release's other files are made (the downloads page)
        self.late = late

    @property
    def files(self) -> Mapping[str, str]:
        """Path → text."""
        if self._files is None:
            assert self._data is not None
            self._files = {name: raw.decode("utf-8") for name, raw in self._data.items()}
        return self._files

    @property
    def data(self) -> Mapping[str, bytes]:
        """Path → UTF-8 bytes."""
        if self._data is None:
            self._data = {name: text.encode("utf-8") for name, text in self.files.items()}
        return self._data

    @property
    def pages(self) -> int:
        return sum(1 for name in (self._data or self.files) if name.endswith(".html"))

    @property
    def size(self) -> int:
        return sum(len(raw) for raw in self.data.values())


def _site_input(data: SiteData, catalogue: Sequence[Query]) -> bytes:
    """``data`` and the catalogue queries as canonical text: one line per row, terms in N3.

    Blank nodes are named by their first appearance (``_:b0``, ``_:b1``…): their labels
    are drawn anew each time the sources are read, and the site shows none (its bytes
    are the same from one build to the next), so only which of them are the same node
    is kept, and the key does not change from one run to the next.
    """
    blanks: dict[BNode, str] = {}

    def term(node: Any) -> str:
        if type(node) is URIRef:  # most terms: written as N3 writes them, without its checks
            return f"<{node}>"
        if node is None:
            return "-"
        if isinstance(node, BNode):
            return blanks.setdefault(node, f"_:b{len(blanks)}")
        return str(node.n3())

    lines = ["triples"]
    lines.extend(" ".join(term(t) for t in triple) for triple in data.triples)
    lines.append("uses")
    lines.extend(f"{term(node)} {kind} {count}" for node, kind, count in data.uses)
    lines.append("timeline")
    lines.extend(" ".join((term(i), k, term(s), term(e))) for i, k, s, e in data.timeline)
    lines.append("themes")
    lines.extend(f"{term(n)} {term(t)}" for n, t in data.themes)
    lines.append("facets")
    lines.extend(f"{name} {term(i)} {facet} {term(v)}" for name, i, facet, v in data.facets)
    for (name, lang), result in sorted(data.catalogue.items()):
        lines.append(f"catalogue {name} {lang} {' '.join(result.variables)} {result.ordered} {result.name}")
        lines.extend(" ".join(term(t) for t in row) for row in result.rows)
    lines.append("geometry")
    lines.append(data.geometry)
    for query in catalogue:  # every field the queries page shows, its text included
        lines.append(repr(query))
    return "\n".join(lines).encode("utf-8")


def site_key(data: SiteData, version: str, catalogue: Sequence[Query], charts: bool) -> str:
    """The cache key of the site built from ``data``: everything its bytes depend on.

    What the graph answered and the catalogue queries (:func:`_site_input`), the version
    and options, pickg's own files (:func:`pickg.graph.cache.package_digest`: code,
    templates, static files) and the versions of Python and the libraries that shape
    the pages (:data:`SITE_LIBRARIES`).
    """
    from pickg.graph.cache import cache_key, library_versions, package_digest

    return cache_key(
        "site 1",
        version,
        "charts" if charts else "no charts",
        package_digest(),
        library_versions(*SITE_LIBRARIES),
        _site_input(data, catalogue),
    )


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
    :param cache: a cache folder (:func:`pickg.graph.cache.cache_dir`) for the site and
        the charts' drawings (:func:`pickg.site.charts.chart_svg`). A site built before
        from the same inputs (:func:`site_key`) is read back instead of rendered: on the
        shipped data 0.1 s instead of the pages' 0.8 s (two cores; 1.3 s on one),
        ``bench/RESULTS.md``. The key covers everything the pages are made from,
        pickg's own files included, so the bytes are those a fresh build gives
        (``tests/site/test_site.py`` compares both).
    :raises InputError: the store holds nothing to show.
    :raises NotFoundError: a catalogue query the site shows is missing.
    """
    from pickg.site.collect import collect_site

    steps = steps if steps is not None else Steps()
    with steps("site: queries"):
        data = collect_site(store, workspace)
    with steps("site: pages"):
        catalogue = list(load_catalog(workspace or Workspace.discover()).values())
        late = _late_pages(data, version)
        if cache is None:
            files = _rendered(store, data, version, catalogue, charts, cache, workspace)
            return SiteFiles(files, late=late)
        from pickg.graph.cache import cached_bytes

        def render() -> bytes:
            # marshal: a mapping of bytes read back in a few milliseconds (JSON took 40); its
            # format is Python's own, and Python's version is part of the key.
            files = _rendered(store, data, version, catalogue, charts, cache, workspace)
            return marshal.dumps({name: text.encode("utf-8") for name, text in files.items()})

        key = site_key(data, version, catalogue, charts)
        return SiteFiles(data=marshal.loads(cached_bytes(cache, "site", key, render, keep=SITES_KEPT)), late=late)


def _rendered(
    store: Any,
    data: SiteData,
    version: str,
    catalogue: Sequence[Query],
    charts: bool,
    cache: Path | None,
    workspace: Workspace | None,
) -> dict[str, str]:
    """The site's files, "Ask the data"'s answers (each query's, and for each value of its
    parameters) asked of ``store`` first."""
    from pickg.site.collect import collect_answers, collect_variants
    from pickg.site.pages import render_site

    answers, variants = collect_answers(store, workspace), collect_variants(store, workspace)
    return render_site(data, version, catalogue, charts=charts, cache=cache, answers=answers, variants=variants)


def _late_pages(data: SiteData, version: str) -> Callable[[ReleaseFiles], dict[str, str]]:
    """The downloads page in every language, made from the release's files."""

    from pickg.site.downloads import DOWNLOADS_PAGE
    from pickg.site.features import downloads_page
    from pickg.site.pages import render_page
    from pickg.site.resources import LANGUAGES, SiteGraph

    def late(files: ReleaseFiles) -> dict[str, str]:
        site = SiteGraph(data.triples)
        return dict(
            render_page("downloads.html.j2", DOWNLOADS_PAGE, lang, data, site, version, **downloads_page(lang, files))
            for lang in LANGUAGES
        )

    return late


def write_site(site: SiteFiles, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the site's files into the folder ``out`` (created); the folder.

    :raises InputError: ``out`` is a file, or a non-empty folder without ``force``.
    """
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} is a file, not a folder; choose another --out")
    if target.exists() and any(target.iterdir()) and not force:
        raise InputError(f"{target} is not empty; choose another --out, or give --force to write over it")
    for name, raw in site.data.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
    return target


def release_additions(workspace: Workspace | None = None, environ: Mapping[str, str] | None = None) -> AdditionBuilder:
    """What ``pickg publish`` and ``pickg run`` hand to the release build: the website, as
    the folder ``site/`` of the release, built from the release's store and version.

    :param environ: where the cache setting is read (``os.environ`` if None).
    """
    from pickg.graph.cache import cache_dir

    return _SiteAddition(workspace, cache_dir(workspace, environ))


class _SiteAddition:
    """The website as an addition to a release; its ``release_key`` says what it is made
    with besides the sources, pickg's files and the libraries (:mod:`pickg.release.reuse`):
    the workspace it reads, and its charts drawn."""

    def __init__(self, workspace: Workspace | None, cache: Path | None) -> None:
        self.workspace, self.cache = workspace, cache
        self.release_key = f"site 1, charts, workspace {'-' if workspace is None else workspace.root}"

    def __call__(self, store: Any, version: str, steps: Steps) -> list[Addition]:
        site = build_site(store, version, workspace=self.workspace, steps=steps, cache=self.cache)
        return [Addition(SITE_FOLDER, site.data, "index.html", SITE_KIND, late=site.late)]
