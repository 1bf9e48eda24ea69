"""``pickg push``: load a release into a remote triple store (SPARQL 1.1 Graph Store Protocol)."""

from __future__ import annotations

from pathlib import Path

import click

from pickg.cli.options import endpoint_option, release_option, releases_dir_option, timeout_option
from pickg.graph.errors import InputError

__all__ = ["command"]


@click.command("push")
@endpoint_option
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Named graph to replace [default: the store's default graph, where the catalogue's queries look].",
)
@release_option
@click.option(
    "--store-url",
    metavar="URL",
    default=None,
    help="The store's Graph Store Protocol URL, when it cannot be derived from --endpoint.",
)
@timeout_option
@releases_dir_option()
def command(
    endpoint: str | None,
    graph: str | None,
    release: Path | None,
    store_url: str | None,
    timeout: float,
    out_dir: Path,
) -> None:
    """Replace a graph of a remote store with a release, in one request.

    PUTs the release's pic.nt to the store's Graph Store Protocol URL (graph IRI, or
    the default graph), then counts the triples the store holds there through the
    query endpoint. The protocol URL is derived from --endpoint for Oxigraph
    (…/query → …/store), Fuseki (…/DATASET/sparql → …/DATASET/data) and GraphDB
    (…/repositories/REPO → …/repositories/REPO/rdf-graphs/service); give
    --store-url otherwise. Credentials: PICKG_ENDPOINT_USER and
    PICKG_ENDPOINT_PASSWORD, or PICKG_ENDPOINT_TOKEN. Without --release, the latest
    release in dist/ (built with `pickg publish` if there is none).
    """
    from pickg.endpoints.push import push, query_url
    from pickg.queries.client import Credentials, Endpoint
    from pickg.release.chosen import choose_release

    if not endpoint:
        raise InputError("pickg push needs the store's SPARQL query endpoint; give --endpoint URL")
    target = Endpoint(query_url(endpoint), timeout=timeout, credentials=Credentials.from_env())
    chosen = choose_release(release, out_dir)
    if chosen.built:
        click.echo(f"No release in {out_dir}: built {chosen.path} with `pickg publish`.", err=True)
    report = push(target, chosen.path, graph=graph, store=store_url)
    where = f"the graph <{report.graph}>" if report.graph else "the default graph"
    click.echo(
        f"Pushed {report.file} ({report.sent} triples, {report.size / 1e6:.1f} MB) to {report.target} "
        f"in {report.seconds:.1f} s (HTTP {report.status})."
    )
    click.echo(f"The store holds {report.held} triples in {where}.")
    if report.held != report.sent:
        click.echo(
            click.style("Warning: ", fg="yellow", bold=True)
            + f"the store holds {report.held} triples in {where}, not the {report.sent} sent; "
            "it may merge named graphs into its default graph, or have changed since the upload.",
            err=True,
        )
