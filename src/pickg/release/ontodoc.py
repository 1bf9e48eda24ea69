"""The ontology's documentation as one HTML page, made by pyLODE.

pyLODE renders the file it is given in the order it reads it, so give it the
canonical Turtle of the ontology. One part of its page is not deterministic: the
members of an ``owl:unionOf`` / ``owl:intersectionOf`` (a property whose domain is
"A or B or C") are collected in a Python ``set`` of HTML elements, whose order
changes from one process to the next. :func:`ontology_html` sorts each such list, so
the page is the same bytes for the same ontology.

pyLODE joins every label of a term into one heading ("assessesfait le bilan de"), so
the page names each term by its English label and title where it has one (the French
ones stay in ``ontology.ttl``); definitions are shown in both languages.

The page depends only on the ontology's text and pyLODE's version:
:func:`ontology_html` keeps it in the cache of :mod:`pickg.graph.cache` under those two, so a
run with an unchanged ontology does not import or run pyLODE (about a second).

Two side effects of importing pyLODE are undone: it configures the root logger at
DEBUG level (which would make every library's debug messages appear), and it logs
each rendering at INFO level.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal

from pickg.graph.errors import InputError
from pickg.graph.namespaces import DCTERMS, RDFS, SKOS
from pickg.graph.rdfio import parse_data

__all__ = ["ontology_html"]


_SEPARATOR = re.compile(r'^( *)<span class="cardinality">(?:or|and)</span>$', re.MULTILINE)


def _sort_class_lists(html: str) -> str:
    """Sort the members of every "A or B or C" / "A and B" list of the page.

    pyLODE writes each member as a ``<span>`` block and separates them with a
    ``<span class="cardinality">or</span>`` line at the same indentation.
    """
    for indent in sorted({m.group(1) for m in _SEPARATOR.finditer(html)}, key=len, reverse=True):
        ind = re.escape(indent)
        item = rf"{ind}<span>\n(?:{ind} +.*\n)*?{ind}</span>\n"
        separator = rf'{ind}<span class="cardinality">(?:or|and)</span>\n'
        run = re.compile(rf"^(?:{item}{separator})+{item}", re.MULTILINE)

        def sort_run(match: re.Match[str], item: str = item, separator: str = separator) -> str:
            text = match.group(0)
            members = sorted(re.findall(rf"^{item}", text, flags=re.MULTILINE))
            joiner = re.search(rf"^{separator}", text, flags=re.MULTILINE)
            assert joiner is not None
            return joiner.group(0).join(members)

        html = run.sub(sort_run, html)
    return html


_NAMES = (RDFS.label, DCTERMS.title, SKOS.prefLabel)


def _one_name_per_term(graph: Graph, lang: str = "en") -> Graph:
    """Drop the names of a term in other languages when it has one in ``lang`` (in place)."""
    for predicate in _NAMES:
        for subject in sorted(set(graph.subjects(predicate, None)), key=str):
            names = list(graph.objects(subject, predicate))
            if any(isinstance(n, Literal) and n.language == lang for n in names):
                for name in names:
                    if isinstance(name, Literal) and name.language != lang:
                        graph.remove((subject, predicate, name))
    return graph


def _import_pylode() -> Any:
    """Import pyLODE's ``OntPub`` without letting it reconfigure logging."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return OntPub


def _pylode_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pylode")
    except PackageNotFoundError:
        return "unknown"


def ontology_html(turtle: str, cache: Path | None = None) -> str:
    """The HTML documentation of the ontology written as ``turtle`` (canonical Turtle).

    :param cache: a cache folder (:func:`pickg.graph.cache.cache_dir`): the page is read from
        it when the same text was documented by the same pyLODE version, else made
        and kept there. None: always made.
    :raises InputError: pyLODE cannot document it (no title, …); the message says why.
    """
    from pickg.graph.cache import cache_key, cached_text

    key = cache_key("ontology.html", _pylode_version(), turtle)
    return cached_text(cache, "ontology-html", key, lambda: _make_html(turtle))


def _make_html(turtle: str) -> str:
    ont_pub = _import_pylode()
    disabled = logging.root.manager.disable
    logging.disable(logging.INFO)  # pyLODE logs through the root logger
    try:
        # Parsed as pyLODE parses a file, so triples are met in the order of the text.
        graph = _one_name_per_term(parse_data(turtle, graph=Graph(bind_namespaces="core")))
        html = ont_pub(ontology=graph).make_html()
    except Exception as exc:  # pyLODE raises its own and rdflib's errors
        raise InputError(
            f"the ontology documentation cannot be generated: {exc}; "
            "check the owl:Ontology header (it needs a dcterms:title)"
        ) from None
    finally:
        logging.disable(disabled)
    text = _sort_class_lists(str(html))
    return text if text.endswith("\n") else text + "\n"
