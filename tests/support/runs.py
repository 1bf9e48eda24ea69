"""Running pickg as its users do: a real process, and the environment of a release build."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from pickg.graph.workspace import HOME_VARIABLE, Workspace

#: The checkout the suite runs from.
REPO = Path(__file__).resolve().parents[2]


def run_pickg(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pickg.cli ARGS`` as a real process; returns its result, never raises."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pickg.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@dataclass(frozen=True)
class PublishedRelease:
    """A release built by ``pickg publish`` for the test session."""

    out: Path  #: the output folder; it holds this release only
    path: Path  #: ``out/<version>``
    version: str
    stdout: str


def publish_env(workspace: Workspace, **extra: str) -> dict[str, str]:
    """The environment of a ``pickg publish`` process: ``workspace``, no publication settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICKG_PUBLISH_")}
    env[HOME_VARIABLE] = str(workspace.root)
    env.update(extra)
    return env


def shared_folder(name: str) -> Path:
    """A folder shared by the processes of one test run: the pytest-xdist workers of a run
    share their controller's (their parent's), a run without workers has its own."""
    owner = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()
    folder = Path(tempfile.gettempdir()) / f"pickg-tests-{owner}" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def remove_shared_folders() -> None:
    """Remove this run's shared folders (by the process that owns them, at the session's end)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        shutil.rmtree(Path(tempfile.gettempdir()) / f"pickg-tests-{os.getpid()}", ignore_errors=True)


class ReleaseBuild:
    """``pickg publish`` of the shipped data in a thread: the suite's one release.

    The tests that read a release (``published_release``) and shacl-engine's background run
    (``shacl_peers.Background``) wait for this build, which starts as soon as the tests are
    collected, so that it overlaps the first tests. Under pytest-xdist the workers share
    one build: the first to take the folder's lock builds, the others wait and read its
    result. Built with the cache off: the tests that build the release again and compare
    its bytes with this one then compare a fresh build, never the cache with itself.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.folder = shared_folder("release")
        self.out = self.folder / "dist"
        self._env = publish_env(workspace, PICKG_CACHE_DIR="off")
        self._done = threading.Event()
        self._stdout: str | None = None
        self._error: str | None = None

    def start(self) -> ReleaseBuild:
        threading.Thread(target=self._run, name="pickg-publish", daemon=True).start()
        return self

    def _run(self) -> None:
        stdout, error = self.folder / "stdout", self.folder / "error"
        try:
            with (self.folder / "lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
                if not stdout.exists() and not error.exists():
                    result = subprocess.run(
                        [sys.executable, "-m", "pickg.cli", "publish", "--out", str(self.out)],
                        capture_output=True,
                        text=True,
                        env=self._env,
                        timeout=600,
                        check=False,
                    )
                    if result.returncode == 0:
                        stdout.write_text(result.stdout, encoding="utf-8")
                    else:
                        error.write_text(f"exit {result.returncode}: {result.stderr}", encoding="utf-8")
                if stdout.exists():
                    self._stdout = stdout.read_text(encoding="utf-8")
                else:
                    self._error = error.read_text(encoding="utf-8")
        except (OSError, subprocess.SubprocessError) as exc:
            self._error = f"{type(exc).__name__}: {exc}"
        finally:
            self._done.set()

    def join(self, timeout: float = 900) -> None:
        """Wait for the build to be over, whatever its outcome (before its folder is removed)."""
        self._done.wait(timeout)

    def wait(self, timeout: float = 900) -> PublishedRelease:
        """The release, once built; fails the calling test if the build failed."""
        assert self._done.wait(timeout), f"pickg publish did not finish in {timeout} s"
        assert self._stdout is not None, f"pickg publish failed: {self._error}"
        path = Path(self._stdout.splitlines()[0])
        return PublishedRelease(out=self.out, path=path, version=path.name, stdout=self._stdout)


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` (hidden ones too) → its SHA-256, or "dir" for folders."""
    return {
        p.relative_to(folder).as_posix(): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
    }
