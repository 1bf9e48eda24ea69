"""What changed between two releases: counts, and statements people can read.

The previous release is read from its ``pic.nt`` (after checking it against the
release's ``SHA256SUMS``). Both graphs are compared with blank nodes named from
their structure (:func:`rdflib.compare.graph_diff`), so an unchanged blank node
never shows as a change. Every resource, property and class is shown with its label
(from the release it belongs to) as well as its IRI.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff
from rdflib.term import Node

from pickg.errors import InputError, NotFoundError
from pickg.labels import LABEL_PROPERTIES, preferred_label
from pickg.namespaces import RDF, compact_iri
from pickg.rdfio import parse_file

__all__ = ["Changes", "ClassCount", "Resource", "ResourceChange", "Statement", "compute_changes", "read_release_graph"]

#: Labels of the changes are in this language where the graph has it.
LANG = "en"


@dataclass(frozen=True)
class Resource:
    """A resource as shown to people: its IRI (compact where possible) and label."""

    iri: str
    label: str
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One added or removed triple about a resource, as text."""

    predicate: Resource
    object: Resource


@dataclass(frozen=True)
class ResourceChange:
    """The statements added to and removed from a resource present in both releases."""

    resource: Resource
    added: tuple[Statement, ...]
    removed: tuple[Statement, ...]


@dataclass(frozen=True)
class ClassCount:
    """How many instances a class has in each release."""

    cls: Resource
    before: int
    after: int


@dataclass(frozen=True)
class Changes:
    """The differences between the previous release and this one."""

    version: str
    previous: str | None
    triples_before: int
    triples_after: int
    triples_added: int
    triples_removed: int
    resources_added: tuple[Resource, ...]
    resources_removed: tuple[Resource, ...]
    resources_changed: tuple[ResourceChange, ...]
    classes: tuple[ClassCount, ...]

    def as_dict(self) -> dict[str, Any]:
        """The changes as plain dicts and lists (ready for JSON)."""
        return asdict(self)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_release_graph(release_dir: Path, file_name: str = "pic.nt") -> Graph:
    """The graph of an earlier release, after checking its file against ``SHA256SUMS``.

    :raises NotFoundError: the release has no such file or no ``SHA256SUMS``.
    :raises InputError: the file's checksum does not match.
    :raises ParseError: the file is not valid N-Triples.
    """
    dump = release_dir / file_name
    sums = release_dir / "SHA256SUMS"
    for needed in (dump, sums):
        if not needed.is_file():
            raise NotFoundError(
                f"the earlier release {release_dir} has no {needed.name}, so the changes since it cannot be "
                "computed; restore the release or move it out of the output folder"
            )
    expected = None
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name.lstrip("*") == file_name:
            expected = digest.strip().lower()
    actual = _sha256(dump)
    if expected != actual:
        raise InputError(
            f"{dump} does not match its checksum in {sums} (the file was modified or damaged); "
            "restore the release or move it out of the output folder"
        )
    return parse_file(dump)


class _Labels:
    """The labels and types of a graph's nodes, indexed once.

    Showing every resource of a release asks the graph for a handful of properties of
    each; one pass per property over the graph's predicate index answers them all.
    Offers the ``objects(node, property)`` that :func:`pickg.labels.preferred_label` uses.
    """

    def __init__(self, graph: Graph) -> None:
        self._objects: dict[tuple[Node, Node], list[Node]] = {}
        for prop in (*LABEL_PROPERTIES, RDF.type):
            for s, o in graph.subject_objects(prop):
                self._objects.setdefault((s, prop), []).append(o)

    def objects(self, node: Node, prop: Node) -> Iterable[Node]:
        return iter(self._objects.get((node, prop), ()))


