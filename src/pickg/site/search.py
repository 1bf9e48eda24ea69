"""The website's search: one index per language, read by ``static/search.js`` (MiniSearch).

Each index is a script (``search-index.<lang>.js`` setting ``window.PICKG_SEARCH``), not
a JSON file, so the search page works from the files (``file://``) as well as from a
server. An entry is one page a reader can land on: its name in the index's language,
its kind, its confidence, and what is searched, field by field (the script ranks a match
in the name above one in the kind, the records it is tied to, or its text):

- ``t`` the name shown; ``n`` every other name, form and gloss, in every language;
- ``k`` its kind (``Initiative``, ``Municipality``, ``Quotation``…) and the words the
  catalogue gives as synonyms of that kind's words (``portal.search_synonyms``);
- ``r`` the names of the records it is tied to (an initiative's neighbourhood and
  themes), so that a neighbourhood's name finds its initiatives;
- ``x`` its texts (descriptions, desired changes, quotations, definitions) and their
  translations, the index's language first;
- ``h`` the words of the notes written for the data's stewards, each once, searched at
  the lowest weight and never shown (pages do not show them to readers).

Statements (``rdf:Statement``) get no entry of their own: a statement whose object is a
text (a gloss, a translation) adds that text to its subject's entry. The reasoning of an
inference (``pic:rationale``) is not searched.
"""

from __future__ import annotations

import json
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.term import Node

from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC, RDF, SKOS, XSD
from pickg.site.resources import NAME_PROPERTIES, SiteGraph, page_file

__all__ = ["FIELDS", "SEARCH_INDEX", "search_entries", "search_index", "search_synonyms"]

#: The index of each language, at the site's root (``{lang}`` replaced).
SEARCH_INDEX = "search-index.{lang}.js"

#: Texts of a record that are not searched: notes for the data's stewards.
_UNSEARCHED = frozenset({PIC.rationale, PIC.ordinal})
#: Notes for the data's stewards: searched, at the lowest weight, but never shown in a
#: snippet, as pages do not show them to readers (an event known as a webinar only there).
_UNSHOWN = frozenset({SKOS.editorialNote})
#: Other names of a record, besides :data:`NAME_PROPERTIES`.
_OTHER_NAMES = (SKOS.altLabel, SKOS.hiddenLabel, PIC.alias, PIC.gloss)
#: Links whose target's name is searched with the record (``r``).
_TIES = (PIC.neighbourhood, PIC.theme, PIC.territory, PIC.phase)
_TEXT_TYPES = frozenset({None, XSD.string, RDF.langString})
_STATEMENT, _CONFIDENCE, _NOTATION = RDF.Statement, PIC.confidence, SKOS.notation
_PUNCTUATION = ".,;:!?()[]«»\"'’“”…·"


def search_synonyms(lang: str) -> dict[str, list[str]]:
    """The synonyms of kinds' words in ``lang`` (``quote`` for ``quotation``): the catalogue's
    ``portal.search_synonyms``, written ``word: synonym synonym; word: …``."""
    table: dict[str, list[str]] = {}
    for part in translate(lang, "portal.search_synonyms").split(";"):
        word, _, synonyms = part.partition(":")
        if word.strip():
            table[word.strip().lower()] = synonyms.split()
    return table


def _texts(site: SiteGraph, node: Node, props: frozenset[URIRef]) -> list[Literal]:
    """The texts of ``node`` under ``props``."""
    found = []
    for prop in props:
        found += [o for o in site.values(node, prop) if isinstance(o, Literal) and o.datatype in _TEXT_TYPES]
    return found


def _in_order(texts: list[Literal], lang: str) -> list[str]:
    """Texts without repeats, those in ``lang`` first (a snippet is cut from the first match)."""
    ordered = sorted(texts, key=lambda t: (t.language != lang, t.language or "", str(t)))
    return list(dict.fromkeys(str(t) for t in ordered))


