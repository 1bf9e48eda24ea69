"""``make lint`` passes on the checkout and fails on a planted ruff finding and mypy error.

The checkout's src/, tests/, bench/, pyproject.toml and Makefile are copied into a
scratch folder and linted there with this environment's ruff and mypy, as ``make lint``
runs them (its recipe is read with ``make -n``, so the test follows the Makefile).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: The module the findings are planted in: nothing imports it, so mypy rechecks it alone.
PLANTED = Path("src/pickg/cli/__main__.py")


def _make(copy: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``make ARGS`` in ``copy`` with this environment's venv, never reinstalling it."""
    venv = Path(sys.prefix)
    return subprocess.run(
        ["make", "--no-print-directory", f"VENV={venv}", "-o", str(venv / ".installed"), *args],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.system
def test_make_lint_passes_on_the_checkout_and_fails_on_a_planted_finding(tmp_path: Path) -> None:
    copy = tmp_path / "checkout"
    caches = ("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "scratch")
    for folder in ("src", "tests", "bench"):
        shutil.copytree(REPO / folder, copy / folder, ignore=shutil.ignore_patterns(*caches))
    for name in ("pyproject.toml", "Makefile"):
        shutil.copy2(REPO / name, copy / name)
    # mypy's cache is keyed by the files' relative paths and contents: the checkout's own
    # (left by an earlier make lint) serves the copy, and the copy's runs leave it alone.
    cache = tmp_path / "mypy-cache"
    if (REPO / ".mypy_cache").is_dir():
        shutil.copytree(REPO / ".mypy_cache", cache)
    env = {**os.environ, "MYPY_CACHE_DIR": str(cache), "RUFF_CACHE_DIR": str(tmp_path / "ruff-cache")}

    clean = _make(copy, "lint", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    module = copy / PLANTED
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            "from pickg.cli import main\n", 'import os\n\nfrom pickg.cli import main\n\nPLANTED: int = "a"\n'
        ),
        encoding="utf-8",
    )
    planted = _make(copy, "lint", env=env)
    assert planted.returncode != 0
    assert str(PLANTED) in planted.stdout + planted.stderr

    commands = [shlex.split(line) for line in _make(copy, "-n", "lint", env=env).stdout.splitlines()]
    outcomes = {}
    for command in commands:
        tool = " ".join([Path(command[0]).name, *command[1:2]])  # "ruff check", "ruff format", "mypy src"
        result = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=600, check=False)
        outcomes[tool] = (result.returncode, result.stdout + result.stderr)
    code, output = outcomes["ruff check"]
    assert code != 0 and f"{PLANTED}:3:8" in output and "F401" in output, output
    code, output = next(outcome for tool, outcome in outcomes.items() if tool.startswith("mypy"))
    assert code != 0 and f"{PLANTED}:7: error:" in output and "[assignment]" in output, output
    code, output = outcomes["ruff format"]
    assert code == 0, output  # the planted lines are formatted: only the two findings fail