def _show(graph: _Labels, node: Node) -> Resource:
    """``node`` as text: compact IRI and label, or a literal's value."""
    if isinstance(node, URIRef):
        iri = compact_iri(str(node))
        return Resource(iri=iri, label=preferred_label(graph, node, LANG) or iri)  # type: ignore[arg-type]
    if isinstance(node, BNode):
        return Resource(iri="_:" + str(node)[:12], label="(anonymous node)")
    if isinstance(node, Literal):
        text = str(node)
        if node.language:
            suffix = f"@{node.language}"
        elif node.datatype is not None:
            suffix = f"^^{compact_iri(str(node.datatype))}"
        else:
            suffix = ""
        return Resource(iri=text + suffix, label=text)
    raise TypeError(f"not an RDF term: {node!r}")


def _described(graph: _Labels, node: Node) -> Resource:
    shown = _show(graph, node)
    types = sorted(_show(graph, t).label for t in graph.objects(node, RDF.type))
    return Resource(iri=shown.iri, label=shown.label, types=tuple(types))


def _statements(graph: _Labels, triples: Iterable[tuple[Node, Node, Node]]) -> tuple[Statement, ...]:
    shown = [Statement(predicate=_show(graph, p), object=_show(graph, o)) for _, p, o in triples]
    return tuple(sorted(shown, key=lambda s: (s.predicate.iri, s.object.iri)))


def _class_counts(graph: Graph) -> Counter[Node]:
    return Counter(cls for _, cls in graph.subject_objects(RDF.type))


def _subject_key(node: Node) -> tuple[int, str]:
    return (isinstance(node, BNode), str(node))


def compute_changes(current: Graph, previous: Graph | None, version: str, previous_version: str | None) -> Changes:
    """Compare ``current`` with ``previous`` (None for a first release).

    :param current: this release's graph (not modified).
    :param previous: the previous release's graph, or None.
    :param version: this release's version.
    :param previous_version: the previous release's version, or None.
    """
    first = previous is None
    if previous is None:
        previous = Graph()
    if first:
        only_previous, only_current = Graph(), current
    else:
        _, only_previous, only_current = graph_diff(previous, current)
    before_subjects = set(previous.subjects())
    after_subjects = set(current.subjects())
    added_subjects = {s for s in after_subjects - before_subjects if isinstance(s, URIRef)}
    removed_subjects = {s for s in before_subjects - after_subjects if isinstance(s, URIRef)}
    touched: dict[Node, tuple[list[tuple[Node, Node, Node]], list[tuple[Node, Node, Node]]]] = {}
    for triple in only_current:
        if triple[0] not in added_subjects:
            touched.setdefault(triple[0], ([], []))[0].append(triple)
    for triple in only_previous:
        if triple[0] not in removed_subjects:
            touched.setdefault(triple[0], ([], []))[1].append(triple)
    now, before = _Labels(current), _Labels(previous)
    changed = []
    for subject in [] if first else sorted(touched, key=_subject_key):
        added, removed = touched[subject]
        shown_in = now if (subject, None, None) in current else before
        changed.append(
            ResourceChange(
                resource=_described(shown_in, subject),
                added=_statements(now, added),
                removed=_statements(before, removed),
            )
        )
    before_counts, after_counts = _class_counts(previous), _class_counts(current)
    classes = []
    for cls in sorted(set(before_counts) | set(after_counts), key=str):
        if before_counts[cls] != after_counts[cls]:
            classes.append(
                ClassCount(
                    cls=_show(now if after_counts[cls] else before, cls),
                    before=before_counts[cls],
                    after=after_counts[cls],
                )
            )
    return Changes(
        version=version,
        previous=previous_version,
        triples_before=len(previous),
        triples_after=len(current),
        triples_added=len(only_current),
        triples_removed=len(only_previous),
        resources_added=tuple(_described(now, s) for s in sorted(added_subjects, key=str)),
        resources_removed=tuple(_described(before, s) for s in sorted(removed_subjects, key=str)),
        resources_changed=tuple(changed),
        classes=tuple(sorted(classes, key=lambda c: c.cls.iri)),
    )
