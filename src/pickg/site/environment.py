"""The templates' Jinja2 environment: the site's templates, their filters and globals,
made once per process (:func:`environment`)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup

from pickg.release.templating import bytecode_cache
from pickg.site.context import mark_html, quoted_html, sources_html, value_html
from pickg.site.features import FEATURE_TEMPLATES
from pickg.site.geomap import neighbourhood_map
from pickg.site.profile import badge_html, prose_html
from pickg.site.webdata import CSP, page_jsonld, page_url

__all__ = ["TEMPLATES", "environment"]

#: The templates the pages are rendered from (compiled once before a build forks).
TEMPLATES = (
    "resource.html.j2",
    "folder.html.j2",
    "home.html.j2",
    "dictionary.html.j2",
    "queries.html.j2",
    "sparql.html.j2",
    "list.html.j2",
    "compare.html.j2",
    "about.html.j2",
    *FEATURE_TEMPLATES,
)


class _Environment(Environment):
    """Jinja2's environment, looking a page's values up as keys first.

    The pages' values are dictionaries: ``row.value`` in a template is ``row["value"]``.
    Jinja2 tries the attribute first, and the ``AttributeError`` of each of the 160 000
    look-ups of the shipped data's site cost 0.1-0.15 s of its 0.9 s of rendering.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    """The templates' environment, made once per process.

    ``auto_reload`` is off: the templates are package files, and checking each one's
    modification time at every page (two ``stat`` calls, 4 000 pages' worth on the shipped
    data) took 0.5-0.9 s of a 3 s build (cProfile).
    """
    env = _Environment(
        bytecode_cache=bytecode_cache(),
        loader=PackageLoader("pickg.site", "templates"),
        auto_reload=False,
        autoescape=select_autoescape(["html", "j2", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Filters (``{{ row.value|v }}``), which the compiled template calls directly: as
    # functions (``v(row.value, ctx.lang)``) every call went through Jinja2's
    # ``Context.call``, 85 000 times, 0.1-0.2 s of the shipped data's build.
    env.filters.update(v=_value_filter, conf=mark_html, sources=sources_html, badge=_badge_filter, prose=_prose_filter)
    env.filters.update(quoted=_quoted_filter)
    env.globals.update(v=value_html, conf=mark_html, sources=sources_html, jsonld=page_jsonld, csp=CSP)
    env.globals.update(neighbourhood_map=neighbourhood_map, page_url=page_url)
    return env


@pass_context
def _value_filter(context: Any, value: dict[str, Any]) -> Markup:
    """:func:`value_html` for the reader of the page being rendered."""
    return value_html(value, context["ctx"].lang)


@pass_context
def _badge_filter(context: Any, badge: dict[str, Any] | None) -> Markup:
    """:func:`badge_html` for the page being rendered."""
    return badge_html(context["ctx"], badge)


@pass_context
def _prose_filter(context: Any, text: dict[str, Any]) -> Markup:
    """:func:`prose_html` for the page being rendered."""
    return prose_html(context["ctx"], text)


@pass_context
def _quoted_filter(context: Any, label: Any) -> Markup:
    """:func:`quoted_html` of a label's text (a value or a ``Label``), in its language or the page's."""
    text, lang = (label["text"], label["lang"]) if isinstance(label, dict) else (label.text, label.lang)
    return quoted_html(text, lang or context["ctx"].lang)
