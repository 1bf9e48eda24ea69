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
    "files_argument",
    "format_option",
    "lang_option",
    "store_option",
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

store_option: Callable[[F], F] = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="PICKG_STORE",
    default=None,
    help="Oxigraph store folder to read from instead of the Turtle files (env PICKG_STORE).",
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
