"""``pickg validate``: check the data against the shapes and the data checks."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click
from rich.console import Console

from pickg.cli.options import (
    files_argument,
    format_option,
    input_format_option,
    lang_option,
    store_option,
    validation_timeout_option,
    verbose_option,
)
from pickg.cli.render import render_text
from pickg.graph.canonical import canonical_turtle
from pickg.validation.validate import ENGINES, INFERENCE_MODES, validate

__all__ = ["command", "render_text"]


@click.command("validate")
@files_argument
@input_format_option
@click.option(
    "--inference",
    type=click.Choice(INFERENCE_MODES),
    default="none",
    show_default=True,
    help="What to infer (on a copy) before validating: nothing, RDFS, or OWL 2 RL.",
)
@format_option("text", "json", "turtle")
@lang_option
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on violations.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="fast (the default): the shapes compiled to SPARQL and run in an Oxigraph store, under a "
    "second for the shipped data, seconds for a million triples. pyshacl: the reference, the same "
    "results, several times slower; the default for --inference owlrl, which it alone runs.",
)
@store_option
@validation_timeout_option
@verbose_option
@click.pass_context
def command(
    ctx: click.Context,
    files: tuple[Path, ...],
    inference: str,
    output_format: str,
    lang: str,
    strict: bool,
    engine: str | None,
    store: object,
    timeout: float,
    verbose: bool,
) -> None:
    """Validate the data against the SHACL shapes and the data checks.

    By default the shipped data (data/); or the FILES given, read on top of the
    ontology and the vocabularies (- reads data from standard input, in the
    --input-format, Turtle by default). Every problem names where its resource is
    described (file:line; the file alone for a resource without IRI or a file that is
    not Turtle, N-Triples or N-Quads), the resource, shape, property and value, with
    what to do (--lang fr|en). Text for people; JSON, or the standard SHACL report
    graph as Turtle, for machines.

    --timeout bounds each data check, each compiled shape and pySHACL's run of the
    shapes: the engine is stopped when one runs past it (30 s by default), and the
    error names it.

    Exit 0 when the data conforms (warnings allowed unless --strict), 1 when it does
    not, 2 when a file cannot be read or an option is wrong.
    """
    from pickg.queries.deadline import within

    run = partial(validate, list(files) or None, inference=inference, lang=lang, engine=engine, store=store)
    report = within(
        timeout, "the validation", run, steps=True, hint="raise --timeout, or validate fewer files at a time"
    )
    if output_format == "json":
        click.echo(report.to_json())
    elif output_format == "turtle":
        click.echo(canonical_turtle(report.to_graph()), nl=False)
    else:
        console = Console(highlight=False)
        console.soft_wrap = not console.is_terminal  # a pipe or a file gets whole lines
        render_text(report, console, lang=lang, strict=strict, verbose=verbose)
    if not report.conforms or (strict and report.results):
        ctx.exit(1)
