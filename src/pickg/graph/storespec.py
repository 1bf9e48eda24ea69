"""Which store to open: the ``--store`` specification and what ``auto`` looks at.

A specification is ``rdflib`` (or its older name ``memory``: rdflib's graph in memory),
``oxigraph`` (in memory), ``oxigraph:PATH`` (on disk) or ``auto``, the default, which
is Oxigraph in memory at every size: one engine answers every query, check and
statistic unless rdflib is asked for by name.
An on-disk store remembers the :func:`input_fingerprint` of the files it was loaded from,
so a later run over the same files can reuse it. Paths and text only: opening the
store is :func:`pickg.graph.store.open_store`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pickg.graph.errors import InputError
from pickg.graph.inputs import is_stdin, standard_input

__all__ = [
    "AUTO_THRESHOLD_BYTES",
    "STORE_ALIASES",
    "STORE_KINDS",
    "StoreSpec",
    "input_fingerprint",
    "input_size",
    "parse_store_spec",
]

#: Input size (bytes of RDF files) above which the ``auto`` validation engine compiles
#: the shapes to SPARQL instead of running pySHACL. The curated data is well below it;
#: a synthetic graph of ~25k triples or more is above it.
AUTO_THRESHOLD_BYTES = 2 * 1024 * 1024

#: The store kinds a specification may name.
STORE_KINDS = ("auto", "memory", "oxigraph")

#: Other names of store kinds: ``rdflib`` is the rdflib graph (kind ``memory``).
STORE_ALIASES = {"rdflib": "memory"}


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value: its kind and, for an on-disk Oxigraph store, its folder."""

    kind: str
    path: Path | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.path}" if self.path is not None else self.kind


def parse_store_spec(text: str | None) -> StoreSpec:
    """Read a store specification: ``auto``, ``rdflib`` (``memory``), ``oxigraph`` or ``oxigraph:PATH``.

    :raises InputError: any other value.
    """
    value = (text or "auto").strip()
    kind, sep, rest = value.partition(":")
    kind = STORE_ALIASES.get(kind.lower(), kind.lower())
    if kind == "oxigraph" and sep:
        if not rest.strip():
            raise InputError("--store oxigraph: needs a folder after the colon, as in oxigraph:build/store")
        return StoreSpec("oxigraph", Path(rest.strip()).expanduser())
    if kind in STORE_KINDS and not sep:
        return StoreSpec(kind)
    raise InputError(
        f"--store {value!r} is not a store; use oxigraph, oxigraph:FOLDER (an on-disk store), rdflib or auto"
    )


def input_size(paths: Iterable[str | os.PathLike[str]]) -> int:
    """The total size in bytes of the files that exist among ``paths``."""
    total = 0
    for path in paths:
        if is_stdin(path):
            total += len(standard_input())
            continue
        try:
            total += Path(path).stat().st_size
        except OSError:
            continue
    return total


def input_fingerprint(paths: Sequence[Path]) -> str:
    """A digest of the files' resolved paths, sizes and modification times, in order."""
    digest = hashlib.sha256()
    for path in paths:
        if is_stdin(path):  # standard input: what it held
            digest.update(b"-\0" + hashlib.sha256(standard_input()).digest() + b"\n")
            continue
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
