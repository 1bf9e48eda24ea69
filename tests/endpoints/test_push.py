"""Pushing a release through the Graph Store Protocol: Oxigraph, and scripted failures."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from pickg.endpoints.push import count_triples, graph_store_target, push, query_url, release_upload_file, store_url
from pickg.endpoints.server import Server
from pickg.graph.errors import EndpointHTTPError, InputError, NotFoundError, ReadOnlyStoreError
from pickg.graph.namespaces import XSD
from pickg.queries.client import Credentials, Endpoint
from tests.support.runs import run_pickg
from tests.support.servers import Reply, ScriptedServer, json_reply, oxigraph

TRIPLES = """\
<https://example.org/a> <https://example.org/p> "un"@fr .
<https://example.org/a> <https://example.org/p> "deux"@fr .
<https://example.org/b> <https://example.org/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A small release folder: pic.nt with three triples."""
    folder = tmp_path / "9.9.9"
    folder.mkdir()
    (folder / "pic.nt").write_text(TRIPLES, encoding="utf-8")
    return folder


def count_reply(n: int) -> Reply:
    """The answer of a store holding ``n`` triples to the COUNT query."""
    return json_reply(["triples"], [{"triples": {"type": "literal", "value": str(n), "datatype": str(XSD.integer)}}])


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store"),
        ("http://127.0.0.1:7878/", "http://127.0.0.1:7878/store"),
        ("https://data.example.org:3030/pic/sparql", "https://data.example.org:3030/pic/data"),
        ("http://localhost:3030/pic/query", "http://localhost:3030/pic/data"),
        ("http://localhost:7200/repositories/pic", "http://localhost:7200/repositories/pic/rdf-graphs/service"),
        ("http://host/graphdb/repositories/pic/", "http://host/graphdb/repositories/pic/rdf-graphs/service"),
        ("http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-graph-crud-auth"),
        ("http://127.0.0.1:8890/sparql?default-graph-uri=urn%3Ag", "http://127.0.0.1:8890/sparql-graph-crud-auth"),
        ("http://127.0.0.1:8890/sparql-auth", "http://127.0.0.1:8890/sparql-graph-crud-auth"),
    ],
)
def test_store_url_is_derived(endpoint: str, expected: str) -> None:
    assert store_url(endpoint) == expected


def test_unknown_layout_asks_for_store_url() -> None:
    with pytest.raises(InputError, match="--store-url"):
        store_url("http://example.org/some/where/else")


def test_query_url_of_a_server_root() -> None:
    assert query_url("http://127.0.0.1:7878") == "http://127.0.0.1:7878/query"
    assert query_url("http://127.0.0.1:3030/pic/sparql") == "http://127.0.0.1:3030/pic/sparql"


def test_graph_target_is_percent_encoded() -> None:
    target = graph_store_target("http://h/store", "https://w3id.org/pickg/graph/release?v=1&x=é")
    assert target == "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fpickg%2Fgraph%2Frelease%3Fv%3D1%26x%3D%C3%A9"
    assert graph_store_target("http://h/store", None) == "http://h/store?default"
    with pytest.raises(InputError, match="not a valid IRI"):
        graph_store_target("http://h/store", "https://example.org/a b")
    with pytest.raises(InputError, match="not an absolute IRI"):
        graph_store_target("http://h/store", "relative/graph")


def test_release_upload_file(release: Path, tmp_path: Path) -> None:
    assert release_upload_file(release) == release / "pic.nt"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotFoundError, match="neither pic.nt nor pic.ttl"):
        release_upload_file(empty)
    trig = tmp_path / "pic.trig"
    trig.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="neither N-Triples"):
        release_upload_file(trig)


