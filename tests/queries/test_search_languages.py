"""Issue 26: ``search-desired-changes`` finds English words in English and French words in
French.

The texts searched are the initiatives' names and other names in any language, and in the
chosen language their desired change and description (the source's, or a translation made
for this graph: a property that is ``pic:translationOf`` the original), the gloss of
their name and the label of their type; where an initiative has no desired change (or
description) in the chosen language, its original is searched. The expected rows are
computed here from the graph, by that rule and the suite's own folding
(:func:`~pickg.queries.execution.normalise_search`), so the test keeps holding as
translations are added to ``data/``; the words that exist in the data today must find
something.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.term import Node

from pickg.graph.namespaces import DCTERMS, PIC, RDF, RDFS, SKOS
from pickg.graph.store import OxigraphStore
from pickg.queries.execution import normalise_search, run_query
from pickg.queries.results import Result

NAMES = (RDFS.label, SKOS.altLabel)
TEXTS = (PIC.desiredChange, DCTERMS.description)

#: (language, word, whether the data holds it today in that language's texts).
SEARCHES = [
    ("en", "housing", True),
    ("en", "isolation", True),
    ("en", "Saint-Michel food system", True),
    ("en", "SCHOOL", True),
    ("en", "immigrants", False),
    ("en", "Montreal East", False),
    ("en", "initiative", True),
    ("fr", "logement", True),
    ("fr", "sécurité ALIMENTAIRE", True),
    ("fr", "housing", False),
]


def expected_rows(graph: Graph, word: str, lang: str) -> set[tuple[Node, Node]]:
    """(initiative, property) of every text the search should find ``word`` in."""
    needle = normalise_search(word)
    translations = {kind: set(graph.subjects(PIC.translationOf, kind)) for kind in TEXTS}
    found: set[tuple[Node, Node]] = set()
    for initiative in graph.subjects(RDF.type, PIC.Initiative):
        texts: list[tuple[Node, Literal]] = []
        for prop in NAMES:
            texts += [(prop, o) for o in graph.objects(initiative, prop) if isinstance(o, Literal)]
        texts += [(PIC.gloss, o) for o in graph.objects(initiative, PIC.gloss) if isinstance(o, Literal)]
        texts = [(p, o) for p, o in texts if p in NAMES or o.language == lang]
        for kind in TEXTS:
            of_kind = [(p, o) for p in (kind, *translations[kind]) for o in graph.objects(initiative, p)]
            of_kind = [(p, o) for p, o in of_kind if isinstance(o, Literal)]
            in_lang = [(p, o) for p, o in of_kind if o.language == lang]
            texts += in_lang or of_kind
        for kind in graph.objects(initiative, RDF.type):
            texts += [
                (RDF.type, o) for o in graph.objects(kind, RDFS.label) if isinstance(o, Literal) and o.language == lang
            ]
        found |= {(initiative, prop) for prop, text in texts if needle in normalise_search(str(text))}
    return found


@pytest.fixture(scope="module")
def store(graph: Graph) -> OxigraphStore:
    """The graph in Oxigraph, which answers a search in milliseconds (rdflib: seconds)."""
    held = OxigraphStore()
    held.add_graph(graph)
    return held


def search(store: OxigraphStore, word: str, lang: str) -> Result:
    return run_query("search-desired-changes", {"text": word}, lang=lang, backend=store)


@pytest.mark.parametrize(("lang", "word", "today"), SEARCHES, ids=[f"{lang}-{word}" for lang, word, _ in SEARCHES])
def test_the_search_reads_the_texts_of_the_chosen_language(
    graph: Graph, store: OxigraphStore, lang: str, word: str, today: bool
) -> None:
    result = search(store, word, lang)
    got = {(row["initiative"], row["field"]) for row in result.as_dicts()}
    expected = expected_rows(graph, word, lang)
    assert got == expected, f"missing {sorted(expected - got)[:3]}, unexpected {sorted(got - expected)[:3]}"
    if today:
        assert got, f"{word!r} is in the data's {lang} texts today, and the search finds nothing"


def test_a_gloss_is_searched_in_english_only(store: OxigraphStore) -> None:
    english = search(store, "housing", "en").as_dicts()
    french = search(store, "housing", "fr").as_dicts()
    assert any(row["field"] == PIC.gloss and row["text"].language == "en" for row in english)
    assert not any(row["field"] == PIC.gloss for row in french)
