"""Issue 19: the nine ways hostile input broke pickg, each through the real command line.

Every test runs ``pickg`` as a process bounded by a timeout and asserts a finished
sentence on stderr naming the input, the documented exit code, and no traceback,
on every store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from pickg.cli import main
from tests.support.servers import Reply, ScriptedServer, TricklingServer, json_reply

STORES = ("memory", "oxigraph")

#: Seconds any of these commands may take; a hang fails the test instead of the suite.
BOUND = 60

XSD = "http://www.w3.org/2001/XMLSchema#"


def pickg(
    *args: str, env: dict[str, str] | None = None, timeout: float = BOUND, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pickg.cli", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str], *fragments: str, code: int = 2) -> str:
    """Exit ``code``, no traceback, one ``Error:`` paragraph holding every fragment."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == code, (done.returncode, done.stderr)
    message = done.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- 1. an IRI parameter that is not a valid IRI -----------------------------------------


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_an_invalid_iri_parameter_is_refused_before_any_engine(store: str) -> None:
    done = pickg("query", "run", "assessment-limits", "--store", store, "-p", "report=http://x/%zz")
    refused(done, "parameter 'report'", "'http://x/%zz'", "not a valid IRI", "percent encoding")
    assert done.stdout == ""


# --- 2, 3. ill-typed literals ---------------------------------------------------------------

ILL_TYPED = f"""\
<https://w3id.org/pickg/id/amount/x> <https://schema.org/value> "abc"^^<{XSD}decimal> .
<https://w3id.org/pickg/id/source/x> <http://purl.org/dc/terms/issued> "2015-13-45"^^<{XSD}date> .
"""


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_ill_typed_literals_are_findings_of_validate(tmp_path: Path, store: str, engine: str) -> None:
    path = write(tmp_path / "ill-typed.ttl", ILL_TYPED)
    done = pickg("validate", str(path), "--store", store, "--engine", engine, "-f", "json")
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr, done.stderr
    assert done.stderr == "", done.stderr
    assert done.returncode == 1
    assert done.stdout.count("ill-typed-literal-violation") >= 2
    assert "abc" in done.stdout and "2015-13-45" in done.stdout
    if (store, engine) != ("memory", "pyshacl"):
        return
    for lang, words in (("en", "valid for its datatype"), ("fr", "valide pour son type")):
        text = pickg("validate", str(path), "--store", store, "--engine", engine, "--lang", lang)
        assert text.returncode == 1 and words in text.stdout and text.stderr == "", text.stderr


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_stats_on_ill_typed_literals_prints_no_traceback(tmp_path: Path, store: str) -> None:
    path = write(tmp_path / "ill-typed.ttl", ILL_TYPED)
    done = pickg("stats", str(path), "--store", store, "-f", "json")
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr


# --- 4, 5. invalid IRIs and escapes -------------------------------------------------------


BAD_TEXTS = [
    ("<http://x/a b> <http://x/p> <http://x/o> .\n", "Invalid IRI code point ' '"),
    ('<http://x/a> <http://x/p> "\\uZZZZ" .\n', "escape sequence '\\uZZZZ'"),
]


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize(("text", "reason"), BAD_TEXTS)
def test_invalid_iris_and_escapes_are_refused_on_every_store(
    tmp_path: Path, store: str, text: str, reason: str
) -> None:
    path = write(tmp_path / "bad.ttl", "# first line\n" + text)
    for command in ("stats", "validate"):
        refused(pickg(command, str(path), "--store", store), f"{path}:2:", reason)


@pytest.mark.parametrize("store", STORES)
@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq"])
@pytest.mark.parametrize(("text", "reason"), BAD_TEXTS)
def test_every_reader_refuses_them_the_same_way(
    tmp_path: Path, store: str, suffix: str, text: str, reason: str
) -> None:
    """The same matrix in-process, through click's runner: every format, every store."""
    path = write(tmp_path / f"bad{suffix}", "# first line\n" + text)
    result = CliRunner().invoke(main, ["stats", str(path), "--store", store])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert f"{path}:2:" in result.output and reason in result.output, result.output


# --- 6. special files ----------------------------------------------------------------------


