"""A spliced file is written piece by piece from the old bytes, and a splice that changes nothing is known as such."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from pickg.graph.canonical import canonical_turtle
from pickg.graph.errors import InputError
from pickg.graph.files import write_all_atomically
from pickg.graph.namespaces import RDFS
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.sheets.changes import _write_splice
from pickg.sheets.splice import FileChanged, splice


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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_file_changed_after_the_splice_read_it_is_not_read_by_place_and_nothing_is_written(
    lang: str, workspace_copy: Workspace
) -> None:
    path = workspace_copy.data_dir / "neighbourhoods.ttl"
    other = workspace_copy.data_dir / "roundtables.ttl"
    subject, label = _first_label(path)
    changed = Literal(str(label) + " (renommé)", lang=label.language)
    done = splice(path, {(subject, RDFS.label, changed)}, {(subject, RDFS.label, label)})
    assert done is not None
    # another editor saves the file meanwhile: one line moved to the end, the same size
    text = path.read_bytes()
    edited = text[text.index(b"\n") + 1 :] + text[: text.index(b"\n") + 1]
    path.write_bytes(edited)
    with pytest.raises(FileChanged):
        done.write(io.BytesIO())
    before = {p: p.read_bytes() for p in workspace_copy.data_dir.glob("*.ttl")}
    second = splice(other, *_relabel(other))
    assert second is not None
    contents = {
        other: partial(_write_splice, second, "roundtables.ttl", lang),
        path: partial(_write_splice, done, "neighbourhoods.ttl", lang),
    }
    with pytest.raises(InputError) as caught:
        write_all_atomically(contents)
    assert "neighbourhoods.ttl" in str(caught.value)
    assert {p: p.read_bytes() for p in workspace_copy.data_dir.glob("*.ttl")} == before
    assert not list(workspace_copy.data_dir.glob(".*.tmp"))


def _relabel(path: Path) -> tuple[set[tuple[URIRef, URIRef, Literal]], set[tuple[URIRef, URIRef, Literal]]]:
    subject, label = _first_label(path)
    return {(subject, RDFS.label, Literal(str(label) + " (2)", lang=label.language))}, {(subject, RDFS.label, label)}
