"""``pickg serve``: a real Oxigraph server on 127.0.0.1, started, queried and stopped.

The command runs as a process, as a user runs it; Ctrl-C is a real SIGINT.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil
import pytest
from rdflib import Graph

from pickg.endpoints.push import count_triples
from pickg.endpoints.server import MARKER, bind_address, is_loopback, release_checksum
from pickg.graph.errors import NotFoundError
from pickg.queries.client import Endpoint
from pickg.release.chosen import choose_release
from tests.support.runs import PublishedRelease, run_pickg
from tests.support.servers import SilentServer, free_port


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory, graph: Graph) -> Path:
    """A release folder ``<out>/1.0.0`` whose pic.nt holds the workspace's graph."""
    folder = tmp_path_factory.mktemp("dist") / "1.0.0"
    folder.mkdir()
    graph.serialize(folder / "pic.nt", format="nt", encoding="utf-8")
    return folder


@dataclass
class Serving:
    """A running ``pickg serve`` and what it printed until it was ready."""

    process: subprocess.Popen[str]
    stdout: list[str]
    query_url: str
    errors: queue.Queue[str | None]

    def stop(self, signum: int = signal.SIGINT) -> int:
        """Send ``signum``, wait for the exit, and return its status."""
        self.process.send_signal(signum)
        return self.process.wait(timeout=30)

    @property
    def stderr(self) -> list[str]:
        """Everything written on stderr (once the process has ended)."""
        lines = []
        while (line := self.errors.get(timeout=10)) is not None:
            lines.append(line)
        self.errors.put(None)
        return lines


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


Start = Callable[..., Serving]


