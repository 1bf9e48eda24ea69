"""Build a versioned open-data release: dumps, tables, documentation, metadata, checksums.

:func:`publish` writes ``<out>/<version>/``:

* ``pic.ttl``, ``pic.nt``, ``pic.jsonld``, ``pic.trig`` — the whole graph (ontology,
  vocabularies, data) in four formats, the TriG with one named graph per source file
  (``https://w3id.org/pickg/graph/<path without .ttl>``);
* ``ontology.ttl``, ``vocabularies.ttl``, ``shapes.ttl`` and ``ontology.html``;
* one CSV table per query of ``queries/extracts/`` and ``csv-metadata.json``, their
  CSV on the Web description (:mod:`pickg.release.tabular`);
* ``CHANGES.md`` and ``changes.json`` — the changes since the highest earlier release
  in ``<out>``;
* ``README.md`` (the data dictionary), ``catalog.ttl`` (DCAT 3 + VoID) and
  ``SHA256SUMS``;
* folders that higher rooms build from the same store (:class:`Addition`): ``pickg
  publish`` and ``pickg run`` add the website, ``site/``, this way.

With ``force`` and the cache on, a release already in place that a record of the cache
describes, under a key of everything it is made from, is left as it is without being
built (:mod:`pickg.release.reuse`).

:func:`publish` is the one pipeline that ``pickg publish`` and ``pickg run`` call: it
builds the release in memory, in this process or ahead in a forked child while the
caller validates (:mod:`pickg.release.ahead`), and writes it only once the data is known
to conform.

Gates: the data must conform to the shapes, else nothing is written (validated in the
process with the fast engine, :func:`pickg.release.gate.check_conforms`, unless the
caller hands over its own validation of the same sources); an existing release is
replaced only with ``force``; the release is written in a hidden staging folder of ``<out>`` and renamed into place
(:class:`pickg.release.staging.StagedFolder`), so an interruption, even a SIGKILL, never
leaves a partial release. Every file is the same bytes for the same sources: the
version and date come from the data (:func:`pickg.release.versions.data_version`), never
from the clock.

For tests only: when the environment variable :data:`PAUSE_VARIABLE` holds a number
N, publishing stops for an hour after writing its N-th file, so a test can kill it
in the middle.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef

from pickg.graph.errors import InputError
from pickg.graph.rdfio import workspace_files
from pickg.graph.timing import Steps
from pickg.graph.workspace import Workspace
from pickg.release.ahead import Ahead, can_fork
from pickg.release.changes import Changes, compute_changes, read_release_graph
from pickg.release.citation import CITATION_FILE, citation_cff
from pickg.release.dcat import GraphCounts, catalogue_graph, count_graph, dataset_facts
from pickg.release.dcatap import refuse_unless_dcat_ap
from pickg.release.docs import CSV_KIND, FILE_KINDS, FileKind, GraphFacts, changes_markdown, readme_markdown
from pickg.release.dumps import jsonld_ox, ntriples_ox, trig_ox, turtle, turtle_ox
from pickg.release.files import (
    PAUSE_VARIABLE,
    PreparedRelease,
    Release,
    ReleaseFile,
    ReleaseFiles,
    StagedRelease,
    pause_after_setting,
)
from pickg.release.gate import check_conforms, refuse_unless_conforms
from pickg.release.inputs import Sources, header_facts, load_sources, source_graph_iri
from pickg.release.reuse import ReleaseReuse, ReusedRelease
from pickg.release.settings import PublishSettings, load_settings
from pickg.release.tables import Extract, read_extract_query, run_extract
from pickg.release.tabular import CSV_METADATA, csv_metadata
from pickg.release.versions import Version, data_version, previous_release
from pickg.validation.report import Report

__all__ = [
    "PAUSE_VARIABLE",
    "Addition",
    "AdditionBuilder",
    "PreparedRelease",
    "Release",
    "ReleaseDraft",
    "ReleaseFile",
    "ReleaseTables",
    "StagedRelease",
    "draft_release",
    "prepare_release",
    "publish",
    "release_tables",
    "source_graph_iri",
]


# --- folders a higher room adds to a release (the website) ---------------------------------


@dataclass(frozen=True)
class Addition:
    """A folder of files that a room above this one builds into a release (the website).

    Its files are listed in ``SHA256SUMS``; the catalogue describes its entry file.

    :ivar folder: the folder's name in the release (``site``).
    :ivar files: path inside the folder → text, or its UTF-8 bytes.
    :ivar entry: the path of the file the catalogue describes (``index.html``).
    :ivar kind: what the catalogue and the README say of that file.
    """

    folder: str
    files: Mapping[str, str] | Mapping[str, bytes]
    entry: str
    kind: FileKind
    #: files of the folder made once every other file of the release is made but its
    #: README, catalogue and checksums (a page listing the release's files with their
    #: sizes and checksums), given those files
    late: Callable[[ReleaseFiles], Mapping[str, str]] | None = None


#: Builds additions from the store holding the sources and the release's version; it
#: times its steps with the :class:`Steps` it is given (the child's, when built ahead).
AdditionBuilder = Callable[[Any, str, Steps], Sequence[Addition]]


def _add(files: ReleaseFiles, additions: Sequence[Addition]) -> None:
    for addition in additions:
        for name, text in addition.files.items():
            kind = addition.kind if name == addition.entry else None
            files.add(f"{addition.folder}/{name}", text, kind)
    for addition in additions:
        if addition.late is not None:
            for name, text in addition.late(files).items():
                files.add(f"{addition.folder}/{name}", text)


# --- the build --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseTables:
    """What a release asks of the store: the catalogue's counts and the extract tables."""

    counts: GraphCounts
    extracts: tuple[Extract, ...]


