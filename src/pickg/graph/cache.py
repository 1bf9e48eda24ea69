"""A small content-addressed cache of what a slow library makes from an input given whole.

Some outputs are one library call on one input: the ontology's HTML page is pyLODE's
rendering of the ontology's text, a chart of the website is vl-convert's drawing of its
Vega-Lite specification (which holds the chart's figures). :func:`cached_text` keeps
such text under a key made from that whole input and the library's version, so a run
with the same input reads it back instead of computing it.

What pickg itself computes from the sources may be cached only under a key that also
describes pickg: :func:`package_digest` (every file of the installed package: code,
templates, static files, queries) and :func:`library_versions` (the libraries that
shape the output, and Python) or :func:`installed_distributions` (all of them). The
website's pages are cached so (:func:`pickg.site.build.build_site`), and the release's
compiled templates (:func:`pickg.release.templating.bytecode_cache`); the DCAT-AP verdict
is cached only when it conforms (:func:`pickg.release.dcatap.refuse_unless_dcat_ap`).
Two records are kept under a key of every file of the workspace
(:func:`workspace_digest`, taken before the sources are read) as well: the validation
report of ``pickg run`` (:mod:`pickg.validation.cachedreport`) and what a release in
place holds (:mod:`pickg.release.reuse`), which is checked against the release's
files, every one read and hashed, before the release is left as it is. Tables and
dumps are never cached.

The cache is optional and safe:

* it lives in ``PICKG_CACHE_DIR``, else ``build/cache/`` of the workspace (git-ignored,
  removed by ``make clean``); ``PICKG_CACHE_DIR=off`` turns it off;
* an entry is written to a temporary file and renamed into place (never half-written);
* an entry starts with the SHA-256 of its body: a damaged entry is ignored and
  rebuilt; a folder that cannot be written only means no caching.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from pickg.graph.files import write_atomically
from pickg.graph.workspace import Workspace

__all__ = [
    "CACHE_VARIABLE",
    "cache_dir",
    "cache_key",
    "cached_bytes",
    "cached_text",
    "installed_distributions",
    "library_versions",
    "package_digest",
    "read_entry",
    "workspace_digest",
    "write_entry",
]

#: Environment variable naming the cache folder (``off`` disables the cache).
CACHE_VARIABLE = "PICKG_CACHE_DIR"

_MAGIC = b"pickg-cache 1 sha256:"


def cache_dir(workspace: Workspace | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder in use, or None when caching is off."""
    environ = os.environ if environ is None else environ
    value = environ.get(CACHE_VARIABLE, "").strip()
    if value.lower() in {"off", "0", "no", "none"}:
        return None
    if value:
        return Path(value).expanduser()
    ws = workspace or Workspace.discover(environ)
    return ws.root / "build" / "cache"