def _title(site: SiteGraph, resource: Node, lang: str) -> str:
    """The name a reader of ``lang`` knows ``resource`` by: its label in ``lang``, else its
    gloss in ``lang`` (an English form made for this graph), else its label."""
    label = site.label(resource, lang)
    if label.lang not in (None, lang):
        for gloss in site.values(resource, PIC.gloss):
            if isinstance(gloss, Literal) and gloss.language == lang:
                return str(gloss)
    return label.text


def search_entries(site: SiteGraph, lang: str) -> list[dict[str, str]]:
    """The search entries of the pages in ``lang`` (see the module's doc for the fields)."""
    added: dict[Node, list[Literal]] = defaultdict(list)
    for statement in site.instances(_STATEMENT):
        subject, obj = site.value(statement, RDF.subject), site.value(statement, RDF.object)
        if subject is not None and isinstance(obj, Literal) and obj.datatype in _TEXT_TYPES:
            added[subject].append(obj)
    synonyms = search_synonyms(lang)
    names_props = frozenset((*NAME_PROPERTIES, *_OTHER_NAMES))
    entries = []
    for resource in site.resources():
        kinds = site.types(resource)
        if _STATEMENT in kinds:
            continue
        title = _title(site, resource, lang)
        names = _in_order(_texts(site, resource, names_props), lang)
        kind_words = [site.label(k, lang).text for k in kinds] + [
            site.label(scheme, lang).text for scheme in site.values(resource, SKOS.inScheme)
        ]
        extra = [s for word in " ".join(kind_words).lower().split() for s in synonyms.get(word, [])]
        texts = [
            t
            for prop, objects in site.out.get(resource, {}).items()
            if prop not in names_props and prop not in _UNSEARCHED and prop not in _UNSHOWN
            for t in objects
            if isinstance(t, Literal) and t.datatype in _TEXT_TYPES
        ]
        ties = [site.label(o, lang).text for prop in _TIES for o in site.values(resource, prop)]
        level = site.value(resource, _CONFIDENCE)
        notation = site.value(level, _NOTATION) if level is not None else None
        entries.append(
            {
                "t": title,
                "n": " · ".join(n for n in names if n != title),
                "k": " · ".join(kind_words),
                "s": " ".join(extra),
                "r": " · ".join(dict.fromkeys(ties)),
                "x": " · ".join(t for t in _in_order(texts + added.get(resource, []), lang) if t != title),
                "h": _words(_in_order(_texts(site, resource, _UNSHOWN), lang)),
                "u": page_file(site.pages[resource], lang),
                "c": str(notation) if notation is not None else "",
            }
        )
    return entries


def _words(texts: list[str]) -> str:
    """The words of ``texts``, each once (the first way it is written), punctuation left
    out: what is searched of a text never shown (a third of the notes' room)."""
    seen: dict[str, str] = {}
    for text in texts:
        for word in text.split():
            bare = word.strip(_PUNCTUATION)
            if bare:
                seen.setdefault(bare.casefold(), bare)
    return " ".join(seen.values())


#: The fields of an entry, in the order the index writes them.
FIELDS = ("t", "n", "k", "s", "r", "x", "h", "u", "c")


def search_index(site: SiteGraph, lang: str) -> str:
    """The search index of ``lang`` as a script: ``window.PICKG_SEARCH = {...}``, each
    entry a row of :data:`FIELDS`, its page ``u`` without the ``page`` every resource's
    page ends with (``/index.en.html``): a tenth less to load than an object per entry.

    Every ``<`` is written ``\\u003c``, so no text of the data can close a script or open
    a tag, wherever the file is included."""
    page = page_file("/index", lang)
    rows = [
        [entry[f].removesuffix(page) if f == "u" else entry[f] for f in FIELDS] for entry in search_entries(site, lang)
    ]
    body = json.dumps({"fields": FIELDS, "page": page, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
    return "window.PICKG_SEARCH = " + body.replace("<", "\\u003c") + ";\n"