def release_tables(store: Any, ws: Workspace, steps: Steps | None = None) -> ReleaseTables:
    """The counts and extract tables of the graph held by ``store`` (the workspace's sources).

    :raises InputError: an extract query is not usable (see :func:`read_extract_query`).
    :raises ParseError: an extract query is not valid SPARQL.
    """
    steps = steps if steps is not None else Steps()
    queries = [read_extract_query(path) for path in ws.extract_files()]
    with steps("publish: tables, statistics"):
        return ReleaseTables(count_graph(store), tuple(run_extract(query, store) for query in queries))


@dataclass
class ReleaseDraft:
    """A release whose sources are read and checked (:func:`draft_release`), not yet asked of a store.

    :meth:`dump` writes its RDF files in memory; :meth:`complete` adds what the store
    tells (:class:`ReleaseTables`), the documentation and the checksums.
    """

    sources: Sources
    version: Version
    issued: dt.date
    target: Path
    replaced: bool
    force: bool
    settings: PublishSettings
    pause_after: int | None
    license: URIRef
    creators: tuple[Literal | URIRef, ...]
    previous: str | None
    changes: Changes
    cache: Path | None
    files: ReleaseFiles | None = None

    def dump(self, steps: Steps | None = None) -> ReleaseFiles:
        """The RDF files and the ontology's HTML, written in memory once (:meth:`complete` calls it too)."""
        if self.files is None:
            self.files = _dumps(self.sources, steps if steps is not None else Steps(), self.cache)
        return self.files

    def complete(
        self, tables: ReleaseTables, steps: Steps | None = None, additions: Sequence[Addition] = ()
    ) -> PreparedRelease:
        """The whole release in memory, ready to :meth:`~PreparedRelease.write`.

        :param additions: folders built by higher rooms (the website), catalogued and summed.
        """
        steps = steps if steps is not None else Steps()
        facts = dataset_facts(
            None,
            version=str(self.version),
            issued=self.issued,
            previous=self.previous,
            license=self.license,
            creators=self.creators,
            counts=tables.counts,
        )
        files = self.dump(steps)
        with steps("publish: documents"):
            for extract in tables.extracts:
                kind = FileKind(CSV_KIND, extract.query.summary, extract.query.description)
                files.add(extract.file_name, extract.to_csv(), kind, rows=len(extract.rows))
            metadata = csv_metadata(tables.extracts, str(self.license))
            files.add(CSV_METADATA, metadata, FILE_KINDS[CSV_METADATA])
            files.add("CHANGES.md", changes_markdown(self.changes))
            changes_json = json.dumps(self.changes.as_dict(), ensure_ascii=False, indent=1, sort_keys=True)
            files.add("changes.json", changes_json + "\n")
            creators = [str(c) for c in self.creators]
            citation = citation_cff(
                version=str(self.version),
                issued=self.issued,
                license=str(self.license),
                creators=creators,
                url=self.settings.landing_page,
            )
            files.add(CITATION_FILE, citation)
            _add(files, additions)
            graph_facts = GraphFacts(
                triples=self.sources.count(),
                resources=facts.distinct_subjects,
                named_graphs=tuple(sorted((str(f.iri), f.path, f.triples) for f in self.sources.named)),
                license=str(facts.license),
                creators=tuple(str(c) for c in facts.creators),
            )
            files.add(
                "README.md",
                readme_markdown(
                    version=str(self.version),
                    issued=self.issued,
                    facts=graph_facts,
                    files=files.catalogued(),
                    extracts=list(tables.extracts),
                    changes=self.changes,
                    settings=self.settings,
                ),
            )
            catalogue = catalogue_graph(facts, files.catalogued(), self.settings)
            catalogue_text = turtle(catalogue)
            refuse_unless_dcat_ap(catalogue, text=catalogue_text, cache=self.cache)
            files.add("catalog.ttl", catalogue_text)
            sums = "".join(f"{files.sha256(name)}  {name}\n" for name in sorted(files.data))
            files.add("SHA256SUMS", sums)
        return PreparedRelease(
            version=str(self.version),
            target=self.target,
            issued=self.issued,
            triples=self.sources.count(),
            changes=self.changes,
            files=files,
            replaced=self.replaced,
            force=self.force,
            pause_after=self.pause_after,
        )


