"""Three SHACL engines on a published release: pySHACL, Jena SHACL and shacl-engine.

Each engine reads the release's own files, the way the release's README tells a
consumer to run it, and gives a SHACL validation report in Turtle; :func:`report_keys`
reduces a report to what the engines must agree on: (focus node, source shape,
severity, path) for every result.

* **pySHACL** (the reference engine, a dependency of pickg): ``pyshacl.validate`` on
  ``pic.ttl`` with ``shapes.ttl``, no inference. The data graph is a
  :class:`pickg.validation.pyshacl_engine.ValidationGraph`, which parses each SPARQL
  text once instead of once per focus node (3 s instead of 35 s here; the results are
  the same, see tests/validation/test_validate_engines.py).
* **Jena SHACL** 4.5 (Debian ``libapache-jena-java``, jars only): ``shacl validate
  --shapes shapes.ttl --data pic.ttl`` through its command class ``shacl.shacl``, on
  the classpath of the package's dependencies (:func:`jena_classpath`).
* **shacl-engine** (npm, in ``.ci/node``): the script the release's README gives,
  taken from the published README, on ``shapes.ttl`` and ``ontology.ttl`` (its shapes
  graph) and ``pic.ttl``. It spends about 30 ms per SPARQL-constraint evaluation
  (a new Comunica engine each time, about 2,500 of them on this release), so it is
  run in the background from the start of the session (:class:`Background`,
  started by ``conftest.pytest_collection_finish``); docs/shacl-engines.md has the figures.

:func:`small_copies` makes the two small graphs (one with a label removed) on which
the three engines must see the same new violation.
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from tests.support.runs import ReleaseBuild

SH = Namespace("http://www.w3.org/ns/shacl#")
ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / ".ci" / "node" / "node_modules"
JAVA_DIR = Path("/usr/share/java")

#: The jars of Debian's libapache-jena-java and of the packages it depends on
#: (``apt-cache depends libapache-jena-java``), with slf4j's simple logger.
JENA_JARS = (
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-annotations",
    "jackson-core",
    "jackson-databind",
    "jakarta.json-api",
    "jsonld-java",
    "protobuf",
    "thrift",
    "titanium-json-ld",
    "slf4j-api",
    "slf4j-simple",
)

#: The fenced block of the release README that holds the shacl-engine script.
_SCRIPT_BLOCK = re.compile(r"```js\n(// Validate RDF files with shacl-engine.*?)```", re.S)

Key = tuple[str, str, str, str]


@dataclass
class EngineReport:
    """What one engine said of one release: its results reduced to keys, and how many."""

    engine: str
    keys: frozenset[Key]
    results: int
    conforms: bool


def report_keys(engine: str, turtle: str) -> EngineReport:
    """The (focus node, source shape, severity, path) of every result of a Turtle SHACL report."""
    graph = Graph().parse(data=turtle, format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1, f"{engine}: {len(reports)} sh:ValidationReport in its output"
    keys = []
    for result in graph.objects(reports[0], SH.result):
        path = graph.value(result, SH.resultPath)
        keys.append(
            (
                _name(graph.value(result, SH.focusNode)),
                _name(graph.value(result, SH.sourceShape)),
                _name(graph.value(result, SH.resultSeverity)),
                _name(path) if path is None or not isinstance(path, BNode) else "(complex path)",
            )
        )
    conforms = graph.value(reports[0], SH.conforms)
    return EngineReport(engine, frozenset(keys), len(keys), isinstance(conforms, Literal) and bool(conforms.value))


def _name(term: object) -> str:
    if term is None:
        return "-"
    assert not isinstance(term, BNode), f"a blank node {term!r} where an IRI was expected: name the shape"
    return str(term)


# --- pySHACL -----------------------------------------------------------------------------


def pyshacl_report(shapes: Path, data: Path) -> EngineReport:
    import pyshacl

    from pickg.validation.pyshacl_engine import ValidationGraph

    graph = ValidationGraph()
    graph.parse(data)
    _, report, _ = pyshacl.validate(graph, shacl_graph=Graph().parse(shapes), inference="none", inplace=True)
    return report_keys("pySHACL", report.serialize(format="turtle"))


# --- Jena SHACL --------------------------------------------------------------------------


def jena_classpath(scratch: Path) -> str:
    """The classpath of Jena's commands, with the message bundles Debian's jena-core lacks.

    Debian moved Jena's copy of Xerces from ``org.apache.jena.ext.xerces`` to ``xerces``
    but left its ``.properties`` message bundles under the old name, so every Jena
    command dies at start-up with ``RuntimeException: internal error`` (the regular
    expression parser cannot load ``xerces.impl.xpath.regex.message``). The bundles are
    copied under the name the classes look for, in ``scratch``.
    """
    jars = [JAVA_DIR / f"{name}.jar" for name in JENA_JARS]
    missing = [str(jar) for jar in jars if not jar.exists()]
    assert not missing, f"Jena jars missing (apt-get install libapache-jena-java): {', '.join(missing)}"
    bundles = scratch / "jena-bundles"
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = bundles / name.removeprefix(prefix)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return os.pathsep.join([*map(str, jars), str(bundles)])


def jena_command(classpath: str, shapes: Path, data: Path) -> list[str]:
    """Jena's ``shacl validate --shapes SHAPES --data DATA``.

    The JVM compiles with its quick compiler only and collects in one thread: a run this
    short never pays back the optimising compiler, and the report is the same (on the
    release, 4.8 s of CPU instead of 2.1 s)."""
    java = shutil.which("java")
    assert java, "no java on PATH (make test-deps installs default-jre-headless)"
    return [
        java,
        *JAVA_OPTIONS,
        "-cp",
        classpath,
        "shacl.shacl",
        "validate",
        "--shapes",
        str(shapes),
        "--data",
        str(data),
    ]


#: The JVM options of the Jena runs (:func:`jena_command`).
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


@dataclass
class Started:
    """An engine's process started in the background; :meth:`wait` gives its report.

    The tests start the Java and Node processes first, then run pySHACL in their own
    process meanwhile, and wait for each only when its report is needed.
    """

    engine: str
    process: subprocess.Popen[str]
    timeout: float

    def wait(self) -> EngineReport:
        try:
            stdout, stderr = self.process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise AssertionError(f"{self.engine} did not finish in {self.timeout} s") from None
        if self.engine == "Jena SHACL":
            assert self.process.returncode == 0, f"Jena SHACL failed ({self.process.returncode}):\n{stderr[-3000:]}"
            return report_keys(self.engine, stdout)
        return shacl_engine_report(self.process.returncode, stdout, stderr)


def _start(engine: str, command: list[str], timeout: float) -> Started:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Started(engine, process, timeout)


def start_jena(classpath: str, shapes: Path, data: Path) -> Started:
    return _start("Jena SHACL", jena_command(classpath, shapes, data), 300)


def jena_report(classpath: str, shapes: Path, data: Path) -> EngineReport:
    return start_jena(classpath, shapes, data).wait()


# --- shacl-engine ------------------------------------------------------------------------


def shacl_engine_script(readme: Path) -> str:
    """The shacl-engine script of a release's README."""
    found = _SCRIPT_BLOCK.search(readme.read_text(encoding="utf-8"))
    assert found, f"{readme} gives no shacl-engine script (a ```js block)"
    return found.group(1)


