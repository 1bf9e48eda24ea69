"""The spliced Turtle of a changed data file is the canonical Turtle of the whole file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from pickg.graph.canonical import canonical_turtle
from pickg.graph.namespaces import PIC, RDF, RDFS
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.sheets.splice import spliced_turtle

FILES = ["neighbourhoods.ttl", "initiatives.ttl", "funding.ttl", "organisations.ttl", "places.ttl"]


@pytest.mark.parametrize("name", FILES)
def test_a_spliced_file_is_the_canonical_file(name: str, workspace: Workspace) -> None:
    path = workspace.data_dir / name
    graph = parse_file(path)
    rng = random.Random(name)
    triples = sorted(graph, key=str)
    removing = set(rng.sample(triples, 6))
    subjects = sorted({s for s, _, _ in triples if isinstance(s, URIRef)}, key=str)
    target = rng.choice(subjects)
    new = URIRef(str(target) + "-new")
    adding = {
        (target, RDFS.label, Literal("Un nom changé", lang="fr")),
        (rng.choice(subjects), PIC.relatedTo, target),  # one more reference: the block moves
        (new, RDF.type, PIC.Place),
        (new, RDFS.label, Literal("Nouveau", lang="fr")),
    }
    removing -= adding
    spliced = spliced_turtle(path, adding, removing)  # type: ignore[arg-type]
    assert spliced is not None
    for triple in removing:
        graph.remove(triple)
    for triple in adding:
        graph.add(triple)
    assert spliced == canonical_turtle(graph)


def test_a_file_not_in_canonical_form_is_left_to_the_whole_serialisation(tmp_path: Path) -> None:
    path = tmp_path / "plain.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    triple = (URIRef("https://example.org/a"), URIRef("https://example.org/b"), URIRef("https://example.org/d"))
    assert spliced_turtle(path, {triple}, set()) is None