@pytest.mark.system
def test_push_replaces_a_named_graph(oxigraph_server: Server, release: Path, tmp_path: Path) -> None:
    endpoint = Endpoint(oxigraph_server.query_url)
    graph = "https://example.org/graph/push-test"
    first = push(endpoint, release, graph=graph)
    assert (first.sent, first.held, first.status) == (3, 3, 201)
    smaller = tmp_path / "pic.nt"
    smaller.write_text(TRIPLES.splitlines()[0] + "\n", encoding="utf-8")
    second = push(endpoint, smaller, graph=graph)
    assert (second.sent, second.held, second.status) == (1, 1, 204)  # replaced, not added to
    assert count_triples(endpoint, "https://example.org/graph/never-pushed") == 0


@pytest.mark.system
def test_push_to_a_read_only_server(tmp_path: Path, release: Path) -> None:
    with oxigraph(tmp_path / "ro", read_only=True) as server:
        with pytest.raises(ReadOnlyStoreError) as caught:
            push(Endpoint(server.query_url), release)
    message = str(caught.value)
    assert "/store?default" in message and "The server is read-only" in message and "oxigraph serve" in message


@pytest.mark.system
def test_credentials_go_with_the_upload_and_the_count(release: Path) -> None:
    credentials = Credentials(user="steward", password="pw")
    with ScriptedServer(Reply(204, b"", "text/plain"), count_reply(3)) as server:
        report = push(
            Endpoint(server.url, credentials=credentials), release, store=server.url.replace("/query", "/gsp")
        )
        put, count = server.seen
    expected = "Basic " + base64.b64encode(b"steward:pw").decode()
    assert (put.method, put.path) == ("PUT", "/gsp?default")
    assert put.headers["Content-Type"] == "application/n-triples"
    assert put.body == TRIPLES.encode()
    assert put.headers["Authorization"] == count.headers["Authorization"] == expected
    assert report.held == 3


@pytest.mark.system
def test_a_failed_upload_is_retried(release: Path) -> None:
    with ScriptedServer(Reply(503, b"loading", "text/plain"), Reply(204, b"", "text/plain"), count_reply(3)) as server:
        report = push(Endpoint(server.url, backoff=0.01), release, store=server.url.replace("/query", "/gsp"))
        assert [seen.method for seen in server.seen] == ["PUT", "PUT", "POST"]
    assert report.held == 3


@pytest.mark.system
def test_a_bad_upload_quotes_the_store(release: Path) -> None:
    reply = Reply(400, b"Parser error at line 1: bad subject", "text/plain")
    with ScriptedServer(reply) as server:
        with pytest.raises(EndpointHTTPError) as caught:
            push(Endpoint(server.url), release, store=server.url.replace("/query", "/gsp"))
    assert "bad subject" in str(caught.value) and "could not read pic.nt" in str(caught.value)


# --- the command --------------------------------------------------------------------------


@pytest.mark.system
def test_cli_push_reports_the_count(oxigraph_server: Server, release: Path) -> None:
    graph = "https://example.org/graph/cli-push"
    done = run_pickg("push", "--endpoint", oxigraph_server.query_url, "--graph", graph, "--release", str(release))
    assert done.returncode == 0, done.stderr
    assert f"to {oxigraph_server.url}store?graph=" in done.stdout
    assert f"The store holds 3 triples in the graph <{graph}>." in done.stdout


@pytest.mark.system
def test_cli_push_to_a_read_only_server(tmp_path: Path, release: Path) -> None:
    with oxigraph(tmp_path / "ro", read_only=True) as server:
        done = run_pickg("push", "--endpoint", server.query_url, "--release", str(release))
    assert done.returncode == 2
    assert "read-only" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.system
def test_cli_push_needs_an_endpoint(release: Path) -> None:
    done = run_pickg("push", "--release", str(release))
    assert done.returncode == 2
    assert "--endpoint" in done.stderr and "Traceback" not in done.stderr


def test_virtuoso_has_no_default_graph_to_replace() -> None:
    with pytest.raises(InputError, match="no default graph.*--graph"):
        graph_store_target("http://127.0.0.1:8890/sparql-graph-crud-auth", None)
