"""Content negotiation for the IRI paths ``pickg serve`` answers (``/id/…``, ``/vocab/…``).

Each resource of the graph has a folder in the release's website, at the path of its
IRI (``https://w3id.org/pickg/id/neighbourhood/verdun`` →
``site/id/neighbourhood/verdun/``), holding its page in each language (``index.html``,
``index.en.html``) and its description in Turtle and JSON-LD (``index.ttl``,
``index.jsonld``). :func:`representation` chooses among them, and N-Triples made from
the Turtle, by the request's ``Accept`` (with its q-values; the page when the client
takes anything, as a browser does) and, for the page, ``Accept-Language``.

The standard library has no parser of these headers; :func:`preferences` is the
RFC 9110 grammar of ``Accept`` and ``Accept-Language`` (media ranges or language
ranges with ``q`` weights), kept to what the choice needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from pickg.graph.formats import FORMATS
from pickg.graph.messages import DATA_LANGUAGE, LANGUAGES, language
from pickg.graph.rdfio import read_quads

__all__ = ["DESCRIPTION", "OFFERED", "Representation", "is_resource_folder", "preferences", "representation"]

#: The file of a resource's folder that marks it as one (and holds its Turtle).
DESCRIPTION = "index.ttl"
_HTML = "text/html"
_TURTLE = FORMATS[".ttl"][1].media_type
_JSONLD = FORMATS[".jsonld"][1].media_type
_NTRIPLES = FORMATS[".nt"][1].media_type
#: What a resource's IRI path is offered as, in the server's order of preference (a
#: tie in the client's weights goes to the first).
OFFERED = (_HTML, _TURTLE, _JSONLD, _NTRIPLES)
#: The file of each offered type (None: made from the Turtle).
_FILES = {_TURTLE: "index.ttl", _JSONLD: "index.jsonld", _NTRIPLES: None}
#: Other names of the same types.
_ALIASES = {"application/xhtml+xml": _HTML, "application/x-turtle": _TURTLE, "application/json": _JSONLD}


@dataclass(frozen=True)
class Representation:
    """What answers a request for a resource's IRI path.

    :ivar media_type: the type chosen (``text/html``, ``text/turtle``…).
    :ivar file: the file to send, when it is one (a page, the Turtle, the JSON-LD).
    :ivar body: the bytes to send otherwise (N-Triples).
    :ivar page: True for the HTML page, which must be read at the folder's own path
        (``…/verdun/``: its links are relative).
    """

    media_type: str
    file: Path | None
    body: bytes | None
    page: bool


def is_resource_folder(folder: Path) -> bool:
    """True when ``folder`` is a resource's folder of the website (it holds its Turtle)."""
    return (folder / DESCRIPTION).is_file()


def preferences(header: str | None) -> list[tuple[str, float]]:
    """The ranges of an ``Accept`` or ``Accept-Language`` header with their weights,
    lower-cased, heaviest first (in the header's order among equals); a missing or
    empty header takes anything (``*/*``)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for position, item in enumerate(header.split(",")):
        name, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        if name:
            ranges.append((position, name.lower(), weight))
    ranges.sort(key=lambda r: (-r[2], r[0]))
    return [(name, weight) for _, name, weight in ranges]


def _weight(offer: str, ranges: list[tuple[str, float]]) -> float:
    """The weight the client gives ``offer``: that of the most specific range matching it."""
    kind = offer.split("/")[0]
    best: tuple[int, float] | None = None
    for name, weight in ranges:
        name = _ALIASES.get(name, name)
        specificity = 3 if name == offer else 2 if name == f"{kind}/*" else 1 if name in ("*/*", "*") else 0
        if specificity and (best is None or specificity > best[0]):
            best = (specificity, weight)
    return best[1] if best is not None else 0.0


def _chosen_type(accept: str | None) -> str | None:
    ranges = preferences(accept)
    weights = [(_weight(offer, ranges), -index, offer) for index, offer in enumerate(OFFERED)]
    weight, _, offer = max(weights)
    return offer if weight > 0 else None


def _chosen_language(accept_language: str | None) -> str:
    for name, weight in preferences(accept_language):
        primary = name.split("-")[0]
        if weight > 0 and primary in LANGUAGES:
            return primary
        if weight > 0 and primary == "*":
            break
    return DATA_LANGUAGE


def representation(folder: Path, accept: str | None, accept_language: str | None) -> Representation | None:
    """The representation of the resource whose folder is ``folder`` that the client
    asks for; None when it takes none of :data:`OFFERED` (a 406).

    :raises PickgError: the resource's Turtle cannot be read (a broken release).
    """
    chosen = _chosen_type(accept)
    if chosen is None:
        return None
    if chosen == _HTML:
        suffix = language(_chosen_language(accept_language)).page_suffix
        page = folder / f"index{suffix}.html"
        return Representation(_HTML, page if page.is_file() else folder / "index.html", None, page=True)
    name = _FILES[chosen]
    if name is not None:
        return Representation(chosen, folder / name, None, page=False)
    triples = (quad.triple for quad in read_quads(folder / DESCRIPTION))
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert body is not None
    return Representation(chosen, None, body, page=False)
