"""``pickg run``: the whole demonstration in one process (what ``make run`` shows)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from pickg.cli.options import force_option, lang_option, releases_dir_option, verbose_option
from pickg.graph.collector import paused_gc, skip_exit_collection
from pickg.graph.messages import translate
from pickg.graph.timing import Steps

__all__ = ["HEADLINES", "command"]

#: The headline queries shown, in order, with the number of rows shown (None: all).
HEADLINES: tuple[tuple[str, int | None], ...] = (
    ("theme-summary", None),
    ("collaboration-partners", 10),
    ("systems-change-matrix", None),
)


def _render_steps(steps: Steps, wall: float, parallel: bool) -> None:
    """The time of each step, as a table on stderr."""
    from rich.console import Console
    from rich.table import Table

    title = "pickg run: time per step"
    if parallel:
        title += " (the publish steps ran in a second process, alongside the others)"
    table = Table(title=title, title_justify="left")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for name, seconds in steps.times:
        table.add_row(name, f"{seconds:.3f}")
    table.add_row("total (steps)", f"{sum(seconds for _, seconds in steps.times):.3f}", style="bold")
    table.add_row("elapsed (from the start of the command)", f"{wall:.3f}", style="bold")
    Console(stderr=True, highlight=False).print(table)


def _run(
    ctx: click.Context, out_dir: Path, lang: str, force: bool, steps: Steps, ahead: bool, verbose: bool = False
) -> None:
    from pickg.graph.cache import workspace_digest
    from pickg.graph.messages import LANGUAGES, load_number_data
    from pickg.graph.rdfio import workspace_files
    from pickg.graph.store import open_store
    from pickg.graph.workspace import Workspace
    from pickg.release.publish import publish
    from pickg.site.build import release_additions

    ws = Workspace.discover()
    # Both processes write numbers with Babel (the tables and the summary here, the
    # downloads page in both languages there): its data read before the fork is read once.
    for language in LANGUAGES:
        load_number_data(language)
    with steps("load the sources"):
        # The digest of the sources, the key of the cached report and of the release in
        # place, is taken before and after they are read; a file edited meanwhile, and
        # nothing is read from or kept in the cache this time (the store may hold either).
        sources: str | None = workspace_digest(ws)
        store = open_store("oxigraph", workspace_files(None, True, ws))
        if workspace_digest(ws) != sources:
            sources = None
    with store:
        release = publish(
            out_dir,
            force=force,
            workspace=ws,
            store=store,
            validation=lambda: _show(ctx, lang, steps, ws, store, sources, verbose),
            ahead=ahead,
            steps=steps,
            additions=release_additions(ws),
            sources=sources,
        )
    click.echo(str(release.path))
    click.echo(release.summary(lang))
    site = release.path / "site" / "index.html"
    if site.is_file():
        click.echo(translate(lang, "cli.site_ready", page=site.resolve().as_uri(), release=release.path))
    skip_exit_collection()  # the process ends here


def _show(ctx: click.Context, lang: str, steps: Steps, ws: Any, store: Any, sources: str | None, verbose: bool) -> Any:
    """Validate and show the report; then, if the data conforms, the headline tables and the statistics.

    Runs while the release is built (in a second process, unless --serial); returns the
    report, read from the cache when the sources (``sources``, their digest taken before
    they were loaded), pickg and the libraries are those of a run before.
    """
    from rich.console import Console  # imported after the fork: the child never prints

    from pickg.cli.render import render_result_table, render_stats, render_text
    from pickg.queries.catalogue import get_query
    from pickg.queries.execution import run_catalog_query
    from pickg.queries.labelling import for_readers, store_fetch
    from pickg.queries.stats import compute_stats
    from pickg.validation.cachedreport import cached_report

    with steps("validate"):
        report = cached_report(store, lang=lang, workspace=ws, sources=sources)
    console = Console(highlight=False)
    console.soft_wrap = not console.is_terminal  # a pipe or a file gets whole lines
    with steps("show the report"):
        render_text(report, console, lang=lang, verbose=verbose)
    if not report.conforms:
        ctx.exit(1)  # the report says why; nothing is published
    for name, limit in HEADLINES:
        with steps(f"query {name}"):
            query = get_query(name, ws)
            result = run_catalog_query(query, lang=lang, backend=store).canonical().head(limit)
            result = for_readers(result, store_fetch(store), lang, query.money)
        with steps(f"show {name}"):
            render_result_table(query, result, lang)
    with steps("stats"):
        stats = compute_stats(store, lang=lang)
    with steps("show stats"):
        render_stats(stats, Console(), lang)
    return report


@click.command("run")
@releases_dir_option("Folder holding the releases; the release goes to OUT/VERSION/.")
@force_option()
@lang_option
@click.option("--timings", is_flag=True, help="Print the time of each step, as a table on stderr.")
@click.option(
    "--serial",
    is_flag=True,
    help="Build the release after the tables, in this process, instead of in a second process alongside them.",
)
@verbose_option
@click.pass_context
def command(
    ctx: click.Context, out_dir: Path, force: bool, lang: str, timings: bool, serial: bool, verbose: bool
) -> None:
    """Validate, show the headline tables and statistics, and publish: in one command.

    What `make run` shows. The sources (ontology, vocabularies, data) are read into an
    Oxigraph store; the data is validated with the fast engine (the shapes compiled
    to SPARQL, the same results as `pickg validate`) and the report printed; then the
    headline queries (theme-summary, the first 10 rows of collaboration-partners,
    systems-change-matrix), the statistics of `pickg stats`, and the release of
    `pickg publish`, written only if the data conforms. The release is built in
    memory by a second process while the first validates and shows the tables (on a
    machine with two cores, both halves run at once); --serial builds it afterwards,
    from the same store, in this process. Either way the release's files are the
    same bytes as `pickg publish` writes.

    Exit 0 when all went well, 1 when the data does not conform (nothing is then
    published), 2 on bad input (an unreadable file, an existing release without
    --force, ...).
    """
    from pickg.release.ahead import can_fork

    started = time.perf_counter()
    steps = Steps()
    try:
        with paused_gc():  # many small objects, few cycles: see its measured gain
            _run(ctx, out_dir, lang, force, steps, not serial, verbose)
    finally:
        if timings:
            _render_steps(steps, time.perf_counter() - started, not serial and can_fork())
