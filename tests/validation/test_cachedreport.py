"""The validation report of unchanged sources read back from the cache (``pickg.validation.cachedreport``)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from pickg.cli.render import render_text
from pickg.graph import cache as cache_module
from pickg.graph.cache import workspace_digest, write_entry
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import open_store
from pickg.graph.workspace import Workspace
from pickg.validation import fast_engine
from pickg.validation.cachedreport import REPORT_KIND, cached_report, report_from_json, report_to_json
from pickg.validation.report import Report

INVALID = Path(__file__).parent / "shapes" / "invalid"


@pytest.fixture(scope="module")
def shipped(workspace: Workspace) -> Any:
    """An Oxigraph store of the shipped sources (17 warnings, no violation)."""
    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        yield store


@pytest.fixture(scope="module")
def invalid(workspace: Workspace) -> Any:
    """The ontology with the whole invalid corpus as data: violations of every kind of shape,
    with literal values, language tags, blank nodes and data checks."""
    files = sorted(INVALID.glob("*.ttl"))
    with open_store("oxigraph", workspace_files(files, True, workspace)) as store:
        yield store, files


def _text(report: Report, lang: str) -> str:
    out = io.StringIO()
    render_text(report, Console(file=out, width=200, highlight=False), lang=lang, verbose=True)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_report_reads_back_as_it_was_made(
    shipped: Any, invalid: tuple[Any, list[Path]], workspace: Workspace, lang: str
) -> None:
    store, files = invalid
    shipped_report = fast_engine.validate_store(shipped, lang=lang, workspace=workspace)
    invalid_report = fast_engine.validate_store(store, lang=lang, workspace=workspace, paths=files)
    for report in (shipped_report, invalid_report):
        back = report_from_json(report_to_json(report))
        assert back == report
        assert back.to_json() == report.to_json()  # messages and labels too, which == leaves out
    back = report_from_json(report_to_json(shipped_report))
    assert shipped_report.results and _text(back, lang) == _text(shipped_report, lang)
    kinds = {type(r.value).__name__ for r in invalid_report.results}
    assert not invalid_report.conforms and kinds == {"Literal", "URIRef", "BNode", "NoneType"}
    assert any(r.check for r in invalid_report.results) and any(r.line for r in invalid_report.results)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PICKG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def shipped_report(shipped: Any, workspace: Workspace) -> Report:
    return fast_engine.validate_store(shipped, lang="en", workspace=workspace)


def _counting(monkeypatch: pytest.MonkeyPatch, report: Report) -> list[int]:
    """Count the validations, each giving ``report`` (the key is under test, not the engine)."""
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Report:
        calls.append(1)
        return report

    monkeypatch.setattr(fast_engine, "validate_store", counted)
    return calls


def test_the_report_is_read_back_until_an_input_changes(
    shipped: Any, shipped_report: Report, workspace: Workspace, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch, shipped_report)
    sources = workspace_digest(workspace)
    made = cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    assert made is shipped_report
    assert len(calls) == 1 and len(list((cache / REPORT_KIND).iterdir())) == 1
    again = cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    assert len(calls) == 1
    assert again == made and again.to_json() == made.to_json()
    cached_report(shipped, lang="fr", workspace=workspace, sources=sources)  # labels in the other language
    assert len(calls) == 2
    cached_report(shipped, lang="en", workspace=workspace, sources="another digest of the sources")
    assert len(calls) == 3
    monkeypatch.setattr(cache_module, "package_digest", lambda: "pickg's code changed")
    cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    assert len(calls) == 4
    monkeypatch.setattr(cache_module, "installed_distributions", lambda: "a library changed")
    cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    assert len(calls) == 5
    cached_report(shipped, lang="en", workspace=workspace, sources=None)  # no digest: never cached
    monkeypatch.setenv("PICKG_CACHE_DIR", "off")
    cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    assert len(calls) == 7


def test_a_damaged_entry_is_validated_again(
    shipped: Any, shipped_report: Report, workspace: Workspace, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting(monkeypatch, shipped_report)
    sources = workspace_digest(workspace)
    made = cached_report(shipped, lang="en", workspace=workspace, sources=sources)
    (entry,) = (cache / REPORT_KIND).iterdir()
    entry.write_bytes(entry.read_bytes()[:-2] + b"}}")  # the checksum no longer matches
    assert cached_report(shipped, lang="en", workspace=workspace, sources=sources) == made
    assert len(calls) == 2
    write_entry(cache, REPORT_KIND, entry.name, b'{"schema": "validation report 1", "results": 3}')
    assert cached_report(shipped, lang="en", workspace=workspace, sources=sources) == made
    assert len(calls) == 3
    assert cached_report(shipped, lang="en", workspace=workspace, sources=sources) == made  # kept again
    assert len(calls) == 3


def test_a_report_is_not_kept_when_the_sources_changed_meanwhile(
    shipped: Any, shipped_report: Report, workspace: Workspace, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest is taken before the store is loaded: one that no longer holds keeps nothing."""
    _counting(monkeypatch, shipped_report)
    cached_report(shipped, lang="en", workspace=workspace, sources="the digest of other bytes")
    assert not (cache / REPORT_KIND).exists() or not list((cache / REPORT_KIND).iterdir())
