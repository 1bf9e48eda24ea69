"""The remote SPARQL client against real servers on 127.0.0.1.

Failures Oxigraph cannot produce on demand (500 then 200, a wrong content type, 401,
silence) come from small real HTTP servers (tests/support/servers.py); the rest from Oxigraph.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from urllib.parse import parse_qs
from urllib.request import Request, urlopen

import pytest
from rdflib import BNode, Literal, URIRef

from pickg.endpoints.server import Server
from pickg.graph.errors import (
    EndpointHTTPError,
    EndpointResponseError,
    EndpointTimeoutError,
    EndpointUnreachableError,
    InputError,
)
from pickg.graph.namespaces import RDF, XSD
from pickg.queries.client import Credentials, Endpoint, run
from pickg.queries.results import term_from_json
from tests.support.servers import DROP, Reply, ScriptedServer, SilentServer, free_port, json_reply, oxigraph

ONE_ROW = json_reply(["n"], [{"n": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}])


def no_sleep(seconds: float) -> None:
    pass


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Oxigraph holding a handful of triples of every term kind."""
    with oxigraph(tmp_path_factory.mktemp("small")) as server:
        data = (
            "<http://example.org/a> <http://example.org/p> "
            '"texte"@fr, "plain", "1000000"^^<http://www.w3.org/2001/XMLSchema#decimal>, '
            '"1.5E3"^^<http://www.w3.org/2001/XMLSchema#double>, "2020"^^<http://www.w3.org/2001/XMLSchema#gYear>, '
            '"x"^^<http://www.w3.org/2001/XMLSchema#string>, _:b .\n'
        )
        request = Request(server.url + "store?default", data=data.encode(), method="PUT")
        request.add_header("Content-Type", "text/turtle")
        urlopen(request, timeout=10).read()
        yield server


@pytest.mark.system
def test_terms_come_back_as_rdflib_builds_them(small_store: Server) -> None:
    result = run(
        Endpoint(small_store.query_url),
        "SELECT ?o WHERE { ?s ?p ?o FILTER(!isBlank(?o)) }",
    )
    objects = {row[0] for row in result}  # type: ignore[index]
    assert objects == {
        Literal("texte", lang="fr"),
        Literal("plain"),
        Literal("x"),  # xsd:string is the plain literal
        Literal("1000000.0", datatype=XSD.decimal),  # rdflib writes computed decimals with a point
        Literal("1500.0", datatype=XSD.double),
        Literal("2020", datatype=XSD.gYear),
    }
    assert {str(v) for v in result.vars or ()} == {"o"}


@pytest.mark.system
def test_parameters_are_bound_as_values(small_store: Server) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?_o }"
    hit = run(Endpoint(small_store.query_url), query, {"_o": Literal("texte", lang="fr")})
    miss = run(Endpoint(small_store.query_url), query, {"_o": Literal('texte" } UNION { ?s ?p ?o', lang="fr")})
    assert [row[0] for row in hit] == [URIRef("http://example.org/a")]  # type: ignore[index]
    assert list(miss) == []


@pytest.mark.system
def test_ask_and_construct(small_store: Server) -> None:
    endpoint = Endpoint(small_store.query_url)
    assert run(endpoint, "ASK { ?s ?p ?_o }", {"_o": Literal("plain")}).askAnswer is True
    graph = run(endpoint, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert graph is not None and len(graph) == 7


def test_term_from_json_kinds() -> None:
    assert term_from_json({"type": "bnode", "value": "b0"}) == BNode("b0")
    assert term_from_json({"type": "typed-literal", "value": "3", "datatype": str(XSD.integer)}) == Literal(3)
    langstring = {"type": "literal", "value": "a", "xml:lang": "en", "datatype": str(RDF.langString)}
    assert term_from_json(langstring) == Literal("a", lang="en")
    with pytest.raises(EndpointResponseError, match="quoted triples"):
        term_from_json({"type": "triple", "value": "x"})


# --- failures -----------------------------------------------------------------------------


def test_nothing_listening() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointUnreachableError) as caught:
        run(Endpoint(url), "ASK {}", sleep=no_sleep)
    message = str(caught.value)
    assert url in message and "Connection refused" in message and "check that the server is running" in message


@pytest.mark.system
def test_500_then_200_is_retried() -> None:
    pauses: list[float] = []
    with ScriptedServer(Reply(500, b"busy", "text/plain"), Reply(503, b"still busy", "text/plain"), ONE_ROW) as server:
        result = run(Endpoint(server.url, backoff=0.25), "SELECT ?n WHERE { }", sleep=pauses.append)
        assert [row[0] for row in result] == [Literal(1)]  # type: ignore[index]
        assert len(server.seen) == 3
        assert all(seen.method == "POST" for seen in server.seen)
        assert parse_qs(server.seen[0].body.decode())["query"] == ["SELECT ?n WHERE { }"]
    assert pauses == [0.25, 0.5]  # exponential back-off


@pytest.mark.system
def test_a_dropped_connection_is_retried() -> None:
    pauses: list[float] = []
    with ScriptedServer(Reply(DROP), ONE_ROW) as server:
        result = run(Endpoint(server.url, backoff=0.2), "SELECT ?n WHERE { }", sleep=pauses.append)
        assert len(server.seen) == 2
    assert [row[0] for row in result] == [Literal(1)]  # type: ignore[index]
    assert pauses == [0.2]


@pytest.mark.system
def test_a_server_that_always_hangs_up() -> None:
    with ScriptedServer(Reply(DROP)) as server:
        with pytest.raises(EndpointUnreachableError) as caught:
            run(Endpoint(server.url, tries=2), "ASK {}", sleep=no_sleep)
        assert len(server.seen) == 2
    assert "dropped the connection" in str(caught.value) and "tried 2 times" in str(caught.value)


