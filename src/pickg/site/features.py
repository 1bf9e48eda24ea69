"""The website's pages about the whole graph that answer a reader's question directly:
search, timeline, data & downloads, and the files they need (search indexes, CSVs,
the sitemap).

:func:`render_site` calls :func:`feature_pages` once per language with its page
renderer, and adds :func:`feature_files` to the site's files: the one place where these
features are registered in the build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pickg.graph.messages import LANGUAGES, translate
from pickg.queries.catalogue import Query
from pickg.queries.results import Result
from pickg.release.files import ReleaseFiles
from pickg.site.answers import answer_blocks, answer_csv, answer_tables
from pickg.site.ask import ANSWER_CSV, ask_queries, variant_files
from pickg.site.collect import SiteData, Variant, site_query
from pickg.site.context import PageContext
from pickg.site.downloads import DOWNLOADS_PAGE, downloads_context
from pickg.site.resources import SiteGraph
from pickg.site.search import SEARCH_INDEX, search_index
from pickg.site.timeline import TIMELINE_CSV, timeline_csv, timeline_rows

__all__ = [
    "FEATURE_TEMPLATES",
    "SEARCH_PAGE",
    "ask_page",
    "TIMELINE_PAGE",
    "downloads_page",
    "feature_files",
    "feature_home",
    "feature_pages",
]

#: The pages, as paths without extension (:func:`pickg.site.resources.page_file`).
SEARCH_PAGE, TIMELINE_PAGE = "search", "timeline"
#: The templates of these pages.
FEATURE_TEMPLATES = ("search.html.j2", "timeline.html.j2", "downloads.html.j2", "chart.html.j2")

Render = Callable[..., None]
#: The site's own queries, published beside the pages (``data/queries/<name>.rq``) so that
#: every figure they compute links to its query.
SITE_QUERIES = ("neighbourhood-themes", "timeline")


def _words(lang: str) -> Callable[..., str]:
    """The words of these pages (``[portal]`` of the message catalogue) in ``lang``."""
    return lambda key, **values: translate(lang, f"portal.{key}", **values)


def _page_words(lang: str) -> Callable[[PageContext], Callable[..., str]]:
    """The page's words as a template value (a callable value is called with the page's context)."""
    words = _words(lang)
    return lambda ctx: words


def feature_home(data: SiteData, site: SiteGraph, lang: str) -> dict[str, Any]:
    """What the home page (and any page that shows the charts) is given: ``answers``, the
    charts that answer a question (``chart.html.j2``'s ``answer_chart``), and ``p``, the
    words of these features."""
    tables = answer_tables(data, site, lang)
    return {"answers": lambda ctx: answer_blocks(ctx, tables), "p": _page_words(lang)}


def feature_pages(render: Render, data: SiteData, site: SiteGraph, catalogue: Sequence[Query], lang: str) -> None:
    """Render the pages of these features in ``lang`` through ``render(template, page, lang, **context)``."""
    p = _page_words(lang)

    render("search.html.j2", SEARCH_PAGE, lang, index=SEARCH_INDEX.format(lang=lang), p=p)

    def timeline(ctx: PageContext) -> dict[str, Any]:
        return {
            "rows": timeline_rows(data, ctx),
            "csv": ctx.asset(TIMELINE_CSV.format(lang=lang)),
            "query": ctx.asset("data/queries/timeline.rq"),
        }

    render("timeline.html.j2", TIMELINE_PAGE, lang, timeline=timeline, p=p)
    render("downloads.html.j2", DOWNLOADS_PAGE, lang, **downloads_page(lang, None))


def downloads_page(lang: str, files: ReleaseFiles | None) -> dict[str, Any]:
    """The context of the downloads page in ``lang``, from the release's ``files`` when the
    page is made in a release (:func:`pickg.site.build.release_additions`)."""
    return {"downloads": lambda ctx: downloads_context(ctx, files), "p": _page_words(lang)}


def ask_page(
    catalogue: Sequence[Query],
    answers: Mapping[tuple[str, str], Result],
    lang: str,
    variants: Mapping[tuple[str, str], Sequence[Variant]] | None = None,
) -> dict[str, Any]:
    """The context of "Ask the data" (``queries.html.j2``) in ``lang``."""
    return {"queries": lambda ctx: ask_queries(ctx, catalogue, answers, variants), "p": _page_words(lang)}


def feature_files(
    data: SiteData,
    site: SiteGraph,
    answers: Mapping[tuple[str, str], Result] | None = None,
    variants: Mapping[tuple[str, str], Sequence[Variant]] | None = None,
) -> dict[str, str]:
    """The files these pages read or offer, in every language: search indexes, CSVs (the
    catalogue queries' ``answers`` and their answers for each value, ``variants``, among them)."""
    files = {}
    for (name, lang), result in sorted((answers or {}).items()):
        files[ANSWER_CSV.format(name=name, lang=lang)] = result.to_csv()
    files.update(variant_files(variants or {}))
    for lang in LANGUAGES:
        files[SEARCH_INDEX.format(lang=lang)] = search_index(site, lang)
        ctx = PageContext(data, site, lang, "index.html", "index", "")
        files[TIMELINE_CSV.format(lang=lang)] = timeline_csv(timeline_rows(data, ctx), lang)
        for name, table in answer_tables(data, site, lang).items():
            files[f"data/{name}.{lang}.csv"] = answer_csv(table, lang)
    for name in SITE_QUERIES:
        files[f"data/queries/{name}.rq"] = site_query(name)
    return files
