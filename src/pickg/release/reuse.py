"""A release already in place, recognised without building it again.

``make run`` replaces the release it published last (``--force``), most often from
sources that did not change. Building the release only to find the folder already
holds those bytes (:func:`pickg.release.staging.holds_exactly`) still reads the sources,
asks the store, renders the website and writes the dumps: 0.7 s of CPU on the shipped
data. Instead, once a release is in place, :func:`record_release` keeps what it holds
in the cache (:mod:`pickg.graph.cache`, kind ``release``), as JSON, under a key
(:func:`release_key`) of everything the release is made from:

* every file of the workspace that pickg may read (``ontology/``, ``data/``,
  ``queries/``, the settings files; :func:`pickg.graph.cache.workspace_digest`), and
  the workspace's folder;
* every file of the pickg package (:func:`pickg.graph.cache.package_digest`), Python's
  version and every installed distribution's
  (:func:`pickg.graph.cache.installed_distributions`);
* the output folder, the version asked for, the settings handed over, every ``PICKG_``
  environment variable, and what the folders added by higher rooms are made with.

The record holds the release's version, date, triples and changes, each file's size
and SHA-256, and the earlier release the changes were computed from (its folder and
the checksums of its ``pic.nt`` and ``SHA256SUMS``, the two files the changes read).
A later run with the same key (:func:`reuse_release`) leaves the release as it is only
when, under the output folder's lock, the folder holds exactly those files (every
file read and hashed, none more or less: :func:`pickg.release.staging.holds_sums`) and
the earlier release is the same; one changed byte, a stray file, another earlier
release, or any changed input, code or library, and the release is built as before.

On the shipped data the check reads and hashes the release's 42 MB: about 0.1 s of
CPU in place of the build's 0.7 s (``bench/RESULTS.md``, note of 2026-12-07, night).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pickg.graph.timing import Steps
from pickg.graph.workspace import Workspace
from pickg.release.changes import Changes
from pickg.release.files import Release, ReleaseFile
from pickg.release.settings import PublishSettings
from pickg.release.staging import StagedFolder
from pickg.release.versions import Version, previous_release

__all__ = [
    "RECORDS_KEPT",
    "RECORD_KIND",
    "ReleaseReuse",
    "ReusedRelease",
    "record_release",
    "release_key",
    "reuse_release",
]

#: The cache's subfolder holding the records.
RECORD_KIND = "release"

#: Records kept (600 KB each on the shipped data, the changes of a first release most
#: of it): the ones used last, so that editing the data again and again does not fill the disk.
RECORDS_KEPT = 4

_SCHEMA = "release record 1"

#: The files of the earlier release that the changes are computed from.
_EARLIER_FILES = ("pic.nt", "SHA256SUMS")


def release_key(
    workspace: Workspace,
    sources: str,
    out_dir: Path,
    version: str | None,
    settings: object,
    environ: Mapping[str, str],
    additions: str,
) -> str:
    """The key of the release built from these arguments of :func:`pickg.release.publish.publish`.

    :param sources: the :func:`~pickg.graph.cache.workspace_digest` of ``workspace``,
        taken before the sources were read.
    :param settings: the settings handed to ``publish`` (None: read from the workspace
        and ``environ``, both in the key); their ``repr`` is keyed.
    :param additions: what the folders added by higher rooms are made with, besides the
        sources, pickg's files and the libraries (the website's builder says).
    """
    from pickg.graph.cache import cache_key, installed_distributions, package_digest

    variables = "\n".join(f"{name}={value}" for name, value in sorted(environ.items()) if name.startswith("PICKG_"))
    return cache_key(
        _SCHEMA,
        package_digest(),
        installed_distributions(),
        str(workspace.root),
        sources,
        str(out_dir.resolve()),
        version or "-",
        repr(settings),
        variables,
        additions,
    )


def _earlier(out_dir: Path, version: str) -> list[str] | None:
    """The earlier release's folder name and the SHA-256 of the files the changes read."""
    earlier = previous_release(out_dir, Version.parse(version))
    if earlier is None:
        return None
    found = [earlier[1].name]
    for name in _EARLIER_FILES:
        try:
            found.append(hashlib.sha256((earlier[1] / name).read_bytes()).hexdigest())
        except OSError:
            found.append("absent")
    return found


def record_release(cache: Path | None, key: str, release: Release, out_dir: Path) -> None:
    """Keep in ``cache`` what ``release``, just put in place by a build, holds, under ``key``."""
    from pickg.graph.cache import write_entry

    record = {
        "schema": _SCHEMA,
        "version": release.version,
        "issued": release.issued.isoformat(),
        "triples": release.triples,
        "changes": release.changes.as_dict(),
        "files": {f.name: [f.size, f.sha256] for f in release.files},
        "earlier": _earlier(out_dir, release.version),
    }
    body = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_entry(cache, RECORD_KIND, key, body, keep=RECORDS_KEPT)


