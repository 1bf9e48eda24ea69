"""The one table of RDF formats, the one RDF reader, the one prefix table."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from pickg.graph.errors import ParseError
from pickg.graph.formats import FORMATS, format_named, media_types
from pickg.graph.namespaces import PREFIXES, compact_iri, expand_curie
from pickg.graph.rdfio import load_into, parse_data, read_quads


def test_the_format_table_is_pyoxigraphs() -> None:
    for suffix, (rdflib_name, oxi) in FORMATS.items():
        assert pyoxigraph.RdfFormat.from_extension(suffix[1:]) in (oxi, None)  # .owl: RDF/XML by pickg's word
        assert media_types()[oxi.media_type] == rdflib_name
    assert format_named("ntriples") == format_named("NT") == ("nt", pyoxigraph.RdfFormat.N_TRIPLES)
    with pytest.raises(KeyError):
        format_named("csv")


def test_read_quads_and_load_into_read_the_same_triples_and_name_the_line(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nex:b ex:p <rel> .\n", encoding="utf-8")
    store = pyoxigraph.Store()
    load_into(store, good)
    assert {q.triple for q in read_quads(good)} == {q.triple for q in store}
    assert pyoxigraph.NamedNode(good.resolve().as_uri().rsplit("/", 1)[0] + "/rel") in {q.object for q in store}

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ex:b\nex:c .\n", encoding="utf-8")
    for read in (lambda: list(read_quads(bad)), lambda: load_into(pyoxigraph.Store(), bad)):
        with pytest.raises(ParseError) as caught:
            read()
        assert f"{bad}:3:" in str(caught.value)


def test_parse_data_reads_text_held_in_memory() -> None:
    graph = parse_data('<http://example.org/a> <http://example.org/p> "x"@fr .', "nt")
    assert len(graph) == 1


def test_compact_and_expand_are_inverse_on_the_prefix_table() -> None:
    for prefix, namespace in PREFIXES.items():
        assert compact_iri(namespace + "x1") == f"{prefix}:x1"
        assert expand_curie(f"{prefix}:x1") == namespace + "x1"
    assert expand_curie("https://example.org/a") is None and expand_curie("nowhere:a") is None
    assert expand_curie("nbh:") is None
    nested = PREFIXES["nbh"] + "a/b"
    assert compact_iri(nested) == nested and compact_iri(nested, any_local=True) == "nbh:a/b"
