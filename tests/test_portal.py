"""Open-data portals take the release as it is (issue 20).

The session release's ``catalog.ttl`` is checked against SEMIC's DCAT-AP 3 shapes,
read by CKAN's own DCAT parser (ckanext-dcat, DCAT-AP 3 profile) as a portal's
harvester reads it, and its CSV files against their CSV on the Web metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from pickg.release.dcatap import check_catalogue

REPO = Path(__file__).resolve().parents[1]
RELEASES_DOC = REPO / "docs" / "releases.md"


@pytest.fixture(scope="module")
def release(published_release) -> Path:  # noqa: ANN001 -- the session fixture
    return published_release.path


@pytest.fixture(scope="module")
def catalogue(release: Path) -> Graph:
    return Graph().parse(release / "catalog.ttl", format="turtle")


def _portal_section() -> str:
    text = RELEASES_DOC.read_text(encoding="utf-8")
    start = text.index("## Publishing on a portal")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_catalogue_conforms_to_dcat_ap_3_and_every_warning_is_explained(catalogue: Graph) -> None:
    report = check_catalogue(catalogue)
    assert not report.violations, "\n".join(map(str, report.violations))
    kinds = sorted({(w.shapes, w.path) for w in report.warnings})
    print(f"\nDCAT-AP 3: {len(report.violations)} violations, {len(report.warnings)} warnings:")
    for shapes, path in kinds:
        count = sum(1 for w in report.warnings if (w.shapes, w.path) == (shapes, path))
        print(f"  {count:3} x {path} ({shapes})")
    explained = _portal_section()
    missing = [path for _, path in kinds if f"`{path}`" not in explained]
    assert not missing, f"warnings not explained in docs/releases.md, Publishing on a portal: {missing}"


def test_every_file_has_a_download_address_a_format_a_size_and_a_checksum(catalogue: Graph, release: Path) -> None:
    from pickg.graph.namespaces import DCAT, DCTERMS, SPDX

    files = {p.name for p in release.iterdir()} - {"catalog.ttl", "SHA256SUMS"}
    described = {}
    for dist in catalogue.objects(None, DCAT.distribution):
        url = catalogue.value(dist, DCAT.downloadURL)
        assert url is not None and catalogue.value(dist, DCAT.accessURL) is not None, dist
        assert re.fullmatch(
            r"http://publications\.europa\.eu/resource/authority/file-type/[A-Z_]+",
            str(catalogue.value(dist, DCTERMS["format"])),
        )
        described[str(url).rsplit("/", 1)[1]] = dist
        checksum = catalogue.value(dist, SPDX.checksum)
        value = str(catalogue.value(checksum, SPDX.checksumValue))
        assert catalogue.value(dist, DCAT.byteSize).toPython() == (release / str(url).rsplit("/", 1)[1]).stat().st_size
        import hashlib

        assert hashlib.sha256((release / str(url).rsplit("/", 1)[1]).read_bytes()).hexdigest() == value
    assert set(described) == files
