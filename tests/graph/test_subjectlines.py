"""The line where a resource is described: a scan of the Turtle text, checked against the parser."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef

from pickg.graph.formats import FORMATS
from pickg.graph.store import from_ox
from pickg.graph.subjectlines import described_lines, subject_lines
from pickg.graph.workspace import Workspace

EX = "https://example.org/"
WORKSPACE = Workspace.discover()
TURTLE_FILES = sorted(
    [*WORKSPACE.data_files(), *WORKSPACE.ontology_files(), *WORKSPACE.vocabulary_files(), *WORKSPACE.shape_files()]
    + sorted((Path(__file__).resolve().parents[1] / "validation" / "shapes").glob("*/*.ttl"))
)


def _subjects(path: Path) -> set[URIRef]:
    """The IRIs the parser finds as subjects in ``path``."""
    fmt = FORMATS[path.suffix][1]
    quads = ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
    return {node for node in (from_ox(q.subject) for q in quads) if isinstance(node, URIRef)}


def _lines(tmp_path: Path, text: str, *locals_: str, suffix: str = ".ttl") -> dict[str, int]:
    path = tmp_path / f"f{suffix}"
    path.write_text(text, encoding="utf-8")
    found = subject_lines(path, [URIRef(EX + name) for name in locals_])
    return {str(node).removeprefix(EX): line for node, line in found.items()}


def test_every_subject_of_the_shipped_files_is_placed_on_a_line_that_names_it() -> None:
    """The data, the ontology, the shapes and the shape tests: 216 files, 1,328 subjects."""
    problems = []
    for path in TURTLE_FILES:
        subjects = _subjects(path)
        lines = subject_lines(path, subjects)
        problems += [f"{path}: {node} not placed" for node in sorted(subjects - set(lines))]
        text = path.read_text(encoding="utf-8").splitlines()
        for node, line in lines.items():
            local = str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if local not in text[line - 1] or text[line - 1].startswith(" "):
                problems.append(f"{path}:{line}: {node}? {text[line - 1]}")
    assert len(TURTLE_FILES) > 200 and not problems, "\n".join(problems)


def test_prefixed_full_and_relative_iris_resolve_as_the_parser_resolves_them(tmp_path: Path) -> None:
    text = f"""@prefix ex: <{EX}> .
PREFIX e2: <{EX}two/>
ex:a ex:p ex:b .
<{EX}b> ex:p 1 .
@base <{EX}> .
<c> ex:p 2 .
BASE <{EX}sub/>
<../d> ex:p 3 .
e2:x ex:p 4 .
ex:f\\-g ex:p 5 .
<{EX}\\u0068> ex:p 6 .
"""
    assert _lines(tmp_path, text, "a", "b", "c", "d", "two/x", "f-g", "h") == {
        "a": 3,
        "b": 4,
        "c": 6,
        "d": 8,
        "two/x": 9,
        "f-g": 10,
        "h": 11,
    }


def test_objects_strings_comments_and_nested_nodes_are_not_subjects(tmp_path: Path) -> None:
    text = f"""@prefix ex: <{EX}> .
# ex:a ex:p ex:q .
ex:z ex:p
    ex:a ;
    ex:q \"\"\"a long text
ex:a ex:p ex:b .
\"\"\" ;
    ex:r [ ex:s ex:a ] , ( ex:a ) .
[ ex:p ex:a ] ex:q ex:a .
ex:w ex:p ex:a.
ex:a
    a ex:Thing .
ex:a ex:p 2 .
"""
    assert _lines(tmp_path, text, "a", "w", "z") == {"a": 11, "w": 10, "z": 3}


def test_n_triples_and_n_quads_name_lines_too(tmp_path: Path) -> None:
    text = f'<{EX}a> <{EX}p> "x" .\n<{EX}b> <{EX}p> <{EX}a> .\n'
    assert _lines(tmp_path, text, "a", "b", suffix=".nt") == {"a": 1, "b": 2}
    quads = f'<{EX}b> <{EX}p> "x" <{EX}g> .\n<{EX}a> <{EX}p> "y" <{EX}g> .\n'
    assert _lines(tmp_path, quads, "a", "b", suffix=".nq") == {"a": 2, "b": 1}


def test_what_cannot_be_placed_gets_no_line(tmp_path: Path) -> None:
    jsonld = tmp_path / "f.jsonld"
    jsonld.write_text(f'{{"@id": "{EX}a", "{EX}p": "x"}}', encoding="utf-8")
    assert subject_lines(jsonld, [URIRef(EX + "a")]) == {}
    turtle = tmp_path / "f.ttl"
    turtle.write_text(f"@prefix ex: <{EX}> .\n_:b ex:p ex:a .\nex:a ex:p 1 .\n", encoding="utf-8")
    assert subject_lines(turtle, [BNode("b")]) == {}
    assert subject_lines(turtle, [URIRef(EX + "absent")]) == {}
    # a text the scan does not understand: it stops there, keeping only what came before
    turtle.write_text(f"@prefix ex: <{EX}> .\nex:a ex:p 1 .\nex:b ex:p \\ .\nex:c ex:p 2 .\n", encoding="utf-8")
    assert subject_lines(turtle, [URIRef(EX + n) for n in "abc"]) == {URIRef(EX + "a"): 2, URIRef(EX + "b"): 3}


def test_described_lines_reads_each_file_for_its_own_nodes() -> None:
    neighbourhoods = WORKSPACE.data_dir / "neighbourhoods.ttl"
    programme = WORKSPACE.data_dir / "programme.ttl"
    nbh, phase = sorted(_subjects(neighbourhoods))[0], sorted(_subjects(programme))[0]
    describing = {nbh: "data/neighbourhoods.ttl", phase: "data/programme.ttl", URIRef(EX + "x"): "elsewhere.ttl"}
    lines = described_lines(describing, {"data/neighbourhoods.ttl": neighbourhoods, "data/programme.ttl": programme})
    assert lines == {nbh: subject_lines(neighbourhoods, [nbh])[nbh], phase: subject_lines(programme, [phase])[phase]}
