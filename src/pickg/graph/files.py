"""Writing a file completely or not at all.

:func:`write_atomically` writes a temporary file beside the target and renames it
onto the target (``os.replace``, atomic on POSIX within one file system): a reader
sees the old file or the new one, never half of one, and a failure leaves the old
file as it was. A whole folder is staged the same way by
:class:`pickg.release.staging.StagedFolder`.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(
    path: str | os.PathLike[str],
    content: bytes | Callable[[str], object],
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
    path = Path(path)
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
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _current_mode(path: Path) -> int:
    """The permissions of ``path``, else those ``open`` gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
