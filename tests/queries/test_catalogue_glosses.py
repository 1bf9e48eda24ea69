"""Issue 26: every label column of the catalogue gives a reader of English the gloss of a
name that has no English label, as the site and the CLI's tables do (a gloss wins over the
French name in English).

The graph is the shipped data with a made-up English gloss on every named resource that
has neither an English label nor a gloss yet, so that each label column meets a gloss
whatever the data holds today; every catalogue query then runs in English on Oxigraph.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from pickg.graph.namespaces import PIC, RDFS, SKOS
from pickg.graph.store import OxigraphStore
from pickg.queries.catalogue import LANG_PARAM, load_catalog
from pickg.queries.execution import run_query
from pickg.queries.results import LABEL_SUFFIX

CATALOG = load_catalog()


def _gloss(iri: URIRef) -> Literal:
    return Literal(f"gloss of {iri}", lang="en")


@pytest.fixture(scope="module")
def glossed(graph: Graph) -> tuple[OxigraphStore, set[URIRef]]:
    """The shipped data plus a gloss on each resource named in one language only."""
    added = Graph()
    for prop in (RDFS.label, SKOS.prefLabel):
        for subject, label in graph.subject_objects(prop):
            english = any(isinstance(o, Literal) and o.language == "en" for o in graph.objects(subject, prop))
            if isinstance(subject, URIRef) and isinstance(label, Literal) and not english:
                if (subject, PIC.gloss, None) not in graph:
                    added.add((subject, PIC.gloss, _gloss(subject)))
    store = OxigraphStore()
    store.add_graph(graph)
    store.add_graph(added)
    return store, {subject for subject in added.subjects() if isinstance(subject, URIRef)}


@pytest.mark.parametrize("name", sorted(name for name, q in CATALOG.items() if q.param(LANG_PARAM)))
def test_every_label_column_gives_the_gloss_in_english(glossed: tuple[OxigraphStore, set[URIRef]], name: str) -> None:
    store, iris = glossed
    result = run_query(CATALOG[name], None, lang="en", backend=store)
    missed = set()
    for column, variable in enumerate(result.variables):
        subject = variable.removesuffix(LABEL_SUFFIX)
        if not variable.endswith(LABEL_SUFFIX) or subject not in result.variables:
            continue
        index = result.variables.index(subject)
        for row in result.rows:
            iri = row[index]
            if isinstance(iri, URIRef) and iri in iris and row[column] != _gloss(iri):
                missed.add((variable, str(row[column])))
    assert not missed, f"{name}: label columns that miss the English gloss: {sorted(missed)[:5]}"
