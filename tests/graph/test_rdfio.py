"""Parsing (every failure named path:line:col), canonical Turtle, loading."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from pickg.graph.canonical import canonical_turtle, format_file, write_canonical
from pickg.graph.errors import InputError, NotFoundError, ParseError
from pickg.graph.namespaces import FILE_GRAPH, PIC, RDFS, XSD
from pickg.graph.rdfio import load, load_dataset, parse_file
from pickg.graph.rdfio import (
    oxigraph_would_differ as _oxigraph_would_differ,
)
from pickg.graph.workspace import Workspace

GOOD = """\
@prefix ex: <http://example.org/> .
@prefix pic: <https://w3id.org/pickg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:a a pic:Thing ;
    rdfs:label "Élément"@fr, "Item"@en ;
    ex:parts ( 1 2 3 ) ;
    ex:amount [ ex:value 1.50 ; ex:unit [ ex:code "CAD" ] ], [ ex:value 2 ] ;
    <http://other.example/weight> 3 ;
    <http://third.example/ns#year> "2020"^^xsd:gYear .
[] ex:note "anonymous" .
[] ex:note "another" ; ex:next [ ex:note "nested" ] .
_:loop1 ex:next _:loop2 .
_:loop2 ex:next _:loop1 .
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- parse errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "line", "col", "words"),
    [
        ("ex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", 3, 16, "dot"),
        ("ex:a ex:b und:c .\n", 2, 11, "und:"),
        ('ex:a ex:b ex:c .\nex:d ex:e "unterminated .\n', 3, 11, "end of file"),
        ("ex:a ex:b ex:c ;\n", 3, None, ""),
    ],
)
def test_malformed_turtle_names_file_line_col(
    tmp_path: Path, body: str, line: int, col: int | None, words: str
) -> None:
    path = write(tmp_path / "bad.ttl", "@prefix ex: <http://example.org/> .\n" + body)
    with pytest.raises(ParseError) as caught:
        parse_file(path)
    error = caught.value
    assert error.path == path
    assert error.line == line
    if col is not None:
        assert error.col == col
        assert f"{path}:{line}:{col}: " in str(error)
    assert words in str(error)
    assert str(error).endswith(".")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        parse_file(tmp_path / "absent.ttl")


@pytest.mark.parametrize("body", ["", "   \n\n\t\n"])
def test_empty_file(tmp_path: Path, body: str) -> None:
    path = write(tmp_path / "empty.ttl", body)
    with pytest.raises(ParseError, match="file is empty") as caught:
        parse_file(path)
    assert caught.value.location == f"{path}:1:1"


def test_file_with_only_prefixes(tmp_path: Path) -> None:
    path = write(tmp_path / "prefixes.ttl", "@prefix ex: <http://example.org/> .\n# nothing yet\n")
    with pytest.raises(ParseError, match="no triples"):
        parse_file(path)


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = write(
        tmp_path / "latin1.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n'.encode("latin-1")
    )
    with pytest.raises(ParseError, match="UTF-8") as caught:
        parse_file(path)
    assert (caught.value.line, caught.value.col) == (2, 15)
    assert f"{path}:2:15" in str(caught.value)


def test_folder_and_unknown_suffix_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        parse_file(tmp_path)
    path = write(tmp_path / "notes.txt", "hello")
    with pytest.raises(InputError, match="suffix") as caught:
        parse_file(path)
    assert isinstance(caught.value, ValueError)


def test_a_failed_parse_leaves_the_graph_untouched(tmp_path: Path) -> None:
    path = write(tmp_path / "half.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e\n")
    graph = Graph()
    graph.add((URIRef("http://example.org/x"), RDFS.label, Literal("x")))
    with pytest.raises(ParseError):
        parse_file(path, graph)
    assert len(graph) == 1


def test_parse_into_a_graph_adds_triples_and_free_prefixes(tmp_path: Path) -> None:
    path = write(tmp_path / "good.ttl", GOOD)
    graph = Graph(bind_namespaces="none")
    graph.bind("ex", "http://example.org/other/")
    assert parse_file(path, graph) is graph
    assert len(graph) == len(parse_file(path))
    prefixes = dict(graph.namespaces())
    assert str(prefixes["ex"]) == "http://example.org/other/"  # not overwritten
    assert str(prefixes["pic"]) == str(PIC)