def cache_key(*parts: str | bytes) -> str:
    """The SHA-256 of ``parts`` (each length-prefixed, so no two lists share a key)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


@functools.cache
def package_digest() -> str:
    """The SHA-256 of every file of the pickg package as installed (path and bytes), once a process.

    Code, templates, static files, queries, shapes: anything that can change what pickg
    makes. Compiled files (``__pycache__``) are left out, being made from the sources.
    About 5 ms for the package's few hundred files.
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or path.suffix == ".pyc" or not path.is_file():
            continue
        data = path.read_bytes()
        name = path.relative_to(root).as_posix().encode("utf-8")
        digest.update(f"{len(name)}:".encode() + name + f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def library_versions(*distributions: str) -> str:
    """Python's version and each distribution's (``rdflib 7.1.1``…), one a line; ``-`` when absent."""
    lines = [f"python {sys.version}"]
    for name in distributions:
        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "-"
        lines.append(f"{name} {found}")
    return "\n".join(lines)


def installed_distributions() -> str:
    """Python's version and every distribution installed on ``sys.path``, by its metadata
    folder's name (``rdflib-7.1.1.dist-info``), one a line.

    For a key that must change with any library, not only the few a computation names:
    listing the folders takes under a millisecond, where reading every distribution's
    metadata (:mod:`importlib.metadata`) took 100 ms on this project's 148.
    """
    names: set[str] = set()
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue  # a zip file or a missing folder: it holds no metadata folder
        names.update(name for name in listed if name.endswith((".dist-info", ".egg-info")))
    return "\n".join([f"python {sys.version}", *sorted(names)])


#: The files at a workspace's root that pickg reads besides its folders (the settings).
_ROOT_FILES = ("pyproject.toml", "pickg.toml")


def workspace_digest(workspace: Workspace) -> str:
    """The SHA-256 of every file a command may read from ``workspace`` (path and bytes).

    Every file under ``ontology/``, ``data/`` and ``queries/``, whatever its name (a
    file pickg does not read only makes the key change more often), and the settings
    files at the root, an absent one included as absent. About 4 ms on the shipped
    workspace's 110 files (1.4 MB).
    """
    digest = hashlib.sha256()
    root = workspace.root
    for folder in (workspace.ontology_dir, workspace.data_dir, workspace.queries_dir):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                _add_file(digest, path.relative_to(root).as_posix(), path.read_bytes())
    for name in _ROOT_FILES:
        path = root / name
        _add_file(digest, name, path.read_bytes() if path.is_file() else None)
    return digest.hexdigest()


def _add_file(digest: Any, name: str, data: bytes | None) -> None:
    raw = name.encode("utf-8")
    digest.update(f"{len(raw)}:".encode() + raw)
    digest.update(b"absent" if data is None else f"{len(data)}:".encode() + data)


def read_entry(folder: Path | None, kind: str, key: str, keep: int | None = None) -> bytes | None:
    """The body of the entry ``kind/key`` of ``folder``; None when absent, damaged or the cache is off.

    For a caller that decides itself whether to compute and keep (:func:`write_entry`),
    where :func:`cached_bytes` computes and keeps in one call.

    :param keep: as :func:`cached_bytes`'s: the entry found is marked as used last.
    """
    if folder is None:
        return None
    path = folder / kind / key
    found = _read(path)
    if found is not None and keep is not None:
        _touch(path)
    return found


def write_entry(folder: Path | None, kind: str, key: str, body: bytes, keep: int | None = None) -> None:
    """Keep ``body`` as the entry ``kind/key`` of ``folder`` (nothing when the cache is off).

    :param keep: as :func:`cached_bytes`'s: the most entries of ``kind`` kept, the ones used last.
    """
    if folder is None:
        return
    path = folder / kind / key
    _write(path, body)
    if keep is not None:
        _prune(path.parent, keep)


def _read(path: Path) -> bytes | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, newline, body = raw.partition(b"\n")
    if (
        not newline
        or not head.startswith(_MAGIC)
        or head[len(_MAGIC) :].decode("ascii", "replace") != hashlib.sha256(body).hexdigest()
    ):
        return None  # damaged or foreign: rebuilt by the caller
    return body


def _write(path: Path, body: bytes) -> None:
    data = _MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data, mode=0o600)  # private to the user, as it always was
    except OSError:
        return  # the cache is optional: an unwritable folder only means no caching


def cached_bytes(
    folder: Path | None, kind: str, key: str, compute: Callable[[], bytes], keep: int | None = None
) -> bytes:
    """The bytes cached under ``kind/key`` in ``folder``, else ``compute()`` (then cached).

    :param folder: the cache folder (:func:`cache_dir`), or None to always compute.
    :param kind: a subfolder naming what is cached (``"site"``).
    :param key: the :func:`cache_key` of everything the bytes depend on.
    :param keep: the most entries of ``kind`` kept, the ones used last (None: no limit); for
        large entries, such as a whole website, that every edit of the data replaces.
    """
    if folder is None:
        return compute()
    path = folder / kind / key
    found = _read(path)
    if found is not None:
        if keep is not None:
            _touch(path)
        return found
    body = compute()
    _write(path, body)
    if keep is not None:
        _prune(path.parent, keep)
    return body


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # the entry used last is kept longest
    except OSError:
        pass


def _prune(kind_folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` entries of ``kind_folder`` used last."""
    try:
        entries = [(entry.stat().st_mtime_ns, entry) for entry in kind_folder.iterdir() if entry.is_file()]
    except OSError:
        return
    for _, entry in sorted(entries, key=lambda pair: pair[0], reverse=True)[keep:]:
        try:
            entry.unlink()
        except OSError:
            pass  # another process removed it, or the folder is read-only: no harm


def cached_text(folder: Path | None, kind: str, key: str, compute: Callable[[], str]) -> str:
    """The text cached under ``kind/key`` in ``folder``, else ``compute()`` (then cached).

    :param folder: the cache folder (:func:`cache_dir`), or None to always compute.
    :param kind: a subfolder naming what is cached (``"ontology-html"``).
    :param key: the :func:`cache_key` of everything the text depends on.
    """
    if folder is None:
        return compute()
    path = folder / kind / key
    found = _read(path)
    if found is not None:
        try:
            return found.decode("utf-8")
        except UnicodeDecodeError:
            pass  # foreign: computed again
    text = compute()
    _write(path, text.encode("utf-8"))
    return text