def _dumps(sources: Sources, steps: Steps, cache: Path | None) -> ReleaseFiles:
    """The RDF files of the release and the ontology's HTML, in memory; each timed as a step."""
    from pickg.release.ontodoc import ontology_html

    files = ReleaseFiles()
    triples = sources.count()
    quads = sources.canonical_triples()
    with steps("publish: pic.ttl"):
        files.add("pic.ttl", turtle_ox(quads, sources.prefixes()), triples=triples)
    with steps("publish: pic.nt"):
        files.add("pic.nt", ntriples_ox(quads), triples=triples)
    with steps("publish: pic.jsonld"):
        files.add("pic.jsonld", jsonld_ox(quads), triples=triples)
    with steps("publish: pic.trig"):
        files.add("pic.trig", trig_ox(sources.quads(), sources.prefixes(graphs=True)), triples=triples)
    with steps("publish: ontology, vocabularies, shapes"):
        ontology_text = turtle_ox(sources.canonical_triples("ontology"), sources.prefixes("ontology"))
        files.add("ontology.ttl", ontology_text, triples=sources.count("ontology"))
        for part in ("vocabularies", "shapes"):
            if sources.quads(part):
                text = turtle_ox(sources.canonical_triples(part), sources.prefixes(part))
                files.add(f"{part}.ttl", text, triples=sources.count(part))
    with steps("publish: ontology.html"):
        files.add("ontology.html", ontology_html(ontology_text, cache))
    return files


def draft_release(
    out: Path,
    version: str | None,
    force: bool,
    ws: Workspace,
    settings: PublishSettings | None,
    environ: Mapping[str, str],
    steps: Steps,
) -> ReleaseDraft:
    """Read the sources, check the version and the output folder, and compare with the previous release.

    Needs no store and validates nothing: the arguments are :func:`publish`'s, their
    defaults resolved; so are the errors.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder; choose another --out")
    with steps("publish: read sources"):
        sources = load_sources(ws)
    declared = data_version(sources.ontology)
    if version is not None:
        chosen = Version.parse(version)
    elif declared.version is not None:
        chosen = declared.version
    else:
        raise InputError(
            "the ontology header has no owl:versionInfo, so the data has no version; "
            'add one such as owl:versionInfo "1.0.0" to ontology/pic.ttl, or give --version'
        )
    target = out / str(chosen)
    existed = target.exists()
    if existed and not force:
        raise InputError(f"{target} already exists; give another --version, or --force to replace it")
    settings = settings if settings is not None else load_settings(ws, environ)
    pause_after = pause_after_setting(environ)
    license_iri, creators = header_facts(sources.ontology)
    with steps("publish: changes"):
        earlier = previous_release(out, chosen)
        previous_version = str(earlier[0]) if earlier else None
        previous_graph = read_release_graph(earlier[1]) if earlier else None
        changes = compute_changes(sources.canonical_triples(), previous_graph, str(chosen), previous_version)
    from pickg.graph.cache import cache_dir

    return ReleaseDraft(
        sources=sources,
        version=chosen,
        issued=declared.issued,
        target=target,
        replaced=existed,
        force=force,
        settings=settings,
        pause_after=pause_after,
        license=license_iri,
        creators=creators,
        previous=previous_version,
        changes=changes,
        cache=cache_dir(ws, environ),
    )


def publish(
    out_dir: str | os.PathLike[str] = "dist",
    version: str | None = None,
    *,
    force: bool = False,
    workspace: Workspace | None = None,
    settings: PublishSettings | None = None,
    environ: Mapping[str, str] | None = None,
    store: Any = None,
    validation: Callable[[], Report] | None = None,
    ahead: bool = False,
    steps: Steps | None = None,
    additions: AdditionBuilder | None = None,
    sources: str | None = None,
) -> Release:
    """Build the release ``<out_dir>/<version>/`` from the workspace's sources: the pipeline
    of ``pickg publish`` and ``pickg run``.

    Draft (read the sources, check the version and the folder, the changes), ask the
    store for the tables, build the additions, complete the files in memory, stage them
    in a hidden folder and commit it by a rename; nothing is written unless the data
    conforms. With ``ahead``, all but the commit run in a forked child process
    (:class:`pickg.release.ahead.Ahead`) while this process runs ``validation``; the
    child commits only once the report conforms, so the release appears when the
    serial order (validate, then build) would have written it, with the same bytes.

    :param out_dir: the folder holding the releases (created if absent).
    :param version: ``X.Y.Z``; the data version (``owl:versionInfo``) if None.
    :param force: replace an existing release of that version (atomically).
    :param workspace: the sources; :meth:`Workspace.discover` if None.
    :param settings: publisher, contact, addresses; read by
        :func:`pickg.release.settings.load_settings` if None.
    :param environ: the environment (settings, cache, the test hook); ``os.environ`` if None.
    :param store: a :class:`pickg.graph.store.Store` (Oxigraph for speed) already holding
        the workspace's ontology, vocabularies and data, not modified: the tables,
        statistics and validation run on it. An in-memory Oxigraph store is loaded if None.
    :param validation: validates those same sources and returns the report (the caller
        may show things meanwhile: ``pickg run`` prints the report, the headline tables
        and the statistics); what it raises stops the release. The data is validated
        here with the fast engine if None.
    :param ahead: build in a second process while ``validation`` runs (on two cores,
        both at once). Only in a process running a single thread (an in-memory
        Oxigraph store starts none) on a platform that forks; serial elsewhere.
    :param steps: records the time of each step (:class:`pickg.graph.timing.Steps`);
        with ``ahead``, the child's steps follow "wait for the release".
    :param additions: builds folders of higher rooms (the website) from the store, the
        version and the steps; none if None.
    :param sources: with ``store``, the workspace's digest taken before the store was
        loaded (:func:`pickg.graph.cache.workspace_digest`), if still the same after: with
        ``force``, a release in place is then recognised from a record of the cache without
        being built (:mod:`pickg.release.reuse`); publish takes it itself without a store.
    :returns: what was written.
    :raises NonConformingError: the data does not conform to the shapes (exit 1).
    :raises InputError: a bad version, an existing release without ``force``, a bad
        setting or extract query, a damaged earlier release (exit 2).
    :raises ParseError: a source file is not valid RDF.
    """
    ws = workspace or Workspace.discover()
    env = os.environ if environ is None else environ
    steps = steps if steps is not None else Steps()
    forked = ahead and can_fork()
    out = Path(out_dir)
    if store is None and force:
        from pickg.graph.cache import workspace_digest

        sources = workspace_digest(ws)  # before the sources are read, below
    reuse = ReleaseReuse.of(ws, out, version, force, settings, env, additions, sources)

    def prepare(into: Steps, on: Any) -> StagedRelease | ReusedRelease:
        reused = reuse.find(into) if reuse is not None else None
        if reused is not None:
            return reused
        draft = draft_release(out, version, force, ws, settings, env, into)
        validate = validation is None and not forked  # else validated in this process
        return prepare_release(draft, ws, on, validate=validate, steps=into, additions=additions).stage(into)

    def commit(staged: StagedRelease | ReusedRelease, into: Steps) -> Release:
        release = staged.commit(into)
        if reuse is not None and isinstance(staged, StagedRelease):
            reuse.record(release)
        return release

    if not forked:
        if validation is not None:
            refuse_unless_conforms(validation())
        return commit(prepare(steps, store), steps)
    with _store(store, ws, steps) as store:
        child = Ahead.start(
            lambda into: prepare(into, store),  # the child's copy of the store
            commit,
            lambda staged: staged.discard(),
        )
        try:
            if validation is None:
                check_conforms(ws, store)
            else:
                refuse_unless_conforms(validation())
            with steps("wait for the release"):
                release: Release = child.finish()
        finally:
            child.cancel()  # nothing is written unless finished
    steps.merge(child.steps)
    return release


@contextmanager
def _store(store: Any, ws: Workspace, steps: Steps) -> Iterator[Any]:
    """``store``, or, if None, an in-memory Oxigraph store loaded with the workspace's
    sources and closed on leaving."""
    if store is not None:
        yield store
        return
    from pickg.graph.store import open_store

    with steps("publish: load the store"):
        owned = open_store("oxigraph", workspace_files(None, True, ws))
    try:
        yield owned
    finally:
        owned.close()


def prepare_release(
    draft: ReleaseDraft,
    ws: Workspace,
    store: Any = None,
    *,
    validate: bool = True,
    steps: Steps | None = None,
    additions: AdditionBuilder | None = None,
) -> PreparedRelease:
    """Every file of the drafted release (:func:`draft_release`), built in memory; nothing is
    written (see :func:`publish`).

    :param validate: refuse data that does not conform (validated on ``store``).
        False only when the caller validates the same sources itself and writes the
        release only if they conform.
    """
    steps = steps if steps is not None else Steps()
    with _store(store, ws, steps) as on:
        if validate:
            with steps("publish: validate"):
                check_conforms(ws, on)
        tables = release_tables(on, ws, steps)
        added = additions(on, str(draft.version), steps) if additions is not None else ()
    return draft.complete(tables, steps, added)
