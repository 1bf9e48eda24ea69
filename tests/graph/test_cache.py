"""The cache of outputs that depend only on definitions (the ontology's HTML page)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pickg.graph.cache import (
    cache_dir,
    cache_key,
    cached_bytes,
    cached_text,
    installed_distributions,
    read_entry,
    workspace_digest,
    write_entry,
)
from pickg.graph.workspace import Workspace
from pickg.release import ontodoc


def test_text_is_computed_once_then_read_back(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return "<html>é</html>\n"

    key = cache_key("a", "b")
    assert cached_text(tmp_path, "kind", key, compute) == "<html>é</html>\n"
    assert cached_text(tmp_path, "kind", key, compute) == "<html>é</html>\n"
    assert len(calls) == 1
    assert [p.name for p in (tmp_path / "kind").iterdir()] == [key]  # no temporary file left


def test_damaged_entry_is_rebuilt(tmp_path: Path) -> None:
    key = cache_key("x")
    cached_text(tmp_path, "kind", key, lambda: "good")
    entry = tmp_path / "kind" / key
    entry.write_bytes(entry.read_bytes()[:-2] + b"xx")  # same length, other body
    assert cached_text(tmp_path, "kind", key, lambda: "rebuilt") == "rebuilt"
    entry.write_bytes(b"")
    assert cached_text(tmp_path, "kind", key, lambda: "again") == "again"
    assert cached_text(tmp_path, "kind", key, lambda: "not called") == "again"


def test_large_entries_keep_only_the_ones_used_last(tmp_path: Path) -> None:
    """A whole website per edit of the data would fill the disk: ``keep`` bounds a kind."""
    for number in range(5):
        cached_bytes(tmp_path, "site", f"key{number}", lambda n=number: b"site %d" % n, keep=3)
        os.utime(tmp_path / "site" / f"key{number}", ns=(number * 10**9, number * 10**9))  # a clear order
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["key2", "key3", "key4"]
    assert cached_bytes(tmp_path, "site", "key2", lambda: b"again", keep=3) == b"site 2"  # read, and used last
    cached_bytes(tmp_path, "site", "key5", lambda: b"site 5", keep=3)
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["key2", "key4", "key5"]


def test_keys_tell_their_parts_apart() -> None:
    assert cache_key("ab", "c") != cache_key("a", "bc")


def test_unwritable_folder_only_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert cached_text(blocker, "kind", cache_key("k"), lambda: "text") == "text"


def test_cache_folder_from_the_environment(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    assert cache_dir(ws, environ={}) == tmp_path / "build" / "cache"
    assert cache_dir(ws, environ={"PICKG_CACHE_DIR": str(tmp_path / "c")}) == tmp_path / "c"
    assert cache_dir(ws, environ={"PICKG_CACHE_DIR": "off"}) is None


def test_ontology_page_is_cached_by_text(tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from pickg.graph.canonical import canonical_turtle
    from pickg.graph.rdfio import parse_file

    turtle = canonical_turtle(parse_file(workspace.ontology_files()[0]))
    made = ontodoc.ontology_html(turtle, tmp_path)
    assert made == ontodoc.ontology_html(turtle)  # the cached page is the page

    def fail(text: str) -> str:
        raise AssertionError("pyLODE ran although the page was cached")

    monkeypatch.setattr(ontodoc, "_make_html", fail)
    assert ontodoc.ontology_html(turtle, tmp_path) == made
    with pytest.raises(AssertionError):  # another text is another page
        ontodoc.ontology_html(turtle + "\n", tmp_path)


def test_a_chart_is_cached_by_its_specification(
    tmp_path: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert

    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store
    from pickg.site import charts
    from pickg.site.collect import collect_site
    from pickg.site.resources import SiteGraph

    with open_store("oxigraph", workspace_files(None, True, workspace)) as store:
        data = collect_site(store, workspace)
    site = SiteGraph(data.triples)
    french, english = (charts.chart_specs(data, site, lang)["funding"] for lang in ("fr", "en"))
    drawn = charts.chart_svg(french, tmp_path)
    assert drawn.startswith("<svg") and drawn == charts.chart_svg(french)  # the cached drawing is the drawing

    def fail(spec: object) -> str:
        raise AssertionError("vl-convert ran although the chart was cached")

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", fail)
    assert charts.chart_svg(french, tmp_path) == drawn
    with pytest.raises(AssertionError):  # another specification (here, its English words) is another chart
        charts.chart_svg(english, tmp_path)


def test_entries_read_and_written_apart(tmp_path: Path) -> None:
    """read_entry and write_entry: the same checked entries as cached_bytes, for a caller that decides when to keep."""
    assert read_entry(tmp_path, "kind", "k") is None
    write_entry(tmp_path, "kind", "k", b"body")
    assert read_entry(tmp_path, "kind", "k") == b"body"
    entry = tmp_path / "kind" / "k"
    entry.write_bytes(entry.read_bytes()[:-1] + b"x")  # damaged: read as absent
    assert read_entry(tmp_path, "kind", "k") is None
    assert read_entry(None, "kind", "k") is None
    write_entry(None, "kind", "k", b"nothing: the cache is off")
    for number in range(4):
        write_entry(tmp_path, "many", f"key{number}", b"x", keep=2)
        os.utime(tmp_path / "many" / f"key{number}", ns=(number * 10**9, number * 10**9))
    assert sorted(p.name for p in (tmp_path / "many").iterdir()) == ["key2", "key3"]


def test_the_workspace_digest_changes_with_any_byte_of_what_pickg_reads(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    for folder in ("ontology/shapes", "data/geo", "queries/checks"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "data" / "a.ttl").write_bytes(b"<urn:a> <urn:b> <urn:c> .\n")
    (tmp_path / "queries" / "checks" / "x-violation.rq").write_bytes(b"SELECT * {}\n")
    digests = [workspace_digest(ws)]

    def changed() -> bool:
        digests.append(workspace_digest(ws))
        return digests[-1] != digests[-2]

    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "cache-entry").write_bytes(b"not read by pickg as a source")
    (tmp_path / "dist").mkdir()
    assert not changed()
    (tmp_path / "data" / "a.ttl").write_bytes(b"<urn:a> <urn:b> <urn:d> .\n")
    assert changed()
    (tmp_path / "data" / "geo" / "shape.geojson").write_bytes(b"{}")
    assert changed()
    (tmp_path / "queries" / "checks" / "x-violation.rq").write_bytes(b"SELECT * { }\n")
    assert changed()
    (tmp_path / "ontology" / "shapes" / "core.shapes.ttl").write_bytes(b"")
    assert changed()  # even an empty file
    (tmp_path / "pickg.toml").write_bytes(b"[publish]\n")
    assert changed()
    (tmp_path / "pyproject.toml").write_bytes(b"")
    assert changed()
    (tmp_path / "data" / "geo" / "shape.geojson").rename(tmp_path / "data" / "shape.geojson")
    assert changed()  # the same bytes at another path


def test_installed_distributions_name_every_metadata_folder_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    listed = installed_distributions()
    assert listed.startswith(f"python {sys.version}\n")
    assert "\nrdflib-" in listed and "\npyoxigraph-" in listed
    (tmp_path / "somelib-1.2.3.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    now = installed_distributions().split("\n")
    assert "somelib-1.2.3.dist-info" in now and sorted(now[1:]) == now[1:]
    assert set(now) - set(listed.split("\n")) == {"somelib-1.2.3.dist-info"}
