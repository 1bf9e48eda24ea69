"""Issue 18: the published data speaks to strangers.

A reader of a release never saw how it was curated: no text of the release may call a
source by a working name ("Source A", "Seed B", "the fact sheet") that nothing in the
release defines. The test reads every literal of every RDF file of the release, and
every cell of its CSV tables, as a reader would.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.support.runs import PublishedRelease

pytestmark = pytest.mark.system

#: The working names of the curation, as issue 18 lists them (case-insensitive).
INTERNAL_NAMES = re.compile(r"source [A-Z]\b|seed|fact sheet|fiche de faits", re.IGNORECASE)

RDF_FORMATS = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG}


def release_texts(release: Path) -> list[tuple[str, str]]:
    """Every literal of the release's RDF files and every cell of its tables, with where it is."""
    found: list[tuple[str, str]] = []
    for path in sorted(release.iterdir()):
        if path.suffix in RDF_FORMATS:
            for quad in ox.parse(path=str(path), format=RDF_FORMATS[path.suffix]):
                if isinstance(quad.object, ox.Literal):
                    found.append((f"{path.name}: {quad.subject} {quad.predicate}", quad.object.value))
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                for number, row in enumerate(csv.reader(handle), start=1):
                    found.extend((f"{path.name}: row {number}", cell) for cell in row)
    return found


def test_release_texts_are_read(published_release: PublishedRelease) -> None:
    texts = release_texts(published_release.path)
    files = {where.split(":")[0] for where, _ in texts}
    assert {"pic.nt", "pic.ttl", "pic.trig", "shapes.ttl", "catalog.ttl", "initiatives.csv"} <= files
    assert len(texts) > 10_000


def test_no_text_of_the_release_uses_an_internal_source_name(published_release: PublishedRelease) -> None:
    offending = [
        f"{where}: {text[:120]}" for where, text in release_texts(published_release.path) if INTERNAL_NAMES.search(text)
    ]
    assert offending == [], "\n".join(offending)
