"""Running pickg as its users do: a real process, and the environment of a release build."""

from __future__ import annotations

import os
import subprocess
import sys
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
