"""``pickg serve``'s front as its visitors meet it: a crowd at once, slow clients beside
it, and each resource's IRI path answered in the format asked for.

One ``pickg serve`` process on the session's release serves the whole module.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import psutil
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from pickg.endpoints.listener import HEADER_TIME, MAX_CONNECTIONS
from tests.support.runs import PublishedRelease
from tests.support.servers import free_port

pytestmark = pytest.mark.system


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int


@pytest.fixture(scope="module")
def served(published_release: PublishedRelease) -> Iterator[Served]:
    """``pickg serve`` on the session's release, ready."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pickg.cli", "serve", "--release", str(published_release.path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Press Ctrl-C"):
            break
    else:
        raise AssertionError(f"pickg serve ended early (exit {process.wait()})")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    yield Served(process, port)
    process.terminate()
    process.wait(timeout=30)


def fetch(
    port: int, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request on a new connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
    finally:
        connection.close()


def test_fifty_clients_at_once_beside_slow_ones_all_get_their_answer(
    served: Served, published_release: PublishedRelease
) -> None:
    """Issue 27: 50 visitors at once (pages, search, the query page and its query, a
    dashboard's queries) while 10 clients trickle their headers: no error, the slow ones
    cut off at the header deadline, threads bounded."""
    site = published_release.path / "site"
    page = next((site / "id" / "neighbourhood").glob("*/index.en.html")).relative_to(site).as_posix()
    query = urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    visit = [
        ("GET", "/", None),
        ("GET", "/" + page, None),
        ("GET", "/search.en.html", None),
        ("GET", "/search-index.en.js", None),
        ("GET", "/sparql/index.en.html", None),
        ("GET", "/vendor/yasgui/yasgui.min.js", None),
        ("GET", "/sparql.js", None),
        ("POST", "/query", query),
        ("POST", "/query", query),
    ]
    outcomes: list[str] = []
    barrier = threading.Barrier(51)

    def client() -> None:
        barrier.wait()
        for method, path, body in visit:
            try:
                status = fetch(served.port, method, path, body, {"Accept": "application/sparql-results+json"})[0]
                outcomes.append("ok" if status == 200 else f"HTTP {status}")
            except Exception as exc:  # what the test counts
                outcomes.append(type(exc).__name__)

    slow: list[socket.socket] = []
    for _ in range(10):
        raw = socket.create_connection(("127.0.0.1", served.port), timeout=5)
        raw.sendall(b"GET / HTTP/1.1\r\n")
        raw.setblocking(False)
        slow.append(raw)
    closed: list[float] = []

    def trickle() -> None:
        started = time.monotonic()
        while slow:
            for raw in list(slow):
                try:
                    raw.sendall(b"X")
                    if raw.recv(1) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    continue
                except OSError:
                    slow.remove(raw)
                    closed.append(time.monotonic() - started)
            if time.monotonic() - started > HEADER_TIME + 20:
                break
            time.sleep(0.5)

    peak_threads = 0
    trickler = threading.Thread(target=trickle)
    trickler.start()
    clients = [threading.Thread(target=client) for _ in range(50)]
    for thread in clients:
        thread.start()
    barrier.wait()
    serve = psutil.Process(served.process.pid)
    while any(thread.is_alive() for thread in clients):
        peak_threads = max(peak_threads, serve.num_threads())
        time.sleep(0.05)
    trickler.join()
    assert len(outcomes) == 50 * len(visit)
    assert Counter(outcomes) == {"ok": len(outcomes)}
    assert len(closed) == 10 and max(closed) < HEADER_TIME + 5, closed
    assert peak_threads <= MAX_CONNECTIONS + 8


def test_idle_connections_past_the_bound_take_no_thread_and_the_front_recovers(served: Served) -> None:
    """Issue 27: more idle connections than the front answers at once hold at most
    MAX_CONNECTIONS threads; a visitor behind them is answered once the header
    deadline has freed their slots."""
    serve = psutil.Process(served.process.pid)
    before = serve.num_threads()
    idle = [socket.create_connection(("127.0.0.1", served.port), timeout=5) for _ in range(MAX_CONNECTIONS + 40)]
    try:
        time.sleep(2)
        held = serve.num_threads()
        started = time.monotonic()
        status = fetch(served.port, "GET", "/")[0]
        waited = time.monotonic() - started
    finally:
        for raw in idle:
            raw.close()
    assert before + MAX_CONNECTIONS - 8 <= held <= before + MAX_CONNECTIONS, (before, held)
    assert status == 200 and waited < HEADER_TIME + 5, waited


# --- the web of data: each IRI path negotiated --------------------------------------------------


def test_an_iri_path_answers_the_format_asked_for(served: Served, published_release: PublishedRelease) -> None:
    """Issue 28: the path of a resource's IRI gives its page to a browser (in the
    language it asks for) and its description to a client asking for RDF; the triples
    are the resource's own in every format."""
    site = published_release.path / "site"
    folder = next(p for p in sorted((site / "id" / "neighbourhood").iterdir()) if (p / "index.ttl").is_file())
    path = "/" + folder.relative_to(site).as_posix()
    iri = URIRef("https://w3id.org/pickg" + path)
    expected = Graph().parse(folder / "index.ttl", format="turtle")
    assert (iri, None, None) in expected

    for accept, media_type, rdf_format in (
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("text/turtle;q=0.4, application/n-triples;q=0.9", "application/n-triples", "nt"),
    ):
        for asked in (path, path + "/"):
            status, headers, body = fetch(served.port, "GET", asked, headers={"Accept": accept})
            assert status == 200 and headers["content-type"].startswith(media_type), (accept, asked, status)
            assert "accept" in headers["vary"].lower()
            got = Graph().parse(data=body, format=rdf_format)
            assert isomorphic(got, expected), (accept, asked)

    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    status, headers, _ = fetch(served.port, "GET", path, headers=browser)
    assert status == 303 and headers["location"] == path + "/"  # the page's links are relative to its folder
    for language, page in (
        ("fr-CA,fr;q=0.9", "index.html"),
        ("en-CA,en;q=0.9,fr;q=0.3", "index.en.html"),
        ("", "index.html"),
    ):
        status, headers, body = fetch(served.port, "GET", path + "/", headers={**browser, "Accept-Language": language})
        assert status == 200 and headers["content-type"].startswith("text/html"), language
        assert body == (folder / page).read_bytes(), language
    assert fetch(served.port, "GET", path + "/")[2] == (folder / "index.html").read_bytes()  # no Accept: a page

    status, headers, body = fetch(served.port, "GET", path, headers={"Accept": "image/png"})
    assert status == 406 and b"text/turtle" in body
    assert fetch(served.port, "HEAD", path, headers={"Accept": "text/turtle"})[:1] == (200,)
    # A vocabulary term's path too; a folder that is no resource stays unlisted.
    term = next(p for p in sorted((site / "vocab").rglob("index.ttl")) if p.parent.parent != site / "vocab")
    term_path = "/" + term.parent.relative_to(site).as_posix()
    assert fetch(served.port, "GET", term_path, headers={"Accept": "text/turtle"})[0] == 200
    assert fetch(served.port, "GET", "/id/", headers={"Accept": "text/turtle"})[0] == 404


def test_the_query_page_links_result_iris_to_the_local_pages(served: Served, browser: object) -> None:
    """Issue 28: on ``pickg serve``'s query page, a result IRI of the project opens its
    page on this site, not its public https://w3id.org/pickg/ address (in the session's
    Chromium, ``tests/support/browsers.py``)."""
    base = f"http://127.0.0.1:{served.port}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        outside: list[str] = []
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(base)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        page.goto(base + "sparql/index.en.html")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.evaluate(
            "PICKG_YASGUI.getTab().setQuery('PREFIX nbh: <https://w3id.org/pickg/id/neighbourhood/> "
            "SELECT ?n WHERE { ?n a ?type FILTER(STRSTARTS(STR(?n), STR(nbh:))) } ORDER BY ?n LIMIT 3'); 0"
        )
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table tbody tr td a")
        links = page.eval_on_selector_all(".yasr table tbody a", "as => as.map(a => [a.getAttribute('href'), a.title])")
        page.click(".yasr table tbody a")
        page.wait_for_load_state()
        landed, title = page.url, page.title()
    finally:
        context.close()
    assert links and all(href.startswith(base + "id/neighbourhood/") and href.endswith("/") for href, _ in links)
    assert all(title.startswith("https://w3id.org/pickg/id/neighbourhood/") for _, title in links)
    assert landed == links[0][0] and title, (landed, title)
    assert not outside, outside
