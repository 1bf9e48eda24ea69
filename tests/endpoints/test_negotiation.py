"""Which representation of a resource's IRI path a request's headers choose."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from pickg.endpoints.negotiation import is_resource_folder, preferences, representation

TURTLE = '@prefix ex: <https://example.org/> .\nex:a ex:p "é"@fr ; ex:q ex:b .\n'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in (
        ("index.ttl", TURTLE),
        ("index.jsonld", '{"@id": "https://example.org/a"}'),
        ("index.html", "<html lang=fr>"),
        ("index.en.html", "<html lang=en>"),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_preferences_are_weighed_heaviest_first_in_header_order() -> None:
    assert preferences("text/turtle;q=0.5, application/ld+json, */*;q=0.1") == [
        ("application/ld+json", 1.0),
        ("text/turtle", 0.5),
        ("*/*", 0.1),
    ]
    assert preferences(None) == preferences("  ") == [("*/*", 1.0)]
    assert preferences("text/html;q=oops, text/plain;Q=2") == [("text/plain", 1.0), ("text/html", 0.0)]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/x-turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("text/turtle;q=0.4, application/n-triples;q=0.9", "application/n-triples"),
        ("application/*", "application/ld+json"),
        ("text/*;q=0.5, text/html;q=0", "text/turtle"),
        ("*/*;q=0.1, text/turtle", "text/turtle"),
    ],
)
def test_the_type_chosen(folder: Path, accept: str | None, chosen: str) -> None:
    found = representation(folder, accept, None)
    assert found is not None and found.media_type == chosen


def test_each_representation_is_the_resources_own(folder: Path) -> None:
    expected = Graph().parse(data=TURTLE, format="turtle")
    turtle = representation(folder, "text/turtle", None)
    assert turtle is not None and turtle.file == folder / "index.ttl" and not turtle.page
    triples = representation(folder, "application/n-triples", None)
    assert triples is not None and triples.file is None and triples.body is not None
    assert set(Graph().parse(data=triples.body, format="nt")) == set(expected)


@pytest.mark.parametrize(
    ("languages", "page"),
    [
        (None, "index.html"),
        ("en", "index.en.html"),
        ("en-CA,en;q=0.9,fr;q=0.5", "index.en.html"),
        ("de-DE, fr;q=0.7, en;q=0.3", "index.html"),
        ("de, *;q=0.5", "index.html"),
        ("en;q=0, fr", "index.html"),
    ],
)
def test_the_page_follows_accept_language(folder: Path, languages: str | None, page: str) -> None:
    found = representation(folder, "text/html", languages)
    assert found is not None and found.page and found.file == folder / page


def test_nothing_acceptable_and_no_resource(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert representation(folder, "image/png", None) is None
    assert representation(folder, "text/turtle;q=0", None) is None
    assert is_resource_folder(folder) and not is_resource_folder(tmp_path_factory.mktemp("empty"))
