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

from pickg.endpoints.front import HEADER_TIME, MAX_CONNECTIONS
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
        ("GET", "/search/index.en.html", None),
        ("GET", "/search-index.js", None),
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
