"""Validating only what a change can concern gives the results full validation gives.

After a few resources change, :class:`pickg.validation.reach.Reach` asks the checks
only about the focus nodes those changes can concern (what ``pickg sheet import``
shows: every violation the change brings, and every result about what it changed).
On the shipped data and on synthetic data, edited in the ways a workbook edits
(a value past its phase's budget, a type gone from a neighbourhood that rows still
name, a row deleted, a label another resource has, a second phase, a tier removed),
the focused validation must find every such result of the full one, and nothing the
full one does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from pickg.graph.namespaces import PIC, RDF, RDFS, SCHEMA
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import OxigraphStore, open_store
from pickg.graph.storeview import store_graph
from pickg.graph.terms import triple_to_ox
from pickg.graph.workspace import Workspace
from pickg.synth.generator import synthesize
from pickg.validation.fast_engine import validate_store
from pickg.validation.reach import reach_of
from pickg.validation.report import ValidationResult

Triple = tuple[Node, Node, Node]


def _key(result: ValidationResult) -> tuple[object, ...]:
    return (result.focus_node, result.severity, result.source, result.path, result.value, result.component)


def _first(store: OxigraphStore, query: str) -> list[URIRef]:
    rows = store.select(
        "PREFIX pic: <https://w3id.org/pickg/ontology#>\nPREFIX schema: <https://schema.org/>\n" + query
    )
    row = sorted(rows, key=str)[0]
    return [URIRef(str(term)) for term in row]


def _edits(store: OxigraphStore) -> tuple[set[Triple], set[Triple]]:
    """A workbook's worth of edits to the data in ``store``: what they add and remove."""
    graph = store_graph(store)
    added: set[Triple] = set()
    removed: set[Triple] = set()
    (funding,) = _first(store, "SELECT ?f WHERE { ?f a pic:NeighbourhoodFunding ; schema:value ?v ; pic:phase ?p }")
    removed |= {(funding, SCHEMA.value, v) for v in graph.objects(funding, SCHEMA.value)}
    added.add((funding, SCHEMA.value, Literal("999999999999.0", datatype=XSD.decimal)))
    (neighbourhood,) = _first(store, "SELECT ?n WHERE { ?i pic:neighbourhood ?n . ?n a pic:Neighbourhood }")
    removed.add((neighbourhood, RDF.type, PIC.Neighbourhood))  # rows still name it
    (participation,) = _first(
        store,
        "SELECT ?p WHERE { ?p a pic:Participation ; pic:neighbourhood ?n ; pic:phase ?h ."
        " ?i pic:neighbourhood ?n ; pic:phase ?h }",
    )
    removed |= {(participation, p, o) for p, o in graph.predicate_objects(participation)}
    first, second = _first(
        store, "SELECT ?a ?b WHERE { ?a a pic:Initiative . ?b a pic:Initiative . FILTER(STR(?a) < STR(?b)) } LIMIT 1"
    )
    label = next(o for o in graph.objects(second, RDFS.label) if isinstance(o, Literal) and o.language == "fr")
    removed |= {
        (first, RDFS.label, o)
        for o in graph.objects(first, RDFS.label)
        if isinstance(o, Literal) and o.language == "fr"
    }
    added.add((first, RDFS.label, label))
    (phase,) = _first(store, "SELECT ?p WHERE { ?p a pic:Phase }")
    added.add((second, PIC.phase, phase))
    added.add((second, PIC.phase, URIRef(str(phase) + "-other")))
    (tiered,) = _first(store, "SELECT ?p WHERE { ?p a pic:Participation ; pic:supportTier ?t }")
    removed |= {(tiered, PIC.supportTier, t) for t in graph.objects(tiered, PIC.supportTier)}
    return added - removed, removed - added


def _apply(store: OxigraphStore, added: set[Triple], removed: set[Triple]) -> None:
    for triple in removed:
        t = triple_to_ox(*triple)
        store.inner.remove(ox.Quad(t.subject, t.predicate, t.object))
    for triple in added:
        t = triple_to_ox(*triple)
        store.inner.add(ox.Quad(t.subject, t.predicate, t.object))


@pytest.fixture(scope="module", params=["shipped", "synthetic"])
def edited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, OxigraphStore, set[Triple], set[Triple]]]:
    ws = Workspace.discover()
    files = workspace_files(None, True, ws)
    if request.param == "synthetic":
        folder = tmp_path_factory.mktemp("reach")
        data = synthesize(8, folder, seed=5, format="ttl").path
        files = [*workspace_files([], True, ws), Path(data)]
    store = open_store("oxigraph", files)
    assert isinstance(store, OxigraphStore)
    added, removed = _edits(store)
    yield ws, store, added, removed
    store.close()


def test_focused_validation_finds_what_full_validation_finds_about_the_change(
    edited: tuple[Workspace, OxigraphStore, set[Triple], set[Triple]],
) -> None:
    ws, store, added, removed = edited
    before = {_key(r) for r in validate_store(store, checks=True, workspace=ws).results}
    _apply(store, added, removed)
    try:
        changed = {t[0] for t in added | removed}
        full = {_key(r): r for r in validate_store(store, checks=True, workspace=ws).results}
        focused = {
            _key(r) for r in validate_store(store, checks=True, workspace=ws, reach=reach_of(store, changed)).results
        }
    finally:
        _apply(store, removed, added)
    wanted = {k for k, r in full.items() if r.focus_node in changed or (r.severity == "Violation" and k not in before)}
    kinds = {str(r.source).rsplit("#", 1)[-1] for k, r in full.items() if k in wanted}
    # the edits bring what they are meant to: a SPARQL constraint on another resource,
    # class violations on the rows that name the neighbourhood, a count, a label twice
    assert {"NeighbourhoodFunding-withinBudget", "Initiative-participation", "Resource-duplicateLabel"} <= kinds
    assert any(r.focus_node not in changed for k, r in full.items() if k in wanted)
    assert wanted - focused == set()
    assert focused - set(full) == set()
