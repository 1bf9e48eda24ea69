"""What changed between two releases: counts, and statements people can read.

The previous release is read from its ``pic.nt`` (after checking it against the
release's ``SHA256SUMS``). Both graphs are compared as sets of pyoxigraph triples; the
triples about blank nodes are compared with blank nodes named from their structure
(:func:`rdflib.compare.graph_diff`), so an unchanged blank node never shows as a
change. Every resource, property and class is shown with its label
(from the release it belongs to) as well as its IRI.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from pickg.graph.errors import InputError, NotFoundError
from pickg.graph.labels import LABEL_PROPERTIES, choose_label
from pickg.graph.namespaces import RDF, compact_iri
from pickg.graph.quads import in_default_graph, quads_from_rdflib
from pickg.graph.rdfio import parse_file

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
        plain: dict[str, Any] = _plain(self)
        return plain

    @classmethod
    def from_dict(cls, plain: Mapping[str, Any]) -> Changes:
        """The changes :meth:`as_dict` gave (read back from JSON).

        :raises KeyError, TypeError, ValueError: ``plain`` is not such a dict.
        """

        def resource(item: Mapping[str, Any]) -> Resource:
            return Resource(str(item["iri"]), str(item["label"]), tuple(str(t) for t in item["types"]))

        def statement(item: Mapping[str, Any]) -> Statement:
            return Statement(resource(item["predicate"]), resource(item["object"]))

        return cls(
            version=str(plain["version"]),
            previous=None if plain["previous"] is None else str(plain["previous"]),
            triples_before=int(plain["triples_before"]),
            triples_after=int(plain["triples_after"]),
            triples_added=int(plain["triples_added"]),
            triples_removed=int(plain["triples_removed"]),
            resources_added=tuple(resource(r) for r in plain["resources_added"]),
            resources_removed=tuple(resource(r) for r in plain["resources_removed"]),
            resources_changed=tuple(
                ResourceChange(
                    resource(c["resource"]),
                    tuple(statement(s) for s in c["added"]),
                    tuple(statement(s) for s in c["removed"]),
                )
                for c in plain["resources_changed"]
            ),
            classes=tuple(ClassCount(resource(c["cls"]), int(c["before"]), int(c["after"])) for c in plain["classes"]),
        )


def _plain(value: Any) -> Any:
    """Dataclasses as dicts, tuples as lists, all the way down (``dataclasses.asdict`` copies
    every leaf as well: ten times slower on a release's thousand resources)."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: _plain(getattr(value, name)) for name in fields}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


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


#: A graph to compare: an rdflib graph, or pyoxigraph triples or quads (graph names are dropped).
Compared = Graph | Iterable[ox.Triple | ox.Quad]

_TYPE = ox.NamedNode(str(RDF.type))
_LABEL_PROPERTIES = tuple(ox.NamedNode(str(p)) for p in LABEL_PROPERTIES)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _triples(graph: Compared) -> set[ox.Quad]:
    """The distinct triples of ``graph``, as quads of the default graph."""
    return set(quads_from_rdflib(graph) if isinstance(graph, Graph) else in_default_graph(graph))


def _has_blank(triple: ox.Quad) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _diff(before: set[ox.Quad], after: set[ox.Quad]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(only in ``before``, only in ``after``), blank nodes compared by their structure.

    Triples without a blank node compare as they are. Those with one (all the triples
    that say anything about blank nodes) go through :func:`rdflib.compare.graph_diff`,
    which names each blank node from its structure, so an unchanged blank node is never
    a change.
    """
    blank_before = {t for t in before if _has_blank(t)}
    blank_after = {t for t in after if _has_blank(t)}
    only_before = (before - blank_before) - after
    only_after = (after - blank_after) - before
    if blank_before or blank_after:
        from rdflib.compare import graph_diff

        from pickg.release.inputs import rdflib_graph

        _, removed, added = graph_diff(rdflib_graph(blank_before), rdflib_graph(blank_after))
        only_before |= _triples(removed)
        only_after |= _triples(added)
    return only_before, only_after


class _Labels:
    """The labels and types of a graph's resources, indexed in one pass over its triples."""

    def __init__(self, triples: Iterable[ox.Quad]) -> None:
        wanted = {*_LABEL_PROPERTIES, _TYPE}
        self._objects: dict[tuple[Any, ox.NamedNode], list[Any]] = {}
        for t in triples:
            if t.predicate in wanted:
                self._objects.setdefault((t.subject, t.predicate), []).append(t.object)

    def types(self, node: Any) -> list[Any]:
        return self._objects.get((node, _TYPE), [])

    def label(self, node: Any) -> str | None:
        """The label of ``node`` (:func:`pickg.graph.labels.preferred_label`'s choice, in :data:`LANG`)."""
        for prop in _LABEL_PROPERTIES:
            labels = [(o.language, o.value) for o in self._objects.get((node, prop), ()) if isinstance(o, ox.Literal)]
            if labels:
                return choose_label(labels, LANG)
        return None


def _show(labels: _Labels, node: Any) -> Resource:
    """``node`` as text: compact IRI and label, or a literal's value."""
    if isinstance(node, ox.NamedNode):
        iri = compact_iri(node.value)
        return Resource(iri=iri, label=labels.label(node) or iri)
    if isinstance(node, ox.BlankNode):
        return Resource(iri="_:" + node.value[:12], label="(anonymous node)")
    if isinstance(node, ox.Literal):
        if node.language:
            suffix = f"@{node.language}"
        elif node.datatype.value != _XSD_STRING:
            suffix = f"^^{compact_iri(node.datatype.value)}"
        else:
            suffix = ""
        return Resource(iri=node.value + suffix, label=node.value)
    raise TypeError(f"not an RDF term: {node!r}")


def _described(labels: _Labels, node: Any) -> Resource:
    shown = _show(labels, node)
    types = sorted(_show(labels, t).label for t in labels.types(node))
    return Resource(iri=shown.iri, label=shown.label, types=tuple(types))


def _statements(labels: _Labels, triples: Iterable[ox.Quad]) -> tuple[Statement, ...]:
    shown = [Statement(predicate=_show(labels, t.predicate), object=_show(labels, t.object)) for t in triples]
    return tuple(sorted(shown, key=lambda s: (s.predicate.iri, s.object.iri)))


def _class_counts(triples: Iterable[ox.Quad]) -> Counter[Any]:
    return Counter(t.object for t in triples if t.predicate == _TYPE)


def _subject_key(node: Any) -> tuple[bool, str]:
    return (isinstance(node, ox.BlankNode), node.value)


def compute_changes(
    current: Compared, previous: Compared | None, version: str, previous_version: str | None
) -> Changes:
    """Compare ``current`` with ``previous`` (None for a first release).

    :param current: this release's graph, or its triples or quads (not modified).
    :param previous: the previous release's graph, triples or quads, or None.
    :param version: this release's version.
    :param previous_version: the previous release's version, or None.
    """
    first = previous is None
    after = _triples(current)
    before = set() if previous is None else _triples(previous)
    if first:
        only_previous: set[ox.Quad] = set()
        only_current = after
    else:
        only_previous, only_current = _diff(before, after)
    before_subjects = {t.subject for t in before}
    after_subjects = {t.subject for t in after}
    added_subjects = {s for s in after_subjects - before_subjects if isinstance(s, ox.NamedNode)}
    removed_subjects = {s for s in before_subjects - after_subjects if isinstance(s, ox.NamedNode)}
    touched: dict[Any, tuple[list[ox.Quad], list[ox.Quad]]] = {}
    for triple in only_current:
        if triple.subject not in added_subjects:
            touched.setdefault(triple.subject, ([], []))[0].append(triple)
    for triple in only_previous:
        if triple.subject not in removed_subjects:
            touched.setdefault(triple.subject, ([], []))[1].append(triple)
    now, earlier = _Labels(after), _Labels(before)
    changed = []
    for subject in [] if first else sorted(touched, key=_subject_key):
        added, removed = touched[subject]
        shown_in = now if subject in after_subjects else earlier
        changed.append(
            ResourceChange(
                resource=_described(shown_in, subject),
                added=_statements(now, added),
                removed=_statements(earlier, removed),
            )
        )
    before_counts, after_counts = _class_counts(before), _class_counts(after)
    classes = []
    for cls in sorted(set(before_counts) | set(after_counts), key=lambda c: c.value):
        if before_counts[cls] != after_counts[cls]:
            classes.append(
                ClassCount(
                    cls=_show(now if after_counts[cls] else earlier, cls),
                    before=before_counts[cls],
                    after=after_counts[cls],
                )
            )
    return Changes(
        version=version,
        previous=previous_version,
        triples_before=len(before),
        triples_after=len(after),
        triples_added=len(only_current),
        triples_removed=len(only_previous),
        resources_added=tuple(_described(now, s) for s in sorted(added_subjects, key=lambda s: s.value)),
        resources_removed=tuple(_described(earlier, s) for s in sorted(removed_subjects, key=lambda s: s.value)),
        resources_changed=tuple(changed),
        classes=tuple(sorted(classes, key=lambda c: c.cls.iri)),
    )