def shacl_engine_command(script: Path, shapes: Iterable[Path], data: Path) -> list[str]:
    """``node shacl-engine.mjs SHAPES... -- DATA``; ``script`` sits in a folder whose
    ``node_modules`` is that of ``.ci/node``."""
    node = shutil.which("node")
    assert node, "no node on PATH"
    return [node, str(script), *map(str, shapes), "--", str(data)]


def shacl_engine_report(returncode: int, stdout: str, stderr: str) -> EngineReport:
    """The report of a finished shacl-engine run (exit 0 conforms, 1 does not)."""
    assert returncode in (0, 1), f"shacl-engine failed ({returncode}):\n{stderr[-3000:]}"
    return report_keys("shacl-engine", stdout)


#: The npm packages the script imports, installed into ``.ci/node`` by ``tools/test-deps.sh`` (``make test-deps``).
NODE_PACKAGES = ("shacl-engine", "n3")


def shacl_engine_script_file(readme: Path, folder: Path) -> Path:
    """The README's script written in ``folder``, beside a link to ``.ci/node``'s packages."""
    missing = [name for name in NODE_PACKAGES if not (NODE_MODULES / name / "package.json").is_file()]
    assert not missing, (
        f"the npm packages {', '.join(missing)} are not in {NODE_MODULES}: run make test-deps "
        "(make test runs it first), which installs them"
    )
    script = folder / "shacl-engine.mjs"
    script.write_text(shacl_engine_script(readme), encoding="utf-8")
    (folder / "node_modules").symlink_to(NODE_MODULES)
    return script


def start_shacl_engine(script: Path, shapes: Iterable[Path], data: Path) -> Started:
    return _start("shacl-engine", shacl_engine_command(script, shapes, data), 600)


def run_shacl_engine(script: Path, shapes: Iterable[Path], data: Path) -> EngineReport:
    return start_shacl_engine(script, shapes, data).wait()


# --- the small copies that show the comparison can fail ------------------------------------------

