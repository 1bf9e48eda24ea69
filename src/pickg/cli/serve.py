"""``pickg serve``: a release's website and its SPARQL 1.1 endpoint on one address, read-only."""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from pickg.cli.options import release_option, releases_dir_option
from pickg.graph.errors import PickgError, ServerError
from pickg.queries.deadline import DEFAULT_QUERY_TIMEOUT

if TYPE_CHECKING:
    from pickg.endpoints.front import Front
    from pickg.endpoints.server import Server

__all__ = ["command"]


def _example(query_url: str) -> str | None:
    """A catalogue query that answers on the server with rows: fewest parameters first, then by name."""
    from pickg.queries.catalogue import load_catalog
    from pickg.queries.client import Endpoint, run

    endpoint = Endpoint(query_url, timeout=10, tries=1)
    try:
        catalog = load_catalog()
    except PickgError:  # a broken query file must not stop the server; there is just no example
        return None
    queries = sorted(catalog.values(), key=lambda q: (len(q.params), q.name))
    for query in queries[:8]:
        try:
            if len(run(endpoint, query.text)) > 0:
                return query.name
        except PickgError:
            continue
    return None


def _triples(query_url: str) -> int | None:
    from pickg.endpoints.push import count_triples
    from pickg.queries.client import Endpoint

    try:
        return count_triples(Endpoint(query_url, timeout=10, tries=1), None)
    except PickgError:
        return None


class _Stop(Exception):
    """SIGTERM before the server runs: stop as Ctrl-C would."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


@click.command("serve")
@release_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this machine only)."
)
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep the store here between runs; it is reloaded only when the release changed [default: a temporary store].",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=1),
    default=DEFAULT_QUERY_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Seconds the server gives a query before it stops it and answers HTTP 504.",
)
@releases_dir_option()
@click.pass_context
def command(
    ctx: click.Context,
    release: Path | None,
    host: str,
    port: int,
    data_dir: Path | None,
    query_timeout: float,
    out_dir: Path,
) -> None:
    """Serve a release's website and SPARQL 1.1 endpoint, read-only, on one address.

    Runs the Oxigraph server on the release's pic.nt: the release's website is at
    http://HOST:PORT/, its query page (a SPARQL editor with every catalogue query as an
    example) at http://HOST:PORT/sparql/index.html and the SPARQL endpoint at
    http://HOST:PORT/query, the same graph the catalogue queries locally. A release
    without a website shows Oxigraph's own query page at http://HOST:PORT/. Without
    --release, the latest release in dist/ (built with `pickg publish` if there is
    none). Listens on 127.0.0.1 unless --host says otherwise. Stop it with Ctrl-C (exit 0).
    """
    from pickg.endpoints.front import Front
    from pickg.endpoints.server import check_port_free, is_loopback, prepare_store, serve_files, start_private
    from pickg.release.chosen import choose_release

    previous = signal.getsignal(signal.SIGINT), signal.signal(signal.SIGTERM, _raise_stop)
    try:
        if not is_loopback(host):
            click.echo(
                click.style("Warning: ", fg="yellow", bold=True)
                + f"listening on {host}, not on a loopback address: anyone who can reach this machine on port "
                f"{port} can query the graph (read-only). Use --host 127.0.0.1 to keep it on this machine.",
                err=True,
            )
        check_port_free(host, port)  # before any loading: fail fast
        chosen = choose_release(release, out_dir)
        if chosen.built:
            click.echo(f"No release in {out_dir}: built {chosen.path} with `pickg publish`.", err=True)
        files = serve_files(chosen.path)
        with tempfile.TemporaryDirectory(prefix="pickg-serve-") as scratch:
            folder = data_dir if data_dir is not None else Path(scratch)
            loaded = prepare_store(files, folder)
            if data_dir is not None:
                state = f"loaded in {loaded.seconds:.1f} s" if loaded.reloaded else "already up to date, not reloaded"
                click.echo(f"Store {loaded.location}: {state}.", err=True)
            with Front(host, port, chosen.path, query_timeout) as front:
                server = start_private(loaded.location, folder / "oxigraph.log", query_timeout=query_timeout)
                try:
                    front.start(server.port)
                    _serve(server, front, files[0], chosen.version)
                finally:
                    if server.process is not None and server.process.poll() is None:
                        server.stop()
    except (KeyboardInterrupt, _Stop):
        click.echo("Stopped.", err=True)
        ctx.exit(0)
    finally:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def _serve(server: Server, front: Front, dump: Path, version: str | None) -> None:
    """Announce the server, pass Ctrl-C and SIGTERM on to it, and wait for it to end."""

    def forward(signum: int, frame: FrameType | None) -> None:
        server.send_signal(signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    triples = _triples(front.query_url)
    example = _example(front.query_url)
    what = f"release {version}" if version else str(dump)
    count = f", {triples} triples" if triples is not None else ""
    lines = [f"Serving {what} ({dump}{count}), read-only."]
    if front.site is not None:
        lines.append(f"  Website:         {front.url}")
    lines += [
        f"  Query page:      {front.page_url}",
        f"  SPARQL endpoint: {front.query_url}",
    ]
    if example:
        lines += [
            "Try:",
            f"  pickg query run {example} --endpoint {front.query_url}",
            f"  pickg query show {example} | curl -s -H 'Accept: text/csv' --data-urlencode query@- {front.query_url}",
        ]
    lines.append("Press Ctrl-C to stop.")
    click.echo("\n".join(lines))
    status = server.wait()
    if not server.stop_requested:
        raise ServerError(f"the oxigraph server stopped by itself (exit status {status}); see {server.log}")
    click.echo("Stopped.", err=True)
