"""The wheel carries ontology/, data/ and queries/, and an installed copy finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pickg.graph.rdfio import load
from pickg.graph.workspace import Workspace
from tests.support.runs import REPO

pytestmark = pytest.mark.system

SHIPPED = ("ontology", "data", "queries")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (found,) = out.glob("pickg-*.whl")
    return found


def test_wheel_ships_the_workspace(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"pickg/_resources/{path.relative_to(REPO).as_posix()}"
        for folder in SHIPPED
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected, "nothing to ship"
    assert expected <= names, sorted(expected - names)
    assert "pickg/__init__.py" in names
    assert "pickg/cli/__main__.py" in names
    assert "pickg/py.typed" in names  # PEP 561: a project that imports pickg gets its types
    # Every word pickg shows people: one message catalogue per language.
    assert {"pickg/locales/fr.toml", "pickg/locales/en.toml"} <= names
    # The website's query page works offline from an installed pickg: its editor ships inside.
    for name in ("yasgui.min.js", "yasgui.min.css", "LICENSE"):
        assert f"pickg/site/static/vendor/yasgui/{name}" in names


def test_installed_copy_uses_its_packaged_resources(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--disable-pip-version-check",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    env = {k: v for k, v in os.environ.items() if k != "PICKG_HOME"}
    env["PYTHONPATH"] = str(target)
    script = "import pickg, pickg.graph.workspace as w; print(w.default_workspace().root); print(len(pickg.load()))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, check=True, timeout=300
    )
    root, triples = done.stdout.split()
    assert Path(root) == target / "pickg" / "_resources"
    assert int(triples) == len(load(workspace=Workspace(Path(root))))