#: The named graphs of ``pic.trig`` kept in the small copies: the ontology, the
#: vocabularies, and the events (the resources they link to are left out, so the copies
#: break a few ``sh:class`` constraints, which the engines must see alike).
_KEPT = ("https://w3id.org/pickg/graph/ontology/", "https://w3id.org/pickg/graph/data/events")


def small_copies(trig: Path, folder: Path) -> tuple[Path, Path, URIRef]:
    """Two copies of part of a release's graph, the second without an event's French label.

    Each event must have a French ``rdfs:label`` (``picsh:Resource-label``), so every
    engine must find one violation more in the second copy, on that event. The copies
    keep a few dozen focus nodes: shacl-engine checks them in seconds.

    :returns: the complete copy, the broken copy and the event whose label is gone.
    """
    dataset = Dataset(default_union=False)
    with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated classes
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(trig, format="trig")
    kept = Graph()
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(_KEPT):
            kept += graph
    event = min(kept.subjects(RDF.type, URIRef("https://w3id.org/pickg/ontology#Event")), key=str)
    french = [o for o in kept.objects(event, RDFS.label) if isinstance(o, Literal) and o.language == "fr"]
    assert french, f"{event} has no French label to remove"
    complete, broken = folder / "complete.ttl", folder / "broken.ttl"
    kept.serialize(complete, format="turtle")
    for label in french:
        kept.remove((event, RDFS.label, label))
    kept.serialize(broken, format="turtle")
    return complete, broken, event


# --- shacl-engine in the background --------------------------------------------------------


@dataclass
class Background:
    """shacl-engine's run on the session's release, started once for the whole test run.

    Every process of the run (each pytest-xdist worker, or the one process without them)
    makes a :class:`Background` at collection; the first to take ``folder``'s lock
    starts shacl-engine as soon as the release is built, with its output, its exit code
    and its process id written to files in ``folder``, which the run's processes share
    (:func:`tests.support.runs.shared_folder`). Whichever process runs the test reads the
    report from there, so the run starts at the beginning of the suite whatever worker
    gets the test, and long before it. The process that started it does not stop it when
    its own tests are over (another worker may still be waiting for it): the run's owner
    stops it, if it still runs, at the very end (:func:`stop_shared_run`).
    """

    folder: Path
    release: Path | None = None
    _started: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self, build: ReleaseBuild) -> Background:
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = (self.folder / "lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another process of the run starts it
            lock.close()
            self._started.set()
            return self
        self._thread = threading.Thread(target=self._run, args=(build, lock), name="shacl-engine", daemon=True)
        self._thread.start()
        return self

    def _run(self, build: ReleaseBuild, lock: IO[str]) -> None:
        try:
            release = build.wait().path
            script = shacl_engine_script_file(release / "README.md", self.folder)
            shapes = [release / "shapes.ttl", release / "ontology.ttl"]
            command = " ".join(map(shlex.quote, shacl_engine_command(script, shapes, release / "pic.ttl")))
            (self.folder / "release").write_text(str(release), encoding="utf-8")
            # the exit code is written by the shell, so it is there even if this process has ended
            process = subprocess.Popen(
                ["sh", "-c", f"{command} >stdout 2>stderr; echo $? >exit.part && mv exit.part exit"],
                cwd=self.folder,
                start_new_session=True,
            )
            (self.folder / "pid").write_text(str(process.pid), encoding="utf-8")
        except (AssertionError, OSError, RuntimeError, subprocess.SubprocessError) as exc:
            (self.folder / "stderr").write_text(f"{type(exc).__name__}: {exc}", encoding="utf-8")
            (self.folder / "exit").write_text("-1", encoding="utf-8")
        finally:
            lock.close()
            self._started.set()

    def wait(self, timeout: float = 1800) -> EngineReport:
        deadline = time.monotonic() + timeout
        done = self.folder / "exit"
        while not done.exists():
            assert time.monotonic() < deadline, f"shacl-engine did not finish in {timeout} s"
            time.sleep(0.5)
        self.release = Path((self.folder / "release").read_text(encoding="utf-8"))
        returncode = int(done.read_text(encoding="utf-8").strip())
        stdout = (self.folder / "stdout").read_text(encoding="utf-8")
        stderr = (self.folder / "stderr").read_text(encoding="utf-8")
        assert returncode != -1, f"shacl-engine's run failed: {stderr}"
        return shacl_engine_report(returncode, stdout, stderr)

    def close(self) -> None:
        """Wait until the run is started (or known not to be): never a process half-launched."""
        self._started.wait(900)


def stop_shared_run(folder: Path) -> None:
    """Stop shacl-engine's run if it still runs (the run's owner, at the end of the session)."""
    try:
        pid = int((folder / "pid").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not (folder / "exit").exists():
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