# --- pyoxigraph reads what rdflib's parser reads ---------------------------------------

TRICKY = '''\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <http://example.org/base/> .

ex:a ex:p 23000000.0, 1.50, "1.50"^^xsd:decimal, "5"^^xsd:decimal, -0.0, .5, +1, -01,
        "01"^^xsd:integer, "+5"^^xsd:integer, " 5 "^^xsd:integer, "abc"^^xsd:integer,
        1e3, 1.0E3, "1E3"^^xsd:double, "NaN"^^xsd:double, "0.10"^^xsd:float,
        true, "TRUE"^^xsd:boolean, "1"^^xsd:boolean,
        "2020-01-01"^^xsd:date, "2020-1-1"^^xsd:date, "2020-01-01T10:00:00.000+00:00"^^xsd:dateTime,
        "0001"^^xsd:gYear, "0FB8"^^xsd:hexBinary, "x"^^ex:custom,
        "x"@fr, "y"@en, "multi\\nline", 'single', "\\u00e9t\\u00E9", """long "quoted"
text"""@fr, "" ;
    ex:q <relative>, <#frag>, [ ex:r ( 1 "two" [ ex:s ex:t ] ) ], () ;
    ex:mail "someone@Example.org" .
_:x ex:p _:y . _:y ex:p _:x .
'''


def _read_by_rdflib(path: Path) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(path, format="turtle" if path.suffix == ".ttl" else "nt", publicID=path.resolve().as_uri())
    return graph


def _same_terms(mine: Graph, theirs: Graph, what: str) -> None:
    """Isomorphic, and every literal with the same lexical form, language and datatype."""
    assert isomorphic(mine, theirs), what

    def literals(graph: Graph) -> set[tuple[str, str | None, str | None]]:
        return {(str(o), o.language, o.datatype and str(o.datatype)) for o in graph.objects() if isinstance(o, Literal)}

    assert literals(mine) == literals(theirs), what
    assert sorted(mine.namespaces()) == sorted(theirs.namespaces()), what


def test_every_shipped_file_reads_as_rdflib_reads_it(workspace: Workspace) -> None:
    files = workspace.ontology_files() + workspace.vocabulary_files() + workspace.shape_files() + workspace.data_files()
    assert files
    for path in files:
        _same_terms(parse_file(path), _read_by_rdflib(path), str(path))


@pytest.mark.parametrize(
    "text",
    [
        TRICKY,
        # Read by rdflib: pyoxigraph would lower the tag's case or drop xsd:string.
        '@prefix ex: <http://example.org/> .\nex:a ex:p "x"@en-CA .\n',
        "@prefix ex: <http://example.org/> .\n@prefix xs: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:a ex:p "x"^^xs:string, "y" .\n',
        '<http://example.org/a> <http://example.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#string> .\n',
    ],
)
def test_tricky_terms_read_as_rdflib_reads_them(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "tricky.ttl", text)
    _same_terms(parse_file(path), _read_by_rdflib(path), text)


def test_what_oxigraph_refuses_is_refused_though_rdflib_reads_it(tmp_path: Path) -> None:
    """Issue 19: one reading on every store, so rdflib's leniency is not a way in."""
    text = (
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p "x"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .\n'
    )
    path = write(tmp_path / "lenient.ttl", text)
    assert len(_read_by_rdflib(path)) == 1
    with pytest.raises(ParseError, match=r"lenient\.ttl:2"):
        parse_file(path)


def test_ntriples_read_as_rdflib_reads_them(tmp_path: Path) -> None:
    source = parse_file(write(tmp_path / "tricky.ttl", TRICKY))
    path = write(tmp_path / "tricky.nt", source.serialize(format="nt"))
    _same_terms(parse_file(path), _read_by_rdflib(path), "N-Triples")


def test_only_terms_pyoxigraph_would_change_are_left_to_rdflib() -> None:
    assert not _oxigraph_would_differ(TRICKY)
    assert _oxigraph_would_differ('ex:a ex:p "x"@en-CA .')
    assert _oxigraph_would_differ('ex:a ex:p "x"^^xsd:string .')
    assert _oxigraph_would_differ('ex:a ex:p "x" ^^ <http://www.w3.org/2001/XMLSchema#string> .')
    assert not _oxigraph_would_differ('ex:a ex:p "mail@Example.org", "x"^^ex:stringency .')


