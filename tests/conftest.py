"""Shared fixtures: the loaded graph, a scratch workspace, and running the CLI."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

import pickg
from pickg.graph.workspace import HOME_VARIABLE, Workspace
from tests.support.browsers import base, browser, site_dir  # noqa: F401 -- session fixtures: the site in Chromium
from tests.support.runs import PublishedRelease, ReleaseBuild, remove_shared_folders, shared_folder
from tests.support.servers import oxigraph_server  # noqa: F401 -- session fixture: the Oxigraph server on 127.0.0.1
from tests.support.shacl_peers import Background, stop_shared_run
from tests.support.summary import CORPUS, MANIFEST, SHACL_PEERS, merge_worker_output, worker_output
from tests.support.visitors import visitor  # noqa: F401 -- a visitor's tab at one width and language


@pytest.fixture(autouse=True)
def no_wall_clock_in_unit_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that is not a system test runs without the commands' 30 s default deadline, so
    that a loaded machine cannot fail it; a test of the deadline gives ``--timeout`` itself."""
    if request.node.get_closest_marker("system") is None:
        monkeypatch.setenv("PICKG_TIMEOUT", "86400")


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


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory, workspace: Workspace) -> Path:
    """A home with the ontology, shapes and queries and a small synthetic graph as data
    (~1k triples): publishing it costs a third of publishing the shipped data. One per
    module, for the tests whose releases do not depend on the data."""
    from pickg.synth.generator import synthesize

    home = tmp_path_factory.mktemp("small-home")
    for folder in ("ontology", "queries"):
        shutil.copytree(workspace.root / folder, home / folder)
    synthesize(3, home / "data", seed=7, format="ttl")
    return home


@pytest.fixture(scope="session")
def synthetic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic graph (12 neighbourhoods, ~2.5k triples, seed 7) in N-Triples."""
    from pickg.synth.generator import synthesize

    return synthesize(12, tmp_path_factory.mktemp("synthetic"), seed=7).path


#: The session's release (``tests/support/runs.py``) and shacl-engine's run on it
#: (tests/validation/test_shacl_peers.py), started as soon as the tests are collected when
#: a selected test needs them, so that the build and shacl-engine's minute and a half
#: overlap the rest of the suite.
RELEASE: dict[str, ReleaseBuild] = {}
SHACL_ENGINE: dict[str, Background] = {}


#: The modules of the whole suite that take longest, longest first: run first, so that
#: none of them starts last and sets the end of the run. ``make test`` keeps this order
#: (``--dist loadscope --no-loadscope-reorder``: pytest-xdist would otherwise hand out
#: the modules with the most tests first, and these have few). The release's readers
#: come after the others, when the release built at collection is there.
LONGEST_FIRST = (
    "tests/sheets/test_origin.py",
    "tests/queries/test_engine_manifest.py",
    "tests/cli/test_cli_run.py",
    "tests/site/test_site_language.py",
    "tests/site/test_features_browser.py",
    "tests/site/test_site_browser.py",
    "tests/site/test_portal_browser.py",
    "tests/site/test_visitor_tasks_browser.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The modules of :data:`LONGEST_FIRST` first, the others in their usual order."""
    rank = {module: place for place, module in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the release build, and shacl-engine after it, when a selected test needs them."""
    needs = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if needs & {"published_release", "shacl_engine_run"}:
        RELEASE["build"] = ReleaseBuild(Workspace.discover()).start()
    # Under pytest-xdist every worker collects every test: the first to take the shared
    # folder's lock starts shacl-engine, and the worker that runs the test reads its report.
    if "shacl_engine_run" in needs:
        SHACL_ENGINE["run"] = Background(shared_folder("shacl-engine")).start(RELEASE["build"])


def pytest_sessionfinish(session: pytest.Session) -> None:
    # A pytest-xdist worker sends what its tests found to the controller, which prints it.
    if hasattr(session.config, "workeroutput"):
        manifest = sys.modules.get("tests.queries.test_engine_manifest")
        session.config.workeroutput["pickg_summary"] = worker_output(getattr(manifest, "SUMMARY", None))
    if "run" in SHACL_ENGINE:
        SHACL_ENGINE.pop("run").close()
    if "build" in RELEASE:
        RELEASE.pop("build").join()
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the run's owner, once every worker is done
        stop_shared_run(shared_folder("shacl-engine"))
    remove_shared_folders()


@pytest.fixture(scope="session")
def published_release() -> PublishedRelease:
    """The session's one release of the shipped data, built by ``pickg publish`` (a real
    process, cache off) in the background from the end of collection."""
    assert "build" in RELEASE, "the release was not started at collection (pytest_collection_finish)"
    return RELEASE["build"].wait()


@pytest.fixture(scope="session")
def shacl_engine_run() -> Background:
    """shacl-engine's background run (tests/support/shacl_peers.py), started at collection."""
    assert "run" in SHACL_ENGINE, "shacl-engine was not started at collection"
    return SHACL_ENGINE["run"]


def _shacl_peers_summary(terminalreporter: Any) -> None:
    """The results each SHACL engine gave on the release and on the small copies."""
    if not SHACL_PEERS:
        return
    terminalreporter.write_sep("-", "SHACL engines on the release")
    for copy, counts in SHACL_PEERS.items():
        terminalreporter.write_line(f"{copy}: " + ", ".join(f"{engine} {count}" for engine, count in counts.items()))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """The controller of pytest-xdist gathers what each worker's tests found."""
    output = getattr(node, "workeroutput", {}).get("pickg_summary")
    if output:
        merge_worker_output(output)


def _manifest_summary(terminalreporter: Any) -> None:
    """The size of the differential manifest (tests/queries/test_engine_manifest.py), when it ran."""
    module = sys.modules.get("tests.queries.test_engine_manifest")
    summary = getattr(module, "SUMMARY", None) or MANIFEST
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
