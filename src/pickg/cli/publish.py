"""``pickg publish``: build a versioned open-data release under dist/."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import force_option, lang_option, releases_dir_option, version_option
from pickg.release.publish import publish
from pickg.release.settings import load_settings, with_base_url

__all__ = ["command"]


@click.command("publish")
@releases_dir_option("Folder holding the releases; the release goes to OUT/VERSION/.")
@version_option("Version of the release [default: the data version, owl:versionInfo of ontology/pic.ttl].")
@force_option()
@click.option(
    "--base-url",
    "base_url",
    metavar="URL",
    default=None,
    help="Where the releases are served: files are at URL/VERSION/FILE in catalog.ttl "
    "[default: the download_url setting, else the release IRIs, https://w3id.org/pickg/release/].",
)
@click.option("--site/--no-site", default=True, show_default=True, help="Build the website into OUT/VERSION/site/.")
@lang_option
def command(out_dir: Path, version: str | None, force: bool, base_url: str | None, site: bool, lang: str) -> None:
    """Build a versioned open-data release in OUT/VERSION/.

    Writes the whole graph as Turtle, N-Triples, JSON-LD and TriG (one named graph
    per source file), the ontology, vocabularies and shapes on their own, the
    ontology's HTML documentation, CSV tables from queries/extracts/, the changes
    since the previous release in OUT, a README data dictionary, a DCAT + VoID
    catalogue (checked against the DCAT-AP 3 shapes), CSV on the Web metadata for
    the tables, the website of the graph (site/, French and English) and SHA256SUMS.
    The same data always gives the same bytes.

    Nothing is written when the data does not conform to the shapes (exit 1) or when
    the release exists and --force is not given (exit 2); the release appears all at
    once or not at all. Publisher, contact and addresses come from [publish] in
    pickg.toml, [tool.pickg.publish] in pyproject.toml or PICKG_PUBLISH_* variables.
    Prints the release's folder and a one-line summary. With --force, a release
    folder that already holds exactly the files built is left untouched, and the
    summary says it is unchanged.
    """
    settings = with_base_url(load_settings(), base_url) if base_url is not None else None
    additions = None
    if site:
        from pickg.site.build import release_additions

        additions = release_additions()
    release = publish(out_dir, version, force=force, settings=settings, additions=additions)
    click.echo(str(release.path))
    click.echo(release.summary(lang))