@dataclass
class ReusedRelease:
    """A release found in place (:func:`reuse_release`), its output folder locked."""

    release: Release
    folder: StagedFolder
    force: bool

    def commit(self, steps: Steps | None = None) -> Release:
        """Leave the release as it is and unlock the output folder; the release."""
        try:
            self.folder.commit(replace=self.force)
        finally:
            self.folder.__exit__(None, None, None)
        return self.release

    def discard(self) -> None:
        """Unlock the output folder."""
        self.folder.__exit__(None, None, None)


def _read_record(found: bytes, out_dir: Path) -> tuple[Release, dict[str, tuple[int, str]], Any] | None:
    """The release a record describes, its files' sizes and checksums, and its earlier release."""
    try:
        record = json.loads(found)
        if record["schema"] != _SCHEMA:
            return None
        sums = {str(name): (int(size), str(sha256)) for name, (size, sha256) in record["files"].items()}
        version = str(record["version"])
        Version.parse(version)
        release = Release(
            version=version,
            path=out_dir / version,
            issued=dt.date.fromisoformat(record["issued"]),
            triples=int(record["triples"]),
            files=tuple(ReleaseFile(name, size, sha256) for name, (size, sha256) in sorted(sums.items())),
            changes=Changes.from_dict(record["changes"]),
            replaced=True,
            unchanged=True,
        )
    except (LookupError, TypeError, ValueError, AttributeError):  # InputError is a ValueError
        return None  # damaged or foreign: the release is built
    return release, sums, record.get("earlier")


def reuse_release(cache: Path | None, key: str, out_dir: Path, force: bool) -> ReusedRelease | None:
    """The release recorded under ``key``, when it is in place as recorded; else None.

    Only with ``force`` (without it, an existing release is an error, which the build
    reports). The output folder stays locked until :meth:`ReusedRelease.commit` or
    :meth:`ReusedRelease.discard`.

    :raises InputError: another process is publishing into ``out_dir``.
    """
    from pickg.graph.cache import read_entry

    found = read_entry(cache, RECORD_KIND, key, keep=RECORDS_KEPT) if force else None
    read = _read_record(found, out_dir) if found is not None else None
    if read is None:
        return None
    release, sums, earlier = read
    folder = StagedFolder.kept(release.path, sums)
    if folder is None:
        return None
    if _earlier(out_dir, release.version) != earlier:
        folder.__exit__(None, None, None)
        return None
    return ReusedRelease(release, folder, force)


@dataclass(frozen=True)
class ReleaseReuse:
    """Where and under which key :func:`pickg.release.publish.publish` looks for its release in place."""

    cache: Path
    key: str
    out: Path
    workspace: Workspace
    sources: str  #: the workspace's digest the key was made with

    @classmethod
    def of(
        cls,
        ws: Workspace,
        out: Path,
        version: str | None,
        force: bool,
        settings: PublishSettings | None,
        env: Mapping[str, str],
        additions: object,
        sources: str | None,
    ) -> ReleaseReuse | None:
        """The arguments of ``publish``; None when nothing can be reused.

        :param sources: the :func:`~pickg.graph.cache.workspace_digest` taken before the
            sources were read (into the store handed to ``publish``); None: nothing is
            reused. Without ``force`` (an existing release is then an error), with the
            cache off, or with additions (an :data:`~pickg.release.publish.AdditionBuilder`)
            that do not say, as their ``release_key``, what they are made with besides the
            sources, pickg and the libraries, nothing is reused either.
        """
        from pickg.graph.cache import cache_dir

        described = "no additions" if additions is None else getattr(additions, "release_key", None)
        cache = cache_dir(ws, env)
        if not force or cache is None or sources is None or not isinstance(described, str):
            return None
        return cls(cache, release_key(ws, sources, out, version, settings, env, described), out, ws, sources)

    def find(self, steps: Steps) -> ReusedRelease | None:
        """The release in place, if it is the one recorded under the key (:func:`reuse_release`)."""
        with steps("publish: the release in place"):
            return reuse_release(self.cache, self.key, self.out, force=True)

    def record(self, release: Release) -> None:
        """Record ``release``, just built and in place, unless a source changed since the key was made."""
        from pickg.graph.cache import workspace_digest

        if workspace_digest(self.workspace) == self.sources:
            record_release(self.cache, self.key, release, self.out)
