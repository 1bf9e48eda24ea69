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
from typing import Any, TypeVar

import click

__all__ = [
    "LANGS",
    "endpoint_option",
    "files_argument",
    "format_option",
    "lang_option",
    "release_option",
    "releases_dir_option",
    "store_option",
    "timeout_option",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Languages of labels and messages.
LANGS = ("fr", "en")

lang_option: Callable[[F], F] = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="fr",
    show_default=True,
    envvar="PICKG_LANG",
    help="Language of labels (env PICKG_LANG).",
)


def _store_spec(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Check ``--store`` early, so a bad value is a usage error (exit 2)."""
    from pickg.graph.errors import InputError
    from pickg.graph.store import parse_store_spec

    try:
        return parse_store_spec(value)
    except InputError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


store_option: Callable[[F], F] = click.option(
    "--store",
    "store",
    metavar="auto|memory|oxigraph[:FOLDER]",
    envvar="PICKG_STORE",
    default="auto",
    show_default=True,
    callback=_store_spec,
    help=(
        "Where the graph is held: rdflib in memory, Oxigraph in memory, or an Oxigraph store "
        "in FOLDER (reused while the input files are unchanged). auto picks Oxigraph for "
        "inputs over 2 MiB (env PICKG_STORE)."
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

timeout_option: Callable[[F], F] = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Seconds to wait for the endpoint to answer (for a local query: before the engine is stopped).",
)

release_option: Callable[[F], F] = click.option(
    "--release",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A release folder (or its pic.nt) [default: the latest in dist/, built if there is none].",
)


def releases_dir_option(
    help_text: str = "Folder holding the releases, where the latest is taken from.",
) -> Callable[[F], F]:
    """``--out``: the folder of versioned releases (``dist/``); the value arrives as ``out_dir``."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("dist"),
        show_default=True,
        help=help_text,
    )


files_argument: Callable[[F], F] = click.argument(
    "files",
    nargs=-1,
    type=click.Path(dir_okay=False, path_type=Path),
)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """``--format/-f``: the output format, one of ``choices`` (the first by default).

    The value reaches the command as ``output_format``.
    """
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )
