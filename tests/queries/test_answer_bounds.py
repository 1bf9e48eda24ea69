"""An answer's body is read within a size and a deadline, and its rows as they arrive."""

from __future__ import annotations

import io
import time

import pytest
from rdflib import Literal, URIRef, Variable

from pickg.graph.errors import EndpointResponseError, EndpointTimeoutError
from pickg.queries.answers import stream_select
from pickg.queries.transport import CHUNK, Body

URL = "http://127.0.0.1:9/query"


def test_a_body_past_its_size_is_refused_naming_the_limit() -> None:
    body = Body(io.BytesIO(b"x" * (3 * CHUNK)), URL, 2 * CHUNK + 10, None, 30)
    with pytest.raises(EndpointResponseError, match=r"larger than 128 KiB.*--max-answer-size") as refused:
        body.readall()
    assert URL in str(refused.value)
    assert body.size <= 3 * CHUNK


def test_a_body_within_its_size_is_read_whole_and_keeps_its_tail() -> None:
    data = b"a" * 1000 + b"The end"
    body = Body(io.BytesIO(data), URL, len(data), None, 30)
    assert body.readall() == data and body.tail.endswith(b"The end") and len(body.tail) == Body.TAIL


def test_a_body_read_past_its_deadline_is_given_up() -> None:
    body = Body(io.BytesIO(b"x" * CHUNK), URL, 10 * CHUNK, time.monotonic() - 1, 7)
    with pytest.raises(EndpointTimeoutError, match="within 7 seconds"):
        body.read()


def test_rows_are_read_as_a_stream_into_the_terms_a_local_query_gives() -> None:
    document = (
        b'{"head": {"vars": ["s", "n", "d", "t"]}, "results": {"bindings": ['
        b'{"s": {"type": "uri", "value": "https://example.org/a"}, '
        b'"n": {"type": "literal", "value": "Verdun", "xml:lang": "fr"}, '
        b'"d": {"type": "literal", "value": "23000000", '
        b'"datatype": "http://www.w3.org/2001/XMLSchema#decimal"}, '
        b'"t": {"type": "literal", "value": "text", "datatype": "http://www.w3.org/2001/XMLSchema#string"}},'
        b'{"s": {"type": "uri", "value": "https://example.org/b"}}]}}'
    )
    body = Body(io.BytesIO(document), URL, len(document), None, 30)
    result = stream_select(URL, body)
    assert result.vars == [Variable("s"), Variable("n"), Variable("d"), Variable("t")]
    first, second = result.bindings
    assert first[Variable("s")] == URIRef("https://example.org/a")
    assert first[Variable("n")] == Literal("Verdun", lang="fr")
    assert str(first[Variable("d")]) == "23000000.0"
    assert first[Variable("t")] == Literal("text") and first[Variable("t")].datatype is None
    assert dict(second) == {Variable("s"): URIRef("https://example.org/b")}


def test_an_answer_that_is_not_sparql_json_names_the_endpoint() -> None:
    with pytest.raises(EndpointResponseError, match=URL):
        stream_select(URL, io.BytesIO(b"<html>not json</html>"))
    ask = stream_select(URL, io.BytesIO(b'{"head": {}, "boolean": true}'))
    assert ask.askAnswer is True
