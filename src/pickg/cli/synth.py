"""``pickg synth``: write synthetic data in the project's model, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import lang_option, out_dir_option
from pickg.graph.messages import translate
from pickg.synth.generator import FORMATS, TRIPLES_PER_NEIGHBOURHOOD, synthesize

__all__ = ["command"]


@click.command("synth")
@click.option(
    "--neighbourhoods",
    "-n",
    type=click.IntRange(min=1),
    required=True,
    help=f"How many neighbourhoods; about {TRIPLES_PER_NEIGHBOURHOOD} triples each.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same bytes.")
@out_dir_option("Folder to write to (created when missing).")
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="nt",
    show_default=True,
    help="N-Triples or Turtle.",
)
@lang_option
def command(neighbourhoods: int, seed: int, out_dir: Path, output_format: str, lang: str) -> None:
    """Write a synthetic graph of N neighbourhoods in the PIC model.

    A programme with two phases, funders with grants and roles, territories, and for
    each neighbourhood its roundtable, participations with a support tier, 1-6
    initiatives per phase with French desired-change texts, themes and links to the
    conditions of systems change, and funding within the budget; every resource has
    sources and a confidence. IRIs are under the data namespace with a synth- slug.

    About 187 triples per neighbourhood: -n 54 gives ~10k triples, -n 5350 ~1M,
    -n 53500 ~10M. Prints the file written and its number of triples.
    """
    result = synthesize(neighbourhoods, out_dir, seed=seed, format=output_format)
    click.echo(
        translate(
            lang,
            "cli.synthesized",
            path=str(result.path),
            triples=translate(lang, "cli.triples", n=result.triples),
            neighbourhoods=translate(lang, "cli.neighbourhoods", n=result.neighbourhoods),
            seed=str(result.seed),
        )
    )
