"""The one HTTP client: HTTP digest answered without process-wide state, for a query and an upload."""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal

from pickg.endpoints.push import push
from pickg.graph.errors import EndpointHTTPError
from pickg.graph.namespaces import XSD
from pickg.queries.client import Credentials, Endpoint, run
from pickg.queries.transport import exchange
from tests.support.servers import LOOPBACK

REALM, NONCE = "pickg-test", "0a4f113b"
USER, PASSWORD = "steward", "pw-of-the-steward"
ONE = json.dumps(
    {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}}]},
    }
).encode()


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def fields_of(header: str) -> dict[str, str]:
    return urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest ") :]))


class DigestServer:
    """Answers only requests carrying a valid HTTP digest (RFC 7616, MD5, qop=auth); records each request.

    :param bare_basic: refuse a basic header with a 401 that carries no challenge, as Virtuoso does.
    """

    def __init__(self, bare_basic: bool = False) -> None:
        self.seen: list[tuple[str, str, bytes]] = []  # method, Authorization scheme or "", body
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                sent = self.headers.get("Authorization") or ""
                owner.seen.append((self.command, sent.split(" ", 1)[0], body))
                if not self._valid(sent):
                    self.send_response(401)
                    if not (bare_basic and sent.startswith("Basic ")):
                        self.send_header("WWW-Authenticate", f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                reply = ONE if self.command == "POST" else b""
                self.send_response(200 if self.command == "POST" else 204)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def _valid(self, sent: str) -> bool:
                if not sent.startswith("Digest "):
                    return False
                got = fields_of(sent)
                ha1 = md5(f"{USER}:{REALM}:{PASSWORD}")
                ha2 = md5(f"{self.command}:{got.get('uri')}")
                expected = md5(f"{ha1}:{NONCE}:{got.get('nc')}:{got.get('cnonce')}:auth:{ha2}")
                return got.get("username") == USER and got.get("uri") == self.path and got.get("response") == expected

            do_HEAD = do_GET = do_POST = do_PUT = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.url = f"http://{LOOPBACK}:{self.httpd.server_address[1]}/sparql-auth"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[DigestServer]:
    running = DigestServer()
    yield running
    running.close()


@pytest.mark.system
@pytest.mark.parametrize("bare_basic", [False, True], ids=["challenged", "refused-bare"])
def test_a_query_answers_the_digest_challenge(bare_basic: bool) -> None:
    server = DigestServer(bare_basic)
    try:
        credentials = Credentials(user=USER, password=PASSWORD)
        result = run(Endpoint(server.url, credentials=credentials), "SELECT ?n WHERE { }")
        seen = [(method, scheme) for method, scheme, _ in server.seen]
        # The next request of the process carries no credentials: no process-wide opener kept them.
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url, timeout=10)
    finally:
        server.close()
    assert [row[0] for row in result] == [Literal(1)]  # type: ignore[index]
    asked = [("HEAD", "")] if bare_basic else []  # a bare 401: the challenge is asked for
    assert seen == [("POST", "Basic"), *asked, ("POST", "Digest")]
    assert refused.value.code == 401


@pytest.mark.system
def test_an_upload_asks_first_then_sends_the_file_once(server: DigestServer, tmp_path: Path) -> None:
    release = tmp_path / "pic.nt"
    release.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n", encoding="utf-8")
    answer = exchange(
        server.url.replace("/sparql-auth", "/sparql-graph-crud-auth?graph=urn%3Ag"),
        method="PUT",
        body=release,
        headers={"Content-Type": "application/n-triples"},
        credentials=Credentials(user=USER, password=PASSWORD),
        timeout=10,
    )
    assert answer.status == 204
    assert [(method, scheme) for method, scheme, _ in server.seen] == [("HEAD", ""), ("PUT", "Digest")]
    assert server.seen[1][2] == release.read_bytes()


@pytest.mark.system
def test_a_wrong_password_is_named_not_shown(server: DigestServer, tmp_path: Path) -> None:
    release = tmp_path / "pic.nt"
    release.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n", encoding="utf-8")
    endpoint = Endpoint(server.url, credentials=Credentials(user=USER, password="not-it"))
    with pytest.raises(EndpointHTTPError) as caught:
        push(endpoint, release, graph="urn:g", store=server.url.replace("/sparql-auth", "/sparql-graph-crud-auth"))
    message = str(caught.value)
    assert "HTTP 401" in message and f"'{USER}'" in message and "not-it" not in message
