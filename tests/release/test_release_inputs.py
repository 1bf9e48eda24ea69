"""The sources of a release read as pyoxigraph quads: the same triples rdflib's parser reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from pickg.graph.errors import ParseError
from pickg.graph.rdfio import parse_file
from pickg.graph.workspace import Workspace
from pickg.release.dumps import ntriples, ntriples_ox
from pickg.release.inputs import load_sources, source_graph_iri

PREFIXES = (
    "@prefix ex: <https://example.org/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
)


def _workspace(tmp_path: Path, data: dict[str, str]) -> Workspace:
    (tmp_path / "ontology" / "shapes").mkdir(parents=True)
    (tmp_path / "ontology" / "pic.ttl").write_text(PREFIXES + "ex:o a owl:Ontology ; ex:n 1.50 .\n", encoding="utf-8")
    (tmp_path / "ontology" / "shapes" / "a.shapes.ttl").write_text(PREFIXES + "ex:s ex:p ex:o .\n", encoding="utf-8")
    (tmp_path / "data").mkdir()
    for name, text in data.items():
        (tmp_path / "data" / name).write_text(PREFIXES + text, encoding="utf-8")
    return Workspace(tmp_path)


DATA = {
    # lexical forms rdflib's parser normalises, and a blank node label used in two files
    "a.ttl": 'ex:a ex:n "01"^^xsd:integer, "1e3"^^xsd:double, "2.0"^^xsd:decimal, "x"@fr ; ex:b _:b .\n'
    "_:b ex:v [ ex:w 1 ] .\n",
    # a language tag with a capital: read by rdflib, which keeps it as written
    "b.ttl": 'ex:b ex:label "Montréal"@fr-CA ; ex:c _:b .\n_:b ex:v 2 .\n',
}


def test_each_file_gives_the_triples_rdflib_reads(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, DATA)
    sources = load_sources(ws)
    by_path = {f.path: f for f in sources.files}
    assert sorted(by_path) == ["data/a.ttl", "data/b.ttl", "ontology/pic.ttl", "ontology/shapes/a.shapes.ttl"]
    for relative, file in by_path.items():
        assert ntriples_ox(file.quads) == ntriples(parse_file(tmp_path / relative))
        assert {q.graph_name.value for q in file.quads} == {str(source_graph_iri(relative))}
    assert sources.count("shapes") == 1
    assert [f.part for f in sources.named] == ["ontology", "data", "data"]


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    sources = load_sources(_workspace(tmp_path, DATA))
    whole = parse_file(tmp_path / "ontology" / "pic.ttl")
    for name in DATA:
        parse_file(tmp_path / "data" / name, whole)
    assert sources.count() == len(whole)
    assert ntriples_ox(sources.quads()) == ntriples(whole) == ntriples(sources.graph)


def test_a_file_that_is_not_turtle_is_located(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"bad.ttl": "ex:a ex:b .\n"})
    with pytest.raises(ParseError, match="bad.ttl:4"):
        load_sources(ws)
