"""Write a folder completely or not at all: staging, atomic rename, and a guard.

:class:`StagedFolder` gives a hidden staging folder inside the output folder (so the
final rename never crosses file systems). Files are written there; :meth:`commit`
flushes them to disk and renames the staging folder onto its target in one step:

* a new target: ``renameat2(RENAME_NOREPLACE)`` (or ``rename`` where the system lacks
  it), so a folder that appeared meanwhile is never replaced;
* an existing target (``replace=True``): ``renameat2(RENAME_EXCHANGE)`` swaps the two
  folders atomically, then the old one is deleted; where the exchange is not
  available, the old folder is first moved aside, the new one renamed in, the old
  one deleted.

If the writing process stops before it commits, whatever the reason (an exception,
Ctrl-C, even SIGKILL), nothing it started remains: a small guard process, started
with the staging folder, waits for the writer's end of a pipe to close (the kernel
closes it when the writer dies) and then removes the staging folder, restores a
target that was moved aside, and removes an output folder it had to create. Only
the guard and the writer touch these names, and the writer holds an exclusive lock
on the output folder while it works.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import TracebackType

from pickg.graph.errors import InputError

__all__ = ["STAGING_PREFIX", "StagedFolder", "holds_exactly", "holds_sums", "remove_stale_staging"]

#: Staging and set-aside folders start with this (hidden, never taken for a release).
STAGING_PREFIX = ".pickg-"

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2

# Run by the guard process: ``python -c _GUARD staging target aside out made_out``.
_GUARD = """
import os, shutil, sys
staging, target, aside, out, made_out = sys.argv[1:6]
try:
    sys.stdin.buffer.read()
except BaseException:
    pass
if os.path.isdir(aside):
    if os.path.lexists(target):
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.rename(aside, target)
shutil.rmtree(staging, ignore_errors=True)
if made_out == "1":
    try:
        os.rmdir(out)
    except OSError:
        pass
"""


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """``renameat2(source, target, flags)``; False when the system does not offer it.

    Called through ctypes (the standard library has no ``renameat2``) for what it
    guarantees, not for speed: ``RENAME_EXCHANGE`` swaps the new release and the old in
    one step, so the target never goes missing, and ``RENAME_NOREPLACE`` never replaces
    a folder that appeared meanwhile, which ``os.rename`` would. Measured, medians of
    7 runs of 1,000 swaps of two folders in one process: 44 µs a swap, against 33 µs
    for the renames of the fallback; 11 µs more, once a release.

    :raises OSError: the rename itself failed (the target exists, …).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (AttributeError, OSError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    result = function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(target))