@pytest.fixture
def special_files(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "fifo.ttl"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.ttl"
    zero.symlink_to("/dev/zero")
    dangling = tmp_path / "dangling.ttl"
    dangling.symlink_to(tmp_path / "nowhere.ttl")
    return {"a named pipe (FIFO)": fifo, "a device": zero, "symbolic link to nothing": dangling}


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_special_files_are_refused_at_once(special_files: dict[str, Path], store: str) -> None:
    for what, path in special_files.items():
        for command in ("stats", "validate") if store == "memory" else ("stats",):
            started = time.monotonic()
            done = pickg(command, str(path), "--store", store, timeout=30)
            refused(done, str(path), what)
            assert time.monotonic() - started < 25


@pytest.mark.system
def test_a_folder_given_as_a_data_file_is_a_usage_error(tmp_path: Path) -> None:
    """A folder is read as the RDF files under it; one holding none is a usage error."""
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    done = pickg("stats", str(folder))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "folder.ttl" in done.stderr and "is a folder with no RDF file" in done.stderr


# --- 7. billion laughs ---------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/">\n'
    '<rdf:Description rdf:about="http://x/s"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n'
)


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_billion_laughs_is_refused(tmp_path: Path, store: str) -> None:
    path = write(tmp_path / "laughs.rdf", LAUGHS)
    refused(pickg("stats", str(path), "--store", store, timeout=30), f"{path}:", "amplification")


@pytest.mark.system
def test_an_xml_file_with_ordinary_entities_is_read(tmp_path: Path) -> None:
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ex "http://x/">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://x/">\n'
        '<rdf:Description rdf:about="&ex;s"><ex:p>v</ex:p></rdf:Description>\n</rdf:RDF>\n'
    )
    path = write(tmp_path / "entities.rdf", text)
    for store in STORES:
        done = pickg("stats", str(path), "--store", store, "-f", "json")
        assert done.returncode == 0, done.stderr


# --- 8. a slow local query ------------------------------------------------------------------


@pytest.mark.system
@pytest.mark.parametrize("store", ["auto", "oxigraph"])
def test_a_local_query_is_stopped_at_its_timeout(store: str) -> None:
    started = time.monotonic()
    done = pickg(
        "query", "run", "neighbourhoods-by-theme", "--store", store, "-p", "phase=urn:x", "--timeout", "3", timeout=45
    )
    elapsed = time.monotonic() - started
    if done.returncode == 0:  # the engine answered within the deadline: nothing to stop
        assert elapsed < 30
        return
    refused(done, "query 'neighbourhoods-by-theme'", "ran out of time", "3 seconds", "--timeout")
    assert elapsed < 30


