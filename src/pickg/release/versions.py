"""Release versions: the data version, and the releases already in an output folder.

The version and date of a release come from the data, never from the clock: the
``owl:Ontology`` header of ``ontology/pic.ttl`` carries ``owl:versionInfo`` (the
version, ``X.Y.Z``) and ``dcterms:modified`` (the date of that version; the header's
``dcterms:created`` stands in while it has no ``dcterms:modified``). A data steward
who prepares a release bumps both; publishing the same sources twice gives the same
release, byte for byte.

A release lives in ``<out>/<X.Y.Z>/``; any other entry of the output folder (hidden
staging folders, notes, other files) is not a release.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from pickg.graph.errors import InputError
from pickg.graph.namespaces import DCTERMS, OWL, PIC, RDF

__all__ = ["DataVersion", "Version", "data_version", "list_releases", "ontology_header", "previous_release"]

_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")

#: The ontology whose header carries the data version.
ONTOLOGY_IRI = URIRef(str(PIC).rstrip("#"))


@total_ordering
@dataclass(frozen=True)
class Version:
    """A release version ``MAJOR.MINOR.PATCH`` (numbers compare as numbers)."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str, *, what: str = "version") -> Version:
        """Read ``X.Y.Z`` (three numbers without leading zeros).

        :param text: the version as written.
        :param what: how to name the value in an error message.
        :raises InputError: ``text`` is not of that form.
        """
        match = _VERSION.fullmatch(text.strip())
        if match is None:
            raise InputError(
                f"{what} {text!r} is not a release version; write it as MAJOR.MINOR.PATCH, "
                "three whole numbers such as 1.0.0"
            )
        return cls(*(int(part) for part in match.groups()))

    @classmethod
    def from_name(cls, name: str) -> Version | None:
        """The version a folder name stands for, or None when it is not a version."""
        match = _VERSION.fullmatch(name)
        return cls(*(int(part) for part in match.groups())) if match else None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return (self.major, self.minor, self.patch) < (other.major, other.minor, other.patch)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@dataclass(frozen=True)
class DataVersion:
    """The version and date the data declares for itself."""

    version: Version | None  #: None when the header has no owl:versionInfo
    issued: dt.date


def ontology_header(ontology: Graph) -> URIRef:
    """The ``owl:Ontology`` node that carries the version (the pickg ontology first)."""
    if (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology:
        return ONTOLOGY_IRI
    headers = sorted(s for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    if not headers:
        raise InputError(
            "the ontology has no owl:Ontology header, so the data has no version; "
            f"describe <{ONTOLOGY_IRI}> with owl:versionInfo and dcterms:modified in ontology/pic.ttl"
        )
    return headers[0]


def _one_literal(ontology: Graph, subject: URIRef, predicate: URIRef) -> Literal | None:
    values = sorted(o for o in ontology.objects(subject, predicate) if isinstance(o, Literal))
    if len(values) > 1:
        shown = ", ".join(str(v) for v in values)
        raise InputError(
            f"the ontology header <{subject}> has {len(values)} values of {predicate} ({shown}); "
            "keep exactly one in ontology/pic.ttl"
        )
    return values[0] if values else None


def data_version(ontology: Graph) -> DataVersion:
    """The data version: ``owl:versionInfo`` and ``dcterms:modified`` of the ontology header.

    :param ontology: a graph holding the ontology (the whole knowledge graph will do).
    :returns: the version (None when the header has none), and the date of that
        version (``dcterms:modified``, else ``dcterms:created``).
    :raises InputError: the header is missing, has several versions or dates, a version
        that is not ``X.Y.Z``, or no date.
    """
    header = ontology_header(ontology)
    version = _one_literal(ontology, header, OWL.versionInfo)
    date = _one_literal(ontology, header, DCTERMS.modified) or _one_literal(ontology, header, DCTERMS.created)
    if date is None:
        raise InputError(
            f"the ontology header <{header}> has neither dcterms:modified nor dcterms:created, so "
            'the release has no date; add dcterms:modified "YYYY-MM-DD"^^xsd:date to ontology/pic.ttl'
        )
    value = date.toPython()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        raise InputError(
            f"the date {str(date)!r} of the ontology header <{header}> is not an xsd:date; "
            'write it as "YYYY-MM-DD"^^xsd:date in ontology/pic.ttl'
        )
    parsed = None if version is None else Version.parse(str(version), what=f"owl:versionInfo of <{header}>")
    return DataVersion(parsed, value)


def list_releases(out_dir: Path) -> dict[Version, Path]:
    """The releases in ``out_dir``: folders named ``X.Y.Z``, by version (none if it is absent)."""
    if not out_dir.is_dir():
        return {}
    found: dict[Version, Path] = {}
    for entry in out_dir.iterdir():
        version = Version.from_name(entry.name)
        if version is not None and entry.is_dir():
            found[version] = entry
    return dict(sorted(found.items()))


def previous_release(out_dir: Path, version: Version) -> tuple[Version, Path] | None:
    """The highest release in ``out_dir`` below ``version``, or None."""
    below = [(v, p) for v, p in list_releases(out_dir).items() if v < version]
    return below[-1] if below else None
