"""What every page of the website is given: its language, links, words, and facts as values.

A *value* is a plain dictionary, ``{"text", "lang", "href", "external"}``, that the
templates show with :func:`value_html`; :class:`PageContext` turns the graph's terms
into values for one page (labels in the page's language, links relative to the page's
file, numbers written for its readers, confidence marks, sources).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.messages import LANGUAGES, other_language, translate, words
from pickg.graph.messages import format_number as babel_number
from pickg.graph.namespaces import DCTERMS, PIC, SCHEMA, SKOS, XSD
from pickg.site.collect import SiteData
from pickg.site.resources import DICTIONARY_PAGE, Label, SiteGraph, page_file, relative

__all__ = [
    "LIST_SEPARATOR",
    "SAFE_SCHEMES",
    "QUOTED_LANG",
    "PageContext",
    "figure",
    "format_date",
    "format_number",
    "mark_html",
    "quoted_html",
    "rows_of",
    "said",
    "sources_html",
    "text_value",
    "value_html",
]

#: The schemes of the addresses from the data that pages link to (lower case).
SAFE_SCHEMES = ("http://", "https://", "mailto:")
_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
_CSS = {"C2": "c2", "C1": "c1", "INF": "inf"}
# The properties read for every fact, as constants: a namespace's attribute makes a new
# URIRef at each access (86 000 of them, 0.2 s of a 3 s build on the shipped data).
_CONFIDENCE, _RATIONALE, _UNIT, _APPROXIMATE, _LOWER_BOUND = (
    PIC.confidence,
    PIC.rationale,
    PIC.unit,
    PIC.approximate,
    PIC.isLowerBound,
)
_NOTATION, _NOTE = SKOS.notation, SKOS.editorialNote
_SOURCE, _VALUE, _CURRENCY = DCTERMS.source, SCHEMA.value, SCHEMA.currency
_BOOLEAN, _ANY_URI = XSD.boolean, XSD.anyURI
_DATES = frozenset({XSD.date, XSD.gYearMonth})


def _lang_mark(reader: str | None, lang: str) -> str:
    """What marks a text in ``lang`` on a page in ``reader``: « en anglais », or the tag itself."""
    return translate(reader, f"site.in_{lang}") if lang in LANGUAGES and reader in LANGUAGES else lang


#: A quotation in French guillemets, « … », in a text of another language: the only
#: quotations the data writes so are of French sources and names (English quotes with “ ”).
_GUILLEMETS = re.compile(r"«(\s?)([^«»]+?)(\s?)»")
#: The language of what the guillemets quote.
QUOTED_LANG = "fr"
#: How the catalogue's lists (``GROUP_CONCAT``) join their items.
LIST_SEPARATOR = "; "


def quoted_html(text: str, lang: str | None) -> Markup:
    """``text`` (in ``lang``) as HTML, its quotations « … » of French marked ``lang="fr"``
    when the text is in another language, so that a screen reader reads them in French
    (WCAG 3.1.2, language of parts)."""
    escaped = escape(text)
    if lang == QUOTED_LANG or "«" not in text:
        return escaped
    return Markup(_GUILLEMETS.sub(rf'«\1<span lang="{QUOTED_LANG}">\2</span>\3»', str(escaped)))


def value_html(value: dict[str, Any], reader: str | None = None) -> Markup:
    """One value of a page (``{"text", "lang", "href", "external"}``) as an HTML fragment: a link,
    or a text marked with its language when it is not the reader's.

    The one piece of HTML written outside the templates: a value is shown some 45 000
    times on the shipped data's site, and as a Jinja2 macro it took 2.2 s of a 6 s build
    (cProfile), as this function 0.1 s.
    """
    if value.get("parts"):  # a list of names, each in its language
        return Markup(
            LIST_SEPARATOR.join(
                f'<span lang="{escape(part["lang"])}">{escape(part["text"])}</span>'
                if part["lang"] is not None and part["lang"] != reader
                else str(escape(part["text"]))
                for part in value["parts"]
            )
        )
    lang, href = value["lang"], value["href"]
    foreign = lang is not None and reader is not None and lang != reader
    text = escape(value["text"]) if foreign else quoted_html(value["text"], lang or reader)
    if href is not None and value.get("external") and not href.lower().startswith(SAFE_SCHEMES):
        href = None  # a javascript: or data: address from the data never becomes a link
    if href is not None and value.get("external"):
        return Markup(f'<a class="ext" href="{escape(href)}" rel="nofollow noreferrer">{text}</a>')
    if href is not None:
        lang_attr = f' lang="{escape(lang)}"' if foreign else ""
        return Markup(f'<a href="{escape(href)}"{lang_attr}>{text}</a>')
    if foreign:
        mark = _lang_mark(reader, lang)
        return Markup(f'<span lang="{escape(lang)}">{text}</span> <small class="lang-mark">({escape(mark)})</small>')
    return Markup(text)


@pass_context
def mark_html(context: Any, mark: dict[str, Any] | None) -> Markup:
    """A confidence mark (:meth:`PageContext.confidence`) as HTML: the notation linked to
    its level's page, named for screen readers, and the reasoning behind a click.

    Written here rather than as a Jinja2 macro for the same reason as :func:`value_html`:
    marks and source lists were 2.6 s of an 8.5 s build as macros (cProfile, shipped data).
    """
    if not mark:
        return Markup("")
    lang = context["ctx"].lang
    href, name = escape(mark["href"] or ""), escape(mark["name"])
    hidden = escape(translate(lang, "site.confidence") + translate(lang, "site.colon"))
    html = (
        f'<a class="conf conf-{escape(mark["css"])}" href="{href}" title="{name}">'
        f'<span class="visually-hidden">{hidden} </span>'
        f"{escape(mark['notation'])}</a>"
    )
    if mark["rationale"]:
        html += (
            f'<details class="rationale"><summary>{escape(translate(lang, "site.rationale"))}</summary>'
            f"<p>{value_html(mark['rationale'], lang)}</p></details>"
        )
    return Markup(html)


@pass_context
def sources_html(context: Any, sources: list[dict[str, Any]], limit: int = 3) -> Markup:
    """The sources of a fact as HTML: the first ``limit`` linked, the others behind a click."""
    lang = context["ctx"].lang
    if not sources:
        return Markup(f'<span class="no-source">{escape(translate(lang, "site.no_source"))}</span>')
    shown = " · ".join(value_html(s, lang) for s in sources[:limit])
    more = ""
    if len(sources) > limit:
        rest = " · ".join(value_html(s, lang) for s in sources[limit:])
        summary = escape(translate(lang, "site.more", n=len(sources) - limit))
        more = f' <details class="more"><summary>{summary}</summary>{rest}</details>'
    return Markup(f'<span class="sources">{shown}{more}</span>')


def format_date(text: str, lang: str) -> str:
    """A date of the data for people, by Babel: ``2022-04-27`` as ``27 April 2022`` or
    ``27 avril 2022``, ``2015-10`` as ``October 2015``; a date it cannot read, as it is."""
    from datetime import date

    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    parts = text.split("-")
    try:
        if len(parts) == 3:
            return str(babel_date(date(int(parts[0]), int(parts[1]), int(parts[2])), "long", locale=lang))
        if len(parts) == 2:
            return str(format_skeleton("yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=lang))
    except ValueError:
        pass
    return text


def format_number(value: Decimal | int | float, lang: str) -> str:
    """A number for people, by Babel: ``23 000 000`` in French, ``23,000,000`` in English;
    its decimals kept, without trailing zeros."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return babel_number(int(number), lang)
    return babel_number(number.normalize(), lang)


