"""``pickg site``: build the website of the graph into a folder."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import force_option, lang_option, out_dir_option, version_option
from pickg.graph.messages import format_number, translate

__all__ = ["command"]


@click.command("site")
@out_dir_option("Folder to write the site into (created).", Path("dist/site"))
@version_option("Release shown on the pages [default: the data version].")
@force_option("Write into a folder that is not empty.")
@click.option("--no-charts", is_flag=True, help="Leave the charts out (a faster build).")
@lang_option
def command(out_dir: Path, version: str | None, force: bool, no_charts: bool, lang: str) -> None:
    """Build the website of the graph, in French and English, into OUT.

    One page per resource at the path of its IRI (OUT/id/neighbourhood/verdun/index.html,
    index.en.html beside it), each fact with its source and confidence mark, the home
    page, indexes, charts (SVG), the data dictionary and the catalogue queries; every
    page works from the files, with no server and no network. `pickg publish` writes
    the same site into each release (VERSION/site/). Prints the folder and the counts
    (in --lang; the site itself is in both languages).
    """
    from pickg.graph.cache import cache_dir
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store
    from pickg.graph.workspace import Workspace
    from pickg.release.inputs import load_sources
    from pickg.release.versions import data_version
    from pickg.site.build import build_site, write_site

    ws = Workspace.discover()
    if version is None:
        declared = data_version(load_sources(ws).ontology).version
        version = str(declared) if declared is not None else "unversioned"
    with open_store("oxigraph", workspace_files(None, True, ws)) as store:
        site = build_site(store, version, workspace=ws, charts=not no_charts, cache=cache_dir(ws))
    written = write_site(site, out_dir, force=force)
    click.echo(str(written))
    pages = translate(lang, "cli.pages", n=site.pages)
    files = translate(lang, "cli.files", n=len(site.files))
    megabytes = format_number(site.size / 1e6, lang, decimals=1)
    click.echo(translate(lang, "cli.site_built", pages=pages, files=files, megabytes=megabytes))
