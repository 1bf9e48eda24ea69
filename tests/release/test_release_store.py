"""Release parts computed on the Oxigraph store: tables, statistics, catalogue facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from rdflib import Graph, URIRef

from pickg.graph.namespaces import RDF
from pickg.graph.rdfio import workspace_files
from pickg.graph.store import OxigraphStore, open_store
from pickg.graph.workspace import Workspace
from pickg.queries.stats import compute_stats
from pickg.release.dcat import EXAMPLE_CLASSES, dataset_facts
from pickg.release.tables import MULTI_VALUE_SEPARATOR, read_extract_query, run_extract


@pytest.fixture(scope="module")
def store(workspace: Workspace) -> Iterator[OxigraphStore]:
    with open_store("oxigraph", workspace_files(None, True, workspace)) as opened:
        assert isinstance(opened, OxigraphStore)
        yield opened


def test_multi_valued_cells_are_sorted(store: OxigraphStore, workspace: Workspace) -> None:
    seen = 0
    for path in workspace.extract_files():
        query = read_extract_query(path)
        assert query.multi_valued <= {name for name, _ in query.columns}
        columns = [i for i, (name, _) in enumerate(query.columns) if name in query.multi_valued]
        for row in run_extract(query, store).rows:
            for i in columns:
                values = row[i].split(MULTI_VALUE_SEPARATOR)
                assert values == sorted(values), (path.name, row[0], query.columns[i][0])
                seen += len(values) > 1
    assert seen  # the shipped data has cells of several values


def test_stats_on_the_store_are_the_stats_of_the_graph(store: OxigraphStore, graph: Graph) -> None:
    for lang in ("fr", "en"):
        assert compute_stats(store, lang=lang) == compute_stats(graph, lang=lang)


def test_catalogue_facts_count_the_graph(store: OxigraphStore, graph: Graph) -> None:
    facts = dataset_facts(
        store, version="1.0.0", issued=dt.date(2020, 1, 1), previous=None, license=URIRef("urn:x"), creators=()
    )
    assert facts.triples == len(graph)
    assert facts.distinct_subjects == len(set(graph.subjects()))
    assert facts.distinct_objects == len(set(graph.objects()))
    assert facts.properties == len(set(graph.predicates()))
    members: dict[URIRef, set[object]] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(cls, URIRef):
            members.setdefault(cls, set()).add(subject)
    assert dict(facts.class_partitions) == {cls: len(found) for cls, found in members.items()}
    assert facts.entities == len(set().union(*members.values()))
    firsts = [min(s for s in members.get(c, ()) if isinstance(s, URIRef)) for c in EXAMPLE_CLASSES if c in members]
    assert list(facts.example_resources) == firsts
