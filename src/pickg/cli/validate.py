"""``pickg validate``: check the data against the shapes and the data checks."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import click
from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from pickg.cli.options import files_argument, format_option, lang_option, store_option
from pickg.rdfio import canonical_turtle
from pickg.report import Report, ValidationResult, term_text
from pickg.validate import ENGINES, INFERENCE_MODES, validate

__all__ = ["command", "render_text"]

_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}
_MARK = {"Violation": "✗", "Warning": "!", "Info": "i"}
_WORDS = {
    "fr": {
        "Violation": ("violation", "violations"),
        "Warning": ("avertissement", "avertissements"),
        "Info": ("info", "infos"),
        "conforms": "Conforme",
        "fails": "Non conforme",
        "strict": "refusé par --strict",
        "value": "valeur",
        "no_file": "(fichier non déterminé)",
        "summary": "{verdict} : {counts} ; {files} fichiers, {checks} vérifications, inférence {inference}.",
    },
    "en": {
        "Violation": ("violation", "violations"),
        "Warning": ("warning", "warnings"),
        "Info": ("info", "infos"),
        "conforms": "Conforms",
        "fails": "Does not conform",
        "strict": "rejected by --strict",
        "value": "value",
        "no_file": "(file not known)",
        "summary": "{verdict}: {counts}; {files} files, {checks} checks, inference {inference}.",
    },
}


def _count(lang: str, severity: str, n: int) -> str:
    singular, plural = _WORDS[lang][severity]  # type: ignore[misc]
    one = n <= 1 if lang == "fr" else n == 1  # « 0 violation », "0 violations"
    return f"{n} {singular if one else plural}"


def _indent(renderable: Text, width: int, console: Console) -> Padding | Text:
    """Indent by ``width``: wrapped lines keep the indent on a terminal; a pipe gets whole lines."""
    if console.is_terminal:
        return Padding(renderable, (0, 0, 0, width), expand=False)
    return Text(" " * width) + renderable


def _result_lines(result: ValidationResult, lang: str, console: Console) -> list[Padding | Text]:
    """The result's line (severity, shape, path, value) and its message, indented."""
    words = _WORDS[lang]
    line = Text()
    line.append(f"{_MARK.get(result.severity, '?')} {words[result.severity][0]}", style=_STYLE.get(result.severity))
    line.append(f"  {result.source_name}", style="bold")
    if result.path is not None:
        line.append(f"  {term_text(result.path)}")
    if result.value is not None:
        line.append(f"  {words['value']} {term_text(result.value)}", style="magenta")
    return [_indent(line, 4, console), _indent(Text(result.message(lang)), 6, console)]


def render_text(report: Report, console: Console, lang: str = "fr", strict: bool = False) -> None:
    """Print ``report`` grouped by file, then by focus node, then a one-line summary."""
    words = _WORDS[lang]
    for file, in_file in groupby(report.results, key=lambda r: r.file):
        console.print(Text(file or words["no_file"], style="bold underline"))
        for focus, about in groupby(in_file, key=lambda r: r.focus_node):
            results = list(about)
            head = Text(term_text(focus), style="bold")
            if results[0].focus_label:
                head.append(f" — {results[0].focus_label}", style="dim")
            console.print(_indent(head, 2, console))
            for result in results:
                for part in _result_lines(result, lang, console):
                    console.print(part)
        console.print()
    counts = ", ".join(
        _count(lang, severity, len(report.of_severity(severity))) for severity in ("Violation", "Warning")
    )
    failed = not report.conforms or (strict and bool(report.results))
    verdict = words["fails"] if failed else words["conforms"]
    if report.conforms and failed:
        verdict += f" ({words['strict']})"
    summary = str(words["summary"]).format(
        verdict=verdict, counts=counts, files=len(report.files), checks=len(report.checks), inference=report.inference
    )
    console.print(Text(summary, style="bold red" if failed else "bold green"))


@click.command("validate")
@files_argument
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
    default="auto",
    show_default=True,
    help="pyshacl, or fast: the shapes compiled to SPARQL and run in an Oxigraph store (same results, "
    "seconds for a million triples; results do not name files). auto: fast above 2 MiB of input.",
)
@store_option
@click.pass_context
def command(
    ctx: click.Context,
    files: tuple[Path, ...],
    inference: str,
    output_format: str,
    lang: str,
    strict: bool,
    engine: str,
    store: object,
) -> None:
    """Validate the data against the SHACL shapes and the data checks.

    By default the shipped data (data/); or the FILES given, read on top of the
    ontology and the vocabularies. Every problem names its file, resource, shape,
    property and value, with what to do (--lang fr|en). Text for people; JSON, or
    the standard SHACL report graph as Turtle, for machines.

    Exit 0 when the data conforms (warnings allowed unless --strict), 1 when it does
    not, 2 when a file cannot be read or an option is wrong.
    """
    report = validate(list(files) or None, inference=inference, lang=lang, engine=engine, store=store)
    if output_format == "json":
        click.echo(report.to_json())
    elif output_format == "turtle":
        click.echo(canonical_turtle(report.to_graph()), nl=False)
    else:
        console = Console(highlight=False)
        console.soft_wrap = not console.is_terminal  # a pipe or a file gets whole lines
        render_text(report, console, lang=lang, strict=strict)
    if not report.conforms or (strict and report.results):
        ctx.exit(1)
