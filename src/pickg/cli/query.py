"""``pickg query list | show | run``: the SPARQL query catalogue from the command line."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from pickg.cli.options import files_argument, format_option, lang_option, query_source_options
from pickg.cli.render import query_console, render_result_table
from pickg.graph.errors import InputError
from pickg.graph.messages import translate
from pickg.graph.namespaces import compact_iri
from pickg.graph.storespec import StoreSpec
from pickg.queries.catalogue import LANG_PARAM, Query, get_query, load_catalog

__all__ = ["command"]


def _params_text(query: Query) -> str:
    """One line per parameter, ``name: type = default``, IRIs written with the project prefixes."""
    lines = []
    for param in query.params:
        if param.name == LANG_PARAM:
            continue
        line = f"{param.name}: {param.type}"
        if param.choices:
            line += " (" + "|".join(compact_iri(c) for c in param.choices) + ")"
        if param.default is not None:
            line += " = " + (compact_iri(param.default) if param.type == "iri" else param.default)
        lines.append(line)
    return "\n".join(lines)


@click.group("query")
def command() -> None:
    """The catalogue of SPARQL queries: list them, show one, run one."""


@command.command("list")
@lang_option
@format_option("table", "json")
def list_queries(lang: str, output_format: str) -> None:
    """List the catalogue by theme (a query's first tag): name, summary, tags and parameters."""
    catalog = load_catalog()
    if output_format == "json":
        data = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "params": [
                    {"name": p.name, "type": p.type, "default": p.default, "choices": list(p.choices or [])}
                    for p in q.params
                ],
                "ordered": q.has_order_by,
            }
            for q in catalog.values()
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=translate(lang, "cli.catalogue_title"), title_justify="left")
    table.add_column("name", no_wrap=True)
    table.add_column("summary", overflow="fold")
    table.add_column("tags", overflow="fold")
    table.add_column("params", overflow="fold")
    theme = None
    for query in sorted(catalog.values(), key=lambda q: (q.tags[0] if q.tags else "", q.name)):
        first = query.tags[0] if query.tags else ""
        if theme is not None and first != theme:
            table.add_section()
        theme = first
        table.add_row(query.name, query.summary_in(lang), ", ".join(query.tags), _params_text(query))
    query_console().print(table)


@command.command("show")
@click.argument("name")
@lang_option
def show_query(name: str, lang: str) -> None:
    """Print the file of query NAME: its header (summary, description, parameters) and text.

    The output is the query file itself, the language of its labels (--lang) written
    into it as a VALUES row at the head of its WHERE group, so it can be pasted into
    any SPARQL UI or sent to an endpoint and answer in that language; the other
    parameters keep their defaults.
    """
    from pickg.queries.execution import text_in_language

    click.echo(text_in_language(get_query(name), lang), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"--param {item!r} is not NAME=VALUE; write for instance --param phase=phase:2")
        if key in params:
            raise InputError(f"--param {key} is given twice; give each parameter once")
        params[key] = value
    return params


def _run_locally(query: Query, params: dict[str, str], lang: str, opened: Any) -> Any:
    """Run ``query`` on an opened store (in the child :func:`~pickg.queries.deadline.within` forks)."""
    from pickg.queries.execution import run_catalog_query

    if opened.kind == "memory":
        return run_catalog_query(query, params, opened.to_rdflib(), lang=lang)
    # run_catalog_query checks the text with Oxigraph's parser, naming the file
    return run_catalog_query(query, params, lang=lang, backend=opened)


@command.command("run")
@click.argument("name")
@click.option(
    "--param",
    "-p",
    "param_values",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter value (repeatable); IRIs may use the project prefixes (nbh:verdun).",
)
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Show at most this many rows.")
@lang_option
@format_option("table", "csv", "json", "md")
@files_argument
@query_source_options
def run_query_command(
    name: str,
    param_values: tuple[str, ...],
    limit: int | None,
    lang: str,
    output_format: str,
    files: tuple[Path, ...],
    endpoint: str | None,
    timeout: float,
    max_answer: int,
    store: StoreSpec,
) -> None:
    """Run query NAME on the local graph and print its rows.

    By default the graph is the workspace's ontology and data; give FILES to query
    other data files (with the ontology), - for data on standard input (in the
    --input-format, Turtle by default). Parameters left out take their default.
    Formats: table and md (a Markdown table) for reading: labels for IRIs in
    --lang, amounts as money, no column of nameless identifiers; csv and json
    (SPARQL 1.1 results): full IRIs and plain numbers.

    With --endpoint URL the query runs on that SPARQL 1.1 endpoint instead (the
    parameters bound as terms in a VALUES block), giving the same rows in the same
    formats; 5xx answers and dropped connections are retried, twice at most.

    --timeout bounds the run either way: the endpoint's answer, or the local
    engine, which is stopped when the query runs past it (30 s by default).
    """
    from pickg.queries.execution import bind_params, run_catalog_query

    if name.endswith((".rq", ".sparql")) or Path(name).is_file():
        raise InputError(
            f"{name} is a file, and query run takes the name of a catalogue query (pickg query list); "
            f"run a query of your own with pickg sparql {name}"
        )
    query = get_query(name)
    params = _parse_params(param_values)
    bind_params(query, params, lang)  # bad parameters fail before the graph is read
    readable = output_format in ("table", "md")  # labels, no bare identifiers, money
    if endpoint:
        from pickg.queries.remote import RemoteBackend

        if files:
            raise InputError("give either FILES (query local files) or --endpoint (query a remote store), not both")
        until = time.monotonic() + timeout  # the query and the glosses of its IRIs, together
        backend = RemoteBackend(endpoint, timeout=timeout, max_answer=max_answer, until=until)
        result = run_catalog_query(query, params, lang=lang, backend=backend)
        if readable:
            from pickg.queries.labelling import endpoint_fetch, for_readers

            result = for_readers(result, endpoint_fetch(backend.endpoint), lang, query.money)
    else:
        from pickg.graph.rdfio import workspace_files
        from pickg.graph.store import open_store
        from pickg.queries.deadline import within

        with open_store(store, workspace_files(files or None)) as opened:
            result = within(timeout, f"query {name!r}", _run_locally, query, params, lang, opened)
            if readable:
                from pickg.queries.labelling import for_readers, store_fetch

                result = for_readers(result, store_fetch(opened), lang, query.money)
    result = result.canonical().head(limit)
    text = result.as_text(output_format)
    if text is not None:
        click.echo(text, nl=False)
    else:
        render_result_table(query, result, lang)