def _fsync_tree(folder: Path) -> None:
    """Flush every file under ``folder``, then the folders themselves, to disk.

    One ``syncfs`` of the folder's file system where Linux offers it (:func:`_syncfs`),
    else an ``fsync`` of each file and folder.
    """
    if _syncfs(folder):
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(folder)


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` (Linux ``syncfs``); False where unavailable.

    A release with its website is some 2,500 files: an ``fsync`` of each took 4.7 s on
    this project's machine, one ``syncfs`` 0.04 s (measured on the shipped data's
    release, see ``bench/RESULTS.md``). It flushes other files of that file system too,
    which costs them nothing but time, and guarantees as much for ours.
    """
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return False
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    fd = os.open(folder, os.O_RDONLY)
    try:
        status: int = function(fd)
        return status == 0
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(folder: Path) -> int:
    """An exclusive lock on ``folder``, held until the returned descriptor is closed.

    :raises InputError: another process holds it.
    """
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise InputError(
            f"another pickg process is publishing into {folder}; wait for it to finish and run the command again"
        ) from None
    return fd


def remove_stale_staging(folder: Path) -> list[Path]:
    """Remove staging folders left by a writer that died with its guard (power loss).

    Call it only while holding the lock on ``folder``: no other writer is then at
    work, so every staging folder is stale.

    :returns: the folders removed.
    """
    stale = sorted(p for p in folder.glob(STAGING_PREFIX + "*") if p.is_dir() and not p.is_symlink())
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def holds_exactly(folder: Path, files: Mapping[str, bytes]) -> bool:
    """Whether ``folder`` holds exactly ``files`` (relative path → bytes), nothing more.

    The same set of paths, each a regular file with those bytes; a symbolic link, a
    special file, a folder no file needs or a file missing or extra means False. The
    bytes are compared whole (reading 2,700 small files takes a fraction of writing
    them). Used to leave a release in place when a rebuild gives the same files.
    """

    def same(name: str, path: str) -> bool:
        expected = files[name]
        return _read_at_most(path, len(expected) + 1) == expected

    return _holds(folder, files, same)


def holds_sums(folder: Path, sums: Mapping[str, tuple[int, str]]) -> bool:
    """Whether ``folder`` holds exactly the files of ``sums`` (relative path → size and
    SHA-256 in hexadecimal), nothing more: :func:`holds_exactly` for a release known by
    its checksums alone. Each file is read whole and hashed (on the shipped data's
    release, 42 MB in 3,331 files: 50 ms of CPU, of which 24 ms reading them).
    """

    def same(name: str, path: str) -> bool:
        size, sha256 = sums[name]
        data = _read_at_most(path, size + 1)
        return len(data) == size and hashlib.sha256(data).hexdigest() == sha256

    return _holds(folder, sums, same)


def _read_at_most(path: str, limit: int) -> bytes:
    """The first ``limit`` bytes of the file ``path`` (all of it when shorter).

    Read with :func:`os.read` rather than a file object: for a release's 3,331 files,
    24 ms of CPU against 40 ms (the buffered reader made for each file is most of it).
    """
    fd = os.open(path, os.O_RDONLY)
    try:
        chunks: list[bytes] = []
        got = 0
        while got < limit:
            chunk = os.read(fd, limit - got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _holds(folder: Path, names: Collection[str], same: Callable[[str, str], bool]) -> bool:
    """Whether ``folder`` holds exactly the files ``names``, each of which ``same(name, path)``."""
    folders = {""}
    for name in names:
        parts = name.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    seen = 0
    pending = [("", folder)]
    while pending:
        prefix, path = pending.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            return False
        for entry in entries:
            name = prefix + entry.name
            if entry.is_symlink():
                return False
            if entry.is_dir(follow_symlinks=False):
                if name not in folders:
                    return False
                pending.append((name + "/", Path(entry.path)))
            elif entry.is_file(follow_symlinks=False):
                if name not in names:
                    return False
                try:
                    if not same(name, entry.path):
                        return False
                except OSError:
                    return False
                seen += 1
            else:
                return False  # a fifo, socket or device: not a file a release writes
    return seen == len(names)


class StagedFolder:
    """A folder written in a hidden staging place and renamed onto ``target`` at the end.

    Use as a context manager; leaving the block without :meth:`commit` discards
    everything written::

        with StagedFolder(out / "1.0.0") as staged:
            (staged.path / "a.txt").write_text("…")
            staged.commit(replace=False)
    """

    def __init__(self, target: Path, keep_if_same: Mapping[str, bytes] | None = None) -> None:
        """:param keep_if_same: the files to write; when ``target`` already holds exactly
        these (:func:`holds_exactly`, checked under the lock), nothing is staged and
        :meth:`commit` leaves the target untouched (:attr:`unchanged`)."""
        self.target = Path(target)
        self._keep_if_same = keep_if_same
        self.unchanged = False
        self.out_dir = self.target.parent
        self._path: Path | None = None
        self._aside: Path | None = None
        self._made_out = False
        self._guard: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None
        self._flushed = False
        self.committed = False

    def __enter__(self) -> StagedFolder:
        try:
            self.out_dir.mkdir(parents=True)
            self._made_out = True
        except FileExistsError:
            if not self.out_dir.is_dir():
                raise InputError(f"{self.out_dir} is a file, not a folder; choose another --out") from None
        try:
            self._lock_fd = _lock(self.out_dir)
        except InputError:
            self._remove_made_out()
            raise
        if (
            self._keep_if_same is not None
            and self.target.is_dir()
            and not self.target.is_symlink()
            and holds_exactly(self.target, self._keep_if_same)
        ):
            self.unchanged = True  # nothing to stage: the lock is held until __exit__
            return self
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    @classmethod
    def kept(cls, target: Path, sums: Mapping[str, tuple[int, str]]) -> StagedFolder | None:
        """``target`` entered and :attr:`unchanged` when it already holds exactly the files
        of ``sums`` (:func:`holds_sums`, checked under the lock, which is then held until
        :meth:`commit` or ``__exit__``); else None, and nothing is locked or made.

        :raises InputError: another process holds the lock on the output folder.
        """
        folder = cls(target)
        if not folder.out_dir.is_dir():
            return None
        folder._lock_fd = _lock(folder.out_dir)
        if folder.target.is_dir() and not folder.target.is_symlink() and holds_sums(folder.target, sums):
            folder.unchanged = True
            return folder
        folder.__exit__(None, None, None)
        return None

    def _start(self) -> None:
        """Create the staging folder and start its guard (the lock is held)."""
        remove_stale_staging(self.out_dir)
        name = self.target.name
        self._path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{name}.staging-", dir=self.out_dir))
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(self._path, 0o777 & ~umask)  # mkdtemp makes it private; a release is not
        self._aside = self._path.with_name(self._path.name.replace(".staging-", ".replaced-"))
        self._guard = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-c",
                _GUARD,
                str(self.path),
                str(self.target),
                str(self._aside),
                str(self.out_dir),
                "1" if self._made_out else "0",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def path(self) -> Path:
        """The staging folder to write into (inside the ``with`` block)."""
        if self._path is None:
            raise RuntimeError("the staging folder exists only inside the with block")
        return self._path

    def flush(self) -> None:
        """Flush what was written to disk now, so that :meth:`commit` only renames.

        Call it after the last write: :meth:`commit` then does not flush again.
        """
        if self.unchanged:
            return
        _fsync_tree(self.path)
        self._flushed = True

    def commit(self, *, replace: bool) -> None:
        """Flush the staging folder (unless :meth:`flush` did) and rename it onto the target, atomically.

        :param replace: allow replacing an existing target (atomically, then the old
            content is deleted).
        :raises InputError: the target exists and ``replace`` is False.
        """
        if self.unchanged:
            if not replace:
                raise InputError(f"{self.target} already exists; give --force to replace it")
            self.committed = True  # the target already holds these files: left as it is
            return
        if not self._flushed:
            _fsync_tree(self.path)
        if self.target.exists() or self.target.is_symlink():
            if not replace:
                raise InputError(f"{self.target} already exists; give --force to replace it")
            if not self.target.is_dir() or self.target.is_symlink():
                raise InputError(f"{self.target} is not a folder; move it away before publishing")
            if _renameat2(self.path, self.target, _RENAME_EXCHANGE):
                # The staging name now holds the old release.
                self.committed = True
                shutil.rmtree(self.path, ignore_errors=True)
            else:
                assert self._aside is not None
                os.rename(self.target, self._aside)
                os.rename(self.path, self.target)
                self.committed = True
                shutil.rmtree(self._aside, ignore_errors=True)
        else:
            try:
                if not _renameat2(self.path, self.target, _RENAME_NOREPLACE):
                    os.rename(self.path, self.target)
            except FileExistsError:
                raise InputError(
                    f"{self.target} appeared while the release was being written; "
                    "check what created it and run the command again"
                ) from None
            self.committed = True
        _fsync_dir(self.out_dir)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            if self._path is not None:
                shutil.rmtree(self._path, ignore_errors=True)
            self._remove_made_out()
        if self._guard is not None:
            # Closing the pipe lets the guard finish: it finds nothing left to undo.
            if self._guard.stdin is not None:
                self._guard.stdin.close()
            try:
                self._guard.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover -- a stuck guard is only a stray process
                self._guard.kill()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def _remove_made_out(self) -> None:
        """Remove the output folder if this writer created it and it is still empty."""
        if self._made_out:
            with contextlib.suppress(OSError):
                self.out_dir.rmdir()
