"""The release's templates: values reach Turtle only through escaping filters."""

from __future__ import annotations

import jinja2
import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from pickg.release.templating import render, turtle_iri, turtle_literal, turtle_term

SUBJECT = "<https://example.org/s> <https://example.org/p> "


def parsed_object(turtle_object: str) -> Literal | URIRef:
    """The object of a one-triple document, read by rdflib and checked by pyoxigraph."""
    text = SUBJECT + turtle_object + " ."
    list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))  # raises if invalid
    graph = Graph().parse(data=text, format="turtle")
    (obj,) = list(graph.objects())
    return obj


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_text_is_one_literal_with_the_same_value(text: str) -> None:
    assert str(parsed_object(turtle_literal(text))) == text


def test_a_language_tag_and_a_datatype_are_written() -> None:
    assert parsed_object(turtle_literal("Saint-Michel", lang="fr")) == Literal("Saint-Michel", lang="fr")
    dated = parsed_object(turtle_literal("2023-01-01", datatype="xsd:date"))
    assert dated.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.mark.parametrize(
    "call",
    [
        lambda: turtle_literal("x", lang="fr fr"),
        lambda: turtle_literal("x", lang="fr", datatype="xsd:string"),
        lambda: turtle_literal("x", datatype="nowhere:thing"),
        lambda: turtle_literal(None),
        lambda: turtle_literal("\ud800"),
        lambda: turtle_iri("https://example.org/a b"),
        lambda: turtle_iri("https://example.org/a>"),
        lambda: turtle_iri("relative/path"),
        lambda: turtle_term(object()),  # type: ignore[arg-type]
    ],
)
def test_a_value_that_cannot_be_written_is_refused(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        call()


def test_an_iri_round_trips() -> None:
    iri = "https://example.org/id/neighbourhood/saint-michel?x=1#y"
    assert parsed_object(turtle_iri(iri)) == URIRef(iri)


def test_a_template_refuses_a_value_it_was_not_given() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("README.md.j2")