@pytest.mark.system
def test_a_query_of_ones_own_is_stopped_at_its_timeout(tmp_path: Path) -> None:
    cross = write(tmp_path / "cross.rq", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    done = pickg("sparql", str(cross), "--timeout", "0.5")
    refused(done, f"the query of {cross} ran out of time", "0.5 seconds", "--timeout")
    assert done.stdout == ""


# --- 9. the remote client ------------------------------------------------------------------


@pytest.mark.system
def test_a_trickling_body_is_cut_off_at_the_timeout() -> None:
    with TricklingServer(pause=0.5) as server:
        started = time.monotonic()
        done = pickg("query", "run", "assessment-limits", "--endpoint", server.url, "--timeout", "2", timeout=30)
        elapsed = time.monotonic() - started
    refused(done, server.url, "within 2 seconds", "--timeout")
    assert elapsed < 15, elapsed


@pytest.mark.system
def test_retry_after_never_runs_past_the_timeout() -> None:
    busy = Reply(503, b"busy", "text/plain", {"Retry-After": "3600"})
    with ScriptedServer(busy, json_reply([], [])) as server:
        started = time.monotonic()
        done = pickg("query", "run", "assessment-limits", "--endpoint", server.url, "--timeout", "3", timeout=30)
        elapsed = time.monotonic() - started
    refused(done, server.url, "503", "--timeout")
    assert elapsed < 15, elapsed


@pytest.mark.system
def test_an_error_after_a_redirect_names_the_url_that_failed() -> None:
    with ScriptedServer(Reply(404, b"no such endpoint", "text/plain")) as target:
        failed = target.url.replace("/query", "/elsewhere")
        with ScriptedServer(Reply(303, b"", "text/plain", {"Location": failed})) as first:
            done = pickg("query", "run", "assessment-limits", "--endpoint", first.url, "--timeout", "5")
    message = refused(done, failed, "404")
    assert first.url not in message


# --- bounded reading ------------------------------------------------------------------------


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_a_file_over_the_size_limit_is_refused_and_the_limit_can_be_raised(tmp_path: Path, store: str) -> None:
    path = write(tmp_path / "big.nt", "".join(f"<http://x/s{i}> <http://x/p> <http://x/o> .\n" for i in range(30_000)))
    refused(pickg("--max-input-size", "1M", "stats", str(path), "--store", store), str(path), "--max-input-size")
    refused(
        pickg("stats", str(path), "--store", store, env={"PICKG_MAX_INPUT_SIZE": "1.1M"}),
        "more than the input size limit",
    )
    assert pickg("--max-input-size", "10M", "stats", str(path), "--store", store).returncode == 0


@pytest.mark.system
def test_a_size_limit_that_is_no_size_is_a_usage_error() -> None:
    done = pickg("--max-input-size", "lots", "stats")
    assert done.returncode == 2 and "Traceback" not in done.stderr and "'lots' is not a size" in done.stderr


# --- standard input -------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
DATA = sorted((ROOT / "data").glob("*.ttl"))
#: The shipped data as one Turtle document, as ``cat data/*.ttl`` gives it.
CONCATENATED = "".join(path.read_text(encoding="utf-8") for path in DATA)


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_data_on_standard_input_gives_the_statistics_of_the_files(store: str) -> None:
    from_files = pickg("stats", *map(str, DATA), "--store", store, "-f", "json")
    from_stdin = pickg("stats", "-", "--store", store, "-f", "json", stdin=CONCATENATED)
    assert from_files.returncode == 0 == from_stdin.returncode, from_stdin.stderr
    assert json.loads(from_stdin.stdout) == json.loads(from_files.stdout)
    assert json.loads(from_stdin.stdout)["triples"] > 5000


@pytest.mark.system
def test_data_on_standard_input_answers_query_run_and_validate_as_the_files() -> None:
    args = ("query", "run", "neighbourhoods-by-theme", "--lang", "fr", "-f", "csv")
    engines = ("pyshacl", "fast")
    # the six processes are independent: they run side by side
    with ThreadPoolExecutor(max_workers=6) as pool:
        query_runs = pool.submit(pickg, *args, *map(str, DATA)), pool.submit(pickg, *args, "-", stdin=CONCATENATED)
        validations = {
            engine: (
                pool.submit(pickg, "validate", *map(str, DATA), "--engine", engine, "-f", "json"),
                pool.submit(pickg, "validate", "-", "--engine", engine, "-f", "json", stdin=CONCATENATED),
            )
            for engine in engines
        }
    from_files, from_stdin = (run.result() for run in query_runs)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_files.stdout and from_stdin.stdout.count("\n") > 10
    for engine in engines:
        files_report = json.loads(validations[engine][0].result().stdout)
        stdin_report = json.loads(validations[engine][1].result().stdout)
        assert stdin_report["counts"] == files_report["counts"], engine
        assert "<stdin>" in stdin_report["files"]
    warned = [r for r in stdin_report["results"] if r["severity"] == "Warning"]
    assert warned and all(r["file"] == "<stdin>" for r in warned if r["file"] and "ontology" not in r["file"])


@pytest.mark.system
def test_n_triples_on_standard_input_and_the_sparql_command(tmp_path: Path) -> None:
    query = write(tmp_path / "all.rq", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    triples = pickg("sparql", str(query), "-f", "nt", *map(str, DATA))
    assert triples.returncode == 0, triples.stderr
    # the ontology is read on top of standard input, which holds it too: its blank nodes come twice
    count = write(
        tmp_path / "count.rq", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }"
    )
    as_turtle = pickg("sparql", str(count), "-f", "csv", "-", stdin=CONCATENATED)
    as_nt = pickg("sparql", str(count), "-f", "csv", "--input-format", "ntriples", "-", stdin=triples.stdout)
    assert as_nt.returncode == 0 == as_turtle.returncode, as_nt.stderr
    assert as_nt.stdout == as_turtle.stdout
    refused(
        pickg("sparql", "-", "-", stdin="SELECT * WHERE { ?s ?p ?o }"),
        "the query and the data cannot both come from standard input",
    )


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_malformed_standard_input_is_named_with_its_line(store: str) -> None:
    broken = CONCATENATED + "\nnbh:verdun pic:label «pas fini\n"
    line = broken.count("\n", 0, broken.index("nbh:verdun pic:label «")) + 1
    for command in ("stats", "validate"):
        done = pickg(command, "-", "--store", store, stdin=broken)
        refused(done, f"<stdin>:{line}:")
        assert done.stdout == ""
    refused(pickg("stats", "-", "--store", store, "--input-format", "ntriples", stdin=CONCATENATED), "<stdin>:1:")


@pytest.mark.system
@pytest.mark.parametrize("store", STORES)
def test_standard_input_over_the_size_limit_is_refused(store: str) -> None:
    big = "".join(f"<http://x/s{i}> <http://x/p> <http://x/o> .\n" for i in range(5_000))  # ~230 KiB
    done = pickg("--max-input-size", "100K", "stats", "-", "--store", store, "--input-format", "ntriples", stdin=big)
    refused(done, "<stdin>", "more than the input size limit of 100 KiB", "--max-input-size")
    assert done.stdout == ""
    raised = pickg("--max-input-size", "1M", "stats", "-", "--store", store, "--input-format", "ntriples", stdin=big)
    assert raised.returncode == 0, raised.stderr


@pytest.mark.system
def test_standard_input_is_read_once() -> None:
    twice = pickg("stats", "-", "-", stdin=CONCATENATED)  # a usage error, as click shows them
    assert twice.returncode == 2 and "Traceback" not in twice.stderr and "is given twice" in twice.stderr
    done = pickg("fmt", "-", stdin=(ROOT / "data" / "events.ttl").read_text(encoding="utf-8"))
    assert done.returncode == 0 and done.stdout == (ROOT / "data" / "events.ttl").read_text(encoding="utf-8")


def test_the_input_formats_are_those_the_reader_knows() -> None:
    from pickg.cli.options import INPUT_FORMATS
    from pickg.graph.formats import STDIN_FORMATS

    assert INPUT_FORMATS == tuple(STDIN_FORMATS)


# --- a slow validation ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_200(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic graph of 200 neighbourhoods (~40k triples): every check and shape takes a while."""
    from pickg.synth.generator import synthesize

    return synthesize(200, tmp_path_factory.mktemp("synthetic-200"), seed=3).path


@pytest.mark.system
@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_validate_stops_the_check_that_runs_past_its_timeout(synthetic_200: Path, engine: str) -> None:
    done = pickg("validate", str(synthetic_200), "--engine", engine, "--timeout", "0.001")
    message = refused(done, "the data check '", "-violation.rq)", "ran out of time", "0.001 seconds", "--timeout")
    assert done.stdout == "", message


@pytest.mark.parametrize(
    ("engine", "store", "named"),
    [("fast", "oxigraph", "the shape picsh:"), ("fast", "memory", "the shape picsh:"), ("pyshacl", None, "pySHACL")],
)
def test_the_shape_that_runs_past_the_timeout_is_named(
    synthetic_200: Path, engine: str, store: str | None, named: str
) -> None:
    from functools import partial

    from pickg.graph.errors import QueryTimeoutError
    from pickg.queries.deadline import within
    from pickg.validation.validate import validate

    shapes_only = partial(validate, [synthetic_200], engine=engine, store=store, checks=False)
    with pytest.raises(QueryTimeoutError) as stopped:
        within(0.001, "the validation", shapes_only, steps=True, hint="raise --timeout")
    assert named in str(stopped.value) and "ran out of time" in str(stopped.value)
