"""``pickg query run --endpoint``: every failure is one clear paragraph and exit 2.

Each case runs the real command as a process against a real server on 127.0.0.1.
"""

from __future__ import annotations

import subprocess

import pytest

from pickg.graph.namespaces import XSD
from pickg.queries.catalogue import load_catalog
from tests.support.runs import run_pickg
from tests.support.servers import Reply, ScriptedServer, SilentServer, free_port, json_reply

pytestmark = pytest.mark.system

NAME = sorted(load_catalog())[0]
ROWS = json_reply(
    ["n", "label"],
    [
        {
            "n": {"type": "literal", "value": "2", "datatype": str(XSD.integer)},
            "label": {"type": "literal", "value": "Verdun", "xml:lang": "fr"},
        },
        {"n": {"type": "literal", "value": "1", "datatype": str(XSD.integer)}},
    ],
)


def assert_clean_failure(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """Exit 2, nothing on stdout, one paragraph on stderr holding every fragment."""
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message


def test_no_server_listening() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    done = run_pickg("query", "run", NAME, "--endpoint", url)
    assert_clean_failure(done, f"cannot connect to {url}", "Connection refused", "check that the server is running")


def test_500_then_200() -> None:
    with ScriptedServer(Reply(500, b"transient failure", "text/plain"), ROWS) as server:
        done = run_pickg("query", "run", NAME, "--endpoint", server.url, "-f", "csv")
        assert len(server.seen) == 2
    assert done.returncode == 0, done.stderr
    header, *rows = done.stdout.splitlines()
    assert header == "n,label" and sorted(rows) == ["1,", "2,Verdun"]


def test_500_every_time() -> None:
    with ScriptedServer(Reply(500, b"store on fire", "text/plain")) as server:
        done = run_pickg("query", "run", NAME, "--endpoint", server.url)
        assert len(server.seen) == 3
    assert_clean_failure(done, server.url, "HTTP 500", "store on fire", "tried 3 times")


def test_server_that_never_answers() -> None:
    with SilentServer() as server:
        done = run_pickg("query", "run", NAME, "--endpoint", server.url, "--timeout", "0.5")
    assert_clean_failure(done, server.url, "did not answer within 0.5 seconds", "--timeout")


def test_wrong_content_type() -> None:
    with ScriptedServer(Reply(200, b"<html>query page</html>", "text/html")) as server:
        done = run_pickg("query", "run", NAME, "--endpoint", server.url)
    assert_clean_failure(done, server.url, "text/html instead of SPARQL JSON results", "/query")


def test_unauthorized_names_the_user_not_the_password() -> None:
    env = {"PICKG_ENDPOINT_USER": "steward", "PICKG_ENDPOINT_PASSWORD": "hunter2"}
    with ScriptedServer(Reply(401, b"authentication required", "text/plain")) as server:
        done = run_pickg("query", "run", NAME, "--endpoint", server.url, env=env)
        assert server.seen[0].headers["Authorization"].startswith("Basic ")
    assert_clean_failure(done, "HTTP 401", "'steward'")
    assert "hunter2" not in done.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--endpoint", "localhost:7878/query"], "not an http(s) URL"),
        (["--endpoint", "http://127.0.0.1:9/query", "data/none.ttl"], "not both"),
        (["--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "--timeout"),
    ],
)
def test_bad_options(args: list[str], fragment: str) -> None:
    done = run_pickg("query", "run", NAME, *args)
    assert done.returncode == 2
    assert fragment in done.stderr and "Traceback" not in done.stderr


def test_half_set_credentials() -> None:
    done = run_pickg("query", "run", NAME, "--endpoint", "http://127.0.0.1:9/query", env={"PICKG_ENDPOINT_USER": "x"})
    assert_clean_failure(done, "PICKG_ENDPOINT_PASSWORD is not")
