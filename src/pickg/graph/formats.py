"""The one table of RDF formats: which format a file is in, by its suffix or its name.

:data:`FORMATS` is built from :class:`pyoxigraph.RdfFormat` (suffix, media type): every
reader of a file (:mod:`pickg.graph.rdfio`) and every writer or server that names a
format or a media type takes it from here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph

from pickg.graph.errors import InputError
from pickg.graph.inputs import is_stdin, stdin_format

__all__ = ["FORMATS", "STDIN_FORMATS", "format_named", "formats_of", "guess_format", "media_types"]

# pickg's name of each format pyoxigraph reads and writes (``--input-format``), and rdflib's.
_NAMES: dict[pyoxigraph.RdfFormat, tuple[str, str]] = {
    pyoxigraph.RdfFormat.TURTLE: ("turtle", "turtle"),
    pyoxigraph.RdfFormat.N_TRIPLES: ("ntriples", "nt"),
    pyoxigraph.RdfFormat.N_QUADS: ("nquads", "nquads"),
    pyoxigraph.RdfFormat.TRIG: ("trig", "trig"),
    pyoxigraph.RdfFormat.N3: ("n3", "n3"),
    pyoxigraph.RdfFormat.RDF_XML: ("rdfxml", "xml"),
    pyoxigraph.RdfFormat.JSON_LD: ("jsonld", "json-ld"),
}
# Suffixes besides the one pyoxigraph gives a format (``RdfFormat.file_extension``).
_MORE_SUFFIXES = {".owl": pyoxigraph.RdfFormat.RDF_XML}

#: The one table of RDF formats: file suffix → (rdflib parser name, pyoxigraph format),
#: built from :class:`pyoxigraph.RdfFormat` (suffix, media type); every reader of a file
#: and every writer that names a format or a media type takes it from here.
FORMATS: dict[str, tuple[str, pyoxigraph.RdfFormat]] = {
    **{f".{oxi.file_extension}": (rdflib, oxi) for oxi, (_, rdflib) in _NAMES.items()},
    **{suffix: (_NAMES[oxi][1], oxi) for suffix, oxi in _MORE_SUFFIXES.items()},
}

#: Names of the formats standard input can be read in (``--input-format``) → the suffix
#: in :data:`FORMATS` that stands for the same format.
STDIN_FORMATS: dict[str, str] = {name: f".{oxi.file_extension}" for oxi, (name, _) in _NAMES.items()}


def format_named(name: str) -> tuple[str, pyoxigraph.RdfFormat]:
    """The (rdflib name, pyoxigraph format) called ``name``: pickg's name (``ntriples``)
    or rdflib's (``nt``), in any case.

    :raises KeyError: no format has that name.
    """
    wanted = name.lower()
    for oxi, names in _NAMES.items():
        if wanted in names:
            return names[1], oxi
    raise KeyError(name)


def media_types() -> dict[str, str]:
    """Media type (``text/turtle``) → rdflib parser name, for every format of :data:`FORMATS`."""
    return {oxi.media_type: rdflib for oxi, (_, rdflib) in _NAMES.items()}


def formats_of(path: str | os.PathLike[str]) -> tuple[str, pyoxigraph.RdfFormat]:
    """The rdflib parser name and the pyoxigraph format for ``path``, from its suffix
    (for ``-``, standard input: the format chosen for it, one of :data:`STDIN_FORMATS`).

    :raises InputError: the suffix is not one of :data:`FORMATS`.
    """
    if is_stdin(path):
        name = stdin_format()
        if name not in STDIN_FORMATS:
            raise InputError(f"{name!r} is not an input format; use one of {', '.join(STDIN_FORMATS)}")
        return FORMATS[STDIN_FORMATS[name]]
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: cannot tell the RDF format from the suffix {suffix or '(none)'!r}; "
            f"rename the file to one of {known}"
        )
    return FORMATS[suffix]


def guess_format(path: str | os.PathLike[str]) -> str:
    """The rdflib parser name for ``path``, from its suffix.

    :raises InputError: the suffix is not one of :data:`FORMATS`.
    """
    return formats_of(path)[0]
