"""Writing files completely or not at all: the one atomic writer.

:func:`write_atomically` writes a temporary file beside the target and renames it
onto the target (``os.replace``, atomic on POSIX within one file system): a reader
sees the old file or the new one, never half of one, and a failure leaves the old
file as it was. :func:`write_all_atomically` does the same for several files: all are
staged first, then renamed one after the other. A whole folder is staged the same way
by :class:`pickg.release.staging.StagedFolder`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

__all__ = ["write_all_atomically", "write_atomically"]

#: What to write: the bytes, or a function that writes the temporary file whose path it is given.
Content = bytes | Callable[[str], object]


def write_atomically(
    path: str | os.PathLike[str],
    content: Content,
    *,
    mode: int | None = None,
    durable: bool = False,
) -> None:
    """Write ``path`` through a temporary file in its folder, renamed onto it at the end.

    :param content: the bytes to write, or a function that writes the temporary file
        whose path it is given (a serialiser that writes to a path).
    :param mode: the new file's permissions; by default those of the file it replaces,
        else what ``open`` would create (``0o666`` less the umask).
    :param durable: flush the file to disk before the rename, so that the new content,
        not an empty file, is there after a power loss.
    :raises OSError: the folder cannot be written; the temporary file is removed and
        ``path`` is left as it was.
    """
    write_all_atomically({Path(path): content}, mode=mode, durable=durable)


def write_all_atomically(contents: Mapping[Path, Content], *, mode: int | None = None, durable: bool = False) -> None:
    """Write every file of ``contents``, or none: each is written to a temporary file
    beside its target first, then all are renamed over their targets one after the
    other (a rename cannot fail half-way).

    :param contents: target → what to write (as :func:`write_atomically`'s ``content``).
    :param mode: as :func:`write_atomically`, for every file.
    :param durable: as :func:`write_atomically`.
    :raises OSError: a file cannot be written; every temporary file is removed and the
        targets are left as they were.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in contents.items():
            staged.append((_stage(Path(path), content, mode, durable), Path(path)))
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise


def _stage(path: Path, content: Content, mode: int | None, durable: bool) -> str:
    """The temporary file beside ``path`` holding ``content``, with its permissions."""
    if mode is None:
        mode = _current_mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
            if durable:
                fd = os.open(tmp, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _current_mode(path: Path) -> int:
    """The permissions of ``path``, else those ``open`` gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
