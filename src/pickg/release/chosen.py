"""Which release ``pickg serve`` and ``pickg push`` work on.

The one named (a release folder, or one of its dumps), else the latest release in the
releases folder (``dist/``), else one built there and then with :func:`pickg.release.publish.publish`
(which refuses data that does not conform).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pickg.graph.errors import NotFoundError
from pickg.release.versions import Version, list_releases

__all__ = ["ChosenRelease", "choose_release"]


@dataclass(frozen=True)
class ChosenRelease:
    """The release chosen, and how."""

    path: Path  #: a release folder, or a dump file when one was named
    version: str | None  #: ``X.Y.Z`` when the folder is named after one
    built: bool  #: True when it was published just now


def choose_release(release: Path | None, out_dir: Path, build: bool = True) -> ChosenRelease:
    """The release named, else the latest in ``out_dir``, else a new one built there.

    :param release: a release folder or a dump file (``pic.nt``/``pic.ttl``), or None.
    :param out_dir: the folder holding the releases (``dist``).
    :param build: publish a release when ``out_dir`` holds none.
    :raises NotFoundError: ``release`` does not exist, or there is no release and
        ``build`` is False.
    :raises NonConformingError: a release had to be built and the data does not conform.
    """
    if release is not None:
        if not release.exists():
            raise NotFoundError(f"{release}: no such release folder or file; check the path or run `pickg publish`")
        folder = release if release.is_dir() else release.parent
        version = folder.name if Version.from_name(folder.name) is not None else None
        return ChosenRelease(release, version, False)
    found = list_releases(out_dir)
    if found:
        latest, path = list(found.items())[-1]
        return ChosenRelease(path, str(latest), False)
    if not build:
        raise NotFoundError(
            f"there is no release in {out_dir}; build one with `pickg publish` or name one with --release"
        )
    from pickg.release.publish import publish

    built = publish(out_dir)
    return ChosenRelease(built.path, built.version, True)
