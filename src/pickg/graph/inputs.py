"""What pickg accepts as input, checked where it enters, before any parser or engine.

* :func:`check_input_file`: only a regular file (a symbolic link to one is fine) is
  read; a FIFO, a device, a socket or a folder given as a data file is refused at once,
  before anything opens it (opening a FIFO waits for a writer, reading ``/dev/zero``
  never ends). A file larger than the size limit is refused too.
* :func:`max_input_bytes` and :func:`set_max_input_bytes`: the size limit on one input
  file, :data:`DEFAULT_MAX_INPUT_BYTES` unless raised (``pickg --max-input-size`` or the
  ``PICKG_MAX_INPUT_SIZE`` environment variable), read by :func:`parse_size`.
* :func:`check_xml_entities`: an RDF/XML file is first read by the standard library's
  expat parser, whose own protection against entity expansion ("billion laughs",
  expat 2.4 and later: an amplification factor of 100 past 8 MiB of expansion) refuses
  a document that would blow up, before rdflib or Oxigraph expand it.
* :func:`standard_input`: ``-`` among the data files is standard input, read once and
  at most up to the size limit (one byte more tells it is over), in the format chosen
  by :func:`use_standard_input` (Turtle unless told).
* :data:`MAX_TERM_BYTES` and :func:`terms_within_bounds`: the longest literal or IRI
  Oxigraph's parsers read (a fixed buffer), refused in a sentence naming the file.
* :func:`check_iri`: the IRI rules Oxigraph applies (RFC 3987), for an IRI that comes
  from a user (a query parameter) rather than from a parser.

Every refusal is an :class:`~pickg.graph.errors.InputError` (exit 2) or a
:class:`~pickg.graph.errors.ParseError` naming the file (and line) or the parameter.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

import pyoxigraph

from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.workspace import Workspace

__all__ = [
    "input_base",
    "input_bytes",
    "input_label",
    "input_name",
    "read_text",
    "DEFAULT_MAX_INPUT_BYTES",
    "DEFAULT_STDIN_FORMAT",
    "ENV_MAX_INPUT_SIZE",
    "MAX_TERM_BYTES",
    "STDIN",
    "STDIN_NAME",
    "XML_SUFFIXES",
    "check_input_file",
    "check_iri",
    "check_xml_entities",
    "describe_size",
    "iri_error",
    "is_stdin",
    "max_input_bytes",
    "parse_size",
    "set_max_input_bytes",
    "standard_input",
    "stdin_format",
    "term_too_long",
    "terms_within_bounds",
    "use_standard_input",
]

#: The largest input file read unless the limit is raised: 16 GiB, comfortably above
#: the ~1.5 GiB of N-Triples (~2 GiB of Turtle) that ten million triples of the
#: project's model take.
DEFAULT_MAX_INPUT_BYTES = 16 * 1024**3

#: The environment variable that sets the size limit (same syntax as the option).
ENV_MAX_INPUT_SIZE = "PICKG_MAX_INPUT_SIZE"

#: Suffixes of the RDF/XML files checked by :func:`check_xml_entities`.
XML_SUFFIXES = (".rdf", ".owl", ".xml")

_limit: int | None = None

_UNITS = {"": 1, "B": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size such as ``500M``, ``16G``, ``2GiB`` or ``1048576`` (bytes), in bytes.

    :raises InputError: anything else, or zero.
    """
    match = _SIZE.fullmatch(text)
    if match is None or float(match.group(1)) <= 0:
        raise InputError(
            f"{text!r} is not a size; give a positive number of bytes, optionally followed by K, M, G or T "
            "(powers of 1024), as in 500M or 32G"
        )
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def describe_size(size: int) -> str:
    """``size`` bytes for people: ``16 GiB``, ``3.2 MiB``, ``512 bytes``."""
    for unit, factor in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def max_input_bytes() -> int:
    """The size limit on one input file: set by :func:`set_max_input_bytes`, else the
    ``PICKG_MAX_INPUT_SIZE`` environment variable, else :data:`DEFAULT_MAX_INPUT_BYTES`.

    :raises InputError: the environment variable is not a size.
    """
    if _limit is not None:
        return _limit
    env = os.environ.get(ENV_MAX_INPUT_SIZE)
    return parse_size(env) if env else DEFAULT_MAX_INPUT_BYTES


