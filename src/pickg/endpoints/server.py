"""Serve a release over SPARQL 1.1 with the Oxigraph server, read-only.

The ``oxigraph`` program (the ``oxigraph`` package on PyPI) does the work:
``oxigraph load`` fills a store folder from the release's dumps, then
``oxigraph serve-read-only`` answers SPARQL queries on ``/query`` and shows its own query
page on ``/``. This module prepares the store and runs the server as a child process;
it never prints and never installs signal handlers (the CLI does). ``pickg serve`` runs
it on a private port of 127.0.0.1 (:func:`start_private`) behind
:class:`pickg.endpoints.front.Front`, which adds the release's website on the same address.

A persistent store (``data_dir``) keeps a marker, ``pickg-release.json``, with the
checksum of what it was loaded from: the next run reloads only when the release
changed. The store itself lives in ``data_dir/store``; a reload builds a new one
beside it and swaps it in, so an interrupted load never leaves a half-filled store.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import ipaddress
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pickg.graph.errors import InputError, NotFoundError, ServerError
from pickg.queries.deadline import DEFAULT_QUERY_TIMEOUT

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "MARKER",
    "STORE_FOLDER",
    "LoadedStore",
    "Server",
    "bind_address",
    "check_port_free",
    "free_loopback_port",
    "is_loopback",
    "oxigraph_executable",
    "prepare_store",
    "release_checksum",
    "serve_files",
    "start_private",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: The file in a data folder recording which release its store holds.
MARKER = "pickg-release.json"
#: The Oxigraph store folder inside a data folder.
STORE_FOLDER = "store"
_LOADING = "store.loading"
_LOG = "oxigraph.log"


def oxigraph_executable() -> Path:
    """The ``oxigraph`` program: beside the running Python first (the same venv), else on PATH.

    :raises ServerError: it is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServerError(
        "the oxigraph server program is not installed; install it with `pip install oxigraph` "
        "(it is a dependency of pickg, so reinstalling pickg also brings it)"
    )


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_address(host: str, port: int) -> str:
    """``host:port`` as Oxigraph's ``--bind`` takes it (IPv6 addresses in brackets)."""
    bare = host.strip("[]")
    return f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Refuse to start when ``host:port`` cannot be bound (taken, or not an address here).

    :raises InputError: the port is outside 1–65535 or the host is unknown.
    :raises ServerError: the port is taken or the address does not belong to this machine.
    """
    if not 0 < port < 65536:
        raise InputError(f"the port {port} is outside 1–65535; choose another with --port")
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(
            f"the host {host!r} is not a known address; give an IP address or name of this machine"
        ) from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServerError(
                    f"the port {port} on {host} is already in use (another server is listening there); "
                    "stop it, or choose another port with --port"
                ) from None
            raise ServerError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --host or --port"
            ) from None


def free_loopback_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on at the moment (the system's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_files(release: Path) -> list[Path]:
    """The dumps of a release folder that the server loads: ``pic.nt`` (or ``pic.ttl``).

    The dump goes to the default graph, where the catalogue's queries look, exactly as
    the local graph answers them.

    :raises NotFoundError: the folder holds neither dump.
    """
    if release.is_file():
        if release.suffix not in (".nt", ".ttl"):
            raise InputError(
                f"{release} is neither N-Triples (.nt) nor Turtle (.ttl); give a release folder or its pic.nt"
            )
        return [release]
    if not release.is_dir():
        raise NotFoundError(f"{release}: no such release folder; check the path or run `pickg publish`")
    for name in ("pic.nt", "pic.ttl"):
        if (release / name).is_file():
            return [release / name]
    raise NotFoundError(
        f"{release} holds neither pic.nt nor pic.ttl; point --release at a folder built by `pickg publish`"
    )


def release_checksum(files: Sequence[Path]) -> str:
    """SHA-256 over the names and contents of ``files``: what a store was loaded from."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class LoadedStore:
    """A store folder ready to serve."""

    location: Path  #: the Oxigraph store folder
    checksum: str  #: :func:`release_checksum` of what it holds
    reloaded: bool  #: False when the store already held this release
    seconds: float  #: time spent loading (0 when not reloaded)


