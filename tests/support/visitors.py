"""A visitor of the portal in the session's Chromium: a tab at one width, in one language,
starting on the home page, and how the site names a record to that visitor.

The ``visitor`` fixture (registered in ``tests/conftest.py``) is parametrized indirectly
with ``(width, lang)``; it opens one context and one page in the session's browser
(``tests/support/browsers.py``) and fails the task if the page logged an error or
asked for anything off the machine.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from pickg.graph.messages import translate
from pickg.graph.namespaces import PIC
from tests.support.browsers import Visit

#: The widths a visitor reads at (a laptop, a phone) and the two languages.
VIEWS = [(1280, "en"), (390, "en"), (1280, "fr"), (390, "fr")]
HOME = {"en": "index.en.html", "fr": "index.html"}


def name_of(graph: Graph, node: URIRef, lang: str) -> str:
    """What the site calls ``node`` for a reader of ``lang``: its name in that language,
    else the project's gloss in it, else its name in the other language."""
    for prop in (SKOS.prefLabel, RDFS.label):
        names = {o.language: str(o) for o in graph.objects(node, prop) if isinstance(o, Literal)}
        if names:
            gloss = [str(o) for o in graph.objects(node, PIC.gloss) if isinstance(o, Literal) and o.language == lang]
            return names.get(lang) or (gloss[0] if gloss else names.get("fr") or next(iter(names.values())))
    raise AssertionError(f"{node} has no name")


def initiatives_of(graph: Graph, neighbourhood: URIRef) -> list[URIRef]:
    """The initiatives of ``neighbourhood``, sorted."""
    return sorted(i for i in graph.subjects(PIC.neighbourhood, neighbourhood) if (i, RDF.type, PIC.Initiative) in graph)


class Visitor:
    """A visitor's browser tab at one width, starting on the home page in one language."""

    def __init__(self, chromium: object, address: str, width: int, lang: str) -> None:
        self.visit = Visit(chromium, address)
        self.visit.page.set_viewport_size({"width": width, "height": 900})
        self.page = self.visit.page
        self.lang = lang
        self.width = width
        self.page.goto(address + HOME[lang])

    def words(self, key: str, **values: object) -> str:
        """The portal's words ``portal.<key>`` in the visitor's language."""
        return translate(self.lang, f"portal.{key}", **values)

    def menu(self, key: str) -> None:
        """Click the menu's entry ``portal.<key>`` and wait for the page it opens to have run
        its scripts (a filter chosen before a list's script listens would do nothing)."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.click(f"nav.menu >> text='{self.words(key)}'")

    def texts(self, selector: str) -> list[str]:
        """The visible text of every element ``selector`` matches, stripped."""
        return [t.strip() for t in self.page.eval_on_selector_all(selector, "els => els.map(e => e.innerText)")]

    def close(self) -> list[str]:
        problems = self.visit.problems
        self.visit.close()
        return problems


@pytest.fixture
def visitor(request: pytest.FixtureRequest, browser: object, base: str) -> Iterator[Visitor]:
    """A visitor at ``request.param`` = (width, lang), on the home page."""
    width, lang = request.param
    tab = Visitor(browser, base, width, lang)
    yield tab
    problems = tab.close()
    assert not problems, problems
