"""Where a workbook's changes go, and whether the graph they leave conforms.

Two steps of ``pickg sheet import`` (:mod:`pickg.sheets.importing`) that need only the
triples a workbook adds and removes: the project's shapes and checks on the data with
those changes (:func:`validate_changes`), the data file each change is written to
(:func:`changes_by_file`), and their writing, every file or none (:func:`write_changes`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from pickg.graph.canonical import canonical_turtle
from pickg.graph.errors import InputError
from pickg.graph.files import write_all_atomically
from pickg.graph.messages import translate
from pickg.graph.namespaces import RDF
from pickg.graph.rdfio import parse_file, read_quads
from pickg.graph.store import OxigraphStore
from pickg.graph.workspace import Workspace
from pickg.sheets.cells import value_key
from pickg.sheets.review import SheetImport, Triple
from pickg.sheets.splice import FileChanged, Splice, splice
from pickg.validation.reach import reach_of
from pickg.validation.report import Report

__all__ = ["changes_by_file", "validate_changes", "write_changes"]


def validate_changes(
    store: OxigraphStore, added: set[Triple], removed: set[Triple], lang: str, ws: Workspace, touched: set[Node]
) -> Report:
    """The project's shapes and checks on the graph as the workbook leaves it.

    Run by the fast engine (the shapes compiled to SPARQL, in an Oxigraph store in
    memory), which gives pySHACL's results: 0.54 s against 6.58 s for pySHACL on the
    shipped data, 12.2x (``bench/sheets.py``, ``bench/SHEETS.md``), for a command a
    steward runs after every edit. ``store`` holds the data as it is (the store the
    rows were read against, loaded from the files by Oxigraph's own parser, as
    ``pickg validate`` does); the workbook's changes are made in it for the validation
    and undone after, so that it holds the data as it is again. The report keeps
    every violation and the other results about the resources the workbook changed
    (``touched``): the review shows no more. The checks are asked only about the focus
    nodes the changes can concern (:mod:`pickg.validation.reach`: the warnings about
    ``touched``, the violations of most compiled checks about ``touched`` and what
    points at it, the others about every focus node): a violation the data had before
    the workbook, on a resource it did not change, is ``pickg validate``'s to report.
    """
    import pyoxigraph as ox

    from pickg.graph.terms import triple_to_ox
    from pickg.validation.fast_engine import validate_store

    def quad(triple: Triple) -> ox.Quad:
        t = triple_to_ox(*triple)
        return ox.Quad(t.subject, t.predicate, t.object)

    gone = [q for q in map(quad, removed) if q in store.inner]
    new = [q for q in map(quad, added) if q not in store.inner]
    for q in gone:
        store.inner.remove(q)
    for q in new:
        store.inner.add(q)
    try:
        return validate_store(
            store,
            lang=lang,
            checks=True,
            workspace=ws,
            keep=lambda result: result.severity == "Violation" or result.focus_node in touched,
            reach=reach_of(store, touched),
        )
    finally:
        for q in new:
            store.inner.remove(q)
        for q in gone:
            store.inner.add(q)


def changes_by_file(
    ws: Workspace, added: set[Triple], removed: set[Triple], new_homes: dict[Node, str]
) -> dict[Path, tuple[set[Triple], set[Triple]]]:
    """Data file → the triples the workbook adds to it and removes from it.

    A removed triple leaves every file that states it, a number as the file writes it
    (``removed`` holds numbers as the store gives them back: ``1.5`` for ``1.50``); an
    added one goes to the first file that types its subject, else to its sheet's file
    for a new row; a new statement goes where the resource it describes goes; anything
    else to the first data file. The files are read as a stream (no graph is built) to
    find them.
    """
    import pyoxigraph as ox

    from pickg.graph.terms import rdflib_term, to_ox, triple_to_ox

    data = ws.data_files()
    wanted: dict[ox.Quad, Triple] = {}
    by_value: dict[tuple[object, object, object], Triple] = {}  # numbers: the store gives 1.5 for 1.50
    for triple in removed:
        ox_triple = triple_to_ox(*triple)
        wanted[ox.Quad(ox_triple.subject, ox_triple.predicate, ox_triple.object)] = triple
        key = value_key(triple[2])
        if key is not triple[2]:
            by_value[(ox_triple.subject, ox_triple.predicate, key)] = triple
    pairs = {key[:2] for key in by_value}
    described = {s: o for s, p, o in added if p == RDF.subject and (s, RDF.type, RDF.Statement) in added}
    subjects: dict[object, Node] = {to_ox(s): s for s in {t[0] for t in added} | set(described.values())}
    rdf_type = ox.NamedNode(str(RDF.type))
    typed: dict[URIRef, Path] = {}
    targets: dict[Path, tuple[set[Triple], set[Triple]]] = defaultdict(lambda: (set(), set()))
    for path in data:
        for quad in read_quads(path):
            if quad in wanted:
                targets[path][1].add(wanted[quad])
            elif pairs and (quad.subject, quad.predicate) in pairs and isinstance(quad.object, ox.Literal):
                written = rdflib_term(quad.object, decimal_point=False)  # the number as the file writes it
                same = by_value.get((quad.subject, quad.predicate, value_key(written)))
                if same is not None:
                    targets[path][1].add((same[0], same[1], written))
            subject = subjects.get(quad.subject) if quad.predicate == rdf_type else None
            if isinstance(subject, URIRef):
                typed.setdefault(subject, path)

    def home(subject: Node) -> Path | None:
        if isinstance(subject, URIRef) and subject in typed:
            return typed[subject]
        if subject in new_homes:
            return ws.data_dir / new_homes[subject]
        return home(described[subject]) if isinstance(subject, URIRef) and subject in described else None

    for triple in sorted(added, key=str):
        targets[home(triple[0]) or data[0]][0].add(triple)
    return targets


def write_changes(ws: Workspace, outcome: SheetImport, new_homes: dict[Node, str], lang: str) -> None:
    """Write the changes of a conforming import into ``data/``: each changed file in
    canonical form, spliced where it can be (:func:`pickg.sheets.splice.splice`: its
    new text written piece by piece, never held whole), every file or none
    (:func:`pickg.graph.files.write_all_atomically`, synced to disk: a failure before the
    renames leaves ``data/`` as it was); ``outcome.written`` lists them.

    :raises InputError: a data file was changed by other means while the import ran
        (nothing is written).
    """
    contents: dict[Path, bytes | Callable[[str], None]] = {}
    for file_path, (adding, removing) in sorted(changes_by_file(ws, outcome.added, outcome.removed, new_homes).items()):
        exists = file_path.exists()
        spliced = splice(file_path, adding, removing) if exists else None
        if spliced is not None:
            if not spliced.unchanged():
                contents[file_path] = partial(_write_splice, spliced, ws.relative(file_path), lang)
            continue
        # the file as it is, with the workbook's changes, parsed and written whole
        target = parse_file(file_path) if exists else Graph()
        for triple in removing:
            target.remove(triple)
        for triple in adding:
            target.add(triple)
        text = canonical_turtle(target).encode("utf-8")
        if not exists or file_path.read_bytes() != text:
            contents[file_path] = text
    write_all_atomically(contents, durable=True)
    outcome.written = [ws.relative(p) for p in contents]


def _write_splice(spliced: Splice, name: str, lang: str, path: str) -> None:
    try:
        with open(path, "wb") as handle:
            spliced.write(handle)
    except FileChanged:
        raise InputError(translate(lang, "problems.data_file_changed", file=name)) from None
