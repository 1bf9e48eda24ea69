"""A release's files in memory, and how they are written into place.

:class:`ReleaseFiles` holds the bytes of every file of a release and what the
catalogue says of each. :class:`PreparedRelease` is a release built in memory
(:mod:`pickg.release.publish` builds it); :meth:`PreparedRelease.stage` writes it into a hidden
staging folder, flushed to disk, and :meth:`StagedRelease.commit` renames that folder
into place atomically (:class:`pickg.release.staging.StagedFolder`), returning the
:class:`Release` that was written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pickg.graph.errors import InputError
from pickg.graph.messages import format_number, translate
from pickg.graph.timing import Steps
from pickg.release.changes import Changes
from pickg.release.dcat import FileFacts
from pickg.release.docs import FILE_KINDS, FileKind
from pickg.release.staging import StagedFolder

__all__ = [
    "PAUSE_VARIABLE",
    "PreparedRelease",
    "Release",
    "ReleaseFile",
    "ReleaseFiles",
    "StagedRelease",
    "pause_after_setting",
    "sha256_hex",
]

#: Test hook: pause for an hour after writing this many files.
PAUSE_VARIABLE = "PICKG_PUBLISH_PAUSE_AFTER"


@dataclass(frozen=True)
class ReleaseFile:
    """A file of a release: its name, size in bytes and SHA-256 checksum."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Release:
    """A release that was written."""

    version: str
    path: Path
    issued: dt.date
    triples: int
    files: tuple[ReleaseFile, ...]
    changes: Changes
    replaced: bool
    #: the folder already held exactly these files, so it was left untouched (``--force``)
    unchanged: bool = False

    @property
    def size(self) -> int:
        """Total size of the release's files, in bytes."""
        return sum(f.size for f in self.files)

    def summary(self, lang: str = "en") -> str:
        """One line in ``lang`` (``fr`` or ``en``): version, date, triples, files, size, and the changes."""
        c = self.changes
        since = (
            translate(lang, "release.first")
            if c.previous is None
            else translate(lang, "release.since", previous=c.previous, added=c.triples_added, removed=c.triples_removed)
        )
        if self.unchanged:
            replaced = translate(lang, "release.unchanged")
        else:
            replaced = translate(lang, "release.replaced") if self.replaced else ""
        return translate(
            lang,
            "release.summary",
            version=self.version,
            issued=self.issued.isoformat(),
            triples=translate(lang, "release.triples", n=self.triples),
            files=translate(lang, "release.files", n=len(self.files)),
            size=format_number(self.size / 1e6, lang, decimals=1),
            since=since,
            replaced=replaced,
        )


def sha256_hex(data: bytes) -> str:
    """The SHA-256 checksum of ``data``, in hexadecimal (as ``sha256sum`` writes it)."""
    return hashlib.sha256(data).hexdigest()


class ReleaseFiles:
    """The files of a release, built in memory, in the order they are written."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.described: list[FileFacts] = []
        self._sums: dict[str, str] = {}

    def sha256(self, name: str) -> str:
        """The SHA-256 of the file ``name``, computed once (``SHA256SUMS``, the catalogue and
        the :class:`Release` all ask: hashing the 20 MB of the shipped data's release took 18 ms)."""
        found = self._sums.get(name)
        if found is None:
            found = self._sums[name] = sha256_hex(self.data[name])
        return found

    def add(self, name: str, text: str | bytes, kind: FileKind | None = None, **counts: int | None) -> None:
        """Add a file (text, or its UTF-8 bytes); ``kind`` (its :data:`FILE_KINDS` entry by
        default) makes the catalogue describe it."""
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        self.data[name] = data
        self._sums.pop(name, None)
        kind = kind or FILE_KINDS.get(name)
        if kind is not None:
            self.described.append(
                FileFacts(
                    name=name,
                    media_type=kind.media_type,
                    size=len(data),
                    sha256=self.sha256(name),
                    title=kind.title,
                    description=kind.description,
                    **counts,
                )
            )

    def catalogued(self) -> list[FileFacts]:
        return sorted(self.described, key=lambda f: f.name)


def pause_after_setting(environ: Mapping[str, str]) -> int | None:
    """The test hook's number of files (:data:`PAUSE_VARIABLE`), None when unset.

    :raises InputError: the value is not a number.
    """
    value = environ.get(PAUSE_VARIABLE, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InputError(f"{PAUSE_VARIABLE}={value!r} is not a number of files; unset it")
    return int(value)


def _write(folder: Path, files: ReleaseFiles, pause_after: int | None) -> None:
    for count, (name, data) in enumerate(files.data.items(), start=1):
        path = folder / name
        if "/" in name:  # a file of a folder of the release (the website)
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if count == pause_after:
            time.sleep(3600)  # the test hook: a test kills the process here


@dataclass
class PreparedRelease:
    """A release built in memory (:func:`prepare_release`), not yet written: :meth:`write` does."""

    version: str
    target: Path
    issued: dt.date
    triples: int
    changes: Changes
    files: ReleaseFiles
    replaced: bool
    force: bool
    pause_after: int | None

    def write(self, steps: Steps | None = None) -> Release:
        """Write the release into place, atomically (a staging folder renamed); what was written."""
        return self.stage(steps).commit(steps)

    def stage(self, steps: Steps | None = None) -> StagedRelease:
        """Write the files into a hidden staging folder of the output folder, flushed to disk.

        With ``force``, a release folder that already holds exactly these files
        (:func:`pickg.release.staging.holds_exactly`) is left as it is: nothing is
        written, and :meth:`StagedRelease.commit` neither renames nor deletes (on the
        shipped data this spares writing 2,700 files, their commit and deleting the old
        ones, about 1.4 s of ``make run``: ``bench/RESULTS.md``). Nothing shows until
        :meth:`StagedRelease.commit`; :meth:`StagedRelease.discard`, or the end of the
        process, removes the staging folder (see :class:`StagedFolder`).
        """
        steps = steps if steps is not None else Steps()
        with steps("publish: write"):
            staged = StagedFolder(self.target, self.files.data if self.force else None).__enter__()
            try:
                if not staged.unchanged:
                    _write(staged.path, self.files, self.pause_after)
                staged.flush()
            except BaseException:
                staged.__exit__(None, None, None)
                raise
        return StagedRelease(self, staged)


@dataclass
class StagedRelease:
    """A release written in its staging folder (:meth:`PreparedRelease.stage`), not yet in place."""

    prepared: PreparedRelease
    staged: StagedFolder

    def commit(self, steps: Steps | None = None) -> Release:
        """Rename the staging folder onto the release's folder, atomically; what was written."""
        steps = steps if steps is not None else Steps()
        prepared = self.prepared
        with steps("publish: commit"):
            try:
                self.staged.commit(replace=prepared.force)
            finally:
                self.staged.__exit__(None, None, None)
        written = tuple(
            ReleaseFile(name=name, size=len(data), sha256=prepared.files.sha256(name))
            for name, data in sorted(prepared.files.data.items())
        )
        return Release(
            version=prepared.version,
            path=prepared.target,
            issued=prepared.issued,
            triples=prepared.triples,
            files=written,
            changes=prepared.changes,
            replaced=prepared.replaced,
            unchanged=self.staged.unchanged,
        )

    def discard(self) -> None:
        """Remove the staging folder (and the output folder, if it was made for it)."""
        self.staged.__exit__(None, None, None)
