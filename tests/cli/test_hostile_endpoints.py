"""Issue 27: faulty endpoints that answer too much, each met by a real ``pickg`` process.

Cases of the hostile corpus (``hostile/README.md``, family ``endpoint-process``): an
endless body, a valid answer larger than the limit (streamed, and declared by its
``Content-Length``), a redirect loop, a redirect to a file, and a query stopped at
``pickg serve``'s time limit. Each must end with exit 2 within the ``--timeout`` plus a
small margin (the process's start, measured in the same run), under 300 MB of memory,
with a one-paragraph message naming the server and the limit it met.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.support.faulty import StreamingServer, endless_results, many_results
from tests.support.runs import PublishedRelease
from tests.support.servers import Reply, ScriptedServer, free_port, json_reply
from tests.support.summary import CORPUS

pytestmark = pytest.mark.system

#: The most memory a refused answer may take the pickg process to.
MEMORY = 300 * 2**20
#: Seconds past ``--timeout`` (beyond the process's start-up) an answer may end.
MARGIN = 3.0
QUERY = "SELECT ?s ?label WHERE { ?s ?p ?label }"


@dataclass
class Outcome:
    code: int
    stderr: str
    seconds: float
    peak: int


def pickg(*args: str, bound: float = 120.0) -> Outcome:
    """``pickg ARGS`` as a process: exit code, stderr, seconds and peak resident memory."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "pickg.cli", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            pass
        if time.monotonic() - started > bound:
            process.kill()
        time.sleep(0.02)
    assert process.stderr is not None
    return Outcome(process.returncode, process.stderr.read(), time.monotonic() - started, peak)