def _read_marker(data_dir: Path) -> dict[str, object] | None:
    try:
        marker = json.loads((data_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _load(executable: Path, location: Path, files: Sequence[Path]) -> None:
    command = [str(executable), "load", "--location", str(location)]
    for path in files:
        command += ["--file", str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith(" ")]
        detail = lines[0] if lines else f"exit status {done.returncode}"
        raise ServerError(
            f"oxigraph could not load {', '.join(str(p) for p in files)} into {location} ({detail}); "
            "check the release with `pickg validate`, or rebuild it with `pickg publish`"
        )


def prepare_store(files: Sequence[Path], data_dir: Path, executable: Path | None = None) -> LoadedStore:
    """Make ``data_dir/store`` hold exactly ``files``, loading only when they changed.

    :param files: the dumps to load (see :func:`serve_files`).
    :param data_dir: the folder to keep the store in; created if missing.
    :param executable: the ``oxigraph`` program; found by :func:`oxigraph_executable` if None.
    :raises InputError: ``data_dir`` is a file, or a non-empty folder pickg did not make.
    :raises ServerError: the load failed.
    """
    if data_dir.exists() and not data_dir.is_dir():
        raise InputError(f"{data_dir} is a file; give --data-dir a folder (it is created if missing)")
    data_dir.mkdir(parents=True, exist_ok=True)
    store = data_dir / STORE_FOLDER
    marker = _read_marker(data_dir)
    ours = {MARKER, STORE_FOLDER, _LOADING, _LOG}
    strangers = sorted(p.name for p in data_dir.iterdir() if p.name not in ours)
    if marker is None and strangers:
        raise InputError(
            f"{data_dir} already holds files pickg did not make ({', '.join(strangers[:3])}); "
            "give --data-dir an empty or new folder"
        )
    checksum = release_checksum(files)
    if marker is not None and marker.get("sha256") == checksum and store.is_dir():
        return LoadedStore(store, checksum, reloaded=False, seconds=0.0)
    executable = executable or oxigraph_executable()
    loading = data_dir / _LOADING
    shutil.rmtree(loading, ignore_errors=True)
    started = time.perf_counter()
    try:
        _load(executable, loading, files)
    except BaseException:
        shutil.rmtree(loading, ignore_errors=True)
        raise
    (data_dir / MARKER).unlink(missing_ok=True)
    shutil.rmtree(store, ignore_errors=True)
    loading.rename(store)
    record = {"sha256": checksum, "files": [str(p.resolve()) for p in files]}
    temporary = data_dir / (MARKER + ".tmp")
    temporary.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    temporary.replace(data_dir / MARKER)
    return LoadedStore(store, checksum, reloaded=True, seconds=time.perf_counter() - started)


def _child_setup() -> None:  # pragma: no cover -- runs in the child, between fork and exec
    """Default signal handling in the child, and (on Linux) its death with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """``oxigraph serve-read-only`` (or ``serve``) on a store folder, as a child process.

    :param location: the store folder.
    :param host: the address to listen on.
    :param port: the port to listen on.
    :param log: where the server's own messages go.
    :param executable: the ``oxigraph`` program; found by :func:`oxigraph_executable` if None.
    :param read_only: ``serve-read-only`` (the default); False runs ``serve``, which
        also takes updates and Graph Store Protocol uploads.
    :param query_timeout: seconds the server gives a query before it stops it
        (Oxigraph's own ``--timeout-s``; a local query has the same default).
    """

    def __init__(
        self,
        location: Path,
        host: str,
        port: int,
        log: Path,
        executable: Path | None = None,
        read_only: bool = True,
        query_timeout: float = DEFAULT_QUERY_TIMEOUT,
    ) -> None:
        self.read_only = read_only
        self.query_timeout = query_timeout
        self.location = location
        self.host = host
        self.port = port
        self.log = log
        self.executable = executable or oxigraph_executable()
        self.process: subprocess.Popen[bytes] | None = None
        self._stop_requested: float | None = None

    @property
    def url(self) -> str:
        """The query page: ``http://HOST:PORT/``."""
        return f"http://{bind_address(self.host, self.port)}/"

    @property
    def query_url(self) -> str:
        """The SPARQL query endpoint: ``http://HOST:PORT/query``."""
        return self.url + "query"

    def start(self, ready_within: float = 30.0) -> None:
        """Start the server and return once it answers HTTP.

        :raises ServerError: the port is taken, or the server stopped or stayed silent.
        """
        check_port_free(self.host, self.port)
        command = [
            str(self.executable),
            "serve-read-only" if self.read_only else "serve",
            "--location",
            str(self.location),
            "--bind",
            bind_address(self.host, self.port),
            "--timeout-s",
            str(max(1, math.ceil(self.query_timeout))),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # fixed program, arguments are ours
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # Ctrl-C reaches pickg, which forwards it
                preexec_fn=_child_setup,  # no threads at this point
            )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(self._failure())
            if self._answers():
                return
            time.sleep(0.05)
        self.stop()
        raise ServerError(
            f"the oxigraph server did not answer on {self.url} within {ready_within:g} seconds; see {self.log}"
        )

    def _failure(self) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        if "Address already in use" in text:
            return (
                f"the port {self.port} on {self.host} is already in use (another server is listening there); "
                "stop it, or choose another port with --port"
            )
        lines = [line for line in text.splitlines() if line.startswith("Error")]
        detail = lines[-1] if lines else f"exit status {self.process.returncode if self.process else '?'}"
        return f"the oxigraph server stopped at once ({detail}); see {self.log}"

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url, timeout=1.0) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def send_signal(self, signum: int) -> None:
        """Pass a signal (SIGINT, SIGTERM) on to the server; :meth:`wait` then returns."""
        if self.process is not None and self.process.poll() is None:
            if self._stop_requested is None:
                self._stop_requested = time.monotonic()
            self.process.send_signal(signum)

    @property
    def stop_requested(self) -> bool:
        """True once a signal was passed on."""
        return self._stop_requested is not None

    def wait(self, grace: float = 5.0) -> int:
        """Wait for the server to end; kill it ``grace`` seconds after a signal it ignored.

        :returns: the server's exit status (negative: the signal that ended it).
        """
        if self.process is None:
            return 0
        while True:
            try:
                return self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                if self._stop_requested is not None and time.monotonic() - self._stop_requested > grace:
                    self.process.kill()

    def stop(self, grace: float = 5.0) -> int:
        """Ask the server to stop (SIGTERM) and wait for it."""
        self.send_signal(signal.SIGTERM)
        return self.wait(grace)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.stop()


def start_private(location: Path, log: Path, tries: int = 3, query_timeout: float = DEFAULT_QUERY_TIMEOUT) -> Server:
    """A started read-only :class:`Server` on a free port of 127.0.0.1, for a front
    (:class:`pickg.endpoints.front.Front`) to forward to; another port is tried when
    the one chosen was taken in the meantime. ``query_timeout``: seconds it gives a query.

    :raises ServerError: the server did not start.
    """
    for attempt in range(tries):
        server = Server(location, "127.0.0.1", free_loopback_port(), log, query_timeout=query_timeout)
        try:
            server.start()
            return server
        except ServerError as exc:
            if "already in use" not in str(exc) or attempt == tries - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover
