"""Build a versioned open-data release: dumps, tables, documentation, metadata, checksums.

:func:`publish` writes ``<out>/<version>/``:

* ``pic.ttl``, ``pic.nt``, ``pic.jsonld``, ``pic.trig`` — the whole graph (ontology,
  vocabularies, data) in four formats, the TriG with one named graph per source file
  (``https://w3id.org/pickg/graph/<path without .ttl>``);
* ``ontology.ttl``, ``vocabularies.ttl``, ``shapes.ttl`` and ``ontology.html``;
* one CSV table per query of ``queries/extracts/``;
* ``CHANGES.md`` and ``changes.json`` — the changes since the highest earlier release
  in ``<out>``;
* ``README.md`` (the data dictionary), ``catalog.ttl`` (DCAT 3 + VoID) and
  ``SHA256SUMS``.

Gates: the data must conform to the shapes (:func:`pickg.validate.validate`), else
nothing is written; an existing release is replaced only with ``force``; the release
is written in a hidden staging folder of ``<out>`` and renamed into place
(:class:`pickg.staging.StagedFolder`), so an interruption, even a SIGKILL, never
leaves a partial release. Every file is the same bytes for the same sources: the
version and date come from the data (:func:`pickg.releases.data_version`), never
from the clock.

For tests only: when the environment variable :data:`PAUSE_VARIABLE` holds a number
N, publishing stops for an hour after writing its N-th file, so a test can kill it
in the middle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef

from pickg.catalogue_meta import DatasetFacts, FileFacts, catalogue_graph
from pickg.changes import Changes, compute_changes, read_release_graph
from pickg.dumps import jsonld, ntriples, trig
from pickg.errors import InputError
from pickg.extracts import Extract, read_extract_query, run_extract
from pickg.namespaces import DCTERMS, ID, PIC, PREFIXES, RDF, RELEASE_GRAPH, bind_prefixes
from pickg.ontodoc import ontology_html
from pickg.rdfio import canonical_turtle, parse_file
from pickg.release_config import PublishSettings, load_settings
from pickg.release_docs import CSV_KIND, FILE_KINDS, FileKind, GraphFacts, changes_markdown, readme_markdown
from pickg.release_gate import ValidationGate
from pickg.releases import Version, data_version, ontology_header, previous_release
from pickg.staging import StagedFolder
from pickg.workspace import Workspace

__all__ = ["PAUSE_VARIABLE", "Release", "ReleaseFile", "publish", "source_graph_iri"]

#: Test hook: pause for an hour after writing this many files.
PAUSE_VARIABLE = "PICKG_PUBLISH_PAUSE_AFTER"

#: Classes whose first instance (by IRI) the catalogue gives as ``void:exampleResource``.
EXAMPLE_CLASSES = (PIC.Programme, PIC.Phase, PIC.Neighbourhood, PIC.Initiative, PIC.RoleAssignment, PIC.Source)


@dataclass(frozen=True)
class ReleaseFile:
    """A file of a release: its name, size in bytes and SHA-256 checksum."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Release:
    """A release that was written."""

    version: str
    path: Path
    issued: dt.date
    triples: int
    files: tuple[ReleaseFile, ...]
    changes: Changes
    replaced: bool

    @property
    def size(self) -> int:
        """Total size of the release's files, in bytes."""
        return sum(f.size for f in self.files)

    def summary(self) -> str:
        """One line: version, date, triples, files, size, and the changes."""
        if self.changes.previous is None:
            since = "first release"
        else:
            c = self.changes
            since = f"since {c.previous}: +{c.triples_added} -{c.triples_removed} triples"
        replaced = ", replacing the earlier build of this version" if self.replaced else ""
        return (
            f"release {self.version} of {self.issued.isoformat()}: {self.triples} triples, "
            f"{len(self.files)} files, {self.size / 1e6:.1f} MB; {since}{replaced}"
        )


@dataclass(frozen=True)
class _Sources:
    graph: Graph
    ontology: Graph
    vocabularies: Graph
    shapes: Graph
    named: tuple[tuple[URIRef, str, Graph], ...]  # (graph name, relative path, graph)


def source_graph_iri(relative_path: str) -> URIRef:
    """The named graph of a source file in ``pic.trig``: ``<RELEASE_GRAPH><path without .ttl>``."""
    stem = relative_path[: -len(".ttl")] if relative_path.endswith(".ttl") else relative_path
    return RELEASE_GRAPH[quote(stem, safe="/-._~")]


def _union(graphs: Sequence[Graph]) -> Graph:
    union = bind_prefixes(Graph(bind_namespaces="none"))
    for graph in graphs:
        for prefix, namespace in sorted(graph.namespaces()):
            if prefix not in dict(union.namespaces()) and namespace not in {n for _, n in union.namespaces()}:
                union.bind(prefix, namespace)
        union += graph
    return union


def _load_sources(ws: Workspace) -> _Sources:
    """Parse every source file once; the release is built from these graphs only."""

    def read(paths: Sequence[Path]) -> list[tuple[Path, Graph]]:
        return [(path, parse_file(path)) for path in paths]

    ontology = read(ws.ontology_files())
    vocabularies = read(ws.vocabulary_files())
    data = read(ws.data_files())
    shapes = read(ws.shape_files())
    if not ontology:
        raise InputError(f"{ws.ontology_dir} holds no ontology (*.ttl); a release needs one")
    named = tuple(
        (source_graph_iri(ws.relative(path)), ws.relative(path), graph)
        for path, graph in ontology + vocabularies + data
    )
    return _Sources(
        graph=_union([g for _, _, g in named]),
        ontology=_union([g for _, g in ontology]),
        vocabularies=_union([g for _, g in vocabularies]),
        shapes=_union([g for _, g in shapes]),
        named=named,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _header_facts(ontology: Graph) -> tuple[URIRef, tuple[Literal | URIRef, ...]]:
    """The licence and creators stated in the ontology header."""
    header = ontology_header(ontology)
    licences = sorted(o for o in ontology.objects(header, DCTERMS.license) if isinstance(o, URIRef))
    if len(licences) != 1:
        raise InputError(
            f"the ontology header <{header}> must name exactly one dcterms:license (it names {len(licences)}); "
            "the release states it for every file"
        )
    creators = tuple(sorted(o for o in ontology.objects(header, DCTERMS.creator) if isinstance(o, Literal | URIRef)))
    return licences[0], creators


def _vocabularies(graph: Graph) -> tuple[URIRef, ...]:
    """The namespaces of the properties and classes the graph uses."""
    terms = {str(p) for p in graph.predicates()} | {str(c) for c in graph.objects(None, RDF.type)}
    namespaces = set()
    for term in terms:
        known = [ns for ns in PREFIXES.values() if term.startswith(ns)]
        if known:
            namespaces.add(max(known, key=len))
        else:
            cut = max(term.rfind("#"), term.rfind("/"))
            namespaces.add(term[: cut + 1])
    return tuple(URIRef(ns) for ns in sorted(namespaces))


def _dataset_facts(sources: _Sources, version: str, issued: dt.date, previous: str | None) -> DatasetFacts:
    graph = sources.graph
    license_iri, creators = _header_facts(sources.ontology)
    by_class: dict[URIRef, set[object]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            by_class.setdefault(cls, set()).add(subject)
    examples = []
    for cls in EXAMPLE_CLASSES:
        instances = sorted(s for s in by_class.get(cls, ()) if isinstance(s, URIRef))
        if instances:
            examples.append(instances[0])
    return DatasetFacts(
        version=version,
        issued=issued,
        previous=previous,
        license=license_iri,
        creators=creators,
        triples=len(graph),
        distinct_subjects=len(set(graph.subjects())),
        distinct_objects=len(set(graph.objects())),
        properties=len(set(graph.predicates())),
        entities=len(set().union(*by_class.values())) if by_class else 0,
        class_partitions=tuple(sorted((cls, len(members)) for cls, members in by_class.items())),
        vocabularies=_vocabularies(graph),
        example_resources=tuple(examples),
        uri_space=str(ID),
    )


def _sorted_graph(graph: Graph) -> Graph:
    """A copy whose triples were added in sorted order (stable query results)."""
    copy = Graph(bind_namespaces="none")
    for triple in sorted(graph, key=lambda t: tuple(term.n3() for term in t)):
        copy.add(triple)
    return copy


class _Files:
    """The files of a release, built in memory, in the order they are written."""

    def __init__(self, checkpoint: Callable[[], None] = lambda: None) -> None:
        self.data: dict[str, bytes] = {}
        self.described: list[FileFacts] = []
        self.checkpoint = checkpoint

    def add(self, name: str, text: str, kind: FileKind | None = None, **counts: int | None) -> None:
        """Add a file; ``kind`` (its :data:`FILE_KINDS` entry by default) makes the catalogue describe it."""
        self.checkpoint()
        data = text.encode("utf-8")
        self.data[name] = data
        kind = kind or FILE_KINDS.get(name)
        if kind is not None:
            self.described.append(
                FileFacts(
                    name=name,
                    media_type=kind.media_type,
                    size=len(data),
                    sha256=_sha256(data),
                    title=kind.title,
                    description=kind.description,
                    **counts,
                )
            )

    def catalogued(self) -> list[FileFacts]:
        return sorted(self.described, key=lambda f: f.name)


def _pause_after(environ: Mapping[str, str]) -> int | None:
    value = environ.get(PAUSE_VARIABLE, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"{PAUSE_VARIABLE}={value!r} is not a number of files; unset it")
    return int(value)


def _write(folder: Path, files: _Files, pause_after: int | None) -> None:
    for count, (name, data) in enumerate(files.data.items(), start=1):
        (folder / name).write_bytes(data)
        if count == pause_after:
            time.sleep(3600)  # the test hook: a test kills the process here


def _build(
    sources: _Sources,
    version: str,
    issued: dt.date,
    facts: DatasetFacts,
    extracts: Sequence[Extract],
    changes: Changes,
    settings: PublishSettings,
    checkpoint: Callable[[], None],
) -> _Files:
    """Every file of the release, in memory; ``checkpoint`` is called before each file."""
    files = _Files(checkpoint)
    triples = len(sources.graph)
    files.add("pic.ttl", canonical_turtle(sources.graph), triples=triples)
    files.add("pic.nt", ntriples(sources.graph), triples=triples)
    files.add("pic.jsonld", jsonld(sources.graph), triples=triples)
    files.add("pic.trig", trig([(iri, graph) for iri, _, graph in sources.named]), triples=triples)
    ontology_text = canonical_turtle(sources.ontology)
    files.add("ontology.ttl", ontology_text, triples=len(sources.ontology))
    if len(sources.vocabularies):
        files.add("vocabularies.ttl", canonical_turtle(sources.vocabularies), triples=len(sources.vocabularies))
    if len(sources.shapes):
        files.add("shapes.ttl", canonical_turtle(sources.shapes), triples=len(sources.shapes))
    files.add("ontology.html", ontology_html(ontology_text))
    for extract in extracts:
        kind = FileKind(CSV_KIND, extract.query.summary, extract.query.description)
        files.add(extract.file_name, extract.to_csv(), kind, rows=len(extract.rows))
    files.add("CHANGES.md", changes_markdown(changes))
    files.add("changes.json", json.dumps(changes.as_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    graph_facts = GraphFacts(
        triples=triples,
        resources=facts.distinct_subjects,
        named_graphs=tuple((str(iri), path, len(graph)) for iri, path, graph in sorted(sources.named)),
        license=str(facts.license),
        creators=tuple(str(c) for c in facts.creators),
    )
    files.add(
        "README.md",
        readme_markdown(
            version=version,
            issued=issued,
            facts=graph_facts,
            files=files.catalogued(),
            extracts=extracts,
            changes=changes,
            settings=settings,
        ),
    )
    files.add("catalog.ttl", canonical_turtle(catalogue_graph(facts, files.catalogued(), settings)))
    sums = "".join(f"{_sha256(files.data[name])}  {name}\n" for name in sorted(files.data))
    files.add("SHA256SUMS", sums)
    return files


def publish(
    out_dir: str | os.PathLike[str] = "dist",
    version: str | None = None,
    *,
    force: bool = False,
    workspace: Workspace | None = None,
    settings: PublishSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> Release:
    """Build the release ``<out_dir>/<version>/`` from the workspace's sources.

    The files are built in memory while the data is validated (in parallel where the
    system can fork); nothing is written unless the data conforms.

    :param out_dir: the folder holding the releases (created if absent).
    :param version: ``X.Y.Z``; the data version (``owl:versionInfo``) if None.
    :param force: replace an existing release of that version (atomically).
    :param workspace: the sources; :meth:`Workspace.discover` if None.
    :param settings: publisher, contact, addresses; read by
        :func:`pickg.release_config.load_settings` if None.
    :param environ: the environment (settings and the test hook); ``os.environ`` if None.
    :returns: what was written.
    :raises NonConformingError: the data does not conform to the shapes (exit 1).
    :raises InputError: a bad version, an existing release without ``force``, a bad
        setting or extract query, a damaged earlier release (exit 2).
    :raises ParseError: a source file is not valid RDF.
    """
    ws = workspace or Workspace.discover()
    environ = os.environ if environ is None else environ
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder; choose another --out")
    sources = _load_sources(ws)
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
    pause_after = _pause_after(environ)
    queries = [read_extract_query(path) for path in ws.extract_files()]

    gate = ValidationGate(ws)
    try:
        earlier = previous_release(out, chosen)
        previous_version = str(earlier[0]) if earlier else None
        previous_graph = read_release_graph(earlier[1]) if earlier else None
        changes = compute_changes(sources.graph, previous_graph, str(chosen), previous_version)
        facts = _dataset_facts(sources, str(chosen), declared.issued, previous_version)
        table_graph = _sorted_graph(sources.graph) if queries else Graph()
        extracts = [run_extract(query, table_graph) for query in queries]
        files = _build(sources, str(chosen), declared.issued, facts, extracts, changes, settings, gate.check)
        gate.wait()
    finally:
        gate.stop()

    with StagedFolder(target) as staged:
        _write(staged.path, files, pause_after)
        staged.commit(replace=force)

    written = tuple(
        ReleaseFile(name=name, size=len(data), sha256=_sha256(data)) for name, data in sorted(files.data.items())
    )
    return Release(
        version=str(chosen),
        path=target,
        issued=declared.issued,
        triples=len(sources.graph),
        files=written,
        changes=changes,
        replaced=existed,
    )