def set_max_input_bytes(limit: int | None) -> None:
    """Set the size limit on one input file (None: back to the environment or the default)."""
    global _limit
    if limit is not None and limit <= 0:
        raise InputError(f"the input size limit must be positive, not {limit}")
    _limit = limit


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_input_file(path: str | os.PathLike[str], limit: int | None = None, kind: str = "an RDF file") -> int:
    """Check that ``path`` can be read as an input file, without opening it.

    :param limit: the largest size accepted, in bytes; :func:`max_input_bytes` if None.
    :param kind: what the file should be, as messages say it ("a query file").
    :returns: the file's size in bytes.
    :raises NotFoundError: nothing is there (or a symbolic link points nowhere).
    :raises InputError: a folder, FIFO, device or socket, or a file over the limit.

    ``-`` is standard input: it is read (:func:`standard_input`), and its size returned.
    """
    if is_stdin(path):
        return len(standard_input(limit))
    path = Path(path)
    try:
        info = path.stat()  # follows symbolic links: a link to /dev/zero is a device
    except FileNotFoundError:
        if path.is_symlink():
            raise NotFoundError(f"{path} is a symbolic link to nothing; check the path") from None
        raise NotFoundError(f"{path}: no such file; check the path") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied); fix its permissions") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc}); check the path") from None
    if not stat.S_ISREG(info.st_mode):
        linked = f" (a symbolic link to {os.path.realpath(path)})" if path.is_symlink() else ""
        what = _kind(info.st_mode)
        hint = "name the files inside it" if what == "a folder" else "give a regular file"
        raise InputError(f"{path}{linked} is {what}, not {kind}; {hint}")
    biggest = max_input_bytes() if limit is None else limit
    if info.st_size > biggest:
        raise InputError(
            f"{path} is {describe_size(info.st_size)}, more than the input size limit of {describe_size(biggest)}; "
            f"raise it with pickg --max-input-size (or {ENV_MAX_INPUT_SIZE}) if the file is what you meant to read"
        )
    return info.st_size


class _ExternalEntity(Exception):
    """An entity declared with a SYSTEM or PUBLIC identifier: (its name, the identifier)."""


def _refuse_external_entity(
    name: str,
    is_parameter: int,
    value: str | None,
    base: str | None,
    system_id: str | None,
    public_id: str | None,
    notation: str | None,
) -> None:
    """expat's handler of entity declarations: an external one stops the reading at once
    (no parser pickg uses fetches it, but the message a parser gives is about quotes)."""
    if system_id is not None or public_id is not None:
        raise _ExternalEntity(name, system_id or public_id)


def check_xml_entities(path: Path, data: bytes | None = None) -> None:
    """Read an RDF/XML document with expat, which refuses runaway entity expansion; an
    entity declared external (``<!ENTITY x SYSTEM "file:///etc/passwd">``) is refused.

    :param data: the file's bytes when already read; else the file is read in chunks.
    :raises ParseError: expat refused the document (its line and column); other XML
        errors are left to the RDF parser, which reports them in its own words.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.EntityDeclHandler = _refuse_external_entity
    try:
        if data is not None:
            parser.Parse(data, True)
            return
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _ExternalEntity as exc:
        name, where = exc.args
        raise ParseError(
            path,
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
            f"it declares the external entity '{name}' ({where}): external entities are not read",
            hint="write the entity's text in the file itself, or remove its declaration from the DTD",
        ) from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        if "amplification" in reason or "entity" in reason:
            raise ParseError(
                path,
                exc.lineno,
                exc.offset + 1,
                f"the XML parser refused the document: {reason}",
                hint="the file declares entities that expand without bound; remove the DTD's entity declarations",
            ) from None


def iri_error(iri: str) -> str | None:
    """Why ``iri`` is not a valid absolute IRI by Oxigraph's rules, or None if it is."""
    try:
        pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        return str(exc)
    return None


def check_iri(iri: str, what: str) -> str:
    """``iri`` if it is a valid absolute IRI.

    :param what: names where it comes from, as in ``parameter 'report'``.
    :raises InputError: naming ``what``, the value and the reason.
    """
    reason = iri_error(iri)
    if reason is not None:
        shown = repr(iri) if len(iri) <= 80 else repr(iri[:77] + "…")
        raise InputError(
            f"{what}: {shown} is not a valid IRI ({reason}); give an absolute IRI such as https://example.org/x"
        )
    return iri


# --- standard input ------------------------------------------------------------------------

#: The name that stands for standard input among data files, as in ``cat x.ttl | pickg stats -``.
STDIN = "-"

#: How standard input is named in messages and reports.
STDIN_NAME = "<stdin>"

#: The format standard input is read in unless another is chosen (``--input-format``).
DEFAULT_STDIN_FORMAT = "turtle"


class _StandardInput:
    """Standard input as data: its format, and its bytes once read (it can be read only once)."""

    def __init__(self) -> None:
        self.stream: BinaryIO | None = None
        self.format = DEFAULT_STDIN_FORMAT
        self.data: bytes | None = None


