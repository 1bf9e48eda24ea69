"""A release in place recognised from a record of the cache (``pickg.release.reuse``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pickg.graph import cache as cache_module
from pickg.graph.cache import read_entry, write_entry
from pickg.graph.errors import InputError
from pickg.graph.workspace import Workspace
from pickg.release import publish as publish_module
from pickg.release.changes import Changes, ClassCount, Resource, ResourceChange, Statement
from pickg.release.files import Release, ReleaseFile
from pickg.release.publish import publish
from pickg.release.reuse import RECORD_KIND, ReleaseReuse, record_release, release_key, reuse_release
from pickg.release.settings import PublishSettings
from tests.support.runs import publish_env, snapshot

VERSION = "1.0.0"
FILES = {"pic.nt": b"<urn:a> <urn:b> <urn:c> .\n", "SHA256SUMS": b"sums\n", "site/index.html": b"<p>site</p>"}


def _changes(previous: str | None = None) -> Changes:
    thing = Resource("ex:a", "A thing", ("ex:Thing",))
    said = Statement(Resource("rdfs:label", "label"), Resource('"A thing"', "A thing"))
    return Changes(
        version=VERSION,
        previous=previous,
        triples_before=0,
        triples_after=1,
        triples_added=1,
        triples_removed=0,
        resources_added=(thing,),
        resources_removed=(),
        resources_changed=(ResourceChange(thing, (said,), ()),),
        classes=(ClassCount(Resource("ex:Thing", "Thing"), 0, 1),),
    )


def _release(out: Path, files: dict[str, bytes] = FILES, previous: str | None = None) -> Release:
    """A release folder of ``files`` in ``out``, and what a build of it would have returned."""
    target = out / VERSION
    for name, data in files.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes(data)
    listed = tuple(
        ReleaseFile(name, len(data), hashlib.sha256(data).hexdigest()) for name, data in sorted(files.items())
    )
    return Release(VERSION, target, dt.date(2026, 11, 22), 1, listed, _changes(previous), replaced=False)


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, Path, Release]:
    """A release in ``out``, recorded in ``cache`` under the key ``"k"``."""
    out, cache = tmp_path / "dist", tmp_path / "cache"
    built = _release(out)
    record_release(cache, "k", built, out)
    return out, cache, built


def _reused(cache: Path, out: Path, key: str = "k") -> Release | None:
    found = reuse_release(cache, key, out, force=True)
    return None if found is None else found.commit()


def test_a_recorded_release_in_place_is_left_as_it_is_and_described_as_built(
    recorded: tuple[Path, Path, Release],
) -> None:
    out, cache, built = recorded
    stamps = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    reused = _reused(cache, out)
    assert reused == replace(built, replaced=True, unchanged=True)
    assert reused.changes == built.changes  # every resource, statement and class read back
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == stamps
    assert reuse_release(cache, "another key", out, force=True) is None
    assert reuse_release(cache, "k", out, force=False) is None  # without --force an existing release is an error


@pytest.mark.parametrize("damage", ["byte", "same size", "missing", "stray file", "stray folder", "link"])
def test_a_changed_missing_or_stray_file_means_no_reuse(recorded: tuple[Path, Path, Release], damage: str) -> None:
    out, cache, _ = recorded
    target = out / VERSION
    page = target / "site" / "index.html"
    if damage == "byte":
        page.write_bytes(page.read_bytes() + b" ")
    elif damage == "same size":
        page.write_bytes(page.read_bytes().replace(b"site", b"SITE"))
    elif damage == "missing":
        page.unlink()
    elif damage == "stray file":
        (target / "site" / "stray.txt").write_text("not part of the release", encoding="utf-8")
    elif damage == "stray folder":
        (target / "site" / "empty").mkdir()
    else:
        page.unlink()
        page.symlink_to(out.parent / "elsewhere.html")
        (out.parent / "elsewhere.html").write_bytes(FILES["site/index.html"])
    assert _reused(cache, out) is None


def test_a_damaged_or_foreign_record_means_no_reuse(recorded: tuple[Path, Path, Release]) -> None:
    out, cache, _ = recorded
    entry = cache / RECORD_KIND / "k"
    raw = entry.read_bytes()
    entry.write_bytes(raw[:-3] + b"xyz")  # the checksum no longer matches the body
    assert _reused(cache, out) is None
    for body in (b"not json", b"[]", b'{"schema": "release record 0"}', b'{"schema": "release record 1"}'):
        write_entry(cache, RECORD_KIND, "k", body)
        assert _reused(cache, out) is None
    assert read_entry(cache, RECORD_KIND, "k") is not None  # the checksum holds: the body is what is refused


def test_another_earlier_release_means_no_reuse(tmp_path: Path) -> None:
    """The changes are computed from the highest earlier release's pic.nt (checked against its SHA256SUMS)."""
    out, cache = tmp_path / "dist", tmp_path / "cache"
    earlier = out / "0.9.0"
    earlier.mkdir(parents=True)
    (earlier / "pic.nt").write_bytes(b"<urn:a> <urn:b> <urn:d> .\n")
    (earlier / "SHA256SUMS").write_bytes(b"earlier sums\n")
    record_release(cache, "k", _release(out, previous="0.9.0"), out)
    assert _reused(cache, out) is not None
    (earlier / "pic.nt").write_bytes(b"<urn:a> <urn:b> <urn:e> .\n")
    assert _reused(cache, out) is None
    (earlier / "pic.nt").write_bytes(b"<urn:a> <urn:b> <urn:d> .\n")
    assert _reused(cache, out) is not None
    shutil.copytree(earlier, out / "0.9.5")  # the same files, but another release to compare with
    assert _reused(cache, out) is None
    shutil.rmtree(out / "0.9.5")
    shutil.rmtree(earlier)  # no earlier release at all
    assert _reused(cache, out) is None