@pytest.mark.system
def test_retry_after_is_honoured() -> None:
    pauses: list[float] = []
    with ScriptedServer(Reply(503, b"", "text/plain", {"Retry-After": "2"}), ONE_ROW) as server:
        run(Endpoint(server.url, backoff=0.1), "SELECT ?n WHERE { }", sleep=pauses.append)
    assert pauses == [2.0]


@pytest.mark.system
def test_retries_are_bounded() -> None:
    with ScriptedServer(Reply(502, b"<h1>Bad gateway</h1>", "text/html")) as server:
        with pytest.raises(EndpointHTTPError) as caught:
            run(Endpoint(server.url, tries=3), "SELECT ?n WHERE { }", sleep=no_sleep)
        assert len(server.seen) == 3
    message = str(caught.value)
    assert caught.value.status == 502
    assert server.url in message and "HTTP 502" in message and "Bad gateway" in message and "tried 3 times" in message


@pytest.mark.system
def test_4xx_is_not_retried_and_quotes_the_server() -> None:
    with ScriptedServer(Reply(400, b"error at 1:8: expected a variable", "text/plain")) as server:
        with pytest.raises(EndpointHTTPError) as caught:
            run(Endpoint(server.url), "SELECT ?n WHERE { }", sleep=no_sleep)
        assert len(server.seen) == 1
    assert "HTTP 400" in str(caught.value) and "expected a variable" in str(caught.value)


@pytest.mark.system
def test_timeout() -> None:
    with SilentServer() as server:
        started = time.monotonic()
        with pytest.raises(EndpointTimeoutError) as caught:
            run(Endpoint(server.url, timeout=0.5), "ASK {}", sleep=no_sleep)
        elapsed = time.monotonic() - started
    assert server.url in str(caught.value) and "0.5 seconds" in str(caught.value) and "--timeout" in str(caught.value)
    assert elapsed < 5  # not retried


@pytest.mark.system
def test_wrong_content_type(small_store: Server) -> None:
    with ScriptedServer(Reply(200, b"<!DOCTYPE html><title>YASGUI</title>", "text/html")) as server:
        with pytest.raises(EndpointResponseError) as caught:
            run(Endpoint(server.url), "SELECT ?n WHERE { }")
    assert "text/html instead of SPARQL JSON results" in str(caught.value) and "/query" in str(caught.value)


@pytest.mark.system
def test_the_query_page_is_not_the_endpoint(small_store: Server) -> None:
    with pytest.raises(EndpointHTTPError) as caught:
        run(Endpoint(small_store.url), "ASK {}")
    assert caught.value.status == 404 and "http://HOST:7878/query" in str(caught.value)


@pytest.mark.system
def test_unreadable_json() -> None:
    with ScriptedServer(Reply(200, b'{"head": {}, "results": 3}')) as server:
        with pytest.raises(EndpointResponseError, match="cannot be read"):
            run(Endpoint(server.url), "SELECT ?n WHERE { }")


# --- credentials ---------------------------------------------------------------------------


@pytest.mark.system
def test_basic_credentials_are_sent() -> None:
    credentials = Credentials.from_env({"PICKG_ENDPOINT_USER": "ana", "PICKG_ENDPOINT_PASSWORD": "s3cret"})
    with ScriptedServer(ONE_ROW) as server:
        run(Endpoint(server.url, credentials=credentials), "SELECT ?n WHERE { }")
        sent = server.seen[0].headers["Authorization"]
    assert sent == "Basic " + base64.b64encode(b"ana:s3cret").decode()
    assert "s3cret" not in repr(credentials)


@pytest.mark.system
def test_bearer_token_is_sent() -> None:
    credentials = Credentials.from_env({"PICKG_ENDPOINT_TOKEN": "tok-123"})
    with ScriptedServer(ONE_ROW) as server:
        run(Endpoint(server.url, credentials=credentials), "SELECT ?n WHERE { }")
        assert server.seen[0].headers["Authorization"] == "Bearer tok-123"


@pytest.mark.system
def test_401_names_the_user_never_the_password() -> None:
    credentials = Credentials(user="ana", password="s3cret")
    with ScriptedServer(Reply(401, b"Unauthorized", "text/plain")) as server:
        with pytest.raises(EndpointHTTPError) as caught:
            run(Endpoint(server.url, credentials=credentials), "ASK {}")
    message = str(caught.value)
    assert "HTTP 401" in message and "'ana'" in message and "s3cret" not in message


@pytest.mark.parametrize(
    "environ",
    [
        {"PICKG_ENDPOINT_USER": "ana"},
        {"PICKG_ENDPOINT_PASSWORD": "x"},
        {"PICKG_ENDPOINT_TOKEN": "t", "PICKG_ENDPOINT_USER": "ana", "PICKG_ENDPOINT_PASSWORD": "x"},
    ],
)
def test_inconsistent_credentials(environ: dict[str, str]) -> None:
    with pytest.raises(InputError, match="PICKG_ENDPOINT"):
        Credentials.from_env(environ)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"url": "ftp://example.org/sparql"}, "not an http"),
        ({"url": "localhost:7878/query"}, "not an http"),
        ({"url": "http://127.0.0.1/query", "timeout": 0}, "timeout"),
        ({"url": "http://127.0.0.1/query", "tries": 0}, "tries"),
    ],
)
def test_endpoint_settings_are_checked(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        Endpoint(**kwargs)  # type: ignore[arg-type]
