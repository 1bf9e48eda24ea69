"""A spliced file is written piece by piece from the old bytes, and a splice that changes nothing is known as such."""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Literal, URIRef

from pickg.graph.canonical import canonical_turtle
from pickg.graph.namespaces import RDFS
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.sheets.splice import splice


def _first_label(path: Path) -> tuple[URIRef, Literal]:
    graph = parse_file(path)
    subject, label = sorted(
        ((s, o) for s, o in graph.subject_objects(RDFS.label) if isinstance(s, URIRef) and isinstance(o, Literal)),
        key=str,
    )[0]
    assert isinstance(label, Literal)
    return subject, label


def test_the_pieces_written_are_the_canonical_file(workspace: Workspace) -> None:
    path = workspace.data_dir / "neighbourhoods.ttl"
    data = path.read_bytes()
    subject, label = _first_label(path)
    changed = Literal(str(label) + " (renommé)", lang=label.language)
    done = splice(path, {(subject, RDFS.label, changed)}, {(subject, RDFS.label, label)})
    assert done is not None and not done.unchanged()
    written = io.BytesIO()
    done.write(written)
    graph = parse_file(path)
    graph.remove((subject, RDFS.label, label))
    graph.add((subject, RDFS.label, changed))
    assert written.getvalue().decode("utf-8") == canonical_turtle(graph)
    assert data == path.read_bytes()  # the file itself is not touched


def test_a_splice_that_puts_back_what_it_takes_is_unchanged(workspace: Workspace) -> None:
    path = workspace.data_dir / "neighbourhoods.ttl"
    subject, label = _first_label(path)
    done = splice(path, {(subject, RDFS.label, label)}, {(subject, RDFS.label, label)})
    assert done is not None and done.unchanged()