def test_capitals_in_a_tag_keep_their_case(tmp_path: Path) -> None:
    path = write(tmp_path / "tag.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:p "x"@en-CA .\n')
    assert {o.language for o in parse_file(path).objects()} == {"en-CA"}


def test_blank_nodes_of_two_files_stay_apart(tmp_path: Path) -> None:
    one = write(tmp_path / "one.ttl", "@prefix ex: <http://example.org/> .\n_:b0 ex:p 1 .\n")
    two = write(tmp_path / "two.ttl", "@prefix ex: <http://example.org/> .\n_:b0 ex:p 2 .\n")
    graph = parse_file(two, parse_file(one))
    assert len(set(graph.subjects())) == 2


# --- canonical Turtle ------------------------------------------------------------------

CANONICAL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pickg.graph.canonical import canonical_turtle
    from pickg.graph.rdfio import parse_file
    sys.stdout.buffer.write(canonical_turtle(parse_file(sys.argv[1])).encode("utf-8"))
    """
)


@pytest.mark.system
def test_canonical_output_is_identical_across_processes(tmp_path: Path) -> None:
    path = write(tmp_path / "good.ttl", GOOD)
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", CANONICAL_SCRIPT, str(path)],
            capture_output=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert outputs.pop().decode("utf-8") == canonical_turtle(parse_file(path))


def test_canonical_output_round_trips(tmp_path: Path) -> None:
    graph = parse_file(write(tmp_path / "good.ttl", GOOD))
    text = canonical_turtle(graph)
    again = parse_file(write(tmp_path / "canonical.ttl", text))
    assert isomorphic(graph, again)
    assert canonical_turtle(again) == text
    assert text.startswith("PREFIX ex: <http://example.org/>\n")
    assert "PREFIX pic: <https://w3id.org/pickg/ontology#>" in text
    assert "PREFIX schema:" not in text  # only the prefixes in use
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_canonical_output_ignores_triple_order_and_blank_node_labels() -> None:
    ex = "http://example.org/"
    first, second = Graph(), Graph()
    a, b = BNode("a"), BNode("b")
    triples = [
        (URIRef(ex + "s"), URIRef(ex + "p"), a),
        (a, URIRef(ex + "q"), Literal("one")),
        (URIRef(ex + "s"), URIRef(ex + "p"), b),
        (b, URIRef(ex + "q"), Literal("two")),
    ]
    for triple in triples:
        first.add(triple)
    for s, p, o in reversed(triples):
        rename = {a: BNode("zz"), b: BNode("aa")}
        second.add((rename.get(s, s), p, rename.get(o, o)))
    assert canonical_turtle(first) == canonical_turtle(second)


def test_canonical_output_of_an_empty_graph() -> None:
    assert canonical_turtle(Graph()) == ""


EX = "http://example.org/"
_iris = st.sampled_from(
    [URIRef(EX + name) for name in ("a", "b", "c")]
    + [URIRef("https://w3id.org/pickg/id/phase/1"), URIRef("http://other.example/x#y"), PIC.Thing]
)
_predicates = st.sampled_from(
    [URIRef(EX + "p"), URIRef(EX + "q"), RDFS.label, URIRef("http://other.example/x#w"), URIRef("urn:z:p")]
)
_bnodes = st.sampled_from([BNode(f"b{i}") for i in range(4)])
_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), include_characters="\n\t"),
    max_size=12,
)
_literals = st.one_of(
    _text.map(Literal),
    st.tuples(_text, st.sampled_from(["fr", "en"])).map(lambda t: Literal(t[0], lang=t[1])),
    st.integers(-(10**12), 10**12).map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000).map(
        lambda d: Literal(Decimal(d))
    ),
    st.booleans().map(Literal),
    st.integers(1900, 2100).map(lambda y: Literal(str(y), datatype=XSD.gYear)),
)
_triples = st.tuples(st.one_of(_iris, _bnodes), _predicates, st.one_of(_iris, _bnodes, _literals))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_triples, max_size=12))
def test_canonical_turtle_round_trips_any_graph(triples: list[tuple]) -> None:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    text = canonical_turtle(graph)
    again = Graph().parse(data=text, format="turtle")
    assert isomorphic(graph, again)
    assert canonical_turtle(again) == text


def test_write_canonical_is_atomic_and_keeps_the_mode(tmp_path: Path) -> None:
    source = parse_file(write(tmp_path / "good.ttl", GOOD))
    target = write(tmp_path / "out.ttl", "old")
    target.chmod(0o640)
    assert write_canonical(target, source) is True
    assert target.read_text(encoding="utf-8") == canonical_turtle(source)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert write_canonical(target, source) is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.ttl", "out.ttl"]


def test_format_file(tmp_path: Path) -> None:
    path = write(tmp_path / "good.ttl", GOOD)
    assert format_file(path, check=True) is True
    assert path.read_text(encoding="utf-8") == GOOD
    assert format_file(path) is True
    assert format_file(path, check=True) is False
    assert isomorphic(parse_file(path), Graph().parse(data=GOOD, format="turtle"))


# --- loading ---------------------------------------------------------------------------


def _small_workspace(root: Path) -> Workspace:
    write(root / "ontology" / "pic.ttl", "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:A a pic:B .\n")
    write(
        root / "ontology" / "vocabularies" / "v.ttl",
        "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:C a pic:B .\n",
    )
    write(
        root / "ontology" / "shapes" / "core.shapes.ttl",
        "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:S a pic:Shape .\n",
    )
    write(root / "data" / "one.ttl", "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:x a pic:A .\n")
    write(root / "data" / "sub dir" / "two.ttl", "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:y a pic:A .\n")
    return Workspace(root)


def test_load_reads_ontology_vocabularies_and_data_not_shapes(tmp_path: Path) -> None:
    ws = _small_workspace(tmp_path)
    graph = load(workspace=ws)
    assert len(graph) == 4
    assert (PIC.S, None, None) not in graph
    assert len(load(include_ontology=False, workspace=ws)) == 2
    assert len(load([tmp_path / "data" / "one.ttl"], workspace=ws)) == 3


def test_load_dataset_puts_each_file_in_its_graph(tmp_path: Path) -> None:
    ws = _small_workspace(tmp_path)
    dataset = load_dataset(workspace=ws)
    names = sorted(str(g.identifier) for g in dataset.graphs() if len(g))
    assert names == [
        FILE_GRAPH + "data/one.ttl",
        FILE_GRAPH + "data/sub%20dir/two.ttl",
        FILE_GRAPH + "ontology/pic.ttl",
        FILE_GRAPH + "ontology/vocabularies/v.ttl",
    ]
    assert len(dataset.graph(URIRef(FILE_GRAPH + "data/one.ttl"))) == 1
    assert (PIC.x, None, None) in dataset


def test_load_names_the_failing_file(tmp_path: Path) -> None:
    ws = _small_workspace(tmp_path)
    bad = write(tmp_path / "data" / "zz.ttl", "@prefix pic: <https://w3id.org/pickg/ontology#> .\npic:x pic:y .\n")
    with pytest.raises(ParseError) as caught:
        load(workspace=ws)
    assert caught.value.path == bad
    assert caught.value.line == 2


def test_a_file_read_again_gives_its_new_text_and_new_blank_nodes(tmp_path: Path) -> None:
    """Documents read lately are kept by the digest of their text: a file changed in place
    (same name, same size) is read anew, and a document with blank nodes gives new ones
    at each reading, so two readings never share one."""
    path = tmp_path / "a.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "one" .\n', encoding="utf-8")
    first = parse_file(path)
    assert set(parse_file(path)) == set(first)
    path.write_text('<http://example.org/a> <http://example.org/p> "two" .\n', encoding="utf-8")
    assert {str(o) for o in parse_file(path).objects()} == {"two"}
    blank = tmp_path / "b.ttl"
    blank.write_text('<http://example.org/a> <http://example.org/p> [ <http://example.org/q> "x" ] .\n')
    graph = parse_file(blank)
    parse_file(blank, graph)
    assert len({o for o in graph.objects(None, URIRef("http://example.org/p"))}) == 2