#: The site's menu, by what readers look for: (page, its name in ``[portal]``).
MENU = (
    ("neighbourhoods/index", "nav_neighbourhoods"),
    ("initiatives/index", "nav_initiatives"),
    ("organisations/index", "nav_organisations"),
    ("themes/index", "nav_themes"),
    ("systems-change/index", "nav_conditions"),
    ("timeline", "nav_timeline"),
    ("findings/index", "nav_findings"),
    ("downloads", "nav_downloads"),
    ("queries/index", "nav_queries"),
    ("about/index", "nav_about"),
)


class PageContext:
    """What every template of one page needs: the language, the page's file, words, links."""

    menu = MENU

    def __init__(self, data: SiteData, site: SiteGraph, lang: str, file: str, page: str, version: str) -> None:
        self.site_data = data
        self.site = site
        self.lang = lang
        #: the language of the page's translation, which the language switch links to
        self.other_lang = other_language(lang)
        self.file = file
        self.page = page
        self.version = version
        self._up = "../" * file.count("/")
        self._targets = site.link_targets.setdefault(lang, {})

    def t(self, key: str, **values: object) -> str:
        """The word ``key`` in this page's language."""
        return translate(self.lang, f"site.{key}", **values)

    @property
    def words(self) -> Mapping[str, Any]:
        """The portal's words (``[portal]``) in this page's language, for the templates
        (``w.key_facts``): a look-up, where ``ctx.tp`` is a call, which Jinja2 makes
        through its own ``Context.call`` (15 of them a page)."""
        return words(self.lang, "portal")

    def tp(self, key: str, **values: object) -> str:
        """The word ``key`` of the portal's pages (``[portal]``) in this page's language."""
        return translate(self.lang, f"portal.{key}", **values)

    def href(self, page: str, lang: str | None = None, anchor: str | None = None) -> str:
        """The link from this page to ``page`` (a path without extension) in ``lang``."""
        target = relative(page_file(page, lang or self.lang), self.file)
        return f"{target}#{anchor}" if anchor else target

    def asset(self, name: str) -> str:
        """The link to a file of the site's root (``site.css``, ``charts/…``)."""
        return relative(name, self.file)

    def release(self, name: str) -> str:
        """The link to a file of the release beside the site (``pic.ttl``, ``SHA256SUMS``)."""
        return relative(f"../{name}", self.file)

    def other(self, lang: str) -> str:
        return self.href(self.page, lang)

    def label(self, node: Node) -> Label:
        return self.site.label(node, self.lang)

    def link(self, node: Node) -> dict[str, Any]:
        """A value naming ``node``: its label, the language of that label, its page if it has one."""
        label = self.label(node)
        target = self._targets.get(node, "")
        if target == "":
            target = self._targets[node] = self._target(node)
        href = self._up + target if target is not None else None
        return {"text": label.text, "lang": label.lang, "href": href, "external": False}

    def _target(self, node: Node) -> str | None:
        page = self.site.page_path(node)
        if page is not None:
            return page_file(page, self.lang)
        if self.site.is_term(node) and isinstance(node, URIRef):
            return f"{page_file(DICTIONARY_PAGE, self.lang)}#{self.site.anchor(node)}"
        return None

    def value(self, node: Node) -> dict[str, Any]:
        """A value of a fact for people: a link, a number, yes/no, a date or a text."""
        if isinstance(node, URIRef):
            if self.site.page_path(node) is None and not self.site.is_term(node) and node not in self.site.out:
                # only a web address becomes a link: never a javascript: or data: IRI from the data
                web = str(node).startswith(("https://", "http://"))
                return {"text": str(node), "lang": None, "href": str(node) if web else None, "external": web}
            return self.link(node)
        if isinstance(node, Literal):
            if node.datatype in _NUMERIC:
                try:
                    return text_value(format_number(Decimal(str(node)), self.lang))
                except ArithmeticError:
                    return text_value(str(node))
            if node.datatype == _ANY_URI and str(node).startswith(("https://", "http://")):
                return {"text": str(node), "lang": None, "href": str(node), "external": True}
            if node.datatype in _DATES:
                return text_value(format_date(str(node), self.lang))
            if node.datatype == _BOOLEAN:
                return text_value(self.t("yes") if str(node).lower() in ("true", "1") else self.t("no"))
            return {"text": str(node), "lang": node.language, "href": None, "external": False}
        return text_value(self.t("anonymous"))  # a blank node: its label changes from one load to the next

    def confidence(self, node: Node) -> dict[str, Any] | None:
        """The confidence mark of ``node`` (``C2``, ``C1``, ``INF``) with its name and reasoning."""
        level = self.site.value(node, _CONFIDENCE)
        if level is None:
            return None
        notation = str(self.site.value(level, _NOTATION) or self.label(level).text)
        # the reasoning in the reader's language when it is written in it, else the one there is
        rationales = self.site.values(node, _RATIONALE)
        rationale = next((r for r in rationales if getattr(r, "language", None) == self.lang), None)
        if rationale is None and rationales:
            rationale = rationales[0]
        return {
            "notation": notation,
            "css": _CSS.get(notation, "other"),
            "name": self.label(level).text,
            "href": self.link(level)["href"],
            "rationale": self.value(rationale) if rationale is not None else None,
        }

    def sources(self, node: Node) -> list[dict[str, Any]]:
        return [self.link(s) for s in self.site.values(node, _SOURCE)]

    def notes(self, node: Node) -> list[dict[str, Any]]:
        return [self.value(n) for n in self.site.values(node, _NOTE)]

    def amount(self, node: Node) -> dict[str, Any] | None:
        """The value of a figure or amount with its unit or currency, None when it has none."""
        value = self.site.value(node, _VALUE)
        if value is None:
            return None
        text = self.value(value)["text"]
        unit = self.site.value(node, _CURRENCY) or self.site.value(node, _UNIT)
        if unit is not None:  # a unit the catalogue names in the reader's language, else as the data writes it
            text = f"{text} {words(self.lang, 'units').get(str(unit), str(unit))}"
        if str(self.site.value(node, _APPROXIMATE)).lower() == "true":
            text = self.t("approximate", amount=text)
        if str(self.site.value(node, _LOWER_BOUND)).lower() == "true":
            text = self.t("lower_bound", amount=text)
        return text_value(text)


def text_value(text: str) -> dict[str, Any]:
    return {"text": text, "lang": None, "href": None, "external": False}


def said(label: Label | None) -> dict[str, Any] | None:
    """A label or definition as a value (its text and language), None stays None."""
    if label is None:
        return None
    return {"text": label.text, "lang": label.lang, "href": None, "external": False}


def figure(ctx: PageContext, node: Node) -> dict[str, Any]:
    """A resource in a list: its name, its value if it is a figure, its confidence and sources."""
    return {
        "link": ctx.link(node),
        "amount": ctx.amount(node),
        "confidence": ctx.confidence(node),
        "sources": ctx.sources(node),
    }


def rows_of(result: Any) -> list[dict[str, Node]]:
    return [
        {name: value for name, value in zip(result.variables, row, strict=True) if value is not None}
        for row in result.rows
    ]