def test_the_output_folder_stays_locked_until_the_reused_release_is_committed(
    recorded: tuple[Path, Path, Release],
) -> None:
    out, cache, _ = recorded
    found = reuse_release(cache, "k", out, force=True)
    assert found is not None
    with pytest.raises(InputError, match="another pickg process"):
        reuse_release(cache, "k", out, force=True)
    found.discard()
    again = reuse_release(cache, "k", out, force=True)  # free again
    assert again is not None
    again.discard()


# --- the key ------------------------------------------------------------------------------


def _key(ws: Workspace, **changed: Any) -> str:
    arguments: dict[str, Any] = {
        "sources": "digest",
        "out_dir": Path("dist"),
        "version": None,
        "settings": None,
        "environ": {"HOME": "/home/x"},
        "additions": "site",
    }
    arguments.update(changed)
    return release_key(ws, **arguments)


def test_the_key_changes_with_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = Workspace(tmp_path)
    base = _key(ws)
    assert _key(ws) == base
    assert _key(ws, environ={"HOME": "/home/y"}) == base  # not a PICKG_ variable
    others = [
        _key(ws, sources="another digest"),
        _key(ws, out_dir=Path("elsewhere")),
        _key(ws, version="2.0.0"),
        _key(ws, settings=PublishSettings(publisher="Someone")),
        _key(ws, environ={"HOME": "/home/x", "PICKG_PUBLISH_PUBLISHER": "Someone"}),
        _key(ws, additions="site without charts"),
        _key(Workspace(tmp_path / "other")),
    ]
    monkeypatch.setattr(cache_module, "package_digest", lambda: "pickg changed")
    others.append(_key(ws))
    monkeypatch.undo()
    monkeypatch.setattr(cache_module, "installed_distributions", lambda: "rdflib-9.9.9.dist-info")
    others.append(_key(ws))
    assert len({base, *others}) == len(others) + 1


def test_nothing_is_reused_without_force_cache_digest_or_described_additions(tmp_path: Path) -> None:
    ws, out = Workspace(tmp_path), tmp_path / "dist"
    env = {"PICKG_CACHE_DIR": str(tmp_path / "cache")}

    def additions(store: Any, version: str, steps: Any) -> list[Any]:
        return []

    assert ReleaseReuse.of(ws, out, None, True, None, env, None, "digest") is not None
    assert ReleaseReuse.of(ws, out, None, False, None, env, None, "digest") is None
    assert ReleaseReuse.of(ws, out, None, True, None, {"PICKG_CACHE_DIR": "off"}, None, "digest") is None
    assert ReleaseReuse.of(ws, out, None, True, None, env, None, None) is None
    assert ReleaseReuse.of(ws, out, None, True, None, env, additions, "digest") is None  # says not what it uses


# --- publish --------------------------------------------------------------------------------


@pytest.mark.system
def test_publish_leaves_its_recorded_release_in_place_and_builds_on_any_change(
    small_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pickg.site.build import release_additions

    home = tmp_path / "home"
    shutil.copytree(small_home, home)
    ws, out = Workspace(home), tmp_path / "dist"
    environ = publish_env(ws, PICKG_CACHE_DIR=str(tmp_path / "cache"))
    drafts: list[int] = []
    draft = publish_module.draft_release

    def counted(*args: Any, **kwargs: Any) -> Any:
        drafts.append(1)
        return draft(*args, **kwargs)

    monkeypatch.setattr(publish_module, "draft_release", counted)

    def run(env: dict[str, str] = environ) -> Release:
        return publish(out, force=True, workspace=ws, environ=env, additions=release_additions(ws, environ=env))

    first = run()
    assert len(drafts) == 1 and not first.unchanged
    before = snapshot(out)
    again = run()
    assert len(drafts) == 1  # recognised: not built
    # A build with the cache off finds the same files in place and describes them alike.
    fresh = run({**environ, "PICKG_CACHE_DIR": "off"})
    assert len(drafts) == 2
    assert again == fresh and again.unchanged and again.replaced
    assert snapshot(out) == before
    # One byte of the release changed: built again, and the built bytes are back.
    dump = first.path / "pic.ttl"
    dump.write_bytes(dump.read_bytes() + b"\n")
    assert run() == replace(fresh, unchanged=False)
    assert len(drafts) == 3 and snapshot(out) == before
    assert run().unchanged and len(drafts) == 3
    # One byte of a source changed (a comment: the graph, and so the release, are the same): built.
    source = sorted((home / "data").glob("*.ttl"))[0]
    source.write_bytes(source.read_bytes() + b"# a note\n")
    assert run() == fresh and len(drafts) == 4
    assert run() == fresh and len(drafts) == 4
