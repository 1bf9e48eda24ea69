"""The release dumps (pickg.release.dumps): the same bytes every time, the graph they were given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.serializers.jsonld import from_rdf

from pickg.graph.namespaces import XSD
from pickg.graph.quads import canonical, quads_from_rdflib
from pickg.graph.store import OxigraphStore
from pickg.graph.terms import with_decimal_point
from pickg.release import dumps
from pickg.release.jsonld import _sort_json, jsonld_context

EX = "https://example.org/"

SMALL = """\
@prefix ex: <https://example.org/> .
@prefix pic: <https://w3id.org/pickg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a pic:Neighbourhood ; rdfs:label "Quartier A"@fr, "District A"@en ;
    ex:size 3, 0 ; ex:ok false ; ex:ratio 1.5e0 ; ex:amount 23000000.0 ; ex:year "2020"^^xsd:gYear ;
    ex:note "", "two\\nlines" ; ex:list ( "z" "a" [ ex:x 1 ] ) ; ex:empty () ;
    ex:part [ ex:x 1 ], [ ex:x 2 ; ex:y [ ex:z "deep" ] ] .
[] ex:about ex:a .
_:loop1 ex:next _:loop2 . _:loop2 ex:next _:loop1 .
"""

FORMATS = {"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld"}


def _small() -> Graph:
    return Graph().parse(data=SMALL, format="turtle")


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("which", ["small", "shipped"])
def test_a_dump_is_the_graph_for_rdflib_and_pyoxigraph(graph: Graph, name: str, which: str) -> None:
    source = _small() if which == "small" else graph
    text = getattr(dumps, name)(source)
    assert isomorphic(Graph().parse(data=text, format=FORMATS[name]), source)
    if name != "jsonld":  # pyoxigraph reads JSON-LD too, but the TriG/Turtle/N-Triples check is enough here
        fmt = ox.RdfFormat.N_TRIPLES if name == "ntriples" else ox.RdfFormat.TURTLE
        read = Graph()
        for quad in ox.parse(text.encode(), format=fmt):
            read.add(tuple(_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
        assert isomorphic(read, source)


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=None if term.datatype.value == str(XSD.string) else term.datatype.value)


def test_trig_holds_each_graph_and_keeps_their_blank_nodes_apart() -> None:
    one, two = _small(), _small()
    text = dumps.trig([(URIRef(EX + "g/2"), two), (URIRef(EX + "g/1"), one)])
    dataset = Dataset()
    dataset.parse(data=text, format="trig")
    assert isomorphic(dataset.graph(URIRef(EX + "g/1")), one)
    assert isomorphic(dataset.graph(URIRef(EX + "g/2")), two)
    assert text.index(f"<{EX}g/1>") < text.index(f"<{EX}g/2>")
    with pytest.raises(ValueError, match="distinct"):
        dumps.trig([(URIRef(EX + "g"), one), (URIRef(EX + "g"), two)])


def test_rdflib_and_pyoxigraph_entry_points_give_the_same_bytes(graph: Graph) -> None:
    quads = quads_from_rdflib(graph)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in reversed(quads)]
    for name in FORMATS:
        assert getattr(dumps, name)(graph) == getattr(dumps, name + "_ox")(triples), name
    named = ox.NamedNode(EX + "g")
    assert dumps.trig([(URIRef(EX + "g"), graph)]) == dumps.trig_ox([ox.Quad(*q.triple, named) for q in quads])


def test_dumps_do_not_depend_on_blank_node_labels_or_order() -> None:
    first = _small()
    second = Graph()
    for s, p, o in reversed(sorted(first)):
        second.add((BNode("x" + s) if isinstance(s, BNode) else s, p, BNode("x" + o) if isinstance(o, BNode) else o))
    for name in FORMATS:
        assert getattr(dumps, name)(first) == getattr(dumps, name)(second), name


def test_turtle_and_ntriples_are_sorted_with_sorted_prefixes(graph: Graph) -> None:
    lines = dumps.ntriples(graph).splitlines()
    assert lines == sorted(set(lines)) and len(lines) == len(graph)
    text = dumps.turtle(graph)
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix ")]
    assert prefixes == sorted(prefixes) and len(prefixes) == len(set(prefixes))
    assert "@prefix pic: <https://w3id.org/pickg/ontology#> ." in prefixes
    assert "@prefix award:" not in text or "award:" in text.split("\n\n", 1)[1]
    assert dumps.turtle(Graph()) == "" and dumps.ntriples(Graph()) == ""


DUMP_SCRIPT = textwrap.dedent(
    """
    import hashlib
    from rdflib import Graph
    from pickg.release import dumps
    from pickg.graph.rdfio import load_dataset
    dataset = load_dataset()
    union = Graph()
    named = [(g.identifier, g) for g in dataset.graphs() if len(g)]
    for _, g in named:
        union += g
    for text in (dumps.ntriples(union), dumps.turtle(union), dumps.jsonld(union), dumps.trig(named)):
        print(hashlib.sha256(text.encode()).hexdigest())
    """
)


@pytest.mark.system
def test_dumps_are_the_same_bytes_in_every_process() -> None:
    outputs = set()
    for seed in ("0", "1", "4242"):
        done = subprocess.run(
            [sys.executable, "-c", DUMP_SCRIPT],
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            timeout=300,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("which", ["small", "shipped"])
def test_jsonld_compacts_as_rdflib_does(graph: Graph, which: str) -> None:
    """The same nodes as rdflib's JSON-LD converter, given the same canonical triples."""
    source = _small() if which == "small" else graph
    canonical_graph = Graph()
    for q in canonical(quads_from_rdflib(source)):
        canonical_graph.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    context = jsonld_context(source)
    expected = json.loads(json.dumps(from_rdf(canonical_graph, context_data=context, use_native_types=True)))
    nodes = expected.get("@graph", [expected])
    expected_nodes = sorted(
        (_sort_json({k: v for k, v in n.items() if k != "@context"}) for n in nodes), key=lambda n: n["id"]
    )
    document = json.loads(dumps.jsonld(source))
    if which == "small":
        # rdflib drops blank nodes that only blank nodes reference (a cycle), and one
        # of two values when the other is 0 or "": the dump keeps them all.
        ids = {n["id"] for n in expected_nodes}
        loop = [n for n in document["@graph"] if n["id"] not in ids]
        assert len(loop) == 2 and all("ex:next" not in n and EX + "next" in n for n in loop)
        document["@graph"] = [n for n in document["@graph"] if n["id"] in ids]
        mine = next(n for n in document["@graph"] if n["id"] == EX + "a")
        theirs = next(n for n in expected_nodes if n["id"] == EX + "a")
        assert (mine[EX + "size"], mine[EX + "note"]) == ([0, 3], ["", "two\nlines"])
        mine[EX + "size"], mine[EX + "note"] = theirs[EX + "size"], theirs[EX + "note"]
    assert document["@graph"] == expected_nodes
    assert document["@context"] == context


def test_jsonld_keeps_list_order_and_native_values() -> None:
    document = json.loads(dumps.jsonld(_small()))
    node = next(n for n in document["@graph"] if n["id"] == EX + "a")
    assert node[EX + "list"]["@list"][:2] == ["z", "a"]
    assert node[EX + "empty"] == {"@list": []}
    assert node[EX + "ok"] is False and node[EX + "ratio"] == 1.5
    assert node["label"] == {"en": "District A", "fr": "Quartier A"}
    assert node["type"] == "pic:Neighbourhood"


def test_jsonld_refuses_a_context_it_cannot_apply() -> None:
    with pytest.raises(ValueError, match="unsupported JSON-LD context"):
        dumps.jsonld(_small(), {"@vocab": EX, "id": "@id", "type": "@type"})


def test_quads_from_an_oxigraph_store_get_their_decimal_points_back(tmp_path) -> None:
    graph = _small()
    path = tmp_path / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    store = OxigraphStore()
    store.load([path])
    quads = [with_decimal_point(q) for q in store.inner.quads_for_pattern(None, None, None, None)]
    assert '"23000000.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in dumps.ntriples_ox(quads)
    assert dumps.ntriples_ox(quads) == dumps.ntriples(graph)
