"""Shared fixtures: the loaded graph, a scratch workspace, and running the CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

import pickg
from pickg.graph.workspace import HOME_VARIABLE, Workspace
from tests.support.runs import PublishedRelease, publish_env
from tests.support.servers import oxigraph_server  # noqa: F401 -- session fixture: the Oxigraph server on 127.0.0.1
from tests.support.shacl_peers import Background
from tests.support.summary import CORPUS, SHACL_PEERS


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    """The workspace the suite runs on (the checkout, unless PICKG_HOME says otherwise)."""
    return Workspace.discover()


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The knowledge graph: ontology + vocabularies + data, loaded once per session."""
    return pickg.load()


@pytest.fixture
def workspace_copy(tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A scratch copy of ontology/, data/ and queries/, made current through PICKG_HOME."""
    home = tmp_path / "home"
    home.mkdir()
    for folder in ("ontology", "data", "queries"):
        source = workspace.root / folder
        if source.is_dir():
            shutil.copytree(source, home / folder)
        else:
            (home / folder).mkdir()
    monkeypatch.setenv(HOME_VARIABLE, str(home))
    yield Workspace(home)


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic graph (12 neighbourhoods, ~2.5k triples, seed 7) in N-Triples."""
    from pickg.synth.generator import synthesize

    return synthesize(12, tmp_path_factory.mktemp("synthetic"), seed=7).path


@pytest.fixture(scope="session")
def published_release(tmp_path_factory: pytest.TempPathFactory, workspace: Workspace) -> PublishedRelease:
    """One release of the shipped data, built once per session by ``pickg publish`` (a real process)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pickg.cli", "publish", "--out", str(out)],
        capture_output=True,
        text=True,
        # Built with the cache off: the tests that build the release again and compare
        # its bytes with this one then compare a fresh build, never the cache with itself.
        env=publish_env(workspace, PICKG_CACHE_DIR="off"),
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.splitlines()[0])
    return PublishedRelease(out=out, path=path, version=path.name, stdout=result.stdout)


#: shacl-engine's run on a release of its own (tests/validation/test_shacl_peers.py), started as soon
#: as the tests are collected so that its minute and a half overlaps the rest of the suite.
SHACL_ENGINE: dict[str, Background] = {}


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start shacl-engine in the background when a test that needs its run is selected."""
    if any("shacl_engine_run" in getattr(item, "fixturenames", ()) for item in session.items):
        SHACL_ENGINE["run"] = Background().start(publish_env(Workspace.discover()))


def pytest_sessionfinish(session: pytest.Session) -> None:
    if "run" in SHACL_ENGINE:
        SHACL_ENGINE.pop("run").close()


@pytest.fixture(scope="session")
def shacl_engine_run() -> Background:
    """shacl-engine's background run (tests/support/shacl_peers.py), started at collection."""
    assert "run" in SHACL_ENGINE, "shacl-engine was not started at collection (pytest_collection_finish)"
    return SHACL_ENGINE["run"]


def _shacl_peers_summary(terminalreporter: Any) -> None:
    """The results each SHACL engine gave on the release and on the small copies."""
    if not SHACL_PEERS:
        return
    terminalreporter.write_sep("-", "SHACL engines on the release")
    for copy, counts in SHACL_PEERS.items():
        terminalreporter.write_line(f"{copy}: " + ", ".join(f"{engine} {count}" for engine, count in counts.items()))


def _manifest_summary(terminalreporter: Any) -> None:
    """The size of the differential manifest (tests/queries/test_engine_manifest.py), when it ran."""
    module = sys.modules.get("tests.queries.test_engine_manifest")
    summary = getattr(module, "SUMMARY", None)
    if not summary or not summary["cases"]:
        return
    write = terminalreporter.write_line
    terminalreporter.section("differential manifest")
    write(
        f"{len(summary['queries'])} queries, {summary['cases']} cases, {len(summary['engines'])} engines "
        f"({', '.join(summary['engines'])}): {summary['cells']} cells compared with the reference, "
        f"{summary['agree']} agree, {len(summary['expected'])} expected to differ"
    )
    by_reason: dict[tuple[str, str], list[str]] = {}
    for case, engine, reason in summary["expected"]:
        by_reason.setdefault((engine, reason), []).append(case)
    for (engine, reason), cases in sorted(by_reason.items()):
        write(f"  {len(cases)} cells expected to differ on {engine}: {reason}")
        write(f"    {', '.join(cases)}")


def _corpus_summary(terminalreporter: Any) -> None:
    """The corpus's size and counts, at the end of ``make test``."""
    if not CORPUS["inputs"]:
        return
    families = ", ".join(f"{name} {count}" for name, count in sorted(CORPUS["families"].items()))
    terminalreporter.write_sep("-", "hostile input corpus")
    terminalreporter.write_line(
        f"inputs {CORPUS['inputs']} ({families}), {CORPUS['runs']} runs through the readers; "
        f"tracebacks {CORPUS['tracebacks']}, hangs {CORPUS['hangs']}, "
        f"wrong exit codes {CORPUS['wrong_exit']}, messages not naming the input {CORPUS['unnamed']}"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """At the end of the run: the differential manifest's size, the hostile corpus's counts,
    the SHACL engines' counts."""
    _manifest_summary(terminalreporter)
    _corpus_summary(terminalreporter)
    _shacl_peers_summary(terminalreporter)
