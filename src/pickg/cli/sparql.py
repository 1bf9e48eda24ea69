"""``pickg sparql [QUERY|-] [FILES]...``: a SPARQL query of your own, on the graph or an endpoint."""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path

import click
from rdflib import Graph
from rich.table import Table

from pickg.cli.options import expand_files, format_option, lang_option, query_source_options
from pickg.cli.render import query_console
from pickg.graph.errors import InputError, NotFoundError
from pickg.graph.inputs import check_input_file, standard_input
from pickg.graph.messages import translate
from pickg.graph.storespec import StoreSpec
from pickg.queries.results import Result

__all__ = ["command"]

_GRAPH_FORMATS = {"turtle": "turtle", "nt": "nt", "table": "turtle"}


def _read_query(argument: str | None) -> tuple[str, str]:
    """The query text and its name in messages: a file, or standard input for ``-`` or nothing."""
    if argument is None or argument == "-":
        data, name = standard_input(), "<stdin>"
    else:
        path = Path(argument)
        if not path.exists():
            raise NotFoundError(
                f"{path}: no such query file; give a .rq file, or - to read the query from standard input"
            )
        check_input_file(path, kind="a query file")
        data, name = path.read_bytes(), str(path)
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        raise InputError(f"{name} is not UTF-8 text; save the query as UTF-8") from None


def _print_rows(result: Result, source: str, output_format: str, lang: str) -> None:
    text = result.as_text(output_format)
    if text is not None:
        click.echo(text, nl=False)
    elif output_format in ("turtle", "nt"):
        raise InputError(f"{source} is a SELECT query and answers rows; use --format table, csv, json or md")
    else:
        headers, rows = result.display()
        table = Table(title=source, title_justify="left")
        for header in headers:
            table.add_column(header, overflow="fold")
        for cells in rows:
            table.add_row(*(cell.replace("; ", "\n") for cell in cells))
        console = query_console()
        console.print(table)
        console.print(translate(lang, "cli.rows", n=len(result)))


def _print_boolean(answer: bool, output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps({"head": {}, "boolean": answer}, indent=2))
    elif output_format in ("turtle", "nt"):
        raise InputError("an ASK query answers true or false; use --format table, csv, json or md")
    else:
        click.echo("true" if answer else "false")


def _print_graph(graph: Graph, source: str, output_format: str) -> None:
    from pickg.graph.canonical import canonical_turtle
    from pickg.graph.namespaces import bind_prefixes

    rdf_format = _GRAPH_FORMATS.get(output_format)
    if rdf_format is None:
        raise InputError(f"{source} answers a graph (CONSTRUCT or DESCRIBE); use --format turtle or nt")
    if rdf_format == "turtle":
        click.echo(canonical_turtle(graph), nl=False)
    else:
        out = bind_prefixes(Graph(bind_namespaces="none"))
        out += graph
        click.echo(out.serialize(format="nt"), nl=False)


@click.command("sparql")
@click.argument("arguments", nargs=-1, metavar="[QUERY|-] [FILES]...")
@lang_option
@format_option("table", "csv", "json", "md", "turtle", "nt")
@query_source_options
def command(
    arguments: tuple[str, ...],
    lang: str,
    output_format: str,
    endpoint: str | None,
    timeout: float,
    max_answer: int,
    store: StoreSpec,
) -> None:
    """Run a SPARQL query of your own: SELECT, ASK, CONSTRUCT or DESCRIBE.

    QUERY is a file (a .rq file, say), or - (or nothing) to read the query from
    standard input. It runs on the workspace's ontology and data, or on the data
    FILES given (files or folders, with the ontology), or with --endpoint URL on that
    SPARQL endpoint. A FILE given as - is data read from standard input (in the
    --input-format, Turtle by default); the query is then a file. The project's
    prefixes (pic:, nbh:, phase:, theme: …) are declared for you. Rows come out as
    with `pickg query run` (table, csv, json, md); a graph as Turtle (the default) or
    N-Triples (--format nt). An update (INSERT, DELETE …) is refused: this command
    only reads.

    --timeout bounds the run either way: the endpoint's answer, or the local engine,
    which is stopped when the query runs past it (30 s by default).
    """
    from pickg.queries.usersparql import read_sparql, run_sparql

    if (not arguments or arguments[0] == "-") and "-" in arguments[1:]:
        raise InputError(
            "the query and the data cannot both come from standard input (-); "
            "give the query as a file, or the data as files"
        )
    files = expand_files(tuple(Path(a) for a in arguments[1:]))
    text, source = _read_query(arguments[0] if arguments else None)
    query = read_sparql(text, source)
    labelled = output_format in ("table", "md")  # as query run: labels for readers, raw terms for machines
    if endpoint:
        from pickg.queries.client import Credentials, Endpoint
        from pickg.queries.labelling import endpoint_fetch, with_labels

        if files:
            raise InputError("give either FILES (query local files) or --endpoint (query a remote store), not both")
        until = time.monotonic() + timeout  # the query and the labels of its IRIs, together
        remote = Endpoint(
            endpoint, timeout=timeout, credentials=Credentials.from_env(), max_answer=max_answer, until=until
        )
        answer = run_sparql(query, endpoint=remote, lang=lang)
        if labelled and isinstance(answer, Result):
            answer = with_labels(answer, endpoint_fetch(remote), lang)
    else:
        from pickg.graph.rdfio import workspace_files
        from pickg.graph.store import open_store
        from pickg.queries.deadline import within
        from pickg.queries.labelling import store_fetch, with_labels

        with open_store(store, workspace_files(files or None)) as opened:
            answer = within(
                timeout,
                f"the query of {source}",
                partial(run_sparql, query, opened, lang=lang),
                hint="raise --timeout, or make the query more selective",
            )
            if labelled and isinstance(answer, Result):
                answer = with_labels(answer, store_fetch(opened), lang)
    if isinstance(answer, Result):
        _print_rows(answer.canonical(), source, output_format, lang)
    elif isinstance(answer, bool):
        _print_boolean(answer, output_format)
    else:
        _print_graph(answer, source, output_format)