@pytest.fixture(scope="module")
def query_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-endpoints") / "query.rq"
    path.write_text(QUERY + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def start_up(query_file: Path) -> float:
    """Seconds ``pickg sparql --endpoint`` takes against an endpoint that answers at once."""
    with ScriptedServer(json_reply(["s", "label"], [])) as quick:
        done = pickg("sparql", str(query_file), "--endpoint", quick.url)
    assert done.code == 0, done.stderr
    return done.seconds


def refused(name: str, done: Outcome, timeout: float, start_up: float, *names: str) -> None:
    """Count the case in the corpus and check it: exit 2, in time, in memory, named."""
    CORPUS["inputs"] += 1
    CORPUS["runs"] += 1
    CORPUS["families"]["endpoint-process"] = CORPUS["families"].get("endpoint-process", 0) + 1
    late = done.seconds > timeout + start_up + MARGIN
    CORPUS["tracebacks"] += "Traceback" in done.stderr
    CORPUS["hangs"] += late
    CORPUS["wrong_exit"] += done.code not in (0, 1, 2)
    CORPUS["unnamed"] += not all(n in done.stderr for n in names)
    assert "Traceback" not in done.stderr and done.code == 2, (name, done.code, done.stderr)
    assert not late, f"{name}: {done.seconds:.1f} s against --timeout {timeout:g} (+ {start_up:.1f} s to start)"
    assert done.peak < MEMORY, f"{name}: {done.peak / 2**20:.0f} MB"
    assert all(n in done.stderr for n in names), (name, done.stderr)
    paragraph = done.stderr.strip()
    assert paragraph.startswith("Error: ") and "\n" not in paragraph, (name, done.stderr)


def test_an_endless_body_ends_at_the_size_limit(query_file: Path, start_up: float) -> None:
    with StreamingServer(endless_results) as server:
        done = pickg("sparql", str(query_file), "--endpoint", server.url, "--max-answer-size", "4M", "--timeout", "30")
    refused("endless body", done, 30, start_up, server.url, "larger than 4 MiB", "--max-answer-size")


def test_an_endless_body_ends_at_the_timeout(query_file: Path, start_up: float) -> None:
    """With no size limit in reach, --timeout cuts the reading of the rows themselves."""
    with StreamingServer(endless_results) as server:
        done = pickg("sparql", str(query_file), "--endpoint", server.url, "--max-answer-size", "2G", "--timeout", "3")
    refused("endless body, timeout", done, 3, start_up, server.url, "within 3 seconds", "--timeout")


def test_a_valid_answer_larger_than_the_default_limit_is_refused(query_file: Path, start_up: float) -> None:
    """The default limit (32 MiB): an answer of 40 MiB is refused, and pickg stays
    under 300 MB while it reads the rows up to there."""
    with StreamingServer(many_results(40 * 2**20)) as server:
        done = pickg("query", "run", "weak-facts", "--endpoint", server.url, "--timeout", "120")
    refused("valid answer over the default limit", done, 120, start_up, server.url, "larger than 32 MiB")


def test_an_answer_declared_too_large_is_refused_before_it_is_read(query_file: Path, start_up: float) -> None:
    with StreamingServer(endless_results, headers={"Content-Length": str(2**40)}) as server:
        done = pickg("sparql", str(query_file), "--endpoint", server.url, "--timeout", "10")
    refused("declared size", done, 10, start_up, server.url, "larger than 32 MiB")
    assert done.seconds < start_up + MARGIN


def test_a_redirect_loop_is_named_by_the_server_that_sent_it(query_file: Path, start_up: float) -> None:
    with ScriptedServer(Reply(302, b"", "text/plain")) as loop:
        loop.replies[0].headers["Location"] = loop.url
        done = pickg("sparql", str(query_file), "--endpoint", loop.url, "--timeout", "10")
    refused("redirect loop", done, 10, start_up, loop.url, "HTTP 302", "loop")


def test_a_redirect_to_a_file_is_named_by_the_server_that_sent_it(query_file: Path, start_up: float) -> None:
    with ScriptedServer(Reply(302, b"", "text/plain", {"Location": "file:///etc/passwd"})) as server:
        done = pickg("sparql", str(query_file), "--endpoint", server.url, "--timeout", "10")
    refused("redirect to a file", done, 10, start_up, f"{server.url} answered HTTP 302", "file:///etc/passwd")
    assert not done.stderr.startswith("Error: file://")


@pytest.fixture(scope="module")
def impatient_serve(published_release: PublishedRelease) -> Iterator[str]:
    """``pickg serve --query-timeout 1`` on the session's release: its query URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pickg.cli", "serve", "--release", str(published_release.path)]
        + ["--port", str(port), "--query-timeout", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Press Ctrl-C"):
            break
    yield f"http://127.0.0.1:{port}/query"
    process.terminate()
    process.wait(timeout=30)


def test_a_query_stopped_at_serves_time_limit_is_said_to_be(
    impatient_serve: str, tmp_path: Path, start_up: float
) -> None:
    """Oxigraph answers 200 at once and ends a stopped answer with a notice (a bogus CSV
    row, broken JSON): ``pickg serve`` answers 504 instead when the answer is small, and
    the client recognises both and says why."""
    stopped = "stopped the query at the server's own time limit"
    slow = tmp_path / "slow.rq"  # a cross product whose filter keeps nothing: no row before the limit
    slow.write_text('SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) = CONCAT(STR(?f), "-none")) }\n')
    done = pickg("sparql", str(slow), "--endpoint", impatient_serve, "--timeout", "60")
    refused("stopped by serve, no row yet", done, 60, start_up, impatient_serve, stopped, "HTTP 504")

    heavy = tmp_path / "heavy.rq"  # rows beyond what serve holds back: the notice ends the stream
    heavy.write_text("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }\n", encoding="utf-8")
    done = pickg("sparql", str(heavy), "--endpoint", impatient_serve, "--timeout", "60")
    refused("stopped by serve, rows sent", done, 60, start_up, impatient_serve, stopped, "cancelled")

    request = urllib.request.Request(
        impatient_serve,
        data=urllib.parse.urlencode({"query": slow.read_text()}).encode(),
        headers={"Accept": "text/csv"},
    )
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(request, timeout=60)
    assert refusal.value.code == 504
    assert refusal.value.headers.get_content_type() == "text/plain"
    assert b"time limit of 1 seconds" in refusal.value.read()


def test_one_timeout_covers_the_query_and_the_labels_of_its_rows(query_file: Path, start_up: float) -> None:
    """The rows come at once, the labels of their IRIs never: --timeout still ends it."""
    asked: list[int] = []

    def answers() -> Iterator[bytes]:
        asked.append(1)
        if len(asked) > 1:  # the labels' query
            time.sleep(30)
        yield b'{"head": {"vars": ["s"]}, "results": {"bindings": ['
        yield b'{"s": {"type": "uri", "value": "https://example.org/thing/1"}}]}}'

    with StreamingServer(answers) as server:
        done = pickg("sparql", str(query_file), "--endpoint", server.url, "--timeout", "4", "-f", "table")
    refused("slow labels", done, 4, start_up, server.url, "within 4 seconds")
    assert len(asked) >= 2
