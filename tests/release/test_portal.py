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
from pickg.release.tables import read_extract_query

pytestmark = pytest.mark.system

REPO = Path(__file__).resolve().parents[2]
RELEASES_DOC = REPO / "docs" / "releases.md"


@pytest.fixture(scope="module")
def release(published_release) -> Path:  # the session fixture
    return published_release.path


@pytest.fixture(scope="module")
def catalogue(release: Path) -> Graph:
    return Graph().parse(release / "catalog.ttl", format="turtle")


def _portal_section() -> str:
    text = RELEASES_DOC.read_text(encoding="utf-8")
    start = text.index("## Publishing on a portal")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_catalogue_conforms_to_dcat_ap_3_and_every_warning_is_explained(
    catalogue: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    report = check_catalogue(catalogue)
    assert not report.violations, "\n".join(map(str, report.violations))
    kinds = sorted({(w.shapes, w.path) for w in report.warnings})
    with capsys.disabled():  # the count is part of what make test shows
        print(f"\nDCAT-AP 3 on catalog.ttl: {len(report.violations)} violations, {len(report.warnings)} warnings")
        for shapes, path in kinds:
            count = sum(1 for w in report.warnings if (w.shapes, w.path) == (shapes, path))
            print(f"  {count:3} x {path} ({shapes})")
    explained = _portal_section()
    missing = [path for _, path in kinds if f"`{path}`" not in explained]
    assert not missing, f"warnings not explained in docs/releases.md, Publishing on a portal: {missing}"


def catalogued(release: Path) -> list[str]:
    """The files a release's catalogue describes, by their path in the release: every file
    at its top but the catalogue and the checksums, and the entry page of each folder
    (the website, ``site/index.html``)."""
    names = [p.name for p in release.iterdir() if p.is_file() and p.name not in ("catalog.ttl", "SHA256SUMS")]
    names += [f"{p.name}/index.html" for p in release.iterdir() if p.is_dir()]
    return sorted(names)


def in_release(url: object, release: Path) -> str:
    """The path in the release of a file addressed ``…/<version>/<path>``."""
    return str(url).split(f"/{release.name}/", 1)[1]


def test_every_file_has_a_download_address_a_format_a_size_and_a_checksum(catalogue: Graph, release: Path) -> None:
    from pickg.graph.namespaces import DCAT, DCTERMS, SPDX

    files = set(catalogued(release))
    described = {}
    for dist in catalogue.objects(None, DCAT.distribution):
        url = catalogue.value(dist, DCAT.downloadURL)
        assert url is not None and catalogue.value(dist, DCAT.accessURL) is not None, dist
        assert re.fullmatch(
            r"http://publications\.europa\.eu/resource/authority/file-type/[A-Z_]+",
            str(catalogue.value(dist, DCTERMS["format"])),
        )
        described[in_release(url, release)] = dist
        checksum = catalogue.value(dist, SPDX.checksum)
        value = str(catalogue.value(checksum, SPDX.checksumValue))
        assert catalogue.value(dist, DCAT.byteSize).toPython() == (release / in_release(url, release)).stat().st_size
        import hashlib

        assert hashlib.sha256((release / in_release(url, release)).read_bytes()).hexdigest() == value
    assert set(described) == files


# --- a harvester's view: CKAN's own DCAT parser --------------------------------------------


def test_ckan_dcat_parser_finds_one_dataset_with_one_resource_per_file(release: Path) -> None:
    from ckanext.dcat.processors import RDFParser

    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    parser.parse((release / "catalog.ttl").read_text(encoding="utf-8"), _format="turtle")
    datasets = list(parser.datasets())
    assert len(datasets) == 1
    dataset = datasets[0]
    extras = {extra["key"]: extra["value"] for extra in dataset["extras"]}
    print(f"\nCKAN dataset: {dataset['title']!r}, version {dataset['version']}, {len(dataset['resources'])} resources")
    assert dataset["title"] and dataset["notes"] and dataset["version"]
    assert extras["publisher_name"] and extras["spatial_text"] and extras["temporal_start"]
    assert "http://publications.europa.eu/resource/authority/data-theme/SOCI" in extras["theme"]
    files = catalogued(release)
    resources = {in_release(resource["url"], release): resource for resource in dataset["resources"]}
    assert sorted(resources) == files
    import hashlib

    for name, resource in resources.items():
        data = (release / name).read_bytes()
        assert resource["download_url"] == resource["url"]
        assert resource["format"].startswith("http://publications.europa.eu/resource/authority/file-type/"), name
        assert resource["mimetype"].startswith("https://www.iana.org/assignments/media-types/"), name
        assert int(resource["size"]) == len(data), name
        assert resource["hash"] == hashlib.sha256(data).hexdigest(), name
        assert resource["hash_algorithm"] == "http://spdx.org/rdf/terms#checksumAlgorithm_sha256", name


# --- the tables: CSV on the Web ------------------------------------------------------------


def test_csv_metadata_validates_with_csvw_and_describes_every_column(release: Path, workspace) -> None:
    import csv
    import json
    import subprocess
    import sys

    validator = Path(sys.executable).with_name("csvwvalidate")
    result = subprocess.run(
        [str(validator), "-v", "csv-metadata.json"], cwd=release, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("OK"), result.stdout + result.stderr
    metadata = json.loads((release / "csv-metadata.json").read_text(encoding="utf-8"))
    tables = {table["url"]: table for table in metadata["tables"]}
    queries = {f"{path.stem}.csv": read_extract_query(path) for path in workspace.extract_files()}
    assert sorted(tables) == sorted(p.name for p in release.glob("*.csv"))
    for name, table in tables.items():
        with (release / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        columns = table["tableSchema"]["columns"]
        assert [c["name"] for c in columns] == header, name
        for column in columns:
            assert column["titles"]["fr"] and column["titles"]["en"] and column["datatype"], (name, column["name"])
            # A list cell's values are separated by " | "; a single value may hold it
            # (an organisation is called "La Pépinière | Espaces collectifs").
            is_list = column["name"] in queries[name].multi_valued
            assert column.get("separator") == (" | " if is_list else None), (name, column["name"])
        key = header.index(table["tableSchema"]["primaryKey"])
        assert len({row[key] for row in body}) == len(body), name
    assert any("foreignKeys" in table["tableSchema"] for table in tables.values())
    sums = (release / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  csv-metadata.json\n" in sums


# --- the gate and the addresses ------------------------------------------------------------


def test_base_url_gives_every_download_address(small_home: Path, tmp_path: Path) -> None:
    from pickg.graph.namespaces import DCAT
    from pickg.graph.workspace import Workspace
    from tests.support.runs import publish_env, run_pickg

    out = tmp_path / "dist"
    env = publish_env(Workspace(small_home))
    result = run_pickg("publish", "--out", str(out), "--base-url", "https://data.example.org/pickg", env=env)
    assert result.returncode == 0, result.stderr
    release = Path(result.stdout.splitlines()[0])
    graph = Graph().parse(release / "catalog.ttl", format="turtle")
    folder = f"https://data.example.org/pickg/{release.name}/"
    downloads = sorted(str(url) for url in graph.objects(None, DCAT.downloadURL))
    assert downloads == [folder + name for name in catalogued(release)]
    assert {str(url) for url in graph.objects(None, DCAT.accessURL)} == {folder}
    bad = run_pickg("publish", "--out", str(tmp_path / "other"), "--base-url", "ftp://x", env=env)
    assert bad.returncode == 2 and "--base-url" in bad.stderr and "http(s)" in bad.stderr
    assert not (tmp_path / "other").exists()


def test_a_catalogue_without_publisher_is_not_published(small_home: Path, tmp_path: Path) -> None:
    """Two creators in the ontology header and no publisher configured: DCAT-AP's
    mandatory catalogue publisher is missing, so the gate refuses the release."""
    import shutil

    from pickg.graph.workspace import Workspace
    from tests.support.runs import publish_env, run_pickg

    home = tmp_path / "home"
    shutil.copytree(small_home, home)
    header = home / "ontology" / "pic.ttl"
    text = header.read_text(encoding="utf-8")
    assert text.count('dcterms:creator "pickg contributors" ;') == 1
    header.write_text(text.replace('dcterms:creator "pickg contributors" ;', 'dcterms:creator "A", "B" ;'), "utf-8")
    out = tmp_path / "dist"
    result = run_pickg("publish", "--out", str(out), env=publish_env(Workspace(home)))
    assert result.returncode == 1, result.stderr
    assert "DCAT-AP 3" in result.stderr and "dct:publisher" in result.stderr and "publisher =" in result.stderr
    assert not out.exists() or not [p for p in out.iterdir()]
    configured = run_pickg(
        "publish", "--out", str(out), env=publish_env(Workspace(home), PICKG_PUBLISH_PUBLISHER="Équipe pickg")
    )
    assert configured.returncode == 0, configured.stderr
