"""Options and arguments shared by the commands, defined once.

Use them as decorators::

    @click.command("stats")
    @files_argument
    @lang_option
    @format_option("table", "json")
    def command(files, lang, output_format): ...
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from pickg.graph.storespec import StoreSpec
from pickg.graph.messages import LANGUAGES, locale_lang

__all__ = [
    "LANGS",
    "FORMAT_ALIASES",
    "INPUT_FORMATS",
    "endpoint_option",
    "expand_files",
    "files_argument",
    "force_option",
    "format_option",
    "input_format_option",
    "lang_option",
    "out_dir_option",
    "locale_lang",
    "query_source_options",
    "release_option",
    "releases_dir_option",
    "store_option",
    "timeout_option",
    "validation_timeout_option",
    "verbose_option",
    "version_option",
]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

#: Languages of labels and messages: those with a message catalogue.
LANGS = LANGUAGES

lang_option: Callable[[F], F] = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default=locale_lang,
    show_default="the locale's: fr when LC_ALL, LC_MESSAGES or LANG is French, else en",
    envvar="PICKG_LANG",
    help="Language of labels and messages (env PICKG_LANG).",
)

verbose_option: Callable[[F], F] = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print every validation result under its resource, instead of one line per finding "
    "(shape and message) with the list of the resources it concerns.",
)


def _checked(convert: Callable[[Any], T]) -> Callable[[click.Context, click.Parameter, Any], T]:
    """A callback that converts a value with ``convert`` while click parses, so that a bad
    value (an :class:`~pickg.graph.errors.InputError`) is a usage error (exit 2)."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> T:
        from pickg.graph.errors import InputError

        try:
            return convert(value)
        except InputError as error:
            raise click.BadParameter(str(error), ctx=ctx, param=param) from None

    return callback


def _store_spec(value: str | None) -> StoreSpec:
    from pickg.graph.store import parse_store_spec  # not on ``pickg --help``'s path

    return parse_store_spec(value)


store_option: Callable[[F], F] = click.option(
    "--store",
    "store",
    metavar="auto|oxigraph[:FOLDER]|rdflib",
    envvar="PICKG_STORE",
    default="auto",
    show_default=True,
    callback=_checked(_store_spec),
    help=(
        "Where the graph is held and which engine answers: Oxigraph in memory (auto, the "
        "default, and oxigraph), an Oxigraph store in FOLDER (reused while the input files are "
        "unchanged), or rdflib's graph in memory (rdflib, also called memory; env PICKG_STORE)."
    ),
)

endpoint_option: Callable[[F], F] = click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help=(
        "SPARQL 1.1 query endpoint to work with, e.g. http://127.0.0.1:7878/query. "
        "Credentials come from PICKG_ENDPOINT_USER and PICKG_ENDPOINT_PASSWORD, or PICKG_ENDPOINT_TOKEN."
    ),
)


def _timeout(help: str) -> Callable[[F], F]:
    """``--timeout SECONDS``, 30 by default (or ``PICKG_TIMEOUT``): the one deadline every
    command documents alike."""
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=30.0,
        envvar="PICKG_TIMEOUT",
        show_default=True,
        metavar="SECONDS",
        help=help,
    )


timeout_option = _timeout(
    "Seconds to wait for the endpoint to answer (for a local query: before the engine is stopped)."
)

#: ``--timeout`` of ``pickg validate``: the deadline of a local query, given to each query
#: the validation runs.
validation_timeout_option = _timeout(
    "Seconds each data check, each shape and pySHACL's run may take before the engine is stopped."
)

release_option: Callable[[F], F] = click.option(
    "--release",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A release folder (or its pic.nt) [default: the latest in dist/, built if there is none].",
)


def out_dir_option(help_text: str, default: Path | None = None) -> Callable[[F], F]:
    """``--out``: a folder to write into; required when there is no ``default``. The
    value arrives as ``out_dir``."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        required=default is None,
        show_default=default is not None,
        help=help_text,
    )


def releases_dir_option(
    help_text: str = "Folder holding the releases, where the latest is taken from.",
) -> Callable[[F], F]:
    """``--out``: the folder of versioned releases (``dist/``); the value arrives as ``out_dir``."""
    return out_dir_option(help_text, Path("dist"))


def version_option(help_text: str) -> Callable[[F], F]:
    """``--version X.Y.Z``: the release to build or show, None when not given."""
    return click.option("--version", "version", metavar="X.Y.Z", default=None, help=help_text)


def force_option(help_text: str = "Replace an existing release of that version (atomically).") -> Callable[[F], F]:
    """``--force``: write over what is already there."""
    return click.option("--force", is_flag=True, help=help_text)


def expand_files(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Each folder among ``paths`` replaced by the RDF files under it (by suffix, sorted),
    as ``pickg synth`` writes them; files are kept as given, in order, and so is ``-``
    (standard input, read in the ``--input-format``).

    :raises InputError: a folder holds no RDF file, or ``-`` is given twice.
    """
    from pickg.graph.errors import InputError
    from pickg.graph.formats import FORMATS

    out: list[Path] = []
    if sum(1 for path in paths if str(path) == "-") > 1:
        raise InputError("- (standard input) is given twice; standard input can be read only once, give it once")
    for path in paths:
        if str(path) == "-" or not path.is_dir():
            out.append(path)
            continue
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORMATS)
        if not found:
            known = ", ".join(sorted(FORMATS))
            raise InputError(f"{path} is a folder with no RDF file in it ({known}); name files or another folder")
        out.extend(found)
    return tuple(out)


#: Data files, or folders of them (read as the RDF files under them), or ``-`` for
#: standard input.
files_argument: Callable[[F], F] = click.argument(
    "files",
    nargs=-1,
    type=click.Path(path_type=Path, allow_dash=True),
    callback=_checked(expand_files),
)

#: The formats standard input can be read in: the names of
#: :data:`pickg.graph.formats.STDIN_FORMATS` (a test keeps the two equal; written out here
#: so that ``pickg --help`` does not load the RDF parsers).
INPUT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "n3", "rdfxml", "jsonld")


def _input_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from pickg.graph.inputs import use_standard_input

    use_standard_input(value)  # also forgets what an earlier command in this process read
    return value


input_format_option: Callable[[F], F] = click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS, case_sensitive=False),
    default="turtle",
    show_default=True,
    is_eager=True,
    expose_value=False,
    callback=_input_format,
    help="Format of the data read from standard input, given as - among the FILES "
    "(files go by their suffix); at most --max-input-size of it is read.",
)

#: Other names accepted for an output format.
FORMAT_ALIASES = {"markdown": "md"}


def query_source_options(f: F) -> F:
    """Where a query runs, for ``query run`` and ``sparql``: ``--input-format``,
    ``--endpoint``, ``--timeout`` and ``--store``, in that order in the help."""
    for option in (store_option, timeout_option, endpoint_option, input_format_option):
        f = option(f)
    return f


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """``--format/-f``: the output format, one of ``choices`` (the first by default).

    The value reaches the command as ``output_format``; an alias of one of the choices
    (:data:`FORMAT_ALIASES`: ``markdown`` for ``md``) is accepted and arrives as the choice.
    """
    aliases = [alias for alias, name in FORMAT_ALIASES.items() if name in choices]
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice((*choices, *aliases), case_sensitive=False),
        default=default or choices[0],
        show_default=True,
        callback=lambda ctx, param, value: FORMAT_ALIASES.get(value.lower(), value.lower()),
        help="Output format.",
    )
