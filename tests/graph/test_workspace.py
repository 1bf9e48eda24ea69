"""Finding ontology/, data/ and queries/: checkout, package data, or PICKG_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickg.graph.errors import InputError
from pickg.graph.workspace import HOME_VARIABLE, Workspace, resolve_root


def test_checkout_layout_uses_the_repository(tmp_path: Path) -> None:
    (tmp_path / "src" / "pickg").mkdir(parents=True)
    (tmp_path / "ontology").mkdir()
    assert resolve_root(tmp_path / "src" / "pickg", environ={}) == tmp_path


def test_installed_layout_uses_the_packaged_resources(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "pickg"
    (package / "_resources" / "ontology").mkdir(parents=True)
    assert resolve_root(package, environ={}) == package / "_resources"


def test_src_without_ontology_is_not_a_checkout(tmp_path: Path) -> None:
    package = tmp_path / "src" / "pickg"
    package.mkdir(parents=True)
    assert resolve_root(package, environ={}) == package / "_resources"


def test_pickg_home_wins(tmp_path: Path) -> None:
    (tmp_path / "src" / "pickg").mkdir(parents=True)
    (tmp_path / "ontology").mkdir()
    home = tmp_path / "elsewhere"
    home.mkdir()
    found = resolve_root(tmp_path / "src" / "pickg", environ={HOME_VARIABLE: str(home)})
    assert found == home.resolve()


def test_pickg_home_must_be_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=HOME_VARIABLE):
        resolve_root(environ={HOME_VARIABLE: str(tmp_path / "missing")})


def test_file_lists(tmp_path: Path) -> None:
    for name in [
        "ontology/pic.ttl",
        "ontology/vocabularies/themes.ttl",
        "ontology/vocabularies/roles.ttl",
        "ontology/shapes/core.shapes.ttl",
        "ontology/shapes/notes.ttl",
        "data/sources.ttl",
        "data/neighbourhoods/saint-michel.ttl",
        "data/README.md",
        "queries/b.rq",
        "queries/a.rq",
        "queries/checks/no-label-violation.rq",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    ws = Workspace(tmp_path)

    def rel(paths: list[Path]) -> list[str]:
        return [p.relative_to(tmp_path).as_posix() for p in paths]

    assert rel(ws.ontology_files()) == ["ontology/pic.ttl"]
    assert rel(ws.vocabulary_files()) == ["ontology/vocabularies/roles.ttl", "ontology/vocabularies/themes.ttl"]
    assert rel(ws.shape_files()) == ["ontology/shapes/core.shapes.ttl"]
    assert rel(ws.data_files()) == ["data/neighbourhoods/saint-michel.ttl", "data/sources.ttl"]
    assert rel(ws.query_files()) == ["queries/a.rq", "queries/b.rq"]
    assert rel(ws.check_files()) == ["queries/checks/no-label-violation.rq"]
    assert ws.relative(tmp_path / "data" / "sources.ttl") == "data/sources.ttl"


def test_missing_folders_give_no_files(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert ws.ontology_files() == ws.data_files() == ws.query_files() == ws.shape_files() == []
