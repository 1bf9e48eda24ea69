"""The website's pages about the whole graph that answer a reader's question directly:
search, timeline, data & downloads, and the files they need (search indexes, CSVs,
the sitemap).

:func:`render_site` calls :func:`feature_pages` once per language with its page
renderer, and adds :func:`feature_files` to the site's files: the one place where these
features are registered in the build.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pickg.graph.messages import LANGUAGES, translate
from pickg.queries.catalogue import Query
from pickg.site.collect import SiteData
from pickg.site.context import PageContext
from pickg.site.resources import SiteGraph
from pickg.site.search import SEARCH_INDEX, search_index
from pickg.site.timeline import TIMELINE_CSV, timeline_csv, timeline_rows

__all__ = ["FEATURE_TEMPLATES", "SEARCH_PAGE", "TIMELINE_PAGE", "feature_files", "feature_pages"]

#: The pages, as paths without extension (:func:`pickg.site.resources.page_file`).
SEARCH_PAGE, TIMELINE_PAGE = "search", "timeline"
#: The templates of these pages.
FEATURE_TEMPLATES = ("search.html.j2", "timeline.html.j2")

Render = Callable[..., None]


def _words(lang: str) -> Callable[..., str]:
    """The words of these pages (``[portal]`` of the message catalogue) in ``lang``."""
    return lambda key, **values: translate(lang, f"portal.{key}", **values)


def feature_pages(render: Render, data: SiteData, site: SiteGraph, catalogue: Sequence[Query], lang: str) -> None:
    """Render the pages of these features in ``lang`` through ``render(template, page, lang, **context)``."""
    words = _words(lang)

    def p(ctx: PageContext) -> Callable[..., str]:  # a callable value is called with the page's context
        return words

    render("search.html.j2", SEARCH_PAGE, lang, index=SEARCH_INDEX.format(lang=lang), p=p)

    def timeline(ctx: PageContext) -> dict[str, Any]:
        return {"rows": timeline_rows(data, ctx), "csv": ctx.asset(TIMELINE_CSV.format(lang=lang))}

    render("timeline.html.j2", TIMELINE_PAGE, lang, timeline=timeline, p=p)


def feature_files(data: SiteData, site: SiteGraph) -> dict[str, str]:
    """The files these pages read or offer, in every language: search indexes, CSVs."""
    files = {}
    for lang in LANGUAGES:
        files[SEARCH_INDEX.format(lang=lang)] = search_index(site, lang)
        ctx = PageContext(data, site, lang, "index.html", "index", "")
        files[TIMELINE_CSV.format(lang=lang)] = timeline_csv(timeline_rows(data, ctx), lang)
    return files