@pytest.fixture
def serve() -> Iterator[Start]:
    """Start ``pickg serve --port FREE ARGS``; returns once it says it is ready. Killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> Serving:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "pickg.cli", "serve", "--port", str(port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        out: queue.Queue[str | None] = queue.Queue()
        errors: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, out), daemon=True).start()
        threading.Thread(target=_pump, args=(process.stderr, errors), daemon=True).start()
        stdout: list[str] = []
        while (line := out.get(timeout=60)) is not None:
            stdout.append(line)
            if line.startswith("Press Ctrl-C"):
                return Serving(process, stdout, f"http://127.0.0.1:{port}/query", errors)
        process.wait(timeout=30)
        raise AssertionError(f"pickg serve ended early: {Serving(process, stdout, '', errors).stderr}")

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def _oxigraph_children(process: subprocess.Popen[str]) -> list[psutil.Process]:
    return [child for child in psutil.Process(process.pid).children(recursive=True) if "oxigraph" in child.name()]


@pytest.mark.system
def test_serve_answers_and_stops_on_ctrl_c(serve: Start, release: Path, graph: Graph, tmp_path: Path) -> None:
    data = tmp_path / "store"
    serving = serve("--release", str(release), "--data-dir", str(data))
    text = "\n".join(serving.stdout)
    assert f"SPARQL endpoint: {serving.query_url}" in text
    assert "Query page:      http://127.0.0.1:" in text
    assert f"{len(graph)} triples" in text

    # The query page (YASGUI) and the endpoint, holding the whole graph.
    with urllib.request.urlopen(serving.query_url.removesuffix("query"), timeout=10) as page:
        assert page.headers.get_content_type() == "text/html" and b"yasgui" in page.read().lower()
    assert count_triples(Endpoint(serving.query_url), None) == len(graph)

    # The example it prints works.
    example = next(line.strip() for line in serving.stdout if line.strip().startswith("pickg query run "))
    done = run_pickg(*example.split()[1:], "-f", "csv")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) >= 2

    # Read-only: an upload is refused.
    request = urllib.request.Request(serving.query_url.replace("/query", "/store?default"), data=b"", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403

    children = _oxigraph_children(serving.process)
    assert len(children) == 1
    assert serving.stop(signal.SIGINT) == 0
    assert not children[0].is_running() or children[0].status() == psutil.STATUS_ZOMBIE
    marker = json.loads((data / MARKER).read_text(encoding="utf-8"))
    assert marker["sha256"] == release_checksum([release / "pic.nt"])


@pytest.mark.system
def test_a_kept_store_is_reloaded_only_when_the_release_changes(serve: Start, release: Path, tmp_path: Path) -> None:
    data = tmp_path / "store"
    first = serve("--release", str(release), "--data-dir", str(data))
    assert first.stop(signal.SIGTERM) == 0
    assert any("loaded in" in line for line in first.stderr)

    again = serve("--release", str(release), "--data-dir", str(data))
    assert again.stop() == 0
    assert any("already up to date, not reloaded" in line for line in again.stderr)

    changed = tmp_path / "2.0.0"
    changed.mkdir()
    (changed / "pic.nt").write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    third = serve("--release", str(changed), "--data-dir", str(data))
    assert count_triples(Endpoint(third.query_url), None) == 1
    assert third.stop() == 0
    assert any("loaded in" in line for line in third.stderr)


@pytest.mark.system
def test_the_latest_release_is_served(serve: Start, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    for version, triples in (("0.9.0", 1), ("0.10.0", 2), ("notes", 3)):
        (out / version).mkdir(parents=True)
        lines = [
            f"<https://example.org/s{i}> <https://example.org/p> <https://example.org/o> .\n" for i in range(triples)
        ]
        (out / version / "pic.nt").write_text("".join(lines))
    serving = serve("--out", str(out))
    assert any("release 0.10.0" in line for line in serving.stdout)
    assert count_triples(Endpoint(serving.query_url), None) == 2
    assert serving.stop() == 0


@pytest.mark.system
def test_port_in_use(release: Path) -> None:
    with SilentServer() as taken:
        done = run_pickg("serve", "--release", str(release), "--port", str(taken.port))
    assert done.returncode == 2
    assert f"the port {taken.port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr and "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.system
def test_a_data_dir_pickg_did_not_make_is_left_alone(release: Path, tmp_path: Path) -> None:
    data = tmp_path / "mine"
    data.mkdir()
    (data / "thesis.tex").write_text("precious")
    done = run_pickg("serve", "--release", str(release), "--port", str(free_port()), "--data-dir", str(data))
    assert done.returncode == 2
    assert "thesis.tex" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in data.iterdir()) == ["thesis.tex"]


@pytest.mark.system
def test_a_non_loopback_host_is_warned_about(release: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the warning comes, then
    # binding fails, so nothing ever listens beyond the loopback.
    done = run_pickg("serve", "--release", str(release), "--host", "192.0.2.1", "--port", str(free_port()))
    assert done.returncode == 2
    assert "Warning: listening on 192.0.2.1, not on a loopback address" in done.stderr
    assert "cannot listen on 192.0.2.1" in done.stderr and "Traceback" not in done.stderr


def test_no_release_and_no_build(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no release in"):
        choose_release(None, tmp_path / "dist", build=False)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_bind_address() -> None:
    assert bind_address("127.0.0.1", 7878) == "127.0.0.1:7878"
    assert bind_address("::1", 7878) == "[::1]:7878"
    assert bind_address("[::1]", 80) == "[::1]:80"


@pytest.mark.system
def test_oxigraph_is_installed_beside_python() -> None:
    """make test installs the oxigraph server program in the virtual environment."""
    beside = Path(sys.executable).parent / "oxigraph"
    assert beside.is_file() and os.access(beside, os.X_OK)


@pytest.mark.system
def test_the_live_server_is_read_only_and_on_loopback_by_default(serve: Start, release: Path, tmp_path: Path) -> None:
    """Issue 19: against the running server, every way of writing is refused, and it
    listens on the loopback address only unless --host says otherwise."""
    serving = serve("--release", str(release), "--data-dir", str(tmp_path / "store"))
    base = serving.query_url.removesuffix("query")
    before = count_triples(Endpoint(serving.query_url), None)
    triple = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> ."
    writes = [
        ("POST", "update", b"INSERT DATA { " + triple + b" }", "application/sparql-update"),
        (
            "POST",
            "update",
            b"update=" + urllib.parse.quote_plus(b"DROP ALL").encode(),
            "application/x-www-form-urlencoded",
        ),
        (
            "POST",
            "query",
            b"update=" + urllib.parse.quote_plus(b"CLEAR DEFAULT").encode(),
            "application/x-www-form-urlencoded",
        ),
        ("PUT", "store?default", triple, "application/n-triples"),
        ("POST", "store?default", triple, "application/n-triples"),
        ("DELETE", "store?default", b"", "application/n-triples"),
        ("PUT", "store?graph=https://example.org/g", triple, "application/n-triples"),
        ("DELETE", "store?graph=https://example.org/g", b"", "application/n-triples"),
    ]
    for method, path, body, media_type in writes:
        request = urllib.request.Request(base + path, data=body, method=method, headers={"Content-Type": media_type})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code in (400, 403, 405), (method, path, refused.value.code)
    assert count_triples(Endpoint(serving.query_url), None) == before

    [child] = _oxigraph_children(serving.process)
    listening = [c.laddr for c in child.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    assert listening and all(address.ip == "127.0.0.1" for address in listening), listening
    assert "--timeout-s" in child.cmdline()
    assert serving.stop(signal.SIGINT) == 0


def _get(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    """The status and body of a request sent with its path exactly as written."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, url[len(f"{parts.scheme}://{parts.netloc}") :], body=body)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.system
def test_a_release_website_and_its_endpoint_are_served_on_one_address(
    serve: Start, published_release: PublishedRelease, tmp_path: Path
) -> None:
    """Issue 15: `pickg serve` puts the release's website at / (its query page at
    /sparql/index.html) and the SPARQL endpoint at /query of the same address."""
    release = published_release.path
    serving = serve("--release", str(release), "--data-dir", str(tmp_path / "store"))
    base = serving.query_url.removesuffix("query")
    text = "\n".join(serving.stdout)
    assert f"Website:         {base}\n" in text and f"Query page:      {base}sparql/index.html\n" in text

    # The site's files as the release holds them, and the release's own files beside
    # them where the site links them (../pic.ttl from the home page is /pic.ttl).
    for path, file in (
        ("", "site/index.html"),
        ("sparql/index.en.html", "site/sparql/index.en.html"),
        ("vendor/yasgui/yasgui.min.js", "site/vendor/yasgui/yasgui.min.js"),
        ("sparql.js", "site/sparql.js"),
        ("pic.ttl", "pic.ttl"),
        ("SHA256SUMS", "SHA256SUMS"),
    ):
        assert _get(base + path) == (200, (release / file).read_bytes()), path
    with urllib.request.urlopen(base + "pic.ttl", timeout=10) as answer:
        assert answer.headers.get_content_type() == "text/turtle"

    # The endpoint, on the same address, holds the release's graph.
    triples = len(Graph().parse(release / "pic.nt", format="nt"))
    assert count_triples(Endpoint(serving.query_url), None) == triples

    # Nothing outside the release, no folder listing, no writes to the files or the graph.
    outside = ["/../pyproject.toml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%00", "/id/"]
    for path in outside:
        assert _get(base.rstrip("/") + path)[0] == 404, path
    for method in ("POST", "PUT", "DELETE"):
        assert _get(base + "index.html", method, b"x")[0] == 405, method
    assert _get(base + "store?default", "PUT", b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .")[0] == 403
    assert _get(base + "update", "POST", b"update=DROP%20ALL")[0] == 403
    assert count_triples(Endpoint(serving.query_url), None) == triples

    # Oxigraph itself listens on 127.0.0.1 only, on a port of its own behind the front.
    [child] = _oxigraph_children(serving.process)
    listening = [c.laddr for c in child.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
    front_port = urllib.parse.urlsplit(base).port
    assert listening and all(a.ip == "127.0.0.1" and a.port != front_port for a in listening), listening
    assert serving.stop(signal.SIGINT) == 0


@pytest.mark.system
def test_a_link_in_the_website_pointing_outside_the_release_is_not_followed(serve: Start, tmp_path: Path) -> None:
    release = tmp_path / "1.0.0"
    (release / "site").mkdir(parents=True)
    (release / "site" / "index.html").write_text("<!DOCTYPE html><title>home</title>\n")
    (release / "pic.nt").write_text("<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of the release")
    (release / "site" / "secret.txt").symlink_to(secret)
    (release / "site" / "loop").symlink_to(release / "site" / "loop")
    serving = serve("--release", str(release))
    base = serving.query_url.removesuffix("query")
    assert _get(base)[0] == 200
    assert _get(base + "secret.txt")[0] == 404
    assert _get(base + "loop")[0] == 404
    assert _get(base + "x" * 5000)[0] == 404  # a name longer than the system takes
    # A control character in the path: a clear 400 from the front, not a dropped connection.
    port = urllib.parse.urlsplit(base).port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"GET /query?query=\x01 HTTP/1.0\r\n\r\n")
        assert raw.recv(64).startswith(b"HTTP/1.0 400")
    assert serving.stop() == 0
    assert not any("Traceback" in line for line in serving.stderr)