_stdin = _StandardInput()


def is_stdin(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` stands for standard input (``-``)."""
    return os.fspath(path) == STDIN


def use_standard_input(format: str = DEFAULT_STDIN_FORMAT, stream: BinaryIO | None = None) -> None:
    """Say how ``-`` among the data files is read: in ``format`` (a name of
    :data:`pickg.graph.formats.STDIN_FORMATS`), from ``stream`` (``sys.stdin``'s bytes if
    None). What was read from an earlier stream is forgotten."""
    _stdin.stream = stream
    _stdin.format = format
    _stdin.data = None


def stdin_format() -> str:
    """The format ``-`` is read in (:func:`use_standard_input`)."""
    return _stdin.format


def standard_input(limit: int | None = None) -> bytes:
    """The bytes of standard input, read once (later calls give the same bytes).

    At most ``limit`` + 1 bytes are read, so a stream that never ends (``pickg stats - <
    /dev/zero``) is refused as soon as it passes the limit.

    :param limit: the largest size accepted, in bytes; :func:`max_input_bytes` if None.
    :raises InputError: standard input is larger than the limit, or cannot be read.
    """
    if _stdin.data is not None:
        return _stdin.data
    biggest = max_input_bytes() if limit is None else limit
    stream = _stdin.stream if _stdin.stream is not None else sys.stdin.buffer
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= biggest:
            chunk = stream.read(min(1 << 20, biggest + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"{STDIN_NAME} cannot be read ({exc.strerror or exc}); pipe the data in again") from None
    if size > biggest:
        raise InputError(
            f"{STDIN_NAME} holds more than the input size limit of {describe_size(biggest)}; "
            f"raise it with pickg --max-input-size (or {ENV_MAX_INPUT_SIZE}) if that is what you meant to read"
        )
    _stdin.data = b"".join(chunks)
    return _stdin.data


#: The longest term (a literal or an IRI) Oxigraph's parsers read: their buffer has a
#: fixed size, which its Python binding does not let a program raise. A longer term is
#: refused with :func:`term_too_long`, by every reader and on every store.
MAX_TERM_BYTES = 16 * 1024**2


def term_too_long(path: Path) -> ParseError:
    """The error for a file holding a term longer than :data:`MAX_TERM_BYTES`."""
    return ParseError(
        path,
        None,
        None,
        f"it holds a literal or an IRI longer than {describe_size(MAX_TERM_BYTES)}, the longest term pickg reads",
        hint="keep so long a text outside the graph, in a document the graph links to by its URL",
    )


@contextmanager
def terms_within_bounds(path: Path) -> Iterator[None]:
    """Turn Oxigraph's refusal of an over-long term (a ``MemoryError`` naming its buffer,
    raised before it allocates more) into :func:`term_too_long`'s error about ``path``."""
    try:
        yield
    except MemoryError as exc:
        if "buffer maximal size" not in str(exc):
            raise
        raise term_too_long(path) from None


# --- naming and reading one input --------------------------------------------------------


def input_name(path: str | os.PathLike[str]) -> Path:
    """How an input is named in messages: the path, or ``<stdin>`` for ``-``."""
    return Path(STDIN_NAME) if is_stdin(path) else Path(path)


def input_label(path: str | os.PathLike[str], workspace: Workspace | None = None) -> str:
    """How an input is named in reports: its path relative to the workspace, or ``<stdin>``."""
    if is_stdin(path):
        return STDIN_NAME
    return (workspace or Workspace.discover()).relative(Path(path))


def input_base(path: str | os.PathLike[str]) -> str:
    """The base IRI of an input's relative IRIs: the file's ``file:`` IRI; for standard
    input, the current folder's."""
    return Path.cwd().as_uri() + "/" if is_stdin(path) else Path(path).resolve().as_uri()


def input_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an input: a regular file within the size limit, or standard input
    for ``-`` (:func:`~pickg.graph.inputs.check_input_file`).

    :raises PickgError: the file is missing, unreadable, special or too large.
    """
    check_input_file(path)
    if is_stdin(path):
        return standard_input()
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not an RDF file; name a file") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied); fix its permissions") from None


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8; every failure becomes a :class:`PickgError`.

    Only a regular file within the input size limit is opened
    (:func:`~pickg.graph.inputs.check_input_file`); ``-`` is standard input, and
    messages name it ``<stdin>``.
    """
    data = input_bytes(path)
    path = input_name(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            path,
            line,
            col,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            hint="save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ParseError(path, 1, 1, "file is empty", hint="add triples to it or delete it")
    return text
